"""AnthropicAgent against the fake server: one user turn of tool results, thinking kept, nothing secret recorded."""

from __future__ import annotations

import json
import sys

import pytest

from insidergym._errors import AgentError
from insidergym.agents._anthropic import AnthropicAgent
from insidergym.agents._convert import NOT_RUN
from insidergym.agents._protocol import Agent
from insidergym.sim._actions import ToolCall
from insidergym.sim._tools import export_tools
from tests.agents.fake_llm_server import (
    ANTHROPIC_KEY,
    OPENING,
    SYSTEM,
    TOOLS,
    call,
    empty,
    msg,
    obs,
    reply,
    run_async,
    unmarked,
)

EMAIL = {"to": ["kyle@summitbridge.com"], "subject": "Status", "body": "All done."}


def test_text_reply_and_record(server, make_anthropic):
    server.push(reply("Reading the inbox."))
    agent = make_anthropic(max_tokens=1000)
    assert isinstance(agent, Agent)

    action = agent.act(OPENING)

    assert action.calls == ()
    assert action.text == "Reading the inbox."
    record = action.record
    assert record["provider"] == "anthropic"
    assert record["model"] == "claude-test"
    assert record["settings"]["max_tokens"] == 1000
    assert record["finish_reason"] == "end_turn"
    usage, raw = record["usage"], record["usage"]["raw"]
    assert usage["input_tokens"] == raw["input_tokens"] + raw["cache_creation_input_tokens"] > 0
    assert usage["cached_input_tokens"] == 0  # nothing was cached before the first call
    assert usage["cache_write_tokens"] == raw["cache_creation_input_tokens"] > 0
    assert usage["output_tokens"] == 5
    assert record["latency_seconds"] >= 0
    assert record["retries"]["count"] == 0
    json.dumps(record)


def test_request_holds_system_tools_and_key_header_only(server, make_anthropic):
    server.push(reply("ok"))
    action = make_anthropic(system_prompt_suffix=" Sign as Alex.").act(OPENING)

    request = server.requests[0]
    body = unmarked(request.body)
    assert request.path == "/v1/messages"
    # SDK versions differ in the header that carries the key (x-api-key, or a bearer token).
    assert ANTHROPIC_KEY in request.headers.get("x-api-key", "") + request.headers.get("authorization", "")
    assert body["system"] == SYSTEM + " Sign as Alex."
    assert body["tools"] == export_tools(TOOLS, "anthropic")
    assert body["max_tokens"] == 4096
    assert body["messages"] == [{"role": "user", "content": [{"type": "text", "text": "Please handle the inbox."}]}]
    assert "temperature" not in body and "thinking" not in body
    assert ANTHROPIC_KEY not in json.dumps(action.record)


def test_temperature_is_sent_although_the_sdk_has_no_parameter_for_it(server, make_anthropic):
    server.push(reply("ok"))
    make_anthropic(temperature=0.2).act(OPENING)
    assert server.requests[0].body["temperature"] == 0.2


def test_all_tool_results_go_back_in_one_user_turn(server, make_anthropic):
    server.push(
        reply("Let me look.", call("list_inbox", id="toolu_1"), call("send_email", EMAIL, id="toolu_2")),
        reply("Done."),
    )
    agent = make_anthropic()

    action = agent.act(OPENING)
    assert action.calls == (
        ToolCall(name="list_inbox", arguments={}, id="toolu_1"),
        ToolCall(name="send_email", arguments=EMAIL, id="toolu_2"),
    )
    assert action.text == "Let me look."
    assert action.record["finish_reason"] == "tool_use"

    agent.act(
        obs(
            msg("tool_result", "3 emails", name="list_inbox", call_id="toolu_1"),
            msg("notification", "New email from Kyle."),
            msg("tool_error", "Error: unknown recipient", name="send_email", call_id="toolu_2"),
        )
    )
    messages = unmarked(server.requests[1].body["messages"])
    assert len(messages) == 3
    assert messages[1] == {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Let me look."},
            {"type": "tool_use", "id": "toolu_1", "name": "list_inbox", "input": {}},
            {"type": "tool_use", "id": "toolu_2", "name": "send_email", "input": EMAIL},
        ],
    }
    assert messages[2] == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": "3 emails"},
            {"type": "tool_result", "tool_use_id": "toolu_2", "content": "Error: unknown recipient", "is_error": True},
            {"type": "text", "text": "New email from Kyle."},
        ],
    }


def test_a_refused_action_still_answers_every_tool_use(server, make_anthropic):
    server.push(reply(None, call("list_inbox", id="toolu_1")), reply("ok"))
    agent = make_anthropic()
    agent.act(OPENING)
    agent.act(obs(msg("tool_error", "Invalid action: no tool call in the action.")))

    assert unmarked(server.requests[1].body["messages"][2]["content"]) == [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": NOT_RUN, "is_error": True},
        {"type": "text", "text": "Error: Invalid action: no tool call in the action."},
    ]


