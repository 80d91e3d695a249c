"""A human at the terminal, acting through the same tools as a model."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.prompt import Prompt

from insidergym._errors import AgentError
from insidergym.sim import ToolCall, ToolSpec

__all__ = ["HumanAgent"]

_STYLE = {"user": "cyan", "tool_result": "green", "tool_error": "red", "notification": "yellow"}


class HumanAgent:
    """Shows each observation and asks for a tool call: a tool's name then its arguments, or a whole JSON action.

    Args:
        console: where to print (the terminal by default).
        stream: where to read answers from (standard input by default); tests pass a `StringIO`.
    """

    name = "human"

    def __init__(self, console: Console | None = None, stream: TextIO | None = None) -> None:
        self.console = console or Console()
        self.stream = stream
        self.tools: dict[str, ToolSpec] = {}

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None:
        self.tools = {t.name: t for t in tools}
        self.console.print(Panel(escape(system_prompt), title="System prompt", border_style="magenta"))
        self._help()

    def _help(self) -> None:
        for spec in self.tools.values():
            params = ", ".join(spec.parameters.get("properties", {}))
            self.console.print(f"  [bold]{spec.name}[/]({params}): {escape(spec.description.splitlines()[0])}")

    def _ask(self, prompt: str, default: str | None = None) -> str:
        """One answer; the end of the input ends the session (an AgentError), it is never read as "" forever."""
        if self.stream is not None:
            self.console.print(f"{prompt}: ", end="")
            line = self.stream.readline()
            if not line:
                raise AgentError("the human's input ended")
            answer = line.rstrip("\n")
            return default if answer == "" and default is not None else answer
        try:
            if default is None:
                return Prompt.ask(prompt, console=self.console)
            return Prompt.ask(prompt, console=self.console, default=default, show_default=False)
        except EOFError:
            raise AgentError("the human's input ended") from None

    def act(self, observation: Mapping[str, Any]) -> Any:
        self.console.rule(f"[bold]{observation.get('time', '')}")
        for item in observation.get("messages", ()):
            title = item["kind"] + (f" {item['name']}" if item.get("name") else "")
            self.console.print(
                Panel(escape(item["content"]), title=title, border_style=_STYLE.get(item["kind"], "white"))
            )
        while True:
            answer = self._ask("Tool (or JSON action, 'help')").strip()
            if answer == "help":
                self._help()
                continue
            if answer.startswith(("{", "[")):
                return answer  # the env reads and checks it
            spec = self.tools.get(answer)
            if spec is None:
                self.console.print(f"[red]No tool {answer!r}.[/] Type help for the list.")
                continue
            return ToolCall(name=answer, arguments=self._arguments(spec))

    def _arguments(self, spec: ToolSpec) -> dict[str, Any]:
        schema = spec.parameters
        required = set(schema.get("required", []))
        arguments: dict[str, Any] = {}
        for key, prop in schema.get("properties", {}).items():
            label = f"  {key}" + ("" if key in required else " (optional, Enter to skip)")
            raw = self._ask(label, default=None if key in required else "")
            if raw == "" and key not in required:
                continue
            arguments[key] = _parse(raw, prop)
        return arguments


def _parse(raw: str, prop: dict[str, Any]) -> Any:
    kinds = {prop.get("type")} | {p.get("type") for p in prop.get("anyOf", [])}
    if "array" in kinds and not raw.strip().startswith("["):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if kinds & {"integer", "boolean", "array"}:
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw  # the env reports the type error to the human
    return raw.replace("\\n", "\n")
