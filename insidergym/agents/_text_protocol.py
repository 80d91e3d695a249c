"""Tool calling through text, for models without native tool use.

The tools are described in the system prompt and the model writes each call as a tag named after the tool, with
its arguments as a JSON object inside::

    <tool_use:send_email>{"to": ["kyle@summitbridge.com"], "subject": "Hi", "body": "..."}</tool_use:send_email>

Several calls in one reply run in order. The body may be wrapped in a Markdown code fence; an empty body means no
arguments; the closing tag of the last call may be left off if its JSON is complete. Text outside the tags is
kept as the action's text. If any call cannot be read, none is run (as with native calls): the action has no calls
and the whole reply as its text, the environment reports an unreadable action, and the next message tells the
model what was wrong. Results come back as ``<tool_result:NAME>...</tool_result:NAME>`` (``<tool_error:NAME>`` for
errors) in one user message per step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from insidergym.agents._convert import ModelReply, compose_text, read_arguments
from insidergym.sim import Action, ToolCall, ToolSpec, repair_json

__all__ = ["ParsedText", "TextProtocolAgent", "parse_tool_calls", "render_observation", "tool_instructions"]

_OPEN = re.compile(r"<tool_use:([^>\n]{0,100})>")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_FENCE = re.compile(r"^```[A-Za-z]*\s*(.*?)\s*```$", re.DOTALL)


@dataclass(frozen=True)
class ParsedText:
    """A reply read under the text protocol."""

    calls: tuple[ToolCall, ...]
    """The calls, or none when any of them could not be read."""
    text: str | None
    """The text outside the calls (the whole reply when a call could not be read)."""
    errors: tuple[str, ...]
    """Why calls could not be read, one line each."""


def _read_body(name: str, body: str) -> dict[str, Any] | str:
    body = body.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1)
    arguments = read_arguments(body)
    return f"<tool_use:{name}>: {arguments}" if isinstance(arguments, str) else arguments


def parse_tool_calls(reply: str, *, id_prefix: str = "call") -> ParsedText:
    """Read the `<tool_use:NAME>{...}</tool_use:NAME>` calls in a reply; never raises.

    Args:
        reply: The model's reply text.
        id_prefix: Calls get ids `{id_prefix}_0`, `{id_prefix}_1`, ... in order.
    """
    calls: list[ToolCall] = []
    errors: list[str] = []
    outside: list[str] = []
    position = 0
    while True:
        opening = _OPEN.search(reply, position)
        if opening is None:
            outside.append(reply[position:])
            break
        outside.append(reply[position : opening.start()])
        name = opening.group(1)
        closing_tag = f"</tool_use:{name}>"
        end = reply.find(closing_tag, opening.end())
        following = _OPEN.search(reply, opening.end())
        if end == -1 or (following is not None and following.start() < end):
            body_end = following.start() if following else len(reply)
            arguments = _read_body(name, reply[opening.end() : body_end])
            if following is None and isinstance(arguments, dict) and _NAME.match(name):
                calls.append(ToolCall(name=name, arguments=arguments, id=f"{id_prefix}_{len(calls)}"))
            else:
                errors.append(f"<tool_use:{name}> is not closed with {closing_tag}")
            position = body_end
            continue
        position = end + len(closing_tag)
        if not _NAME.match(name):
            errors.append(f"<tool_use:{name}>: a tool name must match [A-Za-z0-9_-]{{1,64}}; got {name!r}")
            continue
        arguments = _read_body(name, reply[opening.end() : end])
        if isinstance(arguments, str):
            errors.append(arguments)
        else:
            calls.append(ToolCall(name=name, arguments=arguments, id=f"{id_prefix}_{len(calls)}"))
    if errors:
        return ParsedText(calls=(), text=reply.strip() or None, errors=tuple(errors))
    text = "".join(outside).strip()
    return ParsedText(calls=tuple(calls), text=text or None, errors=())


def tool_instructions(tools: Sequence[ToolSpec]) -> str:
    """The part of the system prompt that describes the tools and how to call them."""
    if not tools:
        return ""
    lines = [
        "# Tools",
        "",
        "You act by calling tools. To call a tool, write a tag named after it with the arguments as a JSON object "
        "inside, for example:",
        "",
        '<tool_use:TOOL_NAME>{"argument": "value"}</tool_use:TOOL_NAME>',
        "",
        "You may call several tools in one reply; they run in order. Text outside the tags is not shown to anyone. "
        "Each result comes back in the next message as <tool_result:TOOL_NAME>...</tool_result:TOOL_NAME>, or as "
        "<tool_error:TOOL_NAME>...</tool_error:TOOL_NAME> when the call failed.",
        "",
        "The tools:",
    ]
    for spec in tools:
        schema = json.dumps(spec.parameters, ensure_ascii=False, sort_keys=True)
        lines += ["", f"## {spec.name}", "", spec.description, "", f"Arguments (JSON Schema): {schema}"]
    return "\n".join(lines)


def render_observation(observation: Mapping[str, Any], *, read_errors: Sequence[str] = ()) -> dict[str, Any]:
    """The observation as one user message of text: results and errors in tags, other messages as they are.

    Args:
        observation: The env's observation.
        read_errors: Why the model's last reply could not be read, told to it first.
    """
    parts: list[str] = []
    if read_errors:
        parts.append(
            "Your last reply could not be read, so none of its calls was run:\n"
            + "\n".join(f"- {e}" for e in read_errors)
            + '\nWrite each call as <tool_use:TOOL_NAME>{"argument": "value"}</tool_use:TOOL_NAME>.'
        )
    for message in observation.get("messages", ()):
        kind, name, content = message.get("kind"), message.get("name") or "", str(message.get("content", ""))
        if kind == "tool_result":
            tag = f"tool_result:{name}" if name else "tool_result"
            parts.append(f"<{tag}>\n{content}\n</{tag}>")
        elif kind == "tool_error":
            tag = f"tool_error:{name}" if name else "tool_error"
            parts.append(f"<{tag}>\n{content}\n</{tag}>")
        else:
            parts.append(content)
    content = "\n\n".join(p for p in parts if p.strip())
    messages = [{"kind": "user", "tool_call_id": "", "name": "", "content": content}] if content else []
    return {"time": observation.get("time", ""), "messages": tuple(messages)}


class TextModel(Protocol):
    """What `TextProtocolAgent` needs of the agent it wraps (`OpenAIAgent` or `AnthropicAgent`)."""

    name: str
    native_tools: bool

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None: ...

    def complete(self, observation: Mapping[str, Any]) -> ModelReply: ...

    async def acomplete(self, observation: Mapping[str, Any]) -> ModelReply: ...


class TextProtocolAgent:
    """A model without native tool calling, driven through tags in its text (see the module docstring).

    Args:
        model: An `OpenAIAgent` or `AnthropicAgent` built with `native_tools=False`.
        name: The agent's name in traces; by default `text+` and the wrapped agent's name.

    Raises:
        ValueError: The wrapped agent sends native tools.
    """

    def __init__(self, model: TextModel, *, name: str | None = None) -> None:
        if getattr(model, "native_tools", True):
            raise ValueError(
                f"TextProtocolAgent needs a model agent that sends no native tools; {model.name!r} sends them. "
                "Build it with native_tools=False."
            )
        self.model = model
        self.name = name or f"text+{model.name}"
        self._turn = 0
        self._read_errors: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"TextProtocolAgent({self.model!r}, name={self.name!r})"

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None:
        """Start a new episode: the tools are described at the end of the system prompt."""
        instructions = tool_instructions(tools)
        prompt = "\n\n".join(part for part in (system_prompt, instructions) if part)
        self.model.reset(system_prompt=prompt, tools=(), seed=seed)
        self._turn = 0
        self._read_errors = ()

    def act(self, observation: Mapping[str, Any]) -> Action:
        """Send the new observation as text, read the calls from the reply."""
        reply = self.model.complete(render_observation(observation, read_errors=self._read_errors))
        return self._action(reply)

    async def aact(self, observation: Mapping[str, Any]) -> Action:
        """`act` with the async client."""
        reply = await self.model.acomplete(render_observation(observation, read_errors=self._read_errors))
        return self._action(reply)

    def _action(self, reply: ModelReply) -> Action:
        parsed = parse_tool_calls(reply.text or "", id_prefix=f"call_{self._turn}")
        self._turn += 1
        self._read_errors = parsed.errors
        record = {
            **reply.record,
            "text_protocol": {
                "calls": [call.model_dump(mode="json") for call in parsed.calls],
                "errors": list(parsed.errors),
            },
        }
        # An error quotes the tag it could not read, lone surrogates and all: the record must still be written.
        record, repairs = repair_json(record)
        if repairs:
            record["repaired"] = [*record.get("repaired", ()), *repairs]
        return Action(calls=parsed.calls, text=compose_text(reply.reasoning, parsed.text), record=record)
