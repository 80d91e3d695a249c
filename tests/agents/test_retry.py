"""Retries: which failures are retried, how long the waits are, what is recorded, what is raised at the end."""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from insidergym._errors import AgentError
from insidergym.agents._retry import (
    MalformedReply,
    ModelCallError,
    ProviderErrors,
    Retrier,
    RetryPolicy,
    _retry_after,
)
from tests.agents.fake_llm_server import (
    ANTHROPIC_KEY,
    OPENAI_KEY,
    OPENING,
    drop,
    empty,
    malformed,
    reply,
    run_async,
    slow,
    status,
)

# -- the policy on its own -------------------------------------------------------------------------------------


def test_backoff_is_full_jitter_under_an_exponential_cap():
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0)
    rng = random.Random(0)
    for retry, cap in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 5.0), (8, 5.0)]:
        waits = [policy.backoff(retry, rng) for _ in range(200)]
        assert all(0.0 <= w <= cap for w in waits)
        assert max(waits) > cap * 0.8  # the whole range is used, not a fixed delay
        assert min(waits) < cap * 0.2


def test_the_same_seed_gives_the_same_waits():
    policy = RetryPolicy()
    first = [policy.backoff(n, rng) for rng in [random.Random(7)] for n in range(5)]
    again = [policy.backoff(n, rng) for rng in [random.Random(7)] for n in range(5)]
    other = [policy.backoff(n, rng) for rng in [random.Random(8)] for n in range(5)]
    assert first == again
    assert first != other


def test_a_negative_policy_is_refused():
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_headers_are_read(headers, expected):
    assert _retry_after(httpx2.Headers(headers)) == expected


def test_retry_after_as_an_http_date():
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (_retry_after(httpx2.Headers({"retry-after": when})) or 0) <= 31


class _Status(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(f"HTTP {code}")
        self.status_code = code
        self.response = None


class _Timeout(Exception):
    pass


class _Connection(Exception):
    pass


_ERRORS = ProviderErrors(_Status, _Timeout, _Connection, _Connection)


def test_the_retrier_retries_then_returns_with_its_log():
    waits: list[float] = []
    outcomes: list[object] = [_Status(503), _Timeout("slow"), MalformedReply("nothing"), "ok"]

    def attempt() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return str(outcome)

    retrier = Retrier(RetryPolicy(max_retries=3, base_delay=0.5), _ERRORS, who="t", sleep=waits.append, seed=1)
    result, log = retrier.run(attempt)

    assert result == "ok"
    assert log.reasons == ["server_error (HTTP 503)", "timeout", "malformed_reply"]
    assert log.waits == waits and len(waits) == 3
    assert all(0 <= w <= 0.5 * 2**i for i, w in enumerate(waits))


def test_the_retrier_lets_programming_errors_through():
    def attempt() -> str:
        raise KeyError("a bug")

    retrier = Retrier(RetryPolicy(), _ERRORS, who="t", sleep=lambda s: None)
    with pytest.raises(KeyError, match="a bug"):
        retrier.run(attempt)


def test_the_async_retrier_awaits_its_sleep():
    waits: list[float] = []
    outcomes: list[object] = [_Connection("reset"), "ok"]

    async def asleep(seconds: float) -> None:
        waits.append(seconds)

    async def attempt() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return str(outcome)

    retrier = Retrier(RetryPolicy(), _ERRORS, who="t", async_sleep=asleep, sleep=lambda s: pytest.fail("sync"))
    result, log = asyncio.run(retrier.arun(attempt))
    assert result == "ok" and log.reasons == ["connection_error"] and len(waits) == 1


# -- through the agents and the fake server ----------------------------------------------------------------------


@pytest.fixture(params=["act", "aact"])
def ask(request: pytest.FixtureRequest) -> Callable[[Any, Any], Any]:
    """One model turn through the blocking path (the SDK's client) or the async one (the lean transport)."""

    def ask(agent: Any, observation: Any) -> Any:
        return agent.act(observation) if request.param == "act" else run_async(agent.aact(observation))

    return ask


def test_429_waits_as_long_as_retry_after_says(ask, server, make_openai, naps):
    server.push(status(429, retry_after=7), reply("ok"))
    action = ask(make_openai(), OPENING)

    assert action.text == "ok"
    assert naps.waits == [7.0]
    assert action.record["retries"] == {"count": 1, "reasons": ["rate_limited (HTTP 429)"], "wait_seconds": [7.0]}


def test_retry_after_is_capped(ask, server, make_openai, naps):
    server.push(status(429, retry_after=3600), reply("ok"))
    ask(make_openai(retry_policy=RetryPolicy(max_retry_after=10.0)), OPENING)
    assert naps.waits == [10.0]


def test_anthropic_429_honours_retry_after_too(ask, server, make_anthropic, naps):
    server.push(status(429, retry_after=2), status(529), reply("ok"))
    action = ask(make_anthropic(), OPENING)

    assert naps.waits[0] == 2.0
    assert action.record["retries"]["reasons"] == ["rate_limited (HTTP 429)", "server_error (HTTP 529)"]


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (status(500), "server_error (HTTP 500)"),
        (status(503), "server_error (HTTP 503)"),
        (status(408), "client_error (HTTP 408)"),
        (malformed(), "malformed_reply"),
        (empty(), "malformed_reply"),
        (drop(), "connection_error"),
    ],
)
@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_transient_faults_are_retried_and_recorded(
    ask, server, make_openai, make_anthropic, naps, fault, reason, provider
):
    server.push(fault, reply("ok"))
    agent = make_openai() if provider == "openai" else make_anthropic()
    action = ask(agent, OPENING)

    assert action.text == "ok"
    assert len(server.requests) == 2
    assert action.record["retries"]["count"] == 1
    assert action.record["retries"]["reasons"] == [reason]
    assert len(naps.waits) == 1 and 0 <= naps.waits[0] <= 1.0


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_timeout_is_retried(ask, server, make_openai, make_anthropic, provider):
    server.push(slow(2.0), reply("ok"))
    agent = make_openai(timeout=0.3) if provider == "openai" else make_anthropic(timeout=0.3)
    started = time.monotonic()
    action = ask(agent, OPENING)

    assert time.monotonic() - started < 1.8  # gave up on the slow reply, did not wait for it
    assert action.text == "ok"
    assert action.record["retries"]["reasons"] == ["timeout"]


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422])
@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_client_errors_are_not_retried(ask, server, make_openai, make_anthropic, naps, code, provider):
    server.push(status(code, message="nope"), reply("never sent"))
    agent = make_openai() if provider == "openai" else make_anthropic()

    with pytest.raises(ModelCallError) as caught:
        ask(agent, OPENING)

    assert isinstance(caught.value, AgentError)
    assert len(server.requests) == 1
    assert naps.waits == []
    message = str(caught.value)
    assert agent.name in message and f"HTTP {code}" in message and "not retried" in message
    assert caught.value.failure.status_code == code
    assert OPENAI_KEY not in message and ANTHROPIC_KEY not in message


