"""World registration: versioned ids mapped to world folders, registered with Gymnasium by entry-point string.

A world comes, in this order of precedence, from:
- the package's own folders (`built-in`);
- `register(world_id, folder)` in Python;
- another package, through the `insidergym.worlds` entry point group (name: the world's id; value: its folder, or
  a callable returning it);
- the search path: the folders in the `INSIDERGYM_WORLDS_PATH` environment variable (separated like PATH), then
  those in the user config's `[worlds] path` (`~/.config/insidergym/config.toml`, or under `$XDG_CONFIG_HOME`;
  relative to the config file). Each is a world folder or a folder of world folders.

Entry points and the search path are read when a world is first looked up; their ids are declared to Gymnasium at
import, without loading them, so that `gymnasium.make("insidergym:Acme-v0")` works too. A search-path folder that
holds no world, or a world whose id is taken, is skipped and listed by `search_path_report` (and `insidergym worlds`).
"""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import gymnasium

from insidergym._errors import UnknownWorldError, WorldFileError
from insidergym.sim import declared_plugins, load_plugins, world_checks
from insidergym.worlds import (
    FAMILY_ID,
    WORLD_FILE,
    WORLD_ID,
    LoadedWorld,
    Variant,
    generated_world,
    load_world,
    procedural_seed,
    resolve_factors,
)

__all__ = [
    "SEARCH_PATH_VARIABLE",
    "SearchPathReport",
    "config_file",
    "list_worlds",
    "loaded_world",
    "register",
    "search_path_report",
    "variant",
    "world_origin",
    "world_path",
]

ENTRY_POINT = "insidergym.envs._gym:InsiderEnv"
PROCEDURAL_ENTRY_POINT = "insidergym.envs._gym:procedural_env"
PLUGIN_GROUP = "insidergym.worlds"
FOLDER_ENV_ID = "insidergym/world-folder-v0"
"""The Gymnasium id under which `make` opens a world folder that is not registered."""
SEARCH_PATH_VARIABLE = "INSIDERGYM_WORLDS_PATH"
_WORLDS: dict[str, Path] = {}
_ORIGINS: dict[str, str] = {}
_ID_LINE = re.compile(rf"^id:\s*['\"]?({WORLD_ID})['\"]?\s*$", re.MULTILINE)


def register(world_id: str, world: str | Path, *, replace: bool = False, origin: str = "registered in Python") -> None:
    """Register a world folder under a versioned id, for `insidergym.make` and `gymnasium.make`.

    Args:
        world_id: e.g. "Acme-v0".
        world: the folder holding world.yaml.
        replace: allow re-registering an id that exists.
        origin: where the world came from, as `insidergym worlds` shows it.

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
    _ORIGINS[world_id] = origin
    if world_id in gymnasium.registry:
        del gymnasium.registry[world_id]
    gymnasium.register(id=world_id, entry_point=ENTRY_POINT, kwargs={"world": world_id}, disable_env_checker=True)


def _register_builtin() -> None:
    """Register the worlds shipped in the package (each folder of `insidergym/worlds` with a world.yaml), the id
    that opens any world folder, and declare to Gymnasium the ids of the worlds other packages provide, which are
    loaded when first looked up."""
    gymnasium.register(id=FOLDER_ENV_ID, entry_point=ENTRY_POINT, disable_env_checker=True)
    # The family of generated worlds: `seed_world=N` picks one, generated when first made (never at import).
    gymnasium.register(id=FAMILY_ID, entry_point=PROCEDURAL_ENTRY_POINT, disable_env_checker=True)
    root = resources.files("insidergym.worlds")
    for folder in sorted(root.iterdir(), key=lambda f: f.name):
        manifest = folder / WORLD_FILE
        if not manifest.is_file():
            continue
        # Only the id is read here, from its own line, so that importing insidergym parses no YAML.
        match = _ID_LINE.search(manifest.read_text(encoding="utf-8"))
        if match:
            register(match.group(1), Path(str(folder)), replace=True, origin="built-in")
    with contextlib.suppress(WorldFileError):  # a broken config must not break `import insidergym`
        _register_search_path()  # (the first lookup reports it)
    for world_id in declared_plugins(PLUGIN_GROUP):
        if world_id not in gymnasium.registry:
            gymnasium.register(
                id=world_id, entry_point=ENTRY_POINT, kwargs={"world": world_id}, disable_env_checker=True
            )


def _register_plugin(world_id: str, loaded: Any) -> None:
    """An entry point of `insidergym.worlds`: a world folder, or a callable returning one."""
    folder = Path(loaded() if callable(loaded) else loaded)
    if _ORIGINS.get(world_id, "").startswith("search path"):  # a package outranks a folder on the search path
        del _WORLDS[world_id]
    register(world_id, folder, origin=f"package (entry point {PLUGIN_GROUP})")


def config_file() -> Path:
    """The user config: `$XDG_CONFIG_HOME/insidergym/config.toml`, by default under `~/.config`."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "insidergym" / "config.toml"


