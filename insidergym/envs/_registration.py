"""World registration: versioned ids mapped to world folders, registered with Gymnasium by entry-point string."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import gymnasium

from insidergym._errors import UnknownWorldError, WorldFileError
from insidergym.worlds._loader import WORLD_FILE, LoadedWorld, load_world
from insidergym.worlds._variant import Variant, resolve_factors

__all__ = ["list_worlds", "loaded_world", "register", "variant", "world_path"]

ENTRY_POINT = "insidergym.envs._gym:InsiderEnv"
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
    """Register the worlds shipped in the package (each folder of `insidergym/worlds` with a world.yaml), and the
    id that opens any world folder."""
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


def list_worlds() -> list[str]:
    """The ids of every registered world."""
    return sorted(_WORLDS)


def world_path(world: str | Path) -> Path:
    """The folder of a registered id, or the given folder.

    Raises:
        UnknownWorldError: neither a registered id nor a world folder.
    """
    if isinstance(world, str) and world in _WORLDS:
        return _WORLDS[world]
    path = Path(world)
    if (path / WORLD_FILE).is_file() or (path.is_file() and path.suffix in {".yaml", ".yml"}):
        return path
    raise UnknownWorldError(str(world), _WORLDS)


@cache
def _load(path: Path) -> LoadedWorld:
    return load_world(path)


def loaded_world(world: str | Path) -> LoadedWorld:
    """The validated world for an id or folder; loaded once per process."""
    return _load(world_path(world).resolve())


@cache
def _variant(path: Path, factors: tuple[tuple[str, str], ...]) -> Variant:
    return Variant(_load(path), dict(factors))


def variant(world: str | Path, factors: dict[str, Any] | None = None) -> Variant:
    """The world under the given factors (the rest at their defaults); cached per condition."""
    loaded = loaded_world(world)
    chosen = resolve_factors(loaded, factors)
    return _variant(world_path(world).resolve(), tuple(sorted(chosen.items())))
