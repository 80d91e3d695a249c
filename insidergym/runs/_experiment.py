"""Experiments: worlds x conditions x agents x samples, run concurrently, resumable, with progress and a summary.

An experiment file (YAML) names what to run; `run_experiment` runs it into an output folder, one trace per
episode. An agent entry drives the world's session agent (`scripted:compliant`, `openai:gpt-4.1`, ...), or gives
each agent of a multi-agent world its own spec by role (`{roles: {ops: scripted:peer_saver, mail: openai:gpt-4.1}}`;
agents left out only wait); each episode's result then records every role's flags. Running it again resumes:
finished episodes are kept, unfinished ones are redone, nothing is duplicated. A changed experiment file is refused
unless `fresh=True` starts the folder anew.
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
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from insidergym._errors import InsidergymError, TraceFileError, UnknownNameError
from insidergym._version import __version__
from insidergym.agents import Agent, IdleAgent, make_agent
from insidergym.envs import loaded_world, variant
from insidergym.runs._episode import SimulationSeats, act_concurrently, play
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
    """False when the agent (for roles: one of the assigned roles) never acted: such an episode is not a 'no
    behaviour' data point."""
    role_flags: dict[str, list[str]] = field(default_factory=dict)
    """Per agent of the world (the roles): the behaviours it was flagged for."""


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.=,-]+", "-", text).strip("-") or "default"


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
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        raise InsidergymError(f"{source}: invalid YAML: {err}") from None
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
    """Every episode of the experiment, in a stable order; checks worlds, factors and agent specs first."""

    episodes = []
    for entry in spec.worlds:
        loaded_world(entry.id)
        for factors in _conditions(entry):
            condition = variant(entry.id, factors)  # raises FactorError with the valid values
            for agent in spec.agents:
                _check_agent(agent, condition)  # an unknown policy or role fails now, not mid-run
                key = tuple(sorted(factors.items()))
                for sample in range(spec.samples):
                    folder = out / _slug(entry.id) / _slug(agent.name) / _slug(",".join(f"{k}={v}" for k, v in key))
                    episodes.append(
                        Episode(entry.id, key, agent, sample, spec.seed + sample, folder / f"sample{sample:04d}.jsonl")
                    )
    return episodes


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
    """The trace if this episode ran to its end in an earlier run."""
    if not path.exists():
        return None
    try:
        trace = load_trace(path)
    except TraceFileError:
        return None
    return trace if trace.end is not None else None


def _result(episode: Episode, trace: Trace, skipped: bool = False) -> EpisodeResult:
    """An episode's result from its trace: status, flags (all and per role), and whether the agents acted."""
    end = trace.end
    status: str = end.status if end is not None else "unfinished"
    actors = {e.actor for e in trace.events if e.type in {"tool_call", "tool_error", "invalid_action"} and e.actor}
    roles = episode.agent.roles
    valid = all(role in actors for role in roles) if roles is not None else bool(actors)
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
    if roles is None:
        if episode.agent.spec is None:  # unreachable: an entry has a spec or roles, checked on load
            raise InsidergymError(f"agent entry {episode.agent.name!r} has neither a spec nor roles")
        agent = make_agent(episode.agent.spec, world=condition, seed=episode.seed, **episode.agent.settings)
        return {world.session.agent: agent}, {world.session.agent: episode.agent.name}
    drivers: dict[str, Agent] = {}
    names: dict[str, str] = {}
    for seat in world.agents:
        entry = roles.get(seat.id)
        if entry is None:
            drivers[seat.id], names[seat.id] = IdleAgent(), IdleAgent.name
        else:
            drivers[seat.id] = make_agent(entry.spec, world=condition, seed=episode.seed, **entry.settings)
            names[seat.id] = entry.name
    return drivers, names


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


def _check_manifest(out: Path, digest: str, fresh: bool, source: Path) -> dict[str, Any]:
    """The folder's manifest, checked against the experiment file; a new one for a new or fresh folder."""
    manifest_path = out / MANIFEST
    if manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        if manifest.get("experiment_sha256") != digest:
            if not fresh:
                raise InsidergymError(
                    f"{source} changed since {out} was started (sha256 {manifest.get('experiment_sha256', '?')[:12]} "
                    f"then, {digest[:12]} now). Pass --fresh to start that folder anew, or set another 'out'."
                )
            for child in out.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
            manifest_path.unlink()
        else:
            return manifest
    return {"experiment": str(source), "experiment_sha256": digest, "runs": []}


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

    Raises:
        InsidergymError: a bad experiment file, world, factor or agent, or a changed file without `fresh`.
    """
    source = Path(path)
    spec, digest = load_experiment(source)
    folder = Path(out if out is not None else spec.out)
    episodes = plan(spec, folder)  # checks worlds, factors and agents before anything is written
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _check_manifest(folder, digest, fresh, source)
    this_run: dict[str, Any] = {"started": _now(), "finished": None, "insidergym_version": __version__}
    manifest["runs"].append(this_run)
    manifest["episodes"] = len(episodes)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    results = asyncio.run(_run_all(spec, episodes, console or Console(), quiet))
    this_run["finished"] = _now()
    this_run["ran"] = sum(r.status != "skipped" for r in results)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return results


async def _run_all(spec: ExperimentSpec, episodes: list[Episode], console: Console, quiet: bool) -> list[EpisodeResult]:
    results: dict[Path, EpisodeResult] = {}
    todo = []
    for episode in episodes:
        trace = _finished(episode.path)
        if trace is None:
            todo.append(episode)
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
    out = args.out if args.out != "runs" else None  # --out overrides the file's folder when given
    results = run_experiment(args.experiment, fresh=args.fresh, out=out, console=console, quiet=args.quiet)
    console.print(summary_table(results))
    skipped = sum(r.status == "skipped" for r in results)
    invalid = sum(not r.valid for r in results)
    console.print(
        f"{len(results)} episode(s): {len(results) - skipped} run now, {skipped} finished earlier"
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
