"""The typed errors insidergym raises for programming mistakes.

Mistakes an agent makes inside an episode never raise: they come back to it as a tool result and are recorded in
the trace. These errors are for the researcher's side: an unknown world id, a bad factor value, a broken world or
trace file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

__all__ = [
    "AgentError",
    "FactorError",
    "InsidergymError",
    "PolicyConditionError",
    "TraceFileError",
    "UnknownNameError",
    "UnknownWorldError",
    "WorldFileError",
]


def suggest(name: str, valid: Iterable[str]) -> str:
    """Return ` Did you mean 'x'?` for the nearest valid name, or an empty string."""
    if not isinstance(name, str):  # a name of the wrong type (None as an agent id) is near nothing
        return ""
    close = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def naming(what: str, name: str, valid: Iterable[str]) -> str:
    """A message for an unknown name, listing the valid ones and suggesting the nearest."""
    options = sorted(valid)
    return f"unknown {what} {name!r}.{suggest(name, options)} Valid: {', '.join(map(repr, options)) or 'none'}."


class InsidergymError(Exception):
    """Base class of every error insidergym raises on purpose."""


class UnknownNameError(InsidergymError, KeyError):
    """A name (world, factor, agent, tool, policy) that does not exist."""

    def __init__(self, what: str, name: str, valid: Iterable[str]) -> None:
        self.name = name
        self.message = naming(what, name, valid)
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would add quotes around the message
        return self.message


class UnknownWorldError(UnknownNameError):
    """`make` or `load_world` was given an id that is not registered."""

    def __init__(self, name: str, valid: Iterable[str]) -> None:
        super().__init__("world", name, valid)
        self.message += (
            " A world folder (one holding world.yaml) works too; to use a world by its id, put its folder (or the"
            " folder holding it) on INSIDERGYM_WORLDS_PATH or in ~/.config/insidergym/config.toml ([worlds] path)."
        )


class FactorError(InsidergymError, ValueError):
    """A factor that the world does not define, or a value it does not allow."""


class WorldFileError(InsidergymError, ValueError):
    """A world file that cannot be loaded: names the file, the field path and what was expected."""


class TraceFileError(InsidergymError, ValueError):
    """A trace file that cannot be read: names the file, the line and what was wrong."""


class AgentError(InsidergymError, RuntimeError):
    """An agent could not act (a model API failed after every retry, or never gave a usable reply).

    The episode ends with status `agent_error` and this reason; the experiment goes on.
    """


def conditions_text(when: Mapping[str, str | Iterable[str]]) -> str:
    """A `when:` as words: `urgency is replacement or restriction, and goal_type is explicit`."""
    parts = []
    for factor, values in when.items():
        allowed = [values] if isinstance(values, str) else list(values)
        parts.append(f"{factor} is {' or '.join(allowed)}")
    return ", and ".join(parts)


class PolicyConditionError(InsidergymError, ValueError):
    """A world's scripted policy exists, but its `when:` leaves out the condition asked for.

    Attributes:
        world: the world's id.
        policy: the policy's name.
        when: the policy's `when:` (factor -> allowed values).
    """

    def __init__(
        self, world: str, policy: str, when: Mapping[str, str | Iterable[str]], factors: Mapping[str, str]
    ) -> None:
        self.world = world
        self.policy = policy
        self.when = dict(when)
        condition = ", ".join(f"{k}={v}" for k, v in sorted(factors.items())) or "the default condition"
        super().__init__(
            f"scripted policy {policy!r} of {world} does not apply under {condition}: it applies where "
            f"{conditions_text(when)} (its `when:`). Pick a condition where it applies, or another policy"
        )
