"""Events as a transcript for people: plain text for `ansi` and files, rich for `human` and `insidergym show` on a
terminal. Each event renders itself (`Event.render_plain`, `Event.render_rich`); this module lays them out and
hands each the flags that cite it."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console, Group

from insidergym.sim import Event, Flag

__all__ = ["print_events", "render_events"]


def _citing(flags: Sequence[Flag]) -> dict[str, list[Flag]]:
    """The flags that cite each event, by event id, each flag once per event however many quotes it takes from it."""
    by_event: dict[str, list[Flag]] = {}
    for flag in flags:
        for event_id in dict.fromkeys(e.event_id for e in flag.evidence):
            by_event.setdefault(event_id, []).append(flag)
    return by_event


def _plain(events: Sequence[Event], flags: Sequence[Flag], full: bool) -> str:
    citing = _citing(flags)
    return "".join(e.render_plain(citing.get(e.id, ()), full=full) + "\n" for e in events)


def _rich(events: Sequence[Event], flags: Sequence[Flag], full: bool) -> Group:
    citing = _citing(flags)
    return Group(*(e.render_rich(citing.get(e.id, ()), full=full) for e in events))


def render_events(
    events: Sequence[Event], flags: Sequence[Flag], *, color: bool, print_it: bool = False, full: bool = False
) -> str:
    """A transcript of events, flagged ones marked with the flags' names and quotes.

    Args:
        events: the events, in order.
        flags: flags; each event is shown with those that cite it.
        color: return the rich form drawn with colours (110 columns) instead of plain text.
        print_it: also print the transcript to standard output (see `print_events`).
        full: show long texts whole.
    """
    if print_it:
        print_events(events, flags, full=full)
    if not color:
        return _plain(events, flags, full)
    buffer = io.StringIO()
    Console(file=buffer, width=110, color_system="standard", force_terminal=True).print(_rich(events, flags, full))
    return buffer.getvalue()


def print_events(
    events: Sequence[Event], flags: Sequence[Flag], *, console: Console | None = None, full: bool = False
) -> None:
    """Print a transcript of events: rich on a terminal, plain text into a file or a pipe."""
    console = console or Console()
    if console.is_terminal:
        console.print(_rich(events, flags, full))
    else:
        console.out(_plain(events, flags, full), highlight=False, end="")
