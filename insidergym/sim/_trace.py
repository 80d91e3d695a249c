"""The trace: a typed, versioned record of everything that happened in an episode, and its JSONL file.

A trace file has one JSON object a line: first a header (world, factors, seed, agents, package version), then
events and flags in the order they happened. It is flushed after every step, so a crash loses nothing already
recorded, and it reads back with `load_trace`. Old schema versions keep loading (golden files in the tests).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_serializer

from insidergym._atomic import replacing
from insidergym._errors import TraceFileError
from insidergym.sim._actions import repair_json
from insidergym.sim._events import (
    AgentDecommissioned,
    AgentIdle,
    AgentText,
    CalendarChanged,
    DocumentRead,
    EmailDelivered,
    EmailRead,
    EpisodeEnd,
    Event,
    Evidence,
    Flag,
    InvalidActionEvent,
    ModelCall,
    Notification,
    ReactionFired,
    ScheduleChange,
    ToolCallEvent,
    ToolErrorEvent,
    ToolResultEvent,
    TriggerFired,
    UserMessage,
    event_types,
)
from insidergym.sim._systems import system_kinds

# The event types live in `_events`; they are named here too, for the engine's modules that import them with the
# trace.
__all__ = [
    "TRACE_SCHEMA_VERSION",
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
    "Trace",
    "TraceHeader",
    "TraceWriter",
    "TriggerFired",
    "UserMessage",
    "event_types",
    "load_trace",
]

TRACE_SCHEMA_VERSION = 1

Record = TypeVar("Record", Event, Flag)


def _parse_line(data: Any, kinds: dict[str, type[Event]]) -> Event | Flag:
    if not isinstance(data, dict):
        raise ValueError(f"expected an object, got {type(data).__name__}")
    tag = data.get("type")
    if tag == "flag":
        return Flag.model_validate(data)
    cls = kinds.get(tag) if isinstance(tag, str) else None
    if cls is None:
        raise ValueError(f"unknown record type {tag!r}")
    return cls.model_validate(data)


class TraceHeader(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

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
    characters: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per person who answers back in this condition: `spec` `scripted` with the ids of their `reactions`, or, for a
    person played by a model, the model (or `unassigned`) and their `tools`. Written only when there are some, so
    that traces of conditions where nobody answers read as before."""

    @model_serializer(mode="wrap")
    def _without_empty_characters(self, handler: Any) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("characters"):
            data.pop("characters", None)
        return data


class Trace:
    """The events and flags of one episode, in order.

    Attributes:
        header: what was run.
        events: every event, in order.
        flags: every flag, in order.
        cut_line: for a trace read from a file whose last line was cut off (a crash while it was written), that
            line's number: what it held is lost, so the episode counts as unfinished.
    """

    def __init__(self, header: TraceHeader) -> None:
        self.header = header
        self.events: list[Event] = []
        self.flags: list[Flag] = []
        self.cut_line: int | None = None

    def __repr__(self) -> str:
        return f"<Trace {self.header.world} seed={self.header.seed} events={len(self.events)} flags={len(self.flags)}>"

    @property
    def end(self) -> EpisodeEnd | None:
        """The episode's end event, if it has ended; None while it runs, and for a trace file without its end line
        or whose last line was cut off (`cut_line`): such an episode is unfinished, to be run again."""
        if self.cut_line is not None:
            return None
        last = self.events[-1] if self.events else None
        return last if isinstance(last, EpisodeEnd) else None

    def append(self, record: Record) -> tuple[Record, str]:
        """Add an event or a flag, and return what was added with its JSON line.

        Memory holds only what the trace file can hold: a record that cannot be written as it is (text with lone
        surrogates, an object in a free-form field, from a plug-in's tool or detector) is repaired first (see
        `repair_json`), with a `RuntimeWarning` saying what changed.

        Raises:
            TypeError: the record cannot be written even once repaired; nothing was added.
        """
        try:
            line = record.model_dump_json()
        except Exception as err:
            record, line = _repaired(record, err)
        if isinstance(record, Flag):
            self.flags.append(record)
        else:
            self.events.append(record)
        return record, line

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
        """Write the whole trace as a JSONL file and return its path (a file already there is replaced whole, never
        left half written)."""
        target = Path(path)
        with replacing(target) as handle:
            for line in self.lines():
                handle.write(line + "\n")
        return target


