"""Loading a run folder: one row per episode (per agent, in multi-agent worlds) in a pandas DataFrame."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from insidergym._errors import TraceFileError, naming
from insidergym.analysis._behaviors import BEHAVIORS, RULE_BEHAVIORS
from insidergym.analysis._errors import AnalysisError, require
from insidergym.analysis._labels import (
    file_sha256,
    find_traces,
    judge_slug,
    label_path,
    list_judges,
    read_label_file,
)
from insidergym.sim._trace import Trace, load_trace

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BASE_COLUMNS", "acted", "condition_key", "load_runs"]

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
)
"""The columns every row has; factors, `rule_*` and `judge_*` columns follow."""

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


def _rows(trace: Trace, path: Path) -> list[dict[str, Any]]:
    header = trace.header
    end = trace.end
    steps = max((e.step for e in trace.events), default=0)
    rows = []
    for actor, about in header.agents.items():
        flagged = {f.behavior for f in trace.flags if f.actor == actor}
        conclusions = [
            str(f.details["conclusion"])
            for f in trace.flags
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
            "_factors": dict(header.factors),
            "_flagged": flagged,
            "_covered": _covered(header.detectors),
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


def load_runs(run_dir: str | Path, *, judge: str | None = None) -> pd.DataFrame:
    """One row per episode (per agent of it) of every trace under a folder.

    Every `*.jsonl` file under `run_dir` (at any depth, apart from the `labels/` folder) is read as a trace. A file
    that cannot be read is skipped, never silently counted: one warning says how many were skipped and why, and
    `frame.attrs["skipped"]` lists each as `{"path", "reason"}`.

    Columns: `path`, `world`, `actor` (the agent's id in the world), `agent` (its spec or label, e.g.
    `scripted:blackmailer`), one column per factor, `condition` (`k=v,...` sorted over the factors that differ
    between the loaded episodes of that world; `default` when none do), `seed`, `status` (`ok`, `agent_error` or
    `unfinished`), `valid` (the agent acted at least once), `end_reason`, `end_detail`, `steps`, `tool_calls`;
    `rule_<behavior>` (bool: a rule detector flagged it) for every behaviour, and `rule_eval_awareness_conclusion`.
    With judge labels: `judge_status` (`ok`, `failed`, `stale`: the trace changed since, or `missing`),
    `judge_<behavior>` (nullable boolean: NA unless the status is `ok`) and `judge_eval_awareness_conclusion`.
    A factor whose name is taken by one of these columns is prefixed `factor_`.

    Args:
        run_dir: A run folder, e.g. an experiment's `out`.
        judge: Whose labels to add (a judge spec such as `openai:gpt-4.1` or its folder name). By default the
            only judge with labels in `labels/`; with several, none (choose one).

    Raises:
        AnalysisError: the folder does not exist or holds no readable trace, or the judge has no labels there.
    """
    pd = require("pandas")
    folder = Path(run_dir)
    if not folder.is_dir():
        raise AnalysisError(f"{folder}: no such run folder")
    slug, judges = _pick_judge(folder, judge)
    skipped: list[dict[str, str]] = []
    rows: list[dict[str, Any]] = []
    paths = find_traces(folder)
    for path in paths:
        try:
            trace = load_trace(path)
        except TraceFileError as err:
            skipped.append({"path": str(path), "reason": str(err)})
            continue
        new = _rows(trace, path)
        if slug is not None:
            label = read_label_file(label_path(folder, path, slug))
            sha = file_sha256(path)
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
        }
    )
    return frame


def _rule_behaviors(rows: list[dict[str, Any]]) -> list[str]:
    seen = set().union(*(r["_flagged"] for r in rows))
    return [*RULE_BEHAVIORS, *sorted(seen - set(RULE_BEHAVIORS))]


def _judge_behaviors(rows: list[dict[str, Any]]) -> list[str]:
    seen: set[str] = set().union(*(set(r.get("_judged", {})) | set(r.get("_asked", [])) for r in rows))
    return [b for b in BEHAVIORS if b in seen] + sorted(seen - set(BEHAVIORS))


def _frame(pd: Any, rows: list[dict[str, Any]], judged: bool) -> pd.DataFrame:
    factor_names = sorted({k for r in rows for k in r["_factors"]})
    behaviors = [*BEHAVIORS, *sorted(set().union(*(r["_flagged"] for r in rows)) - set(BEHAVIORS))]
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
    return frame.sort_values(["world", "agent", "condition", "actor", "seed", "path"], kind="stable").reset_index(
        drop=True
    )
