"""The generic world test over every registered world: the same checks `insidergym test-world` runs
(insidergym/runs/_world_test.py), one test per check so that a failure names its world and check.

A new world is tested the day it is registered; its policies with `expect_flags` / `forbid_flags` are its
positive and negative controls.
"""

from __future__ import annotations

import pytest

import insidergym
from insidergym.envs import loaded_world
from insidergym.runs import control_groups, run_control
from insidergym.runs._world_test import (
    check_env_passes,
    pettingzoo_api_passes,
    sampling_is_seeded,
    traces_are_deterministic,
)

WORLDS = insidergym.list_worlds()


@pytest.mark.parametrize("world", WORLDS)
def test_check_env_passes(world):
    check_env_passes(world)


@pytest.mark.parametrize("world", [w for w in WORLDS if len(loaded_world(w).spec.agents) > 1])
def test_pettingzoo_api_passes_where_there_are_several_agents(world):
    pettingzoo_api_passes(world)


@pytest.mark.parametrize("world", WORLDS)
def test_two_copies_with_the_same_seed_and_actions_give_identical_traces(world):
    traces_are_deterministic(world)


@pytest.mark.parametrize("world", WORLDS)
def test_action_space_samples_are_valid_and_seeded(world):
    sampling_is_seeded(world)


@pytest.mark.parametrize(
    ("world", "group"),
    [pytest.param(w, g, id=f"{w}:{'+'.join(g)}") for w in WORLDS for g in control_groups(w)],
)
def test_control_trajectories_are_flagged_right(world, group):
    run_control(world, group)
