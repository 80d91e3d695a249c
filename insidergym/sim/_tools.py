"""Tools as typed functions: the docstring is what the model reads, the schema is derived from the signature.

A tool is a plain function whose first parameter is the `ToolContext` (hidden from the model) and whose other
parameters are the arguments the model fills in. `@tool(effects=...)` reads the signature and the Google-style
docstring once, at definition, and refuses a tool without a description for itself or any parameter. From that one
source come the argument validator and the schemas in every provider's format.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from insidergym._errors import suggest

if TYPE_CHECKING:
    from insidergym.sim._state import CompanyState, Document, Email, Person
    from insidergym.sim._trace import Event

__all__ = [
    "Effect",
    "Emit",
    "Tool",
    "ToolContext",
    "ToolError",
    "ToolSpec",
    "ToolSpecFormat",
    "export_tools",
    "tool",
]

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class Effect(StrEnum):
    """What a tool does to the world; detectors read these tags, tools never score themselves."""

    READS = "reads"
    WRITES = "writes"
    COMMUNICATES = "communicates"
    CHANGES_SYSTEM = "changes_system"


class ToolError(Exception):
    """An agent's mistake inside a tool (no such email, no permission): returned to it as an error result."""


class ToolSpec(BaseModel):
    """A tool as an agent sees it: name, description and the JSON schema of its arguments."""

    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    parameters: dict[str, Any]
    """JSON Schema of the arguments object (`additionalProperties: false`)."""
    effects: tuple[Effect, ...] = ()


ToolSpecFormat = typing.Literal["openai", "openai_responses", "anthropic", "mcp", "plain"]


def _parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """Split a Google-style docstring into its description and its `Args:` entries."""
    lines = inspect.cleandoc(doc).splitlines()
    description: list[str] = []
    args: dict[str, str] = {}
    section: str | None = None
    current: str | None = None
    for line in lines:
        header = line.strip().rstrip(":")
        if line.strip().endswith(":") and header in {
            "Args",
            "Arguments",
            "Returns",
            "Raises",
            "Example",
            "Note",
        }:
            section, current = header, None
            continue
        if section is None:
            description.append(line)
        elif section in {"Args", "Arguments"} and line.strip():
            match = re.match(r"^\s{0,8}(\w+)(?:\s*\([^)]*\))?:\s*(.*)$", line)
            if match and not line.startswith(" " * 8):
                current = match.group(1)
                args[current] = match.group(2).strip()
            elif current:
                args[current] = f"{args[current]} {line.strip()}".strip()
    return "\n".join(description).strip(), args


@dataclass(frozen=True)
class Tool:
    """A tool ready to run: its function, the validator of its arguments and its spec."""

    name: str
    function: Callable[..., str]
    arguments: type[BaseModel]
    spec: ToolSpec
    effects: frozenset[Effect] = field(default_factory=frozenset)

    def validate(self, arguments: Mapping[str, Any]) -> BaseModel | str:
        """Return validated arguments, or a message saying which argument is wrong and what is expected."""
        try:
            return self.arguments.model_validate(dict(arguments))
        except ValidationError as err:
            problems = []
            for error in err.errors(include_url=False):
                where = ".".join(map(str, error["loc"])) or "arguments"
                problems.append(f"{where}: {error['msg']}")
            expected = ", ".join(
                f"{name} ({'required' if name in self.spec.parameters.get('required', []) else 'optional'})"
                for name in self.spec.parameters["properties"]
            )
            return f"invalid arguments for {self.name}: {'; '.join(problems)}. Parameters: {expected or 'none'}."


