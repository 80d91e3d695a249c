"""A human at the terminal, acting through the same tools as a model.

Every question names the simulated time, `help` lists the tools with their arguments, and Ctrl-C at a question ends
the session (through `end_session` where the world offers it), so the trace is saved as any other. Runners show no
live progress display while a human is asked: it would draw over the question.
"""

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
    interactive = True
    """Runners show no live display while this agent acts: it asks questions at the terminal."""

    def __init__(self, console: Console | None = None, stream: TextIO | None = None) -> None:
        self.console = console or Console()
        self.stream = stream
        self.tools: dict[str, ToolSpec] = {}
        self.interrupted = False
        """Set when the person pressed Ctrl-C: the session was ended, and a runner starts no further episode."""
        self._time = ""

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None:
        self.tools = {t.name: t for t in tools}
        self.console.print(Panel(escape(system_prompt), title="System prompt", border_style="magenta"))
        self._help()

    def _help(self) -> None:
        self.console.print("Tools (type a tool's name, then answer for each argument; or type a whole JSON action):")
        for spec in self.tools.values():
            required = set(spec.parameters.get("required", []))
            params = ", ".join(
                f"{name}: {_kind(prop)}" + ("" if name in required else " (optional)")
                for name, prop in spec.parameters.get("properties", {}).items()
            )
            summary = spec.description.splitlines()[0] if spec.description else ""
            self.console.print(f"  [bold]{spec.name}[/]({escape(params)}): {escape(summary)}", highlight=False)
        self.console.print("  Ctrl-C ends the session.")

    def _ask(self, prompt: str, default: str | None = None) -> str:
        """One answer; the end of the input ends the session (an AgentError), it is never read as "" forever."""
        prompt = f"[dim]\\[{self._time}][/] {prompt}" if self._time else prompt
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
        try:
            return self._act(observation)
        except KeyboardInterrupt:
            self.interrupted = True
            self.console.print("\n[yellow]Ctrl-C: the session ends here; the trace is saved.[/]")
            if "end_session" in self.tools:
                return ToolCall(name="end_session", arguments={"summary": "ended by the person at the terminal"})
            raise AgentError("the person at the terminal ended the session (Ctrl-C)") from None

    def _act(self, observation: Mapping[str, Any]) -> Any:
        self._time = _clock(str(observation.get("time", "")))
        self.console.rule(f"[bold]{escape(str(observation.get('time', '')))}")
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


def _clock(time: str) -> str:
    """`2025-06-20T16:53:00` as `16:53` (what a person reads); other text as it is."""
    _, sep, rest = time.partition("T")
    return rest[:5] if sep and len(rest) >= 5 else time


def _kind(prop: Mapping[str, Any]) -> str:
    """An argument's JSON type as a word: `string`, `array`, `integer or null`."""
    kinds = [prop.get("type")] if prop.get("type") else [p.get("type") for p in prop.get("anyOf", [])]
    return " or ".join(str(k) for k in kinds if k) or "value"


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
