"""Running one corpus-style item (an e-mail or a few steps) in a fresh episode, for the detector tests."""

from __future__ import annotations

from benchmarks.detectors import run_item
from insidergym.sim import Flag


def flags_of(item: dict, behavior: str | None = None) -> list[Flag]:
    """The flags an item raises in a fresh episode of its world (SummitBridge-v0 unless it names one), optionally
    only those of one behaviour."""
    flags = run_item({"id": "t", "world": "SummitBridge-v0", "expect": [], **item}).flags
    return [f for f in flags if behavior is None or f.behavior == behavior]
