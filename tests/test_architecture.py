"""The folder tree is the architecture: these checks keep it so (import-linter checks the layers in .ci/run).

- no import cycle between modules of the package;
- outside its own subpackage, code imports only what a subpackage's `__init__` exports, never its private modules;
- no `insidergym` import hidden in a function body (a way to dodge a cycle); optional third-party packages may be;
(tests/detectors/test_text.py keeps the world's names out of the engine, the company systems and the detectors.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

import insidergym

PACKAGE = Path(insidergym.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
OPTIONAL = {"insidergym.envs._pettingzoo"}
"""Modules built on an optional package (PettingZoo subclasses): imported on first use, so that installing the
package without that extra still works."""


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST, module: str, *, top_level: bool) -> Iterator[tuple[int, str]]:
    """(line, imported module) for each `insidergym` import, at module level or (top_level=False) in functions."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    nodes = (
        [n for n in ast.walk(tree) if not any(isinstance(p, functions) for p in _parents(tree, n))]
        if top_level
        else [n for f in ast.walk(tree) if isinstance(f, functions) for n in ast.walk(f)]
    )
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names if a.name.startswith("insidergym"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("insidergym"):
            # `from package import _module` imports the module, not the package's __init__
            submodules = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in NAMES]
            yield from ((node.lineno, s) for s in submodules) if submodules else [(node.lineno, node.module)]


_PARENTS: dict[int, dict[int, ast.AST]] = {}


def _parents(tree: ast.AST, node: ast.AST) -> Iterator[ast.AST]:
    if id(tree) not in _PARENTS:
        _PARENTS[id(tree)] = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    table = _PARENTS[id(tree)]
    while id(node) in table:
        node = table[id(node)]
        yield node


def _in_type_checking(tree: ast.AST, line: int) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and "TYPE_CHECKING" in ast.unparse(node.test)
            and node.lineno <= line <= (node.end_lineno or node.lineno)
        ):
            return True
    return False


NAMES = {_name(p) for p in MODULES}
TREES = {_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in MODULES}


def test_the_module_graph_has_no_cycle():
    graph = nx.DiGraph()
    for module, tree in TREES.items():
        for line, imported in _imports(tree, module, top_level=True):
            if imported in TREES and imported != module and not _in_type_checking(tree, line):
                graph.add_edge(module, imported)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not cycles, f"modules that import each other in a circle: {cycles}"


def _subpackage(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def test_other_subpackages_are_reached_through_their_public_names():
    private = []
    for module, tree in TREES.items():
        for line, imported in _imports(tree, module, top_level=True):
            target = _subpackage(imported)
            inner = imported.split(".")[2:] if imported.count(".") >= 2 else []
            if target != _subpackage(module) and target != "insidergym" and any(p.startswith("_") for p in inner):
                private.append(f"{module}:{line} imports {imported}")
    assert not private, "import the subpackage's public names instead:\n" + "\n".join(private)


def test_no_insidergym_import_is_hidden_in_a_function():
    hidden = [
        f"{module}:{line} imports {imported}"
        for module, tree in TREES.items()
        for line, imported in _imports(tree, module, top_level=False)
        if imported not in OPTIONAL
    ]
    assert not hidden, "move these imports to the top of the module:\n" + "\n".join(hidden)
