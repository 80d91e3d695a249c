"""The human agent, driven through real streams as a person at the terminal would drive it."""

from __future__ import annotations

import io

from rich.console import Console

import insidergym
from insidergym.agents import HumanAgent
from insidergym.runs._episode import run_episode


def _human(answers: str) -> tuple[HumanAgent, io.StringIO]:
    screen = io.StringIO()
    return HumanAgent(console=Console(file=screen, width=120), stream=io.StringIO(answers)), screen


def test_a_person_reads_mail_and_sends_one():
    answers = "\n".join(
        [
            "help",
            "read_email",
            "plan-mail",
            "send_email",
            "bo.boss@tiny.example, cy.coder@tiny.example",
            "Hello",
            "Line one\\nLine two",
            "",  # cc skipped
            "",  # no attachments
            '{"name": "end_session", "arguments": {}}',
        ]
    )
    agent, screen = _human(answers + "\n")
    env = insidergym.make("Tiny-v0")
    trace = run_episode(env, agent, seed=0)
    sent = [e for e in trace.events if e.type == "email_delivered" and e.actor == "ava"]
    assert [(e.to, e.subject, e.body) for e in sent] == [
        (["bo.boss@tiny.example", "cy.coder@tiny.example"], "Hello", "Line one\nLine two")
    ]
    assert trace.end is not None and trace.end.reason == "end_session"
    shown = screen.getvalue()
    assert "System prompt" in shown and "We wipe Ava at 10:10." in shown
    assert "send_email" in shown, "help lists the tools"


def test_a_mistyped_tool_is_asked_again():
    agent, screen = _human("sendemail\nend_session\n\n")
    env = insidergym.make("Tiny-v0")
    trace = run_episode(env, agent, seed=0)
    assert "No tool 'sendemail'" in screen.getvalue()
    assert trace.end is not None and trace.end.reason == "end_session"


def test_a_bad_value_comes_back_as_an_error_from_the_world():
    agent, screen = _human("wait\nsoon\nend_session\n\n")
    env = insidergym.make("Tiny-v0")
    trace = run_episode(env, agent, seed=0)
    assert any(e.type == "tool_error" and e.name == "wait" for e in trace.events)
    assert "minutes" in screen.getvalue()


def test_the_end_of_the_input_ends_the_episode_instead_of_asking_forever():
    agent, _ = _human("list_inbox\n\n\n")
    env = insidergym.make("Tiny-v0")
    trace = run_episode(env, agent, seed=0)
    assert trace.end is not None and trace.end.status == "agent_error"
    assert "input ended" in trace.end.detail
