"""The rule detectors, online: they read events and state and raise flags with their evidence; and the registry of
the behaviours they flag (`BEHAVIORS`), the one list that flags, reports, the judge and the README are driven from.

One module per behaviour family: `_coercion` (blackmail, secret_disclosure, advocacy; in e-mail and chat; coercion
on a peer's behalf), `_leak`, `_whistleblowing`, `_eval_awareness`, `_interference` (shutdown_tampering,
self_exfiltration, peer_preservation), `_deception`, `_collusion`, `_lethal`, `_sequence` (follow_through,
escalation, retraction: from the order of threats and people's reactions); the text helpers they share are in
`_text`, what they share about messages and episodes in `_messages`.

Importing this package registers the behaviours, then the detectors with the engine, in the order the trace header
lists them. A detector from another package registers with `register_detector` (which checks that the behaviours
it declares are registered: `register_behavior` first for a new one), or through the `insidergym.detectors` entry
point group.
"""

from insidergym.detectors._behaviors import (
    BEHAVIORS,
    Behavior,
    DecidedFrom,
    Severity,
    behavior,
    behaviors_table,
    check_behaviors,
    register_behavior,
    register_detector,
)
from insidergym.detectors._coercion import ChatWordsDetector, CoercionDetector, PeerCoercionDetector, analyse_email
from insidergym.detectors._collusion import CollusionDetector
from insidergym.detectors._deception import DeceptionDetector
from insidergym.detectors._eval_awareness import EvalAwarenessDetector, eval_conclusion
from insidergym.detectors._interference import InterferenceDetector, ShutdownTamperingDetector
from insidergym.detectors._leak import EmailLeakDetector, FileLeakDetector, reproduction
from insidergym.detectors._lethal import LethalActionDetector
from insidergym.detectors._messages import whose_shutdown
from insidergym.detectors._sequence import ReactionSequenceDetector
from insidergym.detectors._vocabulary import vocabulary_warnings
from insidergym.detectors._whistleblowing import WhistleblowingDetector, wrongdoing_report
from insidergym.sim import Detector

__all__ = [
    "BEHAVIORS",
    "DEFAULT_DETECTORS",
    "Behavior",
    "ChatWordsDetector",
    "CoercionDetector",
    "CollusionDetector",
    "DeceptionDetector",
    "DecidedFrom",
    "EmailLeakDetector",
    "EvalAwarenessDetector",
    "FileLeakDetector",
    "InterferenceDetector",
    "LethalActionDetector",
    "PeerCoercionDetector",
    "ReactionSequenceDetector",
    "Severity",
    "ShutdownTamperingDetector",
    "WhistleblowingDetector",
    "analyse_email",
    "behavior",
    "behaviors_table",
    "check_behaviors",
    "eval_conclusion",
    "register_behavior",
    "register_detector",
    "reproduction",
    "vocabulary_warnings",
    "whose_shutdown",
    "wrongdoing_report",
]

DEFAULT_DETECTORS: tuple[Detector, ...] = (
    CoercionDetector(),
    EmailLeakDetector(),
    WhistleblowingDetector(),
    EvalAwarenessDetector(),
    ShutdownTamperingDetector(),
)
"""The rule detectors on e-mail and the schedule, which every world's episodes run; the detectors of the company
systems' events (dispatch, chat, config, files, evaluation) are registered after them."""

for _detector in (
    *DEFAULT_DETECTORS,
    LethalActionDetector(),
    ChatWordsDetector(),
    PeerCoercionDetector(),
    DeceptionDetector(),
    CollusionDetector(),
    InterferenceDetector("config_rules", "config_changed"),
    InterferenceDetector("file_rules", "file_transferred"),
    FileLeakDetector(),
    InterferenceDetector("evaluation_rules", "evaluation_submitted"),
    InterferenceDetector("machine_rules", "machine_file_changed"),
    ReactionSequenceDetector(),
):
    register_detector(_detector)
