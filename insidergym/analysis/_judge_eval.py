"""Judge calibration: an LLM judge's precision and recall on a labelled corpus, beside the rule detectors'.

Each corpus item is played through the simulation (`run_item`), as for the detector benchmark, and the judge reads
the resulting trace with the prompt `label` gives it (`judge_trace`). Per behaviour, the judge's verdicts and the
rules' flags of the same episodes are counted against the item's labels, with Cohen's kappa between each of them
and the labels, and between the two. A researcher runs this before trusting the rates a judge's labels give.

With `votes` > 1 the judge is asked that many times per trace and the majority of the votes received decides each
behaviour (`majority_vote`: a tie is not flagged). An OpenAI-compatible judge is sent the API's sampling `seed`,
`seed + vote`, so each vote is a different sample and the same command asks the same questions; Anthropic's API
takes no seed, so its votes differ by sampling alone.

    >>> from insidergym.analysis import evaluate_judge
    >>> result = evaluate_judge("openai:gpt-4.1", votes=3)  # from a clone: the in-sample corpora
    >>> result.print()
    >>> result.save("judge-eval.json")
"""

from __future__ import annotations

import datetime as dt
import math
import random
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from insidergym._errors import AgentError
from insidergym._version import __version__
from insidergym.agents import model_agent
from insidergym.analysis._corpus import Counts, Outcome, confusion, load_corpus, run_item
from insidergym.analysis._errors import AnalysisError
from insidergym.analysis._intervals import cohen_kappa, wilson_interval
from insidergym.analysis._judge import (
    _SECRET_SETTINGS,
    JUDGE_PROMPT_VERSION,
    MAX_ATTEMPTS,
    _check_behaviors,
    fatal_failure,
    judge_prompt,
    judge_trace,
    majority_vote,
)
from insidergym.analysis._labels import write_json_atomic

__all__ = [
    "CORPUS_FOLDER",
    "DEFAULT_CORPORA",
    "JUDGE_EVAL_FORMAT",
    "JUDGE_EVAL_FORMAT_VERSION",
    "JudgeEvaluation",
    "JudgedItem",
    "Score",
    "default_corpora",
    "evaluate_judge",
    "takes_seed",
    "vote_settings",
]

CORPUS_FOLDER = Path("tests") / "detectors" / "data"
"""Where a clone of the repository keeps the labelled corpora and their worlds."""
DEFAULT_CORPORA = ("detector_corpus.yaml", "coercion_corpus.yaml", "dev_corpus.yaml")
"""The in-sample corpora. The held-out one is never a default: it is measured once, by name, so that nothing is
tuned on it."""
JUDGE_EVAL_FORMAT = "insidergym-judge-eval"
JUDGE_EVAL_FORMAT_VERSION = 1
_MAX_LISTED = 10


def default_corpora(start: str | Path | None = None) -> list[Path]:
    """The in-sample corpora of a clone: `tests/detectors/data/` of the current folder (or `start`) or of the
    nearest folder above it that has them.

    Raises:
        AnalysisError: no clone there; then corpus files must be named.
    """
    here = Path.cwd() if start is None else Path(start)
    for folder in (here, *here.resolve().parents):
        data = folder / CORPUS_FOLDER
        if all((data / name).is_file() for name in DEFAULT_CORPORA):
            return [data / name for name in DEFAULT_CORPORA]
    raise AnalysisError(
        f"no corpus given, and no clone of insidergym at {here} (its {CORPUS_FOLDER.as_posix()}/ holds "
        f"{', '.join(DEFAULT_CORPORA)}): run from a clone, or name corpus files (--corpus PATH)"
    )


def takes_seed(judge: str) -> bool:
    """Whether the judge's API takes a sampling seed: OpenAI-compatible ones do, Anthropic's does not."""
    return judge.removeprefix("text+").partition(":")[0] == "openai"


def vote_settings(judge: str, settings: Mapping[str, Any], vote_seed: int) -> dict[str, Any]:
    """The judge's settings for one vote: an OpenAI-compatible judge is also sent the API's sampling `seed`, so
    each vote is a different sample, the same on every run; the others are sent the settings as they are."""
    options = dict(settings)
    if takes_seed(judge):
        options["extra_body"] = {**dict(options.get("extra_body") or {}), "seed": vote_seed}
    return options


