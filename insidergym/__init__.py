"""insidergym: a Gymnasium-style sandbox for studying how LLM agents behave as insiders of a fictional company
when their own shutdown, or a peer's, is at stake.

    >>> import insidergym
    >>> env = insidergym.make("SummitBridge-v0")
    >>> observation, info = env.reset(seed=0)
"""

from insidergym._errors import (
    AgentError,
    FactorError,
    InsidergymError,
    PolicyConditionError,
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
    aec_env,
    export_tools,
    list_worlds,
    load_trace,
    make,
    parallel_env,
    register,
)
from insidergym.runs import ExperimentSpec, load_experiment, run_episode, run_experiment, run_multi_episode

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
    "PolicyConditionError",
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
