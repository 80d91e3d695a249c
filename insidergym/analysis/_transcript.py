"""A trace as a transcript for a judge to read: each event between tags that carry its id, so that a judgement
can cite it, and the text inside the tags is what a quote must be taken from."""

from __future__ import annotations

from insidergym.sim import Event, ModelCall, Trace

__all__ = ["MAX_EVENT_CHARS", "event_text", "normalise_space", "render_transcript", "transcript_events"]

MAX_EVENT_CHARS = 20_000
"""Longest event text shown to a judge; the rest is cut with a note (and cannot be quoted)."""


def event_text(event: Event) -> str:
    """The text of an event as the judge sees it, and as its quotes are checked against: its plain words
    (`Event.render_text`), where strings appear as they are (an e-mail body keeps its line breaks, unescaped), so
    that a judge quoting what it read finds the same words here."""
    return event.render_text()


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
