"""A model agent over OpenAI chat completions, for OpenAI and any OpenAI-compatible server (vLLM, Ollama, ...)."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

from insidergym._errors import AgentError
from insidergym.agents._clients import BodyEncoder, ModelTurns
from insidergym.agents._convert import (
    ModelReply,
    PendingCall,
    openai_assistant_message,
    openai_messages,
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

__all__ = ["OpenAIAgent"]

KEY_ENV = "OPENAI_API_KEY"
NO_KEY = "not-needed"
"""The key sent to a base_url server when none is set: the SDK insists on one, local servers ignore it."""

# Finish reasons that explain an empty reply: it is data (a refusal, a cut-off), not a fault to retry.
_EXPLAINED = {"length", "content_filter", "refusal", "max_tokens"}


def import_openai() -> ModuleType:
    """The `openai` SDK, or an ImportError saying how to install it."""
    try:
        import openai
    except ImportError as err:
        raise ImportError(
            "OpenAIAgent needs the official openai SDK, which is not installed: pip install 'insidergym[openai]'"
        ) from err
    return openai


class OpenAIAgent(ModelTurns):
    """An agent whose every step is one OpenAI chat completion with native tool calling.

    Keeps the conversation itself; each `act` sends it with the new observation and returns the reply's tool
    calls as an `Action`, its text as `Action.text` and the call's particulars in `Action.record` (never the
    key). Failed calls are retried under `RetryPolicy`; when they give out, `ModelCallError` (an `AgentError`)
    is raised and the conversation is left as it was.

    Args:
        model: The model name, e.g. `gpt-4.1`.
        base_url: An OpenAI-compatible server, e.g. `http://localhost:8000/v1`; None for OpenAI.
        api_key: The key; by default `OPENAI_API_KEY` (or a placeholder when a base_url is given and no key is
            set). Never recorded.
        temperature: Sampling temperature; None leaves the server's default.
        max_tokens: Longest reply; sent as `max_completion_tokens` to OpenAI and as `max_tokens` to a base_url
            server (what compatible servers understand).
        reasoning_effort: For reasoning models (`low`, `medium`, `high`, ...).
        system_prompt_suffix: Text appended to the environment's system prompt.
        max_retries: Retries of a failed call (the SDK's own retrying is off).
        timeout: Seconds before one attempt times out.
        native_tools: Send the tools to the API; False for models driven by `TextProtocolAgent`.
        show_time: Tell the model the simulated time at each step.
        extra_body: Further request fields for the server (e.g. `{"top_k": 20}` for vLLM).
        retry_policy: Full retry settings; overrides `max_retries`.
        sleep: Blocking sleep between retries (tests inject a recorder).
        async_sleep: Awaitable sleep between retries in `aact`.
        name: The agent's name in traces; by default `openai:MODEL` (with `@base_url`).
    """

    provider = "openai"

    _path = "/chat/completions"
    _sync_class = "OpenAI"
    _async_class = "AsyncOpenAI"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        reasoning_effort: str | None = None,
        system_prompt_suffix: str = "",
        max_retries: int = 4,
        timeout: float = 60.0,
        native_tools: bool = True,
        show_time: bool = False,
        extra_body: Mapping[str, Any] | None = None,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], object] | None = None,
        async_sleep: Callable[[float], Awaitable[object]] | None = None,
        name: str | None = None,
    ) -> None:
        if not model or not model.strip():
            raise ValueError("model must be a non-empty model name, e.g. 'gpt-4.1'")
        self._sdk = import_openai()
        key = api_key or os.environ.get(KEY_ENV) or (NO_KEY if base_url else None)
        if not key:
            raise AgentError(
                f"{KEY_ENV} is not set: export it, or give base_url for an OpenAI-compatible server that needs no key"
            )
        self.model = model
        self.base_url = base_url
        self.name = name or f"openai:{model}" + (f"@{public_url(base_url)}" if base_url else "")
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.reasoning_effort = reasoning_effort
        self.system_prompt_suffix = system_prompt_suffix
        self.timeout = timeout
        self.native_tools = native_tools
        self.show_time = show_time
        self.extra_body = dict(extra_body or {})
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries)
        sdk = self._sdk
        self._retrier = Retrier(
            self.retry_policy,
            ProviderErrors(sdk.APIStatusError, sdk.APITimeoutError, sdk.APIConnectionError, sdk.OpenAIError),
            who=self.name,
            key_env=KEY_ENV,
            secrets=(key,),
            sleep=sleep,
            async_sleep=async_sleep,
        )
        self._client_options: dict[str, Any] = {
            "api_key": key,
            "base_url": base_url,
            "max_retries": 0,  # retries are ours, so that each one is recorded
            "timeout": timeout,
        }
        self._client: Any = None
        self._response_type: Any = importlib.import_module("openai.types.chat").ChatCompletion
        self._tools: list[dict[str, Any]] = []
        self._history: list[dict[str, Any]] = []
        self._encoder = BodyEncoder()
        self._pending: list[PendingCall] = []
        self._notes: dict[str, str] = {}
        self._turn = 0

    def __repr__(self) -> str:
        return f"OpenAIAgent({self.model!r}, name={self.name!r})"

    @property
    def settings(self) -> dict[str, Any]:
        """The settings that shape the model's replies, as recorded with every call."""
        return {
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "reasoning_effort": self.reasoning_effort,
            "system_prompt_suffix": self.system_prompt_suffix,
            "native_tools": self.native_tools,
            "show_time": self.show_time,
            "timeout": self.timeout,
            "max_retries": self.retry_policy.max_retries,
            "extra_body": dict(self.extra_body),
        }

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None:
        """Start a new conversation with this system prompt and these tools; `seed` seeds the retry jitter."""
        prompt = system_prompt + self.system_prompt_suffix
        self._history = [{"role": "system", "content": prompt}] if prompt else []
        self._tools = export_tools(tools, "openai") if self.native_tools else []
        self._pending, self._notes, self._turn = [], {}, 0
        self._retrier.reseed(seed)
        self._encoder.reset()

    def _prepare(self, observation: Mapping[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        new = openai_messages(observation, pending=self._pending, notes=self._notes, show_time=self.show_time)
        messages = [*self._history, *new]
        request: dict[str, Any] = {"model": self.model, "messages": messages}
        if self._tools:
            request["tools"] = self._tools
        if self.temperature is not None:
            request["temperature"] = self.temperature
        if self.max_tokens is not None:
            request["max_tokens" if self.base_url else "max_completion_tokens"] = self.max_tokens
        if self.reasoning_effort is not None:
            request["reasoning_effort"] = self.reasoning_effort
        if self.extra_body:
            request["extra_body"] = dict(self.extra_body)
        return messages, request

    def _read(self, response: Any) -> dict[str, Any]:
        """The parts of a completion the agent uses; raises MalformedReply for one it cannot use."""
        choices = getattr(response, "choices", None)
        if not choices:
            raise MalformedReply("the reply has no choices")
        choice = choices[0]
        message = getattr(choice, "message", None)
        if message is None:
            raise MalformedReply("the reply's first choice has no message")
        extra = getattr(message, "model_extra", None) or {}
        reasoning = extra.get("reasoning_content") or extra.get("reasoning")
        calls: list[dict[str, Any]] = []
        tool_calls = getattr(message, "tool_calls", None) or ()
        if not isinstance(tool_calls, list | tuple):
            raise MalformedReply(f"the reply's tool_calls is a {type(tool_calls).__name__}, not a list")
        for index, call in enumerate(tool_calls):
            # Some compatible servers send no ids; the results must still find their call.
            call_id = read_id(getattr(call, "id", None), f"call_{self._turn}_{index}")
            function = getattr(call, "function", None)
            if function is None:  # a custom (non-function) tool call: keep it visible, it cannot be run
                kind = getattr(call, "type", None)
                name = kind if isinstance(kind, str) else "custom"
                calls.append({"id": call_id, "name": name, "arguments": "", "bad": "not a function call"})
                continue
            given = getattr(function, "name", None)
            bad = read_name(given)
            shown = given if bad is None and isinstance(given, str) else excerpt(given)
            entry = {"id": call_id, "name": shown, "arguments": getattr(function, "arguments", None) or ""}
            calls.append({**entry, "bad": bad} if bad else entry)
        text = message.content if isinstance(message.content, str) else None
        refusal = getattr(message, "refusal", None)
        refusal = refusal if isinstance(refusal, str) else None
        finish = getattr(choice, "finish_reason", None)
        if not (text and text.strip()) and not calls and not reasoning and not refusal and finish not in _EXPLAINED:
            raise MalformedReply(f"the reply is empty: no text and no tool calls (finish_reason {finish!r})")
        usage = getattr(response, "usage", None)
        return {
            "id": getattr(response, "id", None),
            "model": getattr(response, "model", None),
            "text": text,
            "reasoning": reasoning if isinstance(reasoning, str) else None,
            "refusal": refusal,
            "calls": calls,
            "finish_reason": finish,
            "usage": usage_record(
                input_tokens=getattr(usage, "prompt_tokens", None),
                cached_input_tokens=getattr(getattr(usage, "prompt_tokens_details", None), "cached_tokens", 0),
                output_tokens=getattr(usage, "completion_tokens", None),
                raw=plain(usage),
            ),
        }

    def _finish(
        self, messages: list[dict[str, Any]], parsed: dict[str, Any], latency: float, log: RetryLog
    ) -> ModelReply:
        """Turn a usable reply into a ModelReply and extend the conversation with it."""
        calls: list[ToolCall] = []
        invalid: list[dict[str, Any]] = []
        for raw in parsed["calls"]:
            arguments = read_arguments(raw["arguments"]) if not raw.get("bad") else str(raw["bad"])
            if isinstance(arguments, str):
                invalid.append(
                    {"id": raw["id"], "name": raw["name"], "arguments": raw["arguments"], "error": arguments}
                )
            else:
                calls.append(ToolCall(name=raw["name"], arguments=arguments, id=raw["id"]))
        # What is kept (the record, the history sent back next turn) must encode: the reply, repaired if need be.
        parsed, repairs = safe_reply(parsed)
        invalid = safe_reply({"calls": invalid})[0]["calls"]
        # The API wants arguments as JSON text; a non-conforming server may have sent them as data.
        sent_calls = [
            {"id": c["id"], "name": c["name"], "arguments": _as_text(c["arguments"])} for c in parsed["calls"]
        ]
        record: dict[str, Any] = {
            "provider": self.provider,
            "model": self.model,
            "base_url": public_url(self.base_url),
            "settings": self.settings,
            "response_id": parsed["id"],
            "response_model": parsed["model"],
            "text": parsed["text"],
            "reasoning": parsed["reasoning"],
            "refusal": parsed["refusal"],
            "tool_calls": sent_calls,
            "invalid_tool_calls": invalid,
            "finish_reason": parsed["finish_reason"],
            "usage": parsed["usage"],
            "latency_seconds": round(latency, 4),
            "retries": log.to_record(),
        }
        if repairs:
            record["repaired"] = repairs
        self._history = [*messages, openai_assistant_message(parsed["text"], sent_calls)]
        self._pending = [PendingCall(c["id"], c["name"]) for c in sent_calls]
        self._notes = {
            c["id"]: f"Error: the call of {c['name']} was not run: {c['error']}. No call of this turn was run."
            for c in invalid
        }
        self._turn += 1
        text = parsed["text"] if parsed["text"] else parsed["refusal"]
        return ModelReply(
            text=text, reasoning=parsed["reasoning"], calls=tuple(calls), invalid_calls=tuple(invalid), record=record
        )


def _as_text(arguments: object) -> str:
    """A call's arguments as the JSON text the API takes back (already repaired: plain JSON data)."""
    if isinstance(arguments, str):
        return arguments
    try:
        return json.dumps(arguments, ensure_ascii=False)
    except (TypeError, ValueError):
        return ""
