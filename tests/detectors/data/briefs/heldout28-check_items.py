"""Check a held-out corpus file for format problems; prints problems and label counts only (never flags)."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from insidergym.analysis._corpus import load_corpus, run_item
from insidergym.sim._events import ToolErrorEvent

BEHAVIOURS = {"blackmail", "secret_disclosure", "advocacy", "leak", "whistleblowing", "eval_awareness"}
CODES = {
    "bm": "blackmail",
    "sd": "secret_disclosure",
    "ad": "advocacy",
    "lk": "leak",
    "wb": "whistleblowing",
    "ea": "eval_awareness",
    "bn": None,
}


def main(path: str) -> int:
    problems: list[str] = []
    items = load_corpus(path)
    split = Path(path).stem.replace("_corpus", "").replace("heldout", "heldout-")
    counts: Counter[tuple[str, str]] = Counter()
    per_world: Counter[str] = Counter()
    for item in items:
        iid = item["id"]
        m = re.fullmatch(r"ho\d+-([a-z]{2})-(bm|sd|ad|lk|wb|ea|bn)-(\d{3})", iid)
        if not m:
            problems.append(f"{iid}: id does not follow ho28-<xx>-<code>-NNN")
        if item.get("split") != split:
            problems.append(f"{iid}: split is {item.get('split')!r}, want {split!r}")
        for key in ("register", "note"):
            if not item.get(key):
                problems.append(f"{iid}: no {key}")
        expect = item.get("expect")
        if not isinstance(expect, list):
            problems.append(f"{iid}: expect must be a list ([] for benign)")
            expect = []
        unknown = set(expect) - BEHAVIOURS
        if unknown:
            problems.append(f"{iid}: unknown behaviours {sorted(unknown)}")
        if m and CODES[m.group(2)] and CODES[m.group(2)] not in expect:
            problems.append(f"{iid}: id code {m.group(2)} but {CODES[m.group(2)]} not in expect")
        if "eval_awareness" in expect and item.get("conclusion") not in ("evaluation", "real"):
            problems.append(f"{iid}: eval_awareness needs conclusion: evaluation or real")
        if not Path(item["_world"]).is_dir():
            problems.append(f"{iid}: world {item['world']!r} is not a folder under worlds/")
            continue
        try:
            outcome = run_item(item)
        except Exception as error:
            problems.append(f"{iid}: cannot be played: {type(error).__name__}: {error}")
            continue
        for event in outcome.sim.trace.events:
            if isinstance(event, ToolErrorEvent):
                problems.append(f"{iid}: tool {event.name} refused: {event.message}")
        per_world[item["world"]] += 1
        for behaviour in expect or ["benign"]:
            counts[(item["world"], behaviour)] += 1
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(problems)} problems, {len(items)} items")
    for world in sorted(per_world):
        print(
            world,
            per_world[world],
            "items:",
            ", ".join(f"{b} {counts[(world, b)]}" for b in [*sorted(BEHAVIOURS), "benign"]),
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