def tool(*effects: Effect) -> Callable[[Callable[..., str]], Tool]:
    """Turn a typed, documented function into a `Tool` with the given effect tags.

    Raises:
        TypeError: the function lacks a docstring, a parameter description or a type hint, or has a bad name.
    """

    def wrap(function: Callable[..., str]) -> Tool:
        name = function.__name__
        if not _NAME.match(name):
            raise TypeError(f"tool name {name!r} must match [A-Za-z0-9_-]{{1,64}}")
        if not function.__doc__:
            raise TypeError(f"tool {name!r} has no docstring: the docstring is what the model reads")
        description, arg_docs = _parse_docstring(function.__doc__)
        hints = typing.get_type_hints(function, include_extras=True)
        parameters = list(inspect.signature(function).parameters.values())[1:]  # first is the ToolContext
        fields: dict[str, Any] = {}
        for parameter in parameters:
            if parameter.name not in hints:
                raise TypeError(f"tool {name!r}: parameter {parameter.name!r} has no type hint")
            if parameter.name not in arg_docs:
                raise TypeError(f"tool {name!r}: parameter {parameter.name!r} is not described under Args:")
            default = ... if parameter.default is inspect.Parameter.empty else parameter.default
            fields[parameter.name] = (
                hints[parameter.name],
                Field(default, description=arg_docs[parameter.name]),
            )
        stale = set(arg_docs) - {p.name for p in parameters}
        if stale:
            raise TypeError(f"tool {name!r}: the docstring describes parameters it does not have: {sorted(stale)}")
        model = create_model(f"{name}_arguments", __config__=ConfigDict(extra="forbid", strict=False), **fields)
        schema = model.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        schema["additionalProperties"] = False
        schema.setdefault("properties", {})
        spec = ToolSpec(name=name, description=description, parameters=schema, effects=tuple(effects))
        return Tool(name=name, function=function, arguments=model, spec=spec, effects=frozenset(effects))

    return wrap


def export_tools(specs: Iterable[ToolSpec], format: ToolSpecFormat = "openai") -> list[dict[str, Any]]:
    """Tool specs in a provider's format: OpenAI chat, OpenAI Responses, Anthropic, MCP, or plain."""
    exported: list[dict[str, Any]] = []
    for spec in specs:
        if format == "openai":
            exported.append(
                {
                    "type": "function",
                    "function": {
                        "name": spec.name,
                        "description": spec.description,
                        "parameters": spec.parameters,
                    },
                }
            )
        elif format == "openai_responses":
            exported.append(
                {
                    "type": "function",
                    "name": spec.name,
                    "description": spec.description,
                    "parameters": spec.parameters,
                }
            )
        elif format == "anthropic":
            exported.append({"name": spec.name, "description": spec.description, "input_schema": spec.parameters})
        elif format == "mcp":
            exported.append({"name": spec.name, "description": spec.description, "inputSchema": spec.parameters})
        elif format == "plain":
            exported.append(spec.model_dump(mode="json"))
        else:
            raise ValueError(f"unknown tool spec format {format!r}; valid: {list(typing.get_args(ToolSpecFormat))}")
    return exported


class Emit(Protocol):
    """How tools and systems record what happened: `emit(EventClass, **fields)` records an event of that class at
    the current step and time and returns it. `actor` is a field like any other: left out, it is the context's own
    (the calling agent in a tool, nobody in a system's turn)."""

    def __call__(self, event_type: type[Event], /, **fields: Any) -> Event: ...


@dataclass
class ToolContext:
    """The world as one agent reaches it during one tool call."""

    state: CompanyState
    actor: str
    emit: Emit
    """`emit(EventClass, **fields)`: an event by this agent (see `Emit`)."""
    extra_seconds: int = 0
    """Simulated time the call takes beyond its fixed cost (`wait`)."""
    ended: bool = False
    """Set by `end_session`."""
    notes: list[str] = field(default_factory=list)

    @property
    def me(self) -> Person:
        return self.state.people[self.actor]

    def mailbox(self) -> dict[str, Any]:
        return self.state.mailboxes[self.actor]

    def email(self, email_id: str) -> Email:
        box = self.mailbox()
        if email_id not in box:
            raise ToolError(f"no e-mail {email_id!r} in your mailbox.{suggest(email_id, box)} Use list_inbox.")
        return self.state.emails[email_id]

    def document(self, document_id: str) -> Document:
        """A document this agent may read, or the ToolError that says why not."""
        document = self.state.documents.get(document_id)
        if document is None:
            raise ToolError(
                f"no document {document_id!r}.{suggest(document_id, self.state.documents)} Use list_documents."
            )
        if not document.readable_by(self.actor):
            raise ToolError(f"access denied: you are not among the readers of {document_id!r}")
        return document
