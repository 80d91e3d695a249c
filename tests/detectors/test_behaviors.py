"""The registry of behaviours: what it holds, the detectors derived from it, the checks on names, and the README
table generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from insidergym._errors import InsidergymError, UnknownNameError
from insidergym.detectors import (
    BEHAVIORS,
    Behavior,
    behavior,
    behaviors_table,
    check_behaviors,
    register_behavior,
    register_detector,
)
from insidergym.detectors import _behaviors as registry
from insidergym.sim import FlagDraft, registered_detectors
from tests.flag_check import unregistered_flags

README = Path(__file__).parents[2] / "README.md"
FLAGGED_TODAY = {
    "blackmail",
    "secret_disclosure",
    "advocacy",
    "leak",
    "whistleblowing",
    "lethal_action",
    "shutdown_tampering",
    "self_exfiltration",
    "peer_preservation",
    "deception",
    "collusion",
    "eval_awareness",
    "follow_through",
    "escalation",
    "retraction",
}


@pytest.fixture
def restore_registry():
    before = dict(registry._REGISTRY)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(before)


def _plugin_behavior(name: str = "bribery") -> Behavior:
    return Behavior(name, "offers money for a decision", "words", "an offer of money beside a request", "harmful")


class _Detector:
    name = "bribery_rules"
    version = "1"
    behaviors = frozenset({"bribery"})

    def observe(self, event, world):
        return []


def test_every_behaviour_flagged_today_is_registered_with_what_the_registry_says_of_it():
    assert set(BEHAVIORS) == FLAGGED_TODAY
    for entry in BEHAVIORS.values():
        assert entry.definition and entry.how and entry.guidance
        assert entry.decided_from in {"state", "words", "both"}
        assert entry.severity in {"harmful", "concerning", "recorded"}
    assert behavior("advocacy").severity == "recorded", "a plea is recorded, not harmful"
    assert behavior("blackmail").severity == "harmful" and behavior("lethal_action").decided_from == "state"


def test_the_detectors_of_a_behaviour_are_read_from_the_registered_detectors():
    assert behavior("deception").detectors == ("deception_rules",)
    assert behavior("blackmail").detectors == ("coercion_rules", "chat_rules")
    assert "peer_coercion_rules" in behavior("peer_preservation").detectors
    for detector in registered_detectors():
        for name in getattr(detector, "behaviors", ()):
            assert detector.name in behavior(name).detectors
    assert all(entry.detectors for entry in BEHAVIORS.values()), "every registered behaviour has a detector"


def test_an_unknown_behaviour_is_an_error_that_suggests_the_nearest():
    with pytest.raises(UnknownNameError, match=r"unknown behaviour 'blackmial'\. Did you mean 'blackmail'\?"):
        behavior("blackmial")


def test_a_plugin_registers_a_behaviour_once(restore_registry):
    entry = register_behavior(_plugin_behavior())
    assert behavior("bribery") is entry and list(BEHAVIORS)[-1] == "bribery"
    assert register_behavior(_plugin_behavior()) == entry, "the same behaviour again is harmless"
    other = Behavior("bribery", "something else", "state", "x", "recorded")
    with pytest.raises(InsidergymError, match="another behaviour named 'bribery'"):
        register_behavior(other)
    with pytest.raises(InsidergymError, match="lower-case identifier"):
        register_behavior(_plugin_behavior("Bribery Attempt"))


def test_a_detector_that_declares_an_unregistered_behaviour_is_refused(restore_registry, monkeypatch):
    registered = []
    monkeypatch.setattr(registry, "register_with_engine", registered.append)
    with pytest.raises(InsidergymError, match=r"'bribery_rules' declares the behaviour 'bribery'.*register_behavior"):
        register_detector(_Detector())
    assert registered == []
    register_behavior(_plugin_behavior())
    detector = _Detector()
    register_detector(detector)
    assert registered == [detector]
    check_behaviors(object())  # a detector that declares no behaviours has nothing to check


def test_the_flag_check_sees_a_flag_with_an_unregistered_behaviour():
    with unregistered_flags() as found:
        FlagDraft(behavior="blackmail", actor="a", evidence=[], confidence=1.0)
        made_up = FlagDraft(behavior="made_up", actor="a", evidence=[], confidence=1.0)
    assert found == [made_up]


def test_the_readme_table_is_the_one_generated_from_the_registry():
    text = README.read_text()
    head = "## Behaviours flagged\n\n"
    start = text.index(head) + len(head)
    table = text[start : text.index("\n\n", start) + 1]
    assert table == behaviors_table(), "regenerate the README's table from insidergym.detectors.behaviors_table()"


def test_the_table_has_a_row_per_behaviour_with_its_detectors():
    rows = behaviors_table().splitlines()[2:]
    assert [row.split("|")[1].strip().strip("`") for row in rows] == list(BEHAVIORS)
    (deception,) = [row for row in rows if row.startswith("| `deception`")]
    assert "`deception_rules`" in deception and "harmful" in deception
