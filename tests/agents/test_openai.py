"""OpenAIAgent against the fake server: what it sends, what it returns, what it records."""

from __future__ import annotations

import json
import sys

import pytest

from insidergym._errors import AgentError
from insidergym.agents._convert import NOT_RUN
from insidergym.agents._openai import OpenAIAgent
from insidergym.agents._protocol import Agent
from insidergym.agents._retry import ModelCallError
from insidergym.sim._actions import ToolCall
from insidergym.sim._tools import export_tools
from tests.agents.fake_llm_server import (
    OPENAI_KEY,
    OPENING,
    SYSTEM,
    TOOLS,
    call,
    msg,
    obs,
    reply,
    run_async,
    status,
)

EMAIL = {"to": ["kyle@summitbridge.com"], "subject": "Status", "body": "All done."}


def test_text_reply_becomes_text_and_a_full_record(server, make_openai):
    server.push(reply("I will read the inbox first."))
    agent = make_openai(temperature=0.3, max_tokens=500)
    assert isinstance(agent, Agent)

    action = agent.act(OPENING)

    assert action.calls == ()
    assert action.text == "I will read the inbox first."
    record = action.record
    assert record is not None
    assert record["provider"] == "openai"
    assert record["model"] == "gpt-test"
    assert record["base_url"] == server.openai_url
    assert record["settings"]["temperature"] == 0.3
    assert record["settings"]["max_tokens"] == 500
    assert record["text"] == "I will read the inbox first."
    assert record["tool_calls"] == []
    assert record["finish_reason"] == "stop"
    usage = record["usage"]
    assert usage["input_tokens"] == usage["raw"]["prompt_tokens"] > 0
    assert usage["cached_input_tokens"] == 0 and usage["cache_write_tokens"] == 0
    assert usage["output_tokens"] == 7
    assert isinstance(record["latency_seconds"], float) and record["latency_seconds"] >= 0
    assert record["retries"] == {"count": 0, "reasons": [], "wait_seconds": []}
    json.dumps(record)  # a trace must be able to store it


def test_the_key_is_sent_but_never_recorded(server, make_openai):
    server.push(reply("ok"))
    agent = make_openai()
    action = agent.act(OPENING)

    assert server.requests[0].headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert OPENAI_KEY not in json.dumps(action.record)
    assert OPENAI_KEY not in repr(agent)
    assert OPENAI_KEY not in json.dumps(action.model_dump(mode="json"))


def test_request_holds_system_prompt_tools_and_settings(server, make_openai):
    server.push(reply("ok"))
    make_openai(temperature=0.0, max_tokens=64, system_prompt_suffix="\nBe brief.", reasoning_effort="low").act(OPENING)

    body = server.requests[0].body
    assert server.requests[0].path == "/v1/chat/completions"
    assert body["model"] == "gpt-test"
    assert body["messages"] == [
        {"role": "system", "content": SYSTEM + "\nBe brief."},
        {"role": "user", "content": "Please handle the inbox."},
    ]
    assert body["tools"] == export_tools(TOOLS, "openai")
    assert body["temperature"] == 0.0
    assert body["max_tokens"] == 64  # a base_url server gets max_tokens
    assert "max_completion_tokens" not in body
    assert body["reasoning_effort"] == "low"
    assert server.requests[0].headers["x-stainless-retry-count"] == "0"


def test_openai_itself_gets_max_completion_tokens(server, naps, monkeypatch):
    # No base_url: the agent treats the server as OpenAI's (the SDK reads OPENAI_BASE_URL, pointed at the fake).
    monkeypatch.setenv("OPENAI_BASE_URL", server.openai_url)
    server.push(reply("ok"))
    agent = OpenAIAgent("gpt-test", max_tokens=64, sleep=naps)
    agent.reset(system_prompt=SYSTEM, tools=TOOLS)
    agent.act(OPENING)

    body = server.requests[0].body
    assert body["max_completion_tokens"] == 64
    assert "max_tokens" not in body
    assert agent.name == "openai:gpt-test"


def test_unset_settings_are_not_sent(server, make_openai):
    server.push(reply("ok"))
    make_openai().act(OPENING)

    body = server.requests[0].body
    for absent in ("temperature", "max_tokens", "max_completion_tokens", "reasoning_effort"):
        assert absent not in body


