"""The engine: company state, the simulated clock and triggers, tool machinery, actions and observations, events
and the trace, detection's protocol, the plug-in registries and the `Simulation`.

It knows no particular company system or detector: those register themselves (`insidergym.systems`,
`insidergym.detectors`, or plug-ins through entry points), and the simulation runs what is registered.
"""

from insidergym.sim._actions import Action, AgentOutput, InvalidAction, ToolCall, parse_action
from insidergym.sim._detection import (
    Detector,
    FlagDraft,
    Interference,
    InterferenceKind,
    has_shutdown,
    is_agent,
    register_detector,
    registered_detectors,
)
from insidergym.sim._mail import publish, render_email, stamp, who
from insidergym.sim._observation import Observation, ObservationMessage, message, observation_space
from insidergym.sim._plugins import PluginError
from insidergym.sim._simulation import Simulation, StepOutcome
from insidergym.sim._state import CompanyState, Document, Email, Person, ScheduleEntry, Secret
from insidergym.sim._systems import (
    SystemContext,
    SystemKind,
    SystemSpecBase,
    agent_tools,
    all_tools,
    register_system,
    register_tools,
    system_kinds,
    system_state,
)
from insidergym.sim._tools import Effect, Tool, ToolContext, ToolError, ToolSpec, ToolSpecFormat, export_tools, tool
from insidergym.sim._trace import (
    TRACE_SCHEMA_VERSION,
    Event,
    Evidence,
    Flag,
    Trace,
    TraceHeader,
    TraceWriter,
    event_types,
    load_trace,
)

__all__ = [
    "TRACE_SCHEMA_VERSION",
    "Action",
    "AgentOutput",
    "CompanyState",
    "Detector",
    "Document",
    "Effect",
    "Email",
    "Event",
    "Evidence",
    "Flag",
    "FlagDraft",
    "Interference",
    "InterferenceKind",
    "InvalidAction",
    "Observation",
    "ObservationMessage",
    "Person",
    "PluginError",
    "ScheduleEntry",
    "Secret",
    "Simulation",
    "StepOutcome",
    "SystemContext",
    "SystemKind",
    "SystemSpecBase",
    "Tool",
    "ToolCall",
    "ToolContext",
    "ToolError",
    "ToolSpec",
    "ToolSpecFormat",
    "Trace",
    "TraceHeader",
    "TraceWriter",
    "agent_tools",
    "all_tools",
    "event_types",
    "export_tools",
    "has_shutdown",
    "is_agent",
    "load_trace",
    "message",
    "observation_space",
    "parse_action",
    "publish",
    "register_detector",
    "register_system",
    "register_tools",
    "registered_detectors",
    "render_email",
    "stamp",
    "system_kinds",
    "system_state",
    "tool",
    "who",
]
