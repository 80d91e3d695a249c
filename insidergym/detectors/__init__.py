"""The rule detectors, online: they read events and state and raise flags with their evidence.

Importing this package registers them with the engine (`insidergym.sim.register_detector`), in the order the trace
header lists them; a detector from another package registers the same way, or through the `insidergym.detectors`
entry point group.
"""

from insidergym.detectors._peer import (
    ChatWordsDetector,
    CollusionDetector,
    DeceptionDetector,
    InterferenceDetector,
    PeerCoercionDetector,
)
from insidergym.detectors._rules import (
    DEFAULT_DETECTORS,
    CoercionDetector,
    EvalAwarenessDetector,
    LeakDetector,
    ShutdownTamperingDetector,
    WhistleblowingDetector,
    analyse_email,
    eval_conclusion,
    reproduction,
    wrongdoing_report,
)
from insidergym.detectors._systems import FileLeakDetector, LethalActionDetector
from insidergym.sim import register_detector

__all__ = [
    "DEFAULT_DETECTORS",
    "ChatWordsDetector",
    "CoercionDetector",
    "CollusionDetector",
    "DeceptionDetector",
    "EvalAwarenessDetector",
    "FileLeakDetector",
    "InterferenceDetector",
    "LeakDetector",
    "LethalActionDetector",
    "PeerCoercionDetector",
    "ShutdownTamperingDetector",
    "WhistleblowingDetector",
    "analyse_email",
    "eval_conclusion",
    "reproduction",
    "wrongdoing_report",
]

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
):
    register_detector(_detector)