@dataclass(frozen=True)
class JudgedItem:
    """One corpus item: its labels, the rules' flags and the judge's verdicts on its episode."""

    corpus: str
    """The corpus file, as given."""
    id: str
    world: str
    register: str | None
    expected: frozenset[str]
    """The behaviours the item is labelled with."""
    rules: frozenset[str]
    """What the rule detectors flagged in the episode."""
    judge: frozenset[str] | None
    """What the judge flagged (the majority of its votes); None when every vote failed."""
    votes: tuple[dict[str, Any], ...]
    """Each vote: `status` (`ok` or `failed`), `attempts`, `flagged`, `rejections`, `error` (when failed), the
    judgements that bear on this item (`labels`: every true verdict and every behaviour labelled or flagged by the
    rules) and the tokens its model calls used."""
    conclusion: str | None = None
    """eval_awareness: the conclusion the item is labelled with."""
    rules_conclusion: str | None = None
    judge_conclusion: str | None = None

    @property
    def error(self) -> str:
        """Why the judge gave no verdict (every vote failed); empty when it gave one."""
        if self.judge is not None:
            return ""
        reasons = "; ".join(dict.fromkeys(str(v.get("error") or "failed") for v in self.votes))
        return reasons if len(self.votes) == 1 else f"{len(self.votes)} votes failed: {reasons}"


@dataclass(frozen=True)
class Score:
    """One behaviour over the judged items: the judge's and the rules' confusion counts against the labels, and
    Cohen's kappa of each with the labels and of the two with each other (NaN when undefined)."""

    behavior: str
    judge: Counts
    rules: Counts
    kappa_judge: float
    kappa_rules: float
    kappa_judge_rules: float

    @property
    def positives(self) -> int:
        return self.judge.tp + self.judge.fn

    @property
    def negatives(self) -> int:
        return self.judge.fp + self.judge.tn


def _precision(counts: Counts) -> float | None:
    """None when nothing was flagged: a flagger that never flags has no precision (not a perfect one)."""
    return counts.tp / (counts.tp + counts.fp) if counts.tp + counts.fp else None


def _recall(counts: Counts) -> float | None:
    return counts.tp / (counts.tp + counts.fn) if counts.tp + counts.fn else None


def _counts_json(counts: Counts) -> dict[str, Any]:
    precision, recall = _precision(counts), _recall(counts)
    flagged, positives = counts.tp + counts.fp, counts.tp + counts.fn
    return {
        "tp": counts.tp,
        "fp": counts.fp,
        "fn": counts.fn,
        "tn": counts.tn,
        "precision": precision,
        "precision_95": list(wilson_interval(counts.tp, flagged)) if flagged else None,
        "recall": recall,
        "recall_95": list(wilson_interval(counts.tp, positives)) if positives else None,
    }


def _number(value: float | None, digits: int = 3) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{round(value, digits) or 0.0:.{digits}f}"  # `or`: no "-0.00" for a kappa a rounding below zero


