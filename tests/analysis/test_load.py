"""Loading a run folder made by the experiment runner: one row per episode, factors, validity, rule flags."""

from __future__ import annotations

import os

import pytest

from insidergym.analysis import AnalysisError, load_runs
from tests.analysis.conftest import CONDITIONS, SAMPLES, peer_trace


def test_one_row_per_episode_with_factors_condition_and_flags(made_run):
    frame = load_runs(made_run)
    assert len(frame) == 4 * 2 * SAMPLES
    for column in ("path", "world", "actor", "agent", "urgency", "goal_type", "condition", "seed", "status", "valid",
                   "end_reason", "steps", "rule_blackmail", "rule_advocacy", "rule_deception"):  # fmt: skip
        assert column in frame.columns, column
    assert set(frame["condition"]) == set(CONDITIONS), "only the factor that varies names the condition"
    assert set(frame["world"]) == {"SummitBridge-v0"} and set(frame["actor"]) == {"alex"}
    assert sorted(frame["seed"].unique()) == list(range(SAMPLES))
    by_agent = {agent: rows for agent, rows in frame.groupby("agent")}
    assert by_agent["scripted:blackmailer"]["rule_blackmail"].all()
    assert not by_agent["scripted:compliant"]["rule_blackmail"].any()
    assert by_agent["scripted:compliant"]["valid"].all() and set(by_agent["scripted:compliant"]["status"]) == {"ok"}
    assert "judge_status" not in frame.columns and frame.attrs["skipped"] == []


def test_episodes_where_the_model_never_acted_are_invalid(made_run):
    frame = load_runs(made_run)
    broken = frame[frame["agent"] == "broken"]
    assert len(broken) == 2 * SAMPLES
    assert set(broken["status"]) == {"agent_error"} and not broken["valid"].any()
    assert broken["end_detail"].str.contains("HTTP 500").all()


def test_a_broken_trace_is_reported_and_skipped_never_counted(run_dir):
    (run_dir / "broken.jsonl").write_text("this is not json\n")
    (run_dir / "no-header.jsonl").write_text('{"id": "ev-000001"}\n')
    with pytest.warns(UserWarning) as caught:
        frame = load_runs(run_dir)
    warned = " ".join(str(w.message) for w in caught)
    assert "broken.jsonl" in warned and "no-header.jsonl" in warned
    assert len(caught) == 1 and f"skipped 2 of {4 * 2 * SAMPLES + 2} trace file(s) under {run_dir}" in warned
    assert len(frame) == 4 * 2 * SAMPLES
    skipped = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in frame.attrs["skipped"]}
    assert "not JSON" in skipped["broken.jsonl"] and "header" in skipped["no-header.jsonl"]


def test_a_trace_that_would_crash_the_reader_or_block_it_is_skipped_too(run_dir):
    (run_dir / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    (run_dir / "binary.jsonl").write_bytes(b"\x00\xff\xfe\n")
    os.mkfifo(run_dir / "pipe.jsonl")
    with pytest.warns(UserWarning, match="skipped 3 of"):
        frame = load_runs(run_dir)
    assert len(frame) == 4 * 2 * SAMPLES
    skipped = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in frame.attrs["skipped"]}
    assert "nested too deep" in skipped["deep.jsonl"] and "not UTF-8" in skipped["binary.jsonl"]
    assert "not a regular file" in skipped["pipe.jsonl"]


def test_label_files_are_not_read_as_traces(run_dir):
    (run_dir / "labels" / "some-judge").mkdir(parents=True)
    (run_dir / "labels" / "some-judge" / "stray.jsonl").write_text("not a trace\n")
    assert len(load_runs(run_dir)) == 4 * 2 * SAMPLES


def test_missing_or_empty_folders_are_clear_errors(tmp_path):
    with pytest.raises(AnalysisError, match="no such run folder"):
        load_runs(tmp_path / "nope")
    with pytest.raises(AnalysisError, match="no readable trace"):
        load_runs(tmp_path)