def _search_folders() -> list[tuple[Path, str]]:
    """The search path's folders, each with where it was named.

    Raises:
        WorldFileError: the user config is not TOML, or its `[worlds] path` is not a list of folders.
    """
    folders = [
        (Path(part).expanduser(), f"${SEARCH_PATH_VARIABLE}")
        for part in os.environ.get(SEARCH_PATH_VARIABLE, "").split(os.pathsep)
        if part.strip()
    ]
    config = config_file()
    if not config.is_file():
        return folders
    try:
        settings = tomllib.loads(config.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as err:
        raise WorldFileError(f"{config}: cannot read the insidergym config: {err}") from None
    paths = settings.get("worlds", {}).get("path", [])
    paths = [paths] if isinstance(paths, str) else paths
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise WorldFileError(f'{config}: [worlds] path must be a list of folders, e.g. path = ["~/worlds"]')
    return folders + [(config.parent / Path(p).expanduser(), str(config)) for p in paths]


@dataclass(frozen=True)
class SearchPathReport:
    """The search path as it stands: its folders (with where each was named) and what was skipped, and why."""

    folders: list[tuple[Path, str]]
    skipped: list[tuple[Path, str]]


def _register_search_path() -> SearchPathReport:
    folders = _search_folders()
    skipped: list[tuple[Path, str]] = []
    for folder, named_in in folders:
        if (folder / WORLD_FILE).is_file():
            candidates = [folder]
        elif folder.is_dir():
            candidates = sorted(p.parent for p in folder.glob(f"*/{WORLD_FILE}"))
            if not candidates:
                skipped.append((folder, f"holds no world folder (no */{WORLD_FILE}); named in {named_in}"))
        else:
            skipped.append((folder, f"no such folder; named in {named_in}"))
            continue
        for candidate in candidates:
            match = _ID_LINE.search((candidate / WORLD_FILE).read_text(encoding="utf-8", errors="replace"))
            if not match:
                skipped.append((candidate, f"its {WORLD_FILE} has no `id: Name-vN` line"))
                continue
            world_id = match.group(1)
            taken = _WORLDS.get(world_id)
            if taken is None:
                register(world_id, candidate, origin=f"search path ({named_in})")
            elif os.path.realpath(taken) != os.path.realpath(candidate):
                skipped.append((candidate, f"{world_id} is already {taken} ({_ORIGINS[world_id]})"))
    return SearchPathReport(folders, skipped)


def search_path_report() -> SearchPathReport:
    """Read the search path again (registering what it adds) and say what it holds and skips."""
    load_plugins(PLUGIN_GROUP, _register_plugin)
    return _register_search_path()


def _find_all() -> None:
    load_plugins(PLUGIN_GROUP, _register_plugin)
    _register_search_path()


def list_worlds() -> list[str]:
    """The ids of every registered world (those other packages and the search path provide included)."""
    _find_all()
    return sorted(_WORLDS)


def world_origin(world_id: str) -> str:
    """Where a registered world came from: built-in, registered in Python, a package, or the search path."""
    return _ORIGINS.get(world_id, "registered")


def world_path(world: str | Path) -> Path:
    """The folder of a registered id, or the given folder; for a generated world's id ("Procedural_0007-v0"), its
    folder in the cache (generated again if need be), and for the family's id (`Procedural-v0`), the world of seed 0.

    Raises:
        UnknownWorldError: neither a registered id nor a world folder.
    """
    if isinstance(world, str) and world not in _WORLDS:
        _find_all()
    if isinstance(world, str) and world in _WORLDS:
        return _WORLDS[world]
    if world == FAMILY_ID:
        return generated_world(0)
    seed = procedural_seed(world) if isinstance(world, str) else None
    if seed is not None:
        return generated_world(seed)
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
