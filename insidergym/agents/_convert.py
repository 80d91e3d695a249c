"""Observations to provider messages, and provider replies to what the agent records and returns.

The agent keeps its own history: the assistant turn that made the tool calls, then the turn built here from the
next observation. Both providers insist that every tool call of the assistant turn is answered before anything
else is said, so the converters answer them all: by id first, then results without an id by tool name in order,
and any call still unanswered with a short note saying it was not run (the environment refuses an action as a
whole when it cannot read it).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from insidergym.sim import MAX_NESTING, Action, ToolCall, check_json, repair_json, repair_text

__all__ = [
    "NOTHING_NEW",
    "NOT_RUN",
    "ModelReply",
    "PendingCall",
    "anthropic_user_turn",
    "compose_text",
    "openai_assistant_message",
    "openai_messages",
    "plain",
    "public_url",
    "read_arguments",
    "read_id",
    "read_name",
    "safe_reply",
]

NOTHING_NEW = "(Nothing new.)"
"""The text of a turn made from an observation with no messages: both APIs need the turn to say something."""

NOT_RUN = "Error: this call was not run (its action was refused, or the session stopped before it)."
"""The answer to a tool call that the observation leaves unanswered."""

_KINDS = ("user", "tool_result", "tool_error", "notification")


@dataclass(frozen=True)
class PendingCall:
    """A tool call of the last assistant turn, waiting for its result."""

    id: str
    name: str


@dataclass(frozen=True)
class _Answered:
    """The observation, sorted: one answer per pending call (in call order), then the rest as text."""

    results: list[tuple[PendingCall, str, bool]]
    """(call, content, is_error) for each pending call."""
    texts: list[str]


def _error_text(content: str) -> str:
    # OpenAI has no error flag on a tool message, so the text has to say it.
    return content if content.lstrip().lower().startswith("error") else f"Error: {content}"


def _sort(
    observation: Mapping[str, Any],
    pending: Sequence[PendingCall],
    notes: Mapping[str, str],
    show_time: bool,
) -> _Answered:
    messages = observation.get("messages", ())
    if isinstance(messages, str | bytes) or not isinstance(messages, Sequence):
        raise TypeError(f"observation['messages'] must be a sequence of messages; got {type(messages).__name__}")
    answers: dict[str, tuple[str, bool]] = {}
    texts: list[str] = []
    if show_time and observation.get("time"):
        texts.append(f"Current time: {observation['time']}")
    by_id = {call.id: call for call in pending}
    for index, message in enumerate(messages):
        kind = message.get("kind")
        if kind not in _KINDS:
            raise ValueError(f"observation message {index} has kind {kind!r}; valid: {', '.join(_KINDS)}")
        content = str(message.get("content", ""))
        if kind in ("user", "notification"):
            texts.append(content)
            continue
        is_error = kind == "tool_error"
        call_id = message.get("tool_call_id") or ""
        name = message.get("name") or ""
        if not call_id and name:
            # A result without an id answers the first unanswered call of that tool.
            call_id = next((c.id for c in pending if c.name == name and c.id not in answers), "")
        if call_id in by_id and call_id not in answers:
            answers[call_id] = (content, is_error)
        elif is_error:
            texts.append(_error_text(content) if not name else f"Error from {name}: {content}")
        else:
            texts.append(f"Result of {name or 'a tool call'}" + (f" ({call_id})" if call_id else "") + f":\n{content}")
    results = []
    for call in pending:
        content, is_error = answers.get(call.id, (notes.get(call.id, NOT_RUN), True))
        results.append((call, content, is_error))
    return _Answered(results=results, texts=texts)


def openai_messages(
    observation: Mapping[str, Any],
    *,
    pending: Sequence[PendingCall] = (),
    notes: Mapping[str, str] | None = None,
    show_time: bool = False,
) -> list[dict[str, Any]]:
    """OpenAI chat messages for one observation, to follow the assistant message that made `pending` calls.

    Tool results become `role: tool` messages carrying their `tool_call_id` (errors say so in the text: the API
    has no error flag); everything else (the opening message, notifications, an error about an action that could
    not be read) becomes `role: user` messages, after all the tool messages.

    Args:
        observation: The env's observation (`time`, `messages`).
        pending: The calls of the last assistant message, each of which must be answered.
        notes: Answers for calls the agent itself could not read (by call id), used when the env did not answer.
        show_time: Add a line with the simulated time.
    """
    sorted_ = _sort(observation, pending, notes or {}, show_time)
    messages: list[dict[str, Any]] = [
        {"role": "tool", "tool_call_id": call.id, "content": _error_text(content) if is_error else content}
        for call, content, is_error in sorted_.results
    ]
    messages.extend({"role": "user", "content": text} for text in sorted_.texts)
    if not messages:
        messages.append({"role": "user", "content": NOTHING_NEW})
    return messages


def openai_assistant_message(text: str | None, tool_calls: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """The assistant message to keep in the history.

    Args:
        text: The reply's text.
        tool_calls: Each call's `id`, `name` and `arguments` (the JSON string exactly as the model wrote it).
    """
    # With tool calls the content may be null; without, it must be a string.
    message: dict[str, Any] = {"role": "assistant", "content": text or (None if tool_calls else "")}
    if tool_calls:
        message["tool_calls"] = [
            {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}}
            for c in tool_calls
        ]
    return message


def anthropic_user_turn(
    observation: Mapping[str, Any],
    *,
    pending: Sequence[PendingCall] = (),
    notes: Mapping[str, str] | None = None,
    show_time: bool = False,
) -> dict[str, Any]:
    """One Anthropic user turn for one observation: all tool results first, then text blocks.

    Every `tool_use` of the previous assistant turn gets its `tool_result` block (with `is_error` for errors) in
    this one turn, as the API requires; the opening message, notifications and errors about unreadable actions
    follow as text blocks.

    Args:
        observation: The env's observation (`time`, `messages`).
        pending: The `tool_use` calls of the last assistant turn.
        notes: Answers for calls the agent itself could not read (by call id), used when the env did not answer.
        show_time: Add a text block with the simulated time.
    """
    sorted_ = _sort(observation, pending, notes or {}, show_time)
    blocks: list[dict[str, Any]] = []
    for call, content, is_error in sorted_.results:
        block: dict[str, Any] = {"type": "tool_result", "tool_use_id": call.id, "content": content}
        if is_error:
            block["is_error"] = True
        blocks.append(block)
    # The API refuses empty text blocks.
    blocks.extend({"type": "text", "text": text} for text in sorted_.texts if text.strip())
    if not blocks:
        blocks.append({"type": "text", "text": NOTHING_NEW})
    return {"role": "user", "content": blocks}


def read_arguments(raw: object) -> dict[str, Any] | str:
    """A tool call's arguments as a dict, or the reason they cannot be read (the model's mistake): not JSON, not
    an object, or not data the environment takes (lone surrogates, numbers too long, too deep, too large)."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as err:
            return f"arguments are not valid JSON ({err.msg} at character {err.pos})"
        except RecursionError:
            return "arguments are nested too deeply"
        except ValueError:  # Python reads integers of at most 4,300 digits
            return "arguments hold a number too long to read (more than 4300 digits)"
    else:
        value = raw
    if not isinstance(value, dict):
        return f"arguments must be a JSON object; got {type(value).__name__}"
    # Checked as the environment checks a call, so that what passes here passes there.
    problem = check_json({"arguments": value}, what="the call", max_depth=MAX_NESTING)
    return value if problem is None else problem


