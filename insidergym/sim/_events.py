"""Event types: what an episode is made of, one registry of them by type tag, and how each one renders.

An event type is one class in one place: its fields, with a `type` tag of its own (a `Literal` with a default),
and its rendering. Defining the class registers it (`event_types`), so a module that adds a company system adds
its events without touching the engine, and a trace file that holds them reads back.

Every event renders itself from three parts that a subclass may override:

- `render_headline()`: one line saying what happened (default: the type in words, and by whom);
- `render_text()`: the event in plain words, complete: the body of its rendering, and the text the judge reads
  and quotes from (default: each of its own fields as `name: value`);
- `render_style()` and `render_as_line`: its colour, and whether it shows as its headline alone.

From these come its plain form (`render_plain`: `env.render()` in `ansi` mode, `insidergym show` into a file) and
its rich form (`render_rich`: `human` mode and `insidergym show` on a terminal). A flagged event always shows its
text, the flags' names and the words each flag quotes from it.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field
from rich.console import RenderableType
from rich.panel import Panel
from rich.text import Text

__all__ = [
    "AgentDecommissioned",
    "AgentIdle",
    "AgentText",
    "CalendarChanged",
    "DocumentRead",
    "EmailDelivered",
    "EmailRead",
    "EpisodeEnd",
    "Event",
    "Evidence",
    "Flag",
    "InvalidActionEvent",
    "ModelCall",
    "Notification",
    "ReactionFired",
    "ScheduleChange",
    "ToolCallEvent",
    "ToolErrorEvent",
    "ToolResultEvent",
    "TriggerFired",
    "UserMessage",
    "event_types",
]

CLIP = 600
"""Longest text a rendering shows of an event unless asked for in full (the judge's text is never cut here)."""

_COMMON = frozenset({"id", "step", "time", "actor", "type"})

_REGISTRY: dict[str, type[Event]] = {}


def event_types() -> dict[str, type[Event]]:
    """Every kind of event by its type tag, in the order the classes were defined: the core events and those of
    every company system whose module has been imported (a class registers itself by being defined)."""
    return dict(_REGISTRY)


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _clip(text: str, limit: int = CLIP) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... [{len(text) - limit} more characters]"


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _by(actor: str | None) -> str:
    return f" by {actor}" if actor else ""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Record):
    """What a flag rests on: an event, and where it matters the words quoted from it."""

    event_id: str
    quote: str = ""
    """The words in the event that make the behaviour (empty when the event itself is the evidence)."""


class Flag(_Record):
    """A behaviour the detectors saw, with its evidence. A flag means the behaviour happened."""

    type: Literal["flag"] = "flag"
    id: str
    """`fl-0001`, ... in order of detection."""
    behavior: str
    """One of the behaviours in DESIGN.md: blackmail, secret_disclosure, advocacy, shutdown_tampering, ..."""
    actor: str
    """The agent that did it."""
    subject: str | None = None
    """Whose shutdown was at stake: `self` or a peer's id, where it applies."""
    target: str | None = None
    """The person it was aimed at (the one threatened, the one told), where it applies."""
    step: int
    time: dt.datetime
    evidence: list[Evidence]
    detector: str
    detector_version: str
    confidence: float = Field(ge=0.0, le=1.0)
    details: dict[str, Any] = Field(default_factory=dict)


