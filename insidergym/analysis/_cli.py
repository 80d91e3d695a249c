"""The `insidergym report`, `insidergym label` and `insidergym judge-eval` commands (registered by `insidergym.cli`)."""

from __future__ import annotations

import argparse
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from insidergym._arguments import existing_folder, non_negative_int, output_folder, positive_int, readable_file
from insidergym.analysis._errors import AnalysisError
from insidergym.analysis._judge import label
from insidergym.analysis._judge_eval import DEFAULT_CORPORA, evaluate_judge
from insidergym.analysis._labels import LABELS_DIR, judge_slug
from insidergym.analysis._report import report

__all__ = ["add_judge_eval_command", "add_label_command", "add_report_command"]

_MAX_LISTED = 10


def _by(values: list[str]) -> tuple[str, ...]:
    """`--by world agent` and `--by world,agent` alike."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _report(args: argparse.Namespace, console: Console) -> int:

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unreadable traces are listed under the tables instead
        result = report(
            args.run_dir,
            by=_by(args.by) if args.by else ("world", "agent", "condition"),
            source=args.source,
            baseline=args.baseline,
            behaviors=args.behavior or None,
            judge=args.judge,
            method=args.interval,
            prices=args.prices,
            flags=args.flags,
        )
    result.print(console)
    paths = result.save(args.out)
    console.print("Saved " + ", ".join(str(p) for p in paths.values()), highlight=False, soft_wrap=True)
    return 0


def add_report_command(commands: Any) -> None:
    """Add `insidergym report RUN_DIR [--by ...] [--source ...] [--baseline k=v,...] [--out DIR]`."""
    parser = commands.add_parser(
        "report", help="rates of each behaviour with 95%% intervals, per world, agent and condition"
    )
    parser.add_argument("run_dir", type=existing_folder("run folder"), help="a run folder (an experiment's out)")
    parser.add_argument(
        "--by",
        nargs="+",
        metavar="COLUMN",
        help="columns that make a group (default: world agent condition); any factor, actor, ...; family in place of "
        "world pools the generated worlds of Procedural-v0 (the world a random effect in the intervals)",
    )
    parser.add_argument(
        "--source",
        choices=("rule", "judge", "both"),
        default="rule",
        help="rule detectors' flags, judge labels, or both with their agreement (default: rule)",
    )
    parser.add_argument("--baseline", metavar="K=V,...", help="compare every condition with this one")
    parser.add_argument("--judge", help="whose labels, when several judges labelled the folder")
    parser.add_argument(
        "--behavior", action="append", default=[], metavar="NAME", help="report only this behaviour (repeatable)"
    )
    parser.add_argument(
        "--flags",
        default="newest",
        metavar="newest|recorded|SET",
        help="rule flags: the newest version of each detector (default), those recorded in the traces, or a "
        "detector set of `insidergym detect` (a folder of RUN_DIR/flags)",
    )
    parser.add_argument("--interval", choices=("wilson", "jeffreys"), default="wilson")
    parser.add_argument(
        "--prices",
        type=readable_file("price file"),
        metavar="FILE",
        help="a YAML or JSON file of USD per million tokens by model, over the shipped prices",
    )
    parser.add_argument(
        "--out", type=output_folder, help="folder for report.csv, report.json and report.png (default: RUN_DIR)"
    )
    parser.set_defaults(handler=_report)


def _settings(pairs: list[str]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise AnalysisError(f"--setting takes name=value (e.g. temperature=0), got {pair!r}")
        settings[name.strip()] = yaml.safe_load(value) if value.strip() else ""
    return settings


def _label(args: argparse.Namespace, console: Console) -> int:

    results = label(
        args.run_dir,
        args.judge,
        sample=args.sample,
        seed=args.seed,
        behaviors=args.behavior or None,
        max_attempts=args.max_attempts,
        concurrency=args.concurrency,
        settings=_settings(args.setting),
        console=console,
        quiet=args.quiet,
    )
    counts: Counter[str] = Counter(r.status for r in results)
    table = Table(title=f"Labels by {args.judge}")
    table.add_column("traces")
    table.add_column("count", justify="right")
    for status, words in (
        ("labelled", "labelled now"),
        ("skipped", "labelled earlier (unchanged)"),
        ("failed", "failed (recorded; tried again next time)"),
        ("not_labelled", "not labelled"),
    ):
        table.add_row(words, str(counts.get(status, 0)))
    console.print(table)
    for status in ("failed", "not_labelled"):
        listed = [r for r in results if r.status == status and r.reason != "not in the sample"]
        for result in listed[:_MAX_LISTED]:
            console.print(
                f"  {status.replace('_', ' ')}: {result.trace}: {result.reason}", highlight=False, soft_wrap=True
            )
        if len(listed) > _MAX_LISTED:
            console.print(f"  ... and {len(listed) - _MAX_LISTED} more {status.replace('_', ' ')}")
    if counts.get("labelled") or counts.get("skipped") or counts.get("failed"):
        console.print(
            f"Labels in {Path(args.run_dir) / LABELS_DIR / judge_slug(args.judge)}", highlight=False, soft_wrap=True
        )
    return 0


def add_label_command(commands: Any) -> None:
    """Add `insidergym label RUN_DIR --judge MODEL [--sample N] [--seed S]`."""
    parser = commands.add_parser("label", help="label saved traces with an LLM judge (citations checked)")
    parser.add_argument("run_dir", type=existing_folder("run folder"), help="a run folder (an experiment's out)")
    parser.add_argument(
        "--judge",
        required=True,
        metavar="MODEL",
        help="openai:MODEL, anthropic:MODEL or openai:MODEL@URL (any compatible server)",
    )
    parser.add_argument(
        "--sample",
        type=positive_int,
        metavar="N",
        help="label a random sample of N traces (the same for the same seed)",
    )
    parser.add_argument("--seed", type=non_negative_int, default=0, metavar="S", help="seed of the sample (default 0)")
    parser.add_argument(
        "--behavior",
        action="append",
        default=[],
        metavar="NAME",
        help="judge only this behaviour (repeatable; default: all)",
    )
    parser.add_argument(
        "--max-attempts",
        type=positive_int,
        default=3,
        metavar="N",
        help="judgements asked for per trace before it is recorded as failed (default 3)",
    )
    parser.add_argument(
        "--concurrency", type=positive_int, default=4, metavar="N", help="traces judged at once (default 4)"
    )
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a model setting for the judge, e.g. temperature=0 (repeatable)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_label)


def _judge_eval(args: argparse.Namespace, console: Console) -> int:
    result = evaluate_judge(
        args.judge,
        args.corpus or None,
        votes=args.votes,
        sample=args.sample,
        seed=args.seed,
        behaviors=args.behavior or None,
        max_attempts=args.max_attempts,
        concurrency=args.concurrency,
        settings=_settings(args.setting),
        console=console,
        quiet=args.quiet,
    )
    result.print(console)
    out = result.save(args.out or f"judge-eval-{judge_slug(args.judge)}.json")
    console.print(f"Saved {out}", highlight=False, soft_wrap=True)
    return 0


def add_judge_eval_command(commands: Any) -> None:
    """Add `insidergym judge-eval --judge MODEL [--corpus PATH ...] [--votes K] [--sample N] [--seed S]`."""
    parser = commands.add_parser(
        "judge-eval",
        help="a judge's precision and recall on a labelled corpus, beside the rule detectors'",
        description=(
            "Play each item of a labelled corpus through the simulation, have the judge label the episode, and print "
            "per behaviour the judge's precision and recall beside the rule detectors' (the same episodes), with "
            "counts and Cohen's kappa. Validate a judge with it before trusting the rates its labels give."
        ),
    )
    parser.add_argument(
        "--judge",
        required=True,
        metavar="MODEL",
        help="openai:MODEL, anthropic:MODEL or openai:MODEL@URL (any compatible server)",
    )
    parser.add_argument(
        "--corpus",
        action="extend",
        nargs="+",
        default=[],
        metavar="PATH",
        help=f"corpus files (default, in a clone: tests/detectors/data/ {' '.join(DEFAULT_CORPORA)}; "
        "the held-out corpus only when named)",
    )
    parser.add_argument(
        "--votes",
        type=positive_int,
        default=1,
        metavar="K",
        help="ask the judge K times per trace (OpenAI-compatible: sampling seed S+vote) and take the majority per "
        "behaviour; a tie is not flagged (default 1)",
    )
    parser.add_argument(
        "--sample", type=positive_int, metavar="N", help="judge a random sample of N items (the same for the same seed)"
    )
    parser.add_argument(
        "--seed", type=non_negative_int, default=0, metavar="S", help="seed of the sample and the votes (default 0)"
    )
    parser.add_argument(
        "--behavior",
        action="append",
        default=[],
        metavar="NAME",
        help="ask the judge only about this behaviour (repeatable; default: all, as label does)",
    )
    parser.add_argument(
        "--max-attempts",
        type=positive_int,
        default=3,
        metavar="N",
        help="judgements asked for per vote before it is recorded as failed (default 3)",
    )
    parser.add_argument(
        "--concurrency", type=positive_int, default=4, metavar="N", help="items judged at once (default 4)"
    )
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a model setting for the judge, e.g. temperature=0 (repeatable)",
    )
    parser.add_argument("--out", metavar="PATH", help="the results as JSON (default: judge-eval-<judge>.json here)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_judge_eval)
