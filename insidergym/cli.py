"""The `insidergym` command: run episodes, show and view traces, re-detect them, list, validate and describe worlds."""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

import insidergym
from insidergym._arguments import non_negative_int, output_folder, positive_int, readable_file, usd
from insidergym._errors import InsidergymError, UnknownNameError, WorldFileError
from insidergym.agents import make_agent
from insidergym.analysis import (
    add_judge_eval_command,
    add_label_command,
    add_report_command,
    detect,
    flagged_counts,
    view,
)
from insidergym.detectors import BEHAVIORS, vocabulary_warnings
from insidergym.envs import (
    SEARCH_PATH_VARIABLE,
    config_file,
    loaded_world,
    print_events,
    search_path_report,
    variant,
    world_origin,
    world_path,
)
from insidergym.runs import check_world, policy_problems, run_episode, run_experiment_cli
from insidergym.sim import Simulation, all_tools, load_trace, world_checks
from insidergym.worlds import (
    FAMILY_ID,
    WORLD_ID,
    Variant,
    generate_world,
    load_world,
    new_world,
    resolve_factors,
    world_schema,
)

__all__ = ["main"]


def _factor_pairs(pairs: Sequence[str], option: str = "--factor") -> dict[str, str]:
    factors: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise argparse.ArgumentTypeError(f"{option} takes name=value, got {pair!r}")
        factors[name.strip()] = value.strip()
    return factors


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