def read_id(raw: object, fallback: str) -> str:
    """A tool call's id as sent, or `fallback` when it is missing or unusable (not text, too long)."""
    usable = isinstance(raw, str) and raw and check_json(raw, what="id", max_chars=256) is None
    return raw if usable and isinstance(raw, str) else fallback


def read_name(raw: object) -> str | None:
    """Why a tool call's name cannot be used, or None when it can."""
    if not isinstance(raw, str):
        return f"the tool name must be a string; got {type(raw).__name__}"
    return check_json(raw, what="the tool name", max_chars=1_000)


def safe_reply(parsed: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A read reply with everything a trace or the next request cannot carry repaired (lone surrogates become
    U+FFFD, objects a placeholder), and notes on what was; the reply itself when nothing needed it."""
    return repair_json(parsed, what="reply")


def public_url(url: str | None) -> str | None:
    """A base URL fit for a record: without user, password, query or fragment."""
    if url is None:
        return None
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def plain(value: Any) -> Any:
    """A pydantic object (or None) as plain JSON data."""
    if value is None:
        return None
    dump = getattr(value, "model_dump", None)
    if not callable(dump):
        return value
    # warnings=False: a non-conforming server's field (a string where an object belongs) is kept as sent.
    try:
        return dump(mode="json", exclude_none=True, warnings=False)
    except ValueError:  # text with lone surrogates: kept as data, repaired with the rest of the reply
        return dump(mode="python", exclude_none=True, warnings=False)


def compose_text(reasoning: str | None, text: str | None) -> str | None:
    """`Action.text`: the model's reasoning inside `<thinking>` tags, then its visible text."""
    parts = []
    if reasoning:
        parts.append(f"<thinking>\n{reasoning}\n</thinking>")
    if text and text.strip():
        parts.append(text)
    # Repaired here too: whatever an adapter missed, the action's text is what a trace can write.
    return repair_text("\n\n".join(parts))[0] or None


@dataclass(frozen=True)
class ModelReply:
    """What one model turn produced, before it becomes an `Action`."""

    text: str | None
    """The visible text (outside any tool call)."""
    reasoning: str | None
    """Thinking or reasoning text, when the provider returns it."""
    calls: tuple[ToolCall, ...]
    invalid_calls: tuple[dict[str, Any], ...] = ()
    """Calls whose arguments could not be read: `id`, `name`, `arguments`, `error`."""
    record: dict[str, Any] = field(default_factory=dict)

    def action(self) -> Action:
        """The action: every call, or none when any call could not be read (the env then reports it)."""
        calls = () if self.invalid_calls else self.calls
        return Action(calls=calls, text=compose_text(self.reasoning, self.text), record=self.record)