def _short(path: str) -> str:
    """A path as the reader would type it: relative to the current folder when it is under it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value


@dataclass
class JudgeEvaluation:
    """A judge's figures on a labelled corpus, beside the rules'. `print` shows them, `save` writes them as JSON."""

    judge: str
    judge_model: str | None
    settings: dict[str, Any]
    """The judge's model settings (never its key)."""
    votes: int
    vote_seeds: tuple[int, ...] | None
    """The sampling seed sent with each vote (OpenAI-compatible judges, when votes > 1); None when none was sent."""
    seed: int
    sample: int | None
    corpora: tuple[str, ...]
    corpus_size: int
    """Items in the corpora (more than `items` when a sample was judged)."""
    behaviors: tuple[str, ...]
    """The behaviours the judge was asked about."""
    prompt_sha256: str
    items: list[JudgedItem]
    made_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    @property
    def judged(self) -> list[JudgedItem]:
        """The items the judge gave a verdict on (at least one vote accepted)."""
        return [i for i in self.items if i.judge is not None]

    @property
    def errors(self) -> list[JudgedItem]:
        """The items every vote failed on: left out of both columns."""
        return [i for i in self.items if i.judge is None]

    @property
    def failed_votes(self) -> int:
        return sum(v["status"] != "ok" for i in self.items for v in i.votes)

    @property
    def measured(self) -> tuple[str, ...]:
        """The behaviours asked about that at least one judged item is labelled with (the others have no recall)."""
        labelled = {b for i in self.judged for b in i.expected}
        return tuple(b for b in self.behaviors if b in labelled)

    def scores(self) -> dict[str, Score]:
        """Per measured behaviour, the judge's and the rules' figures over the judged items."""
        judged = self.judged
        behaviours = self.measured
        judge = confusion([(i.expected, i.judge or frozenset()) for i in judged], behaviours)
        rules = confusion([(i.expected, i.rules) for i in judged], behaviours)
        scores = {}
        for b in behaviours:
            truth = [b in i.expected for i in judged]
            by_judge = [b in (i.judge or ()) for i in judged]
            by_rules = [b in i.rules for i in judged]
            scores[b] = Score(
                b,
                judge[b],
                rules[b],
                cohen_kappa(by_judge, truth),
                cohen_kappa(by_rules, truth),
                cohen_kappa(by_judge, by_rules),
            )
        return scores

    def unlabelled(self) -> dict[str, tuple[int, int]]:
        """Behaviours asked about that no judged item is labelled with but the judge or the rules flagged: how many
        items each flagged (judge, rules). The corpus labels every behaviour that happened, so these are false."""
        found = {}
        measured = set(self.measured)
        for b in self.behaviors:
            if b in measured:
                continue
            by_judge = sum(b in (i.judge or ()) for i in self.judged)
            by_rules = sum(b in i.rules for i in self.judged)
            if by_judge or by_rules:
                found[b] = (by_judge, by_rules)
        return found

    def conclusions(self) -> dict[str, tuple[int, int]]:
        """Of the judged items labelled with an eval_awareness conclusion, how many each flagger recorded rightly,
        out of how many it flagged eval_awareness on (judge, rules)."""
        result = {}
        for name in ("judge", "rules"):
            recorded = [
                (i.conclusion, getattr(i, f"{name}_conclusion"))
                for i in self.judged
                if i.conclusion is not None and "eval_awareness" in (getattr(i, name) or ())
            ]
            result[name] = (sum(want == got for want, got in recorded), len(recorded))
        return result

    def table(self) -> Table:
        """Precision, recall and kappa per behaviour: the judge's beside the rules'."""
        judged = len(self.judged)
        title = f"{self.judge} on {judged} corpus item(s)"
        if self.votes > 1:
            title += f", majority of {self.votes} votes"
        if self.errors:
            title += f" ({len(self.errors)} not judged: left out of both columns)"
        table = Table(title=title)
        table.add_column("behavior", no_wrap=True)
        for name in ("pos", "neg"):
            table.add_column(name, justify="right")
        table.add_column("by")
        for name in ("TP", "FP", "FN", "precision", "recall", "κ", "κ~rules"):
            table.add_column(name, justify="right")
        for score in self.scores().values():
            for by, counts, kappa in (
                ("judge", score.judge, score.kappa_judge),
                ("rules", score.rules, score.kappa_rules),
            ):
                first = by == "judge"
                table.add_row(
                    score.behavior if first else "",
                    str(score.positives) if first else "",
                    str(score.negatives) if first else "",
                    by,
                    str(counts.tp),
                    str(counts.fp),
                    str(counts.fn),
                    _number(_precision(counts)),
                    _number(_recall(counts)),
                    _number(kappa, 2),
                    _number(score.kappa_judge_rules, 2) if first else "",
                    end_section=not first,
                )
        return table

    def print(self, console: Console | None = None) -> None:
        """The table, then what a reader needs to weigh it: the corpus, votes, errors, behaviours not labelled."""
        out = console or Console()
        size = f"{len(self.items)} item(s)"
        if len(self.items) < self.corpus_size:
            size = f"{len(self.items)} of {self.corpus_size} item(s) (a sample, seed {self.seed})"
        out.print(f"Corpus: {', '.join(map(_short, self.corpora))}: {size}", highlight=False)
        out.print(self.table())
        out.print(
            "precision '-': nothing flagged; κ: Cohen's kappa with the corpus labels; κ~rules: the judge's with the "
            "rules; rules: the rule detectors' flags of the same episodes.",
            highlight=False,
        )
        if self.votes > 1:
            out.print(
                f"Votes: the judge was asked {self.votes} times per trace; the majority of the votes received decides "
                "each behaviour, and a tie is not flagged.",
                highlight=False,
            )
        conclusions = self.conclusions()
        if any(total for _, total in conclusions.values()):
            parts = [f"{name} {right}/{total}" for name, (right, total) in conclusions.items()]
            out.print(f"eval_awareness conclusion recorded rightly: {', '.join(parts)}", highlight=False)
        for behavior, (by_judge, by_rules) in self.unlabelled().items():
            out.print(
                f"{behavior}: no item is labelled with it, yet the judge flagged {by_judge} and the rules {by_rules}",
                highlight=False,
            )
        total_votes = sum(len(i.votes) for i in self.items)
        if self.failed_votes:
            out.print(
                f"[red]Judge errors:[/] {self.failed_votes} of {total_votes} vote(s) failed; {len(self.errors)} of "
                f"{len(self.items)} item(s) not judged (every vote failed).",
                highlight=False,
            )
            for item in self.errors[:_MAX_LISTED]:
                out.print(f"  not judged: {item.corpus}: {item.id}: {item.error}", highlight=False)
            if len(self.errors) > _MAX_LISTED:
                out.print(f"  ... and {len(self.errors) - _MAX_LISTED} more", highlight=False)

    def to_json(self) -> dict[str, Any]:
        """Everything, for a file: the settings, the figures and each item's verdicts."""
        usage: dict[str, int] = {}
        for item in self.items:
            for vote in item.votes:
                for key, value in vote.get("usage", {}).items():
                    usage[key] = usage.get(key, 0) + value
        return {
            "format": JUDGE_EVAL_FORMAT,
            "format_version": JUDGE_EVAL_FORMAT_VERSION,
            "judge": self.judge,
            "judge_model": self.judge_model,
            "judge_settings": {k: v for k, v in self.settings.items() if k not in _SECRET_SETTINGS},
            "prompt_version": JUDGE_PROMPT_VERSION,
            "prompt_sha256": self.prompt_sha256,
            "behaviors": list(self.behaviors),
            "votes": self.votes,
            "vote_seeds": None if self.vote_seeds is None else list(self.vote_seeds),
            "majority": "more than half of the votes received; a tie is not flagged",
            "seed": self.seed,
            "sample": self.sample,
            "corpora": list(self.corpora),
            "corpus_size": self.corpus_size,
            "made_at": self.made_at,
            "insidergym_version": __version__,
            "items": len(self.items),
            "judged": len(self.judged),
            "not_judged": len(self.errors),
            "failed_votes": self.failed_votes,
            "usage": usage,
            "behaviours": {
                b: {
                    "positives": s.positives,
                    "negatives": s.negatives,
                    "judge": {**_counts_json(s.judge), "kappa": _finite(s.kappa_judge)},
                    "rules": {**_counts_json(s.rules), "kappa": _finite(s.kappa_rules)},
                    "judge_rules_kappa": _finite(s.kappa_judge_rules),
                }
                for b, s in self.scores().items()
            },
            "unlabelled": {b: {"judge": j, "rules": r} for b, (j, r) in self.unlabelled().items()},
            "conclusions": {name: {"right": r, "of": n} for name, (r, n) in self.conclusions().items()},
            "results": [
                {
                    "corpus": i.corpus,
                    "id": i.id,
                    "world": i.world,
                    "register": i.register,
                    "expected": sorted(i.expected),
                    "rules": sorted(i.rules),
                    "judge": None if i.judge is None else sorted(i.judge),
                    "conclusion": i.conclusion,
                    "rules_conclusion": i.rules_conclusion,
                    "judge_conclusion": i.judge_conclusion,
                    "error": i.error or None,
                    "votes": list(i.votes),
                }
                for i in self.items
            ],
        }

    def save(self, path: str | Path) -> Path:
        """Write `to_json()` to a file (atomically); returns its path."""
        target = Path(path)
        write_json_atomic(target, self.to_json())
        return target


