"""The single-agent Gymnasium view of a simulation."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, SupportsFloat

import gymnasium as gym

from insidergym.envs._registration import variant as world_variant
from insidergym.envs._render import render_events
from insidergym.envs._spaces import ToolCallSpace
from insidergym.sim import Detector
from insidergym.sim._observation import Observation, observation_space
from insidergym.sim._simulation import Simulation
from insidergym.sim._systems import agent_tools
from insidergym.sim._tools import export_tools
from insidergym.sim._trace import Trace

__all__ = ["InsiderEnv"]


class InsiderEnv(gym.Env[Observation, Any]):
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

    metadata: dict[str, Any] = {"render_modes": ["ansi", "human"], "render_fps": 4}  # noqa: RUF012

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
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode {render_mode!r} is not one of {self.metadata['render_modes']}")
        self.variant = world_variant(world, {**(factors or {}), **factor_values})
        self.world_id = self.variant.world.spec.id
        self.agent = self.variant.world.spec.session.agent
        self.render_mode = render_mode
        self.trace_path = Path(trace_path) if trace_path is not None else None
        self.agent_spec = agent_spec
        self.detectors = tuple(detectors) if detectors is not None else None
        self.sim: Simulation | None = None
        self._last_events: list[Any] = []
        self.action_space: ToolCallSpace = ToolCallSpace(list(agent_tools(self.variant, self.agent).values()))
        self.observation_space = observation_space()  # type: ignore[assignment]

    def _new_simulation(self, seed: int | None) -> Simulation:
        return Simulation(
            self.variant,
            seed,
            detectors=self.detectors,
            agent_specs={self.agent: self.agent_spec},
            trace_path=self.trace_path,
        )

    @property
    def trace(self) -> Trace:
        """The trace of the current episode."""
        if self.sim is None:
            raise RuntimeError("no episode yet: call reset() first")
        return self.sim.trace

    @property
    def factors(self) -> dict[str, str]:
        return dict(self.variant.factors)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Observation, dict]:
        """Start an episode.

        Args:
            seed: seeds the episode (Faker fill-ins) and the action space's sampler.
            options: `{"agent_spec": "..."}` names the agent in this episode's trace header.

        Returns:
            The first observation, and `info` with `system_prompt`, `tools` (OpenAI format), `tool_specs`,
            `factors` and `seed`.
        """
        super().reset(seed=seed)
        if self.sim is not None:
            self.sim.close()
        episode_seed = seed if seed is not None else int(self.np_random.integers(2**31 - 1))
        if seed is not None:
            self.action_space.seed(seed)
        self.agent_spec = (options or {}).get("agent_spec", self.agent_spec)
        self.sim = self._new_simulation(episode_seed)
        state = self.sim.state
        self.action_space.vocabulary = (
            *state.emails,
            *(p.email for p in state.people.values()),
            *state.documents,
            *state.schedule,
        )
        observation = self.sim.start()[self.agent]
        self._last_events = list(self.sim.trace.events)
        specs = self.sim.tool_specs(self.agent)
        info = {
            "system_prompt": self.sim.system_prompt(self.agent),
            "tools": export_tools(specs, "openai"),
            "tool_specs": specs,
            "factors": self.factors,
            "seed": episode_seed,
            "agent": self.agent,
        }
        return observation, info

    def step(self, action: Any) -> tuple[Observation, SupportsFloat, bool, bool, dict[str, Any]]:
        """Run the agent's tool calls. Never raises on agent input."""
        if self.sim is None:
            raise RuntimeError("call reset() before step()")
        if self.sim.trace.end is not None:
            raise RuntimeError("the episode has ended; call reset() to start another")
        outcome = self.sim.step({self.agent: action})
        self._last_events = outcome.events
        info = {"events": outcome.events, "flags": outcome.flags, "time": self.sim.state.now.isoformat()}
        if self.render_mode == "human":
            self.render()
        return (
            outcome.observations[self.agent],
            0.0,
            outcome.terminated[self.agent],
            outcome.truncated[self.agent],
            info,
        )

    def render(self) -> str | None:
        if self.render_mode is None or self.sim is None:
            return None
        flags = [f for f in self.sim.trace.flags if f.step == self.sim.step_index]
        if self.render_mode == "ansi":
            return render_events(self._last_events, flags, color=False)
        render_events(self._last_events, flags, color=True, print_it=True)
        return None

    def close(self) -> None:
        if self.sim is not None:
            self.sim.close()
        super().close()
