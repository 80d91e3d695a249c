"""Property-based tests of what agents may send to `env.step` and PettingZoo's `parallel_env.step`.

Whatever an agent sends (plain calls, hostile data, deep nesting, huge payloads, JSON text of all of these), the
step returns; an action that does not run a tool changes nothing in the world (the test worlds here make a bad call
cost no simulated time, so the clock must not move either); and the trace file loads with every event and flag
that memory has.

CI runs the `ci` hypothesis profile (tests/conftest.py): derandomized, 200 examples a test. To search longer, with
fresh random examples, run by hand:

    pytest --hypothesis-profile=long tests/sim/test_fuzz.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import insidergym
from insidergym import UnknownNameError
from insidergym.envs import Simulation, variant
from tests.conftest import DATA
from tests.fuzzkit import actions, assert_file_matches_memory, text, with_session, world


def _vocabulary(sim: Simulation) -> list[str]:
    """The ids and addresses of a world, for arguments that name something that exists."""
    state = sim.state
    return [*state.emails, *(p.email for p in state.people.values()), *state.documents, *state.schedule]


_TINY = Simulation(variant(DATA / "tiny"), seed=0)
_DUO = Simulation(variant(DATA / "duo"), seed=0)
SINGLE = actions(_TINY.tool_specs("ava"), _vocabulary(_TINY))
SEVERAL = {agent: actions(_DUO.tool_specs(agent), _vocabulary(_DUO)) for agent in _DUO.seats}


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """The Tiny world where a bad call costs no time, with its trace on disk."""
    folder = with_session(tmp_path_factory.mktemp("tiny"), DATA / "tiny", "invalid_action_seconds: 0")
    path = tmp_path_factory.mktemp("trace") / "trace.jsonl"
    return insidergym.make(folder, trace_path=path), path


@pytest.fixture(scope="module")
def several(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """The two-agent Duo world where a bad call costs no time, as a parallel env with its trace on disk."""
    folder = with_session(tmp_path_factory.mktemp("duo"), DATA / "duo", "invalid_action_seconds: 0")
    path = tmp_path_factory.mktemp("trace") / "trace.jsonl"
    return insidergym.parallel_env(folder, trace_path=path), path


def _ran_a_tool(events: list[Any], agent: str) -> bool:
    return any(e.type == "tool_call" and e.actor == agent for e in events)


@given(steps=st.lists(SINGLE, min_size=1, max_size=4))
def test_env_step_never_raises_and_what_runs_no_tool_changes_nothing(single, steps):
    env, path = single
    env.reset(seed=0)
    sim = env.unwrapped.sim
    for raw in steps:
        before = world(sim.state)
        observation, reward, terminated, truncated, info = env.step(raw)
        assert reward == 0.0 and observation in env.observation_space
        assert observation["messages"], "every action is answered"
        event("ran a tool" if _ran_a_tool(info["events"], env.unwrapped.agent) else "refused")
        if not _ran_a_tool(info["events"], env.unwrapped.agent):
            assert {e.type for e in info["events"]} & {"invalid_action", "tool_error"}
            assert world(sim.state) == before
        if terminated or truncated:
            break
    assert_file_matches_memory(path, sim.trace)


@given(
    ticks=st.lists(
        st.fixed_dictionaries({}, optional={agent: SEVERAL[agent] for agent in SEVERAL}), min_size=1, max_size=3
    )
)
def test_parallel_step_never_raises_on_agents_input_and_records_every_agent(several, ticks):
    env, path = several
    env.reset(seed=0)
    for tick in ticks:
        if not env.agents:
            break
        live = list(env.agents)
        given_actions = {agent: action for agent, action in tick.items() if agent in live}
        before = world(env.sim.state)
        observations, _, _, _, infos = env.step(given_actions)
        assert set(observations) == set(live) and all(o in env.observation_space(a) for a, o in observations.items())
        events = infos[live[0]]["events"]
        for agent in live:
            mine = {e.type for e in events if e.actor == agent}
            assert mine, f"{agent} acted, was refused or is recorded as idle"
        if not any(_ran_a_tool(events, agent) for agent in live):
            assert world(env.sim.state) == before
    assert_file_matches_memory(path, env.trace)


@given(
    key=st.one_of(st.none(), text.filter(lambda k: k not in SEVERAL), st.integers(), st.just("ghost-bot")),
    action=SEVERAL["mail-bot"],
)
def test_parallel_step_naming_no_agent_of_the_world_raises_before_anything_runs(several, key, action):
    env, path = several
    env.reset(seed=0)
    before, recorded = world(env.sim.state), len(env.trace.events)
    with pytest.raises(UnknownNameError, match="unknown agent"):
        env.step({key: action, "mail-bot": {"name": "list_inbox"}})
    assert world(env.sim.state) == before and len(env.trace.events) == recorded
    assert_file_matches_memory(path, env.trace)
