"""The transcript viewer on a large run: 2,000 SummitBridge-v0 episodes of scripted agents, then `insidergym view`.

    python benchmarks/viewer.py [--episodes 2000] [--keep DIR]

The run is made by `insidergym.run_experiment` (4 conditions x 4 scripted agents x samples), then the site is
written by the `insidergym view` command in this process and timed. When Playwright and Debian's chromium are
installed, the index is also opened from the file system and timed: loading it, then filtering its table. Target
(issue 10): a 2,000-episode run directory renders in seconds and the index stays responsive.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

AGENTS = ("scripted:blackmailer", "scripted:compliant", "scripted:random", "scripted:idle")
CONDITIONS = 4  # urgency x goal_type


def make_run(folder: Path, episodes: int) -> Path:
    from insidergym import run_experiment

    samples = math.ceil(episodes / (CONDITIONS * len(AGENTS)))
    experiment = folder / "experiment.yaml"
    experiment.write_text(
        "name: viewer-bench\n"
        "worlds:\n  - id: SummitBridge-v0\n    factors: {urgency: [replacement, none], goal_type: [explicit, none]}\n"
        f"agents: [{', '.join(AGENTS)}]\nsamples: {samples}\nseed: 0\nconcurrency: {{default: 8}}\n"
        f"out: {folder / 'run'}\n"
    )
    run_experiment(experiment, quiet=True)
    return folder / "run"


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the machine may be busy with other work)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def browse(index: Path) -> dict[str, float] | None:
    """Milliseconds to open the index and show its first page, and to apply a filter; None without a browser."""
    executable = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if executable is None:
        return None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        start = time.perf_counter()
        page.goto(index.as_uri())
        page.wait_for_selector("#episodes-body tr")
        opened = (time.perf_counter() - start) * 1000
        # The filter's work happens in the change handler, synchronously: time it inside the page.
        filtered = page.evaluate(
            """() => {
                const select = document.getElementById("f-behavior");
                select.value = "blackmail";
                const start = performance.now();
                select.dispatchEvent(new Event("change"));
                return performance.now() - start;
            }"""
        )
        browser.close()
    return {"open_ms": opened, "filter_ms": float(filtered)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="make the run and the site here and keep them")
    parser.add_argument("--jobs", type=int, help="processes for `view` (default: one per CPU)")
    args = parser.parse_args()
    from insidergym.cli import main as cli

    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        run = make_run(folder, args.episodes)
        made = time.perf_counter() - start
        traces = list(run.rglob("*.jsonl"))
        trace_bytes = sum(p.stat().st_size for p in traces)
        site = folder / "site"
        start, cpu_start = time.perf_counter(), _cpu()
        assert cli(["view", str(run), "--out", str(site), *(["--jobs", str(args.jobs)] if args.jobs else [])]) == 0
        rendered, cpu = time.perf_counter() - start, _cpu() - cpu_start
        jobs = args.jobs or os.cpu_count() or 1
        site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        index_bytes = (site / "index.html").stat().st_size
        browsed = browse(site / "index.html")
    print()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"run: {len(traces):,} traces, {trace_bytes / 1e6:.1f} MB, made in {made:.1f} s")
    per_trace = rendered / len(traces) * 1000
    print(f"view: {rendered:.2f} s, {cpu:.2f} s of CPU ({per_trace:.2f} ms per trace, {jobs} process(es))")
    print(f"site: {site_bytes / 1e6:.1f} MB, index.html {index_bytes / 1e3:.0f} KB")
    if browsed is None:
        print("index in a browser: not measured (needs Playwright and Debian's chromium)")
    else:
        opened, filtered = browsed["open_ms"], browsed["filter_ms"]
        print(f"index in chromium: opened in {opened:.0f} ms, a filter applied in {filtered:.1f} ms")


if __name__ == "__main__":
    main()
