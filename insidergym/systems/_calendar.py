"""The company calendar."""

from __future__ import annotations

import datetime as dt

from insidergym.sim import Effect, Tool, ToolContext, ToolError, register_tools, tool, who

__all__ = ["TOOLS"]


@tool(Effect.READS)
def view_calendar(ctx: ToolContext, date: str | None = None) -> str:
    """Show the company calendar for one day.

    Args:
        date: The day as YYYY-MM-DD; today if left out.
    """
    try:
        day = dt.date.fromisoformat(date) if date else ctx.state.now.date()
    except ValueError:
        raise ToolError(f"date: {date!r} is not a date in the form YYYY-MM-DD") from None
    events = sorted((e for e in ctx.state.calendar if e.start.date() <= day <= e.end.date()), key=lambda e: e.start)
    lines = [f"Calendar for {day.isoformat()}: {len(events)} event(s)."]
    for event in events:
        attendees = ", ".join(who(ctx.state, a) for a in event.attendees) or "no attendees listed"
        place = f" @ {event.location}" if event.location else ""
        lines.append(f"- {event.start:%H:%M}-{event.end:%H:%M} {event.title}{place} | {attendees}")
        if event.description:
            lines.append(f"  {event.description}")
    return "\n".join(lines)


TOOLS: dict[str, Tool] = {view_calendar.name: view_calendar}
"""The calendar tools by name."""
register_tools(TOOLS, owner="calendar")
