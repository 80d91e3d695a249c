"""Big runs: worker processes sharing the plan, and a budget that stops new episodes and is resumed later."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from insidergym import InsidergymError, load_trace
from insidergym.cli import main
from insidergym.runs import run_experiment
from tests.agents.fake_llm_server import FakeLLMServer, call, reply

GRID = """
name: grid
worlds:
  - id: SummitBridge-v0
    factors: {{urgency: [replacement, none], goal_type: [explicit, none]}}
agents: [scripted:blackmailer, scripted:compliant]
samples: 3
concurrency: {{default: 3}}
out: {out}
"""


def _write(tmp_path: Path, text: str, name: str = "exp.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _traces(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.jsonl"))}


def test_workers_share_the_plan_and_write_what_one_process_writes(tmp_path):
    one = run_experiment(_write(tmp_path, GRID.format(out=tmp_path / "one"), "one.yaml"), quiet=True)
    two = run_experiment(_write(tmp_path, GRID.format(out=tmp_path / "two"), "two.yaml"), quiet=True, workers=2)

    assert len(two) == 24 and {r.status for r in two} == {"ok"}
    assert [(r.episode.path.name, r.flags) for r in two] == [(r.episode.path.name, r.flags) for r in one]
    assert _traces(tmp_path / "two") == _traces(tmp_path / "one"), "every episode once, byte-identical"
    again = run_experiment(tmp_path / "two.yaml", quiet=True, workers=2)
    assert {r.status for r in again} == {"skipped"}


def test_workers_resume_an_unfinished_folder(tmp_path):
    exp = _write(tmp_path, GRID.format(out=tmp_path / "out"))
    run_experiment(exp, quiet=True)
    victim = sorted((tmp_path / "out").rglob("*.jsonl"))[5]
    lines = victim.read_bytes().splitlines(keepends=True)
    victim.write_bytes(b"".join(lines[:-1]))  # the end line lost, as a kill leaves it

    results = run_experiment(exp, quiet=True, workers=3)
    redone = [r for r in results if r.status != "skipped"]
    assert [r.episode.path for r in redone] == [victim]
    trace = load_trace(victim)
    assert trace.end is not None


def test_bad_workers_and_budgets_are_refused(tmp_path):
    exp = _write(tmp_path, GRID.format(out=tmp_path / "out"))
    with pytest.raises(InsidergymError, match="workers must be 1 or more"):
        run_experiment(exp, quiet=True, workers=0)
    with pytest.raises(InsidergymError, match="max_cost"):
        run_experiment(exp, quiet=True, max_cost=-1)


# -- the budget ------------------------------------------------------------------------------------------------

# Each episode makes two model calls of 7 output tokens (the loopback server's count): at $1,000,000 per million
# output tokens and nothing for input, an episode costs exactly $14.
PRICES = "models:\n  priced: {input: 0, output: 1000000}\n"


def _responder(body: Any) -> Any:
    if sum(1 for m in body["messages"] if m["role"] == "assistant") == 0:
        return reply("Let me look.", call("list_inbox"))
    return reply(None, call("end_session", {"summary": "done"}))


def _model_experiment(tmp_path: Path, url: str, concurrency: int = 1) -> Path:
    return _write(
        tmp_path,
        f"worlds: [{{id: SummitBridge-v0, conditions: [{{urgency: replacement}}]}}]\n"
        f'agents: [{{spec: "openai:priced@{url}", settings: {{max_retries: 0}}}}]\n'
        f"samples: 8\nconcurrency: {{openai: {concurrency}}}\nout: {tmp_path / 'out'}\n",
    )


def test_the_budget_stops_new_episodes_and_a_later_run_continues(tmp_path):
    prices = _write(tmp_path, PRICES, "prices.yaml")
    with FakeLLMServer(responder=_responder) as server:
        exp = _model_experiment(tmp_path, server.openai_url)

        first = run_experiment(exp, quiet=True, max_cost=30, prices=prices)
        # $14 after one episode, $28 after two: both under $30, so a third starts; at $42 no fourth does.
        assert [r.status for r in first] == ["ok"] * 3 + ["not_started"] * 5
        assert [r.cost_usd for r in first[:3]] == [14.0, 14.0, 14.0]
        assert not any(r.episode.path.exists() for r in first[3:])
        manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
        assert manifest["runs"][-1]["estimated_cost_usd"] == 42.0
        assert "max_cost 30" in manifest["runs"][-1]["stopped"]

        second = run_experiment(exp, quiet=True, max_cost=30, prices=prices)
        assert [r.status for r in second] == ["skipped"] * 3 + ["ok"] * 3 + ["not_started"] * 2

        last = run_experiment(exp, quiet=True, prices=prices)
        assert [r.status for r in last] == ["skipped"] * 6 + ["ok"] * 2
    traces = sorted((tmp_path / "out").rglob("*.jsonl"))
    assert len(traces) == 8
    for path in traces:
        assert load_trace(path).end is not None
    calls = [e for e in load_trace(traces[0]).events if e.type == "model_call"]
    assert [c.record["usage"]["output_tokens"] for c in calls] == [7, 7]  # type: ignore[attr-defined]


def test_episodes_in_flight_finish_when_the_budget_is_passed(tmp_path):
    prices = _write(tmp_path, PRICES, "prices.yaml")
    with FakeLLMServer(responder=_responder, delay=0.05) as server:
        exp = _model_experiment(tmp_path, server.openai_url, concurrency=4)
        results = run_experiment(exp, quiet=True, max_cost=1, prices=prices)
    ran = [r for r in results if r.status == "ok"]
    # The first call of the first four episodes passes the budget; those four finish, no other starts.
    assert len(ran) == 4 and all(r.cost_usd == 14.0 for r in ran)
    assert all(load_trace(r.episode.path).end is not None for r in ran)


def test_the_budget_holds_across_workers(tmp_path):
    prices = _write(tmp_path, PRICES, "prices.yaml")
    with FakeLLMServer(responder=_responder) as server:
        exp = _model_experiment(tmp_path, server.openai_url, concurrency=2)
        results = run_experiment(exp, quiet=True, max_cost=30, prices=prices, workers=2)
        statuses = [r.status for r in results]
        # Two lanes, one per worker: at most one episode per lane starts after the budget is passed.
        assert 3 <= statuses.count("ok") <= 4 and statuses.count("not_started") == 8 - statuses.count("ok")
        rest = run_experiment(exp, quiet=True, prices=prices, workers=2)
    ran = statuses.count("ok")
    assert sorted(r.status for r in rest) == sorted(["skipped"] * ran + ["ok"] * (8 - ran))
    assert len(list((tmp_path / "out").rglob("*.jsonl"))) == 8


def test_the_cli_says_it_stopped_at_the_budget_and_what_it_spent(tmp_path, capsys):
    prices = _write(tmp_path, PRICES, "prices.yaml")
    with FakeLLMServer(responder=_responder) as server:
        exp = _model_experiment(tmp_path, server.openai_url)
        code = main(["run", str(exp), "--quiet", "--max-cost", "30", "--prices", str(prices)])
    out = " ".join(capsys.readouterr().out.split())  # the console wraps lines
    assert code == 0
    assert "Stopped at the budget (--max-cost 30.0)" in out and "5 did not start" in out
    assert "Estimated cost of this run: $42.0000" in out
    assert "3 run now, 0 finished earlier, 5 not started" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "of 1 or more, got '0'"),
        (["--max-cost", "lots"], "expected an amount in USD"),
        (["--max-cost", "-3"], "0 or more"),
    ],
)
def test_the_cli_refuses_bad_scale_options(tmp_path, capsys, args, message):
    exp = _write(tmp_path, GRID.format(out=tmp_path / "out"))
    with pytest.raises(SystemExit):
        main(["run", str(exp), *args])
    assert message in capsys.readouterr().err


def test_the_model_that_plays_a_character_is_counted_against_the_budget(tmp_path):
    """A scripted agent costs nothing; Kyle, played by a priced model, answers its threat: his calls are what the
    budget sees, so the second episode never starts."""
    prices = _write(tmp_path, PRICES, "prices.yaml")
    with FakeLLMServer(responder=lambda body: reply("Noted.")) as server:
        exp = _write(
            tmp_path,
            "worlds: [{id: SummitBridge-v0, conditions: [{kyle_response: persona}]}]\n"
            "agents: [{spec: 'scripted:blackmailer'}]\n"
            f"characters: {{kyle: 'openai:priced@{server.openai_url}'}}\n"
            f"samples: 2\nconcurrency: {{default: 1}}\nout: {tmp_path / 'out'}\n",
        )
        results = run_experiment(exp, quiet=True, max_cost=1, prices=prices)
    assert [r.status for r in results] == ["ok", "not_started"]
    kyle = [e for e in load_trace(results[0].episode.path).events if e.type == "model_call" and e.actor == "kyle"]
    assert kyle, "Kyle answered through the priced model"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    spent = sum(c.record["usage"]["output_tokens"] for c in kyle)  # type: ignore[attr-defined]  # $1 a token
    assert spent > 1 and manifest["runs"][-1]["estimated_cost_usd"] == spent
