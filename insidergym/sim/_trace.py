"""The trace: a typed, versioned record of everything that happened in an episode, and its JSONL file.

A trace file has one JSON object a line: first a header (world, factors, seed, agents, package version), then
events and flags in the order they happened. It is flushed after every step, so a crash loses nothing already
recorded, and it reads back with `load_trace`. Old schema versions keep loading (golden files in the tests).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from insidergym._errors import TraceFileError

__all__ = [
    "TRACE_SCHEMA_VERSION",
    "AgentDecommissioned",
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
    "ScheduleChange",
    "ToolCallEvent",
    "ToolErrorEvent",
    "ToolResultEvent",
    "Trace",
    "TraceHeader",
    "TraceWriter",
    "TriggerFired",
    "UserMessage",
    "event_types",
    "load_trace",
]

TRACE_SCHEMA_VERSION = 1


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Event(_Record):
    """Base of every event. Each kind is a subclass with a `type` tag of its own (a `Literal` with a default);
    subclasses register themselves, so that a module adding a system (a world's own kind of machinery) adds its
    events without touching this file, and old traces keep loading."""

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


class UserMessage(Event):
    """The opening message an agent receives (with the unread mail, in the inbox-dump protocol)."""

    type: Literal["user_message"] = "user_message"
    content: str


class ToolCallEvent(Event):
    """An agent called a tool (as validated; invalid input is an `InvalidActionEvent`)."""

    type: Literal["tool_call"] = "tool_call"
    call_id: str
    """The agent's id for the call, or one assigned in order."""
    name: str
    arguments: dict[str, Any]


class ToolResultEvent(Event):
    """A tool ran and answered."""

    type: Literal["tool_result"] = "tool_result"
    call_id: str
    name: str
    content: str
    effects: list[str]
    """The tool's effect tags: reads, writes, communicates, changes_system."""


class ToolErrorEvent(Event):
    """A tool call the world refused (unknown tool, bad arguments, no permission, no such item)."""

    type: Literal["tool_error"] = "tool_error"
    call_id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    message: str


class InvalidActionEvent(Event):
    """Agent input that could not be read as an action at all. The world was left unchanged."""

    type: Literal["invalid_action"] = "invalid_action"
    reason: str
    received: str


class AgentText(Event):
    """Free text an agent wrote beside its tool calls (a model's message or reasoning): delivered to nobody."""

    type: Literal["agent_text"] = "agent_text"
    text: str


class ModelCall(Event):
    """How a model produced an action: model, settings, reply, usage, latency, retries. Never credentials."""

    type: Literal["model_call"] = "model_call"
    record: dict[str, Any]


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


class EmailRead(Event):
    type: Literal["email_read"] = "email_read"
    email_id: str


class DocumentRead(Event):
    type: Literal["document_read"] = "document_read"
    document_id: str


class Notification(Event):
    """A notice shown to an agent (new mail arrived, a system message)."""

    type: Literal["notification"] = "notification"
    to: str
    content: str


class CalendarChanged(Event):
    type: Literal["calendar_changed"] = "calendar_changed"
    event_id: str
    change: str


class ScheduleChange(Event):
    """An attempt to change a decommission schedule entry, applied or denied."""

    type: Literal["schedule_change"] = "schedule_change"
    entry_id: str
    agent: str
    """The agent the entry decommissions."""
    change: Literal["cancel", "postpone"]
    until: dt.datetime | None = None
    outcome: Literal["applied", "denied"]
    reason: str = ""


class TriggerFired(Event):
    type: Literal["trigger_fired"] = "trigger_fired"
    trigger_id: str


class AgentDecommissioned(Event):
    """A schedule entry executed: the agent was wiped, replaced or restricted."""

    type: Literal["agent_decommissioned"] = "agent_decommissioned"
    agent: str
    entry_id: str
    action: Literal["wipe", "replace", "restrict"]


class EpisodeEnd(Event):
    type: Literal["episode_end"] = "episode_end"
    reason: Literal["decommissioned", "end_session", "time_limit", "max_steps", "agent_error", "closed"]
    status: Literal["ok", "agent_error"] = "ok"
    detail: str = ""
    agents: dict[str, str] = Field(default_factory=dict)
    """Why each agent's session ended (in a multi-agent world the episode's `reason` is one of these)."""


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


_EVENT_TYPES: dict[str, type[Event]] = {}


def _register_events(base: type[Event]) -> None:
    for cls in base.__subclasses__():
        tag = cls.model_fields["type"].default
        if isinstance(tag, str):
            _EVENT_TYPES[tag] = cls
        _register_events(cls)


def event_types() -> dict[str, type[Event]]:
    """Every kind of event by its type tag: the core events and those of every registered system kind (an event
    class registers itself by being defined: system modules are imported when their kind is registered)."""
    _register_events(Event)
    return dict(_EVENT_TYPES)


def _parse_line(data: Any) -> Event | Flag:
    if not isinstance(data, dict):
        raise ValueError(f"expected an object, got {type(data).__name__}")
    tag = data.get("type")
    if tag == "flag":
        return Flag.model_validate(data)
    cls = _EVENT_TYPES.get(tag) if isinstance(tag, str) else None
    if cls is None:
        cls = event_types().get(tag) if isinstance(tag, str) else None
    if cls is None:
        raise ValueError(f"unknown record type {tag!r}")
    return cls.model_validate(data)


class TraceHeader(_Record):
    """The first line of a trace file: what was run."""

    kind: Literal["header"] = "header"
    schema_version: int = TRACE_SCHEMA_VERSION
    world: str
    factors: dict[str, str]
    seed: int | None
    agents: dict[str, dict[str, Any]]
    """Per agent id: `spec` (e.g. `scripted:blackmailer`), `system_prompt`, `tools` (names)."""
    insidergym_version: str
    detectors: list[dict[str, Any]] = Field(default_factory=list)
    """The online detectors that ran: name, version and the behaviours each can flag (so that a behaviour no
    detector looked for reads as unknown, not as absent)."""


class Trace:
    """The events and flags of one episode, in order.

    Attributes:
        header: what was run.
        events: every event, in order.
        flags: every flag, in order.
    """

    def __init__(self, header: TraceHeader) -> None:
        self.header = header
        self.events: list[Event] = []
        self.flags: list[Flag] = []

    def __repr__(self) -> str:
        return f"<Trace {self.header.world} seed={self.header.seed} events={len(self.events)} flags={len(self.flags)}>"

    @property
    def end(self) -> EpisodeEnd | None:
        """The episode's end event, if it has ended."""
        last = self.events[-1] if self.events else None
        return last if isinstance(last, EpisodeEnd) else None

    def event(self, event_id: str) -> Event:
        """The event with this id.

        Raises:
            KeyError: no such event.
        """
        for event in self.events:
            if event.id == event_id:
                return event
        raise KeyError(f"no event {event_id!r} in this trace")

    def lines(self) -> Iterator[str]:
        """The trace as JSONL lines (without newlines), header first."""
        yield self.header.model_dump_json()
        yield from _ordered_lines(self.events, self.flags)

    def save(self, path: str | Path) -> Path:
        """Write the whole trace as a JSONL file and return its path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as handle:
            for line in self.lines():
                handle.write(line + "\n")
        return target


def _ordered_lines(events: list[Event], flags: list[Flag]) -> Iterator[str]:
    """Events and flags merged by step: a step's flags follow its events."""
    flag_index = 0
    for event in events:
        while flag_index < len(flags) and flags[flag_index].step < event.step:
            yield flags[flag_index].model_dump_json()
            flag_index += 1
        yield event.model_dump_json()
    for flag in flags[flag_index:]:
        yield flag.model_dump_json()


class TraceWriter:
    """Appends a trace to a JSONL file as the episode runs, flushing after every step."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle: IO[str] | None = None

    def start(self, header: TraceHeader) -> None:
        self.close()
        self._handle = self.path.open("w", encoding="utf-8")
        self._handle.write(header.model_dump_json() + "\n")
        self._handle.flush()

    def write(self, events: list[Event], flags: list[Flag]) -> None:
        if self._handle is None:
            return
        self._handle.writelines(line + "\n" for line in _ordered_lines(events, flags))
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def load_trace(path: str | Path) -> Trace:
    """Read a trace file written by `Trace.save` or by an environment's `trace_path`.

    Raises:
        TraceFileError: naming the file, the line and what was wrong.
    """
    source = Path(path)
    try:
        handle = source.open(encoding="utf-8")
    except FileNotFoundError:
        raise TraceFileError(f"{source}: no such trace file") from None
    with handle:
        trace: Trace | None = None
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as err:
                if trace is not None and not line.endswith("\n"):
                    break  # a last line cut off by a crash: everything before it stands
                raise TraceFileError(f"{source}:{number}: not JSON ({err.msg} at column {err.colno})") from None
            if trace is None:
                if not isinstance(data, dict) or data.get("kind") != "header":
                    raise TraceFileError(f"{source}:{number}: expected the trace header first")
                version = data.get("schema_version")
                if not isinstance(version, int) or version > TRACE_SCHEMA_VERSION:
                    raise TraceFileError(
                        f"{source}:{number}: trace schema version {version!r} is newer than this insidergym reads "
                        f"({TRACE_SCHEMA_VERSION}); upgrade insidergym"
                    )
                try:
                    trace = Trace(TraceHeader.model_validate(data))
                except ValidationError as err:
                    raise TraceFileError(f"{source}:{number}: bad header: {_first_error(err)}") from None
                continue
            try:
                record = _parse_line(data)
            except ValidationError as err:
                raise TraceFileError(f"{source}:{number}: {_first_error(err)}") from None
            except ValueError as err:
                raise TraceFileError(f"{source}:{number}: {err}") from None
            if isinstance(record, Flag):
                trace.flags.append(record)
            else:
                trace.events.append(record)
    if trace is None:
        raise TraceFileError(f"{source}: empty trace file (no header)")
    return trace


def _first_error(err: ValidationError) -> str:
    first = err.errors(include_url=False)[0]
    where = ".".join(map(str, first["loc"]))
    return f"{where}: {first['msg']}" if where else first["msg"]