def test_a_401_hints_at_the_key(ask, server, make_openai):
    server.push(status(401))
    with pytest.raises(ModelCallError, match="check the API key \\(OPENAI_API_KEY\\)"):
        ask(make_openai(), OPENING)


def test_a_429_out_of_quota_is_not_retried(ask, server, make_openai, naps):
    server.push(status(429, error_code="insufficient_quota"), reply("never sent"))
    with pytest.raises(ModelCallError, match="quota_exhausted"):
        ask(make_openai(), OPENING)
    assert len(server.requests) == 1 and naps.waits == []


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_giving_up_after_max_retries_raises_agent_error(ask, server, make_openai, make_anthropic, naps, provider):
    server.push(status(500), status(502), status(503), reply("too late"))
    agent = make_openai(max_retries=2) if provider == "openai" else make_anthropic(max_retries=2)

    with pytest.raises(AgentError, match="failed 3 times, giving up after 2 retries") as caught:
        ask(agent, OPENING)

    assert len(server.requests) == 3  # the SDK itself retried nothing
    assert len(naps.waits) == 2
    assert "server_error (HTTP 503)" in str(caught.value)
    assert isinstance(caught.value, ModelCallError)
    assert caught.value.retries.reasons == ["server_error (HTTP 500)", "server_error (HTTP 502)"]


def test_max_retries_zero_means_one_attempt(ask, server, make_openai):
    server.push(status(500), reply("never sent"))
    with pytest.raises(ModelCallError, match="failed 1 times"):
        ask(make_openai(max_retries=0), OPENING)
    assert len(server.requests) == 1


def test_the_same_seed_gives_the_same_recorded_waits(ask, server, make_openai):
    waits = []
    for _ in range(2):
        server.push(status(500), status(500), reply("ok"))
        agent = make_openai()  # reset with seed=0
        waits.append(ask(agent, OPENING).record["retries"]["wait_seconds"])
    assert waits[0] == waits[1] and len(waits[0]) == 2


def test_aact_retries_with_the_async_sleep(ask, server, make_openai, naps):
    server.push(status(429, retry_after=3), reply("ok"))
    action = run_async(make_openai().aact(OPENING))
    assert naps.waits == [3.0]
    assert action.record["retries"]["count"] == 1