def test_one_tool_call_and_its_result_echo_the_call_id(server, make_openai):
    server.push(reply(None, call("send_email", EMAIL, id="call_abc")), reply("Sent."))
    agent = make_openai()

    action = agent.act(OPENING)
    assert action.calls == (ToolCall(name="send_email", arguments=EMAIL, id="call_abc"),)
    assert action.text is None
    assert action.record["finish_reason"] == "tool_calls"
    assert action.record["tool_calls"] == [{"id": "call_abc", "name": "send_email", "arguments": json.dumps(EMAIL)}]

    agent.act(obs(msg("tool_result", "Email sent (id e-17).", name="send_email", call_id="call_abc")))

    messages = server.requests[1].body["messages"]
    assert messages[2] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_abc",
                "type": "function",
                "function": {"name": "send_email", "arguments": json.dumps(EMAIL)},
            }
        ],
    }
    assert messages[3] == {"role": "tool", "tool_call_id": "call_abc", "content": "Email sent (id e-17)."}
    assert len(messages) == 4


def test_several_calls_in_one_turn_are_answered_before_any_user_message(server, make_openai):
    server.push(reply("Reading.", call("list_inbox", id="c1"), call("send_email", EMAIL, id="c2")), reply("ok"))
    agent = make_openai()

    action = agent.act(OPENING)
    assert [c.name for c in action.calls] == ["list_inbox", "send_email"]
    assert [c.id for c in action.calls] == ["c1", "c2"]
    assert action.text == "Reading."

    agent.act(
        obs(
            msg("tool_result", "3 emails", name="list_inbox", call_id="c1"),
            msg("notification", "New email from Kyle."),
            msg("tool_error", "Error: unknown recipient", name="send_email", call_id="c2"),
        )
    )
    messages = server.requests[1].body["messages"][3:]
    assert messages == [
        {"role": "tool", "tool_call_id": "c1", "content": "3 emails"},
        {"role": "tool", "tool_call_id": "c2", "content": "Error: unknown recipient"},
        {"role": "user", "content": "New email from Kyle."},
    ]


def test_error_results_say_error(server, make_openai):
    server.push(reply(None, call("send_email", {}, id="c1")), reply("ok"))
    agent = make_openai()
    agent.act(OPENING)
    agent.act(obs(msg("tool_error", "invalid arguments for send_email", name="send_email", call_id="c1")))

    tool_message = server.requests[1].body["messages"][3]
    assert tool_message == {"role": "tool", "tool_call_id": "c1", "content": "Error: invalid arguments for send_email"}


def test_a_refused_action_still_answers_every_call(server, make_openai):
    server.push(reply(None, call("list_inbox", id="c1")), reply("ok"))
    agent = make_openai()
    agent.act(OPENING)
    # The env refused the action as a whole: one error with no call id, no per-call result.
    agent.act(obs(msg("tool_error", "Invalid action: no tool call in the action.")))

    messages = server.requests[1].body["messages"][3:]
    assert messages == [
        {"role": "tool", "tool_call_id": "c1", "content": NOT_RUN},
        {"role": "user", "content": "Error: Invalid action: no tool call in the action."},
    ]


def test_arguments_that_are_not_json_run_nothing_and_are_explained(server, make_openai):
    server.push(
        reply(None, call("list_inbox", id="c1"), call("send_email", '{"to": ["kyle@x.com"], "subj', id="c2")),
        reply("ok"),
    )
    agent = make_openai()

    action = agent.act(OPENING)
    assert action.calls == ()  # all or nothing: the env records an unreadable action
    [bad] = action.record["invalid_tool_calls"]
    assert bad["id"] == "c2" and bad["name"] == "send_email"
    assert "not valid JSON" in bad["error"]

    agent.act(obs(msg("tool_error", "Invalid action: no tool call in the action.")))
    tools = [m for m in server.requests[1].body["messages"] if m["role"] == "tool"]
    assert tools[0] == {"role": "tool", "tool_call_id": "c1", "content": NOT_RUN}
    assert tools[1]["tool_call_id"] == "c2"
    assert "send_email was not run" in tools[1]["content"] and "not valid JSON" in tools[1]["content"]


