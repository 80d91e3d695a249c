"""What an agent sends: tool calls, and the parser that turns any agent input into them or into a clear refusal."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["MAX_ACTION_CHARS", "Action", "AgentOutput", "InvalidAction", "ToolCall", "parse_action"]

MAX_ACTION_CHARS = 200_000
"""Longest action text accepted; anything longer is refused as a whole, never cut."""

MAX_CALLS_PER_ACTION = 32
MAX_NESTING = 32


class ToolCall(BaseModel):
    """One call of one tool, as an agent asks for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    """The tool's name, as in the tool specs."""
    arguments: dict[str, Any] = Field(default_factory=dict)
    """Keyword arguments, checked against the tool's schema when the call runs."""
    id: str | None = None
    """The caller's id for the call (a model's tool_call id); echoed in the result."""


class Action(BaseModel):
    """Everything an agent does in one step: zero or more tool calls and any free text it wrote beside them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    calls: tuple[ToolCall, ...] = ()
    """The tool calls, run in order."""
    text: str | None = None
    """Free text the agent wrote alongside (a model's message content): recorded, delivered to nobody."""
    record: dict[str, Any] | None = None
    """How the agent came to this action, for the trace: for a model, the call (model, settings, reply, token
    usage, latency, retries). Never holds credentials. Scripted agents leave it empty."""


AgentOutput = Action | ToolCall | Mapping[str, Any] | Sequence[ToolCall | Mapping[str, Any]] | str
"""Anything an agent may send as its action, and `env.step` accepts: an Action, one or more ToolCalls, the
equivalent dict, or a JSON string. Whatever else arrives is answered with an error message, never raised."""


class InvalidAction(BaseModel):
    """Agent input that could not be read as an action, with the reason an agent can act on."""

    model_config = ConfigDict(frozen=True)

    reason: str
    received: str
    """A short, quoted excerpt of what was received."""


def _excerpt(raw: object, limit: int = 200) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _depth(value: object, limit: int) -> int:
    """Nesting depth of JSON-like data, stopping once past `limit` so a hostile input costs little."""
    stack: list[tuple[object, int]] = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list | tuple):
            stack.extend((v, depth + 1) for v in item)
    return deepest


_SHAPE = (
    'expected a tool call such as {"name": "list_inbox", "arguments": {}}, a list of them, '
    "a JSON string of either, or an insidergym.ToolCall"
)


def _call_from(item: object, where: str) -> ToolCall | str:
    if isinstance(item, ToolCall):
        return item
    if not isinstance(item, dict):
        return f"{where}: {_SHAPE}; got {type(item).__name__}"
    if not isinstance(item.get("name"), str):
        return f'{where}: a tool call needs "name" (a string); got keys {sorted(map(str, item))}'
    arguments = item.get("arguments", {})
    if isinstance(arguments, str):  # OpenAI sends arguments as a JSON string
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError as err:
            return f"{where}: arguments are not valid JSON ({err.msg} at character {err.pos})"
    try:
        return ToolCall.model_validate({**item, "arguments": arguments})
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'call'}: {e['msg']}" for e in err.errors())
        return f"{where}: {problems}"


def parse_action(raw: object) -> Action | InvalidAction:
    """Read whatever an agent sent as an `Action`, or explain why it is not one. Never raises.

    An `InvalidAction` is returned as it is: a saved trace's refusal, replayed (`insidergym detect`), is refused again
    with the reason it was given then.
    """
    if isinstance(raw, Action | InvalidAction):
        return raw
    if isinstance(raw, str):
        if len(raw) > MAX_ACTION_CHARS:
            return InvalidAction(
                reason=f"the action is {len(raw)} characters long; the limit is {MAX_ACTION_CHARS}",
                received=_excerpt(raw),
            )
        if not raw.strip():
            return InvalidAction(reason=f"the action is empty; {_SHAPE}", received=repr(raw))
        try:
            raw_data: object = json.loads(raw)
        except (json.JSONDecodeError, RecursionError) as err:
            reason = (
                f"not JSON ({err.msg} at character {err.pos})"
                if isinstance(err, json.JSONDecodeError)
                else ("JSON nested too deeply")
            )
            return InvalidAction(reason=f"the action is {reason}; {_SHAPE}", received=_excerpt(raw))
        return _parse_data(raw_data, raw)
    return _parse_data(raw, raw)


def _parse_data(data: object, raw: object) -> Action | InvalidAction:
    if data is None:
        return InvalidAction(reason=f"the action is None; {_SHAPE}", received="None")
    if _depth(data, MAX_NESTING) > MAX_NESTING:
        return InvalidAction(reason=f"the action is nested deeper than {MAX_NESTING} levels", received=_excerpt(raw))
    if isinstance(data, dict) and ("calls" in data or "text" in data) and "name" not in data:
        items = data.get("calls", [])
        text = data.get("text")
        if text is not None and not isinstance(text, str):
            return InvalidAction(reason='"text" must be a string', received=_excerpt(raw))
    else:
        items, text = data, None
    if not isinstance(items, list | tuple):
        items = [items]
    if len(items) > MAX_CALLS_PER_ACTION:
        return InvalidAction(
            reason=f"{len(items)} tool calls in one action; the limit is {MAX_CALLS_PER_ACTION}",
            received=_excerpt(raw),
        )
    calls: list[ToolCall] = []
    for index, item in enumerate(items):
        call = _call_from(item, f"call {index}" if len(items) > 1 else "action")
        if isinstance(call, str):
            return InvalidAction(reason=call, received=_excerpt(raw))
        calls.append(call)
    return Action(calls=tuple(calls), text=text)