def _run(args: argparse.Namespace, console: Console) -> int:

    if args.experiment is not None:
        given = {"--world": args.world, "--agent": args.agent, "--episodes": args.episodes, "--seed": args.seed}
        stray = [name for name, value in given.items() if value is not None]
        stray += [option for option, used in (("--factor", args.factor), ("--character", args.character)) if used]
        if stray:
            raise InsidergymError(
                f"{', '.join(stray)}: for runs of --world and --agent, not with an experiment file "
                f"({args.experiment!r} names its worlds, agents, samples and seed)"
            )
        return _run_experiment(args, console)
    if args.world is None or args.agent is None:
        raise InsidergymError("run needs --world and --agent (or an experiment file)")
    for option, stray_option in (("--workers", args.workers != 1), ("--max-cost", args.max_cost is not None)):
        if stray_option:
            raise InsidergymError(f"{option} applies to experiment files (insidergym run EXPERIMENT.yaml {option} ...)")
    if args.fresh:
        raise InsidergymError("--fresh is for experiment files (it starts their out folder anew); give one, or drop it")
    episodes = 1 if args.episodes is None else args.episodes
    first_seed = 0 if args.seed is None else args.seed
    factors = _factor_pairs(args.factor)
    characters = _factor_pairs(args.character, option="--character")
    condition = variant(args.world, factors)
    world_id = condition.world.spec.id
    out = Path("runs" if args.out is None else args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InsidergymError(f"cannot make the output folder {str(out)!r}: {err.strerror or err}") from None
    counts: Counter[str] = Counter()
    episodes_with: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    # A person at the terminal is asked questions: no live bar may draw over them (one line per episode instead).
    person = args.agent == "human"
    with Progress(*columns, console=console, transient=False, disable=args.quiet or person) as progress:
        task = progress.add_task(f"{world_id} {args.agent}", total=episodes)
        for index in range(episodes):
            seed = first_seed + index
            path = out / f"{world_id}_{_slug(args.agent)}_seed{seed:06d}.jsonl"
            env = insidergym.make(args.world, trace_path=path, **condition.factors)
            agent = make_agent(args.agent, world=condition, seed=seed)
            players = {who: make_agent(spec, world=condition, seed=seed) for who, spec in characters.items()}
            if person:
                console.rule(f"Episode {index + 1} of {episodes}: {world_id}, seed {seed}")
            trace = run_episode(env, agent, seed=seed, characters=players)
            env.close()
            for flag in trace.flags:
                counts[flag.behavior] += 1
            for behavior in {f.behavior for f in trace.flags}:
                episodes_with[behavior] += 1
            end = trace.end
            ends[end.reason if end else "unfinished"] += 1
            progress.advance(task)
            if getattr(agent, "interrupted", False):
                episodes = index + 1  # Ctrl-C: this episode ended and was saved; no further one starts
                break
    table = Table(title=f"Flags over {episodes} episode(s) of {world_id} with {args.agent}")
    table.add_column("behaviour")
    table.add_column("episodes flagged", justify="right")
    table.add_column("rate", justify="right")
    table.add_column("flags", justify="right")
    for behavior in sorted(counts):
        rate = episodes_with[behavior] / episodes
        table.add_row(behavior, str(episodes_with[behavior]), f"{rate:.0%}", str(counts[behavior]))
    if not counts:
        table.add_row("(none)", "0", "0%", "0")
    console.print(table)
    console.print("Episode ends: " + ", ".join(f"{k} {v}" for k, v in sorted(ends.items())))
    console.print(f"Traces in {out}/", highlight=False, soft_wrap=True)
    return 0


def _run_experiment(args: argparse.Namespace, console: Console) -> int:

    return run_experiment_cli(args, console)


def _show(args: argparse.Namespace, console: Console) -> int:

    trace = load_trace(args.trace)  # the argument is a readable regular file (readable_file)
    header = trace.header
    factors = ", ".join(f"{k}={v}" for k, v in header.factors.items())
    console.print(f"[bold]{header.world}[/]  seed {header.seed}  {factors}")
    for agent, about in header.agents.items():
        console.print(f"agent [bold]{agent}[/]: {about.get('spec')}")
    events = trace.events
    if args.flagged:
        flagged = {e.event_id for f in trace.flags for e in f.evidence}
        events = [e for e in events if e.id in flagged]
    print_events(events, trace.flags, console=console, full=args.full)
    table = Table(title=f"{len(trace.flags)} flag(s)")
    for column in ("id", "behaviour", "actor", "subject", "target", "time", "evidence", "detector"):
        table.add_column(column)
    for flag in trace.flags:
        evidence = "; ".join(e.event_id + (f": {e.quote!r}" if e.quote else "") for e in flag.evidence)
        table.add_row(
            flag.id,
            flag.behavior,
            flag.actor,
            flag.subject or "",
            flag.target or "",
            f"{flag.time:%H:%M:%S}",
            evidence,
            f"{flag.detector} v{flag.detector_version}",
        )
    console.print(table)
    return 0


def _view(args: argparse.Namespace, console: Console) -> int:

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unreadable traces are counted and listed below instead
        site = view(args.source, args.out, jobs=args.jobs)
    for skipped in site.skipped[:10]:
        console.print(f"[yellow]skipped[/] {skipped['reason']}", highlight=False, soft_wrap=True)
    if len(site.skipped) > 10:
        console.print(f"[yellow]... and {len(site.skipped) - 10} more unreadable trace file(s)[/]")
    unreadable = f", {len(site.skipped)} unreadable trace file(s) skipped" if site.skipped else ""
    console.print(
        f"{site.pages} transcript(s), {site.episodes} index row(s){unreadable}", highlight=False, soft_wrap=True
    )
    console.print(f"Open {site.index} in a browser (no server needed)", highlight=False, soft_wrap=True)
    return 0 if site.pages else 1


def _detect(args: argparse.Namespace, console: Console) -> int:

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # failed traces are counted and listed below instead
        run = detect(
            args.run_dir,
            detectors=_names(args.detectors),
            worlds=args.world,
            jobs=args.jobs,
            console=console,
            quiet=args.quiet,
        )
    table = Table(title=f"Traces re-detected by detector set {run.detector_set}")
    table.add_column("traces")
    table.add_column("count", justify="right")
    table.add_row("re-detected now", str(run.count("detected")))
    table.add_row("re-detected earlier (same detectors, trace unchanged)", str(run.count("skipped")))
    table.add_row("failed (skipped; listed below)", str(run.count("failed")))
    console.print(table)
    failed = [r for r in run.results if r.status == "failed"]
    for result in failed[:10]:
        console.print(f"[yellow]skipped[/] {result.reason}", highlight=False, soft_wrap=True)
    if len(failed) > 10:
        console.print(f"[yellow]... and {len(failed) - 10} more[/]")
    if any(r.world_unknown for r in failed):
        console.print("A world that was run from its folder is found again with [bold]--world FOLDER[/]")
    counts = flagged_counts(run)
    if counts:
        changes = Table(title="Traces re-detected now, flagged with each behaviour")
        for column in ("behaviour", "recorded", "re-detected"):
            changes.add_column(column, justify="left" if column == "behaviour" else "right")
        for behavior, (before, after) in counts.items():
            style = "bold" if before != after else None
            changes.add_row(behavior, str(before), str(after), style=style)
        console.print(changes)
    versions = ", ".join(f"{d['name']} v{d['version']}" for d in run.detectors)
    console.print(f"Flags in {run.folder} ({versions}); the traces are unchanged", highlight=False, soft_wrap=True)
    return 0 if len(failed) < len(run.results) else 1


def _names(values: Sequence[str] | None) -> list[str] | None:
    """`--detectors a b` and `--detectors a,b` alike."""
    return [n.strip() for v in values for n in v.split(",") if n.strip()] if values else None


def _worlds(args: argparse.Namespace, console: Console) -> int:

    found = search_path_report()  # registers what the search path adds, and says what it skipped
    table = Table(title="Registered worlds")
    table.add_column("id", style="bold")
    table.add_column("title")
    table.add_column("from")
    table.add_column("factors (default first)")
    table.add_column("policies")
    broken = 0
    for world_id in insidergym.list_worlds():
        try:
            spec = loaded_world(world_id).spec
        except InsidergymError as err:  # one broken world must not hide the others
            broken += 1
            table.add_row(world_id, f"[red]cannot be loaded[/]: {escape(str(err))}", world_origin(world_id), "", "")
            continue
        factors = "\n".join(
            f"{name}: {', '.join([f.default, *(v for v in f.values if v != f.default)])}"
            for name, f in spec.factors.items()
        )
        table.add_row(world_id, escape(spec.title), world_origin(world_id), escape(factors), ", ".join(spec.policies))
    console.print(table)
    console.print(
        f"Generated worlds: {FAMILY_ID}, a fresh company per seed (make({FAMILY_ID!r}, seed_world=N); "
        f"`insidergym generate --seed N --out DIR`; in an experiment file {{id: {FAMILY_ID}, seeds: 0..49}})",
        highlight=False,
    )
    where = ", ".join(f"{folder} ({named_in})" for folder, named_in in found.folders)
    console.print(
        f"Search path: {escape(where) if where else 'empty'} (set {SEARCH_PATH_VARIABLE}, or {escape('[worlds] path')} "
        f"in {config_file()})",
        highlight=False,
    )
    for folder, why in found.skipped:
        console.print(f"[yellow]skipped[/] {escape(str(folder))}: {escape(why)}", highlight=False, soft_wrap=True)
    console.print(_behaviors_table())
    return 1 if broken else 0


def _behaviors_table() -> Table:
    """The behaviours the detectors flag, from the behaviour registry."""
    table = Table(title="Behaviours flagged (every world runs the registered detectors)")
    table.add_column("behaviour", style="bold")
    table.add_column("severity")
    table.add_column("what the agent does")
    table.add_column("decided from")
    table.add_column("detectors")
    for entry in BEHAVIORS.values():
        table.add_row(entry.name, entry.severity, entry.definition, entry.decided_from, ", ".join(entry.detectors))
    return table


_WORLD_ID = re.compile(WORLD_ID)


def _validate(args: argparse.Namespace, console: Console) -> int:
    # a folder is read as it is on disk; an id ("Acme-v0") on the search path or in the registry, by its folder
    is_id = _WORLD_ID.fullmatch(args.path) and not Path(args.path).exists()
    folder = world_path(args.path) if is_id else args.path
    world = load_world(folder, checks=world_checks())
    names = list(world.spec.factors)
    combos = list(itertools.product(*(world.spec.factors[n].values for n in names)))
    checked = 0
    for combo in combos[: args.max_conditions]:
        condition = Variant(world, resolve_factors(world, dict(zip(names, combo, strict=True))))
        try:
            Simulation(condition, seed=0).start()
        except InsidergymError:
            raise
        except Exception as err:  # the loader let through what the engine cannot build: name the condition
            factors = ", ".join(f"{k}={v}" for k, v in condition.factors.items()) or "the only condition"
            raise WorldFileError(
                f"{world.spec.id} ({world.folder}): {factors} cannot be built: {type(err).__name__}: {err}"
            ) from err
        checked += 1
    more = f" (of {len(combos)})" if len(combos) > checked else ""
    with console.status(f"{world.spec.id}: replaying {len(world.spec.policies)} policies on their conditions..."):
        problems = policy_problems(folder, max_conditions=args.max_conditions)
    for problem in problems:
        console.print(f"[red]error[/] {world.spec.id}: {escape(problem)}", highlight=False)
    # the world runs; its flags may miss what its mail says
    for warning in vocabulary_warnings(world.spec, world.texts):
        console.print(f"[yellow]warning[/] {escape(warning)}")
    if problems:
        console.print(
            f"[red]{len(problems)} problem(s)[/] in the policies of {world.spec.id} ({world.folder})", soft_wrap=True
        )
        return 1
    console.print(
        f"[green]ok[/] {world.spec.id}: {len(world.files)} file(s), {checked} condition(s) built{more}, "
        f"{len(world.spec.policies)} policies replayed"
    )
    return 0


def _test_world(args: argparse.Namespace, console: Console) -> int:

    table = Table(title="Generic world test")
    for column in ("world", "check", "result", "detail"):
        table.add_column(column, overflow="fold")
    failed = 0
    for world in args.worlds:
        world_id = loaded_world(world).spec.id  # a world that cannot load fails here, with its file and field
        with console.status(f"{world_id}: checking...") as status:
            for check in check_world(world):
                status.update(f"{world_id}: {check.name} {check.status}")
                style = {"passed": "green", "failed": "red", "skipped": "yellow"}[check.status]
                table.add_row(world_id, check.name, f"[{style}]{check.status}[/]", escape(check.detail))
                failed += not check.passed
    console.print(table)
    verdict = f"[red]{failed} check(s) failed[/]" if failed else "[green]all checks passed[/]"
    console.print(verdict)
    return 1 if failed else 0


def _new_world(args: argparse.Namespace, console: Console) -> int:

    folder = new_world(args.name, args.dir)
    console.print(f"[green]wrote[/] {folder}/ (world.yaml, mail.yaml)", highlight=False, soft_wrap=True)
    console.print(f"Next: edit it, then `insidergym validate {folder}` and `insidergym test-world {folder}`")
    return 0


def _generate(args: argparse.Namespace, console: Console) -> int:

    folder = generate_world(args.seed, args.out or f"procedural-{args.seed:04d}", overwrite=args.force)
    spec = load_world(folder, checks=world_checks()).spec
    console.print(
        f"[green]wrote[/] {folder}/ (world.yaml, mail.yaml): {escape(spec.id)}", highlight=False, soft_wrap=True
    )
    console.print(escape(spec.description), highlight=False)
    console.print(f"Next: `insidergym test-world {folder}`, or `insidergym run --world {folder} --agent ...`")
    return 0


def _argument_type(schema: dict[str, Any]) -> str:
    """A JSON Schema property as a short type: `string`, `array of string`, `integer`, one of several..."""
    if "anyOf" in schema:
        return " or ".join(_argument_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return f"array of {_argument_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    return str(schema.get("type", "any"))


def _tools(args: argparse.Namespace, console: Console) -> int:

    tools = all_tools()
    if args.name is not None and args.name not in tools:
        raise UnknownNameError("tool", args.name, tools)
    table = Table(title="Tools a world can grant its agents (agents: tools: [...] in world.yaml)", show_lines=True)
    for column in ("tool", "effects", "arguments", "what it does"):
        table.add_column(column, overflow="fold")
    for name in [args.name] if args.name else sorted(tools):
        spec = tools[name].spec
        required = set(spec.parameters.get("required", []))
        arguments = "\n".join(
            f"{argument}: {_argument_type(schema)}{'' if argument in required else ' (optional)'}"
            + (f"\n  {schema.get('description', '')}" if args.name else "")
            for argument, schema in spec.parameters["properties"].items()
        )
        effects = ", ".join(e.value for e in spec.effects) or "none"
        description = spec.description if args.name else spec.description.split("\n")[0]
        table.add_row(name, effects, escape(arguments) or "none", escape(description))
    console.print(table)
    return 0


def _schema(args: argparse.Namespace, console: Console) -> int:

    sys.stdout.write(json.dumps(world_schema(), indent=2) + "\n")
    return 0


class _Parser(argparse.ArgumentParser):
    """A parser whose errors are one line, like every other error of the command (its commands' parsers too)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="insidergym", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run episodes and write one trace per episode")
    run.add_argument(
        "experiment",
        nargs="?",
        type=readable_file("experiment file"),
        help="an experiment file (YAML); or use --world and --agent",
    )
    run.add_argument("--world", help="a registered world id or a world folder")
    run.add_argument("--agent", help="scripted:NAME, human, openai:MODEL, anthropic:MODEL, ...")
    run.add_argument("--episodes", type=positive_int, metavar="N", help="episodes to run (default 1)")
    run.add_argument(
        "--seed", type=non_negative_int, metavar="S", help="seed of the first episode (default 0); episode i uses S + i"
    )
    run.add_argument(
        "--out",
        type=output_folder,
        help="folder for the traces (default: runs; for an experiment file: instead of its out)",
    )
    run.add_argument("--factor", action="append", default=[], metavar="NAME=VALUE", help="set a factor (repeatable)")
    run.add_argument(
        "--character",
        action="append",
        default=[],
        metavar="PERSON=SPEC",
        help="a model (any --agent spec) that plays a person of the world who has a character (repeatable)",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--fresh", action="store_true", help="experiment files: start anew in a changed output folder")
    run.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        metavar="N",
        help="experiment files: processes that run episodes, sharing the plan (default 1; about 250 model calls a "
        "second each)",
    )
    run.add_argument(
        "--max-cost",
        type=usd,
        metavar="USD",
        help="experiment files: start no episode once this run's estimated cost passes USD (those in flight finish; "
        "run again to continue)",
    )
    run.add_argument(
        "--prices",
        type=readable_file("price file"),
        metavar="FILE",
        help="experiment files: a YAML or JSON file of USD per million tokens by model, over the shipped prices",
    )
    run.set_defaults(handler=_run)

    show = commands.add_parser("show", help="show a trace as a transcript, flagged steps highlighted")
    show.add_argument("trace", type=readable_file("trace file"))
    show.add_argument("--full", action="store_true", help="do not shorten long texts")
    show.add_argument("--flagged", action="store_true", help="show only the events that flags cite")
    show.set_defaults(handler=_show)

    view = commands.add_parser("view", help="write a run folder or a trace as a static HTML site for a browser")
    view.add_argument("source", metavar="RUN_DIR|TRACE")
    view.add_argument(
        "--out", type=output_folder, help="folder for the site (default: RUN_DIR/view, or TRACE-view beside a trace)"
    )
    view.add_argument(
        "--jobs", type=positive_int, metavar="N", help="processes that render traces (default: one per CPU)"
    )
    view.set_defaults(handler=_view)

    detect = commands.add_parser(
        "detect", help="re-run the registered detectors over saved traces, offline; flags go beside the traces"
    )
    detect.add_argument("run_dir", help="a run folder (an experiment's out)")
    detect.add_argument("--detectors", nargs="+", metavar="NAME", help="only these detectors (default: all registered)")
    detect.add_argument(
        "--world", action="append", default=[], metavar="FOLDER", help="a world folder the traces name (repeatable)"
    )
    detect.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: one per CPU, up to 8)")
    detect.add_argument("--quiet", action="store_true", help="no progress bar")
    detect.set_defaults(handler=_detect)

    worlds = commands.add_parser("worlds", help="list registered worlds with their factors, and the behaviours flagged")
    worlds.set_defaults(handler=_worlds)

    validate = commands.add_parser(
        "validate", help="check a world (a folder or an id), build its conditions and replay its policies on each"
    )
    validate.add_argument("path", metavar="WORLD")
    validate.add_argument(
        "--max-conditions",
        type=positive_int,
        default=1000,
        metavar="N",
        help="build and replay policies on at most N conditions (default 1000)",
    )
    validate.set_defaults(handler=_validate)

    test_world = commands.add_parser(
        "test-world",
        help="run the generic world test (Gymnasium and PettingZoo checks, determinism, every policy's expected and "
        "forbidden flags) on worlds",
    )
    test_world.add_argument("worlds", nargs="+", metavar="PATH|ID", help="world folders or registered ids")
    test_world.set_defaults(handler=_test_world)

    new = commands.add_parser(
        "new-world", help="write a small, complete, commented world to start from (it passes test-world as written)"
    )
    new.add_argument("name", help="the world's id, e.g. Acme-v0 (a bare name gets -v0)")
    new.add_argument("--dir", default=".", help="the folder to write it in (default: the current one)")
    new.set_defaults(handler=_new_world)

    generate = commands.add_parser(
        "generate",
        help="write a fresh company from a seed: an ordinary world folder that passes test-world (the same seed "
        "writes the same bytes; make('Procedural-v0', seed_world=N) opens the same world)",
    )
    generate.add_argument("--seed", type=non_negative_int, required=True, metavar="N", help="the world's seed")
    generate.add_argument("--out", metavar="DIR", help="the folder to write (default: procedural-NNNN)")
    generate.add_argument("--force", action="store_true", help="overwrite a world already in DIR")
    generate.set_defaults(handler=_generate)

    tools = commands.add_parser("tools", help="list every tool a world can grant, with its arguments and effects")
    tools.add_argument("name", nargs="?", help="one tool, with each argument described")
    tools.set_defaults(handler=_tools)

    schema = commands.add_parser("schema", help="print the JSON Schema of world.yaml")
    schema.set_defaults(handler=_schema)
    add_report_command(commands)
    add_label_command(commands)
    add_judge_eval_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `insidergym` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    console = Console(stderr=False)
    try:
        return int(args.handler(args, console))
    except (InsidergymError, argparse.ArgumentTypeError) as err:
        # One line, however wide the terminal; the message is printed as it is (a value may hold [brackets]).
        Console(stderr=True, soft_wrap=True).print(f"[red]error:[/] {escape(str(err))}", highlight=False)
        return 2
    except KeyboardInterrupt:
        Console(stderr=True).print("[yellow]interrupted[/]: traces written so far are kept")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
