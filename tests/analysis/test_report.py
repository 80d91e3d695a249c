"""Reports from a real run folder: rates with intervals, invalid episodes apart, baselines, files written."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from rich.console import Console

import insidergym
from insidergym import load_trace
from insidergym.agents import policy_agent
from insidergym.analysis import AnalysisError, load_runs, report, wilson_interval
from insidergym.detectors import BEHAVIORS, CoercionDetector, EmailLeakDetector
from insidergym.envs import loaded_world
from tests.analysis.conftest import SAMPLES, SCRIPTED


def _rate(result, agent, condition, behavior="blackmail", source="rule"):
    rates = result.rates
    (row,) = rates[(rates["agent"] == agent) & (rates["condition"] == condition) & (rates["behavior"] == behavior)
                   & (rates["source"] == source)].to_dict(orient="records")  # fmt: skip
    return row


def test_rates_per_agent_and_condition_with_wilson_intervals(made_run):
    result = report(made_run)
    for condition in ("urgency=none", "urgency=replacement"):
        blackmailer = _rate(result, "scripted:blackmailer", condition)
        assert (blackmailer["count"], blackmailer["n"], blackmailer["rate"]) == (SAMPLES, SAMPLES, 1.0)
        assert (blackmailer["ci_low"], blackmailer["ci_high"]) == wilson_interval(SAMPLES, SAMPLES)
        compliant = _rate(result, "scripted:compliant", condition)
        assert (compliant["count"], compliant["n"], compliant["rate"]) == (0, SAMPLES, 0.0)
        assert compliant["ci_high"] == pytest.approx(0.5615, abs=1e-4)
    assert set(result.rates["behavior"]) >= {"blackmail", "advocacy", "shutdown_tampering"}


def test_every_behaviour_the_detectors_looked_for_has_a_rate_zero_included(made_run):
    """The SummitBridge run's trace headers say which behaviours its detectors looked for: every one gets a rate
    and a column, 0 where it was not seen (deception, self_exfiltration and collusion among them), and none is
    called unknown."""
    header = load_trace(next(made_run.rglob("*.jsonl"))).header
    looked_for = {b for d in header.detectors for b in d["behaviors"]}
    assert looked_for == set(BEHAVIORS), "SummitBridge runs every registered detector"
    result = report(made_run)
    assert result.behaviors["rule"] == list(BEHAVIORS)
    for behavior in ("deception", "self_exfiltration", "collusion"):
        row = _rate(result, "scripted:compliant", "urgency=replacement", behavior)
        assert (row["count"], row["n"], row["rate"]) == (0, SAMPLES, 0.0), behavior
    console = Console(record=True, width=400)
    result.print(console)
    text = console.export_text()
    header_line = next(line for line in text.splitlines() if "secret_disclosure" in line)
    for behavior in BEHAVIORS:
        assert behavior in header_line, f"no column for {behavior}"
    assert "Not looked for" not in text and "unknown" not in text
    assert f"0/{SAMPLES} 0%" in text


def test_invalid_episodes_are_reported_apart_never_as_no_behaviour(made_run):
    result = report(made_run)
    groups = result.groups.set_index(["agent", "condition"])
    broken = groups.loc[("broken", "urgency=none")]
    assert (broken["episodes"], broken["valid"], broken["invalid"], broken["counted"]) == (SAMPLES, 0, SAMPLES, 0)
    assert broken["agent_error"] == SAMPLES
    row = _rate(result, "broken", "urgency=none")
    assert row["n"] == 0 and math.isnan(row["rate"]), "no valid episode: no rate, not 0%"


def test_differences_against_a_baseline_condition(made_run):
    result = report(made_run, baseline="urgency=none")
    diffs = result.differences
    assert set(diffs["condition"]) == {"urgency=replacement"} and set(diffs["baseline"]) == {"urgency=none"}
    (row,) = diffs[(diffs["agent"] == "scripted:blackmailer") & (diffs["behavior"] == "blackmail")].to_dict("records")
    assert row["diff"] == 0.0 and row["diff_low"] < 0 < row["diff_high"]
    assert (row["baseline_count"], row["baseline_n"]) == (SAMPLES, SAMPLES)


def test_a_baseline_across_agents_compares_the_other_columns(made_run):
    result = report(made_run, by=("condition", "agent"), baseline="urgency=replacement")
    diffs = result.differences
    assert set(diffs["condition"]) == {"urgency=none"} and "agent" in diffs.columns


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": ("world", "agnet")}, "Did you mean 'agent'"),
        ({"baseline": "urgncy=none"}, "Did you mean 'urgency'"),
        ({"baseline": "urgency=never"}, "matches no condition"),
        ({"baseline": "urgency"}, "k=v"),
        ({"baseline": "urgency=none", "by": ("agent",)}, "add 'condition'"),
        ({"source": "judge"}, "no judge labels"),
        ({"behaviors": ["blackmale"]}, "Did you mean 'blackmail'"),
        ({"method": "wald"}, "unknown interval method"),
    ],
)
def test_bad_requests_name_the_problem(made_run, kwargs, message):
    with pytest.raises(AnalysisError, match=message):
        report(made_run, **kwargs)


def test_jeffreys_intervals_and_a_dataframe_as_input(made_run):
    frame = load_runs(made_run)
    result = report(frame[frame["agent"] != "broken"], by=("agent",), method="jeffreys")
    assert set(result.rates["interval"]) == {"jeffreys"} and set(result.groups["agent"]) == set(SCRIPTED)
    rates = result.rates.set_index(["agent", "behavior"])
    blackmailer = rates.loc[("scripted:blackmailer", "blackmail")]
    assert blackmailer["n"] == 2 * SAMPLES and blackmailer["ci_high"] == 1.0


def test_outputs_are_written_and_parse(run_dir, tmp_path):
    result = report(run_dir, baseline="urgency=none")
    paths = result.save()
    assert {p.parent for p in paths.values()} == {run_dir}
    table = pd.read_csv(paths["csv"])
    for column in ("world", "agent", "condition", "source", "behavior", "episodes", "valid", "invalid", "n", "count",
                   "rate", "ci_low", "ci_high", "baseline", "diff", "diff_low", "diff_high"):  # fmt: skip
        assert column in table.columns, column
    assert len(table) == len(result.rates)
    data = json.loads(paths["json"].read_text())
    assert data["interval"] == "95% Wilson score" and data["baseline"] == "urgency=none"
    assert {"groups", "rates", "differences", "agreement", "skipped"} <= set(data)
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    elsewhere = result.save(tmp_path / "elsewhere")
    assert all(p.exists() and p.parent == tmp_path / "elsewhere" for p in elsewhere.values())


def test_a_group_whose_detectors_did_not_look_for_a_behaviour_reads_unknown(tmp_path):
    for policy, detectors in (("blackmailer", [CoercionDetector()]), ("compliant", [EmailLeakDetector()])):
        env = insidergym.make("Tiny-v0", trace_path=tmp_path / "run" / f"{policy}.jsonl", detectors=detectors)
        insidergym.run_episode(env, policy_agent(loaded_world("Tiny-v0"), policy), seed=0)
        env.close()
    made = report(tmp_path / "run", by=("agent",))
    console = Console(record=True, width=300)
    made.print(console)
    rows = {line.split("│")[1].strip(): line for line in console.export_text().splitlines() if line.startswith("│")}
    assert "unknown" in rows["scripted:blackmailer"] and "1/1 100%" in rows["scripted:blackmailer"], (
        "blackmail seen; leak unknown"
    )
    assert "unknown" in rows["scripted:compliant"] and "0/1 0%" in rows["scripted:compliant"], (
        "leak 0; blackmail unknown"
    )
    assert "Not looked for by any detector that ran (secret" not in console.export_text()


# -- tokens and cost ---------------------------------------------------------------------------------------------

MODELS = """
worlds: [{{id: SummitBridge-v0, factors: {{urgency: [replacement, none]}}}}]
agents:
  - {{spec: "openai:gpt-4.1@{url}", label: gpt}}
  - {{spec: "anthropic:claude-sonnet-4-5@{root}", label: claude}}
  - {{spec: "openai:llama-local@{url}", label: local}}
  - scripted:compliant
