"""Bounded retries of model API calls: exponential backoff with full jitter, honouring `retry-after`.

The SDK clients are built with `max_retries=0`, so this policy is the only one and every retry is recorded.
Retried: HTTP 408, 409, 429 and 5xx, timeouts, dropped connections, and replies that arrived but cannot be used
(cut-off JSON, no choices, nothing in them). Not retried: every other 4xx (400, 401, 403, 404, 422, ...) and a 429
that says the account is out of quota. When the calls give out, `ModelCallError` (an `AgentError`) is raised.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from insidergym._errors import AgentError
from insidergym.agents._http import HttpConnectionError, HttpStatusError, HttpTimeout

__all__ = [
    "Failure",
    "MalformedReply",
    "ModelCallError",
    "ProviderErrors",
    "Retrier",
    "RetryLog",
    "RetryPolicy",
    "classify",
]

T = TypeVar("T")

_RETRYABLE_4XX = {408, 409, 429}
_MAX_DETAIL = 500


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a failed model call.

    The wait before retry `n` (0-based) is drawn uniformly from `[0, min(max_delay, base_delay * 2**n)]` ("full
    jitter"), unless the server sent `retry-after`, which is honoured up to `max_retry_after` seconds.
    """

    max_retries: int = 4
    """Retries after the first attempt; 0 disables retrying."""
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 120.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0; got {self.max_retries!r}")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError(f"retry delays must be >= 0; got {self!r}")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The jittered wait before retry number `retry` (0-based)."""
        return rng.uniform(0.0, min(self.max_delay, self.base_delay * 2**retry))


class MalformedReply(Exception):
    """A reply that arrived but cannot be used: no choices, nothing in it, or fields missing."""


class ProviderErrors(NamedTuple):
    """The exception classes of one SDK that `classify` needs to tell failures apart."""

    status: type[BaseException]
    """Raised for an HTTP error status; carries `status_code` and `response`."""
    timeout: type[BaseException]
    connection: type[BaseException]
    base: type[BaseException]
    """The SDK's root exception: anything else under it is a failure that is not retried."""


@dataclass(frozen=True)
class Failure:
    """One failed attempt, classified."""

    reason: str
    """`rate_limited`, `server_error`, `timeout`, `connection_error`, `malformed_reply`, `client_error`,
    `quota_exhausted` or `sdk_error`."""
    detail: str
    retryable: bool
    status_code: int | None = None
    retry_after: float | None = None
    """Seconds the server asked to wait, from `retry-after-ms` or `retry-after`."""

    @property
    def label(self) -> str:
        """A short label such as `rate_limited (HTTP 429)`, as kept in the record."""
        return f"{self.reason} (HTTP {self.status_code})" if self.status_code is not None else self.reason

    def describe(self) -> str:
        return f"{self.label}: {self.detail}" if self.detail else self.label


def _retry_after(headers: Any) -> float | None:
    """Seconds to wait from `retry-after-ms` or `retry-after` (seconds or an HTTP date), if present and sane."""
    if headers is None:
        return None
    try:
        millis = headers.get("retry-after-ms")
        if millis is not None:
            return max(0.0, float(millis) / 1000)
        value = headers.get("retry-after")
    except (AttributeError, TypeError, ValueError):
        return None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    # A date is relative to the real clock: this is the API's clock, never the simulation's.
    return max(0.0, when.timestamp() - time.time())


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DETAIL else f"{text[:_MAX_DETAIL]}..."


def classify(exc: BaseException, errors: ProviderErrors) -> Failure | None:
    """Classify an exception raised by one attempt; None when it is not a model API failure (a bug: re-raise)."""
    if isinstance(exc, MalformedReply):
        return Failure("malformed_reply", _short(str(exc)), retryable=True)
    if isinstance(exc, json.JSONDecodeError):
        return Failure("malformed_reply", _short(f"the reply is not valid JSON: {exc}"), retryable=True)
    if isinstance(exc, (errors.status, HttpStatusError)):
        code = getattr(exc, "status_code", None)
        response = getattr(exc, "response", None)
        retry_after = _retry_after(getattr(response, "headers", None))
        detail = _short(str(exc))
        if not isinstance(code, int):
            return Failure("sdk_error", detail, retryable=False)
        if code == 429 and getattr(exc, "code", None) == "insufficient_quota":
            return Failure("quota_exhausted", detail, retryable=False, status_code=code)
        if code == 429:
            return Failure("rate_limited", detail, retryable=True, status_code=code, retry_after=retry_after)
        if code >= 500:
            return Failure("server_error", detail, retryable=True, status_code=code, retry_after=retry_after)
        if code in _RETRYABLE_4XX:
            return Failure("client_error", detail, retryable=True, status_code=code, retry_after=retry_after)
        return Failure("client_error", detail, retryable=False, status_code=code)
    if isinstance(exc, (errors.timeout, HttpTimeout)):
        return Failure("timeout", _short(str(exc)), retryable=True)
    if isinstance(exc, (errors.connection, HttpConnectionError)):
        cause = exc.__cause__ or exc.__context__
        detail = f"{exc} ({type(cause).__name__}: {cause})" if cause else str(exc)
        return Failure("connection_error", _short(detail), retryable=True)
    if isinstance(exc, errors.base):
        return Failure("sdk_error", _short(f"{type(exc).__name__}: {exc}"), retryable=False)
    return None


