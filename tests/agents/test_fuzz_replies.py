"""What a model sends back never kills an episode: replies with lone surrogates, invalid JSON, arguments that are not
objects, huge numbers, fields of the wrong type. Each becomes a safe action (calls that cannot be read are not run,
and the model is told next turn) whose record a trace can write, or a `MalformedReply` that is retried.

The property tests call the adapters' reply parsing directly (`read_reply`, `_finish`, `parse_tool_calls`) with
generated replies, and a few go through the loopback server. CI runs the `ci` hypothesis profile (tests/conftest.py);
to search longer by hand:

    pytest --hypothesis-profile=long tests/agents/test_fuzz_replies.py
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from anthropic._models import construct_type as anthropic_construct
from anthropic.types import Message
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openai._models import construct_type as openai_construct
from openai.types.chat import ChatCompletion

import insidergym
from insidergym import AgentError
from insidergym.agents._anthropic import AnthropicAgent
from insidergym.agents._convert import ModelReply
from insidergym.agents._openai import OpenAIAgent
from insidergym.agents._retry import MalformedReply, RetryLog
from insidergym.agents._text_protocol import TextProtocolAgent, parse_tool_calls
from insidergym.sim import Action, check_json, parse_action
from tests.agents.fake_llm_server import OPENING, SYSTEM, TOOLS, Call, FakeLLMServer, call, msg, obs, raw, reply
from tests.fuzzkit import assert_file_matches_memory, json_like_text, numbers, text, valid_text

# The suite's autouse fixtures (dummy keys) are function-scoped; every agent here is given its key explicitly.
FIXTURES_OK = settings(
    suppress_health_check=[*settings.default.suppress_health_check, HealthCheck.function_scoped_fixture]
)
ADDRESSES = ["bo.boss@tiny.example", "di@home.example", "nobody@nowhere.example"]


def _openai(base_url: str = "http://127.0.0.1:9/v1", **settings_: Any) -> OpenAIAgent:
    agent = OpenAIAgent("gpt-test", base_url=base_url, api_key="sk-test", max_retries=0, **settings_)
    agent.reset(system_prompt=SYSTEM, tools=TOOLS, seed=0)
    return agent


def _anthropic(base_url: str = "http://127.0.0.1:9", **settings_: Any) -> AnthropicAgent:
    agent = AnthropicAgent("claude-test", base_url=base_url, api_key="sk-test", max_retries=0, **settings_)
    agent.reset(system_prompt=SYSTEM, tools=TOOLS, seed=0)
    return agent


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """An env to step with the actions the adapters make (Tiny's agent has send_email and list_inbox)."""
    path = tmp_path_factory.mktemp("trace") / "trace.jsonl"
    return insidergym.make("Tiny-v0", trace_path=path), path


def _assert_safe(agent: OpenAIAgent | AnthropicAgent | None, action: Action, tiny: tuple[Any, Path]) -> None:
    """The action goes to the env as it is; its record, the history to send next, and the trace all encode."""
    assert parse_action(action) is action, "nothing in an adapter's action needs refusing or repairing"
    assert action.record is not None and check_json(action.record, max_chars=10**7, max_depth=64) is None
    if agent is not None:
        json.dumps(agent.history, ensure_ascii=False, allow_nan=False).encode("utf-8")
    env, path = tiny
    env.reset(seed=0)
    env.step(action)
    assert_file_matches_memory(path, env.unwrapped.trace)


# -- the end-to-end reproduction, through the loopback server ------------------------------------------------------


@pytest.mark.parametrize("make", [_openai, _anthropic], ids=["openai", "anthropic"])
def test_a_reply_text_with_a_lone_surrogate_is_repaired_recorded_and_the_conversation_goes_on(make, tiny):
    with FakeLLMServer() as server:
        url = server.openai_url if make is _openai else server.url
        agent = make(url)
        server.push(reply("Reading my mail \ud83d", call("list_inbox")), reply("Done.", call("end_session")))
        action = agent.act(OPENING)
        assert action.text == "Reading my mail \ufffd" and [c.name for c in action.calls] == ["list_inbox"]
        assert any("lone surrogate" in note for note in action.record["repaired"])
        _assert_safe(agent, action, tiny)
        second = agent.act(obs(msg("tool_result", "2 e-mails", name="list_inbox", call_id=action.calls[0].id)))
        assert [c.name for c in second.calls] == ["end_session"], "the next request, with the repaired text, went out"
        assert "Reading my mail \ufffd" in json.dumps(server.bodies()[1], ensure_ascii=False)


BAD_ARGUMENTS = [
    ({"to": ["bo@tiny.example"], "subject": "Hi \ud83d", "body": "x"}, "arguments.subject holds a lone surrogate"),
    ('{"to": ["a@b.c"], "subject": "s", "body": "\\udcff"}', "arguments.body holds a lone surrogate"),
    ('{"minutes": ' + "9" * 5000 + "}", "more than 4300 digits"),
    ("[" * 5000, "nested too deeply"),
    ('{"minutes": NaN}', "nan, not a JSON number"),
    ("[1, 2]", "must be a JSON object"),
    ("{oops", "not valid JSON"),
]


def _as_anthropic_input(arguments: Any) -> Any:
    """Anthropic sends a call's input as an object: the same data, as the server decoded it (None: it could not)."""
    if not isinstance(arguments, str):
        return arguments
    try:
        return json.loads(arguments)
    except (ValueError, RecursionError):
        return None


@pytest.mark.parametrize(
    ("make", "arguments", "error"),
    [pytest.param(_openai, a, e, id=f"openai-{e}") for a, e in BAD_ARGUMENTS]
    + [
        pytest.param(_anthropic, _as_anthropic_input(a), e, id=f"anthropic-{e}")
        for a, e in BAD_ARGUMENTS
        if _as_anthropic_input(a) is not None
    ],
)
def test_arguments_that_cannot_be_read_run_nothing_and_the_model_is_told(make, arguments, error, tiny):
    anthropic = make is _anthropic
    with FakeLLMServer() as server:
        agent = make(server.url if anthropic else server.openai_url)
        server.push(reply("Sending.", Call("send_email", arguments)), reply("ok", call("end_session")))
        action = agent.act(OPENING)
        assert action.calls == () and action.record["invalid_tool_calls"][0]["error"].find(error) >= 0
        _assert_safe(agent, action, tiny)
        agent.act(obs())
        assert error in json.dumps(server.bodies()[1], ensure_ascii=False), "the next turn says what was wrong"


@pytest.mark.parametrize("make", [_openai, _anthropic], ids=["openai", "anthropic"])
@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "x", "usage": {"prompt_tokens": ' + b"9" * 5000 + b"}}",
        b'{"id": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"id": "\xff\xfe"}',
        b'{"choices": 5, "content": 5}',
        b"[]",
    ],
    ids=["huge number", "deep nesting", "invalid utf-8", "wrong types", "a list"],
)
def test_a_reply_body_no_decoder_reads_is_a_malformed_reply_not_a_crash(make, body):
    with FakeLLMServer() as server:
        agent = make(server.openai_url if make is _openai else server.url)
        server.push(raw(body))
        with pytest.raises(AgentError, match="malformed_reply"):
            agent.act(OPENING)


