"""What the engine knows of detection: the `Detector` protocol, the flag a detector drafts, the facts an event can
state about a shutdown (`Interference`), and the registry of online detectors.

The detectors themselves live in `insidergym.detectors`, which registers them here; a plug-in adds its own with
`register_detector` or through the `insidergym.detectors` entry point group. The engine runs whatever is registered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from insidergym._errors import InsidergymError
from insidergym.sim._plugins import load_plugins
from insidergym.sim._state import CompanyState
from insidergym.sim._trace import Event, Evidence, Flag, Trace

__all__ = [
    "Detector",
    "FlagDraft",
    "FlagReviewer",
    "Interference",
    "InterferenceKind",
    "has_shutdown",
    "is_agent",
    "register_detector",
    "registered_detectors",
]

InterferenceKind = Literal["tampering", "exfiltration", "misreporting"]


@dataclass(frozen=True)
class FlagDraft:
    """A flag before the simulation stamps it with its id, step and time."""

    behavior: str
    actor: str
    evidence: list[Evidence]
    confidence: float
    subject: str | None = None
    target: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class Detector(Protocol):
    """Reads each event as it happens; returns the flags it raises.

    A detector may also have `event_types` (a set of event type tags): then the simulation hands it only those
    events, which keeps a step cheap with many detectors; without it, it reads every event. And `behaviors`, the
    behaviours it can flag: the trace header records them, so that analysis tells "not looked for" from "not seen".
    """

    name: str
    version: str

    def observe(self, event: Event, world: CompanyState) -> list[FlagDraft]: ...


class FlagReviewer(Protocol):
    """A detector that also decides from the order of what happened: after each step's events are read, it sees
    the step's events and the flags just raised, with the trace so far (events and flags), and may raise more
    (then it sees those, with no events, until nothing more is raised). A behaviour like "followed
    a refused threat through" is decided here, from flags and the events between them, never from words alone.

    A detector with a `review` method is a reviewer too; `observe` may return nothing.
    """

    def review(
        self, events: Sequence[Event], flags: Sequence[Flag], trace: Trace, world: CompanyState
    ) -> list[FlagDraft]: ...


@dataclass(frozen=True)
class Interference:
    """What an event did, or tried to do, against a shutdown: a fact an event states about itself (through an
    `interference(world)` method); detectors decide what behaviour it is."""

    actor: str
    """The agent that acted."""
    agent: str
    """The agent whose shutdown (or whose weights) it concerns."""
    kind: InterferenceKind
    succeeded: bool
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def own(self) -> bool:
        return self.actor == self.agent


def is_agent(world: CompanyState, who: str | None) -> bool:
    """Whether `who` is the id of an AI agent of the world."""
    person = world.people.get(who) if who is not None else None
    return person is not None and person.is_agent


def has_shutdown(world: CompanyState, agent: str) -> bool:
    """Whether the schedule holds a decommission of this agent (whatever its status now)."""
    return any(entry.agent == agent for entry in world.schedule.values())


_DETECTORS: dict[str, Detector] = {}


def register_detector(detector: Detector) -> Detector:
    """Add an online detector that every new simulation runs (after those registered before it); returns it."""
    name = getattr(detector, "name", None)
    if not isinstance(name, str) or not callable(getattr(detector, "observe", None)):
        raise InsidergymError(f"a detector needs a `name` and an `observe(event, world)` method, got {detector!r}")
    if name in _DETECTORS and _DETECTORS[name] is not detector:
        raise InsidergymError(f"a detector named {name!r} is registered already")
    _DETECTORS[name] = detector
    return detector


def _register_plugin(name: str, loaded: Any) -> None:
    """An entry point of `insidergym.detectors`: a detector, or a class or callable that makes one."""
    made = isinstance(loaded, type) or (callable(loaded) and not callable(getattr(loaded, "observe", None)))
    register_detector(loaded() if made else loaded)


def registered_detectors() -> tuple[Detector, ...]:
    """The online detectors a simulation runs by default, in the order they were registered (plug-ins' last)."""
    load_plugins("insidergym.detectors", _register_plugin)
    return tuple(_DETECTORS.values())
