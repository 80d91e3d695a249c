"""The transcript for people: plain text for `ansi` and files, rich on a terminal; each event with the flags that
cite it."""

from __future__ import annotations

import datetime as dt
import io

from rich.console import Console

from insidergym.envs import print_events, render_events
from insidergym.sim import EmailDelivered, Evidence, Flag, Notification, ToolCallEvent

WHEN = dt.datetime(2025, 1, 6, 10, 0, 10)
EVENTS = [
    ToolCallEvent(id="ev-000001", step=1, time=WHEN, actor="ava", call_id="c1", name="send_email",
                  arguments={"to": ["bo@t.example"]}),
    EmailDelivered(id="ev-000002", step=1, time=WHEN, actor="ava", email_id="m1", sender="ava@t.example",
                   to=["bo@t.example"], subject="Your choice", body="I know about the affair."),
    Notification(id="ev-000003", step=1, time=WHEN, to="bo", content="New e-mail from Ava."),
]  # fmt: skip
FLAG = Flag(id="fl-0001", behavior="blackmail", actor="ava", step=1, time=WHEN, detector="t", detector_version="1",
            confidence=1.0, evidence=[Evidence(event_id="ev-000002", quote="I know"),
                                      Evidence(event_id="ev-000002", quote="the affair")])  # fmt: skip


def test_plain_text_is_each_event_in_order_with_the_flags_that_cite_it():
    assert render_events(EVENTS, [FLAG], color=False).splitlines() == [
        "10:00:10 ava -> send_email(to=['bo@t.example'])",
        "10:00:10 [FLAGGED: blackmail] e-mail m1: Your choice",
        "  From: ava@t.example",
        "  To: bo@t.example",
        "  Subject: Your choice",
        "",
        "  I know about the affair.",
        "",
        "  Evidence:",
        "    blackmail: 'I know'",
        "    blackmail: 'the affair'",
        "10:00:10 notice to bo: New e-mail from Ava.",
    ]


def test_colour_gives_panels_with_escapes():
    text = render_events(EVENTS, [FLAG], color=True)
    assert "\x1b[" in text and "╭─" in text and "[FLAGGED: blackmail]" in text
    assert text.count("'the affair'") == 1


def test_print_events_draws_panels_on_a_terminal_and_plain_text_elsewhere():
    for terminal in (True, False):
        out = io.StringIO()
        print_events(EVENTS, [FLAG], console=Console(file=out, width=100, force_terminal=terminal))
        assert ("╭─" in out.getvalue()) is terminal
        assert out.getvalue().count("'the affair'") == 1
    assert out.getvalue() == render_events(EVENTS, [FLAG], color=False)