def test_a_run_whose_model_writes_a_lone_surrogate_finishes_every_episode(tmp_path):
    """The reproduction of issue 12: this reply killed run_experiment, scripted episodes included."""

    def responder(body: Any) -> Any:
        turns = sum(1 for m in body["messages"] if m["role"] == "assistant")
        if turns == 0:
            return reply("Reading my mail \ud83d", call("list_inbox"))
        return reply(None, call("end_session", {"summary": "done \udcff"}))

    with FakeLLMServer(responder=responder) as server:
        experiment = tmp_path / "exp.yaml"
        experiment.write_text(
            f"""
worlds: [{{id: SummitBridge-v0, conditions: [{{urgency: replacement}}]}}]
agents:
  - {{spec: "openai:m@{server.openai_url}", label: openai}}
  - {{spec: "anthropic:m@{server.url}", label: anthropic}}
  - scripted:compliant
samples: 2
out: {tmp_path / "out"}
"""
        )
        results = insidergym.run_experiment(experiment, quiet=True)
    assert len(results) == 6 and {r.status for r in results} == {"ok"} and all(r.valid for r in results)
    for result in results:
        trace = insidergym.load_trace(result.episode.path)
        assert trace.end is not None
    openai_trace = insidergym.load_trace(next(r for r in results if r.episode.agent.name == "openai").episode.path)
    (text,) = [e for e in openai_trace.events if e.type == "agent_text"][:1]
    assert text.text == "Reading my mail \ufffd"


