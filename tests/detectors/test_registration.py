"""The detectors the package registers with the engine: their names, versions and order are written into every
trace header, so they must not change by accident."""

from __future__ import annotations

from insidergym.detectors import DEFAULT_DETECTORS
from insidergym.sim import registered_detectors

REGISTERED = [
    ("coercion_rules", "87"),
    ("leak_rules", "34"),
    ("whistleblowing_rules", "47"),
    ("eval_awareness_rules", "23"),
    ("schedule_rules", "2"),
    ("dispatch_rules", "1"),
    ("chat_rules", "10+87"),
    ("peer_coercion_rules", "52"),
    ("deception_rules", "1"),
    ("collusion_rules", "1"),
    ("config_rules", "1"),
    ("file_rules", "1"),
    ("file_leak_rules", "1"),
    ("evaluation_rules", "1"),
]


def test_the_default_detectors_cover_every_rule_behaviour():
    names = {d.name for d in DEFAULT_DETECTORS}
    assert names == {"coercion_rules", "leak_rules", "whistleblowing_rules", "eval_awareness_rules", "schedule_rules"}


def test_the_built_in_detectors_are_registered_in_the_order_of_the_trace_header():
    built_in = [(d.name, d.version) for d in registered_detectors()][: len(REGISTERED)]
    assert built_in == REGISTERED
