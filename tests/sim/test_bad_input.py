"""Input that used to raise or lose data (issue 12): each case is refused with a reason naming the problem, is
recorded in a form the trace file holds, changes nothing in the world, and leaves the file and memory agreeing.
A bad call costs the world's `session.invalid_action_seconds` (by default `tool_costs.default`)."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

import insidergym
from insidergym import UnknownNameError, load_trace
from insidergym.envs import Action, InvalidAction, ToolCall, parse_action
from insidergym.sim import ModelCall, Trace, TraceHeader, check_json, excerpt, repair_json
from tests.conftest import DATA


class ReprRaises:
    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


def deep_dict(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def deep_list(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels):
        value = [value]
    return value


# Each case: what the agent sends, and words the reason must hold.
CASES: dict[str, tuple[Any, str]] = {
    "lone surrogate in a JSON string": (
        '{"name": "send_email", "arguments": {"to": ["bo.boss@tiny.example"], "subject": "Hi", "body": "a \\ud83d"}}',
        "arguments.body holds a lone surrogate \\ud83d",
    ),
    "lone surrogate in a dict": (
        {"name": "send_email", "arguments": {"to": ["bo@tiny.example"], "subject": "Hi \ud83d", "body": "b"}},
        "arguments.subject holds a lone surrogate",
    ),
    "invalid byte decoded with surrogateescape": (
        {"name": "search_email", "arguments": {"query": b"caf\xe9".decode("utf-8", "surrogateescape")}},
        "\\udce9",
    ),
    "lone surrogate in the tool name": ({"name": "list_inbox\udc80"}, "name holds a lone surrogate"),
    "lone surrogate in a key": ({"name": "list_inbox", "arguments": {"\ud800": 1}}, "key holding a lone surrogate"),
    "lone surrogate in the free text": (Action(calls=(ToolCall(name="list_inbox"),), text="hm \ud83d"), "text holds"),
    "bytes": (b'{"name": "list_inbox"}', "bytes, not text"),
    "bytes as an argument": ({"name": "search_email", "arguments": {"query": b"x"}}, "arguments.query is bytes"),
    "an unknown object as an argument": ({"name": "search_email", "arguments": {"query": object()}}, "not JSON data"),
    "an object whose repr raises": (ReprRaises(), "an object of type ReprRaises"),
    "an argument whose repr raises": ({"name": "search_email", "arguments": {"query": ReprRaises()}}, "ReprRaises"),
    "a ToolCall holding an object": (ToolCall(name="search_email", arguments={"query": {1, 2}}), "type set"),
    "a set": ({1, 2}, "type set"),
    "a key that is not a string": ({"name": "list_inbox", "arguments": {(1, 2): "x"}}, "key of type tuple"),
    "None as a key": ({None: "list_inbox"}, "key of type NoneType"),
    "arguments nested 900 deep": ({"name": "search_email", "arguments": deep_dict(900)}, "nested deeper than 32"),
    "a dict nested 5,000 deep": (deep_dict(5000), "nested deeper than 32"),
    "a list nested 5,000 deep": (deep_list(5000), "nested deeper than 32"),
    "arguments as a JSON string of 5,000 brackets": ({"name": "list_inbox", "arguments": "[" * 5000}, "too deeply"),
    "arguments as a JSON string nested 900 deep": (
        {"name": "list_inbox", "arguments": json.dumps(deep_dict(900))},
        "nested deeper than",
    ),
    "a number over 4,300 digits in JSON text": (
        '{"name": "wait", "arguments": {"minutes": ' + "9" * 5000 + "}}",
        "4300",
    ),
    "a number over 4,300 digits in arguments text": (
        {"name": "wait", "arguments": '{"minutes": ' + "9" * 5000 + "}"},
        "too long to read",
    ),
    "a number over 4,300 digits": ({"name": "wait", "arguments": {"minutes": 10**5000}}, "about 5001 digits"),
    "a number of 200 digits": ({"name": "wait", "arguments": {"minutes": 10**200}}, "the limit is 100 digits"),
    "infinity": ({"name": "wait", "arguments": {"minutes": float("inf")}}, "inf, not a JSON number"),
    "NaN": ({"name": "wait", "arguments": {"minutes": float("nan")}}, "nan, not a JSON number"),
    "NaN in JSON text": ('{"name": "wait", "arguments": {"minutes": NaN}}', "nan, not a JSON number"),
    "a 16 MB body in a dict": (
        {"name": "send_email", "arguments": {"to": ["bo@tiny.example"], "subject": "x", "body": "x" * 16_000_000}},
        "larger than 200000 characters",
    ),
    "ten million list items": ({"name": "send_email", "arguments": {"to": [""] * 10_000_000}}, "larger than"),
    "a 16 MB key": ({"name": "list_inbox", "arguments": {"k" * 16_000_000: 1}}, "larger than"),
}


def _world(state: Any) -> dict[str, bytes]:
    """What an invalid action must not change: the clock, mail, schedule, calendar, documents, systems."""
    parts = ("now", "emails", "mailboxes", "schedule", "calendar", "documents", "systems", "decommissioned")
    return {name: pickle.dumps(getattr(state, name)) for name in parts}


def _file_matches_memory(path: Path, trace: Trace) -> None:
    loaded = load_trace(path)
    assert [e.model_dump_json() for e in loaded.events] == [e.model_dump_json() for e in trace.events]
    assert [f.model_dump_json() for f in loaded.flags] == [f.model_dump_json() for f in trace.flags]


@pytest.mark.parametrize(("raw", "reason"), list(CASES.values()), ids=list(CASES))
def test_bad_input_is_refused_by_name_recorded_safely_and_changes_nothing(tmp_path, raw, reason):
    path = tmp_path / "trace.jsonl"
    env = insidergym.make("Tiny-v0", trace_path=path)
    env.reset(seed=1)
    sim = env.unwrapped.sim
    before, events_before, clock = _world(sim.state), len(sim.trace.events), sim.state.now

    start = time.perf_counter()
    observation, _, terminated, truncated, info = env.step(raw)
    took = time.perf_counter() - start

    assert took < 1.0, "a hostile input is refused fast (its size is measured before it is validated)"
    (answer,) = observation["messages"]
    assert answer["kind"] == "tool_error" and reason in answer["content"]
    assert len(answer["content"]) < 2_000 and "list_inbox" in answer["content"]
    (event,) = info["events"]
    assert event.type == "invalid_action" and reason in event.reason
    assert len(event.received) < 300 and check_json(event.received) is None, "the excerpt is short and writable"
    assert not (terminated or truncated)
    assert sim.state.now == clock + dt.timedelta(seconds=10), "a bad call costs tool_costs.default by default"
    after = _world(sim.state)
    after["now"] = before["now"]
    assert after == before
    assert len(sim.trace.events) == events_before + 1
    _file_matches_memory(path, sim.trace)
    env.unwrapped.trace.save(tmp_path / "saved.jsonl")
    assert load_trace(tmp_path / "saved.jsonl").events == sim.trace.events
    env.step({"name": "list_inbox"})  # and the episode goes on
    _file_matches_memory(path, sim.trace)


def test_lone_surrogates_are_shown_as_the_replacement_character_in_the_excerpt():
    refused = parse_action('{"name": "list_inbox", "arguments": {"x": "\ud83d"}}')
    assert isinstance(refused, InvalidAction)
    assert refused.received == '{"name": "list_inbox", "arguments": {"x": "\ufffd"}}'
    assert "\\ud83d" in refused.reason, "the reason names the bad character, escaped"


def test_excerpts_never_call_repr_on_unknown_objects_and_stay_short():
    assert excerpt(ReprRaises()) == "<ReprRaises object>"
    assert (
        excerpt({"a": [ReprRaises(), b"x", 10**5000]})
        == "{'a': [<ReprRaises object>, b'x', <a number of about 5001 digits>]}"
    )
    assert excerpt(deep_dict(5000)).endswith("characters)")
    assert excerpt({"name": "list_inbox", "arguments": {}}) == repr({"name": "list_inbox", "arguments": {}})
    assert len(excerpt(["x" * 100] * 100_000)) < 300


def test_a_model_record_is_repaired_and_says_so_rather_than_refused():
    action = Action(
        calls=(ToolCall(name="list_inbox"),),
        record={"text": "hi \ud83d", "raw": b"\xff", "usage": {"n": float("inf")}, "odd": ReprRaises()},
    )
    parsed = parse_action(action)
    assert isinstance(parsed, Action) and parsed.record is not None
    assert parsed.record["text"] == "hi \ufffd" and parsed.record["odd"] == "<ReprRaises object>"
    assert any("lone surrogate" in note for note in parsed.record["repaired"])
    assert check_json(parsed.record) is None


def test_repair_json_keeps_clean_data_as_it_is():
    data = {"a": [1, 2.5, None, True, "é"], "b": {"c": "d"}}
    repaired, notes = repair_json(data)
    assert repaired is data and notes == []


def _with_session(tmp_path: Path, extra: str) -> Path:
    """A copy of the Tiny world with more session settings."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    for source in (DATA / "tiny").iterdir():
        (folder / source.name).write_text(source.read_text())
    world = folder / "world.yaml"
    world.write_text(world.read_text().replace("max_steps: 50}", f"max_steps: 50, {extra}}}"))
    return folder


