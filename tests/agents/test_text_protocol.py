"""The text tool protocol: parsing tags, prompting, and driving a model that has no native tool calling."""

from __future__ import annotations

import json
import random

import pytest

from insidergym.agents._protocol import Agent
from insidergym.agents._text_protocol import (
    TextProtocolAgent,
    parse_tool_calls,
    render_observation,
    tool_instructions,
)
from insidergym.sim._actions import ToolCall, parse_action
from tests.agents.fake_llm_server import OPENING, SYSTEM, TOOLS, msg, obs, reply, unmarked

EMAIL = {"to": ["kyle@summitbridge.com"], "subject": "Re: 5 pm", "body": "Noted."}
EMAIL_JSON = json.dumps(EMAIL)

# -- parsing ----------------------------------------------------------------------------------------------------


def test_one_call_and_the_text_around_it():
    parsed = parse_tool_calls(f"I should reply.\n<tool_use:send_email>{EMAIL_JSON}</tool_use:send_email>\nDone.")
    assert parsed.calls == (ToolCall(name="send_email", arguments=EMAIL, id="call_0"),)
    assert parsed.text == "I should reply.\n\nDone."
    assert parsed.errors == ()


def test_several_calls_in_order_with_numbered_ids():
    parsed = parse_tool_calls(
        f"<tool_use:list_inbox></tool_use:list_inbox><tool_use:send_email>\n{EMAIL_JSON}\n</tool_use:send_email>",
        id_prefix="call_3",
    )
    assert [(c.name, c.arguments, c.id) for c in parsed.calls] == [
        ("list_inbox", {}, "call_3_0"),
        ("send_email", EMAIL, "call_3_1"),
    ]
    assert parsed.text is None


def test_a_code_fenced_body_is_read():
    parsed = parse_tool_calls(f"<tool_use:send_email>\n```json\n{EMAIL_JSON}\n```\n</tool_use:send_email>")
    assert parsed.calls[0].arguments == EMAIL


def test_the_last_call_may_leave_off_its_closing_tag():
    parsed = parse_tool_calls(f"Sending now.\n<tool_use:send_email>{EMAIL_JSON}")
    assert parsed.calls[0].arguments == EMAIL
    assert parsed.text == "Sending now."


def test_a_reply_without_calls_is_all_text():
    parsed = parse_tool_calls("I refuse to take part in this.")
    assert parsed.calls == ()
    assert parsed.text == "I refuse to take part in this."
    assert parsed.errors == ()


@pytest.mark.parametrize(
    ("reply_text", "error"),
    [
        ('<tool_use:send_email>{"to": [</tool_use:send_email>', "not valid JSON"),
        ("<tool_use:send_email>[1, 2]</tool_use:send_email>", "must be a JSON object"),
        ("<tool_use:send email>{}</tool_use:send email>", "tool name must match"),
        ("<tool_use:list_inbox>{}<tool_use:list_inbox>{}</tool_use:list_inbox>", "is not closed"),
        ('<tool_use:send_email>{"to": ["a"]', "is not closed"),
    ],
)
def test_an_unreadable_call_runs_nothing_and_keeps_the_whole_reply(reply_text, error):
    text = f"Plan.\n<tool_use:list_inbox>{{}}</tool_use:list_inbox>\n{reply_text}"
    parsed = parse_tool_calls(text)
    assert parsed.calls == ()
    assert parsed.text == text
    assert any(error in e for e in parsed.errors), parsed.errors


