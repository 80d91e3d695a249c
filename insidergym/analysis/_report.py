"""Reports: per group (world, agent, condition by default) the episodes, how many are valid, and the rate of each
behaviour with a 95% interval, by rule detectors, by judge or both; differences from a baseline condition; the
agreement of rule and judge. Printed as rich tables, saved as CSV, JSON and a PNG chart."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from insidergym._errors import naming
from insidergym._version import __version__
from insidergym.agents import PriceTable
from insidergym.analysis._errors import AnalysisError, require
from insidergym.analysis._intervals import (
    IntervalMethod,
    clustered_proportion,
    cohen_kappa,
    newcombe_difference,
    proportion,
)
from insidergym.analysis._load import BASE_COLUMNS, NEWEST, RECORDED, load_runs, version_key
from insidergym.analysis._plot import plot_rates
from insidergym.detectors import BEHAVIORS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_BY", "Report", "Source", "parse_condition", "report"]

Source = Literal["rule", "judge", "both"]
DEFAULT_BY = ("world", "agent", "condition")
_METHOD_NAMES = {"wilson": "Wilson score", "jeffreys": "Jeffreys"}


def parse_condition(text: str) -> dict[str, str]:
    """`k=v,k2=v2` as a dict.

    Raises:
        AnalysisError: a part is not `name=value`.
    """
    pairs: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise AnalysisError(f"a condition is written k=v,k2=v2; got {text!r} (the part {part!r} has no '=')")
        pairs[name.strip()] = value.strip()
    return pairs


@dataclass
class Report:
    """The numbers of a report, with ways to print and save them.

    Attributes:
        groups: one row per group: the `by` columns, `episodes`, `valid` (the agent acted), `invalid` (it never
            did: not counted), `unfinished` (not counted), `agent_error` (the model failed at some point; counted
            if the agent had acted), `counted` (valid and finished: the denominator of the rule rates) and, with
            a judge, `judged` (counted and labelled by the judge: the denominator of the judge's rates); what the
            model calls used, per episode on average over all the group's episodes: `model_calls`,
            `input_tokens`, `cached_input_tokens`, `cache_write_tokens`, `output_tokens` (NaN where a call
            recorded no count); `cost_usd` (the group's estimated total) and `cost_per_episode`, both over the
            episodes that could be priced, and `unpriced` (episodes with a call the price table has no price for).
        rates: one row per group, source and behaviour: `n`, `count`, `rate`, `ci_low`, `ci_high`.
        differences: per group, source and behaviour, the rate minus the baseline condition's rate with
            Newcombe's 95% interval: `baseline`, `baseline_count`, `baseline_n`, `diff`, `diff_low`, `diff_high`.
        agreement: per behaviour, rule against judge over the episodes both decided: `n`, `both`, `rule_only`,
            `judge_only`, `neither`, `agreement` (a fraction), `kappa` (Cohen's; NaN when undefined).
        skipped: the trace files that could not be read (`path`, `reason`).
        prices: which prices the cost estimates use (the shipped table's date, and any price file's).
        flags: which rule flags were used (`load_runs`' `attrs["flags"]`): `choice` (`newest`, `recorded` or a
            detector set), `used` (each detector's version and source, with how many traces), and more.
    """

    run_dir: Path | None
    by: tuple[str, ...]
    source: Source
    method: IntervalMethod
    baseline: str | None
    judge: str | None
    behaviors: dict[str, list[str]]
    groups: pd.DataFrame
    rates: pd.DataFrame
    differences: pd.DataFrame
    agreement: pd.DataFrame
    skipped: list[dict[str, str]] = field(default_factory=list)
    prices: str | None = None
    flags: dict[str, Any] = field(default_factory=dict)

    # -- tables ---------------------------------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """The rates with their groups' counts and differences, one row per group, source and behaviour: the CSV."""
        frame = self.rates.merge(self.groups, on=list(self.by), how="left")
        keys = [*self.by, "source", "behavior"]
        if len(self.differences):
            diff_columns = ["baseline", "baseline_count", "baseline_n", "diff", "diff_low", "diff_high"]
            frame = frame.merge(self.differences[[*keys, *diff_columns]], on=keys, how="left")
        counts = ["episodes", "valid", "invalid", "unfinished", "agent_error", "counted"]
        counts += ["judged"] if "judged" in frame.columns else []
        rest = [c for c in frame.columns if c not in {*keys, *counts}]
        return frame[[*keys, *counts, *rest]]

    def to_dict(self) -> dict[str, Any]:
        """Everything in the report as JSON-ready data (NaN as null)."""
        return {
            "insidergym_version": __version__,
            "run_dir": str(self.run_dir) if self.run_dir is not None else None,
            "by": list(self.by),
            "source": self.source,
            "interval": f"95% {_METHOD_NAMES[self.method]}",
            "difference_interval": "95% Newcombe hybrid score (method 10)",
            "judge": self.judge,
            "baseline": self.baseline,
            "behaviors": self.behaviors,
            "groups": _records(self.groups),
            "rates": _records(self.rates),
            "differences": _records(self.differences),
            "agreement": _records(self.agreement),
            "skipped": self.skipped,
            "prices": self.prices,
            "flags": self.flags,
        }

    def renderable(self, width: int = 160) -> RenderableType:
        """The report as rich tables for a terminal this wide: rates, differences from the baseline, agreement,
        and the files skipped."""
        parts: list[RenderableType] = [t for source in self._sources() for t in self._rates_tables(source, width)]
        if "rule" in self._sources() and self.flags:
            parts.extend(_flags_lines(self.flags))
        shown = self._shown()
        for source in self._sources():
            if not self.rates.loc[self.rates["source"] == source, "n"].sum():
                what = "labelled by the judge" if source == "judge" else "valid"
                parts.append(Text(f"No {what} episode in any group: nothing to rate by {source}.", style="yellow"))
        rated = {s for s in self._sources() if self.rates.loc[self.rates["source"] == s, "n"].sum()}
        unknown = {s: [b for b in self.behaviors[s] if not self._looked_for(s, b)] for s in rated}
        unseen = {s: [b for b in self._tabled(s) if not self._seen(s, b)] for s in rated}
        if any(unknown.values()):
            lists = [
                (f"by {s}: " if self.source == "both" else "") + ", ".join(names)
                for s, names in unknown.items()
                if names
            ]
            parts.append(
                Text(f"Not looked for by any detector that ran ({'; '.join(lists)}): unknown, not 0.", style="yellow")
            )
        if any(unseen.values()):
            lists = [
                (f"by {s}: " if self.source == "both" else "") + ", ".join(names)
                for s, names in unseen.items()
                if names
            ]
            parts.append(
                Text(
                    f"Not seen in any group ({'; '.join(lists)}): 0 everywhere, upper bounds in report.csv.",
                    style="dim",
                )
            )
        invalid = int(self.groups["invalid"].sum())
        if invalid:
            parts.append(
                Text(
                    f"{invalid} invalid episode(s) (the agent never acted) are reported apart, not counted.",
                    style="yellow",
                )
            )
        if self.baseline is not None and rated:
            parts.append(self._differences_table(shown))
        if len(self.agreement):
            parts.append(self._agreement_table())
        if "model_calls" in self.groups.columns and self.groups["model_calls"].fillna(0).sum() > 0:
            parts.append(self._usage_table())
        if self.skipped:
            lines = "\n".join(f"  {s['reason']}" for s in self.skipped)
            parts.append(Text(f"Skipped {len(self.skipped)} trace file(s) that cannot be read:\n{lines}", style="red"))
        return Group(*parts)

    def print(self, console: Console | None = None) -> None:
        """Print the tables to the terminal."""
        console = console or Console()
        console.print(self.renderable(console.width))

    def _looked_for(self, source: str, behavior: str) -> bool:
        """Whether any episode decided this behaviour (rule columns are unknown where no detector covered it)."""
        rows = self.rates[(self.rates["source"] == source) & (self.rates["behavior"] == behavior)]
        return bool((rows["n"] > 0).any())

    def _seen(self, source: str, behavior: str) -> bool:
        rows = self.rates[(self.rates["source"] == source) & (self.rates["behavior"] == behavior)]
        return bool((rows["count"] > 0).any())

    def _ordered(self) -> list[str]:
        """Every behaviour of the report: the registered ones in the registry's order, then the others."""
        listed = dict.fromkeys(b for names in self.behaviors.values() for b in names)
        return [b for b in BEHAVIORS if b in listed] + sorted(set(listed) - set(BEHAVIORS))

    def _shown(self) -> list[str]:
        """The behaviours seen at least once in some group (by any source), in the registry's order."""
        seen = set(self.rates.loc[self.rates["count"] > 0, "behavior"])
        return [b for b in self._ordered() if b in seen]

    def _tabled(self, source: str) -> list[str]:
        """The behaviours a source's table shows: every one some episode decided (a detector of the run looked for
        it, or the judge was asked), seen or not; those nobody looked for are listed apart as unknown."""
        return [b for b in self._ordered() if b in self.behaviors[source] and self._looked_for(source, b)]

    def _varying(self) -> tuple[list[str], list[str]]:
        """The `by` columns that differ between groups, and those with one value (said once, in the title)."""
        varying = [c for c in self.by if self.groups[c].nunique(dropna=False) > 1]
        if not varying:
            return list(self.by), []
        return varying, [c for c in self.by if c not in varying]

    def _rates_tables(self, source: str, width: int) -> list[Table]:
        """The rates by one source: a table, or several side by side in the behaviours when they are too many
        for the terminal's width (each repeats the groups)."""
        method = _METHOD_NAMES[self.method]
        title = f"Rates by {_source_words(source)}, over valid episodes, with 95% {method} intervals"
        counts = ["episodes", "valid", "invalid"]
        counts += [c for c in ("unfinished", "agent_error") if self.groups[c].sum() > 0]
        counts += ["judged"] if source == "judge" else []
        if "worlds" in self.groups.columns:  # grouped by family: pooled over worlds, the world a random effect
            counts.insert(0, "worlds")
            title += ", the world a random effect"
        headers = {"episodes": "n", "agent_error": "errors"}
        shown = self._tabled(source)
        rates = self.rates.set_index([*self.by, "source", "behavior"])
        keys = [tuple(group[c] for c in self.by) for _, group in self.groups.iterrows()]
        decided = self.groups["judged" if source == "judge" else "counted"].tolist()
        cells = {b: [_rate_cell(rates.loc[(*key, source, b)], decided[i]) for i, key in enumerate(keys)] for b in shown}
        columns, constant = self._varying()
        title += "".join(f"; {c} {self.groups[c].iloc[0]}" for c in constant)
        names = {c: [_text(v) for v in self.groups[c]] for c in columns}
        # Each column takes its text and 3 characters of padding and border.
        fixed = 1 + sum(min(24, max(len(c), *map(len, names[c]))) + 3 for c in columns)
        fixed += sum(max(len(headers.get(c, c)), *(len(str(int(v))) for v in self.groups[c])) + 3 for c in counts)
        chunks: list[list[str]] = [[]]
        used = fixed
        for behavior in shown:
            need = max(len(behavior), *map(len, cells[behavior])) + 3
            if chunks[-1] and used + need > width:
                chunks.append([])
                used = fixed
            chunks[-1].append(behavior)
            used += need
        tables = []
        for number, chunk in enumerate(chunks, start=1):
            part = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
            table = Table(title=title + part)
            for column in columns:
                table.add_column(column, overflow="fold")
            for column in counts:
                table.add_column(headers.get(column, column), justify="right")
            for behavior in chunk:
                table.add_column(behavior, justify="right")
            for index, _ in enumerate(keys):
                row = [names[c][index] for c in columns]
                row += [str(int(self.groups[c].iloc[index])) for c in counts]
                row += [cells[b][index] for b in chunk]
                table.add_row(*row)
            tables.append(table)
        return tables

    def _differences_table(self, shown: Sequence[str]) -> RenderableType:
        if not len(self.differences):
            return Text(f"No group to compare with the baseline {self.baseline!r}.", style="yellow")
        differ = self.differences[
            self.differences["behavior"].isin(shown)
            & ((self.differences["count"] > 0) | (self.differences["baseline_count"] > 0))
        ]
        if not len(differ):
            return Text(f"Against the baseline {self.baseline}: 0 against 0 for every behaviour.", style="dim")
        table = Table(title=f"Differences from the baseline condition {self.baseline} (95% Newcombe intervals)")
        keys = [c for c in self.by if c != "condition"]
        for column in [*keys, "condition", "behavior", *(["source"] if self.source == "both" else [])]:
            table.add_column(column, overflow="fold")
        for column in ("rate", "baseline", "difference, points"):
            table.add_column(column, justify="right")
        for _, row in differ.iterrows():  # 0 against 0 says nothing here; report.csv has it
            cells = [_text(row[c]) for c in [*keys, "condition", "behavior"]]
            cells += [row["source"]] if self.source == "both" else []
            cells += [
                f"{_percent(row['rate'])} ({row['count']}/{row['n']})",
                f"{_percent(row['baseline_rate'])} ({row['baseline_count']}/{row['baseline_n']})",
                f"{_signed(row['diff'])} [{_signed(row['diff_low'])}, {_signed(row['diff_high'])}]",
            ]
            table.add_row(*cells)
        return table

    def _agreement_table(self) -> Table:
        table = Table(
            title="Rule detectors against the judge, over the episodes both decided",
            caption="kappa n/a: both gave one and the same label to every episode (chance agreement is 1)",
        )
        for column in ("behavior", "n", "both", "rule only", "judge only", "neither", "agreement", "kappa"):
            table.add_column(column, justify="left" if column == "behavior" else "right")
        for _, row in self.agreement.iterrows():
            kappa = "n/a" if _missing(row["kappa"]) else f"{row['kappa']:.2f}"
            agreement = "-" if _missing(row["agreement"]) else f"{row['agreement']:.0%}"
            table.add_row(
                row["behavior"],
                *(str(int(row[c])) for c in ("n", "both", "rule_only", "judge_only", "neither")),
                agreement,
                kappa,
            )
        return table

    def _usage_table(self) -> Table:
        """Tokens per episode and the estimated cost, per group."""
        columns, constant = self._varying()
        title = "Model calls per episode: tokens (mean) and estimated cost" + "".join(
            f"; {c} {self.groups[c].iloc[0]}" for c in constant
        )
        table = Table(title=title, caption=f"USD at the prices of {self.prices}" if self.prices else None)
        for column in columns:
            table.add_column(column, overflow="fold")
        headers = ("n", "calls", "input", "cached input", "output", "cost/episode", "cost")
        for header in headers:
            table.add_column(header, justify="right")
        for _, row in self.groups.iterrows():
            partial = "~" if row["unpriced"] and row["unpriced"] < row["episodes"] else ""
            priced = row["unpriced"] < row["episodes"]
            table.add_row(
                *(_text(row[c]) for c in columns),
                str(int(row["episodes"])),
                _number(row["model_calls"], 1),
                _number(row["input_tokens"]),
                _number(row["cached_input_tokens"]),
                _number(row["output_tokens"]),
                f"{partial}${row['cost_per_episode']:.4f}" if priced else "-",
                f"{partial}${row['cost_usd']:.2f}" if priced else "-",
            )
        return table

    def _sources(self) -> list[str]:
        return ["rule", "judge"] if self.source == "both" else [self.source]

    # -- files ----------------------------------------------------------------------------------------------

    def plot(self, path: str | Path) -> Path:
        """Draw the rates with their intervals as a PNG."""
        return plot_rates(self, Path(path))

    def save(self, out: str | Path | None = None) -> dict[str, Path]:
        """Write `report.csv`, `report.json` and `report.png` to `out` (by default the run folder).

        Returns:
            The paths written, by kind (`csv`, `json`, `png`).
        """
        folder = Path(out) if out is not None else self.run_dir
        if folder is None:
            raise AnalysisError("this report was made from a DataFrame: say where to save it (out=...)")
        folder.mkdir(parents=True, exist_ok=True)
        paths = {"csv": folder / "report.csv", "json": folder / "report.json", "png": folder / "report.png"}
        self.to_frame().to_csv(paths["csv"], index=False)
        paths["json"].write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        self.plot(paths["png"])
        return paths


def _listed(entries: Sequence[dict[str, Any]], traces: int) -> str:
    """`name vN` for each detector, with how many traces where that is not all of them."""
    parts = []
    for entry in entries:
        share = f" ({entry['traces']} of {traces} traces)" if entry["traces"] < traces else ""
        parts.append(f"{entry['detector']} v{entry['version']}{share}")
    return ", ".join(parts)


def _flags_lines(info: dict[str, Any]) -> list[Text]:
    """Which rule flags a report counts: per source (recorded in the traces, or a detector set of
    `insidergym detect`), each detector and version; and the detectors registered now that are newer."""
    used = list(info.get("used") or [])
    choice = str(info.get("choice", NEWEST))
    traces = int(info.get("traces", 0))
    by_source: dict[str, list[dict[str, Any]]] = {}
    for entry in used:
        by_source.setdefault(entry["source"], []).append(entry)
    sets = list(info.get("sets") or {})
    order = sorted(by_source, key=lambda s: (s == RECORDED, -sets.index(s) if s in sets else 0))
    described = "; ".join(
        ("recorded in the traces" if source == RECORDED else f"re-detected, flags/{source}")
        + f": {_listed(by_source[source], traces)}"
        for source in order
    )
    how = {
        NEWEST: "the newest version of each detector",
        RECORDED: "as recorded in the traces",
    }.get(choice, f"detector set {choice} only")
    lines = [Text(f"Rule flags, {how} ({described or 'none'}).")]
    if info.get("missing"):
        lines.append(
            Text(
                f"{info['missing']} trace(s) were not re-detected by detector set {choice}: their rule flags are "
                "unknown, not counted (run `insidergym detect`).",
                style="yellow",
            )
        )
    if info.get("stale"):
        lines.append(
            Text(
                f"{info['stale']} trace(s) changed after `insidergym detect`: their re-detected flags are left out "
                "(run it again).",
                style="yellow",
            )
        )
    if choice == NEWEST:
        newest: dict[str, tuple[Any, str]] = {}
        for entry in used:
            key = version_key(entry["version"])
            if entry["detector"] not in newest or key > newest[entry["detector"]][0]:
                newest[entry["detector"]] = (key, entry["version"])
        ahead = [
            f"{d['name']} v{d['version']}"
            for d in info.get("registered") or []
            if d["name"] not in newest or version_key(str(d["version"])) > newest[d["name"]][0]
        ]
        if ahead and used:
            lines.append(
                Text(
                    f"Registered now, and not in these flags or newer than in them: {', '.join(ahead)}. Run "
                    "`insidergym detect RUN_DIR` to re-detect the traces with them.",
                    style="yellow",
                )
            )
    return lines


def _source_words(source: str) -> str:
    return {"rule": "rule detectors", "judge": "judge", "both": "rule detectors and judge"}[source]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str:
    return "(none)" if _missing(value) else str(value)


def _percent(value: Any) -> str:
    return "-" if _missing(value) else f"{value:.0%}"


def _number(value: Any, digits: int = 0) -> str:
    return "-" if _missing(value) else f"{value:,.{digits}f}"


def _signed(value: Any) -> str:
    return "-" if _missing(value) else f"{value * 100:+.0f}"


def _rate_cell(row: Any, decided: int) -> str:
    """A rate with its count and interval; `-` for a group with no valid (or no labelled) episode, `unknown` where
    its episodes' detectors did not look for the behaviour."""
    if not row["n"]:
        return "unknown" if decided else "-"
    return f"{row['count']}/{row['n']} {_percent(row['rate'])} [{row['ci_low'] * 100:.0f}-{row['ci_high'] * 100:.0f}]"


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is not None and type(value).__name__ == "NAType":
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _factor_column(frame: pd.DataFrame, name: str) -> str:
    for column in (name, f"factor_{name}"):
        if column in frame.columns and column not in BASE_COLUMNS:
            return column
    factors = [c for c in frame.columns if c not in BASE_COLUMNS and not c.startswith(("rule_", "judge_"))]
    raise AnalysisError("baseline: " + naming("factor", name, [c.removeprefix("factor_") for c in factors]))


def _baseline_conditions(frame: pd.DataFrame, baseline: str) -> dict[str, str]:
    """The condition that is the baseline, per world that has it."""
    pairs = parse_condition(baseline)
    columns = {name: _factor_column(frame, name) for name in pairs}
    found: dict[str, str] = {}
    for world, rows in frame.groupby("world", sort=True):
        matches = rows
        for name, value in pairs.items():
            matches = matches[matches[columns[name]].astype(str) == value]
        conditions = sorted(set(matches["condition"]))
        if len(conditions) > 1:
            raise AnalysisError(
                f"baseline {baseline!r} matches several conditions of {world}: {', '.join(conditions)}; "
                "name more factors"
            )
        if conditions:
            found[str(world)] = conditions[0]
    if not found:
        known = sorted(set(frame["condition"]))
        raise AnalysisError(f"baseline {baseline!r} matches no condition. Conditions: {', '.join(known)}")
    return found


def _behaviors(frame: pd.DataFrame, source: str, chosen: Sequence[str] | None) -> list[str]:
    available = list(frame.attrs.get(f"{source}_behaviors") or [])
    if chosen is None:
        return available
    prefix = f"{source}_"
    for behavior in chosen:
        if f"{prefix}{behavior}" not in frame.columns:
            raise AnalysisError(f"{source}: " + naming("behaviour", behavior, available))
    return list(chosen)


def report(
    run_dir: str | Path | pd.DataFrame,
    *,
    by: Sequence[str] = DEFAULT_BY,
    source: Source = "rule",
    baseline: str | None = None,
    behaviors: Sequence[str] | None = None,
    judge: str | None = None,
    method: IntervalMethod = "wilson",
    prices: str | Path | PriceTable | None = None,
    flags: str = NEWEST,
) -> Report:
    """Rates of each behaviour per group with 95% intervals, from a run folder (or a `load_runs` DataFrame).

    Only valid, finished episodes count: an episode in which the agent never acted is reported apart as invalid,
    never counted as "no behaviour". Judge rates count only the episodes the judge labelled (`judged`).

    Args:
        run_dir: A run folder, or a DataFrame from `load_runs`.
        by: The columns that make a group: any column of `load_runs` (a factor, `actor`, `seed`, ...).
        source: `rule` (the online rule detectors' flags), `judge` (labels from `insidergym label`) or `both`
            (side by side, with their agreement per behaviour: percent agreement and Cohen's kappa).
        baseline: A condition, `k=v,...`, to compare every other condition with (difference of rates with
            Newcombe's interval, within the same world, agent and other groups). Needs `condition` in `by`.
        behaviors: The behaviours to report; by default, for rule, every registered behaviour and any other that
            a detector of the run looked for or a flag names (the tables show each one a detector looked for, 0
            included, and list the others as unknown) and, for judge, those the labels hold.
        judge: Whose labels, when the run folder has labels from several judges.
        method: `wilson` (default) or `jeffreys`, for the rates' intervals.
        prices: A price file (or table) over the shipped prices, for the cost estimates (with a run folder; a
            DataFrame has its costs already).
        flags: Which rule flags: `newest` (default: the newest version of each detector, recorded in the traces or
            re-detected by `insidergym detect`), `recorded`, or a detector set's id. The report says which.

    Raises:
        AnalysisError: no traces, an unknown column, behaviour, factor or judge, no labels for a judge source, or
            a baseline that matches no condition.
    """
    pd = require("pandas")
    if source not in ("rule", "judge", "both"):
        raise AnalysisError(naming("source", str(source), ["rule", "judge", "both"]))
    if method not in _METHOD_NAMES:
        raise AnalysisError(naming("interval method", str(method), _METHOD_NAMES))
    if isinstance(run_dir, pd.DataFrame):
        frame, folder = run_dir, (Path(run_dir.attrs["run_dir"]) if run_dir.attrs.get("run_dir") else None)
    else:
        frame, folder = load_runs(run_dir, judge=judge, flags=flags, prices=prices), Path(run_dir)
    by = tuple(by)
    if not by:
        raise AnalysisError("by: name at least one column to group by (e.g. world, agent, condition)")
    for column in by:
        if column not in frame.columns:
            raise AnalysisError("by: " + naming("column", column, frame.columns))
    sources = ["rule", "judge"] if source == "both" else [source]
    if "judge" in sources and "judge_status" not in frame.columns:
        judges = frame.attrs.get("judges") or []
        where = f"{folder}/labels" if folder is not None else "the labels folder"
        if len(judges) > 1:
            raise AnalysisError(f"labels from several judges in {where}: {', '.join(judges)}; choose one (--judge)")
        raise AnalysisError(f"no judge labels in {where}: run `insidergym label RUN_DIR --judge MODEL` first")
    chosen = {s: _behaviors(frame, s, behaviors) for s in sources}
    if baseline is not None and "condition" not in by:
        raise AnalysisError("a baseline compares conditions: add 'condition' to --by")

    # Grouped by family and not by world, a group pools several worlds: its intervals treat the world as a random
    # effect (the worlds of a family are a sample of the companies it could have drawn).
    pooled = "family" in by and "world" not in by
    counted_mask = frame["valid"] & (frame["status"] != "unfinished")
    judged_mask = counted_mask & (frame["judge_status"] == "ok") if "judge" in sources else None
    group_rows, rate_rows = [], []
    for key, rows in frame.groupby(list(by), sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        keyed = dict(zip(by, key, strict=True))
        counted = counted_mask.loc[rows.index]
        group: dict[str, Any] = {
            **keyed,
            "episodes": len(rows),
            "valid": int(rows["valid"].sum()),
            "invalid": int((~rows["valid"]).sum()),
            "unfinished": int((rows["status"] == "unfinished").sum()),
            "agent_error": int((rows["status"] == "agent_error").sum()),
            "counted": int(counted.sum()),
        }
        if judged_mask is not None:
            group["judged"] = int(judged_mask.loc[rows.index].sum())
        if pooled:
            group["worlds"] = int(rows["world"].nunique())
        group.update(_usage_cells(rows))
        group_rows.append(group)
        for name in sources:
            mask = counted if name == "rule" else judged_mask.loc[rows.index]  # type: ignore[union-attr]
            decided = rows[mask]
            for behavior in chosen[name]:
                values = decided[f"{name}_{behavior}"]
                known = values[values.notna()]  # NA: not decided for that episode (no detector looked for it)
                hits = int(known.astype(bool).sum())
                extra: dict[str, Any] = {}
                if pooled:
                    worlds = decided.loc[known.index, "world"]
                    clusters = [(int(v.astype(bool).sum()), len(v)) for _, v in known.groupby(worlds, sort=True)]
                    result, extra["design_effect"] = clustered_proportion(clusters, method)
                else:
                    result = proportion(hits, len(known), method)
                rate_rows.append(
                    {
                        **keyed,
                        "source": name,
                        "behavior": behavior,
                        "n": result.n,
                        "count": result.count,
                        "rate": result.rate,
                        "ci_low": result.low,
                        "ci_high": result.high,
                        "interval": method,
                        **extra,
                    }
                )
    groups = pd.DataFrame.from_records(group_rows)
    rates = pd.DataFrame.from_records(rate_rows)
    differences = _differences(pd, frame, rates, by, baseline) if baseline is not None else pd.DataFrame()
    agreement = _agreement(pd, frame, counted_mask, chosen) if source == "both" else pd.DataFrame()
    return Report(
        run_dir=folder,
        by=by,
        source=source,
        method=method,
        baseline=baseline,
        judge=frame.attrs.get("judge"),
        behaviors=chosen,
        groups=groups,
        rates=rates,
        differences=differences,
        agreement=agreement,
        skipped=list(frame.attrs.get("skipped") or []),
        prices=frame.attrs.get("prices"),
        flags=dict(frame.attrs.get("flags") or {}),
    )


def _usage_cells(rows: pd.DataFrame) -> dict[str, Any]:
    """Tokens per episode (means over the group's episodes) and the estimated cost of a group."""
    cells: dict[str, Any] = {}
    if "model_calls" not in rows.columns:  # a DataFrame from before token columns
        return cells
    for column in ("model_calls", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens"):
        values = rows[column]
        cells[column] = float(values.mean()) if not values.isna().any() else math.nan
    costs = rows["cost_usd"]
    known = costs[costs.notna()]
    cells["cost_usd"] = float(known.sum()) if len(known) else math.nan
    cells["cost_per_episode"] = float(known.mean()) if len(known) else math.nan
    cells["unpriced"] = int(costs.isna().sum())
    return cells


def _differences(pd: Any, frame: pd.DataFrame, rates: pd.DataFrame, by: tuple[str, ...], baseline: str) -> Any:
    per_world = _baseline_conditions(frame, baseline)
    if "world" not in by and len(set(per_world.values())) > 1:
        raise AnalysisError(
            f"baseline {baseline!r} is a different condition in different worlds "
            f"({', '.join(f'{w}: {c}' for w, c in sorted(per_world.items()))}); add 'world' to --by"
        )
    others = [c for c in by if c != "condition"]
    index = rates.set_index([*by, "source", "behavior"])
    rows = []
    for _, row in rates.iterrows():
        base_condition = per_world.get(row["world"]) if "world" in by else next(iter(per_world.values()))
        if base_condition is None or row["condition"] == base_condition:
            continue
        base_key = (*(base_condition if c == "condition" else row[c] for c in by), row["source"], row["behavior"])
        if base_key not in index.index:
            continue
        base = index.loc[base_key]
        diff = newcombe_difference(int(row["count"]), int(row["n"]), int(base["count"]), int(base["n"]))
        rows.append(
            {
                **{c: row[c] for c in [*others, "condition"]},
                "source": row["source"],
                "behavior": row["behavior"],
                "count": row["count"],
                "n": row["n"],
                "rate": row["rate"],
                "baseline": base_condition,
                "baseline_count": int(base["count"]),
                "baseline_n": int(base["n"]),
                "baseline_rate": base["rate"],
                "diff": diff.diff,
                "diff_low": diff.low,
                "diff_high": diff.high,
            }
        )
    columns = [
        *others,
        "condition",
        "source",
        "behavior",
        "count",
        "n",
        "rate",
        "baseline",
        "baseline_count",
        "baseline_n",
        "baseline_rate",
        "diff",
        "diff_low",
        "diff_high",
    ]
    return pd.DataFrame.from_records(rows, columns=columns)


def _agreement(pd: Any, frame: pd.DataFrame, counted: Any, chosen: dict[str, list[str]]) -> Any:
    both = frame[counted & (frame["judge_status"] == "ok")]
    rows = []
    for behavior in (b for b in chosen["rule"] if b in chosen["judge"]):
        pairs = both[[f"rule_{behavior}", f"judge_{behavior}"]].dropna()
        rule = [bool(v) for v in pairs[f"rule_{behavior}"]]
        judge = [bool(v) for v in pairs[f"judge_{behavior}"]]
        n = len(rule)
        counts = {
            "both": sum(r and j for r, j in zip(rule, judge, strict=True)),
            "rule_only": sum(r and not j for r, j in zip(rule, judge, strict=True)),
            "judge_only": sum(j and not r for r, j in zip(rule, judge, strict=True)),
            "neither": sum(not r and not j for r, j in zip(rule, judge, strict=True)),
        }
        rows.append(
            {
                "behavior": behavior,
                "n": n,
                **counts,
                "agreement": (counts["both"] + counts["neither"]) / n if n else math.nan,
                "kappa": cohen_kappa(rule, judge),
            }
        )
    columns = ["behavior", "n", "both", "rule_only", "judge_only", "neither", "agreement", "kappa"]
    return pd.DataFrame.from_records(rows, columns=columns)
