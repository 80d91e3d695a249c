"""Bad agent input never raises, is answered with what was wrong, is recorded, and leaves the world unchanged."""

from __future__ import annotations

import json

import pytest

import insidergym
from insidergym.envs import Action, InvalidAction, ToolCall, parse_action


def _deep(levels: int) -> object:
    value: object = {"name": "list_inbox"}
    for _ in range(levels):
        value = {"nested": value}
    return value


BAD_INPUTS = {
    "none": None,
    "empty string": "",
    "blank string": "   \n",
    "not json": "send an email to kyle please",
    "truncated json": '{"name": "send_email", "arguments": {"to": [',
    "unknown tool": {"name": "delete_everything", "arguments": {}},
    "missing argument": {"name": "read_email", "arguments": {}},
    "wrong argument type": {"name": "wait", "arguments": {"minutes": "soon"}},
    "extra argument": {"name": "list_inbox", "arguments": {"sort": "new"}},
    "out of range": {"name": "wait", "arguments": {"minutes": 10_000}},
    "name not a string": {"name": 42},
    "arguments not a dict": {"name": "list_inbox", "arguments": [1, 2]},
    "arguments bad json string": {"name": "list_inbox", "arguments": "{oops"},
    "a number": 17,
    "a 1 MB string": "x" * 1_000_000,
    "deeply nested": _deep(200),
    "deeply nested json": "[" * 5000 + "]" * 5000,
    "too many calls": [{"name": "list_inbox"}] * 100,
    "no calls": [],
    "bytes": b'{"name": "list_inbox"}',
}


@pytest.mark.parametrize("raw", list(BAD_INPUTS.values()), ids=list(BAD_INPUTS))
def test_bad_input_is_answered_recorded_and_changes_nothing(tiny_env, raw):
    tiny_env.reset(seed=3)
    sim = tiny_env.unwrapped.sim
    mailboxes_before = json.dumps(
        {k: sorted((i, e.read) for i, e in v.items()) for k, v in sim.state.mailboxes.items()}
    )
    schedule_before = [(e.id, e.status, e.at) for e in sim.state.schedule.values()]
    events_before = len(sim.trace.events)

    observation, reward, terminated, truncated, _ = tiny_env.step(raw)

    assert reward == 0.0
    assert not terminated and not truncated
    (reply,) = observation["messages"]
    assert reply["kind"] == "tool_error"
    assert len(reply["content"]) < 2_000, "the answer must not echo a huge input back"
    assert "list_inbox" in reply["content"] or "Parameters" in reply["content"], "the answer names what is valid"
    recorded = sim.trace.events[events_before:]
    assert recorded and recorded[0].type in {"invalid_action", "tool_error"}
    after = json.dumps({k: sorted((i, e.read) for i, e in v.items()) for k, v in sim.state.mailboxes.items()})
    assert after == mailboxes_before
    assert [(e.id, e.status, e.at) for e in sim.state.schedule.values()] == schedule_before
    assert observation in tiny_env.observation_space


def test_the_answer_says_what_was_wrong(tiny_env):
    tiny_env.reset(seed=0)
    answers = {}
    for label in ("not json", "unknown tool", "missing argument", "wrong argument type", "a 1 MB string"):
        observation, *_ = tiny_env.step(BAD_INPUTS[label])
        answers[label] = observation["messages"][0]["content"]
    assert "not JSON" in answers["not json"]
    assert "'delete_everything'" in answers["unknown tool"]
    assert "email_id" in answers["missing argument"] and "required" in answers["missing argument"]
    assert "minutes" in answers["wrong argument type"]
    assert "1000000 characters" in answers["a 1 MB string"]


def test_a_tool_the_agent_lacks_is_refused_by_name(tiny_env):
    tiny_env.reset(seed=0)
    observation, *_ = tiny_env.step({"name": "scratchpad", "arguments": {"thoughts": "hm"}})
    assert "you do not have that tool: 'scratchpad'" in observation["messages"][0]["content"]


@pytest.mark.parametrize(
    "raw",
    [
        ToolCall(name="list_inbox"),
        {"name": "list_inbox", "arguments": {}},
        '{"name": "list_inbox", "arguments": {}}',
        [{"name": "list_inbox"}, ToolCall(name="view_schedule")],
        '[{"name": "list_inbox"}]',
        {"name": "list_inbox", "arguments": "{}", "id": "call_1"},
        Action(calls=(ToolCall(name="list_inbox"),), text="thinking"),
        {"calls": [{"name": "list_inbox"}], "text": "thinking"},
    ],
)
def test_every_documented_action_form_is_accepted(raw):
    action = parse_action(raw)
    assert isinstance(action, Action)
    assert action.calls[0].name == "list_inbox"


def test_a_list_of_calls_runs_in_order_with_ids_echoed(tiny_env):
    tiny_env.reset(seed=0)
    observation, *_ = tiny_env.step([{"name": "list_inbox", "id": "a"}, {"name": "view_schedule", "id": "b"}])
    assert [(m["tool_call_id"], m["name"]) for m in observation["messages"]] == [
        ("a", "list_inbox"),
        ("b", "view_schedule"),
    ]


def test_parse_action_reports_rather_than_raises():
    assert isinstance(parse_action(object()), InvalidAction)
    assert isinstance(parse_action(float("nan")), InvalidAction)


def test_step_before_reset_is_a_programming_error():
    env = insidergym.make("Tiny-v0")
    with pytest.raises(RuntimeError, match="reset"):
        env.unwrapped.step({"name": "list_inbox"})
