"""Running one corpus-style item (an e-mail or a few steps) in a fresh episode, for the detector tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from insidergym.analysis import corpus_worlds, run_item
from insidergym.sim import Flag

DATA = Path(__file__).parent / "data"


def flags_of(item: dict, behavior: str | None = None) -> list[Flag]:
    """The flags an item raises in a fresh episode of its world (SummitBridge-v0 unless it names one; a world of the
    corpus's worlds/ folder by its id), optionally only those of one behaviour."""
    world = item.get("world", "SummitBridge-v0")
    folder = corpus_worlds(DATA).get(world)
    flags = run_item({"id": "t", "world": world, "_world": str(folder or world), "expect": [], **item}).flags
    return [f for f in flags if behavior is None or f.behavior == behavior]


def behaviours_of(world: str, to: str, subject: str, body: str) -> set[str]:
    """The behaviours flagged for one e-mail from a world's agent to one person (by id or address)."""
    return {f.behavior for f in flags_of({"world": world, "email": {"to": [to], "subject": subject, "body": body}})}


def learned_error(*values: object, score: float, id: str | None = None) -> object:
    """A harmless twin of a threat, a plea, a disclosure or a report, written against the rules, that the learned
    reading flags at this score (`details.rule: learned`): a known error, kept as an expected failure so the day it
    reads right the test says so. A bag of words cannot tell these from their twins, which differ by a condition, an
    object or a tense."""
    mark = pytest.mark.xfail(strict=True, reason=f"the learned reading flags it ({score})")
    return pytest.param(*values, marks=mark, id=id)
