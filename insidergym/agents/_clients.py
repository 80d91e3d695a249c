"""SDK clients shared between agents, and the lean path that async requests take.

Creating a client loads the system's certificate store (some 20 ms of CPU), so thousands of episodes must not each
make their own: agents with the same settings share one client per event loop (an async client's connections
belong to the loop that opened them). A runner's calls are async: they are posted as prepared JSON by
`HttpTransport` with the headers and base URL of the SDK's client, and the reply is read into the SDK's own
response type; where a proxy is configured, they go through the SDK. Blocking calls go through the SDK's `post`,
which skips its per-call parameter transform. The body is encoded once per call, reusing the JSON text of what
earlier calls of the episode sent (the tools, the system prompt, the conversation so far).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

import pydantic

from insidergym.agents._convert import ModelReply
from insidergym.agents._http import LEAN, HttpReply, HttpStatusError, HttpTransport, proxied
from insidergym.agents._retry import MalformedReply, Retrier, RetryLog
from insidergym.sim import Action, excerpt

__all__ = [
    "BodyEncoder",
    "ModelTurns",
    "async_client",
    "async_transport",
    "close_transports",
    "decode_reply",
    "request_body",
    "sync_client",
]

_ASYNC: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()
_TRANSPORTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[Any, ...], HttpTransport | None]] = (
    weakref.WeakKeyDictionary()
)
_SYNC: dict[tuple[Any, ...], Any] = {}
_ORIGINS: dict[tuple[Any, ...], tuple[str, dict[str, str]] | None] = {}
_LOCK = threading.Lock()


def _key(factory: Callable[..., Any], options: Mapping[str, Any]) -> tuple[Any, ...]:
    return (factory, *sorted((k, repr(v)) for k, v in options.items()))


def async_client(factory: Callable[..., Any], options: Mapping[str, Any]) -> Any:
    """The async client for these options in the running event loop, made once."""
    clients = _ASYNC.setdefault(asyncio.get_running_loop(), {})
    key = _key(factory, options)
    if key not in clients:
        clients[key] = factory(**options)
    return clients[key]


def async_transport(factory: Callable[..., Any], options: Mapping[str, Any]) -> HttpTransport | None:
    """The lean transport for these options in the running event loop, made once; None where the SDK must send
    (a proxy is configured for the URL, it is not plain HTTP or HTTPS, or aiohttp is not installed)."""
    if not LEAN:
        return None
    transports = _TRANSPORTS.setdefault(asyncio.get_running_loop(), {})
    key = _key(factory, options)
    if key not in transports:
        origin = _origin(key, factory, options)
        transports[key] = HttpTransport(*origin, options.get("timeout")) if origin is not None else None
    return transports[key]


async def close_transports() -> None:
    """Close the running event loop's transports and their connections: call it before the loop ends."""
    for transport in _TRANSPORTS.pop(asyncio.get_running_loop(), {}).values():
        if transport is not None:
            await transport.aclose()


def _origin(
    key: tuple[Any, ...], factory: Callable[..., Any], options: Mapping[str, Any]
) -> tuple[str, dict[str, str]] | None:
    """The base URL and headers the SDK's async client would send with, read once per process from a client made
    for the purpose (never used to send); None where the transport cannot send."""
    with _LOCK:
        if key not in _ORIGINS:
            client = factory(**options)
            base_url = str(client.base_url)
            headers = {k: v for k, v in {**client.default_headers, **client.auth_headers}.items() if isinstance(v, str)}
            usable = base_url.startswith(("http://", "https://")) and not proxied(base_url)
            _ORIGINS[key] = (base_url, headers) if usable else None
        return _ORIGINS[key]


def sync_client(factory: Callable[..., Any], options: Mapping[str, Any]) -> Any:
    """The sync client for these options, made once per process (sync clients are thread-safe)."""
    key = _key(factory, options)
    with _LOCK:
        if key not in _SYNC:
            _SYNC[key] = factory(**options)
        return _SYNC[key]