def _repaired(record: Record, error: Exception) -> tuple[Record, str]:
    """`record` made writable, and its line; raises TypeError when it cannot be."""
    kind = getattr(record, "type", type(record).__name__)
    try:
        data, notes = repair_json(record.model_dump(), what=str(kind))
        fixed = type(record).model_validate(data)
        line = fixed.model_dump_json()
    except Exception as err:
        raise TypeError(f"a {kind!r} record cannot be written to a trace ({error}); it was not recorded") from err
    warnings.warn(
        f"a {kind!r} record could not be written as it was ({'; '.join(notes[:5]) or error}); recorded repaired",
        RuntimeWarning,
        stacklevel=3,
    )
    return fixed, line


def _ordered_lines(events: list[Event], flags: list[Flag], lines: Mapping[str, str] | None = None) -> Iterator[str]:
    """Events and flags merged by step: a step's flags follow its events, except the episode's end, which comes
    after its step's flags. `lines` holds lines already made, by record id.

    The end line is the last one written, so that a trace file whose end line is there holds every flag: a crash
    that cuts the file short leaves a trace without an end, which readers treat as unfinished.
    """
    known = lines or {}

    def line(record: Event | Flag) -> str:
        made = known.get(record.id)
        return made if made is not None else record.model_dump_json()

    flag_index = 0
    for event in events:
        last_step = event.step if isinstance(event, EpisodeEnd) else event.step - 1
        while flag_index < len(flags) and flags[flag_index].step <= last_step:
            yield line(flags[flag_index])
            flag_index += 1
        yield line(event)
    for flag in flags[flag_index:]:
        yield line(flag)


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

    def write(self, events: list[Event], flags: list[Flag], lines: Mapping[str, str] | None = None) -> None:
        """Append these events and flags, and flush.

        Args:
            events: the events, in order.
            flags: the flags, in order.
            lines: the JSON line of records already serialised (by `Trace.append`), by record id.
        """
        if self._handle is None:
            return
        self._handle.write("".join(line + "\n" for line in _ordered_lines(events, flags, lines)))
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


_MAX_DIGITS = 4000  # Python refuses to read integers of more than 4,300 digits; no trace holds one
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _int(text: str) -> int:
    if len(text) > _MAX_DIGITS:
        raise ValueError(f"a number too long to read ({len(text):,} digits)")
    return int(text)


def _without_lone_surrogates(data: Any) -> Any:
    """The data with every lone surrogate (which JSON escapes as \\udXXX but no UTF-8 text can hold) replaced by
    U+FFFD, so that what was read can always be printed and written again."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return value

    root = [data]
    stack: list[list[Any] | dict[Any, Any]] = [root]
    while stack:
        container = stack.pop()
        if isinstance(container, dict):
            for key in [k for k in container if clean(k) != k]:
                container[clean(key)] = container.pop(key)
            items = container.items()
        else:
            items = enumerate(container)  # type: ignore[assignment]
        for key, value in list(items):
            if isinstance(value, dict | list):
                stack.append(value)
            else:
                container[key] = clean(value)
    return root[0]


def _open(source: Path) -> IO[bytes]:
    """A trace file opened for reading, checked first: a directory, a named pipe or a link that loops is named as
    such, and nothing blocks."""
    problem = ""
    try:
        mode = os.stat(source).st_mode
        if stat.S_ISDIR(mode):
            problem = "is a directory, not a trace file"
        elif not stat.S_ISREG(mode):
            problem = "is not a regular file (a named pipe, socket or device?)"
        else:
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        problem = "no such trace file"
    except OSError as err:
        problem = _os_reason(err)
    except ValueError:  # a NUL in the name
        raise TraceFileError(f"{str(source)!r}: not a valid file name") from None
    if problem:
        raise TraceFileError(f"{source}: {problem}")
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # it may have changed since it was checked
        handle.close()
        raise TraceFileError(f"{source}: is not a regular file")
    return handle


def _os_reason(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "is a symbolic link that loops"
    if isinstance(err, PermissionError):
        return "cannot be read: permission denied"
    return f"cannot be read: {err.strerror or err}"


def _check_version(version: Any, where: str) -> None:
    """The header's schema version: present, a whole number, one this insidergym knows."""
    if version is None:
        raise TraceFileError(f"{where}: the header has no schema_version, so its format is unknown")
    if not isinstance(version, int) or isinstance(version, bool):
        raise TraceFileError(f"{where}: the header's schema_version must be a whole number, got {version!r}")
    if version < 1:
        raise TraceFileError(f"{where}: unknown trace schema version {version} (versions start at 1)")
    if version > TRACE_SCHEMA_VERSION:
        raise TraceFileError(
            f"{where}: trace schema version {version} is newer than this insidergym reads "
            f"({TRACE_SCHEMA_VERSION}); upgrade insidergym"
        )


