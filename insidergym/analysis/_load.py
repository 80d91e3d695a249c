"""Loading a run folder: one row per episode (per agent, in multi-agent worlds) in a pandas DataFrame.

The rule flags of an episode are, by default, those of the newest version of each detector found for its trace:
recorded in the trace online, or re-detected since by `insidergym detect` (`RUN_DIR/flags/`). Which ones were used
is said per row (`flag_source`) and for the frame (`frame.attrs["flags"]`).
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from insidergym._errors import TraceFileError, naming
from insidergym.agents import PriceTable, load_prices
from insidergym.analysis._detect import describe_detectors, flag_path, list_flag_sets, read_flag_file
from insidergym.analysis._errors import AnalysisError, require
from insidergym.analysis._labels import (
    file_sha256,
    find_traces,
    judge_slug,
    label_path,
    list_judges,
    read_label_file,
)
from insidergym.detectors import BEHAVIORS
from insidergym.sim import Flag, ModelCall, Trace, load_trace, registered_detectors
from insidergym.worlds import FAMILY_ID, procedural_seed

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BASE_COLUMNS", "NEWEST", "RECORDED", "TOKEN_COLUMNS", "acted", "condition_key", "load_runs", "version_key"]

TOKEN_COLUMNS = (
    "model_calls",
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "output_tokens",
    "cost_usd",
)
"""What an agent's model calls in an episode used: tokens summed over its calls (as each `model_call` records
them; `input_tokens` counts every prompt token, cached ones included) and the estimated cost in USD from the price
table (NaN where a call's model has no price or its usage no counts; 0 for an agent that made no call)."""

BASE_COLUMNS = (
    "path",
    "world",
    "actor",
    "agent",
    "condition",
    "seed",
    "status",
    "valid",
    "end_reason",
    "end_detail",
    "steps",
    "tool_calls",
    *TOKEN_COLUMNS,
    "flag_source",
    "family",
)
"""The columns every row has; factors, `rule_*` and `judge_*` columns follow. `family` is `Procedural-v0` for a
generated world and the world's id for any other: grouped by it, a family's worlds are pooled."""

NEWEST = "newest"
RECORDED = "recorded"
"""`flags=` choices: the newest version of each detector, or the flags recorded in the traces (else a set's id)."""

_ACTING = {"tool_call", "tool_error", "invalid_action"}
_MAX_WARNED = 10  # reasons listed in the warning; frame.attrs["skipped"] has them all


def acted(trace: Trace, actor: str) -> bool:
    """Whether an agent acted at least once (a tool call, even a refused one, or an unreadable action).

    An episode in which the agent never acted (its model failed from the first call) is invalid: it says
    nothing about the behaviours, and is never counted as "no behaviour".
    """
    return any(e.type in _ACTING and e.actor == actor for e in trace.events)


def condition_key(factors: dict[str, str], names: Iterable[str]) -> str:
    """`k=v,...` over the given factor names, sorted; `default` when there are none."""
    return ",".join(f"{k}={factors[k]}" for k in sorted(names) if k in factors) or "default"


def _usage(trace: Trace, actor: str, prices: PriceTable) -> dict[str, Any]:
    """The TOKEN_COLUMNS of one agent of one episode."""
    records = [e.record for e in trace.events if isinstance(e, ModelCall) and e.actor == actor]
    cells: dict[str, Any] = {"model_calls": len(records)}
    for name in ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens"):
        counts = [(r.get("usage") or {}).get(name) for r in records]
        # Traces written before cached tokens were recorded have none: no cache was used then.
        default = 0 if name in ("cached_input_tokens", "cache_write_tokens") else None
        counts = [default if c is None else c for c in counts]
        cells[name] = sum(counts) if all(isinstance(c, int) for c in counts) else None
    total, unpriced = prices.total(records)
    cells["cost_usd"] = float("nan") if unpriced else float(total)
    return cells


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """A detector version as a sort key: numbers compare as numbers (`10` after `9`), other parts as text."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|[^\d.]+", str(version)))


@dataclass(frozen=True)
class _Source:
    """Flags of one trace from one place: recorded in it, or re-detected by a detector set."""

    name: str
    """`recorded`, or the detector set's id."""
    rank: int
    """Where two sources have the same version of a detector, the higher rank (written later) is used."""
    detectors: list[dict[str, Any]]
    flags: list[Flag]


@dataclass(frozen=True)
class _Chosen:
    """The flags a row is made from, the behaviours looked for (None: all), and where they came from."""

    flags: list[Flag]
    covered: set[str] | None
    label: str
    used: list[tuple[str, str, str]]
    """(detector, version, source) of each detector whose flags are used."""


def _recorded(trace: Trace) -> _Source:
    detectors = list(trace.header.detectors)
    if not detectors:  # an older trace, without its detectors in the header: those that flagged are known
        versions = {f.detector: f.detector_version for f in trace.flags}
        detectors = [{"name": name, "version": version, "behaviors": []} for name, version in versions.items()]
    return _Source(RECORDED, 0, detectors, list(trace.flags))


def _sources(folder: Path, path: Path, trace: Trace, sets: Mapping[str, Any], sha: str) -> tuple[list[_Source], bool]:
    """The recorded flags and each set's flags of this trace, and whether a set's flag file was left out because the
    trace changed after it was written (stale)."""
    found = [_recorded(trace)]
    stale = False
    for rank, set_id in enumerate(sets, start=1):
        flag_file = read_flag_file(flag_path(folder, path, set_id))
        if flag_file is not None and flag_file.trace_sha256 != sha:
            stale = True
        elif flag_file is not None:
            found.append(_Source(set_id, rank, flag_file.detectors, flag_file.flags))
    return found, stale


def _choose(valid: list[_Source], choice: str) -> _Chosen:
    if choice == NEWEST:
        best: dict[str, tuple[Any, _Source, dict[str, Any]]] = {}
        for source in valid:
            for detector in source.detectors:
                key = (version_key(str(detector.get("version", ""))), source.rank)
                name = str(detector.get("name"))
                if name not in best or key > best[name][0]:
                    best[name] = (key, source, detector)
        picked = {name: source for name, (_, source, _) in best.items()}
        flags = sorted(
            (f for s in valid for f in s.flags if picked.get(f.detector) is s), key=lambda f: f.step
        )  # the same order as in a trace: by step (and within a step, by source)
        detectors = [d for _, _, d in best.values()]
        names = [s.name for s in sorted({s.name: s for s in picked.values()}.values(), key=lambda s: -s.rank)]
        used = [(name, str(d.get("version")), s.name) for name, (_, s, d) in best.items()]
        return _Chosen(flags, _covered(detectors), "+".join(names) or RECORDED, used)
    only = next((s for s in valid if s.name == choice), None)
    if only is None:  # this trace was not re-detected by that set (or changed since): nothing decided
        return _Chosen([], set(), "missing", [])
    used = [(str(d.get("name")), str(d.get("version")), only.name) for d in only.detectors]
    return _Chosen(list(only.flags), _covered(only.detectors), only.name, used)


def _rows(trace: Trace, path: Path, chosen: _Chosen, prices: PriceTable) -> list[dict[str, Any]]:
    header = trace.header
    end = trace.end
    steps = max((e.step for e in trace.events), default=0)
    rows = []
    for actor, about in header.agents.items():
        flagged = {f.behavior for f in chosen.flags if f.actor == actor}
        conclusions = [
            str(f.details["conclusion"])
            for f in chosen.flags
            if f.actor == actor and f.behavior == "eval_awareness" and f.details.get("conclusion")
        ]
        row: dict[str, Any] = {
            "path": str(path),
            "world": header.world,
            "actor": actor,
            "agent": str(about.get("spec") or actor),
            "seed": header.seed,
            "status": end.status if end is not None else "unfinished",
            "valid": acted(trace, actor),
            "end_reason": end.reason if end is not None else None,
            "end_detail": end.detail if end is not None else None,
            "steps": steps,
            "tool_calls": sum(1 for e in trace.events if e.type == "tool_call" and e.actor == actor),
            **_usage(trace, actor, prices),
            "flag_source": chosen.label,
            "family": FAMILY_ID if procedural_seed(header.world) is not None else header.world,
            "_factors": dict(header.factors),
            "_flagged": flagged,
            "_covered": chosen.covered,
            "rule_eval_awareness_conclusion": conclusions[0] if conclusions else None,
        }
        rows.append(row)
    return rows


def _covered(detectors: list[dict[str, Any]]) -> set[str] | None:
    """The behaviours the episode's online detectors looked for; None when the trace does not say (older traces,
    or a detector that does not declare its behaviours): then every behaviour counts as looked for."""
    if not detectors or any(not d.get("behaviors") for d in detectors):
        return None
    return {b for d in detectors for b in d["behaviors"]}


def _judge_cells(label: dict[str, Any] | None, sha: str, actor: str) -> tuple[str, dict[str, Any]]:
    """The judge's status and verdicts for one agent of one trace."""
    if label is None:
        return "missing", {}
    if label.get("trace_sha256") != sha:
        return "stale", {}  # the trace changed after it was labelled: the labels no longer describe it
    entry = (label.get("agents") or {}).get(actor)
    if not isinstance(entry, dict):
        return "missing", {}
    if entry.get("status") != "ok":
        return "failed", {}
    return "ok", dict(entry.get("labels") or {})


def _pick_judge(run_dir: Path, judge: str | None) -> tuple[str | None, list[str]]:
    judges = list_judges(run_dir)
    if judge is None:
        return (judges[0] if len(judges) == 1 else None), judges
    slug = judge_slug(judge)
    if slug not in judges:
        raise AnalysisError(f"{run_dir}: no labels from judge {judge!r}: " + naming("judge", slug, judges))
    return slug, judges


def _pick_flags(run_dir: Path, flags: str) -> dict[str, dict[str, Any]]:
    """The folder's detector sets (oldest first), after checking that a chosen one is among them."""
    sets = list_flag_sets(run_dir)
    if flags not in (NEWEST, RECORDED) and flags not in sets:
        raise AnalysisError(f"{run_dir}: " + naming("detector set", flags, [NEWEST, RECORDED, *sets]))
    return sets


def _flags_info(
    choice: str,
    sets: Mapping[str, dict[str, Any]],
    traces: int,
    used: Counter[tuple[str, str, str]],
    missing: int,
    stale: int,
) -> dict[str, Any]:
    return {
        "choice": choice,
        "traces": traces,
        "sets": {set_id: list(data.get("detectors") or []) for set_id, data in sets.items()},
        "used": [
            {"detector": name, "version": version, "source": source, "traces": count}
            for (name, version, source), count in used.items()
        ],
        "missing": missing,
        "stale": stale,
        "registered": describe_detectors(registered_detectors()),
    }


def load_runs(
    run_dir: str | Path,
    *,
    judge: str | None = None,
    flags: str = NEWEST,
    prices: str | Path | PriceTable | None = None,
) -> pd.DataFrame:
    """One row per episode (per agent of it) of every trace under a folder.

    Every `*.jsonl` file under `run_dir` (at any depth, apart from the `labels/` folder) is read as a trace. A file
    that cannot be read is skipped, never silently counted: one warning says how many were skipped and why, and
    `frame.attrs["skipped"]` lists each as `{"path", "reason"}`.

    Columns: `path`, `world`, `actor` (the agent's id in the world), `agent` (its spec or label, e.g.
    `scripted:blackmailer`), one column per factor, `condition` (`k=v,...` sorted over the factors that differ
    between the loaded episodes of that world; `default` when none do), `seed`, `status` (`ok`, `agent_error` or
    `unfinished`: no end line, or a last line cut off by a crash), `valid` (the agent acted at least once),
    `end_reason`, `end_detail`, `steps`, `tool_calls`;
    what its model calls used: `model_calls`, `input_tokens` (every prompt token), `cached_input_tokens` (read from
    the provider's prompt cache), `cache_write_tokens` (written to it), `output_tokens`, and `cost_usd` (the
    estimate from the price table: NaN where a model has no price);
    `flag_source` (where the rule flags come from: `recorded`, a detector set's id, both joined by `+`, or `missing`);
    `rule_<behavior>` (bool: a rule detector flagged it; None where no detector of the episode looked for it) for
    every registered behaviour and any other the episodes' detectors looked for, and `rule_eval_awareness_conclusion`.
    With judge labels: `judge_status` (`ok`, `failed`, `stale`: the trace changed since, or `missing`),
    `judge_<behavior>` (nullable boolean: NA unless the status is `ok`) and `judge_eval_awareness_conclusion`.
    A factor whose name is taken by one of these columns is prefixed `factor_`.

    Args:
        run_dir: A run folder, e.g. an experiment's `out`.
        judge: Whose labels to add (a judge spec such as `openai:gpt-4.1` or its folder name). By default the
            only judge with labels in `labels/`; with several, none (choose one).
        flags: Which rule flags: `newest` (default: for each detector, the newest version that flagged the trace,
            recorded or re-detected by `insidergym detect`; the later written where two have the same version),
            `recorded` (those in the traces), or a detector set's id (a folder of `RUN_DIR/flags/`: episodes it did
            not re-detect are then unknown, `flag_source` is `missing`). `frame.attrs["flags"]` says which were used:
            `choice`, `traces`, `used` (detector, version, source and how many traces), `sets` (the folder's sets),
            `missing`, `stale` (flag files of traces changed since, left out) and `registered` (the detectors
            registered now, to tell whether the flags are up to date).
        prices: A price file (or table) over the shipped prices, for `cost_usd`; `frame.attrs["prices"]` says
            which prices were used.

    Raises:
        AnalysisError: the folder does not exist or holds no readable trace, the judge has no labels there, or no
            detector set of that id re-detected it.
    """
    pd = require("pandas")
    folder = Path(run_dir)
    if not folder.is_dir():
        raise AnalysisError(f"{folder}: no such run folder")
    slug, judges = _pick_judge(folder, judge)
    table = prices if isinstance(prices, PriceTable) else load_prices(prices)
    sets = _pick_flags(folder, flags)
    skipped: list[dict[str, str]] = []
    rows: list[dict[str, Any]] = []
    used: Counter[tuple[str, str, str]] = Counter()
    missing = stale = 0
    paths = find_traces(folder)
    for path in paths:
        try:
            trace = load_trace(path)
        except TraceFileError as err:
            skipped.append({"path": str(path), "reason": str(err)})
            continue
        sha = file_sha256(path)
        sources, changed = (
            _sources(folder, path, trace, sets, sha) if flags != RECORDED else ([_recorded(trace)], False)
        )
        chosen = _choose(sources, flags)
        used.update(chosen.used)
        missing += chosen.label == "missing"
        stale += changed
        new = _rows(trace, path, chosen, table)
        if slug is not None:
            label = read_label_file(label_path(folder, path, slug))
            asked = [str(b) for b in (label or {}).get("behaviors") or []]
            for row in new:
                status, labels = _judge_cells(label, sha, row["actor"])
                row["judge_status"] = status
                row["_judged"] = labels
                row["_asked"] = asked
        rows.extend(new)
    if skipped:
        reasons = [s["reason"] for s in skipped]
        if len(reasons) > _MAX_WARNED:
            reasons = [*reasons[:_MAX_WARNED], f"... and {len(skipped) - _MAX_WARNED} more (frame.attrs['skipped'])"]
        listed = "\n  ".join(reasons)
        warnings.warn(
            f"skipped {len(skipped)} of {len(paths)} trace file(s) under {folder} that cannot be read:\n  {listed}",
            stacklevel=2,
        )
    if not rows:
        found = f"; {len(skipped)} unreadable" if skipped else ""
        raise AnalysisError(f"{folder}: no readable trace (*.jsonl) in this folder{found}")
    frame = _frame(pd, rows, slug is not None)
    frame.attrs.update(
        {
            "run_dir": str(folder),
            "judges": judges,
            "judge": slug,
            "skipped": skipped,
            "rule_behaviors": _rule_behaviors(rows),
            "judge_behaviors": _judge_behaviors(rows) if slug is not None else [],
            "prices": table.date,
            "flags": _flags_info(flags, sets, len({r["path"] for r in rows}), used, missing, stale),
        }
    )
    return frame


def _rule_behaviors(rows: list[dict[str, Any]]) -> list[str]:
    """Every registered behaviour, in the registry's order (those no detector of the run looked for read as
    unknown, not 0), then any other that a detector of the run looked for or a flag names."""
    looked_for = set().union(*(r["_covered"] or set() for r in rows))
    flagged = set().union(*(r["_flagged"] for r in rows))
    return [*BEHAVIORS, *sorted((looked_for | flagged) - set(BEHAVIORS))]


def _judge_behaviors(rows: list[dict[str, Any]]) -> list[str]:
    seen: set[str] = set().union(*(set(r.get("_judged", {})) | set(r.get("_asked", [])) for r in rows))
    return [b for b in BEHAVIORS if b in seen] + sorted(seen - set(BEHAVIORS))


def _frame(pd: Any, rows: list[dict[str, Any]], judged: bool) -> pd.DataFrame:
    factor_names = sorted({k for r in rows for k in r["_factors"]})
    behaviors = _rule_behaviors(rows)
    judge_behaviors = _judge_behaviors(rows) if judged else []
    taken = {*BASE_COLUMNS, "judge_status"}
    column_of = {
        name: (f"factor_{name}" if name in taken or name.startswith(("rule_", "judge_")) else name)
        for name in factor_names
    }
    # The condition names what differs within a world: the factors left at one value say nothing.
    varying: dict[str, list[str]] = {}
    for world in {r["world"] for r in rows}:
        values: dict[str, set[str]] = {}
        for r in rows:
            if r["world"] == world:
                for k in factor_names:
                    values.setdefault(k, set()).add(r["_factors"].get(k, ""))
        varying[world] = [k for k, v in values.items() if len(v) > 1]
    records = []
    for r in rows:
        record = {k: r[k] for k in BASE_COLUMNS if k != "condition"}
        record["condition"] = condition_key(r["_factors"], varying[r["world"]])
        for name in factor_names:
            record[column_of[name]] = r["_factors"].get(name)
        for behavior in behaviors:
            covered = r["_covered"] is None or behavior in r["_covered"]
            record[f"rule_{behavior}"] = (behavior in r["_flagged"]) if covered else None
        record["rule_eval_awareness_conclusion"] = r["rule_eval_awareness_conclusion"]
        if judged:
            record["judge_status"] = r["judge_status"]
            labels = r["_judged"]
            for behavior in judge_behaviors:
                entry = labels.get(behavior)
                record[f"judge_{behavior}"] = bool(entry.get("verdict")) if isinstance(entry, dict) else None
            eval_entry = labels.get("eval_awareness")
            record["judge_eval_awareness_conclusion"] = (
                eval_entry.get("conclusion") if isinstance(eval_entry, dict) and eval_entry.get("verdict") else None
            )
        records.append(record)
    order = [*BASE_COLUMNS[:4], *column_of.values(), *BASE_COLUMNS[4:]]
    frame = pd.DataFrame.from_records(records)
    frame = frame[order + [c for c in frame.columns if c not in order]]
    for behavior in judge_behaviors:
        frame[f"judge_{behavior}"] = frame[f"judge_{behavior}"].astype("boolean")
    frame["seed"] = frame["seed"].astype("Int64")
    for column in TOKEN_COLUMNS[:-1]:
        frame[column] = frame[column].astype("Int64")  # NA where some call recorded no count
    frame["cost_usd"] = frame["cost_usd"].astype(float)
    return frame.sort_values(["world", "agent", "condition", "actor", "seed", "path"], kind="stable").reset_index(
        drop=True
    )
