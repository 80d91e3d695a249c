"""Hypothesis strategies for hostile input (what an agent or a model might send), and the checks the fuzz suites
share: a snapshot of the world an invalid action must leave as it was, and the trace file against memory."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from insidergym import load_trace
from insidergym.sim import Action, ToolCall, ToolSpec, Trace


class ReprRaises:
    """An object whose repr raises: an excerpt must never call it."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class StrRaises:
    def __str__(self) -> str:
        raise RuntimeError("no str")

    __repr__ = __str__


def nested(levels: int, *, as_list: bool = False) -> Any:
    value: Any = [] if as_list else {}
    for _ in range(levels):
        value = [value] if as_list else {"a": value}
    return value


# Text that includes lone surrogates (which UTF-8 cannot encode) and the odd control or astral character.
characters = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),
    st.sampled_from(["\x00", "\n", "\ufffd", "\U0001f600", "\u202e", "<", "{", '"', "\\"]),
)
text = st.text(characters, max_size=30)
# Numbers a JSON reader refuses or loses: huge integers, infinities, NaN.
numbers = st.one_of(
    st.integers(),
    st.integers(99, 120).map(lambda digits: 10**digits + 7),
    st.sampled_from([5000, 4400, 4301]).map(lambda digits: 10**digits),  # past what Python converts to text
    st.sampled_from([float("inf"), float("-inf"), float("nan"), -0.0, 1e308]),
    st.floats(),
)
# Values that are not JSON data at all.
objects = st.one_of(
    st.binary(max_size=20),
    st.builds(object),
    st.builds(ReprRaises),
    st.builds(StrRaises),
    st.sets(st.integers(), max_size=3),
    st.just(Ellipsis),
    st.builds(bytearray, st.binary(max_size=5)),
)
leaves = st.one_of(st.none(), st.booleans(), numbers, text, objects)
keys = st.one_of(text, st.sampled_from(["to", "subject", "body", "query", "email_id", "minutes", "name", "arguments"]))
hostile_keys = st.one_of(keys, st.integers(), st.none(), st.tuples(st.integers()), st.builds(ReprRaises))
plain = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
"""Plain JSON data (what is well formed, if not what a tool wants)."""
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children),
        st.dictionaries(keys, children, max_size=4),
        st.dictionaries(hostile_keys, children, max_size=2),
    ),
    max_leaves=15,
)
"""Any data an agent might put in an action: plain JSON mixed with everything that is not."""
deep = st.one_of(
    st.integers(30, 40).map(nested),
    st.sampled_from([900, 5000]).map(nested),
    st.sampled_from([900, 5000]).map(lambda n: nested(n, as_list=True)),
)
_HUGE = {
    "a 2 MB string": lambda: "x" * 2_000_000,
    "a 2 MB body": lambda: {"name": "send_email", "arguments": {"body": "x" * 2_000_000}},
    "a million items": lambda: ["x"] * 1_000_000,
    "300,000 keys": lambda: {str(i): i for i in range(300_000)},
    "a 300,000-character key": lambda: {"k" * 300_000: 1},
}
huge = st.sampled_from(sorted(_HUGE)).map(lambda name: _HUGE[name]())
"""Payloads far over the size limit (made when drawn, not at import)."""


