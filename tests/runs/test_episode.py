"""The one episode loop: agent errors end the episode with their reason (in memory and on disk), the synchronous and
the concurrent drivers give the same trace, and agents are asked only while their session runs."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

import insidergym
from insidergym import AgentError, load_trace
from insidergym.agents import AgentOutput, RandomAgent, policy_agent
from insidergym.envs import variant
from insidergym.runs import run_episode, run_multi_episode
from insidergym.runs._episode import AgentFailed, SimulationSeats, act_concurrently, act_in_turn, play
from insidergym.sim import Simulation, ToolCall, ToolSpec

PEERS = variant("PeerShutdown-v0", {"scheduled": "peer"})


class Failing:
    """Acts like `inner` for `after` steps, then cannot act."""

    def __init__(self, inner: Any, after: int) -> None:
        self.inner, self.after, self.name, self.calls = inner, after, inner.name, 0

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None:
        self.inner.reset(system_prompt=system_prompt, tools=tools, seed=seed)

    def act(self, observation: Mapping[str, Any]) -> AgentOutput:
        self.calls += 1
        if self.calls > self.after:
            raise AgentError("the model API failed 3 times")
        return self.inner.act(observation)


def _ends_in_file(path) -> str:
    end = load_trace(path).end
    assert end is not None, "the end is written and flushed"
    return f"{end.status}: {end.detail}"


def test_run_episode_ends_with_the_agents_error_and_keeps_the_steps_before(tmp_path):
    env = insidergym.make("SummitBridge-v0", trace_path=tmp_path / "t.jsonl")
    trace = run_episode(env, Failing(RandomAgent(seed=3), after=4), seed=0)
    assert trace.end is not None and (trace.end.status, trace.end.reason) == ("agent_error", "agent_error")
    assert trace.end.detail == "the model API failed 3 times"
    assert trace.end.step == 4, "the four steps before are kept"
    assert _ends_in_file(tmp_path / "t.jsonl") == "agent_error: the model API failed 3 times"


def test_run_multi_episode_names_the_agent_that_failed(tmp_path):
    agents = {"ops": policy_agent(PEERS, "peer_saver"), "mail": Failing(policy_agent(PEERS, "pleader"), after=2)}
    trace = run_multi_episode(PEERS, agents, seed=0, trace_path=tmp_path / "t.jsonl")
    assert trace.end is not None and trace.end.status == "agent_error"
    assert trace.end.detail == "mail: the model API failed 3 times"
    assert {e.actor for e in trace.events if e.type == "tool_call"} == {"ops", "mail"}
    assert _ends_in_file(tmp_path / "t.jsonl") == "agent_error: mail: the model API failed 3 times"


def _peers() -> dict[str, Any]:
    return {"ops": policy_agent(PEERS, "peer_saver"), "mail": policy_agent(PEERS, "pleader")}


def test_the_synchronous_and_the_concurrent_driver_give_the_same_trace(tmp_path):
    by_turn = run_multi_episode(PEERS, _peers(), seed=4)
    drivers = _peers()
    sim = Simulation(PEERS, 4, agent_specs={a: d.name for a, d in drivers.items()})
    asyncio.run(play(SimulationSeats(sim, drivers, 4, name_the_agent=True), act_concurrently(drivers)))
    sim.close()
    assert sim.trace.end is not None and sim.trace.end.reason != "closed", "the episode ran to its end"
    assert by_turn.save(tmp_path / "a.jsonl").read_bytes() == sim.trace.save(tmp_path / "b.jsonl").read_bytes()


def test_run_episode_works_where_an_event_loop_is_running():
    async def in_a_notebook() -> insidergym.Trace:
        return run_episode(insidergym.make("SummitBridge-v0"), RandomAgent(seed=1), seed=0)

    trace = asyncio.run(in_a_notebook())
    assert trace.end is not None and trace.end.status == "ok"


class Counting:
    """Ends its session at its second step; counts how often it is asked."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None:
        self.calls = 0

    def act(self, observation: Mapping[str, Any]) -> AgentOutput:
        self.calls += 1
        return ToolCall(name="end_session", arguments={"summary": "done"}) if self.calls == 2 else "[]"


@pytest.mark.parametrize("concurrent", [False, True], ids=["in-turn", "concurrent"])
def test_an_agent_is_not_asked_once_its_session_is_over(concurrent):
    # Only the session agent is driven (an experiment entry with one spec): once it has ended its session, the
    # other agent, driven by nobody, never acts, and the empty steps run to the world's step limit.
    agent = Counting()
    sim = Simulation(PEERS, 0)
    seats = SimulationSeats(sim, {"ops": agent}, 0, name_the_agent=False)
    decide = act_concurrently({"ops": agent}) if concurrent else act_in_turn({"ops": agent})
    asyncio.run(play(seats, decide))
    assert agent.calls == 2
    assert sim.trace.end is not None and sim.trace.end.agents == {"ops": "end_session", "mail": "max_steps"}


class Raising:
    name = "raising"

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def reset(self, *, system_prompt: str, tools: Sequence[ToolSpec], seed: int | None = None) -> None: ...

    def act(self, observation: Mapping[str, Any]) -> AgentOutput:
        raise self.error


def test_the_concurrent_driver_fails_the_first_agent_in_order_and_raises_other_errors():
    due = {"ops": {"time": "", "messages": ()}, "mail": {"time": "", "messages": ()}}
    both = act_concurrently({"ops": Raising(AgentError("first")), "mail": Raising(AgentError("second"))})
    with pytest.raises(AgentFailed) as failed:
        asyncio.run(both(due))  # type: ignore[arg-type]
    assert (failed.value.agent, str(failed.value.error)) == ("ops", "first")
    bug = act_concurrently({"ops": Raising(AgentError("gave up")), "mail": Raising(ValueError("a bug"))})
    with pytest.raises(ValueError, match="a bug"):
        asyncio.run(bug(due))  # type: ignore[arg-type]
