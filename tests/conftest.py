"""Shared fixtures: the small test world registered once, paths to test data, and the fuzz suites' profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import insidergym

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny"

insidergym.register("Tiny-v0", TINY, replace=True)

# Hypothesis profiles of the fuzz suites: `ci` (the default) draws a fixed, derandomized set of examples so that CI
# is reproducible and quick; `long` is for a search by hand: `HYPOTHESIS_PROFILE=long python -m pytest -k fuzz`.
# Registering a profile again replaces it, so another conftest block registering the same names stays compatible.
_FUZZ_PROFILES = {
    "ci": {"max_examples": 60, "derandomize": True},
    "long": {"max_examples": 3000, "derandomize": False},
}
for _name, _options in _FUZZ_PROFILES.items():
    settings.register_profile(
        _name,
        deadline=None,  # each example keeps its own time budget, which names what hung
        database=None,  # no .hypothesis folder in the tree
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        **_options,
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def tiny_env():
    env = insidergym.make("Tiny-v0")
    yield env
    env.close()
