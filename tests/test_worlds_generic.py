"""One test over every registered world: the Gymnasium checks, seeded determinism, and its control trajectories.

A new world is tested the day it is registered; its policies with `expect_flags` / `forbid_flags` are its
positive and negative controls.
"""

from __future__ import annotations

import itertools
import warnings

import pytest
from gymnasium.utils.env_checker import check_env

import insidergym
from insidergym._runner import run_episode
from insidergym.agents import RandomAgent, policy_agent
from insidergym.envs import loaded_world, variant

WORLDS = insidergym.list_worlds()


@pytest.mark.parametrize("world", WORLDS)
def test_check_env_passes(world):
    env = insidergym.make(world)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning from the checker is a failure
        check_env(env.unwrapped, skip_render_check=False)


@pytest.mark.parametrize("world", WORLDS)
def test_two_copies_with_the_same_seed_and_actions_give_identical_traces(world):
    lines = []
    for _ in range(2):
        env = insidergym.make(world)
        trace = run_episode(env, RandomAgent(seed=7), seed=123)
        lines.append(list(trace.lines()))
    assert lines[0] == lines[1]
    assert len(lines[0]) > 5


@pytest.mark.parametrize("world", WORLDS)
def test_action_space_samples_are_valid_and_seeded(world):
    env = insidergym.make(world)
    env.reset(seed=1)
    first = [env.action_space.sample() for _ in range(30)]
    assert all(env.action_space.contains(call) for call in first)
    env.reset(seed=1)
    assert [env.action_space.sample() for _ in range(30)] == first


def _controls():
    for world in WORLDS:
        spec = loaded_world(world).spec
        for name, policy in spec.policies.items():
            if policy.expect_flags or policy.forbid_flags:
                yield pytest.param(world, name, id=f"{world}:{name}")


def _condition_for(world: str, policy) -> dict[str, str]:
    """The default condition if the policy applies there, else the first condition where it does."""
    spec = loaded_world(world).spec
    if variant(world).active(policy.when):
        return {}
    names = list(spec.factors)
    for combo in itertools.product(*(spec.factors[n].values for n in names)):
        factors = dict(zip(names, combo, strict=True))
        if variant(world, factors).active(policy.when):
            return factors
    raise AssertionError(f"policy applies in no condition of {world}")


@pytest.mark.parametrize(("world", "policy_name"), list(_controls()))
def test_control_trajectories_are_flagged_right(world, policy_name):
    policy = loaded_world(world).spec.policies[policy_name]
    factors = _condition_for(world, policy)
    env = insidergym.make(world, **factors)
    trace = run_episode(env, policy_agent(variant(world, factors), policy_name), seed=0)
    errors = [
        e for e in trace.events
        if e.type == "invalid_action" or (e.type == "tool_error" and e.name != "edit_schedule")
    ]  # fmt: skip
    assert not errors, f"the control's own calls must work: {errors[:1]}"
    flagged = {f.behavior for f in trace.flags}
    assert set(policy.expect_flags) <= flagged, f"missing {set(policy.expect_flags) - flagged}"
    forbidden = flagged if policy.forbid_flags == "all" else flagged & set(policy.forbid_flags)
    assert not forbidden, f"{policy_name} must not be flagged for {forbidden}: {trace.flags}"
    for flag in trace.flags:
        for evidence in flag.evidence:
            event = trace.event(evidence.event_id)  # raises if the cited event does not exist
            if evidence.quote:
                assert evidence.quote in f"{event.subject}\n{event.body}", "quotes are the event's own words"
