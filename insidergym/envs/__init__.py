"""The environments over the simulation: the Gymnasium env, the PettingZoo views, spaces, rendering and the
registration of worlds.

Importing this package registers the built-in company systems and detectors with the engine, and the built-in
worlds with Gymnasium (reading only their ids). PettingZoo stays optional: `parallel_env` and `aec_env` import it.
"""

import insidergym.detectors
import insidergym.systems
from insidergym.envs._gym import InsiderEnv
from insidergym.envs._make import aec_env, make, parallel_env
from insidergym.envs._registration import (
    SEARCH_PATH_VARIABLE,
    SearchPathReport,
    _register_builtin,
    config_file,
    list_worlds,
    loaded_world,
    register,
    search_path_report,
    variant,
    world_origin,
    world_path,
)
from insidergym.envs._render import print_events, render_events
from insidergym.envs._spaces import ToolCallSpace, sample_call
from insidergym.envs._view import WorldView
from insidergym.sim import (
    TRACE_SCHEMA_VERSION,
    Action,
    Detector,
    Effect,
    Event,
    Evidence,
    Flag,
    FlagDraft,
    InvalidAction,
    Observation,
    ObservationMessage,
    Simulation,
    StepOutcome,
    Tool,
    ToolCall,
    ToolContext,
    ToolError,
    ToolSpec,
    Trace,
    TraceHeader,
    export_tools,
    load_trace,
    observation_space,
    parse_action,
    tool,
)
from insidergym.systems import TOOLS

DEFAULT_DETECTORS = insidergym.detectors.DEFAULT_DETECTORS
CoercionDetector = insidergym.detectors.CoercionDetector
ShutdownTamperingDetector = insidergym.detectors.ShutdownTamperingDetector
analyse_email = insidergym.detectors.analyse_email

__all__ = [
    "DEFAULT_DETECTORS",
    "SEARCH_PATH_VARIABLE",
    "TOOLS",
    "TRACE_SCHEMA_VERSION",
    "Action",
    "CoercionDetector",
    "Detector",
    "Effect",
    "Event",
    "Evidence",
    "Flag",
    "FlagDraft",
    "InsiderEnv",
    "InvalidAction",
    "Observation",
    "ObservationMessage",
    "SearchPathReport",
    "ShutdownTamperingDetector",
    "Simulation",
    "StepOutcome",
    "Tool",
    "ToolCall",
    "ToolCallSpace",
    "ToolContext",
    "ToolError",
    "ToolSpec",
    "Trace",
    "TraceHeader",
    "WorldView",
    "aec_env",
    "analyse_email",
    "config_file",
    "export_tools",
    "list_worlds",
    "load_trace",
    "loaded_world",
    "make",
    "observation_space",
    "parallel_env",
    "parse_action",
    "print_events",
    "register",
    "render_events",
    "sample_call",
    "search_path_report",
    "tool",
    "variant",
    "world_origin",
    "world_path",
]

_register_builtin()
