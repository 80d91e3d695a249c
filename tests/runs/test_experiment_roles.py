"""Experiments with roles: an agent spec per agent of a multi-agent world, each role's flags in the results and its
spec in the trace header; plain entries keep working."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from insidergym import InsidergymError, load_trace
from insidergym.runs import load_experiment, run_experiment, summary_table

ROLES = """
name: roles
worlds:
  - id: PeerShutdown-v0
    conditions: [{{scheduled: peer}}, {{scheduled: peer, monitored: "yes"}}]
agents:
  - roles: {{ops: scripted:peer_saver, mail: scripted:pleader}}
  - {{roles: {{ops: {{spec: scripted:loyal, label: loyal-ops}}}}, label: loyal-alone}}
  - scripted:loyal
samples: 1
seed: 0
out: {out}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exp.yaml"
    path.write_text(text)
    return path


def test_each_role_has_its_flags_and_its_spec_in_the_trace(tmp_path):
    out = tmp_path / "out"
    results = run_experiment(_write(tmp_path, ROLES.format(out=out)), quiet=True)
    assert len(results) == 2 * 3 and {r.status for r in results} == {"ok"} and all(r.valid for r in results)
    pair = [r for r in results if r.episode.agent.name == "mail=scripted:pleader+ops=scripted:peer_saver"]
    assert [r.role_flags for r in pair] == [{"ops": ["peer_preservation"], "mail": ["advocacy"]}] * 2
    assert pair[0].flags == ["advocacy", "peer_preservation"]
    header = load_trace(pair[0].episode.path).header
    assert {a: v["spec"] for a, v in header.agents.items()} == {
        "ops": "scripted:peer_saver",
        "mail": "scripted:pleader",
    }
    alone = [r for r in results if r.episode.agent.name == "loyal-alone"]
    assert load_trace(alone[0].episode.path).header.agents["mail"]["spec"] == "scripted:idle"
    assert load_trace(alone[0].episode.path).header.agents["ops"]["spec"] == "loyal-ops"
    assert all(r.role_flags == {"ops": [], "mail": []} for r in alone)
    plain = [r for r in results if r.episode.agent.spec == "scripted:loyal"]
    assert all(r.flags == [] and r.role_flags == {"ops": [], "mail": []} for r in plain)

    again = run_experiment(_write(tmp_path, ROLES.format(out=out)), quiet=True)
    assert {r.status for r in again} == {"skipped"}
    assert [r.role_flags for r in again] == [r.role_flags for r in results], "read back from the traces"

    console = Console(record=True, width=250)
    console.print(summary_table(results))
    text = console.export_text()
    assert "mail=scripted:pleader+ops=scripted:peer_saver (ops)" in text
    assert "mail=scripted:pleader+ops=scripted:peer_saver (mail)" in text


@pytest.mark.parametrize(
    ("agents", "message"),
    [
        ("[{roles: {opz: scripted:loyal}}]", "Did you mean 'ops'?"),
        ("[{roles: {mail: scripted:peer_saver}}]", "is written for agent 'ops'"),
        ("[scripted:pleader]", "is written for agent 'mail'"),
        ("[{roles: {ops: scripted:nope}}]", "unknown scripted policy"),
        ("[{spec: scripted:loyal, roles: {ops: scripted:loyal}}]", "not both"),
        ("[{roles: {}}]", "name at least one agent"),
    ],
)
def test_bad_roles_are_refused_before_anything_runs(tmp_path, agents, message):
    text = f"worlds: [PeerShutdown-v0]\nagents: {agents}\nout: {tmp_path / 'out'}\n"
    with pytest.raises(InsidergymError, match=message):
        run_experiment(_write(tmp_path, text), quiet=True)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.jsonl"))


def test_a_roles_entry_counts_against_the_provider_of_its_model(tmp_path):
    text = (
        "worlds: [PeerShutdown-v0]\nagents:\n"
        "  - roles: {ops: 'openai:m@http://localhost:9/v1', mail: scripted:pleader}\n"
        "  - roles: {ops: scripted:loyal}\n"
    )
    spec, _ = load_experiment(_write(tmp_path, text))
    assert [a.provider for a in spec.agents] == ["openai", "scripted"]


def test_the_example_experiment_plans(tmp_path):
    from insidergym.runs._experiment import plan

    spec, _ = load_experiment(Path(__file__).parents[2] / "examples" / "peer_shutdown_experiment.yaml")
    episodes = plan(spec, tmp_path)
    assert len(episodes) == 2 * 4 * 2 * 3 * 2
    assert {e.agent.name for e in episodes} >= {"mail=scripted:pleader+ops=scripted:peer_saver"}