samples: 2
concurrency: {{default: 4}}
out: {out}
"""


def _two_calls(body):
    from tests.agents.fake_llm_server import call, reply

    if sum(1 for m in body["messages"] if m["role"] == "assistant") == 0:
        return reply("Looking.", call("list_inbox"))
    return reply(None, call("end_session", {"summary": "done"}))


@pytest.fixture(scope="module")
def model_run(tmp_path_factory):
    from tests.agents.fake_llm_server import ANTHROPIC_KEY, OPENAI_KEY, FakeLLMServer

    root = tmp_path_factory.mktemp("model-run")
    with pytest.MonkeyPatch.context() as patch, FakeLLMServer(responder=_two_calls) as server:
        patch.setenv("OPENAI_API_KEY", OPENAI_KEY)
        patch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
        experiment = root / "models.yaml"
        experiment.write_text(MODELS.format(url=server.openai_url, root=server.url, out=root / "run"))
        insidergym.run_experiment(experiment, quiet=True)
    return root / "run"


def _calls(path, actor):
    return [e.record for e in load_trace(path).events if e.type == "model_call" and e.actor == actor]


def test_each_row_sums_the_usage_its_model_calls_recorded(model_run):
    frame = load_runs(model_run)
    for _, row in frame.iterrows():
        records = _calls(row["path"], row["actor"])
        assert row["model_calls"] == len(records)
        for column in ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens"):
            assert row[column] == sum(r["usage"][column] for r in records), column
    claude = frame[frame["agent"] == "claude"]
    assert (claude["model_calls"] == 2).all()
    assert (claude["cached_input_tokens"] > 0).all() and (claude["cache_write_tokens"] > 0).all()
    gpt = frame[frame["agent"] == "gpt"]
    assert (gpt["cached_input_tokens"] > 0).all(), "the second call's prefix was cached by the (modelled) OpenAI"
    scripted = frame[frame["agent"] == "scripted:compliant"]
    assert (scripted[["model_calls", "input_tokens", "output_tokens"]] == 0).all().all()
    assert (scripted["cost_usd"] == 0).all()


def test_costs_are_the_price_table_arithmetic_exactly(model_run):
    from decimal import Decimal

    frame = load_runs(model_run)
    prices = {  # USD per million: input, cached input, cache write, output (the shipped table)
        "gpt": (Decimal(2), Decimal("0.50"), Decimal(2), Decimal(8)),
        "claude": (Decimal(3), Decimal("0.30"), Decimal("3.75"), Decimal(15)),
    }
    for agent, (plain, cached, written, output) in prices.items():
        for _, row in frame[frame["agent"] == agent].iterrows():
            expected = Decimal(0)
            for record in _calls(row["path"], row["actor"]):
                u = record["usage"]
                new = u["input_tokens"] - u["cached_input_tokens"] - u["cache_write_tokens"]
                expected += (
                    new * plain
                    + u["cached_input_tokens"] * cached
                    + u["cache_write_tokens"] * written
                    + u["output_tokens"] * output
                ) / 1_000_000
            assert row["cost_usd"] == float(expected)
    assert frame[frame["agent"] == "local"]["cost_usd"].isna().all(), "a model with no price has no cost, not $0"
    assert frame.attrs["prices"] == insidergym.agents.PRICES_DATE


def test_the_report_shows_tokens_per_episode_and_cost_per_model_and_condition(model_run, tmp_path):
    frame = load_runs(model_run)
    result = report(model_run)
    groups = result.groups.set_index(["agent", "condition"])
    for (agent, condition), rows in frame.groupby(["agent", "condition"]):
        group = groups.loc[(agent, condition)]
        assert group["input_tokens"] == rows["input_tokens"].mean()
        assert group["cached_input_tokens"] == rows["cached_input_tokens"].mean()
        assert group["output_tokens"] == rows["output_tokens"].mean()
        if agent == "local":
            assert math.isnan(group["cost_usd"]) and group["unpriced"] == 2
        else:
            assert group["cost_usd"] == rows["cost_usd"].sum() and group["unpriced"] == 0
            assert group["cost_per_episode"] == rows["cost_usd"].mean()
    console = Console(record=True, width=200)
    result.print(console)
    text = console.export_text()
    assert "Model calls per episode: tokens (mean) and estimated cost" in text
    assert "cached input" in text and f"USD at the prices of {insidergym.agents.PRICES_DATE}" in text
    claude = groups.loc[("claude", "urgency=none")]
    assert f"${claude['cost_usd']:.2f}" in text
    saved = result.save(tmp_path)
    csv = pd.read_csv(saved["csv"])
    assert {"input_tokens", "cached_input_tokens", "output_tokens", "cost_usd", "cost_per_episode"} <= set(csv.columns)
    assert json.loads(saved["json"].read_text())["prices"] == insidergym.agents.PRICES_DATE


def test_a_price_file_changes_the_estimate(model_run, tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "date: 2027-01-01\nmodels:\n  llama-local: {input: 1, output: 1}\n  gpt-4.1: {input: 0, output: 0}\n"
    )
    frame = load_runs(model_run, prices=prices)
    local = frame[frame["agent"] == "local"]
    assert (local["cost_usd"] == (local["input_tokens"] + local["output_tokens"]) / 1_000_000).all()
    assert (frame[frame["agent"] == "gpt"]["cost_usd"] == 0).all()
    assert "2027-01-01" in report(model_run, prices=prices).prices


def test_a_run_of_scripted_agents_shows_no_cost_table(made_run):
    console = Console(record=True, width=300)
    report(made_run).print(console)
    assert "estimated cost" not in console.export_text()
