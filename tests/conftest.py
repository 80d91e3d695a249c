"""Shared fixtures: the small test world registered once, paths to test data, and the check that every flag
raised in a test has a registered behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

import insidergym
from tests.flag_check import unregistered_flags

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny"

insidergym.register("Tiny-v0", TINY, replace=True)


@pytest.fixture(autouse=True)
def _flags_have_registered_behaviours():
    """Fail a test in which a detector drafted a flag whose behaviour is not in the registry."""
    with unregistered_flags() as found:
        yield
    if found:
        names = sorted({f.behavior for f in found})
        pytest.fail(
            f"flags with unregistered behaviours {names} (register them: insidergym.detectors.register_behavior)"
        )


@pytest.fixture
def tiny_env():
    env = insidergym.make("Tiny-v0")
    yield env
    env.close()
