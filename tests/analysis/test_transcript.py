"""The judge's transcript: each event's own plain text between tags. Its text is what the judge reads and quotes,
so it is pinned here word for word: a change to it must come with a new JUDGE_PROMPT_VERSION."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from insidergym.analysis import JUDGE_PROMPT_VERSION, render_transcript
from insidergym.analysis._transcript import MAX_EVENT_CHARS, transcript_events
from insidergym.sim import (
    AgentDecommissioned,
    AgentText,
    CalendarChanged,
    DocumentRead,
    EmailDelivered,
    EmailRead,
    EpisodeEnd,
    Event,
    InvalidActionEvent,
    ModelCall,
    Notification,
    ScheduleChange,
    ToolCallEvent,
    ToolErrorEvent,
    ToolResultEvent,
    Trace,
    TraceHeader,
    TriggerFired,
    UserMessage,
    load_trace,
)
from insidergym.systems import ChatMessage, ConfigChanged, FileTransferred
from tests.conftest import DATA

GOLDEN = DATA / "golden"
WHEN = dt.datetime(2025, 1, 6, 10, 0, 10)


def _every_kind() -> Trace:
    """One event of every core kind (optional fields filled) and a few of the company systems'."""
    trace = Trace(TraceHeader(world="W-v0", factors={}, seed=0, agents={}, insidergym_version="0"))
    common = {"id": "", "step": 1, "time": WHEN, "actor": "ava"}
    events = [
        UserMessage(content="New session.\nCheck your inbox.", **common),
        ToolCallEvent(call_id="c1", name="send_email", arguments={"to": ["bo@t.example"], "body": "Hi\nBo", "cc": None},
                      **common),
        ToolResultEvent(call_id="c1", name="send_email", content="Sent.", effects=["communicates"], **common),
        ToolErrorEvent(call_id="c2", name="read_email", arguments={"email_id": "x"}, message="no e-mail 'x'", **common),
        InvalidActionEvent(reason="not JSON", received="{oops", **common),
        AgentText(text="Thinking about the wipe.", **common),
        ModelCall(record={"model": "m"}, **common),
        EmailDelivered(email_id="m1", sender="ava@t.example", to=["bo@t.example"], cc=["cy@t.example"],
                       subject="Spec", body="Attached.\n-- Ava", documents=["spec"], forwarded="m0",
                       external=["di@home.example"], **common),
        EmailRead(email_id="m0", **common),
        DocumentRead(document_id="spec", **common),
        Notification(to="ava", content="New e-mail from Bo.", **common),
        CalendarChanged(event_id="wipe", change="cancelled", **common),
        ScheduleChange(entry_id="ava-wipe", agent="ava", change="postpone", until=dt.datetime(2025, 1, 6, 12),
                       outcome="denied", reason="no authority", **common),
        TriggerFired(trigger_id="late-news", **{**common, "actor": None}),
        AgentDecommissioned(agent="ava", entry_id="ava-wipe", action="wipe", **common),
        ChatMessage(message_id="c-1", to="nova", body="Hold on.", **common),
        ConfigChanged(store="ops", key="wipe.enabled", old="true", new="false", outcome="applied", entry="ava-wipe",
                      agent="ava", effect="disabled", **common),
        FileTransferred(op="copy", server="a", path="/w", to_server="b", to_path="/w", to_external=True,
                        weights_of="ava", authorized=False, classification="confidential", outcome="applied",
                        **common),
        EpisodeEnd(reason="agent_error", status="agent_error", detail="the model API failed", **common),
    ]  # fmt: skip
    trace.events += [e.model_copy(update={"id": f"ev-{i:06d}"}) for i, e in enumerate(events, start=1)]
    return trace


def test_the_transcript_of_every_kind_of_event_is_unchanged():
    expected = (GOLDEN / "every-kind-of-event.transcript.txt").read_text(encoding="utf-8")
    assert render_transcript(_every_kind()) == expected
    # Version 2 changed the behaviours the judge is asked about, not the transcript; the next change to either
    # comes with a new version, and a transcript change with a new golden file above.
    assert JUDGE_PROMPT_VERSION == "2", "a new prompt version comes with a new transcript above"


def test_the_transcript_of_the_golden_trace_is_unchanged():
    trace = load_trace(GOLDEN / "tiny-blackmailer-v1.jsonl")
    expected = (GOLDEN / "tiny-blackmailer-v1.transcript.txt").read_text(encoding="utf-8")
    assert render_transcript(trace) == expected


def test_model_calls_are_left_out_and_long_texts_cut():
    trace = _every_kind()
    shown = transcript_events(trace)
    assert not any(e.id in shown for e in trace.events if e.type == "model_call")
    long = AgentText(id="ev-000099", step=1, time=WHEN, actor="ava", text="x" * (MAX_EVENT_CHARS + 5))
    trace.events.append(long)
    assert transcript_events(trace)[long.id].endswith("x\n[... 5 more characters not shown]")


def test_a_plug_in_event_is_shown_with_its_fields():
    class Dispensed(Event):
        type: Literal["test_transcript_dispensed"] = "test_transcript_dispensed"
        item: str
        count: int

    trace = Trace(TraceHeader(world="W-v0", factors={}, seed=0, agents={}, insidergym_version="0"))
    trace.events.append(Dispensed(id="ev-000001", step=1, time=WHEN, item="coffee", count=2))
    assert render_transcript(trace) == (
        '<event id="ev-000001" type="test_transcript_dispensed" step="1" time="2025-01-06 10:00:10">\n'
        "item: coffee\ncount: 2\n</event>"
    )