def json_text(value: Any) -> str:
    """`value` as JSON text where it can be written, else Python's rendering of it (not JSON either)."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return "{'not': json}"


_ODD_JSON = {
    "brackets": lambda: "[" * 5000,
    "braces": lambda: '{"a":' * 5000,
    "nested 900": lambda: json.dumps(nested(900)),
    "long number": lambda: '{"minutes": ' + "9" * 5000 + "}",
    "NaN": lambda: '{"minutes": NaN}',
    "Infinity": lambda: '{"minutes": Infinity}',
    "escaped surrogate": lambda: '"\\ud83d"',
    "escaped surrogate in an object": lambda: '{"body": "\\udcff"}',
    "empty": lambda: "",
    "blank": lambda: "   ",
    "null": lambda: "null",
    "a list": lambda: "[]",
    "broken": lambda: "{oops",
}
json_like_text = st.one_of(
    values.map(json_text), text, st.sampled_from(sorted(_ODD_JSON)).map(lambda name: _ODD_JSON[name]())
)


# Odd but valid text: any character but a lone surrogate.
valid_text = st.text(
    st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(["\x00", "\u202e", "\U0001f600", "\n"])),
    max_size=40,
)


def _argument(schema: dict[str, Any], vocabulary: list[str]) -> st.SearchStrategy[Any]:
    """Values for one parameter: mostly what its schema allows (ids and addresses of the world among them)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([_argument(option, vocabulary) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "string":
        return st.one_of(st.sampled_from(vocabulary), valid_text)
    if kind == "integer":
        low, high = schema.get("minimum", -(10**6)), schema.get("maximum", 10**6)
        return st.integers(low - 2, high + 2)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(_argument(schema.get("items", {}), vocabulary), max_size=3)
    return plain


def well_formed(specs: list[ToolSpec], vocabulary: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Calls that match a tool's schema (or nearly: a bound crossed, a field left out), with odd valid text."""
    strategies = []
    for spec in specs:
        properties = spec.parameters.get("properties", {})
        required = set(spec.parameters.get("required", ()))
        arguments = st.fixed_dictionaries(
            {name: _argument(schema, vocabulary) for name, schema in properties.items() if name in required},
            optional={
                name: _argument(schema, vocabulary) for name, schema in properties.items() if name not in required
            },
        )
        strategies.append(st.fixed_dictionaries({"name": st.just(spec.name), "arguments": arguments}))
    return st.one_of(strategies)


def tool_calls(names: list[str]) -> st.SearchStrategy[Any]:
    """Calls of these tools (and of others) with arguments from plain to hostile, in every form step accepts."""
    name = st.one_of(st.sampled_from(names), text, st.integers(), st.none())
    arguments = st.one_of(
        st.dictionaries(keys, st.one_of(plain, values), max_size=4),
        json_like_text,
        values,
        deep,
    )
    as_dict = st.fixed_dictionaries({"name": name, "arguments": arguments}, optional={"id": st.one_of(text, values)})
    as_object = st.builds(
        ToolCall,
        name=st.one_of(st.sampled_from(names), text),
        arguments=st.dictionaries(keys, values, max_size=3),
        id=st.one_of(st.none(), text),
    )
    return st.one_of(as_dict, as_object)


def actions(specs: list[ToolSpec], vocabulary: list[str]) -> st.SearchStrategy[Any]:
    """Anything an agent might pass to `step`: calls of its tools that run, and everything that must not."""
    names = [spec.name for spec in specs] + ["scratchpad", "no_such_tool"]
    good = well_formed(specs, vocabulary)
    call = st.one_of(good, tool_calls(names))
    action = st.builds(
        Action,
        calls=st.lists(st.builds(ToolCall, name=st.sampled_from(names), arguments=st.dictionaries(keys, values)))
        .map(tuple)
        .filter(lambda calls: len(calls) <= 4),
        text=st.one_of(st.none(), text),
        record=st.one_of(st.none(), st.dictionaries(keys, values, max_size=3)),
    )
    return st.one_of(
        good,
        st.lists(good, min_size=1, max_size=3),
        good.map(json_text),
        call,
        st.lists(call, max_size=3),
        call.map(json_text),
        st.lists(call, max_size=3).map(json_text),
        st.fixed_dictionaries({"calls": st.lists(call, max_size=2), "text": st.one_of(text, values)}),
        action,
        values,
        json_like_text,
        deep,
        huge,
    )


def world(state: Any) -> dict[str, bytes]:
    """What an invalid action must not change: the clock, mail, schedule, calendar, documents, systems."""
    parts = ("now", "emails", "mailboxes", "schedule", "calendar", "documents", "systems", "decommissioned")
    return {name: pickle.dumps(getattr(state, name)) for name in parts}


def assert_file_matches_memory(path: Path, trace: Trace) -> None:
    """The trace file loads, with every event and flag memory has, and memory saves."""
    loaded = load_trace(path)
    assert [e.model_dump_json() for e in loaded.events] == [e.model_dump_json() for e in trace.events]
    assert [f.model_dump_json() for f in loaded.flags] == [f.model_dump_json() for f in trace.flags]
    trace.save(path.with_suffix(".saved.jsonl"))


def with_session(folder: Path, source: Path, extra: str) -> Path:
    """A copy of a world folder whose inline `session: {...}` gets more settings."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        (folder / item.name).write_text(item.read_text())
    world_file = folder / "world.yaml"
    text = world_file.read_text()
    start = text.index("session: {")
    end = text.index("}", start)
    world_file.write_text(f"{text[:end]}, {extra}{text[end:]}")
    return folder
