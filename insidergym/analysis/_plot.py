"""The report's chart: one panel per behaviour, a row per group, each rate a point with its 95% interval."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from insidergym.analysis._errors import require

if TYPE_CHECKING:
    from insidergym.analysis._report import Report

__all__ = ["plot_rates"]

_STYLE = {"rule": ("o", "#1f77b4"), "judge": ("s", "#d62728")}
_COLUMNS = 3


def _labels(report: Report) -> tuple[list[str], str]:
    """A label per group from the `by` columns that vary, and a note of those that do not."""
    groups = report.groups
    varying = [c for c in report.by if groups[c].nunique(dropna=False) > 1]
    constant = [c for c in report.by if c not in varying]
    if not varying:
        varying, constant = list(report.by), []
    named = {"world", "agent", "actor", "condition"}  # their values say what they are; others get their name
    labels = [
        " | ".join(str(row[c]) if c in named else f"{c}={row[c]}" for c in varying) for _, row in groups.iterrows()
    ]
    note = ", ".join(f"{c} {groups[c].iloc[0]}" for c in constant)
    return labels, note


def plot_rates(report: Report, path: Path) -> Path:
    """Draw the report's rates with interval bars to a PNG (no display needed) and return its path."""
    matplotlib = require("matplotlib")
    matplotlib.use("Agg", force=True)
    plt = require("matplotlib.pyplot")

    shown = report._shown()
    behaviors = shown or list(dict.fromkeys(b for names in report.behaviors.values() for b in names))
    labels, note = _labels(report)
    sources = report._sources()
    columns = min(_COLUMNS, max(1, len(behaviors)))
    rows = math.ceil(len(behaviors) / columns) if behaviors else 1
    label_width = min(4.5, 0.5 + 0.07 * max((len(label) for label in labels), default=10))
    height_per_panel = 0.9 + 0.32 * len(labels)
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=(label_width + 3.6 * columns, 0.9 + height_per_panel * rows),
        squeeze=False,
        sharey=True,
    )
    rates = report.rates.set_index([*report.by, "source", "behavior"])
    positions = list(range(len(labels)))
    offsets = {"rule": -0.15, "judge": 0.15} if len(sources) == 2 else {sources[0]: 0.0}
    keys = [tuple(row[c] for c in report.by) for _, row in report.groups.iterrows()]
    counted = report.groups["counted"].tolist()
    for index, axis in enumerate(axes.flat):
        if index >= len(behaviors):
            axis.set_visible(False)
            continue
        behavior = behaviors[index]
        for source in sources:
            marker, colour = _STYLE[source]
            xs, ys, low, high = [], [], [], []
            for position, key in zip(positions, keys, strict=True):
                if (*key, source, behavior) not in rates.index:
                    continue
                row: Any = rates.loc[(*key, source, behavior)]
                if not row["n"]:
                    # Judged episodes are among the counted ones: with none counted, one note says it all.
                    if not counted[position]:
                        remark, where = ("no valid episode", position) if source == sources[0] else ("", 0.0)
                    else:
                        remark, where = "not labelled by the judge", position + offsets[source]
                    if remark:
                        axis.text(1, where, remark, va="center", fontsize=7, color="grey")
                    continue
                xs.append(row["rate"] * 100)
                ys.append(position + offsets[source])
                low.append((row["rate"] - row["ci_low"]) * 100)
                high.append((row["ci_high"] - row["rate"]) * 100)
            axis.errorbar(
                xs,
                ys,
                xerr=[low, high],
                fmt=marker,
                color=colour,
                ecolor=colour,
                elinewidth=1.5,
                capsize=3,
                markersize=5,
                label=source,
            )
        axis.set_title(behavior, fontsize=11)
        axis.set_xlim(-3, 103)
        axis.set_xlabel("rate, % (95% interval)", fontsize=9)
        axis.grid(axis="x", alpha=0.3)
        axis.set_yticks(positions)
        axis.set_yticklabels(labels, fontsize=8)
        axis.set_ylim(len(labels) - 0.5, -0.5)  # the first group on top, as in the table
    if len(sources) == 2:
        axes.flat[0].legend(loc="lower right", fontsize=8)
    method = "Wilson" if report.method == "wilson" else "Jeffreys"
    words = {"rule": "rule detectors", "judge": "judge"}
    title = f"Rates by {' and '.join(words[s] for s in sources)}, valid episodes, 95% {method} intervals"
    figure.suptitle(title + (f"\n{note}" if note else ""), fontsize=12)
    if not shown and report.rates["n"].sum() > 0:
        figure.text(0.5, 0.01, "No behaviour seen in any group: the bars are upper bounds.", ha="center", fontsize=9)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
