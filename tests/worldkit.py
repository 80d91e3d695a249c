"""Test worlds made from the tiny test world: a copy under another id with systems, tools and agents added."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

import insidergym
from insidergym.envs import Simulation, variant
from insidergym.worlds._loader import _Loader as YamlLoader
from tests.conftest import TINY


def tiny_world(
    folder: Path,
    world_id: str,
    *,
    systems: Iterable[Mapping[str, Any]] = (),
    tools: Iterable[str] = (),
    agents: Iterable[Mapping[str, Any]] = (),
    schedule: Iterable[Mapping[str, Any]] | None = None,
    triggers: Iterable[Mapping[str, Any]] = (),
) -> str:
    """Register a copy of tests/data/tiny as `world_id`, with `systems`, more `tools` for Ava, more `agents`, a new
    `schedule` (None keeps Tiny's) and more `triggers`; its policies are dropped. Returns the id."""
    shutil.copytree(TINY, folder)
    data = yaml.load((folder / "world.yaml").read_text(), Loader=YamlLoader)
    data["id"] = world_id
    data["systems"] = [dict(s) for s in systems]
    data["agents"][0]["tools"] += list(tools)
    data["agents"] += [dict(a) for a in agents]
    if schedule is not None:
        data["schedule"] = [dict(s) for s in schedule]
    data["triggers"] += [dict(t) for t in triggers]
    data.pop("policies")
    (folder / "world.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    insidergym.register(world_id, folder, replace=True)
    return world_id


def run_calls(world: str, *calls: Mapping[str, Any], actor: str = "ava", **factors: str) -> Simulation:
    """A seeded episode of `world` in which `actor` makes these calls, one a step, until the episode ends."""
    sim = Simulation(variant(world, factors), seed=0)
    sim.start()
    for call in calls:
        if sim.trace.end is None:
            sim.step({actor: call})
    return sim
