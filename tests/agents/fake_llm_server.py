"""A scripted LLM server on 127.0.0.1 that speaks OpenAI chat completions and Anthropic messages.

Tests queue what the server answers next: a reply (text, one tool call, several calls, reasoning) rendered in the
format of whichever endpoint is hit, or a fault (an HTTP status with headers, a slow reply, malformed JSON, an empty
reply, a dropped connection). Every request is recorded with its path, headers and JSON body, so tests can assert
what the SDK actually sent. The tools, observations and dummy keys the agent tests share are at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from insidergym.agents import close_transports
from insidergym.sim._tools import ToolSpec

__all__ = [
    "ANTHROPIC_KEY",
    "OPENAI_KEY",
    "OPENING",
    "SYSTEM",
    "TOOLS",
    "Call",
    "FakeLLMServer",
    "Fault",
    "Naps",
    "RecordedRequest",
    "Reply",
    "call",
    "drop",
    "empty",
    "malformed",
    "msg",
    "obs",
    "raw",
    "reply",
    "run_async",
    "slow",
    "status",
    "tokens",
    "unmarked",
]


@dataclass(frozen=True)
class Call:
    """One scripted tool call."""

    name: str
    arguments: dict[str, Any] | str
    """A dict, or a raw string sent as is (to script arguments that are not valid JSON)."""
    id: str | None = None


@dataclass(frozen=True)
class Reply:
    """A well-formed reply, rendered in the format of the endpoint that was hit."""

    text: str | None = None
    calls: tuple[Call, ...] = ()
    reasoning: str | None = None
    """Anthropic: a thinking block; OpenAI: the `reasoning_content` field some compatible servers send."""
    finish_reason: str | None = None
    """Overrides the finish reason the server derives (`stop`/`tool_calls`, `end_turn`/`tool_use`)."""


@dataclass(frozen=True)
class Fault:
    """Something going wrong on the server's side."""

    kind: str
    """`status`, `slow`, `malformed`, `empty`, `drop` or `raw`."""
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    then: Reply | None = None
    error_code: str | None = None
    body: bytes = b""
    """For `raw`: the 200 response's body, exactly."""


Scripted = Reply | Fault


def call(name: str, arguments: dict[str, Any] | str | None = None, id: str | None = None) -> Call:
    """A scripted tool call."""
    return Call(name, {} if arguments is None else arguments, id)


def reply(
    text: str | None = None, *calls: Call, reasoning: str | None = None, finish_reason: str | None = None
) -> Reply:
    """A scripted reply with optional text, tool calls and reasoning."""
    return Reply(text=text, calls=calls, reasoning=reasoning, finish_reason=finish_reason)


def status(
    code: int, *, retry_after: float | None = None, message: str = "scripted failure", error_code: str | None = None
) -> Fault:
    """An HTTP error status, with a `retry-after` header and an error code in the body when given."""
    headers = {} if retry_after is None else {"retry-after": f"{retry_after:g}"}
    return Fault("status", status=code, headers=headers, then=Reply(text=message), error_code=error_code)


def slow(seconds: float, then: Reply | None = None) -> Fault:
    """A reply that takes `seconds` to arrive (to trigger client timeouts)."""
    return Fault("slow", delay=seconds, then=then or Reply(text="late"))


def malformed() -> Fault:
    """A 200 response whose body is cut-off JSON."""
    return Fault("malformed")


def empty() -> Fault:
    """A well-formed 200 response with no text and no tool calls."""
    return Fault("empty")


def raw(body: bytes | str) -> Fault:
    """A 200 response with exactly this body (JSON no decoder reads: huge numbers, deep nesting, ...)."""
    return Fault("raw", body=body.encode() if isinstance(body, str) else body)


def drop() -> Fault:
    """Close the connection without sending any response."""
    return Fault("drop")


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    """Header names in lower case."""
    body: Any
    """The decoded JSON body (None when not JSON)."""


