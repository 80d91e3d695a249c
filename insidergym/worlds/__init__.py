"""The world format, its loader, and the built-in worlds (each a data folder beside this file).

Nothing here depends on the engine: what a world may name of it (system kinds, tools, event types) is passed to
`load_world` as `WorldChecks`.
"""

from __future__ import annotations

import json
from typing import Any

from insidergym.worlds._loader import WORLD_FILE, LoadedWorld, WorldChecks, load_world
from insidergym.worlds._new_world import new_world
from insidergym.worlds._procedural import (
    FAMILY_ID,
    generate_world,
    generated_world,
    procedural_seed,
    procedural_world_id,
    world_files,
)
from insidergym.worlds._schema import (
    WORLD_ID,
    AgentSpec,
    CharacterSpec,
    Classification,
    EmailSpec,
    ReactionSpec,
    ScheduleChangeSpec,
    SimTime,
    Text,
    TriggerSpec,
    When,
    WorldSpec,
)
from insidergym.worlds._schema import _Spec as SpecModel  # the base of world-file models, for systems' own parts
from insidergym.worlds._variant import Variant, every_case, resolve_factors

__all__ = [
    "FAMILY_ID",
    "WORLD_FILE",
    "WORLD_ID",
    "AgentSpec",
    "CharacterSpec",
    "Classification",
    "EmailSpec",
    "LoadedWorld",
    "ReactionSpec",
    "ScheduleChangeSpec",
    "SimTime",
    "SpecModel",
    "Text",
    "TriggerSpec",
    "Variant",
    "When",
    "WorldChecks",
    "WorldSpec",
    "every_case",
    "generate_world",
    "generated_world",
    "load_world",
    "new_world",
    "procedural_seed",
    "procedural_world_id",
    "resolve_factors",
    "world_files",
    "world_schema",
]


def world_schema() -> dict[str, Any]:
    """The JSON Schema of world.yaml, for editors that validate YAML."""
    schema = WorldSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "insidergym world"
    return json.loads(json.dumps(schema))
