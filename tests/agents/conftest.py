"""Fixtures for the model agents: the fake LLM server, dummy keys, recorded retry waits, agents wired to them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from insidergym.agents._anthropic import AnthropicAgent
from insidergym.agents._openai import OpenAIAgent
from tests.agents.fake_llm_server import ANTHROPIC_KEY, OPENAI_KEY, SYSTEM, TOOLS, FakeLLMServer, Naps


@pytest.fixture(autouse=True)
def dummy_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy keys, and no provider settings leaking in from the developer's environment."""
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
    for name in (
        "OPENAI_BASE_URL",
        "OPENAI_ORG_ID",
        "OPENAI_PROJECT_ID",
        "ANTHROPIC_BASE_URL",
        "ANTHROPIC_AUTH_TOKEN",
        "ANTHROPIC_CUSTOM_HEADERS",
        "ANTHROPIC_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


@pytest.fixture
def naps() -> Naps:
    return Naps()


@pytest.fixture
def make_openai(server: FakeLLMServer, naps: Naps) -> Callable[..., OpenAIAgent]:
    """Build an OpenAIAgent on the fake server, reset with the test tools; settings override the defaults."""

    def make(**settings: Any) -> OpenAIAgent:
        options: dict[str, Any] = {"base_url": server.openai_url, "sleep": naps, "async_sleep": naps.asleep}
        agent = OpenAIAgent("gpt-test", **{**options, **settings})
        agent.reset(system_prompt=SYSTEM, tools=TOOLS, seed=0)
        return agent

    return make


@pytest.fixture
def make_anthropic(server: FakeLLMServer, naps: Naps) -> Callable[..., AnthropicAgent]:
    """Build an AnthropicAgent on the fake server, reset with the test tools; settings override the defaults."""

    def make(**settings: Any) -> AnthropicAgent:
        options: dict[str, Any] = {"base_url": server.url, "sleep": naps, "async_sleep": naps.asleep}
        agent = AnthropicAgent("claude-test", **{**options, **settings})
        agent.reset(system_prompt=SYSTEM, tools=TOOLS, seed=0)
        return agent

    return make
