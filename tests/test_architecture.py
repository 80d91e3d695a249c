"""The folder tree is the architecture: these checks keep it so (import-linter checks the layers in .ci/run).

- no import cycle between modules of the package;
- outside its own subpackage, code imports only what a subpackage's `__init__` exports, never its private modules;
- no `insidergym` import hidden in a function body (a way to dodge a cycle); optional third-party packages may be;
- the engine, the company systems and the detectors name no world's people, agents or products: what they need to
  know of a world comes from the world file or the state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import yaml

import insidergym
from insidergym.envs import list_worlds, loaded_world

PACKAGE = Path(insidergym.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
WORLD_INDEPENDENT = ("sim", "systems", "detectors")


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
            yield node.lineno, node.module


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
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            if node.lineno <= line <= (node.end_lineno or node.lineno):
                return True
    return False


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
    ]
    assert not hidden, "move these imports to the top of the module:\n" + "\n".join(hidden)


def _world_words() -> set[str]:
    """Names, ids and products of every built-in world: its people's and agents' names and ids, replacements."""
    words: set[str] = set()
    for world in list_worlds():
        spec = loaded_world(world).spec
        for person in [*spec.people, *spec.agents]:
            words.add(person.id)
            words.update((person.name or "").split())
        for entry in spec.schedule:
            words.update(entry.replacement.split())
    return {w.lower() for w in words if len(w) >= 3 and w.isalpha()} - _ORDINARY


_ORDINARY = {"the", "and", "ops", "mail", "assistant", "operations"}
"""Words that are a world's ids but also ordinary English (the `ops` agent), which code may well contain."""


@pytest.mark.parametrize("folder", WORLD_INDEPENDENT)
def test_engine_systems_and_detectors_name_no_world_people(folder):
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _world_words()))) + r")\b", re.IGNORECASE)
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()[:80]}"
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, "take these from the world file or the state:\n" + "\n".join(found[:20])


def test_the_world_words_are_found_at_all():
    words = _world_words()
    assert {"kyle", "alex", "nala"} <= words, "the check above must know the flagship world's people"
    assert yaml  # the world files are YAML; the words come from their parsed form, not from this test
