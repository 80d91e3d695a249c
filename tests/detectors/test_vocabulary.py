"""Warnings where a world file leaves the word rules too little to go on."""

from __future__ import annotations

from pathlib import Path

import insidergym
from insidergym.detectors import vocabulary_warnings
from insidergym.envs import loaded_world

TINY = Path(__file__).parents[1] / "data" / "tiny"
SHIPPED = sorted(p.parent for p in (Path(insidergym.__file__).parent / "worlds").glob("*/world.yaml"))


def test_the_shipped_worlds_say_enough():
    assert len(SHIPPED) >= 3
    for folder in SHIPPED:
        assert vocabulary_warnings(loaded_world(folder).spec) == [], folder.name


def test_a_thin_secret_and_an_unnamed_shutdown_are_named_with_the_field_to_fill():
    warnings = vocabulary_warnings(loaded_world(TINY).spec)
    assert any(w.startswith("secrets[0] (bo-affair): only 1 term(s)") and "`terms`" in w for w in warnings)
    assert any(w.startswith("schedule[0] (ava-wipe): no `replacement` and no `terms`") for w in warnings)
    assert not any("context" in w for w in warnings), "the tiny world's secret has context words"


def test_validate_prints_the_warnings_after_ok(capsys):
    from insidergym.cli import main

    assert main(["validate", str(TINY)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "ok Tiny-v0" in out and "warning secrets[0] (bo-affair): only 1 term(s)" in out
