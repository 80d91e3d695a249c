"""`model_agent`: spec strings to agents, and clear errors for the ones that cannot be read."""

from __future__ import annotations

import pytest

from insidergym.agents._anthropic import AnthropicAgent
from insidergym.agents._models import ModelSpecError, model_agent
from insidergym.agents._openai import OpenAIAgent
from insidergym.agents._protocol import Agent
from insidergym.agents._text_protocol import TextProtocolAgent


def test_openai_model():
    agent = model_agent("openai:gpt-4.1")
    assert isinstance(agent, OpenAIAgent) and isinstance(agent, Agent)
    assert agent.model == "gpt-4.1"
    assert agent.base_url is None
    assert agent.native_tools is True
    assert agent.name == "openai:gpt-4.1"


def test_anthropic_model_with_settings():
    agent = model_agent("anthropic:claude-sonnet-4-5", max_tokens=8000, thinking_budget=2048)
    assert isinstance(agent, AnthropicAgent)
    assert agent.model == "claude-sonnet-4-5"
    assert (agent.max_tokens, agent.thinking_budget) == (8000, 2048)


def test_base_url_after_at():
    agent = model_agent("openai:qwen3-8b@http://localhost:8000/v1", temperature=0.7)
    assert isinstance(agent, OpenAIAgent)
    assert agent.model == "qwen3-8b"
    assert agent.base_url == "http://localhost:8000/v1"
    assert agent.temperature == 0.7
    assert agent.name == "openai:qwen3-8b@http://localhost:8000/v1"


def test_model_names_may_hold_colons_and_slashes():
    agent = model_agent("openai:llama3.1:8b@http://127.0.0.1:11434/v1")
    assert agent.model == "llama3.1:8b"
    assert agent.base_url == "http://127.0.0.1:11434/v1"
    assert model_agent("openai:meta-llama/Llama-3.1-8B-Instruct").model == "meta-llama/Llama-3.1-8B-Instruct"


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_text_prefix_wraps_an_agent_without_native_tools(provider):
    agent = model_agent(f"text+{provider}:some-model@http://localhost:8000/v1", name="my-agent")
    assert isinstance(agent, TextProtocolAgent)
    assert agent.model.native_tools is False
    assert agent.model.base_url == "http://localhost:8000/v1"
    assert agent.name == "my-agent"
    assert model_agent(f"text+{provider}:m").name == f"text+{provider}:m"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "empty"),
        (" openai:gpt-4.1", "whitespace"),
        ("gpt-4.1", "no ':' between provider and model"),
        ("openai:", "no model name"),
        ("openai:gpt 4", "contains whitespace"),
        ("openai:gpt@localhost:8000", "expected a base URL starting with http:// or https://"),
        ("openai:gpt@ftp://host/v1", "expected a base URL"),
        ("text+:gpt", "unknown provider ''"),
        ("google:gemini", "unknown provider 'google'"),
    ],
)
def test_bad_specs_name_the_spec_and_the_valid_forms(spec, problem):
    with pytest.raises(ModelSpecError) as caught:
        model_agent(spec)
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert repr(spec) in message
    assert problem in message
    assert "Valid forms:" in message and "text+" in message and "@BASE_URL" in message


@pytest.mark.parametrize(
    ("spec", "nearest"),
    [
        ("opneai:gpt-4.1", "openai"),
        ("OpenAI:gpt-4.1", "openai"),
        ("antropic:claude", "anthropic"),
        ("text+anthropik:claude", "anthropic"),
    ],
)
def test_an_unknown_provider_suggests_the_nearest(spec, nearest):
    with pytest.raises(ModelSpecError, match=f"Did you mean '{nearest}'\\?"):
        model_agent(spec)


def test_an_unknown_setting_suggests_the_nearest():
    with pytest.raises(ModelSpecError, match=r"no setting 'temprature'\. Did you mean 'temperature'\?"):
        model_agent("openai:gpt-4.1", temprature=0.5)


def test_a_base_url_given_twice_is_refused():
    with pytest.raises(ModelSpecError, match="do not pass base_url as well"):
        model_agent("openai:m@http://localhost:8000/v1", base_url="http://other:8000/v1")


def test_text_protocol_with_native_tools_is_refused():
    with pytest.raises(ModelSpecError, match="native_tools=False"):
        model_agent("text+openai:m", native_tools=True)


def test_a_spec_that_is_not_a_string():
    with pytest.raises(ModelSpecError, match="must be a string"):
        model_agent(42)  # type: ignore[arg-type]
