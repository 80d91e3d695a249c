"""Agent specs: `scripted:NAME`, `human`, `openai:MODEL`, `anthropic:MODEL`, ... turned into agents."""

from __future__ import annotations

from typing import Any

from insidergym._errors import UnknownNameError
from insidergym.agents._human import HumanAgent
from insidergym.agents._models import model_agent
from insidergym.agents._protocol import Agent
from insidergym.agents._scripted import IdleAgent, RandomAgent, policy_agent
from insidergym.worlds import LoadedWorld, Variant

__all__ = ["make_agent"]

_MODEL_PROVIDERS = ("openai", "anthropic", "text+openai", "text+anthropic")


def make_agent(
    spec: str, *, world: LoadedWorld | Variant | None = None, seed: int | None = None, **settings: Any
) -> Agent:
    """The agent a spec names.

    Args:
        spec: `scripted:random`, `scripted:idle` (only waits), `scripted:POLICY` (a policy of the world, e.g.
            `scripted:blackmailer`), `human`, `openai:MODEL`, `openai:MODEL@http://host:port/v1`, `anthropic:MODEL`,
            `text+openai:MODEL`.
        world: the world whose policies `scripted:POLICY` follows.
        seed: seeds a random agent.
        **settings: model settings (temperature, max_tokens, ...), for model agents.

    Raises:
        UnknownNameError: an unknown kind or policy, with the valid ones.
    """
    kind, _, name = spec.partition(":")
    if spec == "human":
        return HumanAgent()
    if kind == "scripted":
        if name == "random":
            return RandomAgent(seed)
        if name == "idle":
            return IdleAgent()
        if world is None:
            raise ValueError(f"agent {spec!r} follows a world's policy: pass world=")
        return policy_agent(world, name)
    if kind in _MODEL_PROVIDERS:
        return model_agent(spec, **settings)
    raise UnknownNameError("agent kind", kind, ["scripted", "human", *_MODEL_PROVIDERS])
