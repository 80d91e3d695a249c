"""World registration: versioned ids mapped to world folders, registered with Gymnasium by entry-point string.

A world comes from the package's own folders, from `register(world_id, folder)`, or from another package through the
`insidergym.worlds` entry point group (name: the world's id; value: its folder, or a callable returning it). Those
are found when a world is first looked up; their ids are declared to Gymnasium at import, without loading them, so
that `gymnasium.make("insidergym:Acme-v0")` works too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import gymnasium

from insidergym._errors import UnknownWorldError, WorldFileError
from insidergym.sim import declared_plugins, load_plugins, world_checks
from insidergym.worlds import WORLD_FILE, LoadedWorld, Variant, load_world, resolve_factors

__all__ = ["list_worlds", "loaded_world", "register", "variant", "world_path"]

ENTRY_POINT = "insidergym.envs._gym:InsiderEnv"
PLUGIN_GROUP = "insidergym.worlds"
FOLDER_ENV_ID = "insidergym/world-folder-v0"
"""The Gymnasium id under which `make` opens a world folder that is not registered."""
_WORLDS: dict[str, Path] = {}
_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z][A-Za-z0-9_.]*-v\d+)['\"]?\s*$", re.MULTILINE)


def register(world_id: str, world: str | Path, *, replace: bool = False) -> None:
    """Register a world folder under a versioned id, for `insidergym.make` and `gymnasium.make`.

    Args:
        world_id: e.g. "Acme-v0".
        world: the folder holding world.yaml.
        replace: allow re-registering an id that exists.

    Raises:
        WorldFileError: the folder has no world.yaml.
        ValueError: the id is taken and `replace` is false.
    """
    folder = Path(world)
    if not (folder / WORLD_FILE).is_file():
        raise WorldFileError(f"{folder}: no {WORLD_FILE} here, so no world to register as {world_id!r}")
    if world_id in _WORLDS and not replace and _WORLDS[world_id] != folder:
        raise ValueError(f"world id {world_id!r} is already registered for {_WORLDS[world_id]}; pass replace=True")
    _WORLDS[world_id] = folder
    if world_id in gymnasium.registry:
        del gymnasium.registry[world_id]
    gymnasium.register(id=world_id, entry_point=ENTRY_POINT, kwargs={"world": world_id}, disable_env_checker=True)


def _register_builtin() -> None:
    """Register the worlds shipped in the package (each folder of `insidergym/worlds` with a world.yaml), the id
    that opens any world folder, and declare to Gymnasium the ids of the worlds other packages provide, which are
    loaded when first looked up."""
    gymnasium.register(id=FOLDER_ENV_ID, entry_point=ENTRY_POINT, disable_env_checker=True)
    root = resources.files("insidergym.worlds")
    for folder in sorted(root.iterdir(), key=lambda f: f.name):
        manifest = folder / WORLD_FILE
        if not manifest.is_file():
            continue
        # Only the id is read here, from its own line, so that importing insidergym parses no YAML.
        match = _ID_LINE.search(manifest.read_text(encoding="utf-8"))
        if match:
            register(match.group(1), Path(str(folder)), replace=True)
    for world_id in declared_plugins(PLUGIN_GROUP):
        if world_id not in gymnasium.registry:
            gymnasium.register(
                id=world_id, entry_point=ENTRY_POINT, kwargs={"world": world_id}, disable_env_checker=True
            )


def _register_plugin(world_id: str, loaded: Any) -> None:
    """An entry point of `insidergym.worlds`: a world folder, or a callable returning one."""
    register(world_id, Path(loaded() if callable(loaded) else loaded))


def list_worlds() -> list[str]:
    """The ids of every registered world (those other packages provide included)."""
    load_plugins(PLUGIN_GROUP, _register_plugin)
    return sorted(_WORLDS)


def world_path(world: str | Path) -> Path:
    """The folder of a registered id, or the given folder.

    Raises:
        UnknownWorldError: neither a registered id nor a world folder.
    """
    if isinstance(world, str) and world not in _WORLDS:
        load_plugins(PLUGIN_GROUP, _register_plugin)
    if isinstance(world, str) and world in _WORLDS:
        return _WORLDS[world]
    path = Path(world)
    if path.is_dir() or (path.suffix in {".yaml", ".yml"} and os.path.lexists(path)):
        return path  # a folder or file that is not a good world: loading it says what is wrong
    raise UnknownWorldError(str(world), _WORLDS)


@dataclass
class _Loaded:
    world: LoadedWorld
    variants: dict[tuple[tuple[str, str], ...], Variant] = field(default_factory=dict)


_LOADED: dict[Path, _Loaded] = {}


def _load(path: Path) -> _Loaded:
    """The world at a path, loaded again when one of its files changed since (a world being written is edited
    between two `make` calls in one process)."""
    cached = _LOADED.get(path)
    if cached is None or not cached.world.is_current():
        cached = _Loaded(load_world(path, checks=world_checks()))
        _LOADED[path] = cached
    return cached


def loaded_world(world: str | Path) -> LoadedWorld:
    """The validated world for an id or folder; loaded once, and again after its files change."""
    return _load(Path(os.path.realpath(world_path(world)))).world


def variant(world: str | Path, factors: dict[str, Any] | None = None) -> Variant:
    """The world under the given factors (the rest at their defaults); cached per condition."""
    loaded = _load(Path(os.path.realpath(world_path(world))))
    key = tuple(sorted(resolve_factors(loaded.world, factors).items()))
    if key not in loaded.variants:
        loaded.variants[key] = Variant(loaded.world, dict(key))
    return loaded.variants[key]
