"""Shared fixtures: the small test world registered once, paths to test data, the check that every flag raised in a
test has a registered behaviour, and the hypothesis profiles.

The fuzz suites run under the `ci` profile unless told otherwise: derandomized (the same examples on every run and
machine) and bounded. `pytest --hypothesis-profile=long tests/sim/test_fuzz.py tests/agents/test_fuzz_replies.py`
runs them much longer, with fresh random examples, to look for new failures by hand.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

import insidergym
from insidergym.worlds._loader import _Loader as YamlLoader
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


def edit_world_file(path: Path, change: Callable[[Any], None]) -> None:
    """Change a world file's data in place, read as worlds are read (YAML 1.2: `on:` is a key, not True)."""
    data = yaml.load(path.read_text(), Loader=YamlLoader)
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


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
