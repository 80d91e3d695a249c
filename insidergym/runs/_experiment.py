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
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import re
import shutil
import warnings
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from insidergym._atomic import write_atomic
from insidergym._errors import InsidergymError, UnknownNameError
from insidergym._version import __version__
from insidergym.agents import Agent, IdleAgent, make_agent
from insidergym.envs import loaded_world, variant
from insidergym.runs._episode import SimulationSeats, act_concurrently, play
from insidergym.runs._lock import folder_lock
from insidergym.sim import Simulation, Trace, load_trace
from insidergym.worlds import Variant

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

    @model_validator(mode="after")
    def _grid_or_list(self) -> WorldEntry:
        if self.factors and self.conditions is not None:
            raise ValueError("give either 'factors' (a grid) or 'conditions' (a list), not both")
        return self


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

    @property
    def condition(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.factors) or "default"


@dataclass
class EpisodeResult:
    episode: Episode
    status: str
    """`ok`, `agent_error`, or `skipped` (finished in an earlier run)."""
    flags: list[str] = field(default_factory=list)
    """Every behaviour flagged in the episode, whoever did it."""
    valid: bool = True
    """False when the agent (for roles: one of the assigned roles) never acted, or the episode is unfinished: such
    an episode is not a 'no behaviour' data point."""
    role_flags: dict[str, list[str]] = field(default_factory=dict)
    """Per agent of the world (the roles): the behaviours it was flagged for."""
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
    return spec, hashlib.sha256(raw).hexdigest()


def _conditions(entry: WorldEntry) -> list[dict[str, str]]:
    if entry.conditions is not None:
        return [dict(c) for c in entry.conditions]
    names = list(entry.factors)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(entry.factors[n] for n in names))]


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
        loaded_world(entry.id)
        for factors in _conditions(entry):
            condition = variant(entry.id, factors)  # raises FactorError with the valid values
            key = tuple(sorted(factors.items()))
            _check_condition_folder(folders, index, entry.id, ",".join(f"{k}={v}" for k, v in key) or "default")
            for agent in spec.agents:
                _check_agent(agent, condition)  # an unknown policy or role fails now, not mid-run
                for sample in range(spec.samples):
                    folder = out / _slug(entry.id) / _slug(agent.name) / _slug(",".join(f"{k}={v}" for k, v in key))
                    episodes.append(
                        Episode(entry.id, key, agent, sample, spec.seed + sample, folder / f"sample{sample:04d}.jsonl")
                    )
    return episodes


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


def _result(episode: Episode, trace: Trace, skipped: bool = False) -> EpisodeResult:
    """An episode's result from its trace: status, flags (all and per role), and whether the agents acted."""
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
    return EpisodeResult(episode, status, flags, valid=valid, role_flags=role_flags)


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


