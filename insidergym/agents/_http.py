"""The model adapters' async requests: one POST of prepared JSON, one reply read whole, over aiohttp.

The SDKs' async path (request options, httpx, httpcore's connection pool, anyio, pydantic's lenient model
construction) costs some 2 ms of CPU per call, which at a few hundred calls a second is most of what a runner can
do on one core. A model call needs much less: a POST with fixed headers, a JSON reply. aiohttp does that for some
0.3 ms, over keep-alive connections (one session per event loop: connections belong to the loop that opened them).
Everything else stays with the SDK: the adapters take the headers and the base URL from the SDK's client, and go
through the SDK itself where a proxy is configured or aiohttp is not installed.
"""

from __future__ import annotations

import json
import ssl
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

try:
    import aiohttp
except ImportError:  # the `openai` and `anthropic` extras install it; without it the SDKs send every request
    LEAN = False
else:
    LEAN = True

__all__ = [
    "LEAN",
    "HttpConnectionError",
    "HttpReply",
    "HttpStatusError",
    "HttpTimeout",
    "HttpTransport",
    "proxied",
]

_MAX_BODY = 256 * 1024 * 1024
"""A reply bigger than this is refused: no model reply comes near it."""


class HttpTimeout(Exception):
    """The reply did not arrive within the timeout."""


class HttpConnectionError(Exception):
    """The connection could not be made, or broke, or the reply was not HTTP this client can read."""


class HttpStatusError(Exception):
    """The server answered with an error status (3xx, 4xx, 5xx).

    Its text is the SDKs' (`Error code: 429 - <the error's message>`); `status_code`, `response.headers`, `body`
    (the decoded JSON, or the text) and `code` (the error's code, e.g. `insufficient_quota`) are what the
    retry policy reads.
    """

    def __init__(self, reply: HttpReply) -> None:
        self.status_code = reply.status
        self.response = reply
        text = reply.body.decode("utf-8", "replace").strip()
        try:
            body: Any = json.loads(text)
        except ValueError:
            body = text
        self.body = body
        error = body.get("error", body) if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        code = error.get("code") if isinstance(error, dict) else None
        self.code = code if isinstance(code, str) else None
        said = f" - {message}" if isinstance(message, str) and message else ""
        super().__init__(f"Error code: {reply.status}{said}")


@dataclass(frozen=True)
class HttpReply:
    """A whole reply."""

    status: int
    headers: dict[str, str]
    """Header names in lower case; a repeated header's values joined with `, `."""
    body: bytes


def proxied(url: str) -> bool:
    """Whether the environment routes requests to this URL through a proxy (then the SDK, which speaks to proxies,
    sends them)."""
    parts = urllib.parse.urlsplit(url)
    proxies = urllib.request.getproxies()
    if not (proxies.get(parts.scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(parts.hostname or "")


_TLS: list[ssl.SSLContext] = []


def _tls_context() -> ssl.SSLContext:
    """The system's certificates, loaded once per process (some 20 ms of CPU): a context serves every loop."""
    if not _TLS:
        _TLS.append(ssl.create_default_context())
    return _TLS[0]


class HttpTransport:
    """POSTs to one origin, over the keep-alive connections of one aiohttp session in the running event loop.

    Args:
        base_url: `http://` or `https://` URL the request paths are appended to.
        headers: Sent with every request (auth, version, user agent); `content-type` and the framing headers are
            set here, whatever the case of the names given.
        timeout: Seconds one request may take, from connecting to the reply's last byte.
    """

    def __init__(self, base_url: str, headers: Mapping[str, str], timeout: float | None) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an http:// or https:// URL; got {base_url!r}")
        for name, value in headers.items():
            if any(c in f"{name}{value}" for c in "\r\n"):
                raise ValueError(f"a header holds a line break: {name!r}")
        self.origin = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        own = {"host", "content-type", "content-length", "transfer-encoding", "connection"}
        self._headers = {k: v for k, v in headers.items() if k.lower() not in own}
        self._headers["content-type"] = "application/json"
        self._tls = _tls_context() if parts.scheme == "https" else None
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0, ssl=self._tls if self._tls is not None else True),
                headers=self._headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            )
        return self._session

    async def post(self, path: str, body: bytes) -> HttpReply:
        """POST `body` (JSON) to `path`; the reply, whatever its status.

        Raises:
            HttpTimeout: no whole reply within the timeout.
            HttpConnectionError: no connection, a broken one, or a reply that is not readable HTTP.
        """
        try:
            async with self._open().post(self.base_url + path, data=body, allow_redirects=False) as response:
                if (response.content_length or 0) > _MAX_BODY:
                    raise HttpConnectionError(f"a reply of {response.content_length} bytes from {self.origin}")
                content = await response.read()
        except TimeoutError:
            raise HttpTimeout(f"no reply from {self.origin} within {self.timeout} s") from None
        except aiohttp.ClientConnectorError as err:
            raise HttpConnectionError(f"cannot connect to {self.origin}: {err.os_error}") from err
        except aiohttp.ClientError as err:
            raise HttpConnectionError(f"no readable reply from {self.origin}: {err}") from err
        headers: dict[str, str] = {}
        for name, value in response.headers.items():
            name = name.lower()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return HttpReply(response.status, headers, content)

    async def aclose(self) -> None:
        """Close the session and its connections (before the event loop closes)."""
        if self._session is not None:
            await self._session.close()
            self._session = None
