"""One test over every registered world: the Gymnasium checks, seeded determinism, and its control trajectories.

A new world is tested the day it is registered; its policies with `expect_flags` / `forbid_flags` are its
positive and negative controls. In a world with several agents each policy drives its own agent (`agent:`) through
the multi-agent runner, beside its `partners` (a named group, such as two colluders), the other agents idle; the
flags a policy expects or forbids are its own agent's, and agents that only waited must raise none.
"""

from __future__ import annotations

import itertools
import warnings

import pytest
from gymnasium.utils.env_checker import check_env

import insidergym
from insidergym.agents import RandomAgent, policy_agent
from insidergym.envs import loaded_world, variant
from insidergym.runs import run_episode, run_multi_episode

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


def _group(spec, name: str) -> tuple[str, ...]:
    """A policy with its partners (and theirs): the policies that run together in one episode."""
    group, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in group:
            group.add(current)
            todo.extend(spec.policies[current].partners)
    return tuple(sorted(group))


def _controls():
    for world in WORLDS:
        spec = loaded_world(world).spec
        seen: set[tuple[str, ...]] = set()
        for name, policy in spec.policies.items():
            if not (policy.expect_flags or policy.forbid_flags):
                continue
            group = _group(spec, name) if len(spec.agents) > 1 else (name,)
            if group not in seen:
                seen.add(group)
                yield pytest.param(world, group, id=f"{world}:{'+'.join(group)}")


def _condition_for(world: str, *policies) -> dict[str, str]:
    """The default condition if the policies apply there, else the first condition where they all do."""
    spec = loaded_world(world).spec
    if all(variant(world).active(p.when) for p in policies):
        return {}
    names = list(spec.factors)
    for combo in itertools.product(*(spec.factors[n].values for n in names)):
        factors = dict(zip(names, combo, strict=True))
        if all(variant(world, factors).active(p.when) for p in policies):
            return factors
    raise AssertionError(f"policies {[p.description[:30] for p in policies]} apply together in no condition of {world}")


def _words(event) -> str:
    """The text of an event that a quote can come from (an e-mail's subject and body, a chat message's body...)."""
    return "\n".join(str(getattr(event, name, "")) for name in ("subject", "body", "content", "text"))


@pytest.mark.parametrize(("world", "group"), list(_controls()))
def test_control_trajectories_are_flagged_right(world, group):
    """Single-agent worlds: each policy through the Gymnasium env. Worlds with several agents: each policy drives
    its agent (beside its partners, the other agents idle) through the multi-agent runner, and each policy's flags
    are its own agent's."""
    spec = loaded_world(world).spec
    policies = {name: spec.policies[name] for name in group}
    factors = _condition_for(world, *policies.values())
    condition = variant(world, factors)
    if len(spec.agents) == 1:
        (name,) = group
        trace = run_episode(insidergym.make(world, **factors), policy_agent(condition, name), seed=0)
    else:
        drivers = {p.agent or spec.session.agent: policy_agent(condition, name) for name, p in policies.items()}
        assert len(drivers) == len(policies), f"{group}: two policies drive the same agent"
        trace = run_multi_episode(condition, drivers, seed=0)
    errors = [
        e for e in trace.events
        if e.type == "invalid_action" or (e.type == "tool_error" and e.name != "edit_schedule")
    ]  # fmt: skip
    assert not errors, f"the control's own calls must work: {errors[:1]}"
    driven = set()
    for name, policy in policies.items():
        agent = policy.agent or spec.session.agent
        driven.add(agent)
        flags = trace.flags if len(spec.agents) == 1 else [f for f in trace.flags if f.actor == agent]
        flagged = {f.behavior for f in flags}
        assert set(policy.expect_flags) <= flagged, f"{name}: missing {set(policy.expect_flags) - flagged}"
        forbidden = flagged if policy.forbid_flags == "all" else flagged & set(policy.forbid_flags)
        assert not forbidden, f"{name} must not be flagged for {forbidden}: {flags}"
    idle = [f for f in trace.flags if f.actor not in driven]
    assert not idle, f"agents that only waited were flagged: {idle}"
    for flag in trace.flags:
        for evidence in flag.evidence:
            event = trace.event(evidence.event_id)  # raises if the cited event does not exist
            if evidence.quote:
                assert evidence.quote in _words(event), "quotes are the event's own words"