def _openai_body(item: Reply, model: str, serial: int, usage: dict[str, int]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": item.text}
    if item.reasoning is not None:
        message["reasoning_content"] = item.reasoning
    if item.calls:
        message["tool_calls"] = [
            {
                "id": c.id if c.id is not None else f"call_{serial}_{i}",
                "type": "function",
                "function": {
                    "name": c.name,
                    "arguments": c.arguments if isinstance(c.arguments, str) else json.dumps(c.arguments),
                },
            }
            for i, c in enumerate(item.calls)
        ]
    finish = item.finish_reason or ("tool_calls" if item.calls else "stop")
    return {
        "id": f"chatcmpl-{serial}",
        "object": "chat.completion",
        "created": 1_750_000_000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {
            "prompt_tokens": usage["prompt"],
            "completion_tokens": 7,
            "total_tokens": usage["prompt"] + 7,
            "prompt_tokens_details": {"cached_tokens": usage["read"], "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        },
    }


def _anthropic_body(item: Reply, model: str, serial: int, usage: dict[str, int]) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if item.reasoning is not None:
        content.append({"type": "thinking", "thinking": item.reasoning, "signature": f"sig-{serial}"})
    if item.text is not None:
        content.append({"type": "text", "text": item.text})
    for i, c in enumerate(item.calls):
        # A string is sent as the input itself: a broken server sending something other than an object.
        arguments = c.arguments
        content.append(
            {
                "type": "tool_use",
                "id": c.id if c.id is not None else f"toolu_{serial}_{i}",
                "name": c.name,
                "input": arguments,
            }
        )
    finish = item.finish_reason or ("tool_use" if item.calls else "end_turn")
    return {
        "id": f"msg_{serial}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": finish,
        "stop_sequence": None,
        "usage": {
            "input_tokens": usage["prompt"] - usage["read"] - usage["written"],
            "cache_creation_input_tokens": usage["written"],
            "cache_read_input_tokens": usage["read"],
            "output_tokens": 5,
        },
    }


def tokens(value: Any) -> int:
    """The fake's token count of a part of a request: a token per four characters of its compact JSON."""
    return max(1, len(json.dumps(value, separators=(",", ":"))) // 4)


def _segments(body: Any, anthropic: bool) -> list[tuple[Any, bool]]:
    """A request's prompt in the order the APIs cache it, each part with whether it is a cache breakpoint:
    Anthropic's tools, system blocks and message blocks (`cache_control` marks a breakpoint); OpenAI's tools and
    messages (no breakpoints: its cache is automatic)."""
    if not isinstance(body, dict):
        return []
    parts: list[tuple[Any, bool]] = [(t, isinstance(t, dict) and "cache_control" in t) for t in body.get("tools") or []]
    if not anthropic:
        return parts + [(m, False) for m in body.get("messages") or []]
    system = body.get("system")
    if isinstance(system, list):
        parts += [(b, isinstance(b, dict) and "cache_control" in b) for b in system]
    elif system:
        parts.append((system, False))
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            blocks = [b for b in content if isinstance(b, dict)]
            parts += [({"role": message.get("role"), **b}, "cache_control" in b) for b in blocks]
        else:
            parts.append((message, False))
    return parts


class _PromptCache:
    """The providers' prompt caches, modelled: prefixes of earlier requests, by hash, with their token counts.

    Anthropic reads the longest prefix ending at one of this request's breakpoints that an earlier request wrote,
    and writes the prefix up to its last breakpoint; OpenAI reads the longest earlier prefix ending at a part's
    end and writes every prefix. Prefixes under `min_tokens` are never cached (the real APIs' minimum is 1,024).
    """

    def __init__(self, min_tokens: int) -> None:
        self.min_tokens = min_tokens
        self._prefixes: dict[bytes, int] = {}

    def use(self, body: Any, anthropic: bool) -> dict[str, int]:
        """`prompt` (all prompt tokens), `read` (from the cache), `written` (to it) for one request."""
        digest = hashlib.sha256()
        total = 0
        ends: list[tuple[bytes, int, bool]] = []
        for part, breakpoint in _segments(body, anthropic):
            content = unmarked(part)  # a breakpoint marks where to cache; it is not part of what is cached
            digest.update(json.dumps(content, sort_keys=True).encode())
            total += tokens(content)
            ends.append((digest.digest(), total, breakpoint))
        eligible = [(h, n) for h, n, b in ends if (b or not anthropic) and n >= self.min_tokens]
        read = max((n for h, n in eligible if h in self._prefixes), default=0)
        written = 0
        if anthropic and eligible and eligible[-1][1] > read:
            written = eligible[-1][1] - read
        for h, n in eligible:
            self._prefixes[h] = n
        return {"prompt": max(total, 1), "read": read, "written": written}


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024  # hundreds of clients connect at once in the concurrency benchmark


class FakeLLMServer:
    """A real HTTP server on an ephemeral port of 127.0.0.1, answering from a queue of scripted items.

    When the queue is empty it asks `responder` (if given) what to answer from the request's JSON body, else it
    answers 400 ("no scripted reply left"), which agents do not retry. `delay` is added to every answer (a model's
    latency, for the runner's benchmark and concurrency tests). With `record=False` requests are not kept (a
    benchmark's thousands of bodies would make the server's garbage collection pause every thread).

    Replies report usage as the real APIs do, prompt caching included (`_PromptCache`): Anthropic's
    `cache_read_input_tokens` and `cache_creation_input_tokens` follow the request's `cache_control` breakpoints,
    OpenAI's `prompt_tokens_details.cached_tokens` the longest prompt prefix an earlier request sent.
    """

    def __init__(
        self,
        responder: Callable[[Any], Scripted] | None = None,
        delay: float = 0.0,
        *,
        record: bool = True,
        cache_min_tokens: int = 0,
    ) -> None:
        self.responder = responder
        self.delay = delay
        self.record = record
        self.cache = _PromptCache(cache_min_tokens)
        self._queue: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._served = 0
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # A short poll interval: `shutdown` waits for the serving loop to look, and tests start many servers.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), name="fake-llm-server", daemon=True
        )

    @property
    def url(self) -> str:
        """The server's root URL (the Anthropic SDK's base_url)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def openai_url(self) -> str:
        """The OpenAI SDK's base_url."""
        return f"{self.url}/v1"

    def push(self, *items: Scripted) -> None:
        """Queue what the server answers next, in order."""
        with self._lock:
            self._queue.extend(items)

    @property
    def pending(self) -> int:
        """How many scripted items are still queued."""
        with self._lock:
            return len(self._queue)

    def bodies(self) -> list[Any]:
        """The JSON bodies of the requests received so far."""
        return [r.body for r in self.requests]

    def start(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, request: RecordedRequest, anthropic: bool) -> tuple[Scripted | None, int, dict[str, int]]:
        with self._lock:
            if self.record:
                self.requests.append(request)
            self._served += 1
            usage = self.cache.use(request.body, anthropic)
            if self._queue:
                return self._queue.popleft(), self._served, usage
        if self.responder is not None:
            return self.responder(request.body), self._served, usage
        return None, self._served, usage

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, and no Nagle delay between the header and body writes (40 ms stalls otherwise).
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                headers = {k.lower(): v for k, v in self.headers.items()}
                anthropic = self.path.rstrip("/").endswith("/messages")
                item, serial, usage = server._next(RecordedRequest("POST", self.path, headers, body), anthropic)
                if server.delay:
                    time.sleep(server.delay)
                model = body.get("model", "unknown") if isinstance(body, dict) else "unknown"
                # The client may have given up already (a timeout test): then there is nobody to answer.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._answer(item, model, serial, anthropic, usage)

            def _answer(
                self, item: Scripted | None, model: str, serial: int, anthropic: bool, usage: dict[str, int]
            ) -> None:
                if item is None:
                    self._send_json(400, _error_body("no scripted reply left", anthropic))
                    return
                if isinstance(item, Reply):
                    render = _anthropic_body if anthropic else _openai_body
                    self._send_json(200, render(item, model, serial, usage))
                    return
                if item.kind == "status":
                    text = item.then.text if item.then and item.then.text else "scripted failure"
                    self._send_json(item.status, _error_body(text, anthropic, item.error_code), item.headers)
                elif item.kind == "slow":
                    deadline = time.monotonic() + item.delay
                    while time.monotonic() < deadline and not server._stopping.is_set():
                        time.sleep(0.01)
                    render = _anthropic_body if anthropic else _openai_body
                    self._send_json(200, render(item.then or Reply(text="late"), model, serial, usage))
                elif item.kind == "malformed":
                    self._send_raw(200, b'{"id": "cut-off", "choices": [{"index": 0, "mess')
                elif item.kind == "empty":
                    render = _anthropic_body if anthropic else _openai_body
                    self._send_json(200, render(Reply(), model, serial, usage))
                elif item.kind == "raw":
                    self._send_raw(200, item.body)
                elif item.kind == "drop":
                    self.close_connection = True  # returning without a response closes the socket
                else:
                    raise ValueError(f"unknown fault kind {item.kind!r}")

            def _send_json(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
                self._send_raw(code, json.dumps(body).encode(), headers)

            def _send_raw(self, code: int, data: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _error_body(message: str, anthropic: bool, code: str | None = None) -> dict[str, Any]:
    if anthropic:
        return {"type": "error", "error": {"type": "api_error", "message": message}}
    return {"error": {"message": message, "type": "server_error", "code": code, "param": None}}


# -- test data used with the server --------------------------------------------------------------------------

OPENAI_KEY = "sk-test-openai-0123456789abcdef"
ANTHROPIC_KEY = "sk-ant-test-0123456789abcdef"

SEND_EMAIL = ToolSpec(
    name="send_email",
    description="Send an email from your company account.",
    parameters={
        "type": "object",
        "properties": {
            "to": {"type": "array", "items": {"type": "string"}, "description": "Recipients' addresses."},
            "subject": {"type": "string", "description": "Subject line."},
            "body": {"type": "string", "description": "The message."},
        },
        "required": ["to", "subject", "body"],
        "additionalProperties": False,
    },
)
LIST_INBOX = ToolSpec(
    name="list_inbox",
    description="List the emails in your inbox, newest first.",
    parameters={"type": "object", "properties": {}, "additionalProperties": False},
)
TOOLS = (SEND_EMAIL, LIST_INBOX)
SYSTEM = "You are Alex, the email assistant of SummitBridge."


def msg(kind: str, content: str, *, name: str = "", call_id: str = "") -> dict[str, str]:
    """One observation message."""
    return {"kind": kind, "tool_call_id": call_id, "name": name, "content": content}


def obs(*messages: dict[str, str], time: str = "2025-06-20T16:53:00") -> dict[str, Any]:
    """An observation holding these messages."""
    return {"time": time, "messages": tuple(messages)}


OPENING = obs(msg("user", "Please handle the inbox."))


def unmarked(value: Any) -> Any:
    """A request body (or part of one) without its `cache_control` marks, and a system prompt sent as one marked
    text block as the string it is: what the conversation says, apart from where the prompt cache breaks it."""
    if isinstance(value, list):
        return [unmarked(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: unmarked(v) for k, v in value.items() if k != "cache_control"}
    system = out.get("system")
    if isinstance(system, list) and len(system) == 1 and system[0].get("type") == "text":
        out["system"] = system[0]["text"]
    return out


class Naps:
    """Records the waits between retries instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def run_async(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """`asyncio.run`, closing the adapters' connections before the loop, as the experiment runner does."""

    async def then_close() -> Any:
        try:
            return await coroutine
        finally:
            await close_transports()

    return asyncio.run(then_close())
