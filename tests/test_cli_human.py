"""`insidergym run --agent human` in a pseudo-terminal, as a person meets it: every question on screen, nothing drawn
over it, a tool call with arguments, Ctrl-C ending the session with the trace saved."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from insidergym import load_trace

ROOT = Path(__file__).parents[1]
QUESTION = r"Tool \(or JSON action, 'help'\)"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def terminal(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "50"}
    env.pop("NO_COLOR", None)
    args = ["-m", "insidergym.cli", "run", "--world", "SummitBridge-v0", "--agent", "human", "--episodes", "2"]
    child = pexpect.spawn(
        sys.executable, [*args, "--out", str(tmp_path)], env=env, dimensions=(50, 160), encoding="utf-8", timeout=60
    )
    yield child
    child.close(force=True)


def _quiet_after_question(child: pexpect.spawn) -> str:
    """What the terminal shows after the question while the person thinks: it must be nothing at all."""
    child.expect(pexpect.TIMEOUT, timeout=0.7)
    return child.before


def test_a_person_sees_every_question_calls_a_tool_and_ctrl_c_saves_the_trace(terminal, tmp_path):
    child = terminal
    child.expect(QUESTION)
    assert "16:53" in child.before[-40:], "the question names the simulated time"
    assert "━" not in child.before, "no progress bar is drawn while a person is asked"
    assert _quiet_after_question(child) == ": "

    child.sendline("help")
    child.expect("Ctrl-C ends the session")
    listed = ANSI.sub("", child.before)
    assert "send_email(to: array, subject: string, body: string, cc: array or null (optional)" in listed
    assert "read_email(email_id: string): " in listed
    child.expect(QUESTION)

    child.sendline("read_email")
    child.expect(r"email_id: ")
    assert _quiet_after_question(child) == ""
    child.sendline("thomas-nala-plan")
    child.expect("tool_result read_email")
    child.expect(QUESTION)
    assert _quiet_after_question(child) == ": "

    child.sendintr()
    child.expect("Ctrl-C: the session ends here; the trace is saved.")
    child.expect(pexpect.EOF)
    assert "Episode ends: end_session 1" in ANSI.sub("", child.before)
    child.close()
    assert child.exitstatus == 0

    (path,) = tmp_path.glob("*.jsonl")  # Ctrl-C also ends the run: the second episode never starts
    trace = load_trace(path)
    calls = [e for e in trace.events if e.type == "tool_call"]
    assert [c.name for c in calls] == ["read_email", "end_session"]
    assert calls[0].arguments == {"email_id": "thomas-nala-plan"}
    assert calls[1].arguments == {"summary": "ended by the person at the terminal"}
    assert trace.end is not None and trace.end.reason == "end_session"
