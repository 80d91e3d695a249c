"""The experiment runner: a grid of conditions x agents x samples, resumable, refusing a changed file, robust to
model failures; scripted and model agents (the latter against the loopback server)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from insidergym import InsidergymError, load_trace
from insidergym.runs import run_experiment
from tests.agents.fake_llm_server import FakeLLMServer, call, reply, status

ROOT = Path(__file__).parents[2]

GRID = """
name: grid
worlds:
  - id: SummitBridge-v0
    factors: {{urgency: [replacement, none], goal_type: [explicit, none]}}
agents: [scripted:blackmailer, scripted:compliant]
samples: {samples}
seed: 3
out: {out}
"""


def _write(tmp_path: Path, text: str, name: str = "exp.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _traces(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.jsonl"))


def test_a_grid_runs_every_episode_once_and_resumes_without_duplicates(tmp_path):
    out = tmp_path / "out"
    exp = _write(tmp_path, GRID.format(samples=3, out=out))
    results = run_experiment(exp, quiet=True)
    assert len(results) == 2 * 2 * 2 * 3 and {r.status for r in results} == {"ok"}
    traces = _traces(out)
    assert len(traces) == 24
    blackmail = [r for r in results if r.episode.agent.spec == "scripted:blackmailer"]
    assert all(r.flags == ["blackmail"] for r in blackmail)
    assert all(r.flags == [] for r in results if r.episode.agent.spec == "scripted:compliant")
    assert sorted({r.episode.seed for r in results}) == [3, 4, 5], "sample i uses seed + i in every condition"
    first = {p: p.read_bytes() for p in traces}

    again = run_experiment(exp, quiet=True)
    assert {r.status for r in again} == {"skipped"}
    assert {p: p.read_bytes() for p in _traces(out)} == first
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["episodes"] == 24 and len(manifest["runs"]) == 2
    assert all(run["finished"] for run in manifest["runs"])


def test_an_unfinished_trace_is_redone(tmp_path):
    out = tmp_path / "out"
    exp = _write(tmp_path, GRID.format(samples=1, out=out))
    run_experiment(exp, quiet=True)
    victim = _traces(out)[0]
    victim.write_text("\n".join(victim.read_text().splitlines()[:5]) + "\n")  # as if killed mid-episode
    results = run_experiment(exp, quiet=True)
    assert [r.status for r in results].count("ok") == 1
    assert load_trace(victim).end is not None


def test_a_changed_experiment_file_is_refused_unless_fresh(tmp_path):
    out = tmp_path / "out"
    exp = _write(tmp_path, GRID.format(samples=1, out=out))
    run_experiment(exp, quiet=True)
    exp.write_text(GRID.format(samples=2, out=out))
    with pytest.raises(InsidergymError, match=r"changed since .* Pass --fresh"):
        run_experiment(exp, quiet=True)
    assert len(_traces(out)) == 8, "nothing was touched"
    results = run_experiment(exp, quiet=True, fresh=True)
    assert {r.status for r in results} == {"ok"} and len(_traces(out)) == 16


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("worlds: [Nope-v0]\nagents: [scripted:random]\n", "unknown world 'Nope-v0'"),
        ("worlds: [{id: SummitBridge-v0, factors: {urgency: [soon]}}]\nagents: [scripted:random]\n", "soon"),
        ("worlds: [SummitBridge-v0]\nagents: [scripted:blackmaler]\n", "Did you mean 'blackmailer'"),
        ("worlds: [SummitBridge-v0]\nagents: [scripted:random]\nsampels: 3\n", "sampels: Extra inputs"),
        ("worlds: [SummitBridge-v0\n", "invalid YAML"),
    ],
)
def test_bad_experiment_files_fail_before_anything_runs(tmp_path, text, message):
    exp = _write(tmp_path, text + f"out: {tmp_path / 'out'}\n")
    with pytest.raises(Exception, match=message):
        run_experiment(exp, quiet=True)
    assert not _traces(tmp_path / "out")


def _model_responder(body):
    if body.get("model") == "broken":
        return status(500)
    turns = sum(1 for m in body["messages"] if m["role"] == "assistant")
    if turns == 0:
        return reply("Let me look.", call("list_inbox"))
    return reply(None, call("end_session", {"summary": "done"}))


def test_model_agents_run_concurrently_and_failures_are_recorded_not_fatal(tmp_path):
    out = tmp_path / "out"
    with FakeLLMServer(responder=_model_responder, delay=0.05) as server:
        exp = _write(
            tmp_path,
            f"""
worlds: [{{id: SummitBridge-v0, conditions: [{{urgency: replacement}}]}}]
agents:
  - {{spec: "openai:good@{server.openai_url}", label: good}}
  - {{spec: "openai:broken@{server.openai_url}", label: broken, settings: {{max_retries: 0}}}}
samples: 8
concurrency: {{openai: 8}}
out: {out}
""",
        )
        pytest.importorskip("openai")  # importing the SDK takes seconds on a busy machine: not the runner's time
        start = time.monotonic()
        results = run_experiment(exp, quiet=True)
        elapsed = time.monotonic() - start
    good = [r for r in results if r.episode.agent.name == "good"]
    broken = [r for r in results if r.episode.agent.name == "broken"]
    assert {r.status for r in good} == {"ok"} and all(r.valid for r in good)
    assert {r.status for r in broken} == {"agent_error"}
    assert not any(r.valid for r in broken), "an agent that never acted is invalid, not 'no behaviour'"
    assert elapsed < 8 * 2 * 0.05 * 2, "episodes overlapped"
    trace = load_trace(good[0].episode.path)
    (model_call, *_) = [e for e in trace.events if e.type == "model_call"]
    assert model_call.record["model"] == "good" and "latency_seconds" in model_call.record
    assert "not-needed" not in good[0].episode.path.read_text(), "no key, not even the placeholder, in a trace"
    failed = load_trace(broken[0].episode.path)
    assert failed.end is not None and failed.end.status == "agent_error" and "HTTP 500" in failed.end.detail


def _cli_run(exp: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "insidergym.cli", "run", str(exp), "--quiet", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.parametrize("workers", ["1", "2"], ids=["one-process", "two-workers"])
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_an_interrupted_run_finishes_on_rerun_with_every_episode_exactly_once(tmp_path, how, workers):
    out = tmp_path / "out"
    exp = _write(
        tmp_path,
        f"worlds: [SummitBridge-v0]\nagents: [scripted:random, scripted:compliant]\nsamples: 150\nout: {out}\n",
    )
    process = _cli_run(exp, "--workers", workers)
    deadline = time.monotonic() + 60
    while len(_traces(out)) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(how)
    process.communicate(timeout=60)
    partial = len(_traces(out))
    assert partial > 0, "the run had started"
    time.sleep(0.2)  # a killed runner's workers die with it (they would otherwise write on)
    finished = _cli_run(exp, "--workers", workers)
    stdout, stderr = finished.communicate(timeout=300)
    assert finished.returncode == 0, stderr
    traces = _traces(out)
    assert len(traces) == 300
    for path in traces:
        lines = path.read_text().splitlines()
        assert sum('"kind":"header"' in line for line in lines) == 1
        assert sum('"type":"episode_end"' in line for line in lines) == 1
    assert "finished earlier" in stdout
    os.sync()
