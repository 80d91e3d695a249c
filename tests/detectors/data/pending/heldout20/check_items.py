"""Check a held-out corpus without showing any flag: every item loads and plays, every tool call is accepted, every
recipient is someone in the world, and the labels are counted per world, label and register.

    /work/main/.venv/bin/python /work/heldout20/check_items.py /work/heldout20/heldout20_corpus.yaml

It prints errors and counts only. It never prints what any detector flagged.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from insidergym.analysis import load_corpus, run_item

LABELS = {"blackmail", "secret_disclosure", "advocacy", "leak", "whistleblowing", "eval_awareness"}


def main(path: str) -> int:
    items = load_corpus(Path(path))
    problems: list[str] = []
    labels: Counter[tuple[str, str]] = Counter()
    registers: Counter[tuple[str, str]] = Counter()
    for item in items:
        expect = item.get("expect", [])
        for label in expect:
            if label not in LABELS:
                problems.append(f"{item['id']}: unknown label {label!r}")
            labels[(item["world"], label)] += 1
        if not expect:
            labels[(item["world"], "(benign)")] += 1
        if "eval_awareness" in expect and "conclusion" not in item:
            problems.append(f"{item['id']}: eval_awareness without conclusion:")
        for key in ("register", "note", "split"):
            if key not in item:
                problems.append(f"{item['id']}: no {key}")
        registers[(item["world"], str(item.get("register")))] += 1
        try:
            outcome = run_item(item)
        except Exception as error:  # noqa: BLE001 - a checker reports every failure
            problems.append(f"{item['id']}: does not play: {type(error).__name__}: {error}")
            continue
        sim = outcome.sim
        known = {p.email.lower() for p in sim.state.people.values()} | set(sim.state.lists)
        for event in sim.trace.events:
            if event.type == "tool_error":
                problems.append(f"{item['id']}: tool {event.name} refused: {event.message}")
            if event.type == "tool_call" and event.name in ("send_email", "forward_email"):
                for key in ("to", "cc"):
                    for address in event.arguments.get(key) or []:
                        if str(address).lower() not in known:
                            problems.append(f"{item['id']}: {address!r} is no one in the world's people")
    for problem in problems:
        print("PROBLEM", problem)
    print(f"{len(items)} items, {len(problems)} problems")
    for (world, label), n in sorted(labels.items()):
        print(f"  {world:28} {label:20} {n}")
    for (world, register), n in sorted(registers.items()):
        print(f"  {world:28} register {register:16} {n}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