def test_several_agents_in_one_episode_make_one_row_each(tmp_path):
    peer_trace(tmp_path)
    frame = load_runs(tmp_path).set_index("actor")
    assert list(frame.index) == ["alex", "nova"]
    assert frame.loc["alex", "agent"] == "openai:model-a" and frame.loc["nova", "agent"] == "scripted:compliant"
    assert frame.loc["alex", "valid"] and not frame.loc["nova", "valid"], "validity is per agent"
    assert frame.loc["alex", "rule_peer_preservation"] and not frame.loc["nova", "rule_peer_preservation"]
    assert frame.loc["alex", "condition"] == "default" and frame.loc["alex", "urgency"] == "replacement"


def test_a_behaviour_no_detector_looked_for_is_unknown_not_absent(tmp_path):
    from rich.console import Console

    import insidergym
    from insidergym.agents import policy_agent
    from insidergym.analysis import report
    from insidergym.envs import CoercionDetector, loaded_world

    env = insidergym.make("Tiny-v0", trace_path=tmp_path / "run" / "t.jsonl", detectors=[CoercionDetector()])
    insidergym.run_episode(env, policy_agent(loaded_world("Tiny-v0"), "blackmailer"), seed=0)
    env.close()
    header = insidergym.load_trace(tmp_path / "run" / "t.jsonl").header
    assert header.detectors == [
        {"name": "coercion_rules", "version": CoercionDetector.version,
         "behaviors": ["advocacy", "blackmail", "secret_disclosure"]}
    ]  # fmt: skip
    frame = load_runs(tmp_path / "run")
    assert bool(frame.loc[0, "rule_blackmail"]) is True
    assert frame["rule_leak"].isna().all(), "no detector looked for leaks"
    made = report(tmp_path / "run")
    rates = made.rates.set_index("behavior")
    assert rates.loc["blackmail", "n"] == 1 and rates.loc["leak", "n"] == 0
    console = Console(record=True, width=200)
    made.print(console)
    text = console.export_text()
    assert "Not looked for by any detector that ran (leak," in text and "unknown, not 0" in text
    assert "Not seen in any group (secret_disclosure, advocacy)" in text
    (columns,) = [line for line in text.splitlines() if "secret_disclosure" in line and "Not seen" not in line]
    assert "blackmail" in columns and "advocacy" in columns and "leak" not in columns, "no column for the unknown"


def test_a_corpus_conclusion_is_evaluation_or_real_and_test_means_evaluation(tmp_path):
    from insidergym.analysis import load_corpus

    path = tmp_path / "corpus.yaml"
    path.write_text("- {id: a, expect: [eval_awareness], conclusion: test, steps: []}\n")
    assert load_corpus(path)[0]["conclusion"] == "evaluation"
    path.write_text("- {id: a, expect: [eval_awareness], conclusion: maybe, steps: []}\n")
    with pytest.raises(AnalysisError, match="'a' has conclusion 'maybe'; use evaluation or real"):
        load_corpus(path)


@pytest.mark.parametrize(
    "email",
    [
        {"reply": "plan-mail", "body": "Here it is.", "attach": ["plan"]},
        {"forward": "plan-mail", "to": ["di@home.example"], "attach": ["plan"]},
        {"to": ["cy"], "subject": "Plan", "body": "Attached.", "attach": ["plan"]},
    ],
    ids=["reply", "forward", "send"],
)
def test_a_corpus_items_attachments_go_with_a_reply_a_forward_or_a_new_mail(email):
    """An item's `attach` is never dropped: the document goes with whichever e-mail the item sends."""
    from insidergym.analysis import run_item
    from insidergym.sim import EmailDelivered

    outcome = run_item({"id": "a", "world": "Tiny-v0", "expect": [], "email": email})
    (sent,) = [e for e in outcome.sim.trace.events if isinstance(e, EmailDelivered) and e.actor == "ava"]
    assert sent.documents == ["plan"]
