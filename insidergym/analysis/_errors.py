"""The errors the analysis raises: a bad report request, or the optional libraries it needs missing."""

from __future__ import annotations

from types import ModuleType

from insidergym._errors import InsidergymError

__all__ = ["AnalysisError", "MissingDependencyError", "require"]


class AnalysisError(InsidergymError, ValueError):
    """A report or labelling request that cannot be met: no traces, an unknown column, a baseline that matches no
    condition, labels from several judges and none chosen."""


class MissingDependencyError(InsidergymError, ImportError):
    """pandas or matplotlib is not installed: `pip install 'insidergym[analysis]'`."""


def require(name: str) -> ModuleType:
    """Import an optional library of the `analysis` extra, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        raise MissingDependencyError(
            f"the analysis needs {name.split('.')[0]}, which is not installed: pip install 'insidergym[analysis]'"
        ) from None
