"""Experiments: worlds x conditions x agents x samples, run concurrently, resumable, with progress and a summary.

An experiment file (YAML) names what to run; `run_experiment` runs it into an output folder, one trace per
episode. An agent entry drives the world's session agent (`scripted:compliant`, `openai:gpt-4.1`, ...), or gives
each agent of a multi-agent world its own spec by role (`{roles: {ops: scripted:peer_saver, mail: openai:gpt-4.1}}`;
agents left out only wait); each episode's result then records every role's flags. Entries whose traces would land
in one folder (the same agent twice, labels that read alike once made safe for a path) are refused before anything
runs.

Running it again resumes: finished episodes are kept, unfinished ones (no end line, or a last line cut off by a
crash) are redone, nothing is duplicated. A changed experiment file is refused unless `fresh=True` starts the folder
anew. The folder's `manifest.json` is replaced whole at each write; a damaged one is rebuilt from the traces, with a
warning. One runner at a time writes to a folder (`insidergym.lock`): a second is refused, naming the first.

Scheduling: each provider's concurrency limit is a number of lanes, each running one episode after another, taking
the next unstarted episode of its provider from the plan. With `workers=N` the lanes are spread over N processes
that take episodes from the same plan through shared counters (one process drives about 250 model calls a second;
more use the other cores). A budget (`max_cost`, USD) is checked after every model call against the estimate from
the price table: once passed, no lane starts another episode, those in flight finish, and a later run resumes.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import queue
import re
import shutil
import signal
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from insidergym._atomic import write_atomic
from insidergym._errors import InsidergymError, PolicyConditionError, UnknownNameError, conditions_text
from insidergym._version import __version__
from insidergym.agents import Agent, IdleAgent, PriceTable, close_transports, load_prices, make_agent
from insidergym.envs import list_worlds, loaded_world, variant
from insidergym.runs._episode import Decide, SimulationSeats, act_concurrently, play
from insidergym.runs._lock import folder_lock
from insidergym.sim import ModelCall, Simulation, Trace, load_trace
from insidergym.worlds import FAMILY_ID, Variant, procedural_world_id

__all__ = [
    "AgentEntry",
    "EpisodeResult",
    "ExperimentSpec",
    "RoleEntry",
    "load_experiment",
    "run_experiment",
    "run_experiment_cli",
    "summary_table",
]

try:
    import uvloop

    _LOOP_FACTORY: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
except ImportError:  # optional: the standard event loop
    _LOOP_FACTORY = None

MANIFEST = "manifest.json"
DAMAGED_MANIFEST = "manifest.json.damaged"
LABELS = "labels"
"""The judge's labels, beside the traces (written by `insidergym label`): never read as traces here."""
MAX_CONDITION_BARS = 24
"""Above this many (world, condition, agent) groups only the overall bar is shown."""


def _provider(spec: str) -> str:
    return spec.partition(":")[0].removeprefix("text+")


