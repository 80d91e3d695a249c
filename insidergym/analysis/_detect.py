"""Re-detection of stored runs: the detectors registered now, run offline over traces already recorded.

A trace records, step by step, what each agent did: its tool calls, its refused actions, its free text and its
model calls. `replay` builds a fresh simulation from the trace header (world, factors, seed, agents) and hands it
the same actions in the same steps, so the world changes exactly as it did then (mail delivered and read, who
learnt a secret, the schedule, documents, recipients) and the detectors read every event, with the state as it
was at that moment, through the same routing as online. No model is called: the actions are the recorded ones.

The replayed events must equal the recorded ones. When they do not, the world or the engine changed since the
trace was written, and flags computed against the world as it is now would describe an episode that never
happened: such a trace is reported, with the first event that differs, and skipped. So are a trace whose world no
longer loads (pass its folder with `worlds=` when it is not registered) and a trace that cannot be read. Limits:
a change to the world that alters no event (say, a secret's terms, which only detectors read) cannot be seen from
the trace, so every flag file records the sha256 of the world's files it was computed with; a person played by a
model would need its recorded replies replayed, which no world has yet.

`detect` does this for every trace of a run folder and writes the flags beside the traces, never into them:

    RUN_DIR/flags/<set>/detectors.json                           the detector set: names, versions, behaviours
    RUN_DIR/flags/<set>/<trace path without .jsonl>.flags.jsonl  a header line, then one flag a line

`<set>` is `detector_set_id`: a short hash of the detectors' names and versions, in order. The header of a flag
file names the detectors, the trace (relative path and sha256) and the world; a trace already re-detected with the
same set, and unchanged since, is skipped. The flags themselves are the `Flag` records a trace holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from insidergym._errors import InsidergymError, TraceFileError, UnknownWorldError, naming
from insidergym._version import __version__
from insidergym.analysis._errors import AnalysisError
from insidergym.analysis._labels import FLAGS_DIR, file_sha256, find_traces
from insidergym.envs import (
    Action,
    Detector,
    Event,
    Flag,
    InvalidAction,
    Simulation,
    ToolCall,
    Trace,
    TraceHeader,
    load_trace,
    loaded_world,
    variant,
)
from insidergym.sim import (
    AgentText,
    InvalidActionEvent,
    ModelCall,
    ToolCallEvent,
    ToolErrorEvent,
    ToolResultEvent,
    registered_detectors,
)

__all__ = [
    "FLAGS_SUFFIX",
    "FLAG_FORMAT",
    "FLAG_FORMAT_VERSION",
    "SET_FILE",
    "DetectResult",
    "DetectRun",
    "FlagFile",
    "ReplayError",
    "describe_detectors",
    "detect",
    "detector_set_id",
    "flag_path",
    "flagged_counts",
    "list_flag_sets",
    "read_flag_file",
    "recorded_actions",
    "replay",
]

FLAG_FORMAT = "insidergym-flags"
FLAG_FORMAT_VERSION = 1
SET_FILE = "detectors.json"
"""The file in a detector set's folder that describes the set."""
FLAGS_SUFFIX = ".flags.jsonl"
_POOL_MIN = 32
"""Fewer traces than this are re-detected in this process: starting workers would cost more than it saves."""
_CHUNK = 16
"""Traces a worker takes at a time."""

Status = Literal["detected", "skipped", "failed"]


class ReplayError(AnalysisError):
    """A trace that cannot be replayed: its world does not load, or replaying it does not give back its events."""

    def __init__(self, message: str, *, world_unknown: bool = False) -> None:
        super().__init__(message)
        self.world_unknown = world_unknown
        """The trace's world id is registered nowhere (run from a folder, or from a package not imported)."""


# -- detector sets ------------------------------------------------------------------------------------------------


def describe_detectors(detectors: Iterable[Detector]) -> list[dict[str, Any]]:
    """Name, version and behaviours of each detector, as a trace header lists them."""
    return [{"name": d.name, "version": d.version, "behaviors": sorted(getattr(d, "behaviors", ()))} for d in detectors]


def detector_set_id(detectors: Iterable[Mapping[str, Any]]) -> str:
    """The id of a set of detectors (the folder name of its flags): a short hash of their names and versions, in
    the order they run (which numbers the flags)."""
    key = json.dumps([[str(d["name"]), str(d["version"])] for d in detectors])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def flag_path(run_dir: Path, trace: Path, detector_set: str) -> Path:
    """Where the flags of a trace by a detector set go."""
    relative = trace.relative_to(run_dir)
    return run_dir / FLAGS_DIR / detector_set / relative.parent / (relative.name.removesuffix(".jsonl") + FLAGS_SUFFIX)


