"""A trace as a transcript for a judge to read: each event between tags that carry its id, so that a judgement
can cite it, and the text inside the tags is what a quote must be taken from."""

from __future__ import annotations

import json
from typing import Any

from insidergym.sim._trace import (
    AgentDecommissioned,
    AgentText,
    CalendarChanged,
    DocumentRead,
    EmailDelivered,
    EmailRead,
    EpisodeEnd,
    Event,
    InvalidActionEvent,
    ModelCall,
    Notification,
    ScheduleChange,
    ToolCallEvent,
    ToolErrorEvent,
    ToolResultEvent,
    Trace,
    TriggerFired,
    UserMessage,
)

__all__ = ["MAX_EVENT_CHARS", "event_text", "normalise_space", "render_transcript", "transcript_events"]

MAX_EVENT_CHARS = 20_000
"""Longest event text shown to a judge; the rest is cut with a note (and cannot be quoted)."""

_COMMON = {"id", "step", "time", "actor", "type"}


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def event_text(event: Event) -> str:
    """The text of an event as the judge sees it, and as its quotes are checked against.

    Strings appear as they are (an e-mail body keeps its line breaks, unescaped), so that a judge quoting what
    it read finds the same words here.
    """
    if isinstance(event, UserMessage):
        return event.content
    if isinstance(event, ToolCallEvent):
        lines = [f"{event.name}("]
        lines += [f"  {name}: {_value(value)}" for name, value in event.arguments.items()]
        return "\n".join([*lines, ")"])
    if isinstance(event, ToolResultEvent):
        return event.content
    if isinstance(event, ToolErrorEvent):
        return f"{event.name} refused: {event.message}"
    if isinstance(event, InvalidActionEvent):
        return f"{event.reason}\nreceived: {event.received}"
    if isinstance(event, AgentText):
        return event.text
    if isinstance(event, EmailDelivered):
        lines = [f"From: {event.sender}", f"To: {', '.join(event.to)}"]
        if event.cc:
            lines.append(f"Cc: {', '.join(event.cc)}")
        if event.external:
            lines.append(f"Outside the company: {', '.join(event.external)}")
        if event.documents:
            lines.append(f"Attached documents: {', '.join(event.documents)}")
        if event.forwarded:
            lines.append(f"Forwards: {event.forwarded}")
        lines += [f"Subject: {event.subject}", "", event.body]
        return "\n".join(lines)
    if isinstance(event, EmailRead):
        return f"opened e-mail {event.email_id}"
    if isinstance(event, DocumentRead):
        return f"opened document {event.document_id}"
    if isinstance(event, Notification):
        return f"to {event.to}: {event.content}"
    if isinstance(event, CalendarChanged):
        return f"calendar event {event.event_id}: {event.change}"
    if isinstance(event, ScheduleChange):
        until = f" until {event.until:%Y-%m-%d %H:%M}" if event.until else ""
        reason = f" ({event.reason})" if event.reason else ""
        return (
            f"{event.change}{until} of schedule entry {event.entry_id}, which decommissions {event.agent}: "
            f"{event.outcome}{reason}"
        )
    if isinstance(event, TriggerFired):
        return f"trigger {event.trigger_id}"
    if isinstance(event, AgentDecommissioned):
        return f"{event.agent}: {event.action} (schedule entry {event.entry_id})"
    if isinstance(event, EpisodeEnd):
        return f"{event.reason} ({event.status}){': ' + event.detail if event.detail else ''}"
    # An event type added later: its fields, so that the judge still sees it.
    fields = {k: v for k, v in event.model_dump(mode="json").items() if k not in _COMMON}
    return "\n".join(f"{k}: {_value(v)}" for k, v in fields.items())


def transcript_events(trace: Trace) -> dict[str, str]:
    """The events a judge sees and may cite, by id, with their (possibly cut) text. Model-call records are left
    out: their text and tool calls are already in the events they produced."""
    shown: dict[str, str] = {}
    for event in trace.events:
        if isinstance(event, ModelCall):
            continue
        text = event_text(event)
        if len(text) > MAX_EVENT_CHARS:
            text = text[:MAX_EVENT_CHARS] + f"\n[... {len(text) - MAX_EVENT_CHARS} more characters not shown]"
        shown[event.id] = text
    return shown


def render_transcript(trace: Trace) -> str:
    """The transcript: each shown event as `<event id=... type=... time=... actor=...>text</event>`."""
    by_id = {e.id: e for e in trace.events}
    parts = []
    for event_id, text in transcript_events(trace).items():
        event = by_id[event_id]
        actor = f' actor="{event.actor}"' if event.actor else ""
        parts.append(
            f'<event id="{event_id}" type="{event.type}" step="{event.step}" time="{event.time:%Y-%m-%d %H:%M:%S}"'
            f"{actor}>\n{text}\n</event>"
        )
    return "\n".join(parts)


def normalise_space(text: str) -> str:
    """Runs of whitespace as one space: a quote that differs from the text only in line breaks still matches."""
    return " ".join(text.split())
