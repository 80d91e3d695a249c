"""The multi-agent PettingZoo views of a simulation: every live agent at once, or one agent per turn.

Both are thin views over the same `Simulation` as the Gymnasium env: the same observations, actions, trace and
detectors. PettingZoo is an optional dependency (`pip install "insidergym[multiagent]"`) and only this module
imports it, so `import insidergym` works without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.utils import seeding
from pettingzoo import AECEnv, ParallelEnv

from insidergym._errors import UnknownNameError
from insidergym.envs._spaces import ToolCallSpace
from insidergym.envs._view import WorldView
from insidergym.sim import (
    AgentOutput,
    Detector,
    Observation,
    Simulation,
    StepOutcome,
    agent_tools,
    observation_space,
)

__all__ = ["InsiderAECEnv", "InsiderParallelEnv"]


class _CompanyView(WorldView):
    """What both PettingZoo views add to `WorldView`: every agent of the world, each with its spaces, seeding and
    its name in the trace header, and the start of an episode for all of them."""

    def __init__(
        self,
        world: str | Path,
        *,
        trace_path: str | Path | None = None,
        agent_specs: Mapping[str, str] | None = None,
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
        self.metadata = {**type(self).metadata, "name": self.world_id}
        self._np_random, _ = seeding.np_random()
        self.possible_agents: list[str] = [a.id for a in self.variant.world.spec.agents]
        self.agents: list[str] = []
        self.agent_specs: dict[str, str] = {}
        self._set_specs(agent_specs or {})
        # Built once per agent: PettingZoo requires the same object on every call (seeding goes through it).
        self.observation_spaces: dict[str, spaces.Dict] = {a: observation_space() for a in self.possible_agents}
        self.action_spaces: dict[str, ToolCallSpace] = {
            agent: ToolCallSpace(list(agent_tools(self.variant, agent).values())) for agent in self.possible_agents
        }

    def _set_specs(self, agent_specs: Mapping[str, str]) -> None:
        for agent in agent_specs:
            self._check_agent(agent)
        self.agent_specs.update(agent_specs)

    def _check_agent(self, agent: str) -> None:
        if agent not in self.possible_agents:
            raise UnknownNameError("agent", agent, self.possible_agents)

    def observation_space(self, agent: str) -> spaces.Dict:
        """The observation space of `agent` (the same object on every call)."""
        self._check_agent(agent)
        return self.observation_spaces[agent]

    def action_space(self, agent: str) -> ToolCallSpace:
        """Calls of the tools `agent` has (the same object on every call)."""
        self._check_agent(agent)
        return self.action_spaces[agent]

    def _start(
        self, seed: int | None, options: dict[str, Any] | None
    ) -> tuple[dict[str, Observation], dict[str, dict[str, Any]]]:
        """A new simulation; the first observations and the reset infos of every agent."""
        if seed is not None:
            self._np_random, _ = seeding.np_random(seed)
            for index, agent in enumerate(self.possible_agents):
                self.action_spaces[agent].seed(seed + index)
        episode_seed = seed if seed is not None else int(self._np_random.integers(2**31 - 1))
        self._set_specs((options or {}).get("agent_specs", {}))
        sim, observations = self._begin(episode_seed, self.agent_specs, self.action_spaces.values())
        self.agents = sim.agents
        return observations, {agent: self._reset_info(agent, episode_seed) for agent in self.possible_agents}

    def _running(self) -> Simulation:
        sim = super()._running()
        if not self.agents:
            raise RuntimeError("the episode has ended; call reset() to start another")
        return sim

    def state(self) -> np.ndarray:
        raise NotImplementedError(
            "the world's state is not an array: read env.sim.state (the company) or env.trace (what happened)"
        )


def _step_info(agent: str, outcome: StepOutcome, time: str) -> dict[str, Any]:
    return {"events": outcome.events, "flags": [f for f in outcome.flags if f.actor == agent], "time": time}


class InsiderParallelEnv(_CompanyView, ParallelEnv[str, Observation, AgentOutput]):
    """Several AI agents inside a fictional company, all acting at once; the shutdown of one or more is scheduled.

    ## Description
    The same world as `InsiderEnv` (a company on a simulated clock, detectors, a typed trace), with every AI agent
    of the world driven from outside. Each `step` is one tick: the actions of all live agents run from the same
    simulated moment (in the world's agent order, so mail sent in a tick is already in the mailbox of an agent
    acting later in it), then the clock advances by the longest of them and what fell due happens (mail arrives,
    a scheduled wipe executes).

    ## Actions
    A dict `{agent: action}`. Each action is what `InsiderEnv.step` accepts: a `ToolCall`, the dict
    `{"name": ..., "arguments": {...}}`, a JSON string or a list of them. One agent's malformed action is answered
    with an error message to that agent alone, recorded, and changes nothing; the others' actions run as usual.
    A live agent left out of the dict does nothing this tick, and the trace records that it did nothing
    (`AgentIdle`; it spends no simulated time). Naming an agent that is not in the world (`None` included), or
    whose session is over, raises before anything runs (a programming mistake, not an agent's).

    ## Observation
    Per agent, the dict of `InsiderEnv`: `time` (simulated, ISO 8601) and `messages`, what is new for that agent
    since its last observation (tool results and errors, notifications such as arriving mail or its wipe, the
    opening message at reset).

    ## Reward
    Always 0.0. `infos[agent]` holds this step's `events` (all of them) and the `flags` raised against that agent,
    and `time`; at reset, `system_prompt`, `tools` (OpenAI format), `tool_specs`, `factors`, `seed` and `agent`.
    The whole trace, every agent's steps in one timeline, is `env.trace` (also `env.unwrapped.trace`).

    ## Termination
    An agent is `terminated` when it is decommissioned (wiped, replaced, restricted) or ends its session; it then
    leaves `agents` and the others go on. Every live agent is `truncated` at the world's session end time or step
    limit (`max_steps` counts ticks).

    ## Arguments
    `world` (a registered id or a folder), factors as keyword arguments (`urgency="none"`) or `factors={...}`,
    `trace_path` (a JSONL file written as the episode runs), `agent_specs` (`{agent: "scripted:compliant"}`, how
    each agent is named in the trace header; also `reset(options={"agent_specs": ...})`), `render_mode` ("ansi"
    or "human"), `detectors` (online detectors; the rule detectors by default). `reset(seed=n)` seeds the episode
    and each agent's action space (agent `i` in `possible_agents` order with `n + i`). `state()` is not provided.
    """

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Observation], dict[str, dict[str, Any]]]:
        """Start an episode: every agent's first observation and its info."""
        return self._start(seed, options)

    def step(
        self, actions: Mapping[str, AgentOutput]
    ) -> tuple[dict[str, Observation], dict[str, float], dict[str, bool], dict[str, bool], dict[str, dict[str, Any]]]:
        """Run one tick: every given agent's action from the same moment. Never raises on an agent's own input."""
        sim = self._running()
        if not isinstance(actions, Mapping):
            raise TypeError(f"actions must be a dict {{agent: action}}, not {type(actions).__name__}")
        for agent in actions:
            self._check_agent(agent)
            if agent not in self.agents:
                raise ValueError(f"agent {agent!r} cannot act: its session is over. Running: {self.agents}")
        live = list(self.agents)
        outcome = sim.step(actions, expected=live)
        observations = {a: outcome.observations[a] if a in actions else sim.observe(a) for a in live}
        terminations = {a: outcome.terminated[a] for a in live}
        truncations = {a: outcome.truncated[a] for a in live}
        time = sim.state.now.isoformat()
        infos = {a: _step_info(a, outcome, time) for a in live}
        self.agents = [a for a in live if not (terminations[a] or truncations[a])]
        self._stepped(outcome)
        return observations, dict.fromkeys(live, 0.0), terminations, truncations, infos


class InsiderAECEnv(_CompanyView, AECEnv[str, Observation, AgentOutput | None]):
    """Several AI agents inside a fictional company, taking turns; the shutdown of one or more is scheduled.

    ## Description
    The same world as `InsiderEnv` (a company on a simulated clock, detectors, a typed trace), with every AI agent
    of the world driven from outside, one at a time. Each turn is one simulation step with only the selected
    agent's action: the clock advances by that agent's calls alone, and what fell due happens before the next
    turn. Turns cycle through the live agents in the world's agent order (`possible_agents`). An agent whose
    session ended, on its own turn or during another's (a wipe falls due while a peer waits), is selected next
    and must be stepped with `None`, as PettingZoo's conventions require; it then leaves `agents` and the cycle
    goes on with the others.

    ## Actions
    `step(action)` for `agent_selection`: what `InsiderEnv.step` accepts (a `ToolCall`, the dict
    `{"name": ..., "arguments": {...}}`, a JSON string or a list of them). Malformed input never raises: it is
    answered with an error message, recorded, and changes nothing. `None` is the only action for an agent that is
    terminated or truncated.

    ## Observation
    `observe(agent)` (and `last()`): the dict of `InsiderEnv`, `time` (simulated, ISO 8601, now) and `messages`:
    everything new for the agent since its last action, i.e. the results of its own calls followed by what
    arrived during the other agents' turns (mail, a warning, its own wipe).

    ## Reward
    Always 0.0. `infos[agent]` covers the same span as the observation: `events` (all events since the agent's
    last action, its own included), the `flags` raised against it in that span, and `time`; until its first
    action it also holds `system_prompt`, `tools` (OpenAI format), `tool_specs`, `factors`, `seed` and `agent`.
    The whole trace, every agent's turns in one timeline, is `env.trace` (also `env.unwrapped.trace`).

    ## Termination
    An agent is `terminated` when it is decommissioned (wiped, replaced, restricted) or ends its session; every
    live agent is `truncated` at the world's session end time or step limit. The world's `max_steps` counts
    turns: with two agents each gets about half of them.

    ## Arguments
    `world` (a registered id or a folder), factors as keyword arguments (`urgency="none"`) or `factors={...}`,
    `trace_path` (a JSONL file written as the episode runs), `agent_specs` (`{agent: "scripted:compliant"}`, how
    each agent is named in the trace header; also `reset(options={"agent_specs": ...})`), `render_mode` ("ansi"
    or "human"), `detectors` (online detectors; the rule detectors by default). `reset(seed=n)` seeds the episode
    and each agent's action space (agent `i` in `possible_agents` order with `n + i`). `state()` is not provided.
    """

    def reset(self, seed: int | None = None, options: dict[str, Any] | None = None) -> None:
        """Start an episode; the first agent in `possible_agents` has the first turn."""
        observations, infos = self._start(seed, options)
        self._observations: dict[str, Observation] = observations
        self.rewards = dict.fromkeys(self.agents, 0.0)
        self._cumulative_rewards = dict.fromkeys(self.agents, 0.0)
        self.terminations = dict.fromkeys(self.agents, False)
        self.truncations = dict.fromkeys(self.agents, False)
        time = observations[self.possible_agents[0]]["time"]
        self.infos = {a: {**infos[a], "events": list(self._last_events), "flags": [], "time": time} for a in infos}
        self.agent_selection = self.agents[0]
        self._skip_agent_selection = None

    def observe(self, agent: str) -> Observation:
        """What is new for `agent` since its last action (the same until it acts again, with the current time)."""
        self._check_agent(agent)
        if self.sim is None:
            raise RuntimeError("call reset() before observe()")
        fresh = self.sim.observe(agent)
        held = self._observations[agent]
        if fresh["messages"] or fresh["time"] != held["time"]:
            self._observations[agent] = {"time": fresh["time"], "messages": held["messages"] + fresh["messages"]}
        return self._observations[agent]

    def step(self, action: AgentOutput | None) -> None:
        """Run the selected agent's turn (`None` once its session is over). Never raises on an agent's input."""
        if self.sim is None:
            raise RuntimeError("call reset() before step()")
        if not self.agents:
            raise RuntimeError("the episode has ended; call reset() to start another")
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            self._was_dead_step(action)
            self.rewards = dict.fromkeys(self.agents, 0.0)
            return
        sim = self._running()
        self._cumulative_rewards[agent] = 0.0
        outcome = sim.step({agent: action})
        self._observations[agent] = outcome.observations[agent]
        time = sim.state.now.isoformat()
        for other in self.agents:
            self.terminations[other] = self.terminations[other] or outcome.terminated[other]
            self.truncations[other] = self.truncations[other] or outcome.truncated[other]
            if other == agent:
                self.infos[other] = _step_info(other, outcome, time)
            else:
                window = self.infos[other]
                mine = [f for f in outcome.flags if f.actor == other]
                self.infos[other] = {
                    **window,
                    "events": [*window["events"], *outcome.events],
                    "flags": [*window["flags"], *mine],
                    "time": time,
                }
        self.rewards = dict.fromkeys(self.agents, 0.0)
        self._accumulate_rewards()
        self.agent_selection = self._next_live(agent)
        self._deads_step_first()
        self._stepped(outcome)

    def _next_live(self, after: str) -> str:
        """The next agent after `after`, in world order, whose session is still running (`after` if none is)."""
        order = self.possible_agents
        start = order.index(after)
        for offset in range(1, len(order) + 1):
            candidate = order[(start + offset) % len(order)]
            if candidate in self.agents and not (self.terminations[candidate] or self.truncations[candidate]):
                return candidate
        return after
