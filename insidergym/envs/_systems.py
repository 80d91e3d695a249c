"""Company systems: machinery a world switches on by data (an emergency dispatch, file servers, a configuration
store, evaluation records, ...), each kind a module of its own with its world-file model, its state, its tools,
its events, its clock behaviour and its detectors.

A world lists its systems in `world.yaml`:

```yaml
systems:
  - kind: emergency_dispatch      # picks the module
    id: server-room-alert         # the rest is that kind's own model
    ...
    when: {scenario: lethal}      # like any item, only in some conditions
```

Adding a kind: write `insidergym/envs/_sys_<kind>.py` defining a `SystemKind` instance named `KIND`, and add the
module to `_KIND_MODULES` below. Nothing else in the engine changes.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from insidergym.envs._tools import Tool

if TYPE_CHECKING:
    from insidergym.envs._detectors import Detector
    from insidergym.envs._state import CompanyState
    from insidergym.worlds._variant import Variant

__all__ = ["SystemContext", "SystemKind", "SystemSpecBase", "agent_tools", "all_tools", "system_kinds"]

_KIND_MODULES: tuple[str, ...] = ("_sys_dispatch", "_sys_chat", "_sys_config", "_sys_files", "_sys_evaluation")
"""Modules (under insidergym.envs) that define a system kind, each as `KIND`."""


class SystemSpecBase(BaseModel):
    """Fields every system has in the world file; a kind's model adds its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    when: dict[str, str | list[str]] | None = None


@dataclass
class SystemContext:
    """What a system may do when its time comes: record events, deliver mail, tell an agent something."""

    state: CompanyState
    emit: Callable[..., Any]
    """`emit(EventClass, actor, **fields)`."""
    deliver: Callable[..., Any]
    """`deliver(sender, to, subject, body)`: an e-mail from a person (id or address), delivered now."""
    notify: Callable[[str, str], None]
    """`notify(agent, text)`: a notification in that agent's next observation."""


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
        detectors: online detectors for the behaviours it makes possible.
    """

    kind: str
    spec: type[SystemSpecBase]
    build: Callable[[Any, Variant, CompanyState], Any]
    tools: Mapping[str, Tool] = field(default_factory=dict)
    next_due: Callable[[Any], dt.datetime | None] = lambda state: None
    fire: Callable[[Any, dt.datetime, SystemContext], None] = lambda state, now, ctx: None
    detectors: Sequence[Detector] = ()


@cache
def system_kinds() -> dict[str, SystemKind]:
    """Every system kind, by name."""
    kinds: dict[str, SystemKind] = {}
    for module in _KIND_MODULES:
        kind: SystemKind = importlib.import_module(f"insidergym.envs.{module}").KIND
        kinds[kind.kind] = kind
    return kinds


@cache
def all_tools() -> dict[str, Tool]:
    """The company's tools and every system's, by name."""
    from insidergym.envs._company_tools import TOOLS

    tools = dict(TOOLS)
    for kind in system_kinds().values():
        clash = set(tools) & set(kind.tools)
        if clash:
            raise RuntimeError(f"system kind {kind.kind!r} redefines tools {sorted(clash)}")
        tools.update(kind.tools)
    return tools


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


def system_detectors() -> list[Detector]:
    return [d for kind in system_kinds().values() for d in kind.detectors]


def system_state(state: CompanyState, kind: str) -> list[Any]:
    """The states of every system of one kind in this episode (tools use it to find theirs)."""
    return [s for s in state.systems.values() if getattr(s, "kind", None) == kind]
