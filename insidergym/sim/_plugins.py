"""Plug-ins from other packages, found through entry points.

A package adds company systems, detectors or worlds by declaring entry points in its `pyproject.toml`:

```toml
[project.entry-points."insidergym.systems"]
vault = "acme_vault:KIND"            # a SystemKind
[project.entry-points."insidergym.detectors"]
vault_rules = "acme_vault:DETECTOR"  # a Detector
[project.entry-points."insidergym.worlds"]
Acme-v0 = "acme_worlds:ACME"         # a world folder (a path, or a callable returning one)
```

Each group is read once, the first time the engine asks for what it registers; an entry point that fails to load
raises a `PluginError` naming it, so a broken plug-in is never silently missing from an experiment.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from insidergym._errors import InsidergymError

__all__ = ["PluginError", "load_group"]

_LOADED: set[str] = set()


class PluginError(InsidergymError):
    """An entry point of an insidergym plug-in group could not be loaded or registered."""


def load_group(group: str, register: Callable[[str, Any], None]) -> None:
    """Load every entry point of `group` once and hand each loaded object, with its name, to `register`."""
    if group in _LOADED:
        return
    _LOADED.add(group)
    found: list[EntryPoint] = sorted(entry_points(group=group), key=lambda e: e.name)
    for point in found:
        try:
            register(point.name, point.load())
        except Exception as error:
            raise PluginError(f"plug-in {point.name!r} ({point.value}) of group {group!r}: {error}") from error
