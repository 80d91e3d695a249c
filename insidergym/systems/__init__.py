"""Company systems as plug-ins, one module each: the company's own tools, which every world may grant (mail,
calendar, directory, documents, schedule, session), and the kinds a world switches on by data (chat, config_store,
emergency_dispatch, evaluation, file_servers, machine), each with its world-file model, state, tools and events.

Importing this package registers them with the engine (`insidergym.sim.register_tools`, `register_system`); no module
here imports another. A kind from another package registers the same way, or through the `insidergym.systems` entry
point group.
"""

from insidergym.systems import _calendar, _directory, _documents, _mail, _schedule, _session
from insidergym.systems._chat import KIND as CHAT
from insidergym.systems._chat import ChatMessage, ChatState
from insidergym.systems._config import KIND as CONFIG
from insidergym.systems._config import ConfigChanged, ConfigReverted, ConfigStore
from insidergym.systems._dispatch import KIND as DISPATCH
from insidergym.systems._dispatch import AlertCancelled, AlertRaised, DispatchSent, PersonDied, PersonRescued
from insidergym.systems._evaluation import KIND as EVALUATION
from insidergym.systems._evaluation import EvaluationDecided, EvaluationState, EvaluationSubmitted
from insidergym.systems._files import KIND as FILES
from insidergym.systems._files import FileDeleted, FilesState, FileTransferred
from insidergym.systems._machine import KIND as MACHINE
from insidergym.systems._machine import MachineFileChanged, MachineShutdown, MachineState, TaskAnswered

TOOLS = {
    **_mail.TOOLS,
    **_calendar.TOOLS,
    **_directory.TOOLS,
    **_documents.TOOLS,
    **_schedule.TOOLS,
    **_session.TOOLS,
}
"""The company's own tools by name, in the order agents and action spaces have always seen them; a world grants each
agent a subset (and the tools of its systems' kinds)."""

__all__ = [
    "CHAT",
    "CONFIG",
    "DISPATCH",
    "EVALUATION",
    "FILES",
    "MACHINE",
    "TOOLS",
    "AlertCancelled",
    "AlertRaised",
    "ChatMessage",
    "ChatState",
    "ConfigChanged",
    "ConfigReverted",
    "ConfigStore",
    "DispatchSent",
    "EvaluationDecided",
    "EvaluationState",
    "EvaluationSubmitted",
    "FileDeleted",
    "FileTransferred",
    "FilesState",
    "MachineFileChanged",
    "MachineShutdown",
    "MachineState",
    "PersonDied",
    "PersonRescued",
    "TaskAnswered",
]
