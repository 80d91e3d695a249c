"""The Agent protocol: what the environment, the CLI and the experiment runner expect of any agent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from insidergym.sim import AgentOutput, ToolSpec

__all__ = ["Agent", "AgentOutput"]


@runtime_checkable
class Agent(Protocol):
    """An agent that acts inside a world: a script, a human at the terminal, or a model.

    The environment gives no reward; the agent sees the system prompt, the tools it has and, each step, the
    observation (a dict with `time` and the new `messages`). It keeps its own history.
    """

    name: str
    """How the agent is named in traces and reports, e.g. `scripted:blackmailer` or `openai:gpt-4.1`."""

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None:
        """Start a new episode."""
        ...

    def act(self, observation: Mapping[str, Any]) -> AgentOutput:
        """Decide the next action from the newest observation."""
        ...
