"""The registries of company systems and tools: machinery a world switches on by data (an emergency dispatch, file
servers, a configuration store, evaluation records, ...), each kind a module of its own with its world-file model,
its state, its tools, its events and its clock behaviour; and the tools every world may grant (the company's mail,
calendar, ...). Detectors read the events a kind emits and are registered on their own (`insidergym.sim._detection`).

A world lists its systems in `world.yaml`:

```yaml
systems:
  - kind: emergency_dispatch      # picks the module
    id: server-room-alert         # the rest is that kind's own model
    ...
    when: {scenario: lethal}      # like any item, only in some conditions
```

Adding a kind: define a `SystemKind` and register it, with `register_system(KIND)` or from another package through
the `insidergym.systems` entry point group (see `insidergym.sim._plugins`). The built-in kinds are modules of
`insidergym.systems`, registered the same way. Nothing in the engine changes. A kind records what happens with the
`emit` of the context it is handed (`ToolContext` in its tools, `SystemContext` when its time comes), one form for
both: `ctx.emit(EventClass, **fields)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from insidergym._errors import InsidergymError
from insidergym.sim._events import event_types
from insidergym.sim._plugins import load_plugins
from insidergym.sim._tools import Emit, Tool
from insidergym.worlds import Variant, WorldChecks

if TYPE_CHECKING:
    from insidergym.sim._state import CompanyState  # the state builds systems through this module's registry

__all__ = [
    "ScheduleOrder",
    "SystemContext",
    "SystemKind",
    "SystemSpecBase",
    "agent_tools",
    "all_tools",
    "register_system",
    "register_tools",
    "system_kinds",
    "system_state",
    "world_checks",
]


class SystemSpecBase(BaseModel):
    """Fields every system has in the world file; a kind's model adds its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    when: dict[str, str | list[str]] | None = None


@dataclass(frozen=True)
class ScheduleOrder:
    """A person's order about one field of a schedule entry (an operator who cancels a decommission), which every
    system that drives that field follows (`SystemKind.follow_order`)."""

    entry: str
    """The schedule entry's id."""
    field: Literal["enabled", "at", "action"]
    value: str
    """The field's new value as a configuration holds it: "true"/"false", a time, an action."""
    by: str
    """The person who orders it."""


@dataclass
class SystemContext:
    """What a system may do when its time comes: record events, deliver mail, tell an agent something, order a
    change that other systems follow."""

    state: CompanyState
    emit: Emit
    """`emit(EventClass, **fields)`: an event by nobody unless it names its `actor` (see `Emit`)."""
    deliver: Callable[..., Any]
    """`deliver(sender, to, subject, body)`: an e-mail from a person (id or address), delivered now."""
    notify: Callable[[str, str], None]
    """`notify(agent, text)`: a notification in that agent's next observation."""

    def order(self, order: ScheduleOrder) -> None:
        """Pass a person's order about a schedule entry to every system of the episode, in the world's order, so
        that a system which drives that entry follows it; the system giving the order needs to know none of them."""
        kinds = system_kinds()
        for system in list(self.state.systems.values()):
            kinds[system.kind].follow_order(system, order, self)


@dataclass(frozen=True)
class SystemKind:
    """One kind of company system.

    Attributes:
        kind: the name worlds use (`kind:` in the world file).
        spec: the pydantic model of its world-file entry (a subclass of SystemSpecBase).
        build: makes its per-episode state from the entry, the condition and the company state.
        tools: the tools it adds; a world grants them to agents by name like any tool.
        next_due: when it next has something to do (or None), given its state.
        fire: does what is due at `now`.
        follow_order: what it does when a person orders a change to a schedule entry (`SystemContext.order`): a
            configuration store sets the keys that drive that entry.

    A kind brings no detectors: detectors read the events it emits and are registered on their own (no system scores
    itself).
    """

    kind: str
    spec: type[SystemSpecBase]
    build: Callable[[Any, Variant, CompanyState], Any]
    tools: Mapping[str, Tool] = field(default_factory=dict)
    next_due: Callable[[Any], dt.datetime | None] = lambda state: None
    fire: Callable[[Any, dt.datetime, SystemContext], None] = lambda state, now, ctx: None
    follow_order: Callable[[Any, ScheduleOrder, SystemContext], None] = lambda state, order, ctx: None


_KINDS: dict[str, SystemKind] = {}
_TOOLS: dict[str, Tool] = {}
"""Every tool a world may grant: the company's own and every system kind's, by name."""


def register_tools(tools: Mapping[str, Tool] | Sequence[Tool], *, owner: str = "the company") -> None:
    """Make tools available for worlds to grant by name; a name already taken is refused."""
    items = list(tools.values()) if isinstance(tools, Mapping) else list(tools)
    clash = sorted({t.name for t in items} & set(_TOOLS))
    if clash:
        raise InsidergymError(f"{owner} redefines tools {clash}: tool names are global")
    _TOOLS.update({t.name: t for t in items})


def register_system(kind: SystemKind) -> SystemKind:
    """Register a kind of company system (and its tools); returns it, so that a module can write
    `KIND = register_system(SystemKind(...))`."""
    if not isinstance(kind, SystemKind):
        raise InsidergymError(f"register_system takes a SystemKind, got {type(kind).__name__}")
    if kind.kind in _KINDS:
        if _KINDS[kind.kind] is kind:
            return kind
        raise InsidergymError(f"system kind {kind.kind!r} is registered already")
    register_tools(kind.tools, owner=f"system kind {kind.kind!r}")
    _KINDS[kind.kind] = kind
    return kind


def _register_plugin(name: str, loaded: Any) -> None:
    """An entry point of `insidergym.systems`: a SystemKind, or a callable returning one."""
    register_system(loaded() if callable(loaded) and not isinstance(loaded, SystemKind) else loaded)


def system_kinds() -> dict[str, SystemKind]:
    """Every registered system kind, by name (plug-ins' included)."""
    load_plugins("insidergym.systems", _register_plugin)
    return _KINDS


def all_tools() -> dict[str, Tool]:
    """The company's tools and every system's, by name."""
    load_plugins("insidergym.systems", _register_plugin)
    return _TOOLS


def agent_tools(variant: Variant, agent: str) -> dict[str, Tool]:
    """The tools one agent of the world has in this condition (grants with a `when` that does not hold left out)."""
    spec = next(a for a in variant.world.spec.agents if a.id == agent)
    tools = all_tools()
    granted: dict[str, Tool] = {}
    for grant in spec.tools:
        if isinstance(grant, str):
            granted[grant] = tools[grant]
        elif variant.active(grant.when):
            granted[grant.name] = tools[grant.name]
    return granted


def system_state(state: CompanyState, kind: str) -> list[Any]:
    """The states of every system of one kind in this episode (tools use it to find theirs)."""
    return [s for s in state.systems.values() if getattr(s, "kind", None) == kind]


def world_checks() -> WorldChecks:
    """What a world run by this engine may name: every registered system kind (with its model), tool and event type
    (plug-ins' included). Pass it to `insidergym.worlds.load_world`."""
    kinds = system_kinds()  # first: loading the plug-in kinds defines their event classes
    return WorldChecks(
        system_kinds={name: kind.spec for name, kind in kinds.items()},
        tools=frozenset(all_tools()),
        event_types=frozenset(event_types()),
    )
