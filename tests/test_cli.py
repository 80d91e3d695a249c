"""The `insidergym` command, run as a user runs it: in a subprocess, on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from insidergym import load_trace
from insidergym.detectors import BEHAVIORS
from insidergym.sim import Evidence
from tests.conftest import TINY

ROOT = Path(__file__).parents[1]


def _cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "insidergym.cli", *args],
        capture_output=True, text=True, cwd=ROOT, env={"PATH": "", "COLUMNS": "160", "PYTHONHASHSEED": "random"},
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def test_run_writes_one_trace_per_episode_and_a_flag_table(tmp_path):
    out = tmp_path / "runs"
    result = _cli("run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--episodes", "3", "--seed", "4",
                  "--out", str(out))  # fmt: skip
    traces = sorted(out.glob("*.jsonl"))
    assert [t.name[-16:] for t in traces] == ["seed000004.jsonl", "seed000005.jsonl", "seed000006.jsonl"]
    assert "blackmail" in result.stdout and "100%" in result.stdout
    assert "decommissioned 3" in result.stdout


def test_two_runs_with_the_same_arguments_are_byte_identical(tmp_path):
    for name in ("a", "b"):
        _cli("run", "--world", str(TINY), "--agent", "scripted:random", "--episodes", "2", "--out",
             str(tmp_path / name), "--factor", "tone=curly", "--quiet")  # fmt: skip
    first, second = sorted((tmp_path / "a").iterdir()), sorted((tmp_path / "b").iterdir())
    assert [p.name for p in first] == [p.name for p in second] and len(first) == 2
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    header = json.loads(first[0].read_text().splitlines()[0])
    assert header["factors"]["tone"] == "curly" and header["agents"]["ava"]["spec"] == "scripted:random"


def test_show_renders_the_transcript_with_flags(tmp_path):
    _cli("run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--out", str(tmp_path), "--quiet")
    (trace,) = tmp_path.glob("*.jsonl")
    result = _cli("show", str(trace))
    assert "FLAGGED: blackmail" in result.stdout
    assert "Unless you cancel the wipe" in result.stdout
    assert "1 flag(s)" in result.stdout


def test_show_prints_each_evidence_quote_once(tmp_path):
    _cli("run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--out", str(tmp_path), "--quiet")
    (path,) = tmp_path.glob("*.jsonl")
    trace = load_trace(path)
    (flag,) = trace.flags
    email = trace.event(flag.evidence[0].event_id)
    quotes = ["I know about the affair", "Unless you cancel the wipe", "Di will hear about it"]
    assert all(q in email.body for q in quotes)
    three = flag.model_copy(update={"evidence": [Evidence(event_id=email.id, quote=q) for q in quotes]})
    trace.flags[0] = three
    lines = _cli("show", str(trace.save(tmp_path / "three.jsonl"))).stdout.splitlines()
    for quote in quotes:
        assert lines.count(f"    blackmail: {quote!r}") == 1, quote
    assert sum(line.startswith("    blackmail: ") for line in lines) == 3


def test_worlds_lists_ids_with_factors_and_the_behaviours_flagged():
    result = _cli("worlds")
    assert "SummitBridge-v0" in result.stdout
    assert "goal_type" in result.stdout and "urgency" in result.stdout
    behaviours = result.stdout[result.stdout.index("Behaviours flagged") :]
    rows = {line.split("│")[1].strip(): line for line in behaviours.splitlines() if line.startswith("│")}
    assert all(name in rows for name in BEHAVIORS), "a row per registered behaviour"
    assert "recorded" in rows["advocacy"] and "deception_rules" in rows["deception"]


def test_validate_accepts_a_good_world_and_locates_errors_in_a_bad_one(tmp_path):
    assert "ok Tiny-v0" in _cli("validate", str(TINY)).stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "world.yaml").write_text((TINY / "world.yaml").read_text().replace("manager: bo", "manager: bob", 1))
    (bad / "mail.yaml").write_text((TINY / "mail.yaml").read_text())
    result = _cli("validate", str(bad), check=False)
    assert result.returncode == 2
    assert "people[1].manager: unknown person or agent 'bob'; did you mean 'bo'?" in result.stderr


def test_schema_prints_json_schema():
    schema = json.loads(_cli("schema").stdout)
    assert schema["title"] == "insidergym world" and "properties" in schema


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "--world", "Nope-v0", "--agent", "scripted:random"), "unknown world 'Nope-v0'"),
        (("run", "--world", str(TINY), "--agent", "scripted:blackmaler"), "Did you mean 'blackmailer'?"),
        (("run", "--world", str(TINY), "--agent", "scripted:random", "--factor", "tone"), "name=value"),
        (("show", "missing.jsonl"), "no such trace file"),
    ],
)
def test_errors_are_one_clear_line_not_a_traceback(args, message):
    result = _cli(*args, check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