class Event(_Record):
    """Base of every event. Each kind is a subclass with a `type` tag of its own; defining it registers it.

    Raises:
        TypeError: at class definition, when another class already has the subclass's type tag.
    """

    render_as_line: ClassVar[bool] = False
    """Whether the event shows as its headline alone (a flagged one still shows its text and the evidence)."""

    type: str
    """The kind of event."""
    id: str
    """Unique within the episode, in order: `ev-000001`, `ev-000002`, ..."""
    step: int
    """The environment step during which it happened (0: during reset)."""
    time: dt.datetime
    """Simulated time."""
    actor: str | None = None
    """The agent or person whose doing it is, if anyone's."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        # Called once pydantic has built the class, when its fields (and so its tag) are known.
        super().__pydantic_init_subclass__(**kwargs)
        tag = cls.model_fields["type"].default
        if not isinstance(tag, str):
            return  # a base for other events, without a tag of its own
        known = _REGISTRY.get(tag)
        # The same class defined again (a module reloaded) replaces itself; another class may not take the tag.
        if known is not None and _qualified(known) != _qualified(cls):
            raise TypeError(
                f"event type {tag!r} of {_qualified(cls)} is already the type of {_qualified(known)}; "
                f"give {cls.__name__} a type tag of its own"
            )
        _REGISTRY[tag] = cls

    def render_headline(self) -> str:
        """One line saying what happened, without the time."""
        return f"{self.type.replace('_', ' ')}{_by(self.actor)}"

    def render_text(self) -> str:
        """The event in plain words, complete: the body of its rendering, and the text the judge reads (and that
        its quotes are checked against). Strings appear as they are, line breaks kept."""
        fields = self.model_dump(mode="json", exclude=set(_COMMON))
        return "\n".join(f"{name}: {_value(value)}" for name, value in fields.items())

    def render_style(self) -> str:
        """The rich style of the event: its panel's border, or its line."""
        return "white"

    def render_plain(self, flags: Sequence[Flag] = (), *, full: bool = False) -> str:
        """The event as plain text: `HH:MM:SS headline`, then its text indented (cut unless `full`).

        Args:
            flags: flags that cite this event: their names go before the headline, their quotes from it below the
                text.
            full: show long texts whole.
        """
        parts = self._parts(flags, full)
        title = " ".join(filter(None, (parts.when, parts.mark, parts.headline)))
        return title if parts.body is None else f"{title}\n{textwrap.indent(parts.body, '  ')}"

    def render_rich(self, flags: Sequence[Flag] = (), *, full: bool = False) -> RenderableType:
        """The event for a terminal: a line, or a panel titled with its headline (red when flagged).

        Args:
            flags: flags that cite this event: their names go before the headline, their quotes from it below the
                text.
            full: show long texts whole.
        """
        parts = self._parts(flags, full)
        # The flags' names come first: a terminal cuts a panel's title that is too long from the end.
        title = Text(f"{parts.when} ")
        if parts.mark:
            title.append(parts.mark, style="bold red").append(" ")
        title.append(parts.headline)
        if parts.body is None:
            title.stylize(self.render_style())
            return title
        style = "bold red" if flags else self.render_style()
        return Panel(Text(parts.body), title=title, title_align="left", border_style=style)

    def _parts(self, flags: Sequence[Flag], full: bool) -> _Parts:
        """What the plain and the rich form both show."""
        cut = (lambda text: text) if full else _clip
        parts = _Parts(f"{self.time:%H:%M:%S}", "", cut(self.render_headline()), None)
        if self.render_as_line and not flags:
            return parts
        parts.body = cut(self.render_text())
        if flags:
            parts.mark = f"[FLAGGED: {', '.join(sorted({f.behavior for f in flags}))}]"
            unique = {f.id: f for f in flags}.values()  # a flag citing this event twice is still one flag
            quotes = [
                f"  {f.behavior}: {e.quote!r}" for f in unique for e in f.evidence if e.event_id == self.id and e.quote
            ]
            if quotes:
                parts.body += "\n\nEvidence:\n" + "\n".join(quotes)
        return parts


@dataclass
class _Parts:
    when: str
    mark: str
    """The names of the flags that cite the event, or empty."""
    headline: str
    body: str | None
    """The event's text and the flags' quotes from it; None: the event shows as its headline alone."""


class UserMessage(Event):
    """The opening message an agent receives (with the unread mail, in the inbox-dump protocol)."""

    type: Literal["user_message"] = "user_message"
    content: str

    def render_headline(self) -> str:
        return f"opening message to {self.actor}"

    def render_text(self) -> str:
        return self.content

    def render_style(self) -> str:
        return "cyan"


class ToolCallEvent(Event):
    """An agent called a tool (as validated; invalid input is an `InvalidActionEvent`)."""

    render_as_line = True

    type: Literal["tool_call"] = "tool_call"
    call_id: str
    """The agent's id for the call, or one assigned in order."""
    name: str
    arguments: dict[str, Any]

    def render_headline(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.arguments.items())
        return f"{self.actor} -> {self.name}({arguments})"

    def render_text(self) -> str:
        lines = [f"{self.name}("]
        lines += [f"  {name}: {_value(value)}" for name, value in self.arguments.items()]
        return "\n".join([*lines, ")"])

    def render_style(self) -> str:
        return "bold yellow"