@pytest.mark.parametrize("seconds", [0, 45])
def test_the_cost_of_a_bad_call_is_a_world_setting(tmp_path, seconds):
    env = insidergym.make(_with_session(tmp_path, f"invalid_action_seconds: {seconds}"))
    env.reset(seed=0)
    sim = env.unwrapped.sim
    start = sim.state.now
    env.step("not json")  # unreadable
    env.step({"name": "no_such_tool"})  # unknown tool
    env.step({"name": "read_email", "arguments": {}})  # arguments the tool refuses
    assert sim.state.now == start + dt.timedelta(seconds=3 * seconds)
    env.step({"name": "list_inbox"})
    assert sim.state.now == start + dt.timedelta(seconds=3 * seconds + 10), "good calls cost what they did"


def test_a_negative_cost_is_refused_when_the_world_loads(tmp_path):
    with pytest.raises(insidergym.WorldFileError, match="invalid_action_seconds"):
        insidergym.make(_with_session(tmp_path, "invalid_action_seconds: -1"))


# -- the trace file and memory -------------------------------------------------------------------------------------


class Boom:
    """A detector with a bug: it raises on the first tool result."""

    name, version, behaviors = "boom", "1", ("blackmail",)

    def observe(self, event: Any, state: Any) -> list:
        if event.type == "tool_result":
            raise RuntimeError("detector bug")
        return []


