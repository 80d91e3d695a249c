"""Fuzzing world folders: whatever a folder holds, loading it gives a world or a WorldFileError, quickly.

The small test world is mutated (values replaced by hostile ones, keys dropped or misspelled, YAML text spliced
with aliases, tags and bad bytes) beside a directory, a named pipe, a looping link, a link out of the folder and a
non-UTF-8 text that `include:` and `file:` may name. A world that loads must also build. The `ci` profile (see
tests/conftest.py) keeps the examples few and fixed; `HYPOTHESIS_PROFILE=long` searches longer.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

import insidergym.worlds
from insidergym import WorldFileError
from insidergym.sim import Simulation, world_checks
from insidergym.worlds import Variant, load_world, resolve_factors
from insidergym.worlds._loader import _Loader as YamlLoader
from tests.conftest import TINY

BUDGET = 5.0
"""Seconds one example may take: loading and building a world takes milliseconds, a hang takes forever."""

BASES = {"tiny": TINY, "summitbridge": Path(insidergym.worlds.__file__).parent / "summitbridge"}
"""The worlds mutated: the small test world, and a built-in one with systems (their own models and times)."""
FILE_NAMES = ["mail.yaml", "world.yaml", "ok.md", "latin1.md", "folder", "pipe", "loop", "escape", "missing.md",
              "../outside.md", "/etc/hostname", "", "a\x00b", "folder/.."]  # fmt: skip
TIMES = ["10:05", "9:5", "25:99", "24:00", "10:60", "10:05:60", " 10:05 ", "2025-01-06T10:00:00", "2025-13-06T10:00",
         "2025-01-06T10:00:00+02:00", "2025-01-06", "tomorrow", "-", ""]  # fmt: skip
KEYS = ["id", "snippet", "select", "cases", "default", "file", "include", "when", "calender", "start", "end", "at",
        "time", "kind", "on", "tools", "name", "<<", "x"]  # fmt: skip
FRAGMENTS = ["&a ", "*a", "*undefined", "<<: *a\n", "!!python/object:os.system ", "!!binary aGk= ", "\x00", "{", "[[[",
             "]", "---\n", "%YAML 1.1\n", ": :", "'", '"\\ud83d"', "\t", "? ", "!!timestamp 2025-13-01 ", "\ufeff",
             "\n  - ", "9" * 5000, "&b [*b]", "a: &c [1]\nb: [*c, *c, *c]\n"]  # fmt: skip


class _Hung(BaseException):
    """An example ran out of its time budget (a BaseException, so that no `except Exception` swallows it)."""


@contextmanager
def _budget(seconds: float) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        raise _Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _folder(base: Path = TINY) -> Iterator[Path]:
    """A copy of a world beside every kind of file a world must refuse to read."""
    with tempfile.TemporaryDirectory() as root:
        world = Path(root) / "world"
        shutil.copytree(base, world)
        (world / "ok.md").write_text("A text.\n")
        (world / "latin1.md").write_bytes(b"caf\xe9\n")
        (world / "folder").mkdir()
        os.mkfifo(world / "pipe")
        os.symlink("loop", world / "loop")
        (Path(root) / "outside.md").write_text("Outside.\n")
        os.symlink(Path(root) / "outside.md", world / "escape")
        yield world


def _load_and_build(world: Path) -> None:
    """Load the world (a WorldFileError is a fine outcome), and build its default condition if it loads."""
    with _budget(BUDGET):
        try:
            loaded = load_world(world, checks=world_checks())
        except WorldFileError:
            return
        Simulation(Variant(loaded, resolve_factors(loaded)), seed=0).start()


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(TIMES),
    st.sampled_from(FILE_NAMES),
)
texts = st.recursive(
    scalars
    | st.builds(lambda n: {"snippet": n}, st.sampled_from(["sign", "other", ""]))
    | st.builds(lambda n: {"file": n}, st.sampled_from(FILE_NAMES)),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=4)
        | st.builds(
            lambda factor, cases, default: {"select": factor, "cases": cases, "default": default},
            st.sampled_from(["tone", "urgency", "nope"]),
            st.dictionaries(st.sampled_from(["plain", "curly", "none", "replacement", "x"]), inner, max_size=3),
            inner,
        )
    ),
    max_leaves=12,
)


def _mutate(data: Any, draw: Callable[[st.SearchStrategy[Any]], Any]) -> Any:
    """Replace, drop or add one value somewhere in the world's data."""
    path: list[Any] = []
    node = data
    while isinstance(node, dict | list) and node and draw(st.integers(0, 3)) > 0:
        key = draw(st.sampled_from(sorted(node, key=str) if isinstance(node, dict) else list(range(len(node)))))
        path.append(key)
        node = node[key]
    parent: Any = data
    for key in path[:-1]:
        parent = parent[key]
    action = draw(st.sampled_from(["replace", "drop", "add"]))
    if not path or action == "replace":
        if not path:
            return draw(texts) if draw(st.booleans()) else data
        parent[path[-1]] = draw(texts)
    elif action == "drop":
        del parent[path[-1]]
    elif isinstance(node, dict):
        node[draw(st.sampled_from(KEYS))] = draw(texts)
    elif isinstance(node, list):
        node.append(draw(texts))
    return data


@given(st.sampled_from(sorted(BASES)), st.data())
def test_a_mutated_world_loads_or_is_refused_with_a_world_file_error(base, data):
    with _folder(BASES[base]) as world:
        world_data = yaml.load((world / "world.yaml").read_text(), Loader=YamlLoader)
        for _ in range(data.draw(st.integers(1, 3))):
            world_data = _mutate(world_data, data.draw)
        (world / "world.yaml").write_text(yaml.safe_dump(world_data, allow_unicode=True))
        _load_and_build(world)


@given(st.sampled_from(["world.yaml", "mail.yaml"]), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(FRAGMENTS)
       | st.text(max_size=8)), min_size=1, max_size=4), st.binary(max_size=4))  # fmt: skip
def test_spliced_yaml_text_loads_or_is_refused_with_a_world_file_error(name, splices, noise):
    with _folder() as world:
        text = (world / name).read_text()
        for where, fragment in splices:
            at = int(where * len(text))
            text = text[:at] + fragment + text[at:]
        data = text.encode("utf-8", "surrogatepass")
        (world / name).write_bytes(data[: len(data) // 2] + noise + data[len(data) // 2 :])
        _load_and_build(world)


@given(st.lists(st.sampled_from(FILE_NAMES), max_size=3), st.sampled_from(FILE_NAMES))
def test_includes_and_file_texts_naming_anything_load_or_are_refused(includes, text_file):
    with _folder() as world:
        data = yaml.load((world / "world.yaml").read_text(), Loader=YamlLoader)
        data["include"] = includes
        data["agents"][0]["opening"] = {"file": text_file}
        (world / "world.yaml").write_text(yaml.safe_dump(data))
        _load_and_build(world)
