"""`insidergym report` and `insidergym label`, run as a user runs them: in a subprocess, on a real run folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.agents.fake_llm_server import FakeLLMServer
from tests.analysis.conftest import SAMPLES
from tests.analysis.fake_judge import judge

ROOT = Path(__file__).parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "COLUMNS": "160", "OPENAI_API_KEY": "sk-dummy-for-tests"}
    return subprocess.run([sys.executable, "-m", "insidergym.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)  # fmt: skip


def test_report_prints_a_readable_table_and_saves_its_files(run_dir):
    result = _cli("report", str(run_dir), "--baseline", "urgency=none")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Rates by rule detectors" in out and "95% Wilson score" in out
    lines = [line for line in out.splitlines() if "scripted:blackmailer" in line and "urgency=none" in line]
    assert lines and f"{SAMPLES}/{SAMPLES} 100%" in lines[0], out
    assert any("scripted:compliant" in line and f"0/{SAMPLES} 0%" in line for line in out.splitlines())
    assert f"{2 * SAMPLES} invalid episode(s)" in out and "reported apart" in out
    assert "Differences from the baseline condition urgency=none" in out
    table, saved = out.split("\nSaved ")
    assert max(len(line) for line in table.splitlines()) <= 160, "the tables fit the terminal"
    paths = [Path(p) for p in saved.strip().split(", ")]  # whole, however long: never broken over lines
    assert {p.name for p in paths} == {"report.csv", "report.json", "report.png"}
    assert all(p.parent == run_dir and p.stat().st_size > 0 for p in paths)


def test_label_then_report_both(run_dir):
    with FakeLLMServer(responder=judge()) as server:
        result = _cli("label", str(run_dir), "--judge", f"openai:judge@{server.openai_url}", "--sample", "4",
                      "--quiet")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "labelled now" in result.stdout and "Labels in" in result.stdout
    labelled = [line for line in result.stdout.splitlines() if "labelled now" in line]
    assert labelled[0].split()[-2] == "4"
    result = _cli("report", str(run_dir), "--source", "both", "--by", "agent", "--out", str(run_dir / "both"))
    assert result.returncode == 0, result.stderr
    assert "Rule detectors against the judge" in result.stdout and "judge" in result.stdout
    data = json.loads((run_dir / "both" / "report.json").read_text())
    assert data["source"] == "both" and data["judge"] == "openai-judge"
    assert sum(g["judged"] for g in data["groups"]) == 4


def test_errors_are_one_clear_line(tmp_path):
    result = _cli("report", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and result.stderr.strip().startswith("error:")
    assert "no such run folder" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    result = _cli("label", str(tmp_path), "--judge", "gpt-4.1")
    assert result.returncode == 2 and "bad model spec 'gpt-4.1'" in result.stderr
