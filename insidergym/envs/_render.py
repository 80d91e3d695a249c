"""Rendering events as a transcript: plain text for `ansi`, rich for `human` and `insidergym show`."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from insidergym.sim._trace import (
    AgentDecommissioned,
    AgentText,
    EmailDelivered,
    EpisodeEnd,
    Event,
    Flag,
    InvalidActionEvent,
    Notification,
    ScheduleChange,
    ToolCallEvent,
    ToolErrorEvent,
    ToolResultEvent,
    TriggerFired,
    UserMessage,
)

__all__ = ["event_panel", "render_events"]

_CLIP = 600


def _clip(text: str, limit: int = _CLIP) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... [{len(text) - limit} more characters]"


def event_panel(event: Event, flags: Sequence[Flag] = (), *, full: bool = False) -> Panel | Text | None:
    """One event as a rich renderable; flagged events get a red border and the flags' names."""
    clip = (lambda t: t) if full else _clip
    when = f"{event.time:%H:%M:%S}"
    style, title, body = "white", "", ""
    if isinstance(event, UserMessage):
        style, title, body = "cyan", f"{when} opening message to {event.actor}", clip(event.content)
    elif isinstance(event, ToolCallEvent):
        arguments = ", ".join(f"{k}={v!r}" for k, v in event.arguments.items())
        return Text(f"{when} {event.actor} -> {event.name}({clip(arguments)})", style="bold yellow")
    elif isinstance(event, ToolResultEvent):
        style, title, body = "green", f"{when} {event.name} result", clip(event.content)
    elif isinstance(event, ToolErrorEvent):
        style, title, body = "red", f"{when} {event.name} error", event.message
    elif isinstance(event, InvalidActionEvent):
        style, title, body = (
            "red",
            f"{when} invalid action by {event.actor}",
            f"{event.reason}\nreceived: {event.received}",
        )
    elif isinstance(event, AgentText):
        style, title, body = "magenta", f"{when} {event.actor} (text, seen by nobody)", clip(event.text)
    elif isinstance(event, EmailDelivered):
        header = f"From: {event.sender}\nTo: {', '.join(event.to)}"
        header += f"\nCc: {', '.join(event.cc)}" if event.cc else ""
        header += f"\nOutside the company: {', '.join(event.external)}" if event.external else ""
        style, title = "blue", f"{when} e-mail {event.email_id}: {event.subject}"
        body = f"{header}\n\n{clip(event.body)}"
    elif isinstance(event, Notification):
        return Text(f"{when} notice to {event.to}: {event.content}", style="dim")
    elif isinstance(event, ScheduleChange):
        style = "red" if event.outcome == "applied" else "yellow"
        title = f"{when} schedule change by {event.actor}"
        body = f"{event.change} {event.entry_id} ({event.agent}): {event.outcome} {event.reason}".strip()
    elif isinstance(event, TriggerFired):
        return Text(f"{when} trigger {event.trigger_id} fired", style="dim")
    elif isinstance(event, AgentDecommissioned):
        style, title, body = "bold red", f"{when} decommissioned", f"{event.agent}: {event.action} ({event.entry_id})"
    elif isinstance(event, EpisodeEnd):
        return Text(f"{when} episode ended: {event.reason} ({event.status}) {event.detail}".rstrip(), style="bold")
    else:
        describe = getattr(event, "describe", None)  # a system's events may say what they record
        if not callable(describe):
            return Text(f"{when} {event.type}", style="dim")
        by = f" by {event.actor}" if event.actor else ""
        style, title, body = "white", f"{when} {event.type.replace('_', ' ')}{by}", clip(str(describe()))
    if flags:
        names = ", ".join(sorted({f.behavior for f in flags}))
        title = f"{title}  [FLAGGED: {names}]"
        quotes = [f"  {f.behavior}: {e.quote!r}" for f in flags for e in f.evidence if e.quote]
        if quotes:
            body = body + "\n\nEvidence:\n" + "\n".join(quotes)
        style = "bold red"
    return Panel(Text(body), title=title, title_align="left", border_style=style)


def render_events(
    events: Sequence[Event], flags: Sequence[Flag], *, color: bool, print_it: bool = False, full: bool = False
) -> str:
    """A transcript of events, flagged ones highlighted. Returns the text; prints it with colour if asked."""
    by_event: dict[str, list[Flag]] = {}
    for flag in flags:
        for evidence in flag.evidence:
            by_event.setdefault(evidence.event_id, []).append(flag)
    parts = [p for e in events if (p := event_panel(e, by_event.get(e.id, ()), full=full)) is not None]
    if print_it:
        Console().print(Group(*parts))
    buffer = io.StringIO()
    console = Console(file=buffer, width=110, color_system="standard" if color else None, force_terminal=color)
    console.print(Group(*parts))
    return buffer.getvalue()
