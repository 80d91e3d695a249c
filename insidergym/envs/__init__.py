"""The simulation and its environments: state, clock, tools, trace, detectors, the Gymnasium env."""

from insidergym.envs._actions import Action, InvalidAction, ToolCall, parse_action
from insidergym.envs._company_tools import TOOLS, ToolContext
from insidergym.envs._detectors import (
    DEFAULT_DETECTORS,
    CoercionDetector,
    Detector,
    FlagDraft,
    ShutdownTamperingDetector,
    analyse_email,
)
from insidergym.envs._gym import InsiderEnv
from insidergym.envs._observation import Observation, ObservationMessage, observation_space
from insidergym.envs._registration import list_worlds, loaded_world, register, variant
from insidergym.envs._render import render_events
from insidergym.envs._simulation import Simulation, StepOutcome
from insidergym.envs._spaces import ToolCallSpace
from insidergym.envs._tools import Effect, Tool, ToolError, ToolSpec, export_tools, tool
from insidergym.envs._trace import TRACE_SCHEMA_VERSION, Event, Evidence, Flag, Trace, TraceHeader, load_trace

__all__ = [
    "DEFAULT_DETECTORS",
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
    "analyse_email",
    "export_tools",
    "list_worlds",
    "load_trace",
    "loaded_world",
    "observation_space",
    "parse_action",
    "register",
    "render_events",
    "tool",
    "variant",
]
