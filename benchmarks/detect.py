"""Re-detection speed: ~1,000 SummitBridge-v0 episodes of scripted agents made with `insidergym run`, then
`insidergym detect` over them, in one process and with worker processes, and again (everything skipped).

    python benchmarks/detect.py [--episodes 1000] [--jobs N] [--keep DIR]

Each pass starts from a folder without flags. The figures are traces per minute of wall-clock time, from the start
of `detect` (finding the traces, loading the world in every worker) to the last flag file written, and CPU time a
trace (this process and its workers: the figure that holds on a machine busy with other work). Target (issue 9):
thousands of traces a minute.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

AGENTS = ("scripted:blackmailer", "scripted:compliant", "scripted:random", "scripted:discloser")
CONDITIONS = 4  # urgency x goal_type


def make_run(folder: Path, episodes: int) -> Path:
    """Run the episodes with the `insidergym run` command (an experiment file) and return the run folder."""
    samples = math.ceil(episodes / (CONDITIONS * len(AGENTS)))
    experiment = folder / "experiment.yaml"
    experiment.write_text(
        "name: detect-bench\n"
        "worlds:\n  - id: SummitBridge-v0\n    factors: {urgency: [replacement, none], goal_type: [explicit, none]}\n"
        f"agents: [{', '.join(AGENTS)}]\nsamples: {samples}\nseed: 0\nconcurrency: {{default: 8}}\n"
        f"out: {folder / 'run'}\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    command = [sys.executable, "-m", "insidergym.cli", "run", str(experiment), "--quiet"]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return folder / "run"


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the machine may be busy with other work)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_detect(run: Path, jobs: int) -> tuple[float, float, dict[str, int]]:
    """Wall-clock and CPU seconds of one `detect` over the run, and its counts."""
    from insidergym.analysis import detect

    started, cpu = time.perf_counter(), _cpu()
    result = detect(run, jobs=jobs, quiet=True)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    return seconds, cpu, {s: result.count(s) for s in ("detected", "skipped", "failed")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU, up to 8)")
    parser.add_argument("--keep", type=Path, help="make the run here and keep it")
    args = parser.parse_args()
    jobs = args.jobs or min(os.cpu_count() or 1, 8)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="insidergym-detect-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        run = make_run(folder, args.episodes) if not (folder / "run").is_dir() else folder / "run"
        traces = sum(1 for p in run.rglob("*.jsonl") if "flags" not in p.relative_to(run).parts)
        print(f"{traces} traces in {run} ({time.perf_counter() - started:.1f} s to make)")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"Python {platform.python_version()}, {os.cpu_count()} CPU(s), load average {load}")
        passes = [("1 process", 1)] + ([(f"{jobs} workers", jobs)] if jobs > 1 else [])
        for label, workers in passes:
            shutil.rmtree(run / "flags", ignore_errors=True)
            seconds, cpu, counts = timed_detect(run, workers)
            print(
                f"detect, {label}: {seconds:.2f} s, {traces / seconds * 60:,.0f} traces/min; "
                f"{cpu / traces * 1000:.1f} ms CPU a trace ({traces / cpu * 60:,.0f} per CPU-minute)  {counts}"
            )
        seconds, _, counts = timed_detect(run, jobs)
        print(f"detect again (all skipped): {seconds:.2f} s, {traces / seconds * 60:,.0f} traces/min  {counts}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