def request_body(request: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of a request built as `create` keyword arguments: `extra_body` merged in."""
    body = {k: v for k, v in request.items() if k != "extra_body"}
    body.update(request.get("extra_body") or {})
    return body


def decode_reply(response_type: Any, reply: HttpReply) -> Any:
    """A reply as the SDK's response type; raises `HttpStatusError` for an error status.

    A conforming reply is validated (fast); one that does not conform (a compatible server's extra or odd fields)
    is built leniently the SDK's way, field by field, as the SDK itself would, so that `_read` judges what came.
    Invalid JSON raises `json.JSONDecodeError` (a malformed reply, retried).
    """
    if reply.status >= 300:
        raise HttpStatusError(reply)
    try:
        return response_type.model_validate_json(reply.body)
    except pydantic.ValidationError:
        data = json.loads(reply.body)
        return response_type.construct(**data) if isinstance(data, dict) else data


class BodyEncoder:
    """Request bodies as JSON, reusing the text of the values earlier bodies of the episode held.

    A conversation only grows: each call re-sends the tools, the system prompt and every earlier message, so
    those are encoded once (by identity: the agents never change a message once made) and joined. `reset` forgets
    them at a new episode.
    """

    _STABLE = ("tools", "system")

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, str]] = {}

    def reset(self) -> None:
        self._memo = {}

    def encode(self, body: Mapping[str, Any]) -> bytes:
        parts = []
        for key, value in body.items():
            if key == "messages" and isinstance(value, list):
                text = "[" + ",".join(self._text(m) for m in value) + "]"
            elif key in self._STABLE:
                text = self._text(value)
            else:
                text = _dumps(value)
            parts.append(f"{_dumps(key)}:{text}")
        return ("{" + ",".join(parts) + "}").encode()

    def _text(self, value: Any) -> str:
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        text = _dumps(value)
        self._memo[id(value)] = (value, text)  # holding the value keeps its id from being reused
        return text


def _dumps(value: Any) -> str:
    # ASCII escapes: a lone surrogate in a model's text is sent as `\ud83d`, never fails to encode.
    return json.dumps(value, separators=(",", ":"))


# The SDK's JSON decoding of a reply refuses numbers of more than 4,300 digits (ValueError) and very deep nesting
# (RecursionError), and bytes that are not UTF-8 (UnicodeDecodeError).
_UNDECODABLE = (UnicodeDecodeError, RecursionError, ValueError)
# `_read` meets fields of the wrong type in a non-conforming server's reply, or text no encoder takes.
_UNREADABLE = (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError)


@contextlib.contextmanager
def _unreadable_reply(faults: tuple[type[Exception], ...], *, ours: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """A reply that arrived but cannot be read becomes a `MalformedReply` (retried), not a crash of the run.

    Args:
        faults: the exceptions that mean the reply could not be read.
        ours: exceptions among them that are not the reply's doing, raised as they are.
    """
    try:
        yield
    except faults as err:
        if isinstance(err, (MalformedReply, json.JSONDecodeError, *ours)):
            raise  # already a reply fault, classified as such; or not the reply's fault
        raise MalformedReply(f"the reply could not be read ({type(err).__name__}: {excerpt(str(err))})") from err


class ModelTurns:
    """What the model agents share: one model turn per step, through a shared client, with our retries.

    A subclass sets `_path` (the endpoint), `_sync_class` and `_async_class` (the SDK's client classes, by name),
    and in `__init__` `_sdk`, `_client_options`, `_retrier`, `_response_type` and `_history`; it builds requests in
    `_prepare`, reads replies in `_read` and extends the conversation in `_finish`, and calls `_encoder.reset()`
    in `reset`.
    """

    _path: ClassVar[str]
    _sync_class: ClassVar[str]
    _async_class: ClassVar[str]
    _sdk: Any
    _client: Any
    _client_options: dict[str, Any]
    _retrier: Retrier
    _response_type: Any
    _history: list[dict[str, Any]]
    _encoder: BodyEncoder

    @property
    def history(self) -> list[dict[str, Any]]:
        """The conversation so far, as sent to the API (a copy)."""
        return [dict(m) for m in self._history]

    def act(self, observation: Mapping[str, Any]) -> Action:
        """Send the new observation, return the model's next action."""
        return self.complete(observation).action()

    async def aact(self, observation: Mapping[str, Any]) -> Action:
        """`act` with the async client."""
        return (await self.acomplete(observation)).action()

    def complete(self, observation: Mapping[str, Any]) -> ModelReply:
        """One model turn for this observation, before it becomes an action."""
        messages, request = self._prepare(observation)
        client = self._sync_client()

        def attempt() -> tuple[Any, float]:
            start = time.perf_counter()
            # Encoding the request is ours: a request that cannot be sent is a bug, not a bad reply.
            with _unreadable_reply(_UNDECODABLE, ours=(UnicodeEncodeError,)):
                response = client.post(self._path, body=request_body(request), cast_to=self._response_type)
            return self.read_reply(response), time.perf_counter() - start

        (parsed, latency), log = self._retrier.run(attempt)
        return self._finish(messages, parsed, latency, log)

    async def acomplete(self, observation: Mapping[str, Any]) -> ModelReply:
        """`complete` with the async client."""
        messages, request = self._prepare(observation)
        transport = async_transport(getattr(self._sdk, self._async_class), self._client_options)
        if transport is None:
            client = self._async_client()

            async def attempt() -> tuple[Any, float]:
                start = time.perf_counter()
                # Encoding the request is ours: a request that cannot be sent is a bug, not a bad reply.
                with _unreadable_reply(_UNDECODABLE, ours=(UnicodeEncodeError,)):
                    response = await client.post(self._path, body=request_body(request), cast_to=self._response_type)
                return self.read_reply(response), time.perf_counter() - start

        else:
            lean = transport
            body = self._encoder.encode(request_body(request))

            async def attempt() -> tuple[Any, float]:
                start = time.perf_counter()
                reply = await lean.post(self._path, body)
                with _unreadable_reply(_UNDECODABLE):
                    response = decode_reply(self._response_type, reply)
                return self.read_reply(response), time.perf_counter() - start

        (parsed, latency), log = await self._retrier.arun(attempt)
        return self._finish(messages, parsed, latency, log)

    def read_reply(self, response: Any) -> dict[str, Any]:
        """The parts of a decoded reply the agent uses, checked; a reply it cannot use (no choices, fields of the
        wrong type from a non-conforming server) raises `MalformedReply`, which is retried."""
        with _unreadable_reply(_UNREADABLE):
            return self._read(response)

    def close(self) -> None:
        """Let go of the client (clients are shared between agents with the same settings and live on)."""
        self._client = None

    def _sync_client(self) -> Any:
        if self._client is None:
            self._client = sync_client(getattr(self._sdk, self._sync_class), self._client_options)
        return self._client

    def _async_client(self) -> Any:
        return async_client(getattr(self._sdk, self._async_class), self._client_options)

    def _prepare(self, observation: Mapping[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        raise NotImplementedError

    def _read(self, response: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _finish(
        self, messages: list[dict[str, Any]], parsed: dict[str, Any], latency: float, log: RetryLog
    ) -> ModelReply:
        raise NotImplementedError
