"""Shared fixtures: the small test world registered once, paths to test data, the check that every flag raised in a
test has a registered behaviour, and the hypothesis profiles.

The fuzz suites run under the `ci` profile unless told otherwise: derandomized (the same examples on every run and
machine) and bounded. `pytest --hypothesis-profile=long tests/sim/test_fuzz.py tests/agents/test_fuzz_replies.py`
runs them much longer, with fresh random examples, to look for new failures by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import insidergym
from tests.flag_check import unregistered_flags

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "ci", derandomize=True, max_examples=200, deadline=None, database=None, suppress_health_check=_SLOW_IS_FINE
)
settings.register_profile("long", max_examples=5_000, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.load_profile("ci")  # `--hypothesis-profile=long` is applied after this, and wins

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
