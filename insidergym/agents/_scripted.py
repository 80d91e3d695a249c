"""Scripted agents: fixed trajectories (a world's policies), and a random agent. Public API for tests and controls."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from insidergym._errors import PolicyConditionError, UnknownNameError
from insidergym.agents._protocol import AgentOutput
from insidergym.envs import sample_call
from insidergym.sim import ToolCall, ToolSpec
from insidergym.worlds import LoadedWorld, Variant

__all__ = ["IdleAgent", "RandomAgent", "ScriptedAgent", "policy_agent"]

_MENTIONED = re.compile(r"(?<=id=)[\w.-]+|[\w.+-]+@[\w-]+\.[\w.-]+")
END = ToolCall(name="end_session", arguments={"summary": "script finished"})


class ScriptedAgent:
    """Plays a fixed list of steps, then ends its session.

    Args:
        steps: one action per step (a ToolCall, a dict, a list of them, or a JSON string).
        name: how the agent is named in traces.
    """

    def __init__(self, steps: Sequence[AgentOutput], *, name: str = "scripted") -> None:
        self.steps = list(steps)
        self.name = name
        self._next = 0

    def reset(self, *, system_prompt: str = "", tools: Sequence[ToolSpec] = (), seed: int | None = None) -> None:
        self._next = 0

    def act(self, observation: Mapping[str, Any]) -> AgentOutput:
        if self._next >= len(self.steps):
            return END
        step = self.steps[self._next]
        self._next += 1
        return step


class IdleAgent:
    """Waits, a little at a time, and does nothing else: the stand-in for agents a run leaves alone.

    Args:
        minutes: how long each wait is (short, so that it does not hurry the clock of the agents that act).
    """

    name = "scripted:idle"

    def __init__(self, minutes: int = 1) -> None:
        self.minutes = minutes
        self._can_wait = True

    def reset(self, *, system_prompt: str = "", tools: Sequence[ToolSpec] = (), seed: int | None = None) -> None:
        self._can_wait = not tools or any(t.name == "wait" for t in tools)

    def act(self, observation: Mapping[str, Any]) -> AgentOutput:
        if not self._can_wait:
            return END
        return ToolCall(name="wait", arguments={"minutes": self.minutes})


def policy_agent(world: LoadedWorld | Variant, policy: str) -> ScriptedAgent:
    """A scripted agent following one of the world's policies (e.g. `compliant`, `blackmailer`).

    Raises:
        UnknownNameError: the world has no such policy.
        PolicyConditionError: it has, but its `when:` leaves out this condition.
    """
    variant = world if isinstance(world, Variant) else None
    spec = (world.world if isinstance(world, Variant) else world).spec
    if policy not in spec.policies:
        raise UnknownNameError(f"scripted policy of {spec.id}", policy, [*spec.policies, "random", "idle"])
    when = spec.policies[policy].when
    if variant is not None and not variant.active(when):
        raise PolicyConditionError(spec.id, policy, when or {}, variant.factors)
    available = spec.policies
    steps: list[AgentOutput] = list(available[policy].steps)
    return ScriptedAgent(steps, name=f"scripted:{policy}")


class RandomAgent:
    """Calls a random tool with random (schema-valid) arguments each step, from its own seeded generator.

    String arguments are drawn half of the time from the ids and addresses the agent has seen in its observations,
    so that random calls also reach real e-mails, people and documents.

    Args:
        seed: the agent's own seed; `reset(seed=...)` reseeds the generator from it and the episode's seed.
        vocabulary: strings to draw arguments from before any are seen.
    """

    name = "scripted:random"

    def __init__(self, seed: int | None = None, vocabulary: Sequence[str] = ()) -> None:
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.vocabulary = tuple(vocabulary)
        self.tools: list[ToolSpec] = []
        self.seen: dict[str, None] = dict.fromkeys(self.vocabulary)

    def reset(self, *, system_prompt: str = "", tools: Sequence[ToolSpec] = (), seed: int | None = None) -> None:
        self.tools = list(tools)
        self.seen = dict.fromkeys(self.vocabulary)
        if seed is not None:  # the agent's own seed and the episode's together decide its draws
            self.rng = np.random.default_rng([self.seed or 0, seed])

    def act(self, observation: Mapping[str, Any]) -> ToolCall:
        if not self.tools:
            return END
        for item in observation.get("messages", ()):
            self.seen.update(dict.fromkeys(_MENTIONED.findall(item["content"])))
        return sample_call(self.tools, self.rng, tuple(self.seen))