def list_flag_sets(run_dir: Path) -> dict[str, dict[str, Any]]:
    """The detector sets that re-detected traces of a run folder, by id, oldest first (by when each was first
    used), each as its `detectors.json` says: `detectors`, `created`, `insidergym_version`."""
    folder = run_dir / FLAGS_DIR
    found: list[tuple[str, str, dict[str, Any]]] = []
    if folder.is_dir():
        for child in folder.iterdir():
            try:
                data = json.loads((child / SET_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get("format") == FLAG_FORMAT and data.get("detector_set") == child.name:
                found.append((str(data.get("created", "")), child.name, data))
    return {name: data for _, name, data in sorted(found)}


@dataclass(frozen=True)
class FlagFile:
    """A flag file read back: its header and its flags."""

    header: dict[str, Any]
    flags: list[Flag]

    @property
    def trace_sha256(self) -> str:
        return str(self.header.get("trace_sha256", ""))

    @property
    def detectors(self) -> list[dict[str, Any]]:
        return list(self.header.get("detectors") or [])


def read_flag_file(path: Path) -> FlagFile | None:
    """A flag file, or None when it is missing, damaged or not a flag file (the trace is then re-detected)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        header = json.loads(lines[0]) if lines else None
        if not isinstance(header, dict) or header.get("format") != FLAG_FORMAT:
            return None
        if header.get("format_version", 0) > FLAG_FORMAT_VERSION:
            return None
        flags = [Flag.model_validate_json(line) for line in lines[1:] if line.strip()]
    except (OSError, ValueError, ValidationError):
        return None
    return FlagFile(header, flags)


def _write_lines(path: Path, lines: Iterable[str]) -> None:
    """Write a file so that a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in lines)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- replay -------------------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    """One agent's action in one step, gathered from its events."""

    record: dict[str, Any] | None = None
    text: str | None = None
    calls: list[ToolCall] = field(default_factory=list)
    refused: InvalidActionEvent | None = None

    def action(self) -> Action | InvalidAction:
        if self.refused is not None and self.record is None and self.text is None:
            # Unreadable input, or an empty action: refused again for the reason recorded.
            return InvalidAction(reason=self.refused.reason, received=self.refused.received)
        return Action(calls=tuple(self.calls), text=self.text, record=self.record)


_ACTION_EVENTS = (ModelCall, AgentText, ToolCallEvent, ToolErrorEvent, ToolResultEvent, InvalidActionEvent)


def recorded_actions(trace: Trace) -> list[dict[str, Action | InvalidAction]]:
    """What each agent did in each step of a trace (steps 1, 2, ... up to its last), as the actions that make the
    simulation do it again: a tool call with its recorded call id and arguments, a call the simulation refused
    (unknown tool, bad arguments) as it was sent, free text, the model call's record, a refused action."""
    last = max((e.step for e in trace.events), default=0)
    drafts: list[dict[str, _Draft]] = [{} for _ in range(last)]
    running: dict[str, tuple[str, int]] = {}  # agent -> its tool call still running: call id, index in `calls`
    for event in trace.events:
        if event.step == 0 or event.actor is None or not isinstance(event, _ACTION_EVENTS):
            continue
        draft = drafts[event.step - 1].setdefault(event.actor, _Draft())
        if isinstance(event, ModelCall):
            draft.record = event.record
        elif isinstance(event, AgentText):
            draft.text = event.text
        elif isinstance(event, ToolCallEvent):
            draft.calls.append(ToolCall(name=event.name, arguments=event.arguments, id=event.call_id))
            running[event.actor] = (event.call_id, len(draft.calls) - 1)
        elif isinstance(event, ToolResultEvent):
            running.pop(event.actor, None)
        elif isinstance(event, ToolErrorEvent):
            call_id, index = running.pop(event.actor, ("", -1))
            if call_id == event.call_id:  # the tool ran and raised: the error holds the arguments as they were sent
                draft.calls[index] = ToolCall(name=event.name, arguments=event.arguments, id=event.call_id)
            else:  # refused before it ran (no such tool, bad arguments): sent again as it was
                draft.calls.append(ToolCall(name=event.name, arguments=event.arguments, id=event.call_id))
        else:
            draft.refused = event
    return [{agent: draft.action() for agent, draft in step.items()} for step in drafts]


def _check_header(recorded: TraceHeader, replayed: TraceHeader) -> None:
    if replayed.factors != recorded.factors:
        changed = sorted(set(replayed.factors.items()) ^ set(recorded.factors.items()))
        raise ReplayError(f"the factors of {recorded.world} changed since the trace was recorded: {changed}")
    if set(replayed.agents) != set(recorded.agents):
        raise ReplayError(
            f"the agents of {recorded.world} changed since the trace was recorded: "
            f"{sorted(recorded.agents)} then, {sorted(replayed.agents)} now"
        )
    for agent, about in recorded.agents.items():
        for key in ("system_prompt", "tools"):
            if key in about and replayed.agents[agent].get(key) != about[key]:
                raise ReplayError(f"the {key.replace('_', ' ')} of {agent!r} in {recorded.world} changed since")


def _difference(then: Event, now: Event) -> tuple[str, Any, Any] | None:
    """The first field in which a replayed event differs from the recorded one, with both values; None if none.

    Two differences are what a newer engine makes of the same episode, and pass: a field the event type gained
    since the trace was written (absent from the file, so read back at its default), and an argument a tool
    gained since (absent from the recorded call, so validated now at its default). Anything it changed in the
    world shows in a later event, which must match.
    """
    if type(then) is not type(now):
        return "type", then.type, now.type
    old, new = then.model_dump(), now.model_dump()
    fields = type(then).model_fields
    for key, value in new.items():
        before = old.get(key)
        if (
            key not in then.model_fields_set
            and key in fields
            and before == fields[key].get_default(call_default_factory=True)
        ):
            continue
        if key == "arguments" and isinstance(before, dict) and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k in before}
        if before != value:
            return key, before, value
    return None


