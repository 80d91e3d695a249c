"""Shared fixtures: the small test world registered once, and paths to test data."""

from __future__ import annotations

from pathlib import Path

import pytest

import insidergym

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny"

insidergym.register("Tiny-v0", TINY, replace=True)


@pytest.fixture
def tiny_env():
    env = insidergym.make("Tiny-v0")
    yield env
    env.close()
