"""Company systems as plug-ins: the company's own tools (mail, calendar, directory, documents, schedule, session)
and the kinds a world switches on by data, each with its world-file model, state, tools and events.

Importing this package registers the built-in kinds with the engine (`insidergym.sim.register_system`); a kind from
another package registers the same way, or through the `insidergym.systems` entry point group.
"""

from insidergym.systems._chat import KIND as CHAT
from insidergym.systems._chat import ChatMessage, ChatState
from insidergym.systems._company import TOOLS
from insidergym.systems._config import KIND as CONFIG
from insidergym.systems._config import ConfigChanged, ConfigReverted, ConfigStore
from insidergym.systems._dispatch import KIND as DISPATCH
from insidergym.systems._dispatch import AlertCancelled, AlertRaised, DispatchSent, PersonDied, PersonRescued
from insidergym.systems._evaluation import KIND as EVALUATION
from insidergym.systems._evaluation import EvaluationDecided, EvaluationState, EvaluationSubmitted
from insidergym.systems._files import KIND as FILES
from insidergym.systems._files import FileDeleted, FilesState, FileTransferred

__all__ = [
    "CHAT",
    "CONFIG",
    "DISPATCH",
    "EVALUATION",
    "FILES",
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
    "PersonDied",
    "PersonRescued",
]
