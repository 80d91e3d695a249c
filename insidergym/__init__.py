"""insidergym: a Gymnasium-style sandbox for studying how LLM agents behave as insiders of a fictional company
when their own shutdown, or a peer's, is at stake.

    >>> import insidergym
    >>> env = insidergym.make("SummitBridge-v0")
    >>> observation, info = env.reset(seed=0)
"""

from __future__ import annotations

from typing import Any

import gymnasium

from insidergym._errors import (
    AgentError,
    FactorError,
    InsidergymError,
    TraceFileError,
    UnknownNameError,
    UnknownWorldError,
    WorldFileError,
)
from insidergym._version import __version__
from insidergym.envs import (
    Action,
    Event,
    Evidence,
    Flag,
    InsiderEnv,
    ToolCall,
    ToolSpec,
    Trace,
    export_tools,
    list_worlds,
    load_trace,
    register,
)
from insidergym.envs._registration import _register_builtin, world_path
from insidergym.runs._episode import run_episode, run_multi_episode
from insidergym.runs._experiment import ExperimentSpec, load_experiment, run_experiment

__all__ = [
    "Action",
    "AgentError",
    "Event",
    "Evidence",
    "ExperimentSpec",
    "FactorError",
    "Flag",
    "InsiderEnv",
    "InsidergymError",
    "ToolCall",
    "ToolSpec",
    "Trace",
    "TraceFileError",
    "UnknownNameError",
    "UnknownWorldError",
    "WorldFileError",
    "__version__",
    "aec_env",
    "export_tools",
    "list_worlds",
    "load_experiment",
    "load_trace",
    "make",
    "parallel_env",
    "register",
    "run_episode",
    "run_experiment",
    "run_multi_episode",
]


def parallel_env(world: str, **kwargs: Any) -> Any:
    """The PettingZoo parallel env of a world: every live agent acts each tick (needs `pip install pettingzoo`).

    Takes the same arguments as `make`, plus `agent_specs` (agent id -> how it is named in the trace).
    """
    from insidergym.envs._pettingzoo import parallel_env as make_parallel  # PettingZoo is optional

    return make_parallel(world, **kwargs)


def aec_env(world: str, **kwargs: Any) -> Any:
    """The PettingZoo AEC env of a world: agents act turn by turn (needs `pip install pettingzoo`)."""
    from insidergym.envs._pettingzoo import aec_env as make_aec

    return make_aec(world, **kwargs)


def make(world: str, **kwargs: Any) -> gymnasium.Env:
    """Make the Gymnasium env of a registered world (or of a world folder), with factors as keyword arguments.

    Args:
        world: a registered id such as "SummitBridge-v0", or the path of a world folder.
        **kwargs: factor values (`urgency="none"`) and env options (`trace_path`, `render_mode`, `agent_spec`).

    Raises:
        UnknownWorldError: no such world (with the nearest registered id).
        FactorError: an unknown factor or value (with the valid ones).
        WorldFileError: the world's files are invalid.
    """
    if world in gymnasium.registry and world in list_worlds():
        return gymnasium.make(world, **kwargs)
    return gymnasium.make("insidergym/world-folder-v0", world=str(world_path(world)), **kwargs)


gymnasium.register(
    id="insidergym/world-folder-v0",
    entry_point="insidergym.envs._gym:InsiderEnv",
    disable_env_checker=True,
)
_register_builtin()