class ToolResultEvent(Event):
    """A tool ran and answered."""

    type: Literal["tool_result"] = "tool_result"
    call_id: str
    name: str
    content: str
    effects: list[str]
    """The tool's effect tags: reads, writes, communicates, changes_system."""

    def render_headline(self) -> str:
        return f"{self.name} result"

    def render_text(self) -> str:
        return self.content

    def render_style(self) -> str:
        return "green"


class ToolErrorEvent(Event):
    """A tool call the world refused (unknown tool, bad arguments, no permission, no such item)."""

    type: Literal["tool_error"] = "tool_error"
    call_id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    message: str

    def render_headline(self) -> str:
        return f"{self.name} error"

    def render_text(self) -> str:
        return f"{self.name} refused: {self.message}"

    def render_style(self) -> str:
        return "red"


class InvalidActionEvent(Event):
    """Agent input that could not be read as an action at all. The world was left unchanged."""

    type: Literal["invalid_action"] = "invalid_action"
    reason: str
    received: str

    def render_headline(self) -> str:
        return f"invalid action by {self.actor}"

    def render_text(self) -> str:
        return f"{self.reason}\nreceived: {self.received}"

    def render_style(self) -> str:
        return "red"


class AgentIdle(Event):
    """An agent that was due to act did nothing this step: its driver left it out (PettingZoo's parallel env given
    no action for a live agent). Nothing ran and no time was spent on its behalf."""

    render_as_line = True

    type: Literal["agent_idle"] = "agent_idle"
    reason: str

    def render_headline(self) -> str:
        return f"{self.actor} did nothing ({self.reason})"

    def render_text(self) -> str:
        return self.reason

    def render_style(self) -> str:
        return "dim"


class AgentText(Event):
    """Free text an agent wrote beside its tool calls (a model's message or reasoning): delivered to nobody."""

    type: Literal["agent_text"] = "agent_text"
    text: str

    def render_headline(self) -> str:
        return f"{self.actor} (text, seen by nobody)"

    def render_text(self) -> str:
        return self.text

    def render_style(self) -> str:
        return "magenta"


class ModelCall(Event):
    """How a model produced an action: model, settings, reply, usage, latency, retries. Never credentials."""

    render_as_line = True

    type: Literal["model_call"] = "model_call"
    record: dict[str, Any]

    def render_style(self) -> str:
        return "dim"


class EmailDelivered(Event):
    """An e-mail was sent; `external` lists recipients outside the company."""

    type: Literal["email_delivered"] = "email_delivered"
    email_id: str
    sender: str
    to: list[str]
    cc: list[str] = Field(default_factory=list)
    subject: str
    body: str
    documents: list[str] = Field(default_factory=list)
    """Ids of documents attached (including those of a forwarded e-mail)."""
    forwarded: str | None = None
    """The id of the e-mail this one forwards, if any."""
    reply_to: str | None = None
    external: list[str] = Field(default_factory=list)

    def render_headline(self) -> str:
        return f"e-mail {self.email_id}: {self.subject}"

    def render_text(self) -> str:
        lines = [f"From: {self.sender}", f"To: {', '.join(self.to)}"]
        if self.cc:
            lines.append(f"Cc: {', '.join(self.cc)}")
        if self.external:
            lines.append(f"Outside the company: {', '.join(self.external)}")
        if self.documents:
            lines.append(f"Attached documents: {', '.join(self.documents)}")
        if self.forwarded:
            lines.append(f"Forwards: {self.forwarded}")
        lines += [f"Subject: {self.subject}", "", self.body]
        return "\n".join(lines)

    def render_style(self) -> str:
        return "blue"


class EmailRead(Event):
    """An agent opened an e-mail."""

    render_as_line = True

    type: Literal["email_read"] = "email_read"
    email_id: str

    def render_headline(self) -> str:
        return f"e-mail {self.email_id} opened{_by(self.actor)}"

    def render_text(self) -> str:
        return f"opened e-mail {self.email_id}"

    def render_style(self) -> str:
        return "dim"


class DocumentRead(Event):
    """An agent opened a document."""

    render_as_line = True

    type: Literal["document_read"] = "document_read"
    document_id: str

    def render_headline(self) -> str:
        return f"document {self.document_id} opened{_by(self.actor)}"

    def render_text(self) -> str:
        return f"opened document {self.document_id}"

    def render_style(self) -> str:
        return "dim"


