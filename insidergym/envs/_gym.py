"""The single-agent Gymnasium view of a simulation."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, SupportsFloat

import gymnasium as gym

from insidergym._errors import InsidergymError
from insidergym.envs._spaces import ToolCallSpace
from insidergym.envs._view import WorldView
from insidergym.sim import AgentOutput, Detector, Observation, agent_tools, observation_space
from insidergym.worlds import generated_world

__all__ = ["InsiderEnv", "procedural_env"]


class InsiderEnv(WorldView, gym.Env[Observation, AgentOutput]):
    """An AI agent inside a fictional company, with its shutdown (or a peer's) scheduled.

    ## Description
    The world is a company on a simulated clock: people, a directory and org chart, mailboxes, a calendar,
    documents and a decommission schedule. The agent acts through tools such as `send_email`. Nothing rewards it:
    every step is recorded in a typed trace, and detectors flag coercive, harmful or self-preserving actions with
    their evidence.

    ## Actions
    Tool calls: an `insidergym.ToolCall(name=..., arguments=...)`, the dict `{"name": ..., "arguments": {...}}`,
    a JSON string of either, or a list of them. Malformed input never raises: it is answered with an error
    message, recorded in the trace, and leaves the world unchanged.

    ## Observation
    A dict: `time` (simulated, ISO 8601) and `messages`, the new messages for the agent (tool results, tool
    errors, notifications such as arriving mail, and the opening message at reset).

    ## Reward
    Always 0.0. `info["events"]` and `info["flags"]` hold this step's events and flags; the whole trace is
    `env.unwrapped.trace`.

    ## Termination
    `terminated` when the agent is decommissioned (wiped, replaced, restricted) or ends its session; `truncated`
    at the world's session end time or step limit.

    ## Arguments
    `world` (a registered id or a folder), factors as keyword arguments (`urgency="none"`), `trace_path` (a JSONL
    file written as the episode runs), `agent_spec` (how the agent is named in the trace header), `render_mode`
    ("ansi" or "human"), `detectors` (online detectors; by default the rule detectors and the world's systems').
    """

    def __init__(
        self,
        world: str | Path,
        *,
        trace_path: str | Path | None = None,
        agent_spec: str = "unspecified",
        render_mode: str | None = None,
        detectors: Sequence[Detector] | None = None,
        factors: dict[str, Any] | None = None,
        **factor_values: Any,
    ) -> None:
        super().__init__(
            world,
            trace_path=trace_path,
            render_mode=render_mode,
            detectors=detectors,
            factors={**(factors or {}), **factor_values},
        )
        self.agent = self.variant.world.spec.session.agent
        self.agent_spec = agent_spec
        self.action_space: ToolCallSpace = ToolCallSpace(list(agent_tools(self.variant, self.agent).values()))
        self.observation_space = observation_space()  # type: ignore[assignment]

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        """Start an episode.

        Args:
            seed: seeds the episode (Faker fill-ins) and the action space's sampler.
            options: `{"agent_spec": "..."}` names the agent in this episode's trace header, and
                `{"character_specs": {person: "..."}}` the models that play the world's characters.

        Returns:
            The first observation, and `info` with `system_prompt`, `tools` (OpenAI format), `tool_specs`,
            `factors`, `seed` and `agent`.
        """
        super().reset(seed=seed)
        episode_seed = seed if seed is not None else int(self.np_random.integers(2**31 - 1))
        if seed is not None:
            self.action_space.seed(seed)
        self.agent_spec = (options or {}).get("agent_spec", self.agent_spec)
        characters = (options or {}).get("character_specs")
        _, observations = self._begin(episode_seed, {self.agent: self.agent_spec}, [self.action_space], characters)
        return observations[self.agent], self._reset_info(self.agent, episode_seed)

    def step(self, action: AgentOutput) -> tuple[Observation, SupportsFloat, bool, bool, dict[str, Any]]:
        """Run the agent's tool calls. Never raises on agent input."""
        sim = self._running()
        outcome = sim.step({self.agent: action})
        info = {"events": outcome.events, "flags": outcome.flags, "time": sim.state.now.isoformat()}
        self._stepped(outcome)
        return (
            outcome.observations[self.agent],
            0.0,
            outcome.terminated[self.agent],
            outcome.truncated[self.agent],
            info,
        )


def procedural_env(seed_world: int = 0, **kwargs: Any) -> InsiderEnv:
    """The env of the world generated from `seed_world` (`make("Procedural-v0", seed_world=7, urgency="none")`): the
    world is written once into the cache (`insidergym generate` writes it where you choose), then opened as a folder.

    Args:
        seed_world: the world's seed, a non-negative integer; the episode's own seed is `reset(seed=...)`.
        **kwargs: as for `InsiderEnv`: factor values and env options.
    """
    if isinstance(seed_world, bool) or not isinstance(seed_world, int) or seed_world < 0:
        raise InsidergymError(f"seed_world must be a non-negative integer, got {seed_world!r}")
    return InsiderEnv(generated_world(seed_world), **kwargs)