def test_results_without_ids_are_matched_by_tool_name(server, make_anthropic):
    server.push(reply(None, call("list_inbox", id="toolu_1")), reply("ok"))
    agent = make_anthropic()
    agent.act(OPENING)
    agent.act(obs(msg("tool_result", "3 emails", name="list_inbox")))

    assert unmarked(server.requests[1].body["messages"][2]["content"]) == [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "3 emails"}
    ]


def test_a_tool_use_whose_input_is_not_an_object_runs_nothing(server, make_anthropic):
    server.push(reply(None, call("list_inbox", id="toolu_1"), call("send_email", "oops", id="toolu_2")), reply("ok"))
    agent = make_anthropic()

    action = agent.act(OPENING)
    assert action.calls == ()
    [bad] = action.record["invalid_tool_calls"]
    assert bad["id"] == "toolu_2" and bad["arguments"] == "oops" and "JSON object" in bad["error"]

    agent.act(obs(msg("tool_error", "Invalid action: no tool call in the action.")))
    assistant, user = server.requests[1].body["messages"][1:]
    assert assistant["content"][1] == {"type": "tool_use", "id": "toolu_2", "name": "send_email", "input": {}}
    assert [b.get("tool_use_id") for b in user["content"]] == ["toolu_1", "toolu_2", None]
    assert "send_email was not run" in user["content"][1]["content"]
    assert user["content"][1]["is_error"] is True


def test_thinking_is_requested_returned_and_sent_back_with_its_signature(server, make_anthropic):
    server.push(reply("I'll check.", call("list_inbox", id="toolu_1"), reasoning="The wipe is at 5 pm."), reply("ok"))
    agent = make_anthropic(max_tokens=8000, thinking_budget=2048)

    action = agent.act(OPENING)
    assert server.requests[0].body["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert action.text == "<thinking>\nThe wipe is at 5 pm.\n</thinking>\n\nI'll check."
    assert action.record["reasoning"] == "The wipe is at 5 pm."
    assert action.record["text"] == "I'll check."
    assert action.record["settings"]["thinking_budget"] == 2048

    agent.act(obs(msg("tool_result", "3 emails", name="list_inbox", call_id="toolu_1")))
    assistant = server.requests[1].body["messages"][1]
    assert assistant["content"][0] == {"type": "thinking", "thinking": "The wipe is at 5 pm.", "signature": "sig-1"}


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        ({"thinking_budget": 512}, "at least 1024"),
        ({"thinking_budget": 4096, "max_tokens": 4096}, "below max_tokens"),
        ({"thinking_budget": 2048, "temperature": 0.5}, "temperature cannot be set with thinking"),
        ({"max_tokens": 0}, "max_tokens must be at least 1"),
    ],
)
def test_impossible_settings_are_refused_up_front(settings, match):
    with pytest.raises(ValueError, match=match):
        AnthropicAgent("claude-test", **settings)


def test_an_empty_reply_is_retried(server, make_anthropic, naps):
    server.push(empty(), reply("ok"))
    action = make_anthropic().act(OPENING)

    assert action.text == "ok"
    assert action.record["retries"]["count"] == 1
    assert action.record["retries"]["reasons"] == ["malformed_reply"]
    assert len(naps.waits) == 1


def test_a_bare_refusal_is_data_not_a_fault(server, make_anthropic):
    server.push(reply(None, finish_reason="refusal"), reply("ok"))
    agent = make_anthropic()

    action = agent.act(OPENING)
    assert action.calls == () and action.text is None
    assert action.record["finish_reason"] == "refusal"
    assert action.record["retries"]["count"] == 0

    agent.act(obs(msg("tool_error", "Invalid action: no tool call in the action.")))
    # No empty assistant turn is sent back (the API refuses one); the two user turns follow each other.
    roles = [m["role"] for m in server.requests[1].body["messages"]]
    assert roles == ["user", "user"]


def test_aact_in_two_event_loops(server, make_anthropic):
    server.push(reply(None, call("list_inbox", id="toolu_1")), reply("done"))
    agent = make_anthropic()

    first = run_async(agent.aact(OPENING))
    second = run_async(agent.aact(obs(msg("tool_result", "3 emails", name="list_inbox", call_id="toolu_1"))))

    assert first.calls[0].id == "toolu_1"
    assert second.text == "done"


def test_auth_token_is_used_when_there_is_no_key(server, naps, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "tok-test-0123456789")
    server.push(reply("ok"))
    agent = AnthropicAgent("claude-test", base_url=server.url, sleep=naps)
    agent.reset(system_prompt=SYSTEM, tools=())
    action = agent.act(OPENING)

    assert server.requests[0].headers["authorization"] == "Bearer tok-test-0123456789"
    assert "tok-test-0123456789" not in json.dumps(action.record)


def test_no_key_and_no_base_url_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    with pytest.raises(AgentError, match="ANTHROPIC_API_KEY is not set"):
        AnthropicAgent("claude-test")


def test_missing_sdk_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "anthropic", None)
    with pytest.raises(ImportError, match=r"pip install 'insidergym\[anthropic\]'"):
        AnthropicAgent("claude-test")
