"""SDK clients shared between agents, and requests sent without the SDKs' per-call parameter transform.

Creating a client loads the system's certificate store (some 20 ms of CPU), so thousands of episodes must not each
make their own: agents with the same settings share one client per event loop (an async client's connections
belong to the loop that opened them). And `create(**params)` walks every message and tool schema through the SDK's
type transform (some 6 ms per call with SummitBridge's tools); the request body insidergym builds is already plain
JSON, so it goes through the SDK's own `post` with the response type to parse into: the same HTTP, headers,
timeouts and errors.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["async_client", "request_body", "sync_client"]

_ASYNC: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()
_SYNC: dict[tuple[Any, ...], Any] = {}
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