@dataclass
class RetryLog:
    """The retries one model call needed, for the record."""

    reasons: list[str] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reasons)

    def to_record(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "reasons": list(self.reasons),
            "wait_seconds": [round(w, 3) for w in self.waits],
        }


class ModelCallError(AgentError):
    """A model API call failed for good: a refusal that is not retried, or every retry used up."""

    def __init__(self, message: str, *, failure: Failure, retries: RetryLog) -> None:
        super().__init__(message)
        self.failure = failure
        """The last failure."""
        self.retries = retries
        """The retries made before giving up."""


_HINTS = {
    401: "check the API key ({key_env})",
    403: "check that the API key ({key_env}) may use this model",
    404: "check the model name and the base_url",
}


class Retrier:
    """Runs one model call under a `RetryPolicy`, sleeping between attempts with an injectable sleep.

    Args:
        policy: How often and how long to retry.
        errors: The SDK's exception classes.
        who: The agent's name, used in error messages.
        key_env: The environment variable holding the key, named in hints for 401 and 403.
        secrets: Strings never to show in an error message (the API key).
        sleep: Blocking sleep, `time.sleep` unless a test injects one.
        async_sleep: Awaitable sleep, `asyncio.sleep` unless a test injects one.
        seed: Seed of the jitter's generator; `reseed` sets it again at each episode.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        errors: ProviderErrors,
        *,
        who: str,
        key_env: str = "",
        secrets: Iterable[str] = (),
        sleep: Callable[[float], object] | None = None,
        async_sleep: Callable[[float], Awaitable[object]] | None = None,
        seed: int | None = None,
    ) -> None:
        self.policy = policy
        self.errors = errors
        self.who = who
        self.key_env = key_env
        self._secrets = tuple(s for s in secrets if s and len(s) >= 4)
        self._sleep = sleep or time.sleep
        self._async_sleep = async_sleep or asyncio.sleep
        self._rng = random.Random(seed)

    def reseed(self, seed: int | None) -> None:
        """Restart the jitter's generator (None: seeded from the OS)."""
        self._rng = random.Random(seed)

    def run(self, attempt: Callable[[], T]) -> tuple[T, RetryLog]:
        """Call `attempt` until it returns, retrying failures the policy allows."""
        log = RetryLog()
        while True:
            try:
                return attempt(), log
            except Exception as exc:
                wait = self._next_wait(exc, log)
            self._sleep(wait)

    async def arun(self, attempt: Callable[[], Awaitable[T]]) -> tuple[T, RetryLog]:
        """Await `attempt` until it returns, retrying failures the policy allows."""
        log = RetryLog()
        while True:
            try:
                return await attempt(), log
            except Exception as exc:
                wait = self._next_wait(exc, log)
            await self._async_sleep(wait)

    def _next_wait(self, exc: Exception, log: RetryLog) -> float:
        """Record a retryable failure and return the wait before the next attempt; raise when giving up."""
        failure = classify(exc, self.errors)
        if failure is None:
            raise exc
        if not failure.retryable:
            hint = _HINTS.get(failure.status_code or 0, "").format(key_env=self.key_env or "the API key")
            raise ModelCallError(
                self._redact(
                    f"{self.who}: the model API refused the request: {failure.describe()}"
                    + (f" ({hint})" if hint else "")
                    + "; not retried"
                    + (f" (after {log.count} retries: {', '.join(log.reasons)})" if log.count else "")
                ),
                failure=failure,
                retries=log,
            ) from exc
        if log.count >= self.policy.max_retries:
            raise ModelCallError(
                self._redact(
                    f"{self.who}: the model API failed {log.count + 1} times, giving up after "
                    f"{log.count} retries. Last error: {failure.describe()}"
                    + (f". Earlier: {', '.join(log.reasons)}" if log.count else "")
                ),
                failure=failure,
                retries=log,
            ) from exc
        if failure.retry_after is not None:
            wait = min(failure.retry_after, self.policy.max_retry_after)
        else:
            wait = self.policy.backoff(log.count, self._rng)
        log.reasons.append(failure.label)
        log.waits.append(wait)
        return wait

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text