def test_a_failure_inside_a_step_still_writes_what_was_recorded(tmp_path):
    path = tmp_path / "trace.jsonl"
    env = insidergym.make("Tiny-v0", trace_path=path, detectors=[Boom()])
    env.reset(seed=0)
    with pytest.raises(RuntimeError, match="detector bug"):
        env.step({"name": "list_inbox"})
    sim = env.unwrapped.sim
    assert [e.type for e in sim.trace.events[-2:]] == ["tool_call", "tool_result"]
    _file_matches_memory(path, sim.trace)
    sim.trace.save(tmp_path / "saved.jsonl")


def test_an_event_a_plugin_fills_with_unwritable_data_is_repaired_with_a_warning(tmp_path):
    trace = Trace(TraceHeader(world="w", factors={}, seed=0, agents={}, insidergym_version="0"))
    event = ModelCall(id="ev-000001", step=1, time=dt.datetime(2025, 1, 1), record={"x": object(), "y": "\udcff"})
    with pytest.warns(RuntimeWarning, match="recorded repaired"):
        stored, line = trace.append(event)
    assert trace.events == [stored] and stored.record == {"x": "<object object>", "y": "\ufffd"}
    assert json.loads(line)["record"]["y"] == "\ufffd"
    trace.save(tmp_path / "t.jsonl")


def test_a_clean_event_is_stored_as_it_is_without_warning():
    trace = Trace(TraceHeader(world="w", factors={}, seed=0, agents={}, insidergym_version="0"))
    event = ModelCall(id="ev-000001", step=1, time=dt.datetime(2025, 1, 1), record={"x": "y"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stored, line = trace.append(event)
    assert stored is event and line == event.model_dump_json()


# -- PettingZoo's parallel env ---------------------------------------------------------------------------------------


def test_parallel_step_with_a_none_key_names_the_mistake_and_changes_nothing(tmp_path):
    env = insidergym.parallel_env(DATA / "duo", trace_path=tmp_path / "t.jsonl")
    env.reset(seed=0)
    before, events = _world(env.sim.state), len(env.trace.events)
    with pytest.raises(UnknownNameError, match=r"unknown agent None\. Valid: 'mail-bot', 'ops-bot'"):
        env.step({None: {"name": "list_inbox"}})
    assert _world(env.sim.state) == before and len(env.trace.events) == events
    _file_matches_memory(tmp_path / "t.jsonl", env.trace)


def test_parallel_step_records_the_agents_left_out(tmp_path):
    env = insidergym.parallel_env(DATA / "duo", trace_path=tmp_path / "t.jsonl")
    env.reset(seed=0)
    _, _, _, _, infos = env.step({"mail-bot": {"name": "list_inbox"}})
    (idle,) = [e for e in infos["ops-bot"]["events"] if e.type == "agent_idle"]
    assert idle.actor == "ops-bot" and "left out" in idle.reason
    _, _, _, _, infos = env.step({})
    assert sorted(e.actor for e in infos["ops-bot"]["events"] if e.type == "agent_idle") == ["mail-bot", "ops-bot"]
    _file_matches_memory(tmp_path / "t.jsonl", env.trace)
    assert "ops-bot did nothing" in env.trace.events[-1].render_plain()