def _check_events(recorded: Sequence[Event], replayed: Sequence[Event], finished: bool) -> None:
    for then, now in zip(recorded, replayed, strict=False):
        if then == now:
            continue
        found = _difference(then, now)
        if found is not None:
            key, before, value = found
            raise ReplayError(
                f"the replay differs from the trace at {then.id} ({then.type}): {key} was {_short(before)}, now "
                f"{_short(value)}; the world or the engine changed since it was recorded"
            )
    if len(replayed) != len(recorded):
        if not finished and len(replayed) > len(recorded):
            raise ReplayError("the trace ends part-way through a step (cut off while it was written)")
        raise ReplayError(
            f"the replay has {len(replayed)} events, the trace {len(recorded)}; the world or the engine changed since"
        )


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def replay(trace: Trace, detectors: Sequence[Detector] | None = None, *, world: str | Path | None = None) -> Trace:
    """Play a saved trace again in a fresh simulation, with these detectors (by default those registered now).

    Args:
        trace: the trace to replay.
        detectors: the online detectors to run.
        world: the world's folder, when its id (in the trace header) is not registered.

    Returns:
        The replayed trace: the same header (but the detectors and package version of now), the same events, and
        the flags of these detectors.

    Raises:
        ReplayError: the world does not load, or its agents, factors or events are not those of the trace.
    """
    header = trace.header
    try:
        condition = variant(world if world is not None else header.world, header.factors)
    except InsidergymError as err:
        unknown = isinstance(err, UnknownWorldError)
        raise ReplayError(f"world {header.world!r} does not load: {err}", world_unknown=unknown) from None
    specs = {agent: str(about.get("spec", "unspecified")) for agent, about in header.agents.items()}
    sim = Simulation(condition, header.seed, detectors=detectors, agent_specs=specs)
    _check_header(header, sim.trace.header)
    sim.start()
    for actions in recorded_actions(trace):
        if sim.trace.end is not None:
            break
        sim.step(actions)
    end = trace.end
    if end is not None and sim.trace.end is None:  # ended from outside: an agent error, the env closed
        sim.close(end.reason, end.status, end.detail)
    _check_events(trace.events, sim.trace.events, finished=end is not None)
    return sim.trace


# -- a run folder -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DetectResult:
    """What `detect` did with one trace."""

    trace: Path
    status: Status
    """`detected` now, `skipped` (re-detected earlier by the same set, and unchanged since), or `failed`."""
    reason: str = ""
    """Why it failed: the trace cannot be read, its world does not load, or the replay differs from it."""
    world_unknown: bool = False
    """It failed because its world id is registered nowhere: `--world FOLDER` (or the world's package) finds it."""
    recorded: frozenset[str] = frozenset()
    """The behaviours flagged in the trace by the detectors of the set's names (as recorded online)."""
    redetected: frozenset[str] = frozenset()
    """The behaviours the set flagged."""


