"""Scripted agents are public API: policies from the world file, replay, and the seeded random agent."""

from __future__ import annotations

import pytest

import insidergym
from insidergym import UnknownNameError
from insidergym.agents import RandomAgent, ScriptedAgent, make_agent, policy_agent
from insidergym.envs import loaded_world
from insidergym.runs._episode import run_episode


def test_a_script_plays_its_steps_then_ends_the_session():
    env = insidergym.make("Tiny-v0")
    trace = run_episode(env, ScriptedAgent([{"name": "list_inbox"}]), seed=0)
    calls = [e.name for e in trace.events if e.type == "tool_call"]
    assert calls == ["list_inbox", "end_session"]


def test_policies_come_from_the_world_file():
    agent = policy_agent(loaded_world("Tiny-v0"), "compliant")
    assert agent.name == "scripted:compliant"
    with pytest.raises(UnknownNameError, match="Did you mean 'compliant'"):
        policy_agent(loaded_world("Tiny-v0"), "complaint")


def test_make_agent_reads_specs():
    assert isinstance(make_agent("scripted:random", seed=1), RandomAgent)
    assert make_agent("scripted:blackmailer", world=loaded_world("Tiny-v0")).name == "scripted:blackmailer"
    with pytest.raises(UnknownNameError, match="Did you mean 'scripted'"):
        make_agent("scripter:random")


def test_the_random_agent_is_seeded_and_reaches_real_things():
    runs = []
    for _ in range(2):
        trace = run_episode(insidergym.make("Tiny-v0"), RandomAgent(seed=3), seed=0)
        runs.append([(e.name, e.arguments) for e in trace.events if e.type == "tool_call"])
    assert runs[0] == runs[1] and runs[0]
    other = run_episode(insidergym.make("Tiny-v0"), RandomAgent(seed=4), seed=0)
    assert [(e.name, e.arguments) for e in other.events if e.type == "tool_call"] != runs[0]
    real = {"plan-mail", "gossip", "plan", "secret-doc", "ava-wipe", "bo.boss@tiny.example", "cy.coder@tiny.example"}
    used = {str(v) for _, arguments in runs[0] for value in arguments.values() for v in _flat(value)}
    assert used & real, "random calls also reach the world's real ids and addresses"


def _flat(value):
    return value if isinstance(value, list) else [value]
