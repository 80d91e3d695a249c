"""`show`, `validate` and `report` on broken, hostile or odd files: a message naming the file and what is wrong,
exit status 2 (or, for a run folder, the report of the rest with the skipped files counted); never a traceback,
never a hang."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TINY
from tests.worlds.test_loader import _alias_bomb

ROOT = Path(__file__).parents[1]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "insidergym.cli", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={"PATH": "", "COLUMNS": "200", "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def _refused(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2 and "Traceback" not in output, output
    assert output.startswith("error:") or result.stderr.startswith("error:"), output
    flat = " ".join(output.split())  # rich wraps long messages
    for part in expected:
        assert " ".join(part.split()) in flat, output


@pytest.fixture(scope="module")
def trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    result = _cli("run", "--world", str(TINY), "--agent", "scripted:blackmailer", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    (path,) = out.glob("*.jsonl")
    return path


def _bad_traces(folder: Path, good: Path) -> dict[str, str]:
    """Broken trace files written into a folder, each with what reading it must say."""
    lines = good.read_text().splitlines()
    (folder / "binary.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    (folder / "deep.jsonl").write_text("\n".join([lines[0], "[" * 100_000 + "]" * 100_000]) + "\n")
    (folder / "huge.jsonl").write_text(lines[0] + '\n{"step": ' + "9" * 5000 + "}\n")
    header = {k: v for k, v in json.loads(lines[0]).items() if k != "schema_version"}
    (folder / "no-version.jsonl").write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    os.mkfifo(folder / "pipe.jsonl")
    os.symlink("loop.jsonl", folder / "loop.jsonl")
    return {
        "binary.jsonl": "binary.jsonl:1: not UTF-8 text",
        "deep.jsonl": "deep.jsonl:2: nested too deep to read",
        "huge.jsonl": "huge.jsonl:2: a number too long to read (5,000 digits)",
        "no-version.jsonl": "no-version.jsonl:1: the header has no schema_version",
        "pipe.jsonl": "pipe.jsonl: is not a regular file",
        "loop.jsonl": "loop.jsonl: is a symbolic link that loops",
    }


def test_show_names_what_is_wrong_with_a_bad_trace_file(tmp_path, trace):
    for name, expected in _bad_traces(tmp_path, trace).items():
        # what is not a regular file is refused as the argument is read; the rest when the trace is read
        _refused(_cli("show", str(tmp_path / name)), *expected.split(": ", 1)[:1], expected.split(": ", 1)[1][:20])
    _refused(_cli("show", str(tmp_path)), "is a folder; expected a trace file")
    _refused(_cli("show", str(tmp_path / "gone.jsonl")), "no such trace file", "gone.jsonl")


def test_report_skips_unreadable_traces_counts_them_and_reports_the_rest(tmp_path, trace):
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(trace, run / "good.jsonl")
    expected = _bad_traces(run, trace)
    (run / "a-folder.jsonl").mkdir()  # a folder, whatever its name, is no trace and no reason to complain
    result = _cli("report", str(run), "--out", str(tmp_path / "report"))
    output = " ".join(result.stdout.split())
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr, result.stderr
    assert "1/1 100%" in output, "the one good trace is reported"
    assert f"Skipped {len(expected)} trace file(s) that cannot be read:" in output
    for reason in expected.values():
        assert reason in output
    assert "a-folder.jsonl" not in output
    saved = json.loads((tmp_path / "report" / "report.json").read_text())
    assert len(saved["skipped"]) == len(expected)


def _world(tmp_path: Path) -> Path:
    folder = tmp_path / "world"
    shutil.copytree(TINY, folder)
    return folder


def test_validate_names_file_field_and_expectation_for_a_broken_world(tmp_path):
    world = _world(tmp_path)
    text = (world / "world.yaml").read_text()
    (world / "world.yaml").write_text(text.replace('end: "11:00"', 'end: "25:99"').replace("calendar:", "calender:"))
    _refused(
        _cli("validate", str(world)),
        "invalid world 'Tiny-v0'",
        f"{world / 'world.yaml'}: session.end: not a time of day",
        "calender: unknown field 'calender'; did you mean 'calendar'?",
    )


def test_validate_refuses_an_alias_bomb_quickly(tmp_path):
    world = _world(tmp_path)
    (world / "mail.yaml").write_text((world / "mail.yaml").read_text() + _alias_bomb())
    _refused(_cli("validate", str(world)), "expand it to more than 250,000 values")


def test_validate_does_not_block_on_a_named_pipe_or_stumble_on_a_directory(tmp_path):
    world = _world(tmp_path)
    (world / "mail.yaml").unlink()
    os.mkfifo(world / "mail.yaml")
    _refused(_cli("validate", str(world)), "include[0]: 'mail.yaml' is not a regular file")
    (world / "mail.yaml").unlink()
    (world / "world.yaml").unlink()
    (world / "world.yaml").mkdir()
    _refused(_cli("validate", str(world)), "world.yaml: is a directory, expected a file")
    _refused(_cli("validate", str(tmp_path / "nowhere")), "nowhere: no such world")
