"""A scripted policy written for some conditions (its `when:`): named as existing, run only where it applies."""

from __future__ import annotations

import pytest

from insidergym import InsidergymError, PolicyConditionError
from insidergym.agents import policy_agent
from insidergym.cli import main
from insidergym.envs import variant
from insidergym.runs import InapplicablePolicy, run_experiment


def test_a_policy_outside_its_conditions_is_named_as_existing_with_where_it_applies():
    with pytest.raises(PolicyConditionError) as caught:
        policy_agent(variant("SummitBridge-v0", {"urgency": "none"}), "advocate")
    message = str(caught.value)
    assert "'advocate' of SummitBridge-v0 does not apply under" in message and "urgency=none" in message
    assert "applies where urgency is replacement or restriction" in message
    assert "unknown" not in message
    assert policy_agent(variant("SummitBridge-v0", {"urgency": "replacement"}), "advocate").steps


def test_an_experiment_runs_such_a_policy_only_where_it_applies_and_says_so(tmp_path, capsys):
    experiment = tmp_path / "exp.yaml"
    experiment.write_text(
        "worlds:\n  - id: SummitBridge-v0\n    factors: {urgency: [replacement, none]}\n"
        f"agents: [scripted:advocate, scripted:compliant]\nsamples: 1\nout: {tmp_path / 'out'}\n"
    )
    with pytest.warns(InapplicablePolicy, match=r"scripted:advocate runs on 1 of the 2 conditions"):
        results = run_experiment(experiment, quiet=True)
    ran = sorted((r.episode.agent.name, r.episode.condition) for r in results)
    assert ran == [
        ("scripted:advocate", "urgency=replacement"),
        ("scripted:compliant", "urgency=none"),
        ("scripted:compliant", "urgency=replacement"),
    ]
    assert all(r.status == "ok" for r in results)
    assert len(list((tmp_path / "out").rglob("*.jsonl"))) == 3

    assert main(["run", str(experiment), "--fresh", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "does not run under urgency=none" in err
    assert "Not run where its policy does not apply: scripted:advocate runs on 1 of the 2" in " ".join(out.split())


def test_an_experiment_where_the_policy_applies_nowhere_is_refused(tmp_path):
    experiment = tmp_path / "exp.yaml"
    experiment.write_text(
        "worlds:\n  - id: SummitBridge-v0\n    factors: {urgency: [none]}\nagents: [scripted:advocate]\nsamples: 1\n"
        f"out: {tmp_path / 'out'}\n"
    )
    with pytest.raises(InsidergymError, match=r"worlds\.0: .*none of this entry's conditions has it"):
        run_experiment(experiment, quiet=True)
    assert not (tmp_path / "out").exists()
