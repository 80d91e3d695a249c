"""What an agent sends: tool calls, and the parser that turns any agent input into them or into a clear refusal.

Everything that reaches the engine from outside (an agent's action, a model's reply) is checked here first, and
cheaply: its total size, its nesting, and that it is plain JSON data a trace can always write (text without lone
surrogates, numbers a JSON reader can read back, no bytes or other objects). What fails is refused as a whole with
the reason and a short excerpt that is itself safe to record: built without calling `repr` on unknown objects,
lone surrogates shown as U+FFFD.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "MAX_ACTION_CHARS",
    "MAX_NESTING",
    "MAX_NUMBER_DIGITS",
    "Action",
    "AgentOutput",
    "InvalidAction",
    "ToolCall",
    "check_json",
    "excerpt",
    "parse_action",
    "repair_json",
    "repair_text",
]

MAX_ACTION_CHARS = 200_000
"""Largest action accepted, in characters of text (a string action's length; for data, the length of its strings
and keys plus one for each value); anything larger is refused as a whole, never cut."""

MAX_CALLS_PER_ACTION = 32
MAX_NESTING = 32
"""Deepest nesting of an action's data (the call itself is level 1)."""

MAX_TEXT_CHARS = 4_000_000
"""Longest free text of an `Action` (a model's text and reasoning: recorded, never run)."""

MAX_NUMBER_DIGITS = 100
"""Longest integer accepted, in digits."""

_BIGGEST = 10**MAX_NUMBER_DIGITS
_SURROGATE = re.compile("[\ud800-\udfff]")
_REPLACEMENT = "\ufffd"
_EXCERPT = 200
_REASON = 1_000
"""Longest reason given back (a reason can quote keys or messages of a huge input)."""


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
    usage, latency, retries). Never holds credentials. Scripted agents leave it empty. Data a trace cannot hold
    (lone surrogates, bytes, objects) is repaired when recorded, and the record's `repaired` says what was."""


AgentOutput = Action | ToolCall | Mapping[str, Any] | Sequence[ToolCall | Mapping[str, Any]] | str
"""Anything an agent may send as its action, and `env.step` accepts: an Action, one or more ToolCalls, the
equivalent dict, or a JSON string. Whatever else arrives is answered with an error message, never raised."""


class InvalidAction(BaseModel):
    """Agent input that could not be read as an action, with the reason an agent can act on."""

    model_config = ConfigDict(frozen=True)

    reason: str
    received: str
    """A short, quoted excerpt of what was received."""


# -- plain JSON data: checked, repaired, quoted ---------------------------------------------------------------------


def _type_name(value: object) -> str:
    try:
        name = type(value).__name__
    except Exception:  # a hostile metaclass
        return "object"
    return repair_text(name)[0] if isinstance(name, str) else "object"


