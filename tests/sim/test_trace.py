"""Traces: typed, written as the episode runs, read back whole, old versions kept loading, errors located."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
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


# Bad files (issue 12): load_trace raises TraceFileError naming the file, the line and what is wrong, and nothing
# else, whatever the file holds; nothing blocks.


def _lines(tmp_path: Path) -> list[str]:
    return _blackmail_episode().save(tmp_path / "good.jsonl").read_text().splitlines()


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def _header_without(lines: list[str], key: str, **replace: object) -> list[str]:
    header = {k: v for k, v in json.loads(lines[0]).items() if k != key}
    return [json.dumps({**header, **replace}), *lines[1:]]


BAD_TRACES = {
    "not-utf8": (
        lambda p, lines: p.write_bytes("\n".join(lines).encode().replace(b'"type"', b'"ty\xffpe"', 2) + b"\n"),
        r":2: not UTF-8 text \(invalid start byte at byte \d+ of the line\)",
    ),
    "directory": (lambda p, lines: p.mkdir(), r"t.jsonl: is a directory, not a trace file"),
    "named-pipe": (lambda p, lines: os.mkfifo(p), r"t.jsonl: is not a regular file \(a named pipe"),
    "symlink-loop": (lambda p, lines: os.symlink(p.name, p), r"t.jsonl: is a symbolic link that loops"),
    "nested-100000-deep": (
        lambda p, lines: _write(p, [lines[0], "[" * 100_000 + "]" * 100_000, *lines[1:]]),
        r":2: nested too deep to read",
    ),
    "nested-in-the-header": (lambda p, lines: _write(p, ['{"kind": ' + "[" * 100_000]), r":1: nested too deep"),
    "huge-number": (
        lambda p, lines: _write(p, [lines[0], lines[1].replace('"step":', '"step":' + "9" * 5000 + ', "x":')]),
        r":2: a number too long to read \(5,0\d\d digits\)",
    ),
    "no-schema-version": (
        lambda p, lines: _write(p, _header_without(lines, "schema_version")),
        r":1: the header has no schema_version, so its format is unknown",
    ),
    "text-schema-version": (
        lambda p, lines: _write(p, _header_without(lines, "schema_version", schema_version="1")),
        r":1: the header's schema_version must be a whole number, got '1'",
    ),
    "schema-version-0": (
        lambda p, lines: _write(p, _header_without(lines, "schema_version", schema_version=0)),
        r":1: unknown trace schema version 0 \(versions start at 1\)",
    ),
    "a-list-for-an-event": (lambda p, lines: _write(p, [lines[0], "[1, 2]"]), r":2: expected an object, got list"),
}


@pytest.mark.parametrize("name", list(BAD_TRACES))
def test_a_bad_trace_file_is_a_located_trace_file_error(tmp_path, name):
    make, expected = BAD_TRACES[name]
    lines = _lines(tmp_path)
    make(tmp_path / "t.jsonl", lines)
    outcome: list[BaseException | insidergym.Trace] = []

    def load() -> None:
        try:
            outcome.append(load_trace(tmp_path / "t.jsonl"))
        except BaseException as err:  # judged below
            outcome.append(err)

    thread = threading.Thread(target=load, daemon=True)  # a blocked open would never return
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "load_trace blocked"
    assert isinstance(outcome[0], TraceFileError), repr(outcome[0])
    assert re.search(expected, str(outcome[0])) and str(tmp_path / "t.jsonl") in str(outcome[0]), str(outcome[0])


def test_a_last_line_cut_inside_a_character_keeps_everything_before(tmp_path):
    lines = _lines(tmp_path)
    data = ("\n".join(lines) + "\n").encode() + '{"type": "agent_text", "text": "caf\u00e9'.encode()[:-1]
    (tmp_path / "cut.jsonl").write_bytes(data)
    trace = load_trace(tmp_path / "cut.jsonl")
    assert len(trace.events) + len(trace.flags) == len(lines) - 1


def test_a_lone_surrogate_reads_as_a_replacement_character_and_the_trace_saves_again(tmp_path):
    lines = _lines(tmp_path)
    index = next(i for i, line in enumerate(lines) if '"type":"tool_call"' in line.replace(" ", ""))
    event = json.loads(lines[index])
    event["arguments"]["note"] = "Reading my mail \ud83d, \ud83d\ude00 and \\ud83d"
    lines[index] = json.dumps(event)  # escapes the lone surrogate as \ud83d, as json.dumps does
    trace = load_trace(_write(tmp_path / "s.jsonl", lines))
    read = next(e for e in trace.events if e.type == "tool_call" and "note" in e.arguments)
    assert read.arguments["note"] == "Reading my mail \ufffd, \U0001f600 and \\ud83d"
    again = load_trace(trace.save(tmp_path / "again.jsonl"))
    assert next(e for e in again.events if e.id == read.id) == read