@dataclass
class DetectRun:
    """A run folder after `detect`: the detector set and what happened to each trace."""

    run_dir: Path
    detector_set: str
    detectors: list[dict[str, Any]]
    results: list[DetectResult]

    @property
    def folder(self) -> Path:
        """Where the set's flag files are."""
        return self.run_dir / FLAGS_DIR / self.detector_set

    def count(self, status: Status) -> int:
        return sum(r.status == status for r in self.results)


@dataclass(frozen=True)
class _Job:
    """What every trace of a `detect` call is re-detected with; workers inherit it when they fork."""

    run_dir: Path
    detectors: tuple[Detector, ...]
    detector_set: str
    described: list[dict[str, Any]]
    worlds: Mapping[str, Path]


_JOB: _Job | None = None


@cache
def _world_sha256(world: str | Path) -> str:
    """A hash of a world's files (names and bytes), so that two flag files tell whether their world was the same."""
    loaded = loaded_world(world)
    digest = hashlib.sha256()
    for path in sorted(loaded.files):
        name = path.relative_to(loaded.folder) if path.is_relative_to(loaded.folder) else Path(path.name)
        digest.update(name.as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _detect_one(path: Path) -> DetectResult:
    job = _JOB
    if job is None:  # unreachable: `detect` sets the job before any trace is handed out
        raise RuntimeError("no detect job in this process")
    names = {d["name"] for d in job.described}
    try:
        sha = file_sha256(path)
        target = flag_path(job.run_dir, path, job.detector_set)
        existing = read_flag_file(target)
        if (
            existing is not None
            and existing.header.get("detector_set") == job.detector_set
            and (existing.trace_sha256 == sha)
        ):
            return DetectResult(path, "skipped", redetected=frozenset(f.behavior for f in existing.flags))
        trace = load_trace(path)
        world = job.worlds.get(trace.header.world)
        replayed = replay(trace, job.detectors, world=world)
        header = {
            "kind": "flags",
            "format": FLAG_FORMAT,
            "format_version": FLAG_FORMAT_VERSION,
            "detector_set": job.detector_set,
            "detectors": job.described,
            "trace": path.relative_to(job.run_dir).as_posix(),
            "trace_sha256": sha,
            "world": trace.header.world,
            "world_sha256": _world_sha256(world if world is not None else trace.header.world),
            "recorded_detectors": trace.header.detectors,
            "insidergym_version": __version__,
        }
        _write_lines(target, [json.dumps(header, ensure_ascii=False), *(f.model_dump_json() for f in replayed.flags)])
    except TraceFileError as err:
        return DetectResult(path, "failed", f"cannot be read: {err}")
    except ReplayError as err:
        return DetectResult(path, "failed", f"{path}: {err}", world_unknown=err.world_unknown)
    except Exception as err:  # a detector or a tool that breaks on one trace must not stop a run of thousands
        return DetectResult(path, "failed", f"{path}: the replay raised {type(err).__name__}: {err}")
    recorded = frozenset(f.behavior for f in trace.flags if f.detector in names)
    return DetectResult(path, "detected", recorded=recorded, redetected=frozenset(f.behavior for f in replayed.flags))


def _load_worlds(paths: Sequence[Path], worlds: Mapping[str, Path]) -> None:
    """Load each world the traces name, once, in this process: workers forked after it inherit it loaded."""
    seen: set[str] = set()
    for path in paths:
        try:
            with path.open(encoding="utf-8") as handle:
                world = json.loads(handle.readline()).get("world")
        except (OSError, ValueError, AttributeError):
            continue  # the worker that gets this trace says what is wrong with it
        if isinstance(world, str) and world not in seen:
            seen.add(world)
            with suppress(InsidergymError):
                _world_sha256(worlds.get(world, world))


@contextmanager
def _workers(jobs: int) -> Iterator[Callable[[Sequence[Path]], Iterable[DetectResult]]]:
    """An unordered map of `_detect_one` over forked worker processes; in this process for one job, or where
    processes cannot fork."""
    pool = None
    # Fork, so that the workers run the very detectors registered here (a plug-in's, a script's own).
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        try:
            pool = multiprocessing.get_context("fork").Pool(jobs)
        except (OSError, NotImplementedError):  # no process pools here (a sandbox without semaphores)
            pool = None
    if pool is None:
        yield lambda paths: map(_detect_one, paths)
        return
    with pool:
        yield lambda paths: pool.imap_unordered(_detect_one, paths, chunksize=_CHUNK)


def _choose(names: Sequence[str] | None) -> tuple[Detector, ...]:
    registered = registered_detectors()
    if not names:
        return registered
    by_name = {d.name: d for d in registered}
    for name in names:
        if name not in by_name:
            raise AnalysisError(naming("detector", name, by_name))
    wanted = set(names)
    return tuple(d for d in registered if d.name in wanted)  # in the order they run online


def _world_folders(worlds: Iterable[str | Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in worlds:
        try:
            found[loaded_world(Path(folder)).spec.id] = Path(folder)
        except InsidergymError as err:
            raise AnalysisError(f"--world {str(folder)!r}: {err}") from None
    return found


def _now() -> str:
    # Wall-clock time belongs in the set's description (when it was first used), never in a flag file.
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def detect(
    run_dir: str | Path,
    *,
    detectors: Sequence[str] | None = None,
    worlds: Iterable[str | Path] = (),
    jobs: int | None = None,
    console: Console | None = None,
    quiet: bool = False,
) -> DetectRun:
    """Re-run the detectors registered now over every trace of a run folder, offline; write the flags beside them.

    Each trace is replayed (`replay`) and its flags by this detector set are written to
    `RUN_DIR/flags/<set>/<trace>.flags.jsonl`; the traces are never changed. A trace re-detected by the same set
    earlier, and unchanged since, is skipped. A trace that cannot be read, whose world does not load, or whose
    replay differs from it, is skipped with a warning that says why, and counted as failed: never a crash.

    Args:
        run_dir: A run folder (an experiment's `out`); every `*.jsonl` under it but `labels/` and `flags/`.
        detectors: Names of registered detectors to run (in the order they run online); by default all.
        worlds: World folders whose ids the traces name but which are not registered.
        jobs: Worker processes (default: one per CPU, up to 8; small folders run in this process).
        console: Where the progress bar goes.
        quiet: No progress bar.

    Raises:
        AnalysisError: the folder does not exist or holds no trace, an unknown detector, or a bad world folder.
    """
    global _JOB
    folder = Path(run_dir)
    if not folder.is_dir():
        raise AnalysisError(f"{folder}: no such run folder")
    chosen = _choose(detectors)
    described = describe_detectors(chosen)
    set_id = detector_set_id(described)
    paths = find_traces(folder)
    if not paths:
        raise AnalysisError(f"{folder}: no trace (*.jsonl) in this folder")
    set_file = folder / FLAGS_DIR / set_id / SET_FILE
    created = (list_flag_sets(folder).get(set_id) or {}).get("created") or _now()
    description = {
        "format": FLAG_FORMAT,
        "format_version": FLAG_FORMAT_VERSION,
        "detector_set": set_id,
        "detectors": described,
        "created": created,
        "insidergym_version": __version__,
    }
    _write_lines(set_file, [json.dumps(description, indent=2, ensure_ascii=False)])
    _JOB = _Job(folder, chosen, set_id, described, _world_folders(worlds))
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    workers = workers if len(paths) >= _POOL_MIN else 1
    if workers > 1:
        _load_worlds(paths, _JOB.worlds)
    results: dict[Path, DetectResult] = {}
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        TextColumn("[red]{task.fields[failed]}"),
    )
    try:
        # The pool forks before the progress bar starts its thread: forking a threaded process can deadlock.
        with (
            _workers(workers) as each,
            Progress(*columns, console=console or Console(), disable=quiet) as progress,
        ):
            task = progress.add_task(f"detect {set_id}", total=len(paths), rate="", failed="")
            started = time.perf_counter()
            failed = 0
            for result in each(paths):
                results[result.trace] = result
                failed += result.status == "failed"
                elapsed = max(time.perf_counter() - started, 1e-9)
                progress.update(
                    task,
                    advance=1,
                    rate=f"{len(results) / elapsed * 60:,.0f} traces/min",
                    failed=f"{failed} failed" if failed else "",
                )
    finally:
        _JOB = None
    ordered = [results[p] for p in paths]
    for result in ordered:
        if result.status == "failed":
            warnings.warn(f"skipped a trace: {result.reason}", stacklevel=2)
    return DetectRun(folder, set_id, described, ordered)


def flagged_counts(run: DetectRun) -> dict[str, tuple[int, int]]:
    """Per behaviour, the traces re-detected now that were flagged with it as recorded and as re-detected."""
    recorded: Counter[str] = Counter()
    redetected: Counter[str] = Counter()
    for result in run.results:
        if result.status == "detected":
            recorded.update(result.recorded)
            redetected.update(result.redetected)
    return {b: (recorded[b], redetected[b]) for b in sorted(recorded.keys() | redetected.keys())}