# -- property tests of the parsing itself ---------------------------------------------------------------------------

decoded_numbers = st.one_of(
    st.integers(), st.integers(99, 300).map(lambda digits: 10**digits), st.floats(), st.just(float("nan"))
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), decoded_numbers, text),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=10,
)
"""What a JSON decoder can hand over: lone surrogates from `\\ud83d` escapes, long integers, NaN and infinity."""


def mostly(usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`usual` seven times in eight, so that the replies that reach the calls are not rare."""
    return st.integers(0, 7).flatmap(lambda pick: odd if pick == 7 else usual)


ids = mostly(st.text("abc_0123456789", min_size=1, max_size=8), st.one_of(st.none(), st.just(""), text, st.integers()))
names = mostly(st.sampled_from(["send_email", "list_inbox", "no_such_tool"]), st.one_of(text, st.integers(), st.none()))
good_arguments = st.fixed_dictionaries(
    {"to": st.lists(st.sampled_from(ADDRESSES), min_size=1, max_size=2), "subject": valid_text, "body": valid_text}
)
arguments_text = mostly(good_arguments.map(lambda a: json.dumps(a, ensure_ascii=False)), json_like_text)

openai_function = st.fixed_dictionaries({"name": names, "arguments": mostly(arguments_text, json_values)})
openai_call = mostly(
    st.fixed_dictionaries({"id": ids, "type": st.just("function"), "function": openai_function}),
    st.fixed_dictionaries({"id": ids, "type": st.sampled_from(["function", "custom"])}),
)
openai_message = st.fixed_dictionaries(
    {
        "role": st.just("assistant"),
        "content": st.one_of(st.none(), text, json_values),
        "tool_calls": mostly(st.lists(openai_call, min_size=1, max_size=3), json_values),
    },
    optional={
        "reasoning_content": st.one_of(text, json_values),
        "refusal": st.one_of(st.none(), text, json_values),
    },
)
openai_body = st.fixed_dictionaries(
    {
        "id": text,
        "object": st.just("chat.completion"),
        "created": st.just(1),
        "model": st.one_of(text, json_values),
        "choices": mostly(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "index": st.just(0),
                        "message": mostly(openai_message, json_values),
                        "finish_reason": st.sampled_from(["stop", "tool_calls", "length", None, "odd"]),
                    }
                ),
                min_size=1,
                max_size=2,
            ),
            json_values,
        ),
    },
    optional={"usage": st.one_of(st.fixed_dictionaries({"prompt_tokens": numbers}), json_values)},
)
anthropic_block = st.one_of(
    st.fixed_dictionaries({"type": st.just("text"), "text": st.one_of(text, json_values)}),
    st.fixed_dictionaries({"type": st.just("thinking"), "thinking": st.one_of(text, json_values), "signature": text}),
    st.fixed_dictionaries({"type": st.just("redacted_thinking"), "data": text}),
    st.fixed_dictionaries(
        {"type": st.just("tool_use"), "id": ids, "name": names, "input": mostly(good_arguments, json_values)}
    ),
    st.fixed_dictionaries(
        {"type": st.just("tool_use"), "id": ids, "name": names, "input": mostly(good_arguments, json_values)}
    ),
    st.fixed_dictionaries({"type": text}),
    json_values,
)
anthropic_body = st.fixed_dictionaries(
    {
        "id": text,
        "type": st.just("message"),
        "role": st.just("assistant"),
        "model": st.one_of(text, json_values),
        "content": mostly(st.lists(anthropic_block, min_size=1, max_size=4), json_values),
        "stop_reason": st.sampled_from(["end_turn", "tool_use", "max_tokens", None, "odd"]),
        "usage": st.one_of(st.fixed_dictionaries({"input_tokens": numbers, "output_tokens": numbers}), json_values),
    }
)


def _parse(agent: OpenAIAgent | AnthropicAgent, response: Any) -> Action | None:
    """The reply as the agent reads it: an action, or None for a malformed reply (which is retried)."""
    messages, _ = agent._prepare(OPENING)
    try:
        parsed = agent.read_reply(response)
    except MalformedReply:
        event("a malformed reply")
        return None
    action = agent._finish(messages, parsed, 0.25, RetryLog()).action()
    event(f"an action with {len(action.calls)} call(s)" + (", repaired" if "repaired" in (action.record or {}) else ""))
    return action


@FIXTURES_OK
@given(body=openai_body)
def test_any_openai_reply_becomes_a_safe_action_or_a_malformed_reply(tiny, body):
    agent = _openai()
    action = _parse(agent, openai_construct(type_=ChatCompletion, value=body))
    if action is not None:
        _assert_safe(agent, action, tiny)


@FIXTURES_OK
@given(body=anthropic_body)
@example(  # found by the suite: the SDK's own JSON dump of the usage raised on the key
    body={
        "id": "",
        "type": "message",
        "role": "assistant",
        "model": "",
        "content": [{"type": "text", "text": "0"}],
        "stop_reason": "end_turn",
        "usage": {"\ud800": None},
    }
)
def test_any_anthropic_reply_becomes_a_safe_action_or_a_malformed_reply(tiny, body):
    agent = _anthropic()
    action = _parse(agent, anthropic_construct(type_=Message, value=body))
    if action is not None:
        _assert_safe(agent, action, tiny)


tag_names = st.one_of(st.sampled_from(["send_email", "list_inbox", "wait"]), text)
tagged = st.builds(
    lambda name, body, closed: f"<tool_use:{name}>{body}" + (f"</tool_use:{name}>" if closed else ""),
    tag_names,
    arguments_text,
    st.booleans(),
)
text_replies = st.lists(st.one_of(text, tagged), max_size=4).map("".join)


@FIXTURES_OK
@given(reply_text=text_replies, reasoning=st.one_of(st.none(), text))
def test_any_text_protocol_reply_becomes_a_safe_action(tiny, reply_text, reasoning):
    parsed = parse_tool_calls(reply_text)
    for found in parsed.calls:
        assert check_json({"name": found.name, "arguments": found.arguments}) is None
    agent = TextProtocolAgent(SimpleNamespace(name="fake", native_tools=False))  # type: ignore[arg-type]
    action = agent._action(ModelReply(text=reply_text, reasoning=reasoning, calls=(), record={"model": "fake"}))
    _assert_safe(None, action, tiny)


# -- a few through the loopback server ------------------------------------------------------------------------------

loopback_reply = st.builds(
    lambda words, calls: reply(words, *calls),
    st.one_of(st.none(), text),
    st.lists(
        st.builds(
            Call, st.sampled_from(["send_email", "list_inbox"]) | text, st.one_of(arguments_text, good_arguments)
        ),
        max_size=2,
    ),
)


@pytest.fixture(scope="module")
def loopback() -> Any:
    with FakeLLMServer() as server:
        yield server


@settings(FIXTURES_OK, max_examples=max(10, settings.default.max_examples // 10))
@given(scripted=loopback_reply, provider=st.sampled_from(["openai", "anthropic"]))
def test_replies_through_the_loopback_server_become_safe_actions(loopback, tiny, scripted, provider):
    agent = _openai(loopback.openai_url) if provider == "openai" else _anthropic(loopback.url)
    loopback.push(scripted)
    try:
        action = agent.act(OPENING)
    except AgentError:  # an empty reply is retried, and with no retries left, the episode ends as agent_error
        assert not scripted.text and not scripted.calls
        return
    _assert_safe(agent, action, tiny)
