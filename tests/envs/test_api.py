"""The public surface of envs and runs: typed returns, the top-level package built from public names only, and
PettingZoo optional."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import gymnasium
import pytest

import insidergym
import insidergym.envs
import insidergym.runs
from insidergym.envs import _pettingzoo

PACKAGE = Path(insidergym.__file__).parent


def _public_functions() -> Iterator[tuple[str, Callable[..., object]]]:
    """Every public function of envs and runs, and every public method of their public classes."""
    exported = [(m, n) for m in (insidergym.envs, insidergym.runs, _pettingzoo) for n in m.__all__]
    for module, name in exported:
        obj = getattr(module, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            for attribute, member in vars(obj).items():
                function = member.fget if isinstance(member, property) else member
                if not attribute.startswith("_") and inspect.isfunction(function):
                    yield f"{name}.{attribute}", function


def _anys(hint: object) -> Iterator[object]:
    """The places `Any` hides in a type, other than as the values of a str-keyed dict: a JSON object, or the
    `info` dict of Gymnasium's and PettingZoo's API."""
    if hint is Any:
        yield hint
        return
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (dict, Mapping) and args == (str, Any):
        return
    if hint in (dict, list, tuple, set, gymnasium.Env):  # unparameterised: Any in disguise
        yield hint
    for arg in args:
        yield from _anys(arg)


def test_public_functions_of_envs_and_runs_return_precise_types():
    checked = {}
    for name, function in _public_functions():
        if not function.__module__.startswith(("insidergym.envs", "insidergym.runs")):
            continue  # re-exported from the engine: checked there
        checked[name] = typing.get_type_hints(function, localns=vars(_pettingzoo)).get("return", "missing")
    assert {"make", "parallel_env", "aec_env", "run_episode", "InsiderEnv.step"} <= set(checked)
    untyped = {name: hint for name, hint in checked.items() if hint == "missing" or list(_anys(hint))}
    assert not untyped


def test_make_and_the_pettingzoo_views_say_what_they_return():
    hints = {f.__name__: typing.get_type_hints(f, localns=vars(_pettingzoo))["return"] for f in (
        insidergym.make, insidergym.parallel_env, insidergym.aec_env
    )}  # fmt: skip
    assert typing.get_origin(hints["make"]) is gymnasium.Env
    assert typing.get_args(hints["make"])[0] is insidergym.envs.Observation
    assert hints["parallel_env"] is _pettingzoo.InsiderParallelEnv
    assert hints["aec_env"] is _pettingzoo.InsiderAECEnv
    assert isinstance(insidergym.parallel_env("PeerShutdown-v0"), _pettingzoo.InsiderParallelEnv)
    assert isinstance(insidergym.aec_env("PeerShutdown-v0"), _pettingzoo.InsiderAECEnv)


def test_the_top_level_package_imports_only_public_names_of_its_subpackages():
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    private = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("insidergym."):
            continue
        parts = (node.module or "").split(".")[1:]
        own_module = len(parts) == 1 and parts[0] in {"_errors", "_version"}
        names = [a.name for a in node.names if a.name.startswith("_") and a.name != "__version__"]
        if names or (not own_module and any(p.startswith("_") for p in parts)):
            private.append(f"from {node.module} import {', '.join(a.name for a in node.names)}")
    assert not private
    assert all(hasattr(insidergym, name) for name in insidergym.__all__)


@pytest.mark.parametrize("make", ["parallel_env", "aec_env"])
def test_a_pettingzoo_view_without_pettingzoo_says_how_to_install_it(make):
    code = (
        "import sys; sys.modules['pettingzoo'] = None; import insidergym\n"
        "try:\n"
        f"    insidergym.{make}('PeerShutdown-v0')\n"
        "except ModuleNotFoundError as err:\n"
        "    print(err)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stderr
    assert "pip install 'insidergym[multiagent]'" in result.stdout
