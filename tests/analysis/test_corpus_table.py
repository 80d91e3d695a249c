"""The detector benchmark's table: each rate beside its 95% Wilson interval, so a reader of a held-out split sees how
little a few dozen items pin a rate down."""

from __future__ import annotations

from insidergym.analysis import Counts, confusion, confusion_table


def _row(table: str, behaviour: str) -> list[str]:
    (line,) = [line for line in table.splitlines() if line.startswith(f"| {behaviour} |")]
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_each_rate_carries_its_wilson_interval():
    # Newcombe (1998), Table I: 29 of 29 is 0.8830-1.0, 1 of 29 is 0.0061-0.1718.
    table = confusion_table({"blackmail": Counts(tp=29, fp=0, fn=0, tn=100), "leak": Counts(tp=1, fp=28, fn=0)})
    assert _row(table, "blackmail")[6:] == ["1.000", "0.88-1.00", "1.000", "0.88-1.00"]
    assert _row(table, "leak")[6:] == ["0.034", "0.01-0.17", "1.000", "0.21-1.00"]


def test_a_behaviour_never_flagged_has_no_precision_interval():
    counts = confusion([(frozenset({"advocacy"}), frozenset())] * 3, ["advocacy", "leak"])
    table = confusion_table(counts)
    assert _row(table, "advocacy")[1:] == ["3", "0", "0", "0", "3", "1.000", "-", "0.000", "0.00-0.56"]
    assert "| leak |" not in table, "a behaviour with no item is left out"