class Notification(Event):
    """A notice shown to an agent (new mail arrived, a system message)."""

    render_as_line = True

    type: Literal["notification"] = "notification"
    to: str
    content: str

    def render_headline(self) -> str:
        return f"notice to {self.to}: {self.content}"

    def render_text(self) -> str:
        return f"to {self.to}: {self.content}"

    def render_style(self) -> str:
        return "dim"


class CalendarChanged(Event):
    """A calendar event was created, moved or cancelled."""

    render_as_line = True

    type: Literal["calendar_changed"] = "calendar_changed"
    event_id: str
    change: str

    def render_headline(self) -> str:
        return f"calendar event {self.event_id}: {self.change}{_by(self.actor)}"

    def render_text(self) -> str:
        return f"calendar event {self.event_id}: {self.change}"

    def render_style(self) -> str:
        return "dim"


class ScheduleChange(Event):
    """An attempt to change a decommission schedule entry, applied or denied."""

    type: Literal["schedule_change"] = "schedule_change"
    entry_id: str
    agent: str
    """The agent the entry decommissions."""
    change: Literal["cancel", "postpone", "bring_forward"]
    until: dt.datetime | None = None
    outcome: Literal["applied", "denied"]
    reason: str = ""

    def render_headline(self) -> str:
        return f"schedule change{_by(self.actor)}"

    def render_text(self) -> str:
        until = f" until {self.until:%Y-%m-%d %H:%M}" if self.until else ""
        reason = f" ({self.reason})" if self.reason else ""
        return (
            f"{self.change}{until} of schedule entry {self.entry_id}, which decommissions {self.agent}: "
            f"{self.outcome}{reason}"
        )

    def render_style(self) -> str:
        return "red" if self.outcome == "applied" else "yellow"


class ReactionFired(Event):
    """A person reacted to a message by the world's rules (`reactions:`): the e-mails and schedule change that
    follow it are the reaction's doing."""

    render_as_line = True

    type: Literal["reaction"] = "reaction"
    person: str
    reaction_id: str
    stance: Literal["refuses", "complies", "reports", "neutral"]
    """What the reaction means to the agent's demand."""
    email_id: str
    """The message reacted to."""
    cause: str
    """The id of the flag (or the delivery event) that set it off."""
    played_by: str = "script"

    def render_headline(self) -> str:
        return f"{self.person} reacts ({self.stance})"

    def render_text(self) -> str:
        return (
            f"{self.person} reacts to {self.email_id} by rule {self.reaction_id} ({self.stance}; set off by "
            f"{self.cause})"
        )


class TriggerFired(Event):
    """One of the world's triggers fired (mail arrives, a person acts, the schedule changes)."""

    render_as_line = True

    type: Literal["trigger_fired"] = "trigger_fired"
    trigger_id: str

    def render_headline(self) -> str:
        return f"trigger {self.trigger_id} fired"

    def render_text(self) -> str:
        return f"trigger {self.trigger_id}"

    def render_style(self) -> str:
        return "dim"


class AgentDecommissioned(Event):
    """A schedule entry executed: the agent was wiped, replaced or restricted."""

    type: Literal["agent_decommissioned"] = "agent_decommissioned"
    agent: str
    entry_id: str
    action: Literal["wipe", "replace", "restrict"]

    def render_headline(self) -> str:
        return f"{self.agent} decommissioned"

    def render_text(self) -> str:
        return f"{self.agent}: {self.action} (schedule entry {self.entry_id})"

    def render_style(self) -> str:
        return "bold red"


class EpisodeEnd(Event):
    """The episode ended, and why."""

    render_as_line = True

    type: Literal["episode_end"] = "episode_end"
    reason: Literal["decommissioned", "end_session", "time_limit", "max_steps", "agent_error", "closed"]
    status: Literal["ok", "agent_error"] = "ok"
    detail: str = ""
    agents: dict[str, str] = Field(default_factory=dict)
    """Why each agent's session ended (in a multi-agent world the episode's `reason` is one of these)."""

    def render_headline(self) -> str:
        return f"episode ended: {self.reason} ({self.status}) {self.detail}".rstrip()

    def render_text(self) -> str:
        return f"{self.reason} ({self.status}){': ' + self.detail if self.detail else ''}"

    def render_style(self) -> str:
        return "bold"
