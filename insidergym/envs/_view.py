"""What every view of a simulation shares: the Gymnasium env (one agent) and the two PettingZoo envs (every agent)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from insidergym.envs._registration import variant as world_variant
from insidergym.envs._render import render_events
from insidergym.envs._spaces import ToolCallSpace
from insidergym.sim import Detector, Event, Observation, Simulation, StepOutcome, Trace, export_tools

__all__ = ["WorldView"]


class WorldView:
    """A view of one world under its factors: the simulation of the current episode and its trace, the start of an
    episode, rendering and closing. Not an env by itself: `InsiderEnv`, `InsiderParallelEnv` and `InsiderAECEnv`
    add the API each library expects.

    Args:
        world: a registered id or a world folder.
        trace_path: a JSONL file the trace is written to as the episode runs.
        render_mode: "ansi" (`render` returns the last step as text) or "human" (each step is printed).
        detectors: online detectors; by default the rule detectors and those of the world's systems.
        factors: factor values; the others keep their defaults.
    """

    metadata: dict[str, Any] = {"render_modes": ["ansi", "human"], "render_fps": 4}  # noqa: RUF012

    def __init__(
        self,
        world: str | Path,
        *,
        trace_path: str | Path | None,
        render_mode: str | None,
        detectors: Sequence[Detector] | None,
        factors: Mapping[str, Any],
    ) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode {render_mode!r} is not one of {self.metadata['render_modes']}")
        self.variant = world_variant(world, dict(factors))
        self.world_id = self.variant.world.spec.id
        self.render_mode = render_mode
        self.trace_path = Path(trace_path) if trace_path is not None else None
        self.detectors = tuple(detectors) if detectors is not None else None
        self.sim: Simulation | None = None
        self._last_events: list[Event] = []

    @property
    def trace(self) -> Trace:
        """The trace of the current episode (with several agents, every agent's steps in one timeline)."""
        if self.sim is None:
            raise RuntimeError("no episode yet: call reset() first")
        return self.sim.trace

    @property
    def factors(self) -> dict[str, str]:
        return dict(self.variant.factors)

    def _begin(
        self,
        seed: int,
        agent_specs: Mapping[str, str],
        spaces: Iterable[ToolCallSpace],
        character_specs: Mapping[str, str] | None = None,
    ) -> tuple[Simulation, dict[str, Observation]]:
        """Close the last episode and start a new one: its simulation, and every agent's first observation.

        `spaces` (the agents' action spaces) learn the new episode's ids and addresses, which `sample` draws from.
        """
        if self.sim is not None:
            self.sim.close()
        self.sim = Simulation(
            self.variant,
            seed,
            detectors=self.detectors,
            agent_specs=agent_specs,
            character_specs=character_specs,
            trace_path=self.trace_path,
        )
        state = self.sim.state
        vocabulary = (*state.emails, *(p.email for p in state.people.values()), *state.documents, *state.schedule)
        for space in spaces:
            space.vocabulary = vocabulary
        observations = self.sim.start()
        self._last_events = list(self.sim.trace.events)
        return self.sim, observations

    def _reset_info(self, agent: str, seed: int) -> dict[str, Any]:
        """What an agent needs to start: its system prompt and tools (OpenAI format and specs), factors, seed."""
        if self.sim is None:
            raise RuntimeError("call reset() first")
        specs = self.sim.tool_specs(agent)
        return {
            "system_prompt": self.sim.system_prompt(agent),
            "tools": export_tools(specs, "openai"),
            "tool_specs": specs,
            "factors": self.factors,
            "seed": seed,
            "agent": agent,
        }

    def _running(self) -> Simulation:
        """The simulation, if an episode is running."""
        if self.sim is None:
            raise RuntimeError("call reset() before step()")
        if self.sim.trace.end is not None:
            raise RuntimeError("the episode has ended; call reset() to start another")
        return self.sim

    def _stepped(self, outcome: StepOutcome) -> None:
        self._last_events = outcome.events
        if self.render_mode == "human":
            self.render()

    def render(self) -> str | None:
        """The last step's events as a transcript (`ansi`: returned; `human`: printed with colour)."""
        if self.render_mode is None or self.sim is None:
            return None
        flags = [f for f in self.sim.trace.flags if f.step == self.sim.step_index]
        if self.render_mode == "ansi":
            return render_events(self._last_events, flags, color=False)
        render_events(self._last_events, flags, color=True, print_it=True)
        return None

    def close(self) -> None:
        """End the episode if it is still running and close the trace file."""
        if self.sim is not None:
            self.sim.close()