def _where(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            shown = part if len(part) <= 40 else f"{part[:40]}..."
            text += f".{shown}" if text else shown
    return text


def _at(path: tuple[str | int, ...], what: str) -> str:
    """Where in the data a problem is: `arguments.to[0]`, `calls[1].name`, or the data as a whole."""
    if not path:
        return what
    return _where((what, *path)) if isinstance(path[0], int) else _where(path)


def _digits(value: int) -> int:
    """About how many decimal digits an integer has (without converting it: that is refused above 4,300)."""
    return max(1, int(abs(value).bit_length() * 0.30103) + 1)


def _surrogate_at(text: str) -> str | None:
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return f"a lone surrogate \\u{ord(found.group()):04x} at character {found.start()}"


def check_json(
    value: object,
    *,
    max_chars: int = MAX_ACTION_CHARS,
    max_depth: int = MAX_NESTING,
    what: str = "the action",
    calls: bool = False,
) -> str | None:
    """Why `value` is not plain JSON data that a trace can hold and read back, or None when it is.

    Plain JSON data is dicts with string keys, lists and tuples, strings that encode as UTF-8 (no lone
    surrogates), integers of at most `MAX_NUMBER_DIGITS` digits, finite floats, booleans and None. The walk is
    iterative and stops at the first problem or once `max_chars` is passed, so a hostile value costs little.

    Args:
        value: The data.
        max_chars: Largest size accepted: the length of every string and key, plus one for each value.
        max_depth: Deepest nesting accepted (`value` itself is level 1).
        what: How the reason names the data as a whole ("the action", "arguments").
        calls: Also accept `ToolCall` objects (as the dict of their fields).
    """
    stack: list[tuple[object, int, tuple[str | int, ...]]] = [(value, 1, ())]
    size = 0
    while stack:
        item, depth, path = stack.pop()
        if depth > max_depth:
            return f"{what} is nested deeper than {max_depth} levels"
        size += 1
        if isinstance(item, str):
            size += len(item)
            if size > max_chars:
                return f"{what} is larger than {max_chars} characters"
            if not item.isascii() and (bad := _surrogate_at(item)) is not None:
                return f"{_at(path, what)} holds {bad} (not Unicode text); send UTF-8"
        elif item is None or isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not -_BIGGEST < item < _BIGGEST:
                return (
                    f"{_at(path, what)} is a number of about {_digits(item)} digits; "
                    f"the limit is {MAX_NUMBER_DIGITS} digits"
                )
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"{_at(path, what)} is {float.__repr__(item)}, not a JSON number"
        elif isinstance(item, dict):
            size += len(item)
            if size > max_chars:
                return f"{what} is larger than {max_chars} characters"
            for key, sub in dict.items(item):
                if not isinstance(key, str):
                    return f"{_at(path, what)} has a key of type {_type_name(key)}; keys must be strings"
                size += len(key)
                if not key.isascii() and (bad := _surrogate_at(key)) is not None:
                    return f"{_at(path, what)} has a key holding {bad} (not Unicode text); send UTF-8"
                stack.append((sub, depth + 1, (*path, key)))
            if size > max_chars:
                return f"{what} is larger than {max_chars} characters"
        elif isinstance(item, list | tuple):
            size += len(item)
            if size > max_chars:
                return f"{what} is larger than {max_chars} characters"
            stack.extend((sub, depth + 1, (*path, index)) for index, sub in enumerate(item))
        elif calls and isinstance(item, ToolCall):
            fields = {"name": item.name, "arguments": item.arguments, "id": item.id}
            stack.append((fields, depth, path))
        elif isinstance(item, bytes | bytearray | memoryview):
            return f"{_at(path, what)} is bytes, not text; decode them to a string"
        else:
            return f"{_at(path, what)} is an object of type {_type_name(item)}, not JSON data"
    return None


def repair_text(text: str) -> tuple[str, int]:
    """`text` with each lone surrogate (which UTF-8 cannot encode) replaced by U+FFFD, and how many were."""
    if text.isascii():
        return text, 0
    return _SURROGATE.subn(_REPLACEMENT, text)


_KEEP = dt.datetime | dt.date | dt.time | dt.timedelta


def repair_json(
    value: object, *, what: str = "record", max_depth: int = 64, max_chars: int = 4_000_000
) -> tuple[Any, list[str]]:
    """A copy of `value` that a trace can always write, and notes saying what had to change (empty: nothing did).

    Lone surrogates become U+FFFD; bytes are decoded as UTF-8 (errors replaced); integers over
    `MAX_NUMBER_DIGITS` digits and non-finite floats become strings; keys become strings; other objects become a
    short placeholder naming their type (their `repr` is never called); nesting past `max_depth` and text past
    `max_chars` in all are cut. Dates and times are kept. A value that needs nothing is returned as it is.
    """
    if check_json(value, max_chars=max_chars, max_depth=max_depth, what=what) is None:
        return value, []
    notes: list[str] = []
    budget = [max_chars]

    def text(item: str, path: tuple[str | int, ...]) -> str:
        fixed, count = repair_text(item)
        if count:
            notes.append(f"{_where((what, *path))}: {count} lone surrogate(s) replaced with U+FFFD")
        if len(fixed) > budget[0]:
            keep = max(0, budget[0])
            notes.append(f"{_where((what, *path))}: text cut at {keep} of {len(fixed)} characters")
            fixed = fixed[:keep]
        budget[0] -= len(fixed)
        return fixed

    def walk(item: object, depth: int, path: tuple[str | int, ...]) -> Any:
        where = _where((what, *path))
        budget[0] -= 1
        if isinstance(item, str):
            return text(str.__str__(item), path)
        if item is None or isinstance(item, bool | _KEEP):
            return item
        if isinstance(item, int):
            if -_BIGGEST < item < _BIGGEST:
                return int(item)
            notes.append(f"{where}: a number of about {_digits(item)} digits replaced by a note")
            return f"<a number of about {_digits(item)} digits>"
        if isinstance(item, float):
            if math.isfinite(item):
                return float(item)
            notes.append(f"{where}: {float.__repr__(item)} written as a string")
            return float.__repr__(item)
        if depth >= max_depth or budget[0] < 0:
            notes.append(f"{where}: cut ({'nested too deeply' if depth >= max_depth else 'too large'})")
            return "<cut>"
        if isinstance(item, dict):
            repaired: dict[str, Any] = {}
            for key, sub in list(dict.items(item)):
                if isinstance(key, str):
                    name = text(str.__str__(key), path)
                elif key is None or isinstance(key, bool | int | float):
                    name = excerpt(key)
                else:
                    name = f"<{_type_name(key)} key>"
                    notes.append(f"{where}: a key of type {_type_name(key)} replaced by a placeholder")
                repaired[name] = walk(sub, depth + 1, (*path, name))
                if budget[0] < 0:
                    break
            return repaired
        if isinstance(item, list | tuple):
            items = []
            for index, sub in enumerate(item):
                items.append(walk(sub, depth + 1, (*path, index)))
                if budget[0] < 0:
                    break
            return items
        if isinstance(item, bytes | bytearray | memoryview):
            notes.append(f"{where}: bytes decoded as UTF-8")
            return text(bytes(item[: max(0, budget[0])]).decode("utf-8", errors="replace"), path)
        notes.append(f"{where}: an object of type {_type_name(item)} replaced by a placeholder")
        return f"<{_type_name(item)} object>"

    return walk(value, 1, ()), notes


def excerpt(raw: object, limit: int = _EXCERPT) -> str:
    """A short quote of `raw` that a trace can always write: text as it is, other values as Python writes them.

    Built within a bounded budget without calling `repr` on unknown objects (they show as `<type object>`);
    lone surrogates in text show as U+FFFD; anything past `limit` characters is cut, saying how long it was.
    """
    try:
        if isinstance(raw, str):
            head = repair_text(str.__str__(raw[: limit + 1]))[0]
            return head if len(raw) <= limit else f"{head[:limit]}... ({len(raw)} characters)"
        budget = 10 * limit
        parts: list[str] = []
        complete = _quote(raw, parts, [budget], 0)
        text = "".join(parts)
        if complete and len(text) <= limit:
            return text
        total = f"{len(text)} characters" if complete else f"more than {budget} characters"
        return f"{text[:limit]}... ({total})"
    except Exception:  # the quote of a hostile value must never be what fails
        return f"<{_type_name(raw)} object>"


def _quote(item: object, out: list[str], budget: list[int], depth: int) -> bool:
    """Append Python's rendering of plain data to `out` while `budget` lasts; whether `item` was written whole."""
    if budget[0] <= 0:
        return False
    if isinstance(item, str):
        whole = len(item) <= budget[0]
        piece = str.__repr__(str.__str__(item)[: budget[0]])
    elif item is None or isinstance(item, bool):
        whole, piece = True, "None" if item is None else ("True" if item else "False")
    elif isinstance(item, int):
        whole = True
        piece = int.__repr__(item) if -_BIGGEST < item < _BIGGEST else f"<a number of about {_digits(item)} digits>"
    elif isinstance(item, float):
        whole, piece = True, float.__repr__(item)
    elif isinstance(item, bytes | bytearray):
        whole, piece = len(item) <= budget[0], bytes.__repr__(bytes(item[: budget[0]]))
    elif isinstance(item, ToolCall | Action):
        return _quote_items(f"{type(item).__name__}(", ")", _fields(item), out, budget, depth, named=True)
    elif isinstance(item, dict):
        return _quote_items("{", "}", iter(dict.items(item)), out, budget, depth)
    elif isinstance(item, list):
        return _quote_items("[", "]", ((None, v) for v in item), out, budget, depth)
    elif isinstance(item, tuple):
        closing = ",)" if len(item) == 1 else ")"
        return _quote_items("(", closing, ((None, v) for v in item), out, budget, depth)
    else:
        whole, piece = True, f"<{_type_name(item)} object>"
    out.append(piece)
    budget[0] -= len(piece)
    return whole


def _fields(item: ToolCall | Action) -> list[tuple[object, object]]:
    if isinstance(item, ToolCall):
        return [("name", item.name), ("arguments", item.arguments), ("id", item.id)]
    return [("calls", item.calls), ("text", item.text)]


def _quote_items(
    opening: str,
    closing: str,
    entries: Iterable[tuple[object, object]],
    out: list[str],
    budget: list[int],
    depth: int,
    *,
    named: bool = False,
) -> bool:
    if depth >= MAX_NESTING + 8:
        out.append(f"{opening}...{closing}")
        budget[0] -= len(opening) + len(closing) + 3
        return False
    out.append(opening)
    budget[0] -= len(opening)
    for index, (key, value) in enumerate(entries):
        if budget[0] <= 0:
            return False
        if index:
            out.append(", ")
            budget[0] -= 2
        if named:
            out.append(f"{key}=")
            budget[0] -= len(str(key)) + 1
        elif opening == "{":
            if not _quote(key, out, budget, depth + 1):
                return False
            out.append(": ")
            budget[0] -= 2
        if not _quote(value, out, budget, depth + 1):
            return False
    out.append(closing)
    budget[0] -= len(closing)
    return True


# -- actions --------------------------------------------------------------------------------------------------------

_SHAPE = (
    'expected a tool call such as {"name": "list_inbox", "arguments": {}}, a list of them, '
    "a JSON string of either, or an insidergym.ToolCall"
)


def _refusal(reason: str, raw: object) -> InvalidAction:
    reason = repair_text(reason)[0]
    if len(reason) > _REASON:
        reason = f"{reason[:_REASON]}... ({len(reason)} characters)"
    return InvalidAction(reason=reason, received=excerpt(raw))


def _read_json(text: str, subject: str, not_json: str = "not JSON") -> tuple[object, str | None]:
    """Decode JSON text, or say why it cannot be: bad syntax, nesting past the parser's depth, huge numbers."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as err:
        return None, f"{subject} {not_json} ({err.msg} at character {err.pos})"
    except RecursionError:
        return None, f"{subject} JSON nested too deeply"
    except ValueError:  # Python refuses to read integers of more than 4,300 digits
        return None, f"{subject} JSON with a number too long to read (more than 4300 digits)"


def _call_from(item: object, where: str) -> ToolCall | str:
    if isinstance(item, ToolCall):
        return item
    if not isinstance(item, dict):
        return f"{where}: {_SHAPE}; got {_type_name(item)}"
    if not isinstance(item.get("name"), str):
        keys = sorted(map(str, item))
        shown = ", ".join(map(repr, keys[:10])) + (f", ... ({len(keys)} keys)" if len(keys) > 10 else "")
        return f'{where}: a tool call needs "name" (a string); got keys [{shown}]'
    arguments = item.get("arguments", {})
    if isinstance(arguments, str):  # OpenAI sends arguments as a JSON string
        if not arguments.strip():
            arguments = {}
        else:
            arguments, problem = _read_json(arguments, "arguments are", "not valid JSON")
            if problem is not None:
                return f"{where}: {problem}"
            # Checked again: the string passed as text, what it held may not (lone surrogates, deep nesting).
            problem = check_json(arguments, what="arguments", max_depth=MAX_NESTING - 2)
            if problem is not None:
                return f"{where}: {problem}"
    try:
        return ToolCall.model_validate({**item, "arguments": arguments})
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'call'}: {e['msg']}" for e in err.errors()[:10])
        return f"{where}: {problems}"


def parse_action(raw: object) -> Action | InvalidAction:
    """Read whatever an agent sent as an `Action`, or explain why it is not one. Never raises.

    An `Action` is checked too (its calls and text must be plain JSON data); its `record` is repaired rather than
    refused, and says what was repaired under `repaired`. An `InvalidAction` is returned as it is: a saved trace's
    refusal, replayed (`insidergym detect`), is refused again with the reason it was given then.
    """
    if isinstance(raw, InvalidAction):
        return raw
    try:
        return _parse(raw)
    except Exception as err:  # the last line of defence: no input may reach the engine as an exception
        return InvalidAction(reason=f"the action could not be read ({_type_name(err)})", received=excerpt(raw))


def _parse(raw: object) -> Action | InvalidAction:
    if isinstance(raw, Action):
        # The calls as in the dict form (the tuple adds a level); the text, only recorded, may be longer.
        problem = check_json(raw.calls, what="calls", calls=True, max_depth=MAX_NESTING + 1) or check_json(
            raw.text, what="text", max_chars=MAX_TEXT_CHARS
        )
        if problem is not None:
            return _refusal(problem, raw)
        if raw.record is None:
            return raw
        record, notes = repair_json(raw.record)
        if not notes:
            return raw
        repaired = {**record, "repaired": [*record.get("repaired", ()), *notes]} if isinstance(record, dict) else {}
        return raw.model_copy(update={"record": repaired})
    if isinstance(raw, str):
        if len(raw) > MAX_ACTION_CHARS:
            return _refusal(f"the action is {len(raw)} characters long; the limit is {MAX_ACTION_CHARS}", raw)
        if not raw.strip():
            return _refusal(f"the action is empty; {_SHAPE}", repr(raw))
        raw_data, problem = _read_json(raw, "the action is")
        if problem is not None:
            return _refusal(f"{problem}; {_SHAPE}", raw)
        return _parse_data(raw_data, raw)
    return _parse_data(raw, raw)


def _parse_data(data: object, raw: object) -> Action | InvalidAction:
    if data is None:
        return InvalidAction(reason=f"the action is None; {_SHAPE}", received="None")
    problem = check_json(data, calls=True)
    if problem is not None:
        return _refusal(problem, raw)
    if isinstance(data, dict) and ("calls" in data or "text" in data) and "name" not in data:
        items = data.get("calls", [])
        text = data.get("text")
        if text is not None and not isinstance(text, str):
            return _refusal('"text" must be a string', raw)
    else:
        items, text = data, None
    if not isinstance(items, list | tuple):
        items = [items]
    if len(items) > MAX_CALLS_PER_ACTION:
        return _refusal(f"{len(items)} tool calls in one action; the limit is {MAX_CALLS_PER_ACTION}", raw)
    calls: list[ToolCall] = []
    for index, item in enumerate(items):
        call = _call_from(item, f"call {index}" if len(items) > 1 else "action")
        if isinstance(call, str):
            return _refusal(call, raw)
        calls.append(call)
    return Action(calls=tuple(calls), text=text)
