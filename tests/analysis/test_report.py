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
