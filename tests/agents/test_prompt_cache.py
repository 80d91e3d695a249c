"""Prompt caching: Anthropic's `cache_control` breakpoints as the server sees them, and cached tokens read from the
usage of both APIs (the loopback server models the providers' caches)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agents.fake_llm_server import OPENING, call, msg, obs, reply, run_async, tokens, unmarked

EPHEMERAL = {"type": "ephemeral"}


def _marks(body: dict[str, Any]) -> list[str]:
    """Where a request's cache breakpoints are: `tools[i]`, `system[i]`, `messages[i][j]`."""
    found = [f"tools[{i}]" for i, t in enumerate(body.get("tools") or []) if "cache_control" in t]
    system = body.get("system")
    if isinstance(system, list):
        found += [f"system[{i}]" for i, b in enumerate(system) if "cache_control" in b]
    for i, message in enumerate(body["messages"]):
        if isinstance(message["content"], list):
            found += [f"messages[{i}][{j}]" for j, b in enumerate(message["content"]) if "cache_control" in b]
    return found


def _three_turns(agent: Any, run: str) -> list[dict[str, Any]]:
    observations = [
        OPENING,
        obs(msg("tool_result", "3 emails", name="list_inbox", call_id="c1")),
        obs(msg("tool_result", "The email.", name="list_inbox", call_id="c2"), msg("notification", "New mail.")),
    ]
    if run == "act":
        return [agent.act(o).record for o in observations]

    async def episode() -> list[dict[str, Any]]:
        return [(await agent.aact(o)).record for o in observations]

    return run_async(episode())


@pytest.fixture(params=["act", "aact"])
def run(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_anthropic_marks_the_stable_prefix_and_the_last_two_user_turns(server, make_anthropic, run):
    server.push(reply(None, call("list_inbox", id="c1")), reply(None, call("list_inbox", id="c2")), reply("Done."))
    agent = make_anthropic()
    _three_turns(agent, run)

    first, second, third = (r.body for r in server.requests)
    assert first["system"][0]["cache_control"] == EPHEMERAL
    assert first["tools"][-1]["cache_control"] == EPHEMERAL
    assert _marks(first) == ["tools[1]", "system[0]", "messages[0][0]"]
    assert _marks(second) == ["tools[1]", "system[0]", "messages[0][0]", "messages[2][0]"]
    # The third call marks its own turn and the one before; the opening turn is no longer marked.
    assert _marks(third) == ["tools[1]", "system[0]", "messages[2][0]", "messages[4][1]"]
    assert len(_marks(third)) <= 4  # the API's limit
    # The conversation kept by the agent carries no marks: they are placed anew on each request.
    assert all("cache_control" not in str(m) for m in agent.history)
    assert unmarked(third)["messages"][:4] == unmarked(second)["messages"] + [third["messages"][3]]


def test_anthropic_calls_read_what_the_call_before_wrote(server, make_anthropic, run):
    server.push(reply(None, call("list_inbox", id="c1")), reply(None, call("list_inbox", id="c2")), reply("Done."))
    first, second, third = _three_turns(make_anthropic(), run)

    # The first call writes everything up to its turn; nothing was there to read.
    assert first["usage"]["cached_input_tokens"] == 0
    assert first["usage"]["cache_write_tokens"] == first["usage"]["input_tokens"]
    # Each later call reads exactly what the call before wrote, and writes only what is new.
    for before, now in ((first, second), (second, third)):
        written_before = before["usage"]["cache_write_tokens"] + before["usage"]["cached_input_tokens"]
        assert now["usage"]["cached_input_tokens"] == written_before
        assert now["usage"]["cache_write_tokens"] == now["usage"]["input_tokens"] - written_before
        assert now["usage"]["raw"]["cache_read_input_tokens"] == written_before


def test_anthropic_caching_can_be_turned_off(server, make_anthropic, run):
    server.push(reply(None, call("list_inbox", id="c1")), reply(None, call("list_inbox", id="c2")), reply("Done."))
    agent = make_anthropic(prompt_cache=False)
    records = _three_turns(agent, run)

    for request in server.requests:
        assert _marks(request.body) == []
        assert isinstance(request.body["system"], str)
    assert all(r["usage"]["cached_input_tokens"] == 0 and r["usage"]["cache_write_tokens"] == 0 for r in records)
    assert records[0]["settings"]["prompt_cache"] is False


def test_openai_cached_tokens_are_read_from_usage(server, make_openai, run):
    server.push(reply(None, call("list_inbox", id="c1")), reply(None, call("list_inbox", id="c2")), reply("Done."))
    first, second, third = _three_turns(make_openai(), run)

    assert first["usage"]["cached_input_tokens"] == 0
    # OpenAI caches on its own: the second request starts with the whole first one (tools and messages).
    prefix = server.requests[0].body
    expected = sum(tokens(t) for t in prefix["tools"]) + sum(tokens(m) for m in prefix["messages"])
    assert second["usage"]["cached_input_tokens"] == expected
    assert second["usage"]["raw"]["prompt_tokens_details"]["cached_tokens"] == expected
    assert third["usage"]["cached_input_tokens"] > expected
    assert all(r["usage"]["cache_write_tokens"] == 0 for r in (first, second, third))


def test_usage_without_counts_is_recorded_as_unknown(server, make_openai):
    server.push(reply("ok"))
    record = make_openai().act(OPENING).record
    assert set(record["usage"]) == {"input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "raw"}
