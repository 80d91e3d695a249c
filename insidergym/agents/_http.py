"""A lean HTTP/1.1 client for the model adapters' async requests: one POST of prepared JSON, one reply read whole.

The SDKs' async path (request options, httpx, httpcore's connection pool, anyio, pydantic's lenient model
construction) costs some 2 ms of CPU per call, which at a few hundred calls a second is most of what a runner can
do on one core. A model call needs much less: a POST with fixed headers, a JSON reply. This client keeps idle
keep-alive connections per origin (one pool per event loop: connections belong to the loop that opened them),
speaks plain HTTP or TLS, reads replies sized by `content-length`, chunked or closed, gzip or deflate, and gives
the status, headers and body back. Everything else stays with the SDK: the adapters take the headers and the base
URL from the SDK's client, and go through the SDK itself where a proxy is configured.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import urllib.parse
import urllib.request
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "HttpConnectionError",
    "HttpReply",
    "HttpStatusError",
    "HttpTimeout",
    "HttpTransport",
    "proxied",
]

_MAX_HEADER = 64 * 1024
_MAX_BODY = 256 * 1024 * 1024
"""A reply bigger than this is refused: no model reply comes near it."""
_MAX_IDLE = 1024
"""Idle connections kept per origin (a runner holds about as many as it has calls in flight)."""


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


class _Connection:
    __slots__ = ("reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    def usable(self) -> bool:
        return not self.writer.is_closing() and not self.reader.at_eof()

    def close(self) -> None:
        self.writer.close()


class HttpTransport:
    """POSTs to one origin, over keep-alive connections of the running event loop.

    Args:
        base_url: `http://` or `https://` URL the request paths are appended to.
        headers: Sent with every request (auth, version, user agent); `content-type`, `content-length`, `host`,
            `accept-encoding` and `connection` are set here.
        timeout: Seconds one request may take, from connecting to the reply's last byte.
    """

    def __init__(self, base_url: str, headers: Mapping[str, str], timeout: float | None) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an http:// or https:// URL; got {base_url!r}")
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.tls = parts.scheme == "https"
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self._ssl = _tls_context() if self.tls else None
        default_port = self.port == (443 if self.tls else 80)
        host = f"[{self.host}]" if ":" in self.host else self.host
        authority = host if default_port else f"{host}:{self.port}"
        skip = {"host", "content-type", "content-length", "accept-encoding", "connection", "transfer-encoding"}
        lines = [f"host: {authority}", "content-type: application/json", "accept-encoding: gzip, deflate"]
        lines.append("connection: keep-alive")
        lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in skip]
        for line in lines:
            if "\r" in line or "\n" in line:
                raise ValueError(f"a header holds a line break: {line.split(':', 1)[0]!r}")
        self._head = "\r\n".join(lines).encode("latin-1")
        self._idle: list[_Connection] = []

    async def post(self, path: str, body: bytes) -> HttpReply:
        """POST `body` (JSON) to `path`; the reply, whatever its status.

        Raises:
            HttpTimeout: no whole reply within the timeout.
            HttpConnectionError: no connection, a broken one, or a reply that is not readable HTTP.
        """
        start = (
            f"POST {self.prefix}{path} HTTP/1.1\r\n".encode("latin-1")
            + self._head
            + f"\r\ncontent-length: {len(body)}\r\n\r\n".encode("latin-1")
        )
        try:
            async with asyncio.timeout(self.timeout):
                return await self._exchange(start, body)
        except TimeoutError:
            raise HttpTimeout(f"no reply from {self.host}:{self.port} within {self.timeout} s") from None

    async def _exchange(self, start: bytes, body: bytes) -> HttpReply:
        while self._idle:
            connection = self._idle.pop()
            if not connection.usable():
                connection.close()
                continue
            try:
                return await self._send(connection, start, body, reused=True)
            except _Stale:
                connection.close()  # closed by the server while idle: the request never got there
        connection = await self._connect()
        try:
            return await self._send(connection, start, body, reused=False)
        except _Stale as err:
            raise HttpConnectionError(f"{self.host}:{self.port} closed the connection without replying") from err

    async def _connect(self) -> _Connection:
        try:
            reader, writer = await asyncio.open_connection(
                self.host, self.port, ssl=self._ssl, limit=_MAX_HEADER, server_hostname=self.host if self.tls else None
            )
        except (OSError, ssl.SSLError) as err:
            raise HttpConnectionError(f"cannot connect to {self.host}:{self.port}: {err}") from err
        return _Connection(reader, writer)

    async def _send(self, connection: _Connection, start: bytes, body: bytes, *, reused: bool) -> HttpReply:
        answered = False
        try:
            connection.writer.write(start + body)
            await connection.writer.drain()
            while True:
                head = await connection.reader.readuntil(b"\r\n\r\n")
                answered = True
                status, headers = _head(head)
                if status >= 200:
                    break  # 1xx: an interim reply, the real one follows
            content = await _body(connection.reader, headers, status)
        except asyncio.CancelledError:
            connection.close()  # half a request or reply on the wire: the connection cannot be reused
            raise
        except asyncio.IncompleteReadError as err:
            connection.close()
            if reused and not answered and not err.partial:
                raise _Stale from err
            raise HttpConnectionError(f"{self.host}:{self.port} closed the connection mid-reply") from err
        except (ConnectionError, BrokenPipeError) as err:
            connection.close()
            if reused and not answered:
                raise _Stale from err
            raise HttpConnectionError(f"connection to {self.host}:{self.port} broke: {err}") from err
        except (OSError, ssl.SSLError, asyncio.LimitOverrunError, ValueError) as err:
            connection.close()
            raise HttpConnectionError(f"unreadable reply from {self.host}:{self.port}: {err}") from err
        if "close" in headers.get("connection", "").lower() or len(self._idle) >= _MAX_IDLE:
            connection.close()
        else:
            self._idle.append(connection)
        encoding = headers.get("content-encoding", "identity").lower()
        if encoding in ("gzip", "deflate"):
            try:
                content = zlib.decompress(content, 47)  # 32 + 15: gzip or zlib header, detected
            except zlib.error as err:
                raise HttpConnectionError(f"a {encoding} reply that does not decompress: {err}") from err
        elif encoding != "identity":
            raise HttpConnectionError(f"a reply in content-encoding {encoding!r}, which was not asked for")
        return HttpReply(status, headers, content)

    def close(self) -> None:
        """Close the idle connections."""
        while self._idle:
            self._idle.pop().close()


class _Stale(Exception):
    """A kept-alive connection the server had closed: the request is sent again on a new one."""


def _head(raw: bytes) -> tuple[int, dict[str, str]]:
    lines = raw.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    code = rest[:3]
    if not version.startswith("HTTP/1.") or not code.isdigit():
        raise ValueError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"a header line without ':': {line[:80]!r}")
        name, value = name.strip().lower(), value.strip()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return int(code), headers


async def _body(reader: asyncio.StreamReader, headers: dict[str, str], status: int) -> bytes:
    if status in (204, 304):
        return b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks: list[bytes] = []
        size = 0
        while True:
            line = await reader.readuntil(b"\r\n")
            length = int(line.split(b";", 1)[0].strip(), 16)
            if length == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return b"".join(chunks)
            size += length
            if size > _MAX_BODY:
                raise ValueError(f"a reply over {_MAX_BODY} bytes")
            chunks.append(await reader.readexactly(length))
            await reader.readexactly(2)
    if "content-length" in headers:
        length = int(headers["content-length"])
        if not 0 <= length <= _MAX_BODY:
            raise ValueError(f"content-length {length}")
        return await reader.readexactly(length)
    headers["connection"] = "close"  # the body runs to the end of the connection
    content = await reader.read(-1)
    if len(content) > _MAX_BODY:
        raise ValueError(f"a reply over {_MAX_BODY} bytes")
    return content