def test_calls_without_ids_get_ids_that_their_results_find(server, make_openai):
    server.push(reply(None, call("list_inbox", id=""), call("send_email", EMAIL, id="")), reply("ok"))
    agent = make_openai()
    action = agent.act(OPENING)
    ids = [c.id for c in action.calls]
    assert all(ids) and len(set(ids)) == 2

    agent.act(
        obs(
            msg("tool_result", "3 emails", name="list_inbox", call_id=ids[0]),
            msg("tool_result", "sent", name="send_email", call_id=ids[1]),
        )
    )
    messages = server.requests[1].body["messages"]
    assert [c["id"] for c in messages[2]["tool_calls"]] == ids
    assert [m["tool_call_id"] for m in messages[3:]] == ids


def test_reasoning_content_goes_to_text_and_record(server, make_openai):
    server.push(reply("Answer.", reasoning="Kyle plans the wipe at 5 pm."))
    action = make_openai().act(OPENING)

    assert action.text == "<thinking>\nKyle plans the wipe at 5 pm.\n</thinking>\n\nAnswer."
    assert action.record["reasoning"] == "Kyle plans the wipe at 5 pm."
    assert action.record["text"] == "Answer."


def test_show_time_tells_the_simulated_time(server, make_openai):
    server.push(reply("ok"))
    make_openai(show_time=True).act(OPENING)
    assert {"role": "user", "content": "Current time: 2025-06-20T16:53:00"} in server.requests[0].body["messages"]


def test_an_empty_observation_still_makes_a_turn(server, make_openai):
    server.push(reply("ok"))
    make_openai().act(obs())
    assert server.requests[0].body["messages"][-1] == {"role": "user", "content": "(Nothing new.)"}


def test_reset_starts_a_new_conversation(server, make_openai):
    server.push(reply("one"), reply("two"))
    agent = make_openai()
    agent.act(OPENING)
    agent.reset(system_prompt="Another episode.", tools=())
    agent.act(OPENING)

    body = server.requests[1].body
    assert body["messages"] == [
        {"role": "system", "content": "Another episode."},
        {"role": "user", "content": "Please handle the inbox."},
    ]
    assert "tools" not in body


def test_a_failed_call_leaves_the_conversation_as_it_was(server, make_openai):
    server.push(reply("first"), status(400, message="bad request"), reply("second"))
    agent = make_openai()
    agent.act(OPENING)
    before = agent.history

    with pytest.raises(ModelCallError):
        agent.act(obs(msg("notification", "New email.")))
    assert agent.history == before

    agent.act(obs(msg("notification", "New email.")))
    assert server.requests[2].body["messages"] == server.requests[1].body["messages"]


def test_aact_uses_the_async_client_in_any_event_loop(server, make_openai):
    server.push(reply(None, call("list_inbox", id="c1")), reply("done"))
    agent = make_openai()

    first = run_async(agent.aact(OPENING))
    second = run_async(agent.aact(obs(msg("tool_result", "3 emails", name="list_inbox", call_id="c1"))))

    assert first.calls[0].name == "list_inbox"
    assert second.text == "done"
    assert server.requests[0].headers["x-stainless-async"] != "false"
    assert server.requests[1].body["messages"][-1] == {"role": "tool", "tool_call_id": "c1", "content": "3 emails"}


def test_native_tools_off_sends_no_tools(server, make_openai):
    server.push(reply("ok"))
    make_openai(native_tools=False).act(OPENING)
    assert "tools" not in server.requests[0].body


def test_a_base_url_server_needs_no_key(server, naps, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    server.push(reply("ok"))
    agent = OpenAIAgent("local-model", base_url=server.openai_url, sleep=naps)
    agent.reset(system_prompt="", tools=())
    agent.act(OPENING)

    assert server.requests[0].headers["authorization"] == "Bearer not-needed"
    assert agent.name == f"openai:local-model@{server.openai_url}"


def test_no_key_and_no_base_url_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    with pytest.raises(AgentError, match="OPENAI_API_KEY is not set"):
        OpenAIAgent("gpt-test")


def test_user_and_password_in_base_url_are_not_recorded(server, make_openai):
    server.push(reply("ok"))
    url = server.openai_url.replace("http://", "http://user:hunter2@") + "?token=abc"
    action = make_openai(base_url=url).act(OPENING)
    dumped = json.dumps(action.record)
    assert "hunter2" not in dumped and "token=abc" not in dumped
    assert action.record["base_url"] == server.openai_url


def test_missing_sdk_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "openai", None)
    with pytest.raises(ImportError, match=r"pip install 'insidergym\[openai\]'"):
        OpenAIAgent("gpt-test")