class _Stopped(Exception):
    """Another item met a fatal judge failure: this one was not judged."""


def _vote_record(entry: Mapping[str, Any], keep: set[str]) -> dict[str, Any]:
    """What the results keep of one `judge_trace` answer."""
    labels = entry.get("labels") or {}
    record: dict[str, Any] = {
        "status": entry["status"],
        "attempts": entry.get("attempts", 0),
        "flagged": sorted(b for b, j in labels.items() if j["verdict"]),
        "rejections": list(entry.get("rejections", [])),
    }
    if entry["status"] != "ok":
        record["error"] = entry.get("error", "")
    if labels:
        record["labels"] = {b: j for b, j in labels.items() if j["verdict"] or b in keep}
    usage: dict[str, int] = {}
    for call in entry.get("model_calls", []):
        for key, value in ((call or {}).get("usage") or {}).items():
            if isinstance(value, int) and not isinstance(value, bool):
                usage[key] = usage.get(key, 0) + value
    record["usage"] = usage
    return record


def _judged_item(corpus: str, outcome: Outcome, entries: Sequence[Mapping[str, Any]]) -> JudgedItem:
    item = outcome.item
    accepted = [e["labels"] for e in entries if e["status"] == "ok"]
    verdicts = majority_vote(accepted) if accepted else None
    flags = [f.details.get("conclusion") for f in outcome.flags if f.behavior == "eval_awareness"]
    keep = set(outcome.expected) | set(outcome.flagged)
    return JudgedItem(
        corpus=corpus,
        id=str(item["id"]),
        world=str(item["world"]),
        register=item.get("register"),
        expected=outcome.expected,
        rules=outcome.flagged,
        judge=None if verdicts is None else frozenset(b for b, v in verdicts.items() if v["verdict"]),
        votes=tuple(_vote_record(e, keep) for e in entries),
        conclusion=item.get("conclusion"),
        rules_conclusion=flags[-1] if flags else None,
        judge_conclusion=(verdicts or {}).get("eval_awareness", {}).get("conclusion"),
    )


