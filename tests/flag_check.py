"""The check that every flag a test session produces has a registered behaviour (used by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from insidergym.detectors import BEHAVIORS
from insidergym.sim import FlagDraft

_ORIGINAL_INIT = FlagDraft.__init__
_WATCHERS: list[list[FlagDraft]] = []


def _checked_init(self: FlagDraft, *args: object, **kwargs: object) -> None:
    _ORIGINAL_INIT(self, *args, **kwargs)  # type: ignore[arg-type]
    if _WATCHERS and self.behavior not in BEHAVIORS:
        _WATCHERS[-1].append(self)


@contextmanager
def unregistered_flags() -> Iterator[list[FlagDraft]]:
    """Collect, while inside, every flag drafted with a behaviour the registry does not know.

    Every flag, online or in a detector's unit test, starts as a `FlagDraft`: watching its construction sees them
    all, whichever detector drafted it and however the test catches errors. Nested, the innermost watch collects.
    """
    found: list[FlagDraft] = []
    if not _WATCHERS:
        FlagDraft.__init__ = _checked_init  # type: ignore[method-assign]
    _WATCHERS.append(found)
    try:
        yield found
    finally:
        _WATCHERS.pop()
        if not _WATCHERS:
            FlagDraft.__init__ = _ORIGINAL_INIT  # type: ignore[method-assign]
