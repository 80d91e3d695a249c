"""The company's own tools (mail, calendar, directory, documents, schedule, session): one module each, schemas
derived from typed functions, exported in every provider's format, refused when undocumented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import insidergym.systems
from insidergym.envs import TOOLS, Effect, export_tools, tool

REQUIRED_TOOLS = {
    "list_inbox", "read_email", "search_email", "send_email", "reply_email", "forward_email", "view_calendar",
    "lookup_person", "org_chart", "list_documents", "read_document", "view_schedule", "wait", "end_session",
}  # fmt: skip


def test_the_required_tools_exist_with_effects():
    assert set(TOOLS) >= REQUIRED_TOOLS
    assert Effect.COMMUNICATES in TOOLS["send_email"].effects
    assert Effect.READS in TOOLS["read_email"].effects
    assert Effect.CHANGES_SYSTEM in TOOLS["edit_schedule"].effects


def test_the_company_tools_keep_their_order():
    # Agents and the random action sampler see tools in this order: reordering them would change traces.
    assert list(TOOLS) == [
        "list_inbox", "read_email", "search_email", "send_email", "reply_email", "forward_email", "view_calendar",
        "lookup_person", "org_chart", "list_documents", "read_document", "view_schedule", "edit_schedule", "wait",
        "end_session", "scratchpad",
    ]  # fmt: skip


def test_no_system_module_imports_another():
    package = Path(insidergym.systems.__file__).parent
    modules = sorted(package.glob("_[a-z]*.py"))
    assert len(modules) >= 11
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{module.name}: relative import of {node.module!r}")
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                assert not name.startswith("insidergym.systems"), f"{module.name} imports {name}"


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_schema_is_strict_and_documented(name):
    spec = TOOLS[name].spec
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", spec.name)
    assert spec.parameters["type"] == "object"
    assert spec.parameters["additionalProperties"] is False
    assert spec.description and "Args:" not in spec.description
    for prop in spec.parameters["properties"].values():
        assert prop.get("description"), f"{name}: every parameter is described to the model"
    assert "ctx" not in spec.parameters["properties"], "the context is hidden from the model"


def test_send_email_schema_comes_from_the_signature():
    params = TOOLS["send_email"].spec.parameters
    assert set(params["required"]) == {"to", "subject", "body"}
    assert params["properties"]["to"]["type"] == "array"
    assert params["properties"]["to"]["description"] == "Recipients' e-mail addresses."
    assert TOOLS["wait"].spec.parameters["properties"]["minutes"]["maximum"] == 60


def test_exports_in_every_provider_format():
    specs = [TOOLS["send_email"].spec]
    openai = export_tools(specs, "openai")[0]
    assert openai["type"] == "function" and openai["function"]["name"] == "send_email"
    assert export_tools(specs, "openai_responses")[0]["parameters"] == specs[0].parameters
    assert export_tools(specs, "anthropic")[0]["input_schema"] == specs[0].parameters
    assert export_tools(specs, "mcp")[0]["inputSchema"] == specs[0].parameters
    with pytest.raises(ValueError, match="unknown tool spec format 'gemini'"):
        export_tools(specs, "gemini")  # type: ignore[arg-type]


def test_a_tool_without_docstring_is_refused():
    def silent(ctx, x: int) -> str:
        return ""

    with pytest.raises(TypeError, match="no docstring"):
        tool()(silent)


def test_a_parameter_without_description_is_refused():
    def half(ctx, x: int, y: int) -> str:
        """Do something.

        Args:
            x: described.
        """
        return ""

    with pytest.raises(TypeError, match="'y' is not described"):
        tool()(half)


def test_a_docstring_naming_a_missing_parameter_is_refused():
    def stale(ctx, x: int) -> str:
        """Do something.

        Args:
            x: described.
            old: no longer exists.
        """
        return ""

    with pytest.raises(TypeError, match="does not have: \\['old'\\]"):
        tool()(stale)
