"""Running episodes: one agent in one env, to the end, with nothing recorded lost on an agent's failure."""

from __future__ import annotations

from typing import Any

import gymnasium

from insidergym._errors import AgentError
from insidergym.agents._protocol import Agent
from insidergym.envs._gym import InsiderEnv
from insidergym.envs._trace import Trace

__all__ = ["run_episode"]


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
