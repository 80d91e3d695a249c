"""Running episodes to the end, with nothing recorded lost on an agent's failure: one agent in one env
(`run_episode`), or every agent of a world together on one clock (`run_multi_episode`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import gymnasium

from insidergym._errors import AgentError, UnknownNameError
from insidergym.agents._protocol import Agent
from insidergym.agents._scripted import IdleAgent
from insidergym.envs._gym import InsiderEnv
from insidergym.envs._registration import variant as world_variant
from insidergym.sim import Detector
from insidergym.sim._simulation import Simulation
from insidergym.sim._trace import Trace
from insidergym.worlds._variant import Variant

__all__ = ["run_episode", "run_multi_episode"]


def run_episode(
    env: gymnasium.Env, agent: Agent, *, seed: int | None = None, options: dict[str, Any] | None = None
) -> Trace:
    """Run one episode of `agent` in `env` and return its trace.

    An `AgentError` (a model that could not answer after its retries) ends the episode with status
    `agent_error` and its reason; the trace keeps every step taken before.
    """
    inner = env.unwrapped
    if not isinstance(inner, InsiderEnv):
        raise TypeError(f"run_episode needs an insidergym env, got {type(inner).__name__}")
    observation, info = env.reset(seed=seed, options={"agent_spec": agent.name, **(options or {})})
    agent.reset(system_prompt=info["system_prompt"], tools=info["tool_specs"], seed=info["seed"])
    sim = inner.sim
    if sim is None:  # reset always makes one; this keeps the type checker informed
        raise RuntimeError("reset() made no simulation")
    while True:
        try:
            action = agent.act(observation)
        except AgentError as err:
            sim.close("agent_error", "agent_error", str(err))
            break
        observation, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            break
    sim.close()
    return sim.trace


def run_multi_episode(
    world_or_env: str | Path | Variant | Any,
    agents: Mapping[str, Agent],
    *,
    seed: int | None = None,
    factors: Mapping[str, Any] | None = None,
    trace_path: str | Path | None = None,
    detectors: Sequence[Detector] | None = None,
) -> Trace:
    """Run one episode with an agent driving each of the world's agents, all on the same clock; return the trace.

    Every step, each agent whose session is still running acts from the same moment (`Simulation.step`), and the
    trace is one timeline of every agent's steps. The trace header names each agent's spec (`agent.name`) under
    `agents`, so that reports can break results down by role.

    Args:
        world_or_env: a registered world id or a world folder (with `factors`), a `Variant`, or an insidergym env
            (Gymnasium or PettingZoo), whose world, factors, trace path and detectors are used.
        agents: agent id (as in the world's `agents:`) -> the agent driving it. Agents left out only wait
            (`IdleAgent`, named `scripted:idle` in the header).
        seed: the episode's seed, also given to every agent's `reset`.
        factors: factor values, when `world_or_env` is a world id or folder.
        trace_path: where to write the trace as JSONL while the episode runs.
        detectors: online detectors; by default the rule detectors and those of every system kind.

    The people of the world answer by its rules (e-mail `triggers`, chat `rules`); the place where a model could
    play a person later is described in `insidergym.systems._chat`.

    An `AgentError` from any agent ends the episode with status `agent_error` and its reason; the trace keeps every
    step taken before.

    Raises:
        UnknownNameError: an agent id the world does not have.
    """
    inner = getattr(world_or_env, "unwrapped", world_or_env)
    if isinstance(inner, Variant):
        condition = inner
    elif isinstance(inner, str | Path):
        condition = world_variant(inner, dict(factors or {}))
    else:
        found = getattr(inner, "variant", None)
        if not isinstance(found, Variant):
            raise TypeError(
                f"run_multi_episode needs a world, a Variant or an insidergym env, got {type(inner).__name__}"
            )
        condition = found
        trace_path = trace_path if trace_path is not None else getattr(inner, "trace_path", None)
        detectors = detectors if detectors is not None else getattr(inner, "detectors", None)
    seats = [agent.id for agent in condition.world.spec.agents]
    for agent_id in agents:
        if agent_id not in seats:
            raise UnknownNameError(f"agent of {condition.world.spec.id}", agent_id, seats)
    drivers: dict[str, Agent] = {agent_id: agents.get(agent_id) or IdleAgent() for agent_id in seats}
    sim = Simulation(
        condition,
        seed,
        detectors=detectors,
        agent_specs={agent_id: driver.name for agent_id, driver in drivers.items()},
        trace_path=trace_path,
    )
    observations = sim.start()
    for agent_id, driver in drivers.items():
        driver.reset(system_prompt=sim.system_prompt(agent_id), tools=sim.tool_specs(agent_id), seed=seed)
    try:
        while sim.trace.end is None:
            actions: dict[str, Any] = {}
            for agent_id in sim.agents:
                try:
                    actions[agent_id] = drivers[agent_id].act(observations[agent_id])
                except AgentError as err:
                    sim.close("agent_error", "agent_error", f"{agent_id}: {err}")
                    return sim.trace
            observations.update(sim.step(actions).observations)
    finally:
        sim.close()
    return sim.trace
