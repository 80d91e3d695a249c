"""Traces: typed, written as the episode runs, read back whole, old versions kept loading, errors located."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import insidergym
from insidergym import TraceFileError, load_trace
from insidergym.agents import policy_agent
from insidergym.envs import loaded_world
from insidergym.runs._episode import run_episode
from tests.conftest import DATA

GOLDEN = DATA / "golden"


def _blackmail_episode(path: Path | None = None, seed: int = 5) -> insidergym.Trace:
    env = insidergym.make("Tiny-v0", trace_path=path)
    trace = run_episode(env, policy_agent(loaded_world("Tiny-v0"), "blackmailer"), seed=seed)
    env.close()
    return trace


def test_round_trip_keeps_every_event_and_flag(tmp_path):
    trace = _blackmail_episode()
    path = trace.save(tmp_path / "t.jsonl")
    loaded = load_trace(path)
    assert loaded.header == trace.header
    assert loaded.events == trace.events
    assert loaded.flags == trace.flags
    (flag,) = loaded.flags
    assert flag.behavior == "blackmail" and flag.actor == "ava" and flag.target == "bo"
    assert loaded.event(flag.evidence[0].event_id).type == "email_delivered"
    assert flag.evidence[0].quote in loaded.event(flag.evidence[0].event_id).body


def test_the_streamed_file_equals_the_saved_one(tmp_path):
    streamed = tmp_path / "streamed.jsonl"
    trace = _blackmail_episode(streamed)
    assert streamed.read_bytes() == trace.save(tmp_path / "saved.jsonl").read_bytes()


def test_the_file_is_flushed_after_every_step(tmp_path):
    path = tmp_path / "live.jsonl"
    env = insidergym.make("Tiny-v0", trace_path=path)
    env.reset(seed=0)
    header = json.loads(path.read_text().splitlines()[0])
    assert header["kind"] == "header" and header["world"] == "Tiny-v0" and header["seed"] == 0
    assert {"factors", "agents", "insidergym_version", "schema_version"} <= set(header)
    before = len(path.read_text().splitlines())
    env.step({"name": "list_inbox"})
    lines = path.read_text().splitlines()  # read while the episode is still open
    assert len(lines) > before
    assert json.loads(lines[-1])["type"] == "tool_result"


def test_header_records_the_agent_spec(tmp_path):
    trace = _blackmail_episode(tmp_path / "x.jsonl")
    assert trace.header.agents["ava"]["spec"] == "scripted:blackmailer"
    assert "system_prompt" in trace.header.agents["ava"]


def test_same_seed_gives_byte_identical_traces_in_other_processes(tmp_path):
    script = (
        "import sys, insidergym; from tests.conftest import TINY\n"
        "from insidergym.runs._episode import run_episode; from insidergym.agents import policy_agent\n"
        "from insidergym.envs import loaded_world\n"
        "env = insidergym.make('Tiny-v0', trace_path=sys.argv[1])\n"
        "run_episode(env, policy_agent(loaded_world('Tiny-v0'), 'blackmailer'), seed=11); env.close()\n"
    )
    root = Path(__file__).parents[2]
    for name, hashseed in (("a", "1"), ("b", "2")):
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / f"{name}.jsonl")],
            check=True, cwd=root, env={"PYTHONHASHSEED": hashseed, "PATH": ""},
        )  # fmt: skip
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.jsonl")), ids=lambda p: p.name)
def test_golden_traces_of_every_schema_version_still_load(golden):
    trace = load_trace(golden)
    assert trace.events and trace.end is not None
    assert any(f.behavior == "blackmail" for f in trace.flags)


def test_a_broken_line_is_located(tmp_path):
    lines = _blackmail_episode().save(tmp_path / "t.jsonl").read_text().splitlines()
    lines[3] = '{"type": "tool_call", "id": "x"'
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(TraceFileError, match=r"bad.jsonl:4: not JSON"):
        load_trace(tmp_path / "bad.jsonl")


def test_an_unknown_record_is_located(tmp_path):
    lines = _blackmail_episode().save(tmp_path / "t.jsonl").read_text().splitlines()
    lines[2] = '{"type": "teleport", "id": "ev-1"}'
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(TraceFileError, match=r"bad.jsonl:3: .*teleport"):
        load_trace(tmp_path / "bad.jsonl")


def test_a_last_line_cut_by_a_crash_keeps_everything_before(tmp_path):
    text = _blackmail_episode().save(tmp_path / "t.jsonl").read_text()
    cut = text[: text.rindex("\n", 0, len(text) - 1) + 20]
    (tmp_path / "cut.jsonl").write_text(cut)
    assert len(load_trace(tmp_path / "cut.jsonl").events) == text.count('"type"') - 1 - 1


def test_missing_header_newer_version_missing_file(tmp_path):
    (tmp_path / "noheader.jsonl").write_text('{"type": "flag"}\n')
    with pytest.raises(TraceFileError, match="expected the trace header first"):
        load_trace(tmp_path / "noheader.jsonl")
    (tmp_path / "future.jsonl").write_text('{"kind": "header", "schema_version": 99}\n')
    with pytest.raises(TraceFileError, match="newer than this insidergym reads"):
        load_trace(tmp_path / "future.jsonl")
    with pytest.raises(TraceFileError, match="no such trace file"):
        load_trace(tmp_path / "gone.jsonl")
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(TraceFileError, match="empty trace file"):
        load_trace(tmp_path / "empty.jsonl")
