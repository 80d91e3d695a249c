"""The lean transport of async model calls: what it sends, the replies it reads, and when the SDK sends instead."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Awaitable, Callable

import pytest

from insidergym.agents import _clients
from insidergym.agents._http import HttpConnectionError, HttpStatusError, HttpTimeout, HttpTransport, proxied
from tests.agents.fake_llm_server import OPENING, call, msg, obs, reply, run_async

# Headers that differ between the SDK's requests and the transport's on purpose: the SDK numbers its own retries
# and announces its timeouts; the transport's retries are the Retrier's.
_SDK_ONLY = {"x-stainless-retry-count", "x-stainless-read-timeout", "x-stainless-timeout", "content-length"}


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_async_calls_send_what_the_sdk_sends(server, make_openai, make_anthropic, provider, monkeypatch):
    make = make_openai if provider == "openai" else make_anthropic
    server.push(reply("ok"), reply("ok"))
    with monkeypatch.context() as patch:
        patch.setattr(_clients, "proxied", lambda url: True)  # the SDK's own async path
        run_async(make().aact(OPENING))
    run_async(make().aact(OPENING))

    through_sdk, lean = server.requests
    assert lean.path == through_sdk.path
    assert lean.body == through_sdk.body
    differs = {k for k in lean.headers.keys() ^ through_sdk.headers.keys()} | {
        k for k in lean.headers.keys() & through_sdk.headers.keys() if lean.headers[k] != through_sdk.headers[k]
    }
    assert differs <= _SDK_ONLY, differs


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_conversation_through_the_transport(server, make_openai, make_anthropic, provider):
    make = make_openai if provider == "openai" else make_anthropic
    server.push(reply("Looking.", call("list_inbox", id="c1")), reply("Done."))
    agent = make()

    async def episode() -> list[str | None]:
        first = await agent.aact(OPENING)
        second = await agent.aact(obs(msg("tool_result", "3 emails", name="list_inbox", call_id="c1")))
        return [first.text, second.text]

    assert run_async(episode()) == ["Looking.", "Done."]
    assert len(server.requests) == 2
    # One keep-alive connection served both calls.
    assert server.requests[0].headers["host"] == server.requests[1].headers["host"]


def test_a_proxy_sends_through_the_sdk(server, make_openai, monkeypatch):
    monkeypatch.setattr(_clients, "proxied", lambda url: True)
    server.push(reply("ok"))
    action = run_async(make_openai().aact(OPENING))
    assert action.text == "ok"
    assert "x-stainless-retry-count" in server.requests[0].headers  # the SDK's own request


def test_proxies_are_read_from_the_environment(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert not proxied("https://api.openai.com/v1")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    assert proxied("https://api.openai.com/v1")
    assert not proxied("http://localhost:8000/v1")
    monkeypatch.setenv("NO_PROXY", "api.openai.com")
    assert not proxied("https://api.openai.com/v1")


# -- replies of every shape, from a raw server -------------------------------------------------------------------

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
    )
    return await reader.readexactly(length)


def _with_server(handler: Handler, test: Callable[[HttpTransport], Awaitable[object]], timeout: float = 5.0) -> object:
    async def main() -> object:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        transport = HttpTransport(f"http://127.0.0.1:{port}/v1", {"authorization": "Bearer k"}, timeout)
        try:
            return await test(transport)
        finally:
            await transport.aclose()
            server.close()
            await server.wait_closed()

    return asyncio.run(main())


def test_chunked_and_gzip_replies_are_read():
    payload = json.dumps({"hello": "world" * 100}).encode()
    packed = gzip.compress(payload)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # an interim reply comes first, and is skipped
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ntransfer-encoding: chunked\r\n\r\n")
        for start in range(0, len(packed), 100):
            chunk = packed[start : start + 100]
            writer.write(f"{len(chunk):x};ext=1\r\n".encode() + chunk + b"\r\n")
        writer.write(b"0\r\nx-trailer: 1\r\n\r\n")
        await writer.drain()
        writer.close()

    async def test(transport: HttpTransport) -> object:
        got = await transport.post("/chat/completions", b"{}")
        return got.status, got.body

    assert _with_server(handler, test) == (200, payload)


def test_a_reply_that_runs_to_the_end_of_the_connection_is_read():
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"ok": true}')
        await writer.drain()
        writer.close()

    async def test(transport: HttpTransport) -> object:
        return (await transport.post("/x", b"{}")).body

    assert _with_server(handler, test) == b'{"ok": true}'


def test_a_kept_alive_connection_the_server_closed_is_replaced():
    served: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Answers one request per connection, then closes it without saying so (as idle servers do).
        served.append(await _read_request(reader))
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
        await writer.drain()
        writer.close()

    async def test(transport: HttpTransport) -> object:
        await transport.post("/x", b'{"n": 1}')
        await asyncio.sleep(0.05)  # the server's close arrives
        return (await transport.post("/x", b'{"n": 2}')).body

    assert _with_server(handler, test) == b"{}"
    assert served == [b'{"n": 1}', b'{"n": 2}']


def test_a_silent_server_times_out():
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        await asyncio.sleep(10)

    async def test(transport: HttpTransport) -> object:
        with pytest.raises(HttpTimeout, match=r"within 0\.2 s"):
            await transport.post("/x", b"{}")
        return True

    assert _with_server(handler, test, timeout=0.2)


def test_a_connection_cut_mid_reply_is_a_connection_error():
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"cut')
        await writer.drain()
        writer.close()

    async def test(transport: HttpTransport) -> object:
        with pytest.raises(HttpConnectionError, match=r"no readable reply.*content length"):
            await transport.post("/x", b"{}")
        return True

    assert _with_server(handler, test)


def test_not_http_is_a_connection_error():
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b"SSH-2.0-OpenSSH\r\n\r\n")
        await writer.drain()
        writer.close()

    async def test(transport: HttpTransport) -> object:
        with pytest.raises(HttpConnectionError, match="no readable reply"):
            await transport.post("/x", b"{}")
        return True

    assert _with_server(handler, test)


def test_nobody_listening_is_a_connection_error():
    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        transport = HttpTransport(f"http://127.0.0.1:{port}", {}, 5.0)
        with pytest.raises(HttpConnectionError, match="cannot connect"):
            await transport.post("/x", b"{}")
        await transport.aclose()

    asyncio.run(main())


def test_an_error_status_carries_what_the_retry_policy_reads():
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        body = json.dumps({"error": {"message": "slow down", "code": "rate_limit_exceeded"}}).encode()
        writer.write(b"HTTP/1.1 429 Too Many\r\nretry-after-ms: 1500\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()

    async def test(transport: HttpTransport) -> object:
        got = await transport.post("/x", b"{}")
        return HttpStatusError(got)

    error = _with_server(handler, test)
    assert isinstance(error, HttpStatusError)
    assert str(error) == "Error code: 429 - slow down"
    assert error.status_code == 429 and error.code == "rate_limit_exceeded"
    assert error.response.headers["retry-after-ms"] == "1500"


def test_a_header_with_a_line_break_is_refused():
    with pytest.raises(ValueError, match="line break"):
        HttpTransport("http://127.0.0.1:1", {"x-evil": "a\r\nx-injected: 1"}, 1.0)
    with pytest.raises(ValueError, match="http:// or https://"):
        HttpTransport("ftp://example.com", {}, 1.0)


def test_the_body_encoder_reuses_the_text_of_what_it_sent_before():
    encoder = _clients.BodyEncoder()
    tools = [{"name": "t"}]
    first = {"role": "user", "content": "a\ud83d"}  # a lone surrogate is escaped, never fails to encode
    body = {"model": "m", "tools": tools, "messages": [first]}
    assert json.loads(encoder.encode(body)) == body
    second = {"role": "assistant", "content": "b"}
    assert json.loads(encoder.encode({"model": "m", "tools": tools, "messages": [first, second]}))["messages"] == [
        first,
        second,
    ]
    assert id(first) in encoder._memo and id(tools) in encoder._memo
    encoder.reset()
    assert encoder._memo == {}