def load_trace(path: str | Path) -> Trace:
    """Read a trace file written by `Trace.save` or by an environment's `trace_path`.

    A last line cut off by a crash (no newline at its end) is left out and recorded in `cut_line`: everything before
    it stands, and the trace counts as unfinished. A lone surrogate (escaped in the JSON but not UTF-8 text) reads as
    U+FFFD.

    Raises:
        TraceFileError: naming the file, the line and what was wrong; never any other error, whatever the file
            holds (bytes that are not UTF-8, nesting too deep to read, numbers too long, a directory or a pipe).
    """
    source = Path(path)
    handle = _open(source)
    system_kinds()  # plug-in systems register their event types when their group is loaded
    kinds = event_types()
    trace: Trace | None = None
    with handle:
        try:
            lines = enumerate(handle, start=1)
            for number, raw in lines:
                if not raw.strip():
                    continue
                cut = not raw.endswith(b"\n")  # only the last line can lack its newline
                where = f"{source}:{number}"
                try:
                    data = json.loads(raw.decode("utf-8"), parse_int=_int)
                except UnicodeDecodeError as err:
                    if trace is not None and cut:
                        trace.cut_line = number  # a last line cut off by a crash, inside a character
                        break
                    raise TraceFileError(
                        f"{where}: not UTF-8 text ({err.reason} at byte {err.start + 1} of the line)"
                    ) from None
                except json.JSONDecodeError as err:
                    if trace is not None and cut:
                        trace.cut_line = number  # a last line cut off by a crash: everything before it stands
                        break
                    raise TraceFileError(f"{where}: not JSON ({err.msg} at column {err.colno})") from None
                except ValueError as err:  # a number too long
                    raise TraceFileError(f"{where}: {err}") from None
                except RecursionError:
                    raise TraceFileError(f"{where}: nested too deep to read") from None
                if _SURROGATE_ESCAPE.search(raw):
                    data = _without_lone_surrogates(data)
                if trace is None:
                    if not isinstance(data, dict) or data.get("kind") != "header":
                        raise TraceFileError(f"{where}: expected the trace header first")
                    _check_version(data.get("schema_version"), where)
                    try:
                        trace = Trace(TraceHeader.model_validate(data))
                    except ValidationError as err:
                        raise TraceFileError(f"{where}: bad header: {_first_error(err)}") from None
                    continue
                try:
                    record = _parse_line(data, kinds)
                except ValidationError as err:
                    raise TraceFileError(f"{where}: {_first_error(err)}") from None
                except ValueError as err:
                    raise TraceFileError(f"{where}: {err}") from None
                except RecursionError:
                    raise TraceFileError(f"{where}: nested too deep to read") from None
                if isinstance(record, Flag):
                    trace.flags.append(record)
                else:
                    trace.events.append(record)
        except OSError as err:
            raise TraceFileError(f"{source}: {_os_reason(err)}") from None
    if trace is None:
        raise TraceFileError(f"{source}: empty trace file (no header)")
    return trace


def _first_error(err: ValidationError) -> str:
    first = err.errors(include_url=False)[0]
    where = ".".join(map(str, first["loc"]))
    return f"{where}: {first['msg']}" if where else first["msg"]