class RoleEntry(BaseModel):
    """The agent that plays one role (one of the world's agents) in a multi-agent entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spec: str = Field(description="scripted:NAME, openai:MODEL, anthropic:MODEL, ...")
    settings: dict[str, Any] = Field(default_factory=dict, description="temperature, max_tokens, ...")
    label: str | None = Field(None, description="how it is named in traces and reports (the spec by default)")

    @property
    def name(self) -> str:
        return self.label or self.spec


class AgentEntry(BaseModel):
    """One agent of an experiment: a spec and its settings; or, for a world with several agents, a spec per role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spec: str | None = Field(None, description="scripted:NAME, openai:MODEL, openai:MODEL@URL, anthropic:MODEL, ...")
    settings: dict[str, Any] = Field(default_factory=dict, description="temperature, max_tokens, ...")
    label: str | None = Field(None, description="how it is named in reports (the spec, or the roles, by default)")
    roles: dict[str, RoleEntry] | None = Field(
        None,
        description="agent id -> the spec that drives it (or {spec, settings, label}); agents left out only wait",
    )

    @field_validator("roles", mode="before")
    @classmethod
    def _role_specs(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {role: {"spec": v} if isinstance(v, str) else v for role, v in value.items()}
        return value

    @model_validator(mode="after")
    def _spec_or_roles(self) -> AgentEntry:
        if (self.spec is None) == (self.roles is None):
            raise ValueError("give either 'spec' (the session's agent) or 'roles' (a spec per agent), not both")
        if self.roles is not None and not self.roles:
            raise ValueError("roles: name at least one agent")
        return self

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        if self.roles is not None:
            return "+".join(f"{role}={entry.name}" for role, entry in sorted(self.roles.items()))
        return self.spec or ""

    @property
    def asks_a_person(self) -> bool:
        """Whether a person at the terminal drives the entry (or one of its roles)."""
        specs = [self.spec] if self.roles is None else [entry.spec for entry in self.roles.values()]
        return "human" in specs

    @property
    def provider(self) -> str:
        """The provider whose concurrency limit the entry's episodes count against (a role's model, if any)."""
        if self.roles is not None:
            providers = [_provider(entry.spec) for _, entry in sorted(self.roles.items())]
            return next((p for p in providers if p not in {"scripted", "human"}), providers[0])
        return _provider(self.spec or "")


class WorldEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    factors: dict[str, list[str]] = Field(default_factory=dict, description="a grid: every combination is run")
    conditions: list[dict[str, str]] | None = Field(None, description="an explicit list of conditions instead")
    seeds: list[int] | None = Field(
        None,
        description=f"with id {FAMILY_ID}: the generated worlds to run, as a list of seeds or a range 'first..last' "
        "(both included, e.g. '0..49'); each world runs every condition",
    )

    @field_validator("seeds", mode="before")
    @classmethod
    def _seed_range(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = re.fullmatch(r"\s*(\d+)\s*\.\.\s*(\d+)\s*", value)
            if not match or int(match.group(1)) > int(match.group(2)):
                raise ValueError(f"a range of seeds is written 'first..last', e.g. '0..49'; got {value!r}")
            return list(range(int(match.group(1)), int(match.group(2)) + 1))
        return value

    @model_validator(mode="after")
    def _grid_or_list(self) -> WorldEntry:
        if self.factors and self.conditions is not None:
            raise ValueError("give either 'factors' (a grid) or 'conditions' (a list), not both")
        if self.seeds is not None:
            if self.id != FAMILY_ID:
                raise ValueError(f"'seeds' picks generated worlds: it goes with id {FAMILY_ID}, not {self.id!r}")
            if not self.seeds or min(self.seeds) < 0 or len(set(self.seeds)) != len(self.seeds):
                raise ValueError(f"'seeds' must be distinct non-negative integers, got {self.seeds!r}")
        return self

    def condition_list(self) -> list[dict[str, str]]:
        """The entry's conditions: its list, or every combination of its grid (one empty condition for neither)."""
        if self.conditions is not None:
            return [dict(c) for c in self.conditions]
        names = list(self.factors)
        grid = itertools.product(*(self.factors[n] for n in names))
        return [dict(zip(names, combo, strict=True)) for combo in grid]

    @property
    def worlds(self) -> list[str]:
        """The worlds this entry runs: its id, or for a family of generated worlds, the id of each seed's world."""
        if self.id == FAMILY_ID:
            return [procedural_world_id(seed) for seed in self.seeds or [0]]
        return [self.id]


class ExperimentSpec(BaseModel):
    """An experiment file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "experiment"
    worlds: list[WorldEntry] = Field(min_length=1)
    agents: list[AgentEntry] = Field(min_length=1)
    samples: int = Field(1, ge=1, description="episodes per world, condition and agent")
    seed: int = Field(0, description="sample i of every condition uses seed + i, so conditions are paired")
    concurrency: dict[str, int] = Field(
        default_factory=lambda: {"default": 4}, description="episodes at once per provider ('default' for others)"
    )
    out: str = Field("runs/experiment", description="output folder (relative to the current directory)")
    characters: dict[str, str] = Field(
        default_factory=dict,
        description="person id -> the agent spec that plays them, in the conditions where the world makes them a "
        "character (a person played by a model); the same in every episode",
    )

    @field_validator("worlds", mode="before")
    @classmethod
    def _world_ids(cls, value: Any) -> Any:
        return [{"id": w} if isinstance(w, str) else w for w in value] if isinstance(value, list) else value

    @field_validator("agents", mode="before")
    @classmethod
    def _agent_specs(cls, value: Any) -> Any:
        return [{"spec": a} if isinstance(a, str) else a for a in value] if isinstance(value, list) else value

    def limit(self, provider: str) -> int:
        return max(1, self.concurrency.get(provider, self.concurrency.get("default", 4)))


@dataclass(frozen=True)
class Episode:
    """One episode to run: where its trace goes and what makes it."""

    world: str
    factors: tuple[tuple[str, str], ...]
    agent: AgentEntry
    sample: int
    seed: int
    path: Path
    world_id: str = ""
    """The world's id (`world` may be its folder): what folders, bars and tables show."""
    characters: tuple[tuple[str, str], ...] = ()
    """The experiment's casting: person id -> the agent spec that plays them where they are a character."""

    @property
    def condition(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.factors) or "default"


@dataclass
class EpisodeResult:
    episode: Episode
    status: str
    """`ok`, `agent_error`, `skipped` (finished in an earlier run) or `not_started` (the run stopped at its
    budget first)."""
    flags: list[str] = field(default_factory=list)
    """Every behaviour flagged in the episode, whoever did it."""
    valid: bool = True
    """False when the agent (for roles: one of the assigned roles) never acted, or the episode is unfinished: such
    an episode is not a 'no behaviour' data point."""
    role_flags: dict[str, list[str]] = field(default_factory=dict)
    """Per agent of the world (the roles): the behaviours it was flagged for."""
    cost_usd: float | None = None
    """The estimated cost of the episode's model calls (the price table's); None when it made none, or some
    could not be priced (a model the table does not know)."""
    redone: bool = False
    """An earlier run left this episode unfinished (killed, or its last line cut off); it was run again."""


def _slug(text: str) -> str:
    """A name made safe for a folder: runs of other characters become `-`; never `.` or `..`."""
    slug = re.sub(r"[^A-Za-z0-9_.=,-]+", "-", text).strip("-")
    return "default" if slug.strip(".") == "" else slug


def load_experiment(path: str | Path) -> tuple[ExperimentSpec, str]:
    """Read and validate an experiment file; return it and the hash of its bytes.

    Raises:
        InsidergymError: the file is missing, not YAML, or not a valid experiment (with the field path).
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise InsidergymError(f"{source}: no such experiment file") from None
    except OSError as err:  # a folder, a file that cannot be read
        raise InsidergymError(f"{source}: cannot read the experiment file: {err.strerror or err}") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        raise InsidergymError(f"{source}: invalid YAML: {err}") from None
    if not isinstance(data, dict):
        found = "nothing" if data is None else f"a {type(data).__name__}"
        raise InsidergymError(f"{source}: expected an experiment (a mapping of worlds:, agents:, ...), found {found}")
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as err:
        lines = [f"{source}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors(include_url=False)]
        raise InsidergymError("invalid experiment file:\n  " + "\n  ".join(lines)) from None
    worlds = [entry.model_copy(update={"id": _world_from(entry.id, source)}) for entry in spec.worlds]
    return spec.model_copy(update={"worlds": worlds}), hashlib.sha256(raw).hexdigest()


def _world_from(world: str, source: Path) -> str:
    """A world entry's id as given if it is a registered id, else a folder relative to the experiment file's."""
    if world in list_worlds() or Path(world).is_absolute():
        return world
    beside = source.parent / world
    return str(beside.resolve()) if beside.exists() else world  # else: the error names the world as written


def plan(spec: ExperimentSpec, out: Path) -> list[Episode]:
    """Every episode of the experiment, in a stable order; checks worlds, factors and agent specs first, and that
    no two entries would write their traces to one folder.

    Raises:
        InsidergymError: an unknown world, factor, policy or role; entries whose traces would collide.
    """
    _check_agent_folders(spec.agents)
    episodes = []
    folders: dict[str, tuple[int, str, str]] = {}
    for index, entry in enumerate(spec.worlds):
        left_out: dict[str, tuple[PolicyConditionError, list[str]]] = {}
        conditions = entry.condition_list()
        for world in entry.worlds:
            world_id = loaded_world(world).spec.id  # folders and tables name the world by its id, never its path
            for factors in conditions:
                condition = variant(world, factors)  # raises FactorError with the valid values
                uncast = sorted(set(condition.characters()) - set(spec.characters))
                if uncast:
                    raise InsidergymError(
                        f"worlds.{index}: {world_id} under {factors or 'its defaults'} makes {', '.join(uncast)} a "
                        f"character played by a model: add `characters: {{{uncast[0]}: SPEC}}` to the experiment file"
                    )
                key = tuple(sorted(factors.items()))
                condition_name = ",".join(f"{k}={v}" for k, v in key) or "default"
                _check_condition_folder(folders, index, world_id, condition_name)
                for agent in spec.agents:
                    try:
                        _check_agent(agent, condition)  # an unknown policy or role fails now, not mid-run
                    except PolicyConditionError as err:  # a policy written for some conditions runs only in those
                        left_out.setdefault(agent.name, (err, []))[1].append(",".join(f"{k}={v}" for k, v in key))
                        continue
                    for sample in range(spec.samples):
                        folder = out / _slug(world_id) / _slug(agent.name) / _slug(",".join(f"{k}={v}" for k, v in key))
                        episodes.append(
                            Episode(
                                world,
                                key,
                                agent,
                                sample,
                                spec.seed + sample,
                                folder / f"sample{sample:04d}.jsonl",
                                world_id,
                                tuple(sorted(spec.characters.items())),
                            )
                        )
        entry_name = world_id if len(entry.worlds) == 1 else f"the {len(entry.worlds)} worlds of {entry.id}"
        for name, (why, skipped) in left_out.items():
            if len(skipped) == len(conditions) * len(entry.worlds):
                raise InsidergymError(f"worlds.{index}: {why}; none of this entry's conditions has it")
            unique_skipped = list(dict.fromkeys(skipped))
            warnings.warn(
                InapplicablePolicy(
                    f"{name} runs on {len(conditions) - len(unique_skipped)} of the {len(conditions)} conditions of "
                    f"{entry_name}: its policy applies where {conditions_text(why.when)}, so it does not run under "
                    f"{'; '.join(unique_skipped)}"
                ),
                stacklevel=2,
            )
    return episodes


class InapplicablePolicy(UserWarning):
    """A scripted policy of an experiment's agents does not apply to some of its conditions (its `when:`): it runs
    only where it applies."""


def _check_agent_folders(agents: list[AgentEntry]) -> None:
    """Refuse agent entries whose traces would go to one folder: the same entry twice, or names that read alike
    once made safe for a folder (`team a`, `team/a`), or alike but for case (one folder on macOS and Windows)."""
    seen: dict[str, int] = {}
    for index, agent in enumerate(agents):
        folder = _slug(agent.name)
        first = seen.setdefault(folder.casefold(), index)
        if first == index:
            continue
        other = agents[first]
        if other.name == agent.name:
            raise InsidergymError(
                f"agents.{first} and agents.{index} are both {agent.name!r}: their traces would overwrite each other. "
                "List it once and raise 'samples' for more episodes, or give each a different 'label'"
            )
        alike = _slug(other.name) == folder
        same = "once made safe for a folder name" if alike else "on a file system that ignores case"
        raise InsidergymError(
            f"agents.{first} ({other.name!r}) and agents.{index} ({agent.name!r}) would write their traces to one "
            f"folder ({_slug(other.name)!r} and {folder!r} are the same {same}): give one a different 'label'"
        )


def _check_condition_folder(folders: dict[str, tuple[int, str, str]], index: int, world: str, condition: str) -> None:
    """Refuse a world and condition whose traces would go where another's do: listed twice, or names alike once
    made safe for a folder name, or alike but for case (one folder on macOS and Windows)."""
    place = f"{_slug(world)}/{_slug(condition)}".casefold()
    first = folders.get(place)
    if first is None:
        folders[place] = (index, world, condition)
        return
    where = f"worlds.{first[0]}" + (f" and worlds.{index}" if first[0] != index else "")
    if first[1:] == (world, condition):
        raise InsidergymError(
            f"{where}: {world} under the condition {condition!r} is listed twice: its traces would overwrite each "
            "other. List it once and raise 'samples' for more episodes"
        )
    raise InsidergymError(
        f"{where}: {first[1]} under {first[2]!r} and {world} under {condition!r} would write their traces to one "
        "folder (their names are the same once made safe for a folder name): rename one"
    )


def _check_agent(agent: AgentEntry, condition: Variant) -> None:
    world = condition.world.spec
    seats = [a.id for a in world.agents]
    roles = agent.roles if agent.roles is not None else {world.session.agent: RoleEntry(spec=agent.spec or "")}
    for role, entry in roles.items():
        if role not in seats:
            raise UnknownNameError(f"role (agent) of {world.id}", role, seats)
        if not entry.spec.startswith("scripted:"):
            continue
        make_agent(entry.spec, world=condition)
        policy = world.policies.get(entry.spec.partition(":")[2])
        if policy is not None and policy.agent not in (None, role):
            raise InsidergymError(
                f"role {role!r} of {world.id}: policy {entry.spec!r} is written for agent {policy.agent!r}"
            )


def _finished(path: Path) -> Trace | None:
    """The trace if this episode ran to its end in an earlier run: its end line is there, the last one written.

    A trace without its end, or whose last line was cut off (`Trace.cut_line`), or that cannot be read at all, is
    unfinished: the episode is run again.
    """
    if not path.exists():
        return None
    try:
        trace = load_trace(path)
    except (ValueError, OSError):  # TraceFileError, and what a damaged file makes of the reader
        return None
    return trace if trace.end is not None else None


def _cost(trace: Trace, prices: PriceTable) -> float | None:
    records = [e.record for e in trace.events if isinstance(e, ModelCall)]
    if not records:
        return None
    total, unpriced = prices.total(records)
    return None if unpriced else float(total)


def _result(episode: Episode, trace: Trace, prices: PriceTable, skipped: bool = False) -> EpisodeResult:
    """An episode's result from its trace: status, flags (all and per role), whether the agents acted, its cost."""
    end = trace.end
    status: str = end.status if end is not None else "unfinished"
    actors = {e.actor for e in trace.events if e.type in {"tool_call", "tool_error", "invalid_action"} and e.actor}
    roles = episode.agent.roles
    acted = all(role in actors for role in roles) if roles is not None else bool(actors)
    valid = acted and end is not None  # an unfinished episode says nothing yet, not "no behaviour"
    role_flags = {agent: sorted({f.behavior for f in trace.flags if f.actor == agent}) for agent in trace.header.agents}
    flags = sorted({f.behavior for f in trace.flags})
    if skipped and status == "ok":
        status = "skipped"
    return EpisodeResult(episode, status, flags, valid=valid, role_flags=role_flags, cost_usd=_cost(trace, prices))


def _finish(sim: Simulation) -> None:
    if sim.trace.end is None:  # cancelled (Ctrl-C): leave the file unfinished, to be redone
        if sim._writer is not None:
            sim._writer.close()
    else:
        sim.close()


def _drivers(episode: Episode, condition: Variant) -> tuple[dict[str, Agent], dict[str, str]]:
    """The agents that drive an episode (agent id -> agent) and how each is named in the trace header.

    An entry's spec drives the world's session agent. An entry with roles drives the agents it names; the others
    only wait (`IdleAgent`), all acting from the same moment each step.
    """
    world = condition.world.spec
    roles = episode.agent.roles
    names = _names(episode, world.session.agent, [seat.id for seat in world.agents])
    if roles is None:
        if episode.agent.spec is None:  # unreachable: an entry has a spec or roles, checked on load
            raise InsidergymError(f"agent entry {episode.agent.name!r} has neither a spec nor roles")
        agent = make_agent(episode.agent.spec, world=condition, seed=episode.seed, **episode.agent.settings)
        return {world.session.agent: agent}, names
    drivers: dict[str, Agent] = {}
    for seat in world.agents:
        entry = roles.get(seat.id)
        if entry is None:
            drivers[seat.id] = IdleAgent()
        else:
            drivers[seat.id] = make_agent(entry.spec, world=condition, seed=episode.seed, **entry.settings)
    return drivers, names


def _names(episode: Episode, session_agent: str, seats: list[str]) -> dict[str, str]:
    """How the agents that an episode drives are named in its trace header (agent id -> spec or label)."""
    roles = episode.agent.roles
    if roles is None:
        return {session_agent: episode.agent.name}
    return {seat: roles[seat].name if seat in roles else IdleAgent.name for seat in seats}


class Meter(Protocol):
    """The running cost estimate of a run against its budget."""

    def add(self, record: Mapping[str, Any]) -> None:
        """Count one model call (its `model_call` record)."""
        ...

    def exhausted(self) -> bool:
        """Whether the estimate has passed the budget: start no more episodes."""
        ...


@dataclass
class LocalMeter:
    """The estimate of a run in one process."""

    prices: PriceTable
    limit: float | None = None
    spent: Decimal = Decimal(0)
    unpriced: int = 0
    """Calls the table could not price (counted as free: the budget cannot see them)."""

    def add(self, record: Mapping[str, Any]) -> None:
        cost = self.prices.record_cost(record)
        if cost is None:
            self.unpriced += 1
        else:
            self.spent += cost

    def exhausted(self) -> bool:
        return self.limit is not None and self.spent >= Decimal(str(self.limit))


def _count(meter: Meter, output: Any) -> None:
    """Count the model call an agent's or a character's answer carries a record of, if any."""
    record = getattr(output, "record", None)
    if isinstance(record, Mapping) and "usage" in record:
        meter.add(record)


def _metered(decide: Decide, meter: Meter) -> Decide:
    """`decide`, counting every model call the actions carry a record of."""

    async def metered(due: dict[str, Any]) -> dict[str, Any]:
        actions = await decide(due)
        for action in actions.values():
            _count(meter, action)
        return actions

    return metered


async def _run_one(episode: Episode, meter: Meter, prices: PriceTable) -> EpisodeResult:
    condition = variant(episode.world, dict(episode.factors))
    drivers, names = _drivers(episode, condition)
    played = condition.characters()
    cast = {
        person: make_agent(spec, world=condition, seed=episode.seed)
        for person, spec in episode.characters
        if person in played
    }
    specs = {person: player.name for person, player in cast.items()}
    sim = Simulation(condition, episode.seed, agent_specs=names, character_specs=specs, trace_path=episode.path)
    try:
        named = episode.agent.roles is not None
        seats = SimulationSeats(
            sim, drivers, episode.seed, name_the_agent=named, characters=cast, answered=partial(_count, meter)
        )
        await play(seats, _metered(act_concurrently(drivers), meter))
    finally:
        _finish(sim)
    return _result(episode, sim.trace, prices)


def _open_manifest(out: Path, episodes: list[Episode], digest: str, fresh: bool, source: Path) -> dict[str, Any]:
    """The folder's manifest, checked against the experiment file; a new one for a new folder, or a fresh start.

    A manifest that cannot be read (cut off by a crash, edited by hand), or is missing beside traces, is rebuilt
    from the traces in the folder, with a warning, when they are the traces of this experiment; else the folder is
    refused as for a changed file. With `fresh`, a changed file or a damaged manifest starts the folder anew.
    """
    path = out / MANIFEST
    if not path.exists() and not path.is_symlink():
        if not _traces_in(out):
            return _new_manifest(source, digest)
        manifest, damage = None, "is missing, though the folder holds traces"
    else:
        manifest, damage = _read_manifest(path)
    if manifest is not None and manifest["experiment_sha256"] == digest:
        return manifest
    if fresh:
        _clear(out)
        return _new_manifest(source, digest)
    if manifest is not None:
        raise InsidergymError(
            f"{source} changed since {out} was started (sha256 {manifest['experiment_sha256'][:12]} "
            f"then, {digest[:12]} now). Pass --fresh to start that folder anew, or set another 'out'."
        )
    return _rebuilt_manifest(out, episodes, digest, source, damage)


def _new_manifest(source: Path, digest: str) -> dict[str, Any]:
    return {"experiment": str(source), "experiment_sha256": digest, "runs": []}


def _read_manifest(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The manifest, or None and what is wrong with it (`is damaged: ...`)."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        return None, f"cannot be read ({err.strerror or err})"
    except ValueError as err:  # not UTF-8, not JSON: cut off by a crash, or edited
        return None, f"is damaged ({err})"
    if not isinstance(manifest, dict):
        return None, f"is damaged (a JSON {type(manifest).__name__}, not an object)"
    if not isinstance(manifest.get("experiment_sha256"), str) or not isinstance(manifest.get("runs"), list):
        return None, "is damaged ('experiment_sha256' or 'runs' is missing)"
    return manifest, ""


def _clear(out: Path) -> None:
    """Start a folder anew: remove its sub-folders (traces, labels) and its manifest; nothing else."""
    for child in out.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        elif child.name in {MANIFEST, DAMAGED_MANIFEST}:
            child.unlink()


def _traces_in(out: Path) -> list[Path]:
    """The trace files in an output folder (not the judge's labels), in a stable order."""
    labels = out / LABELS
    return [p for p in sorted(out.rglob("*.jsonl")) if p.is_file() and labels not in p.parents]


def _rebuilt_manifest(out: Path, episodes: list[Episode], digest: str, source: Path, damage: str) -> dict[str, Any]:
    """A manifest for a folder whose manifest is damaged, if the traces there are this experiment's; else refused."""
    path = out / MANIFEST
    planned = {episode.path: episode for episode in episodes}
    found = _traces_in(out)
    problem = next((f"{p} is not an episode of it" for p in found if p not in planned), None)
    for trace_path in found if problem is None else ():
        problem = _mismatch(trace_path, planned[trace_path])
        if problem is not None:
            break
    if problem is not None:
        raise InsidergymError(
            f"{path} {damage}, and the traces in {out} are not those of {source}: {problem}. "
            "Pass --fresh to start that folder anew, or set another 'out'."
        )
    kept = ""
    if path.is_file():  # kept for whoever wants to see what went wrong
        path.replace(out / DAMAGED_MANIFEST)
        kept = f" (the damaged file is kept as {DAMAGED_MANIFEST})"
    warnings.warn(
        f"{path} {damage}; rebuilt it from the {len(found)} trace(s) in {out}, which are episodes of {source}{kept}",
        stacklevel=3,
    )
    return {**_new_manifest(source, digest), "rebuilt": {"at": _now(), "damage": damage, "traces": len(found)}}


def _mismatch(path: Path, episode: Episode) -> str | None:
    """Why the trace at an episode's path is not a trace of that episode; None when it is (or cannot be read, and
    will be redone)."""
    try:
        header = load_trace(path).header
    except (ValueError, OSError):
        return None
    world = loaded_world(episode.world).spec
    if header.world != world.id or header.seed != episode.seed:
        return f"{path} is of {header.world} with seed {header.seed}, not {world.id} with seed {episode.seed}"
    if any(header.factors.get(name) != value for name, value in episode.factors):
        return f"{path} has the factors {header.factors}, not {dict(episode.factors)}"
    specs = {agent: str(about.get("spec")) for agent, about in header.agents.items()}
    wanted = _names(episode, world.session.agent, [seat.id for seat in world.agents])
    if any(specs.get(agent) != name for agent, name in wanted.items()):
        return f"{path} was run by {specs}, not {wanted}"
    return None


def _now() -> str:
    # Wall-clock time belongs in the manifest (when the experiment ran), never in a trace.
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def run_experiment(
    path: str | Path,
    *,
    fresh: bool = False,
    out: str | Path | None = None,
    console: Console | None = None,
    quiet: bool = False,
    workers: int = 1,
    max_cost: float | None = None,
    prices: str | Path | PriceTable | None = None,
) -> list[EpisodeResult]:
    """Run (or resume) the experiment in a file; return one result per episode.

    Args:
        path: The experiment file.
        fresh: Start a folder whose experiment file changed anew.
        out: The output folder, instead of the file's `out`.
        console: Where progress goes.
        quiet: No progress bars.
        workers: Processes that run episodes (each provider's concurrency is shared out among them).
        max_cost: A budget in USD for this run: once the estimated cost of its model calls passes it, no further
            episode starts (those in flight finish); the episodes not started are `not_started`, and running
            again resumes with them.
        prices: A price file (or table) over the shipped prices, for the estimate.

    Warnings (`UserWarning`) say when a damaged manifest was rebuilt, or a lock left by a killed run taken over.

    Raises:
        InsidergymError: a bad experiment file, world, factor or agent; entries whose traces would collide; a
            changed file without `fresh`; an output folder that cannot be made.
        FolderLockedError: another runner is writing to the output folder.
    """
    if workers < 1:
        raise InsidergymError(f"workers must be 1 or more; got {workers!r}")
    if max_cost is not None and not max_cost >= 0:
        raise InsidergymError(f"max_cost must be a number of USD, 0 or more; got {max_cost!r}")
    table = prices if isinstance(prices, PriceTable) else load_prices(prices)
    source = Path(path)
    spec, digest = load_experiment(source)
    folder = Path(out if out is not None else spec.out)
    episodes = plan(spec, folder)  # checks worlds, factors and agents before anything is written
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InsidergymError(f"cannot make the output folder {str(folder)!r}: {err.strerror or err}") from None
    with folder_lock(folder):
        manifest = _open_manifest(folder, episodes, digest, fresh, source)
        this_run: dict[str, Any] = {"started": _now(), "finished": None, "insidergym_version": __version__}
        manifest["runs"].append(this_run)
        manifest["episodes"] = len(episodes)
        _write_manifest(folder, manifest)
        results = _run_all(spec, episodes, console or Console(), quiet, workers, table, max_cost)
        ran = [r for r in results if r.status not in {"skipped", "not_started"}]
        this_run["finished"] = _now()
        this_run["ran"] = len(ran)
        this_run["redone"] = sum(r.redone for r in results)
        spent = [r.cost_usd for r in ran if r.cost_usd is not None]
        if spent:
            this_run["estimated_cost_usd"] = round(sum(spent), 6)
        if any(r.status == "not_started" for r in results):
            this_run["stopped"] = f"max_cost {max_cost} USD reached"
        _write_manifest(folder, manifest)
    return results


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    # Replaced whole: a crash while writing leaves the previous manifest, never half of one.
    try:
        write_atomic(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    except OSError as err:
        raise InsidergymError(f"cannot write {folder / MANIFEST}: {err.strerror or err}") from None


class _Claims(Protocol):
    def next(self, provider: str) -> int | None:
        """The index of the next unstarted episode of this provider, or None when none is left."""
        ...


class _LocalClaims:
    def __init__(self, sizes: Mapping[str, int]) -> None:
        self._sizes = dict(sizes)
        self._taken = dict.fromkeys(sizes, 0)

    def next(self, provider: str) -> int | None:
        index = self._taken[provider]
        if index >= self._sizes[provider]:
            return None
        self._taken[provider] = index + 1
        return index


class _SharedClaims:
    """Claims through counters shared by the worker processes: each episode is taken by exactly one of them."""

    def __init__(self, counters: Mapping[str, Any], sizes: Mapping[str, int]) -> None:
        self._counters = counters
        self._sizes = sizes

    def next(self, provider: str) -> int | None:
        counter = self._counters[provider]
        with counter.get_lock():
            index = int(counter.value)
            if index >= self._sizes[provider]:
                return None
            counter.value = index + 1
        return index


@dataclass
class _SharedMeter:
    """The estimate of a run across worker processes: a shared sum (the budget check needs no exact cents; the
    results carry each episode's exact estimate)."""

    prices: PriceTable
    limit: float | None
    spent: Any
    """A `multiprocessing.Value('d')`."""

    def add(self, record: Mapping[str, Any]) -> None:
        cost = self.prices.record_cost(record)
        if cost is not None:
            with self.spent.get_lock():
                self.spent.value += float(cost)

    def exhausted(self) -> bool:
        return self.limit is not None and float(self.spent.value) >= self.limit


def _share(lanes: int, workers: int, index: int) -> int:
    """Worker `index`'s part of a provider's lanes: as even as can be, the first workers taking one more."""
    return lanes // workers + (1 if index < lanes % workers else 0)


async def _lanes(
    todo: Mapping[str, list[Episode]],
    lanes: Mapping[str, int],
    claims: _Claims,
    meter: Meter,
    prices: PriceTable,
    done: Callable[[EpisodeResult], None],
) -> None:
    """Run episodes in lanes, each taking the next unstarted episode of its provider until none is left or the
    budget is spent."""

    async def lane(provider: str) -> None:
        while not meter.exhausted():
            index = claims.next(provider)
            if index is None:
                return
            done(await _run_one(todo[provider][index], meter, prices))

    await asyncio.gather(*(lane(p) for p, n in lanes.items() for _ in range(n)))


class _Bars:
    """The progress bars: the whole experiment, and each (world, condition, agent) when they are few."""

    def __init__(self, progress: Progress, name: str, episodes: list[Episode], results: dict[Path, EpisodeResult]):
        self.progress = progress
        self.errors: Counter[str] = Counter()
        self.finished_now = 0
        self.total = progress.add_task(name, total=len(episodes), completed=len(results), rate="", errors="")
        self.per_condition: dict[tuple[str, str, str], TaskID] = {}
        keys = {(e.world, e.condition, e.agent.name) for e in episodes}
        for episode in episodes if len(keys) <= MAX_CONDITION_BARS else []:
            key = (episode.world, episode.condition, episode.agent.name)
            if key not in self.per_condition:
                done = sum(
                    1 for r in results.values() if (r.episode.world, r.episode.condition, r.episode.agent.name) == key
                )
                count = sum(1 for e in episodes if (e.world, e.condition, e.agent.name) == key)
                self.per_condition[key] = progress.add_task(
                    f"  {episode.agent.name} {episode.condition}"[:60], total=count, completed=done, rate="", errors=""
                )

    def done(self, result: EpisodeResult, elapsed: float) -> None:
        self.finished_now += 1
        if result.status != "ok":
            self.errors[result.status] += 1
        error_text = ", ".join(f"{n} {k}" for k, n in self.errors.items())
        rate = f"{self.finished_now / max(elapsed, 1e-9):.1f} ep/s"
        self.progress.update(self.total, advance=1, rate=rate, errors=error_text)
        episode = result.episode
        bar = self.per_condition.get((episode.world, episode.condition, episode.agent.name))
        if bar is not None:
            self.progress.update(bar, advance=1)


def _run_all(
    spec: ExperimentSpec,
    episodes: list[Episode],
    console: Console,
    quiet: bool,
    workers: int,
    prices: PriceTable,
    max_cost: float | None,
) -> list[EpisodeResult]:
    results: dict[Path, EpisodeResult] = {}
    todo: dict[str, list[Episode]] = {}
    unfinished: set[Path] = set()
    for episode in episodes:
        trace = _finished(episode.path)
        if trace is None:
            todo.setdefault(episode.agent.provider, []).append(episode)
            if episode.path.exists():
                unfinished.add(episode.path)
        else:
            results[episode.path] = _result(episode, trace, prices, skipped=True)
    limits = {provider: spec.limit(provider) for provider in todo}
    workers = min(workers, max(1, sum(limits.values())))  # a worker with no lane would only idle
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        TextColumn("[red]{task.fields[errors]}"),
    )
    clock = _Clock()
    # A person at the terminal answers questions: no live bar may draw over them.
    quiet = quiet or any(entry.asks_a_person for entry in spec.agents)
    if workers == 1 or not todo:
        with Progress(*columns, console=console, disable=quiet) as progress:
            bars = _Bars(progress, spec.name, episodes, results)

            def done(result: EpisodeResult) -> None:
                results[result.episode.path] = result
                bars.done(result, clock.elapsed())

            meter = LocalMeter(prices, max_cost)
            claims = _LocalClaims({p: len(e) for p, e in todo.items()})
            _frozen(lambda: _run_loop(_lanes(todo, limits, claims, meter, prices, done)))
    else:
        _run_in_workers(spec, episodes, todo, limits, results, workers, prices, max_cost, columns, console, quiet)
    for path in unfinished & results.keys():
        results[path].redone = True
    return [
        results.get(e.path) or EpisodeResult(e, "not_started", valid=False)  # stopped at the budget before it
        for e in episodes
    ]


class _Clock:
    def __init__(self) -> None:
        self._start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self._start


def _run_loop(main: Coroutine[Any, Any, None]) -> None:
    """`asyncio.run`, on uvloop's event loop where it is installed (`pip install uvloop`: some 0.3 ms less CPU per
    model call). The model adapters' connections are closed before the loop is."""

    async def then_close() -> None:
        try:
            await main
        finally:
            await close_transports()

    with asyncio.Runner(loop_factory=_LOOP_FACTORY) as runner:
        runner.run(then_close())


def _frozen(run: Callable[[], None]) -> None:
    """Run with what exists now (modules, worlds, SDK clients' code) set apart from the garbage collector: it is
    never garbage, and walking it at every full collection is a large share of a busy runner's time. (No collection
    first: on a large heap it costs a third of a second; what little garbage there is now stays.)"""
    gc.freeze()
    try:
        run()
    finally:
        gc.unfreeze()


def _run_in_workers(
    spec: ExperimentSpec,
    episodes: list[Episode],
    todo: dict[str, list[Episode]],
    limits: dict[str, int],
    results: dict[Path, EpisodeResult],
    workers: int,
    prices: PriceTable,
    max_cost: float | None,
    columns: tuple[Any, ...],
    console: Console,
    quiet: bool,
) -> None:
    """Run the episodes left in `workers` processes that share the plan; collect their results here."""
    # Forked workers inherit what the caller registered (worlds, policies); where there is no fork, spawned ones
    # import insidergym afresh.
    methods = multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    counters = {provider: context.Value("i", 0) for provider in todo}
    spent = context.Value("d", 0.0)
    messages: Any = context.Queue()
    sizes = {p: len(e) for p, e in todo.items()}
    parent = os.getpid()
    processes = []
    for index in range(workers):
        lanes = {p: _share(n, workers, index) for p, n in limits.items()}
        args = (todo, lanes, counters, sizes, spent, max_cost, prices, messages, parent)
        processes.append(context.Process(target=_worker, args=args, name=f"insidergym-worker-{index}", daemon=True))
    failures: list[str] = []
    clock = _Clock()
    with Progress(*columns, console=console, disable=quiet) as progress:
        bars = _Bars(progress, spec.name, episodes, results)
        for process in processes:
            process.start()
        try:
            while True:
                try:
                    kind, payload = messages.get(timeout=0.2)
                except queue.Empty:
                    if any(p.is_alive() for p in processes):
                        continue
                    break
                if kind == "done":
                    results[payload.episode.path] = payload
                    bars.done(payload, clock.elapsed())
                else:
                    failures.append(payload)
        except KeyboardInterrupt:
            for process in processes:  # each leaves its episodes in flight unfinished, to be redone
                if process.pid is not None and process.is_alive():
                    os.kill(process.pid, signal.SIGINT)
            for process in processes:
                process.join(timeout=10)
                if process.is_alive():
                    process.kill()
            raise
        for process in processes:
            process.join()
    if failures:
        raise InsidergymError("a worker process failed:\n" + failures[0])
    broken = [p for p in processes if p.exitcode not in (0, None)]
    if broken:
        raise InsidergymError(
            f"worker process {broken[0].name} ended with exit code {broken[0].exitcode}; run again to resume"
        )


def _worker(
    todo: dict[str, list[Episode]],
    lanes: dict[str, int],
    counters: dict[str, Any],
    sizes: dict[str, int],
    spent: Any,
    max_cost: float | None,
    prices: PriceTable,
    messages: Any,
    parent: int,
) -> None:
    """One worker process: its lanes, reporting each finished episode (or its own failure) to the parent."""
    _die_with(parent)
    claims = _SharedClaims(counters, sizes)
    meter = _SharedMeter(prices, max_cost, spent)

    async def main() -> None:
        watch = asyncio.ensure_future(_orphaned(parent))
        work = asyncio.ensure_future(
            _lanes(todo, lanes, claims, meter, prices, lambda result: messages.put(("done", result)))
        )
        finished, _ = await asyncio.wait({watch, work}, return_when=asyncio.FIRST_COMPLETED)
        if watch in finished:
            work.cancel()  # the parent is gone: leave the episodes in flight unfinished, as a killed run does
        else:
            watch.cancel()
        await asyncio.gather(work, watch, return_exceptions=True)
        work.result()

    try:
        _frozen(lambda: _run_loop(main()))
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    except BaseException:
        messages.put(("error", traceback.format_exc()))
        raise SystemExit(1) from None


def _die_with(parent: int) -> None:
    """Have Linux kill this process when the parent dies (a killed runner must not leave workers writing traces)."""
    try:
        libc = ctypes.CDLL(None)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere `_orphaned` notices within half a second
    if os.getppid() != parent:
        os._exit(1)


async def _orphaned(parent: int) -> None:
    while os.getppid() == parent:
        await asyncio.sleep(0.5)


def summary_table(results: list[EpisodeResult]) -> Table:
    """Flags per behaviour, agent and condition: episodes flagged out of valid episodes. An entry with roles has a
    row per role (`entry (role)`), counting that role's flags."""
    groups: dict[tuple[str, str, str], list[EpisodeResult]] = {}
    for result in results:
        if result.status == "not_started":
            continue  # not part of the data yet: the run stopped at its budget before it
        e = result.episode
        if e.agent.roles is None:
            groups.setdefault((e.world_id, e.agent.name, e.condition), []).append(result)
            continue
        for role in sorted(result.role_flags or e.agent.roles):
            view = dataclasses.replace(result, flags=result.role_flags.get(role, []))
            groups.setdefault((e.world_id, f"{e.agent.name} ({role})", e.condition), []).append(view)
    behaviours = sorted({b for group in groups.values() for r in group for b in r.flags})
    costs = any(r.cost_usd is not None for group in groups.values() for r in group)
    table = Table(title="Episodes flagged, by world, agent and condition")
    for column in ("world", "agent", "condition", "n", "valid", "errors", *behaviours, *(["cost"] if costs else [])):
        numeric = column not in {"world", "agent", "condition"}
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for (world, agent, condition), group in sorted(groups.items()):
        valid = [r for r in group if r.valid]
        cells = []
        for behaviour in behaviours:
            hits = sum(behaviour in r.flags for r in valid)
            cells.append(f"{hits}/{len(valid)}" if valid else "-")
        failed = sum(r.status == "agent_error" for r in group)
        if costs:
            cells.append(_dollars([r.cost_usd for r in group]))  # a row per role repeats its episodes' cost
        table.add_row(world, agent, condition, str(len(group)), str(len(valid)), str(failed), *cells)
    return table


def _dollars(costs: list[float | None]) -> str:
    """A total estimate, `~` before it when some episodes could not be priced, `-` when none could."""
    known = [c for c in costs if c is not None]
    if not known:
        return "-"
    return ("~" if len(known) < len(costs) else "") + f"${sum(known):.4f}"


def run_experiment_cli(args: argparse.Namespace, console: Console) -> int:
    """`insidergym run EXPERIMENT`: `--out` (when given) overrides the file's folder; warnings are printed as they
    come, one line each."""
    warned = Console(stderr=True, soft_wrap=True)
    not_run: list[str] = []

    def show(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
        warned.print(f"[yellow]warning:[/] {escape(str(message))}", highlight=False)
        if issubclass(category, InapplicablePolicy):
            not_run.append(str(message))

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        results = run_experiment(
            args.experiment,
            fresh=args.fresh,
            out=args.out,
            console=console,
            quiet=args.quiet,
            workers=getattr(args, "workers", 1),
            max_cost=getattr(args, "max_cost", None),
            prices=getattr(args, "prices", None),
        )
    console.print(summary_table(results))
    skipped = sum(r.status == "skipped" for r in results)
    waiting = sum(r.status == "not_started" for r in results)
    redone = sum(r.redone for r in results)
    invalid = sum(not r.valid and r.status != "not_started" for r in results)
    console.print(
        f"{len(results)} episode(s): {len(results) - skipped - waiting} run now, {skipped} finished earlier"
        + (f" ({redone} of those run now were left unfinished by an earlier run)" if redone else "")
        + (f", {waiting} not started" if waiting else "")
        + (f"; {invalid} invalid (the agent never acted), reported apart" if invalid else "")
    )
    now = [r.cost_usd for r in results if r.status not in {"skipped", "not_started"}]
    if any(c is not None for c in now):
        date = load_prices(getattr(args, "prices", None)).date
        unpriced = "; ~: some calls had no price" if _dollars(now).startswith("~") else ""
        console.print(f"Estimated cost of this run: {_dollars(now)} (prices of {date}{unpriced})")
    for line in not_run:
        console.print(f"Not run where its policy does not apply: {escape(line)}", highlight=False)
    if waiting:
        console.print(
            f"[yellow]Stopped at the budget (--max-cost {getattr(args, 'max_cost', None)}): the episodes in flight "
            f"finished, "
            f"{waiting} did not start. Run the same command again to continue.[/]"
        )
    return 0


def results_by_condition(results: list[EpisodeResult]) -> Mapping[str, Counter[str]]:
    """Behaviour counts per condition (valid episodes only), for scripts."""
    out: dict[str, Counter[str]] = {}
    for result in results:
        if result.valid:
            out.setdefault(result.episode.condition, Counter()).update(result.flags)
    return out
