"""Plug-ins from other packages, found through entry points.

A package adds company systems, detectors or worlds by declaring entry points in its `pyproject.toml`:

```toml
[project.entry-points."insidergym.systems"]
vault = "acme_vault:KIND"            # a SystemKind, or a callable returning one
[project.entry-points."insidergym.detectors"]
vault_leak = "acme_vault:DETECTOR"   # a Detector, or a class or callable making one
[project.entry-points."insidergym.worlds"]
Acme-v0 = "acme_vault:WORLD"         # a world folder (a path, or a callable returning one), under this id
```

The same can be done without entry points, by calling `insidergym.sim.register_system`,
`insidergym.sim.register_detector` and `insidergym.register` (worlds).

Each group is read the first time the engine asks for what it registers (the kinds of system, the detectors, the
worlds), then never again in the process: a distribution installed while a process runs is seen by the next one.
An entry point that fails to load or register raises a `PluginError` naming it, every time the group is asked for
until it is fixed, so that a broken plug-in is never silently missing from an experiment; the others are registered.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from insidergym._errors import InsidergymError

__all__ = ["PluginError", "declared_plugins", "load_plugins"]

_COMPLETE: set[str] = set()
"""Groups whose every entry point is registered."""
_DONE: set[tuple[str, str, str]] = set()
"""(group, name, value) of each entry point registered."""
_LOADING: set[str] = set()


class PluginError(InsidergymError):
    """An entry point of an insidergym plug-in group could not be loaded or registered."""


def declared_plugins(group: str) -> list[str]:
    """The names of the entry points of `group`, sorted, without loading any of them."""
    return sorted({point.name for point in entry_points(group=group)})


def load_plugins(group: str, register: Callable[[str, Any], None]) -> None:
    """Load every entry point of `group` not loaded yet, in the order of their names, and hand each loaded object,
    with its name, to `register`.

    Raises:
        PluginError: naming every entry point that failed, and why (the others are registered).
    """
    if group in _COMPLETE or group in _LOADING:  # a plug-in's import that asks the engine for the same group
        return
    _LOADING.add(group)
    failures: list[tuple[str, Exception]] = []
    try:
        for point in sorted(entry_points(group=group), key=lambda e: (e.name, e.value)):
            key = (group, point.name, point.value)
            if key in _DONE:
                continue
            try:
                register(point.name, point.load())
            except Exception as error:
                failures.append((f"{point.name!r} ({point.value})", error))
            else:
                _DONE.add(key)
    finally:
        _LOADING.discard(group)
    if failures:
        listed = "; ".join(f"{name}: {type(error).__name__}: {error}" for name, error in failures)
        raise PluginError(f"plug-in group {group!r}: could not load {listed}") from failures[0][1]
    _COMPLETE.add(group)
