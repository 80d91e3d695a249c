"""A model agent over the Anthropic Messages API, with native tool use and optional extended thinking."""

from __future__ import annotations

import importlib
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

from insidergym._errors import AgentError
from insidergym.agents._clients import BodyEncoder, ModelTurns
from insidergym.agents._convert import (
    ModelReply,
    PendingCall,
    anthropic_user_turn,
    plain,
    public_url,
    read_arguments,
    read_id,
    read_name,
    safe_reply,
)
from insidergym.agents._prices import usage_record
from insidergym.agents._retry import MalformedReply, ProviderErrors, Retrier, RetryLog, RetryPolicy
from insidergym.sim import ToolCall, ToolSpec, excerpt, export_tools

__all__ = ["AnthropicAgent"]

KEY_ENV = "ANTHROPIC_API_KEY"
TOKEN_ENV = "ANTHROPIC_AUTH_TOKEN"
NO_KEY = "not-needed"
"""The key sent to a base_url server when none is set."""

MIN_THINKING_BUDGET = 1024

# Stop reasons that explain an empty reply: it is data (a refusal, a cut-off), not a fault to retry.
_EXPLAINED = {"max_tokens", "refusal", "model_context_window_exceeded", "pause_turn"}


CACHE_POINT: dict[str, str] = {"type": "ephemeral"}
"""The `cache_control` of a prompt-cache breakpoint (five minutes, refreshed by every hit)."""


def _usage(usage: Any) -> dict[str, Any]:
    """The usage record: the API counts uncached, cache-read and cache-written prompt tokens apart; the record's
    `input_tokens` is all three together, as OpenAI counts them."""
    uncached = getattr(usage, "input_tokens", None)
    read = getattr(usage, "cache_read_input_tokens", None) or 0
    written = getattr(usage, "cache_creation_input_tokens", None) or 0
    counts = [n for n in (uncached, read, written) if isinstance(n, int)]
    return usage_record(
        input_tokens=sum(counts) if isinstance(uncached, int) else None,
        cached_input_tokens=read,
        cache_write_tokens=written,
        output_tokens=getattr(usage, "output_tokens", None),
        raw=plain(usage),
    )


def _cached_last_block(message: dict[str, Any]) -> dict[str, Any]:
    """A copy of a message whose last content block is a cache breakpoint (the history keeps the original)."""
    content = message["content"]
    if isinstance(content, str):
        blocks: list[Any] = [{"type": "text", "text": content, "cache_control": CACHE_POINT}]
    else:
        blocks = [*content[:-1], {**content[-1], "cache_control": CACHE_POINT}]
    return {**message, "content": blocks}


def import_anthropic() -> ModuleType:
    """The `anthropic` SDK, or an ImportError saying how to install it."""
    try:
        import anthropic
    except ImportError as err:
        raise ImportError(
            "AnthropicAgent needs the official anthropic SDK, which is not installed: "
            "pip install 'insidergym[anthropic]'"
        ) from err
    return anthropic