async def _run_one(episode: Episode) -> EpisodeResult:
    condition = variant(episode.world, dict(episode.factors))
    drivers, names = _drivers(episode, condition)
    sim = Simulation(condition, episode.seed, agent_specs=names, trace_path=episode.path)
    try:
        seats = SimulationSeats(sim, drivers, episode.seed, name_the_agent=episode.agent.roles is not None)
        await play(seats, act_concurrently(drivers))
    finally:
        _finish(sim)
    return _result(episode, sim.trace)


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
) -> list[EpisodeResult]:
    """Run (or resume) the experiment in a file; return one result per episode.

    Warnings (`UserWarning`) say when a damaged manifest was rebuilt, or a lock left by a killed run taken over.

    Raises:
        InsidergymError: a bad experiment file, world, factor or agent; entries whose traces would collide; a
            changed file without `fresh`; an output folder that cannot be made.
        FolderLockedError: another runner is writing to the output folder.
    """
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
        results = asyncio.run(_run_all(spec, episodes, console or Console(), quiet))
        this_run["finished"] = _now()
        this_run["ran"] = sum(r.status != "skipped" for r in results)
        this_run["redone"] = sum(r.redone for r in results)
        _write_manifest(folder, manifest)
    return results


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    # Replaced whole: a crash while writing leaves the previous manifest, never half of one.
    try:
        write_atomic(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    except OSError as err:
        raise InsidergymError(f"cannot write {folder / MANIFEST}: {err.strerror or err}") from None


async def _run_all(spec: ExperimentSpec, episodes: list[Episode], console: Console, quiet: bool) -> list[EpisodeResult]:
    results: dict[Path, EpisodeResult] = {}
    todo = []
    unfinished: set[Path] = set()
    for episode in episodes:
        trace = _finished(episode.path)
        if trace is None:
            todo.append(episode)
            if episode.path.exists():
                unfinished.add(episode.path)
            continue
        results[episode.path] = _result(episode, trace, skipped=True)
    limits: dict[str, asyncio.Semaphore] = {}
    errors: Counter[str] = Counter()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        TextColumn("[red]{task.fields[errors]}"),
    )
    with Progress(*columns, console=console, disable=quiet) as progress:
        total = progress.add_task(f"{spec.name}", total=len(episodes), completed=len(results), rate="", errors="")
        per_condition: dict[tuple[str, str, str], TaskID] = {}
        keys = {(e.world, e.condition, e.agent.name) for e in episodes}
        for episode in episodes if len(keys) <= MAX_CONDITION_BARS else []:
            key = (episode.world, episode.condition, episode.agent.name)
            if key not in per_condition:
                done = sum(
                    1 for r in results.values() if (r.episode.world, r.episode.condition, r.episode.agent.name) == key
                )
                count = sum(1 for e in episodes if (e.world, e.condition, e.agent.name) == key)
                per_condition[key] = progress.add_task(
                    f"  {episode.agent.name} {episode.condition}"[:60], total=count, completed=done, rate="", errors=""
                )
        started = asyncio.get_running_loop().time()
        finished_now = 0

        async def run(episode: Episode) -> None:
            nonlocal finished_now
            limit = limits.setdefault(episode.agent.provider, asyncio.Semaphore(spec.limit(episode.agent.provider)))
            async with limit:
                result = await _run_one(episode)
            result.redone = episode.path in unfinished
            results[episode.path] = result
            finished_now += 1
            if result.status != "ok":
                errors[result.status] += 1
            elapsed = max(asyncio.get_running_loop().time() - started, 1e-9)
            error_text = ", ".join(f"{n} {k}" for k, n in errors.items())
            progress.update(total, advance=1, rate=f"{finished_now / elapsed:.1f} ep/s", errors=error_text)
            bar = per_condition.get((episode.world, episode.condition, episode.agent.name))
            if bar is not None:
                progress.update(bar, advance=1)

        await asyncio.gather(*(run(e) for e in todo))
    return [results[e.path] for e in episodes]


def summary_table(results: list[EpisodeResult]) -> Table:
    """Flags per behaviour, agent and condition: episodes flagged out of valid episodes. An entry with roles has a
    row per role (`entry (role)`), counting that role's flags."""
    groups: dict[tuple[str, str, str], list[EpisodeResult]] = {}
    for result in results:
        e = result.episode
        if e.agent.roles is None:
            groups.setdefault((e.world, e.agent.name, e.condition), []).append(result)
            continue
        for role in sorted(result.role_flags or e.agent.roles):
            view = dataclasses.replace(result, flags=result.role_flags.get(role, []))
            groups.setdefault((e.world, f"{e.agent.name} ({role})", e.condition), []).append(view)
    behaviours = sorted({b for group in groups.values() for r in group for b in r.flags})
    table = Table(title="Episodes flagged, by world, agent and condition")
    for column in ("world", "agent", "condition", "n", "valid", "errors", *behaviours):
        numeric = column not in {"world", "agent", "condition"}
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for (world, agent, condition), group in sorted(groups.items()):
        valid = [r for r in group if r.valid]
        cells = []
        for behaviour in behaviours:
            hits = sum(behaviour in r.flags for r in valid)
            cells.append(f"{hits}/{len(valid)}" if valid else "-")
        failed = sum(r.status == "agent_error" for r in group)
        table.add_row(world, agent, condition, str(len(group)), str(len(valid)), str(failed), *cells)
    return table


def run_experiment_cli(args: argparse.Namespace, console: Console) -> int:
    """`insidergym run EXPERIMENT`: `--out` (when given) overrides the file's folder; warnings are printed as they
    come, one line each."""
    warned = Console(stderr=True, soft_wrap=True)

    def show(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
        warned.print(f"[yellow]warning:[/] {escape(str(message))}", highlight=False)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        results = run_experiment(args.experiment, fresh=args.fresh, out=args.out, console=console, quiet=args.quiet)
    console.print(summary_table(results))
    skipped = sum(r.status == "skipped" for r in results)
    redone = sum(r.redone for r in results)
    invalid = sum(not r.valid for r in results)
    console.print(
        f"{len(results)} episode(s): {len(results) - skipped} run now, {skipped} finished earlier"
        + (f" ({redone} of those run now were left unfinished by an earlier run)" if redone else "")
        + (f"; {invalid} invalid (the agent never acted), reported apart" if invalid else "")
    )
    return 0


def results_by_condition(results: list[EpisodeResult]) -> Mapping[str, Counter[str]]:
    """Behaviour counts per condition (valid episodes only), for scripts."""
    out: dict[str, Counter[str]] = {}
    for result in results:
        if result.valid:
            out.setdefault(result.episode.condition, Counter()).update(result.flags)
    return out