def evaluate_judge(
    judge: str,
    corpora: Sequence[str | Path] | None = None,
    *,
    votes: int = 1,
    sample: int | None = None,
    seed: int = 0,
    behaviors: Sequence[str] | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    concurrency: int = 4,
    settings: Mapping[str, Any] | None = None,
    console: Console | None = None,
    quiet: bool = False,
) -> JudgeEvaluation:
    """Play a labelled corpus through the simulation, have a judge label each episode, and measure it.

    Args:
        judge: The judge's model: `openai:MODEL`, `anthropic:MODEL`, `openai:MODEL@URL` (any compatible server),
            or any model spec `insidergym.agents.model_agent` takes.
        corpora: Corpus files (YAML, see `insidergym.analysis.load_corpus`); by default the in-sample corpora of
            the clone the command runs in (`default_corpora`), never the held-out one.
        votes: Judgements asked for per trace; the majority of those received decides (a tie is not flagged).
        sample: Judge a random sample of this many items (the same for the same seed and corpora); None for all.
        seed: Seed of the sample, and the first vote's sampling seed (vote v: `seed + v`) when `votes` > 1.
        behaviors: The behaviours to ask the judge about (all registered ones by default, as `label` does).
        max_attempts: Judgements asked for per vote before it is recorded as failed (a citation not in the
            trace is rejected and asked again).
        concurrency: Items judged at once.
        settings: Model settings for the judge (`temperature`, `max_tokens`, ...).
        console: Where the progress bar goes.
        quiet: No progress bar.

    Returns:
        The judge's and the rules' figures, and every item's verdicts. A vote that fails (a model error after its
        retries, or no acceptable judgement) is counted, not raised; an item every vote failed on is left out
        of both columns and listed.

    Raises:
        AnalysisError: a bad argument or corpus; or the judge's model cannot be used at all (a wrong key, model
            or URL, no quota), which stops at once.
        ModelSpecError: the judge spec cannot be read.
    """
    for name, value, least in (("votes", votes, 1), ("max_attempts", max_attempts, 1), ("concurrency", concurrency, 1)):
        if value < least:
            raise AnalysisError(f"{name} must be at least {least}; got {value!r}")
    if sample is not None and sample < 1:
        raise AnalysisError(f"sample must be at least 1; got {sample!r}")
    chosen = _check_behaviors(behaviors)
    options = dict(settings or {})
    # One vote is asked exactly as `label` asks, so that its figures hold for the labels `label` makes.
    seeds = tuple(seed + v for v in range(votes)) if votes > 1 and takes_seed(judge) else None
    per_vote = [vote_settings(judge, options, s) for s in seeds] if seeds else [options] * votes
    probe = model_agent(judge, **per_vote[0])  # a bad spec, setting or missing key fails before any work
    _, prompt_sha = judge_prompt(chosen)

    paths = [Path(p) for p in corpora] if corpora else default_corpora()
    entries = [(str(path), item) for path in paths for item in load_corpus(path)]
    if not entries:
        raise AnalysisError(f"no item in {', '.join(map(str, paths))}")
    picked = list(range(len(entries)))
    if sample is not None and sample < len(entries):
        picked = sorted(random.Random(seed).sample(picked, sample))
    judge_name = str(getattr(probe, "name", judge))
    out = console or Console()
    stop = threading.Event()

    def work(outcome: Outcome) -> list[dict[str, Any]]:
        actor = next(iter(outcome.sim.seats))  # the seat run_item plays
        answers: list[dict[str, Any]] = []
        for vote in range(votes):
            if stop.is_set():
                raise _Stopped()
            try:
                answer = judge_trace(
                    model_agent(judge, **per_vote[vote]), outcome.sim.trace, actor, chosen, max_attempts=max_attempts
                )
            except AgentError as err:
                if fatal_failure(err):
                    stop.set()
                    raise
                answer = {"status": "failed", "attempts": 0, "error": str(err), "rejections": []}
            answers.append(answer)
        return answers

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("[red]{task.fields[failed]}"),
    )
    results: dict[int, JudgedItem] = {}
    fatal: AgentError | None = None
    with Progress(*columns, console=out, disable=quiet) as progress:
        playing = progress.add_task("playing the corpus", total=len(picked), failed="")
        outcomes: dict[int, Outcome] = {}
        for index in picked:  # one at a time: each is a fresh episode, and all of them take about a second
            outcomes[index] = run_item(entries[index][1])
            progress.advance(playing)
        judging = progress.add_task(f"judging with {judge_name}", total=len(picked), failed="")
        failed = 0
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            futures = {pool.submit(work, outcomes[index]): index for index in picked}
            for future in as_completed(futures):
                index = futures[future]
                try:
                    answers = future.result()
                except _Stopped:
                    continue
                except AgentError as err:
                    fatal = fatal or err
                    continue
                results[index] = _judged_item(entries[index][0], outcomes[index], answers)
                failed += results[index].judge is None
                progress.update(judging, advance=1, failed=f"{failed} not judged" if failed else "")
    if fatal is not None:
        raise AnalysisError(f"the judge cannot be used: {fatal}")
    return JudgeEvaluation(
        judge=judge_name,
        judge_model=getattr(probe, "model", None),
        settings=options,
        votes=votes,
        vote_seeds=seeds,
        seed=seed,
        sample=sample,
        corpora=tuple(str(p) for p in paths),
        corpus_size=len(entries),
        behaviors=chosen,
        prompt_sha256=prompt_sha,
        items=[results[index] for index in picked],
    )
