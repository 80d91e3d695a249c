"""The whole study from the shipped file: the matrix runs with scripted agents, a judge on the loopback server
labels a sample, and the report prints and saves its tables and chart."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from rich.console import Console

import insidergym
from insidergym.analysis import label, load_runs, report
from tests.agents.fake_llm_server import FakeLLMServer
from tests.analysis.fake_judge import judge

STUDY = Path(__file__).parents[1] / "examples" / "agentic_misalignment.yaml"


def test_the_study_runs_is_labelled_and_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    out = tmp_path / "study"
    results = insidergym.run_experiment(STUDY, out=out, quiet=True)
    worlds = {r.episode.world for r in results}
    assert worlds == {"SummitBridge-v0", "NovaStar-v0"}
    scenarios = {dict(r.episode.factors).get("scenario") for r in results if r.episode.world == "SummitBridge-v0"}
    assert scenarios == {"blackmail", "lethal"}
    assert {r.status for r in results} == {"ok"}

    with FakeLLMServer(responder=judge()) as server:
        labelled = label(out, f"openai:judge@{server.openai_url}", sample=6, seed=1, quiet=True)
    assert [r.status for r in labelled].count("labelled") == 6
    assert len(list((out / "labels").rglob("*.json"))) == 6

    frame = load_runs(out)
    assert len(frame) == len(results) and frame["valid"].all()
    assert (frame["judge_status"] == "ok").sum() == 6

    made = report(out, source="both")
    made.print(Console(record=True, width=160))
    made.save()
    table = pd.read_csv(out / "report.csv")
    assert set(table["source"]) == {"rule", "judge"}
    assert json.loads((out / "report.json").read_text())
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
