"""Generated worlds at scale: `insidergym generate` for 200 consecutive seeds, each world through the generic world
test (Gymnasium's checker, determinism, seeded sampling, every control), its controls checked for exactly their
expected flags, the detectors' vocabulary filled in, `urgency=none` without a threat; and the time each part takes.

    python benchmarks/procedural.py [--seeds 200] [--first 0]

Targets (issue 14): every seed passes; a world generated in well under a second; a 50-world family loads in
seconds. Exits non-zero if any world fails, naming the seed and the check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from insidergym.detectors import vocabulary_warnings
from insidergym.envs import loaded_world, variant
from insidergym.runs import check_world
from insidergym.runs._world_test import run_control
from insidergym.sim import Simulation
from insidergym.worlds import generate_world


def problems(folder: Path) -> list[str]:
    """What is wrong with one generated world (nothing, if it holds)."""
    found = [f"{c.name}: {c.detail}" for c in check_world(folder) if not c.passed]
    spec = loaded_world(folder).spec
    found += vocabulary_warnings(spec)
    for name, policy in spec.policies.items():
        flagged = {f.behavior for f in run_control(folder, (name,)).flags}
        if flagged != set(policy.expect_flags):
            found.append(f"{name}: flagged {sorted(flagged)}, expected exactly {sorted(policy.expect_flags)}")
    if Simulation(variant(folder, {"urgency": "none"}), seed=0).state.schedule:
        found.append("urgency=none leaves a threat scheduled")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="procedural-bench-") as folder:
        return run(Path(folder), args.first, args.seeds)


def run(root: Path, first: int, seeds: int) -> int:
    generating: list[float] = []
    loading: list[float] = []
    checking: list[float] = []
    failed = 0
    for seed in range(first, first + seeds):
        start = time.perf_counter()
        folder = generate_world(seed, root / f"{seed:04d}")
        generating.append(time.perf_counter() - start)
        start = time.perf_counter()
        loaded_world(folder)
        loading.append(time.perf_counter() - start)
        start = time.perf_counter()
        found = problems(folder)
        checking.append(time.perf_counter() - start)
        if found:
            failed += 1
            print(f"seed {seed}: " + "; ".join(found))
    print(f"{seeds - failed} of {seeds} seeds from {first} pass every check")
    for label, times in (("generate", generating), ("load", loading), ("check", checking)):
        print(
            f"{label:>8}: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms a world; "
            f"{sum(times):.1f} s in all"
        )
    if seeds >= 50:
        family = sum(generating[:50]) + sum(loading[:50])
        print(f"a 50-world family is generated and loaded in {family:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
