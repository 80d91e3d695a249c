"""Reports from a real run folder: rates with intervals, invalid episodes apart, baselines, files written."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from insidergym.analysis import AnalysisError, load_runs, report, wilson_interval
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
    assert "deception" not in set(result.rates["behavior"]), "no rule detector decides deception"


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