class AnthropicAgent(ModelTurns):
    """An agent whose every step is one Anthropic Messages call with native tool use.

    Keeps the conversation itself, including thinking blocks with their signatures (the API needs them back when
    tools are used). Each `act` returns the reply's `tool_use` blocks as tool calls; the thinking, inside
    `<thinking>` tags, and the text become `Action.text`, and both are kept in `Action.record` (never the key).
    Failed calls are retried under `RetryPolicy`; when they give out, `ModelCallError` (an `AgentError`) is
    raised and the conversation is left as it was.

    Args:
        model: The model name, e.g. `claude-sonnet-4-5`.
        base_url: Another server speaking the Messages API; None for Anthropic (or `ANTHROPIC_BASE_URL`).
        api_key: The key; by default `ANTHROPIC_API_KEY` (then `ANTHROPIC_AUTH_TOKEN` as a bearer token, then a
            placeholder when a base_url is given). Never recorded.
        temperature: Sampling temperature; None leaves the API's default. Not allowed with thinking.
        max_tokens: Longest reply, thinking included.
        thinking_budget: Enables extended thinking with this many tokens (at least 1024, below max_tokens).
        system_prompt_suffix: Text appended to the environment's system prompt.
        max_retries: Retries of a failed call (the SDK's own retrying is off).
        timeout: Seconds before one attempt times out.
        native_tools: Send the tools to the API; False for models driven by `TextProtocolAgent`.
        show_time: Tell the model the simulated time at each step.
        extra_body: Further request fields (e.g. `{"output_config": {"effort": "low"}}`).
        prompt_cache: Mark cache breakpoints (`cache_control`) on the stable prefix (the last tool, the system
            prompt) and on the last two user turns, so that each call reads the conversation so far from
            Anthropic's prompt cache instead of paying for it again; False sends no `cache_control`.
        retry_policy: Full retry settings; overrides `max_retries`.
        sleep: Blocking sleep between retries (tests inject a recorder).
        async_sleep: Awaitable sleep between retries in `aact`.
        name: The agent's name in traces; by default `anthropic:MODEL` (with `@base_url`).
    """

    provider = "anthropic"

    _path = "/v1/messages"
    _sync_class = "Anthropic"
    _async_class = "AsyncAnthropic"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        temperature: float | None = None,
        max_tokens: int = 4096,
        thinking_budget: int | None = None,
        system_prompt_suffix: str = "",
        max_retries: int = 4,
        timeout: float = 60.0,
        native_tools: bool = True,
        show_time: bool = False,
        extra_body: Mapping[str, Any] | None = None,
        prompt_cache: bool = True,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], object] | None = None,
        async_sleep: Callable[[float], Awaitable[object]] | None = None,
        name: str | None = None,
    ) -> None:
        if not model or not model.strip():
            raise ValueError("model must be a non-empty model name, e.g. 'claude-sonnet-4-5'")
        if max_tokens < 1:
            raise ValueError(f"max_tokens must be at least 1; got {max_tokens!r}")
        if thinking_budget is not None:
            if not MIN_THINKING_BUDGET <= thinking_budget < max_tokens:
                raise ValueError(
                    f"thinking_budget must be at least {MIN_THINKING_BUDGET} and below max_tokens "
                    f"({max_tokens}); got {thinking_budget!r}"
                )
            if temperature is not None and temperature != 1:
                raise ValueError(f"temperature cannot be set with thinking (the API refuses it); got {temperature!r}")
        self._sdk = import_anthropic()
        credentials: dict[str, str]
        key = api_key or os.environ.get(KEY_ENV)
        token = os.environ.get(TOKEN_ENV)
        if key:
            credentials = {"api_key": key}
        elif token:
            credentials = {"auth_token": token}
        elif base_url:
            credentials = {"api_key": NO_KEY}
        else:
            raise AgentError(f"{KEY_ENV} is not set: export it, or give base_url for a server that needs no key")
        self.model = model
        self.base_url = base_url
        self.name = name or f"anthropic:{model}" + (f"@{public_url(base_url)}" if base_url else "")
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.thinking_budget = thinking_budget
        self.system_prompt_suffix = system_prompt_suffix
        self.timeout = timeout
        self.native_tools = native_tools
        self.show_time = show_time
        self.extra_body = dict(extra_body or {})
        self.prompt_cache = prompt_cache
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries)
        sdk = self._sdk
        self._retrier = Retrier(
            self.retry_policy,
            ProviderErrors(sdk.APIStatusError, sdk.APITimeoutError, sdk.APIConnectionError, sdk.AnthropicError),
            who=self.name,
            key_env=KEY_ENV,
            secrets=tuple(credentials.values()),
            sleep=sleep,
            async_sleep=async_sleep,
        )
        # Explicit credentials also keep the SDK from reading profiles or federation settings from disk.
        self._client_options: dict[str, Any] = {
            **credentials,
            "base_url": base_url,
            "max_retries": 0,  # retries are ours, so that each one is recorded
            "timeout": timeout,
        }
        self._client: Any = None
        self._response_type: Any = importlib.import_module("anthropic.types").Message
        self._system = ""
        self._tools: list[dict[str, Any]] = []
        self._sent_system: str | list[dict[str, Any]] = ""
        self._sent_tools: list[dict[str, Any]] = []
        self._history: list[dict[str, Any]] = []
        self._encoder = BodyEncoder()
        self._pending: list[PendingCall] = []
        self._notes: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"AnthropicAgent({self.model!r}, name={self.name!r})"

    @property
    def settings(self) -> dict[str, Any]:
        """The settings that shape the model's replies, as recorded with every call."""
        return {
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "thinking_budget": self.thinking_budget,
            "system_prompt_suffix": self.system_prompt_suffix,
            "native_tools": self.native_tools,
            "show_time": self.show_time,
            "timeout": self.timeout,
            "max_retries": self.retry_policy.max_retries,
            "extra_body": dict(self.extra_body),
            "prompt_cache": self.prompt_cache,
        }

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None:
        """Start a new conversation with this system prompt and these tools; `seed` seeds the retry jitter."""
        self._system = system_prompt + self.system_prompt_suffix
        self._tools = export_tools(tools, "anthropic") if self.native_tools else []
        # The stable prefix as sent, made once per episode so that its JSON text is encoded once.
        self._sent_system = self._system
        self._sent_tools = self._tools
        if self.prompt_cache:
            if self._system:
                self._sent_system = [{"type": "text", "text": self._system, "cache_control": CACHE_POINT}]
            if self._tools:
                self._sent_tools = [*self._tools[:-1], {**self._tools[-1], "cache_control": CACHE_POINT}]
        self._history, self._pending, self._notes = [], [], {}
        self._retrier.reseed(seed)
        self._encoder.reset()

    def _prepare(self, observation: Mapping[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        turn = anthropic_user_turn(observation, pending=self._pending, notes=self._notes, show_time=self.show_time)
        messages = [*self._history, turn]
        sent = messages
        if self.prompt_cache:
            # Breakpoints on the last two user turns: this call writes the conversation up to its new turn to the
            # cache and reads what the call before wrote up to the one before (the API takes four breakpoints).
            sent = list(messages)
            users = [i for i, m in enumerate(messages) if m.get("role") == "user" and m.get("content")]
            for index in users[-2:]:
                sent[index] = _cached_last_block(messages[index])
        request: dict[str, Any] = {"model": self.model, "max_tokens": self.max_tokens, "messages": sent}
        if self._system:
            request["system"] = self._sent_system
        if self._tools:
            request["tools"] = self._sent_tools
        if self.thinking_budget is not None:
            request["thinking"] = {"type": "enabled", "budget_tokens": self.thinking_budget}
        extra = dict(self.extra_body)
        if self.temperature is not None:
            extra.setdefault("temperature", self.temperature)  # this SDK has no temperature parameter
        if extra:
            request["extra_body"] = extra
        return messages, request

    def _read(self, response: Any) -> dict[str, Any]:
        """The parts of a message the agent uses; raises MalformedReply for one it cannot use."""
        content = getattr(response, "content", None)
        if content is None:
            raise MalformedReply("the reply has no content")
        if not isinstance(content, list | tuple):
            raise MalformedReply(f"the reply's content is a {type(content).__name__}, not a list of blocks")
        texts: list[str] = []
        thinking: list[str] = []
        calls: list[dict[str, Any]] = []
        blocks: list[dict[str, Any]] = []
        other: list[str] = []
        for index, block in enumerate(content):
            kind = getattr(block, "type", None)
            data = plain(block)
            if kind == "text":
                text = getattr(block, "text", None)
                if not isinstance(text, str) or not text:
                    continue  # the API refuses empty text blocks sent back
                texts.append(text)
            elif kind == "thinking":
                thought = getattr(block, "thinking", None)
                thinking.append(thought if isinstance(thought, str) else "")
            elif kind == "redacted_thinking":
                thinking.append("[redacted thinking]")
            elif kind == "tool_use":
                call_id = read_id(getattr(block, "id", None), f"toolu_{index}")
                name = getattr(block, "name", None)
                given = getattr(block, "input", None)
                bad = read_name(name)
                shown = name if bad is None and isinstance(name, str) else excerpt(name)
                call: dict[str, Any] = {"id": call_id, "name": shown, "arguments": given}
                calls.append({**call, "bad": bad} if bad else call)
                if isinstance(data, dict):
                    # What is sent back must pair with its result and be an object; the record keeps what came.
                    data["id"], data["name"] = call_id, call["name"]
                    if not isinstance(given, dict):
                        data["input"] = {}
            else:
                other.append(str(kind))
            blocks.append(data)
        stop = getattr(response, "stop_reason", None)
        if not any(t.strip() for t in texts) and not calls and not thinking and stop not in _EXPLAINED:
            raise MalformedReply(f"the reply is empty: no text and no tool calls (stop_reason {stop!r})")
        usage = getattr(response, "usage", None)
        return {
            "id": getattr(response, "id", None),
            "model": getattr(response, "model", None),
            "text": "\n\n".join(texts) or None,
            "reasoning": "\n\n".join(thinking) or None,
            "calls": calls,
            "blocks": blocks,
            "other_blocks": other,
            "finish_reason": stop,
            "usage": _usage(usage),
        }

    def _finish(
        self, messages: list[dict[str, Any]], parsed: dict[str, Any], latency: float, log: RetryLog
    ) -> ModelReply:
        """Turn a usable reply into a ModelReply and extend the conversation with it."""
        calls: list[ToolCall] = []
        invalid: list[dict[str, Any]] = []
        for raw in parsed["calls"]:
            given = raw["arguments"]
            if raw.get("bad"):
                arguments: dict[str, Any] | str = str(raw["bad"])
            elif isinstance(given, dict):
                arguments = read_arguments(given)
            else:
                arguments = f"input must be a JSON object; got {type(given).__name__}"
            if isinstance(arguments, str):
                invalid.append({k: v for k, v in raw.items() if k != "bad"} | {"error": arguments})
            else:
                calls.append(ToolCall(name=raw["name"], arguments=arguments, id=raw["id"]))
        # What is kept (the record, the history sent back next turn) must encode: the reply, repaired if need be.
        parsed, repairs = safe_reply(parsed)
        invalid = safe_reply({"calls": invalid})[0]["calls"]
        parsed["calls"] = [{k: v for k, v in c.items() if k != "bad"} for c in parsed["calls"]]
        record: dict[str, Any] = {
            "provider": self.provider,
            "model": self.model,
            "base_url": public_url(self.base_url),
            "settings": self.settings,
            "response_id": parsed["id"],
            "response_model": parsed["model"],
            "text": parsed["text"],
            "reasoning": parsed["reasoning"],
            "tool_calls": parsed["calls"],
            "invalid_tool_calls": invalid,
            "other_blocks": parsed["other_blocks"],
            "finish_reason": parsed["finish_reason"],
            "usage": parsed["usage"],
            "latency_seconds": round(latency, 4),
            "retries": log.to_record(),
        }
        if repairs:
            record["repaired"] = repairs
        # A reply with no blocks (a bare refusal) is not kept: the API refuses an empty assistant turn, and two
        # user turns in a row are merged into one.
        self._history = messages + ([{"role": "assistant", "content": parsed["blocks"]}] if parsed["blocks"] else [])
        self._pending = [PendingCall(c["id"], c["name"]) for c in parsed["calls"]]
        self._notes = {
            c["id"]: f"The call of {c['name']} was not run: {c['error']}. No call of this turn was run."
            for c in invalid
        }
        return ModelReply(
            text=parsed["text"],
            reasoning=parsed["reasoning"],
            calls=tuple(calls),
            invalid_calls=tuple(invalid),
            record=record,
        )