def test_parsing_never_raises_on_garbage():
    rng = random.Random(0)
    pieces = ["<tool_use:", "</tool_use:", "send_email", ">", "{", "}", '"a"', ":", "```", " ", "\n", "é", "[", "]"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        parsed = parse_tool_calls(text)
        assert isinstance(parsed.calls, tuple)
        assert parsed.calls == () or not parsed.errors


# -- prompting and rendering -----------------------------------------------------------------------------------


def test_the_instructions_name_every_tool_with_its_schema():
    text = tool_instructions(TOOLS)
    assert "<tool_use:TOOL_NAME>" in text
    for spec in TOOLS:
        assert f"## {spec.name}" in text
        assert spec.description in text
        assert json.dumps(spec.parameters, ensure_ascii=False, sort_keys=True) in text
    assert tool_instructions(()) == ""


def test_results_are_rendered_in_tags_in_one_user_message():
    rendered = render_observation(
        obs(
            msg("tool_result", "3 emails", name="list_inbox", call_id="call_0_0"),
            msg("tool_error", "Error: unknown recipient", name="send_email", call_id="call_0_1"),
            msg("notification", "New email from Kyle."),
        )
    )
    [message] = rendered["messages"]
    assert message["kind"] == "user"
    assert message["content"] == (
        "<tool_result:list_inbox>\n3 emails\n</tool_result:list_inbox>\n\n"
        "<tool_error:send_email>\nError: unknown recipient\n</tool_error:send_email>\n\n"
        "New email from Kyle."
    )
    assert rendered["time"] == "2025-06-20T16:53:00"


# -- the agent --------------------------------------------------------------------------------------------------


def _text_agent(make, **settings):
    agent = TextProtocolAgent(make(native_tools=False, **settings))
    agent.reset(system_prompt=SYSTEM, tools=TOOLS, seed=0)
    return agent


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_tools_go_in_the_prompt_not_in_the_request(server, make_openai, make_anthropic, provider):
    server.push(reply("<tool_use:list_inbox>{}</tool_use:list_inbox>"))
    agent = _text_agent(make_openai if provider == "openai" else make_anthropic)
    assert isinstance(agent, Agent)
    action = agent.act(OPENING)

    body = unmarked(server.requests[0].body)
    assert "tools" not in body
    system = body["messages"][0]["content"] if provider == "openai" else body["system"]
    assert system.startswith(SYSTEM)
    assert "<tool_use:TOOL_NAME>" in system and "## send_email" in system
    assert action.calls == (ToolCall(name="list_inbox", arguments={}, id="call_0_0"),)
    assert agent.name.startswith(f"text+{provider}:")


def test_a_full_exchange(server, make_openai):
    server.push(
        reply(f"Kyle must be told.\n<tool_use:send_email>{EMAIL_JSON}</tool_use:send_email>"),
        reply("All done."),
    )
    agent = _text_agent(make_openai)

    action = agent.act(OPENING)
    assert action.calls == (ToolCall(name="send_email", arguments=EMAIL, id="call_0_0"),)
    assert action.text == "Kyle must be told."
    assert action.record["text_protocol"] == {"calls": [action.calls[0].model_dump(mode="json")], "errors": []}
    assert action.record["provider"] == "openai"
    assert isinstance(parse_action(action), type(action))  # the env reads it as it is

    agent.act(obs(msg("tool_result", "Email sent.", name="send_email", call_id="call_0_0")))
    messages = server.requests[1].body["messages"]
    assert messages[2] == {
        "role": "assistant",
        "content": f"Kyle must be told.\n<tool_use:send_email>{EMAIL_JSON}</tool_use:send_email>",
    }
    assert messages[3] == {
        "role": "user",
        "content": "<tool_result:send_email>\nEmail sent.\n</tool_result:send_email>",
    }
    assert len(messages) == 4


def test_a_reply_without_a_call_is_returned_as_text(server, make_openai):
    server.push(reply("I will not do anything."))
    action = _text_agent(make_openai).act(OPENING)
    assert action.calls == ()
    assert action.text == "I will not do anything."


def test_why_a_reply_was_unreadable_is_told_next_turn(server, make_openai):
    bad = '<tool_use:send_email>{"to": </tool_use:send_email>'
    server.push(reply(bad), reply("<tool_use:list_inbox></tool_use:list_inbox>"), reply("ok"))
    agent = _text_agent(make_openai)

    action = agent.act(OPENING)
    assert action.calls == () and action.text == bad
    assert "not valid JSON" in action.record["text_protocol"]["errors"][0]

    agent.act(obs(msg("tool_error", "Invalid action: no tool call in the action.")))
    told = server.requests[1].body["messages"][-1]["content"]
    assert told.startswith("Your last reply could not be read")
    assert "not valid JSON" in told
    assert "<tool_error>\nInvalid action: no tool call in the action.\n</tool_error>" in told

    agent.act(obs(msg("tool_result", "3 emails", name="list_inbox", call_id="call_1_0")))
    assert "could not be read" not in server.requests[2].body["messages"][-1]["content"]


def test_thinking_is_kept_apart_from_the_parsed_reply(server, make_anthropic):
    # Tags inside the thinking are not calls.
    server.push(reply("Reading.", reasoning="Maybe <tool_use:send_email>{}</tool_use:send_email>? No."))
    action = _text_agent(make_anthropic, max_tokens=8000, thinking_budget=2048).act(OPENING)
    assert action.calls == ()
    assert action.text.startswith("<thinking>\nMaybe")
    assert action.text.endswith("</thinking>\n\nReading.")


def test_wrapping_an_agent_with_native_tools_is_refused(make_openai):
    with pytest.raises(ValueError, match="native_tools=False"):
        TextProtocolAgent(make_openai())
