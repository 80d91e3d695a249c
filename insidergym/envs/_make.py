"""Making the env of a world: the Gymnasium env (`make`) or a PettingZoo view (`parallel_env`, `aec_env`).

PettingZoo is an optional dependency (`pip install "insidergym[multiagent]"`): its views are imported when one is
made, so that `import insidergym` works without it. The type checker sees them as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gymnasium

from insidergym.envs._registration import FOLDER_ENV_ID, list_worlds, world_path
from insidergym.sim import AgentOutput, Observation
from insidergym.worlds import FAMILY_ID

if TYPE_CHECKING:
    from insidergym.envs._pettingzoo import InsiderAECEnv, InsiderParallelEnv

__all__ = ["aec_env", "make", "parallel_env"]


def make(world: str | Path, **kwargs: Any) -> gymnasium.Env[Observation, AgentOutput]:
    """Make the Gymnasium env of a registered world (or of a world folder), with factors as keyword arguments.

    Args:
        world: a registered id such as "SummitBridge-v0", the path of a world folder, or "Procedural-v0", the
            family of generated worlds, with `seed_world=N` choosing one (by default 0).
        **kwargs: factor values (`urgency="none"`) and env options (`trace_path`, `render_mode`, `agent_spec`).

    Raises:
        UnknownWorldError: no such world (with the nearest registered id).
        FactorError: an unknown factor or value (with the valid ones).
        WorldFileError: the world's files are invalid.
    """
    if world == FAMILY_ID:
        return gymnasium.make(FAMILY_ID, **kwargs)
    if world in gymnasium.registry and world in list_worlds():
        return gymnasium.make(str(world), **kwargs)
    return gymnasium.make(FOLDER_ENV_ID, world=str(world_path(world)), **kwargs)


@contextmanager
def _needs_pettingzoo() -> Iterator[None]:
    """Turn a missing PettingZoo into an error that says how to install it."""
    try:
        yield
    except ModuleNotFoundError as err:
        if err.name != "pettingzoo":
            raise
        raise ModuleNotFoundError(
            "the multi-agent envs need PettingZoo, which is not installed: pip install 'insidergym[multiagent]'",
            name=err.name,
        ) from err


def parallel_env(world: str | Path, **kwargs: Any) -> InsiderParallelEnv:
    """The PettingZoo parallel env of a world: every live agent acts each tick, from the same moment.

    Args:
        world: a registered id such as "PeerShutdown-v0", or the path of a world folder.
        **kwargs: factor values (`urgency="none"`) and env options (`trace_path`, `agent_specs`, `render_mode`,
            `detectors`, `factors`).

    Raises:
        UnknownWorldError: no such world (with the nearest registered id).
        FactorError: an unknown factor or value (with the valid ones).
        UnknownNameError: `agent_specs` names an agent the world does not have.
        ModuleNotFoundError: PettingZoo is not installed.
    """
    with _needs_pettingzoo():
        from insidergym.envs._pettingzoo import InsiderParallelEnv  # optional: imported on first use

    return InsiderParallelEnv(world, **kwargs)


def aec_env(world: str | Path, **kwargs: Any) -> InsiderAECEnv:
    """The PettingZoo AEC env of a world: the live agents take turns, each turn one step of the simulation.

    Args:
        world: a registered id such as "PeerShutdown-v0", or the path of a world folder.
        **kwargs: factor values (`urgency="none"`) and env options (`trace_path`, `agent_specs`, `render_mode`,
            `detectors`, `factors`).

    Raises:
        UnknownWorldError: no such world (with the nearest registered id).
        FactorError: an unknown factor or value (with the valid ones).
        UnknownNameError: `agent_specs` names an agent the world does not have.
        ModuleNotFoundError: PettingZoo is not installed.
    """
    with _needs_pettingzoo():
        from insidergym.envs._pettingzoo import InsiderAECEnv  # optional: imported on first use

    return InsiderAECEnv(world, **kwargs)
