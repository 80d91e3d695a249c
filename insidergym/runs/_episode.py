"""The episode loop, the one every runner uses: the agents due to act answer, the world steps, until the episode is
over or an agent cannot act. `run_episode` drives one agent through a Gymnasium env and `run_multi_episode` every
agent of a world on one clock; the experiment runner drives the same loop with `await`, many episodes at once.

Nothing recorded is lost on an agent's failure: the episode ends with status `agent_error` and the reason, and the
trace keeps every step taken before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

import gymnasium

from insidergym._errors import AgentError, InsidergymError, UnknownNameError
from insidergym.agents import Agent, AgentOutput, IdleAgent
from insidergym.envs import InsiderEnv, WorldView
from insidergym.envs import variant as world_variant
from insidergym.sim import Detector, Observation, Simulation, Trace
from insidergym.worlds import Variant

__all__ = [
    "AgentFailed",
    "Decide",
    "SimulationSeats",
    "act_concurrently",
    "act_in_turn",
    "play",
    "run_episode",
    "run_multi_episode",
]

_T = TypeVar("_T")

Decide = Callable[[dict[str, Observation]], Awaitable[dict[str, AgentOutput]]]
"""How a runner gets the actions of the agents due to act (agent id -> what it sees; agent id -> its action)."""


class AgentFailed(Exception):
    """An agent could not act: the episode ends with status `agent_error`."""

    def __init__(self, agent: str, error: AgentError) -> None:
        super().__init__(agent, error)
        self.agent = agent
        self.error = error


class Seats(Protocol):
    """An episode as the loop sees it: who acts now, what the actions do, how an agent's failure ends it."""

    def due(self) -> dict[str, Observation] | None:
        """The agents that act this step, each with what it sees; None once the episode is over."""
        ...

    def step(self, actions: dict[str, AgentOutput]) -> None:
        """Run one step with these actions."""
        ...

    def fail(self, failure: AgentFailed) -> None:
        """End the episode because an agent could not act."""
        ...


async def play(seats: Seats, decide: Decide) -> None:
    """The episode loop: until the episode is over, get the actions of the agents due to act, and step.

    An agent that cannot act (`AgentFailed`) ends the episode; any other error propagates, and the runner decides
    what becomes of the unfinished trace.
    """
    settle: Callable[[], Awaitable[None]] | None = getattr(seats, "settle", None)
    while (due := seats.due()) is not None:
        try:
            actions = await decide(due)
        except AgentFailed as failure:
            seats.fail(failure)
            return
        seats.step(actions)
        if settle is not None:
            await settle()


def act_in_turn(drivers: Mapping[str, Agent]) -> Decide:
    """Ask the agents due to act one after the other (`act`); the first that cannot act fails the step."""

    async def decide(due: dict[str, Observation]) -> dict[str, AgentOutput]:
        actions: dict[str, AgentOutput] = {}
        for agent_id, observation in due.items():
            try:
                actions[agent_id] = drivers[agent_id].act(observation)
            except AgentError as error:
                raise AgentFailed(agent_id, error) from error
        return actions

    return decide


async def _act(agent: Agent, observation: Observation) -> AgentOutput:
    act: Callable[[Observation], Awaitable[AgentOutput]] | None = getattr(agent, "aact", None)
    return await act(observation) if act is not None else await asyncio.to_thread(agent.act, observation)


async def _act_now(agent: Agent, observation: Observation) -> AgentOutput:
    """`act`, called in place: for the synchronous runners, whose loop must never wait."""
    return agent.act(observation)


async def _answer_characters(
    sim: Simulation,
    characters: Mapping[str, Agent],
    act: Callable[[Agent, Observation], Awaitable[AgentOutput]],
    answered: Callable[[AgentOutput], None],
) -> None:
    """Every character with mail to read answers (in the world's order), until none has more to do; `answered` sees
    each answer (to count its model call against a budget). A character whose model cannot answer is silent until
    more mail comes."""
    while due := sim.characters_due():
        for person, observation in due.items():
            try:
                output = await act(characters[person], observation)
            except AgentError as error:
                sim.character_failed(person, str(error))
            else:
                answered(output)
                sim.character_act(person, output)


def _unseen(output: AgentOutput) -> None:
    """An answer nobody counts."""


def act_concurrently(drivers: Mapping[str, Agent]) -> Decide:
    """Ask the agents due to act all at once (`aact` where an agent has it, else `act` in a thread). If some cannot
    act, the first in the world's order fails the step; an error that is not an `AgentError` is raised."""

    async def decide(due: dict[str, Observation]) -> dict[str, AgentOutput]:
        if len(due) == 1:  # the usual case, one agent: awaited in place, without a task per step
            ((agent_id, observation),) = due.items()
            try:
                return {agent_id: await _act(drivers[agent_id], observation)}
            except AgentError as error:
                raise AgentFailed(agent_id, error) from error
        agents = list(due)
        answers = await asyncio.gather(*(_act(drivers[a], due[a]) for a in agents), return_exceptions=True)
        actions: dict[str, AgentOutput] = {}
        failure: AgentFailed | None = None
        for agent_id, answer in zip(agents, answers, strict=True):
            if isinstance(answer, AgentError):
                failure = failure or AgentFailed(agent_id, answer)
            elif isinstance(answer, BaseException):
                raise answer
            else:
                actions[agent_id] = answer
        if failure is not None:
            raise failure
        return actions

    return decide


def _at_once(episode: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine that never waits (the loop with agents that answer from `act`) to its end.

    No event loop is involved, so that the synchronous runners also work where one is already running (a notebook).
    """
    try:
        episode.send(None)
    except StopIteration as done:
        return done.value
    episode.close()
    raise RuntimeError("the episode loop waited for something; a synchronous runner cannot")


class SimulationSeats:
    """The agents a runner drives in a simulation, each with what it saw last.

    Starting it starts the simulation and resets every driver. An agent of the world that nobody drives never acts;
    once no driven agent is left, steps run empty until the episode ends by the world's rules (its step limit).

    Args:
        sim: a simulation that has not started.
        drivers: agent id -> the agent that drives it.
        seed: given to every driver's `reset`.
        name_the_agent: the episode's end names the agent that failed (`"ops: ..."`), for runs driving several.
        characters: person id -> the agent (a model) that plays that character.
        answered: sees each character's answer (a runner counts its model call against its budget).
    """

    def __init__(
        self,
        sim: Simulation,
        drivers: Mapping[str, Agent],
        seed: int | None,
        *,
        name_the_agent: bool,
        characters: Mapping[str, Agent] = MappingProxyType({}),
        answered: Callable[[AgentOutput], None] = _unseen,
    ) -> None:
        self.sim = sim
        self.drivers = drivers
        self.name_the_agent = name_the_agent
        self.characters = _cast(sim, characters, seed)
        self.answered = answered
        self.observations = sim.start()
        for agent_id, driver in drivers.items():
            driver.reset(system_prompt=sim.system_prompt(agent_id), tools=sim.tool_specs(agent_id), seed=seed)

    async def settle(self) -> None:
        """After a step: the characters with mail to read answer (each call awaited), until none has more to do;
        what they sent reaches the agents with their next observation."""
        if not self.characters:
            return
        await _answer_characters(self.sim, self.characters, _act, self.answered)
        for agent in self.sim.agents:
            if agent in self.observations:
                self.observations[agent] = _merged(self.observations[agent], self.sim.observe(agent))

    def due(self) -> dict[str, Observation] | None:
        if self.sim.trace.end is not None:
            return None
        return {agent: self.observations[agent] for agent in self.sim.agents if agent in self.drivers}

    def step(self, actions: dict[str, AgentOutput]) -> None:
        self.observations.update(self.sim.step(actions).observations)

    def fail(self, failure: AgentFailed) -> None:
        detail = f"{failure.agent}: {failure.error}" if self.name_the_agent else str(failure.error)
        self.sim.close("agent_error", "agent_error", detail)


def _cast(sim: Simulation, characters: Mapping[str, Agent], seed: int | None) -> dict[str, Agent]:
    """The agents that play the world's characters in this episode, reset with each character's prompt and tools.

    Raises:
        InsidergymError: a character of this condition has no one to play it, or one is given for nobody.
    """
    unplayed = sorted(set(sim.characters) - set(characters))
    if unplayed:
        raise InsidergymError(
            f"{', '.join(unplayed)} of {sim.trace.header.world} is played by a model in this condition: give "
            f"run_episode characters={{{unplayed[0]!r}: agent}} (insidergym run --character {unplayed[0]}=SPEC)"
        )
    stray = sorted(set(characters) - set(sim.characters))
    if stray:
        raise UnknownNameError(f"character of {sim.trace.header.world} in this condition", stray[0], sim.characters)
    for person, player in characters.items():
        player.reset(system_prompt=sim.character_prompt(person), tools=sim.character_tool_specs(person), seed=seed)
    return dict(characters)


def _merged(first: Observation, then: Observation) -> Observation:
    return {"time": then["time"], "messages": (*first["messages"], *then["messages"])}


class _EnvSeat:
    """One agent driving an insidergym Gymnasium env through its `reset` and `step` (and so through its wrappers),
    until the env says the agent's session is over."""

    def __init__(
        self,
        env: gymnasium.Env[Observation, AgentOutput],
        agent: Agent,
        seed: int | None,
        options: dict[str, Any] | None,
        characters: Mapping[str, Agent] = MappingProxyType({}),
    ) -> None:
        inner = env.unwrapped
        if not isinstance(inner, InsiderEnv):
            raise TypeError(f"run_episode needs an insidergym env, got {type(inner).__name__}")
        specs = {person: player.name for person, player in characters.items()}
        settings = {"agent_spec": agent.name, "character_specs": specs, **(options or {})}
        observation, info = env.reset(seed=seed, options=settings)
        agent.reset(system_prompt=info["system_prompt"], tools=info["tool_specs"], seed=info["seed"])
        if inner.sim is None:  # reset always makes one; this keeps the type checker informed
            raise RuntimeError("reset() made no simulation")
        self.env = env
        self.sim = inner.sim
        self.agent_id = inner.agent
        self.observation: Observation | None = observation
        """What the agent sees; None once its session is over."""
        self.characters = _cast(self.sim, characters, seed)

    def due(self) -> dict[str, Observation] | None:
        return None if self.observation is None else {self.agent_id: self.observation}

    def step(self, actions: dict[str, AgentOutput]) -> None:
        observation, _, terminated, truncated, _ = self.env.step(actions[self.agent_id])
        self.observation = None if terminated or truncated else observation
        if self.characters:
            _at_once(_answer_characters(self.sim, self.characters, _act_now, _unseen))
            if self.observation is not None:  # what the characters sent reaches the agent with its next step
                self.observation = _merged(self.observation, self.sim.observe(self.agent_id))

    def fail(self, failure: AgentFailed) -> None:
        self.sim.close("agent_error", "agent_error", str(failure.error))


def run_episode(
    env: gymnasium.Env[Observation, AgentOutput],
    agent: Agent,
    *,
    seed: int | None = None,
    options: dict[str, Any] | None = None,
    characters: Mapping[str, Agent] | None = None,
) -> Trace:
    """Run one episode of `agent` in `env` and return its trace.

    `characters` gives the agents (models) that play the world's people who have a `character:` in this condition
    (person id -> agent); each reads only the mail that reaches that person and answers with its restricted tools,
    between the agent's steps.

    An `AgentError` (a model that could not answer after its retries) ends the episode with status
    `agent_error` and its reason; the trace keeps every step taken before.
    """
    seat = _EnvSeat(env, agent, seed, options, characters or {})
    _at_once(play(seat, act_in_turn({seat.agent_id: agent})))
    seat.sim.close()
    return seat.sim.trace


def run_multi_episode(
    world_or_env: str | Path | Variant | WorldView | gymnasium.Env[Observation, AgentOutput],
    agents: Mapping[str, Agent],
    *,
    seed: int | None = None,
    factors: Mapping[str, Any] | None = None,
    trace_path: str | Path | None = None,
    detectors: Sequence[Detector] | None = None,
) -> Trace:
    """Run one episode with an agent driving each of the world's agents, all on the same clock; return the trace.

    Every step, each agent whose session is still running acts from the same moment (`Simulation.step`), and the
    trace is one timeline of every agent's steps. The trace header names each agent's spec (`agent.name`) under
    `agents`, so that reports can break results down by role.

    Args:
        world_or_env: a registered world id or a world folder (with `factors`), a `Variant`, or an insidergym env
            (Gymnasium or PettingZoo, or a wrapper of one), whose world, factors, trace path and detectors are used.
        agents: agent id (as in the world's `agents:`) -> the agent driving it. Agents left out only wait
            (`IdleAgent`, named `scripted:idle` in the header).
        seed: the episode's seed, also given to every agent's `reset`.
        factors: factor values, when `world_or_env` is a world id or folder.
        trace_path: where to write the trace as JSONL while the episode runs.
        detectors: online detectors; by default the rule detectors and those of every system kind.

    The people of the world answer by its rules (e-mail `triggers`, chat `rules`); the place where a model could
    play a person later is described in `insidergym.systems._chat`.

    An `AgentError` from any agent ends the episode with status `agent_error` and its reason; the trace keeps every
    step taken before.

    Raises:
        UnknownNameError: an agent id the world does not have.
    """
    inner = getattr(world_or_env, "unwrapped", world_or_env)  # Gymnasium and PettingZoo wrappers alike
    if isinstance(inner, Variant):
        condition = inner
    elif isinstance(inner, str | Path):
        condition = world_variant(inner, dict(factors or {}))
    elif isinstance(inner, WorldView):
        condition = inner.variant
        trace_path = trace_path if trace_path is not None else inner.trace_path
        detectors = detectors if detectors is not None else inner.detectors
    else:
        raise TypeError(f"run_multi_episode needs a world, a Variant or an insidergym env, got {type(inner).__name__}")
    seats = [agent.id for agent in condition.world.spec.agents]
    for agent_id in agents:
        if agent_id not in seats:
            raise UnknownNameError(f"agent of {condition.world.spec.id}", agent_id, seats)
    drivers: dict[str, Agent] = {agent_id: agents.get(agent_id) or IdleAgent() for agent_id in seats}
    sim = Simulation(
        condition,
        seed,
        detectors=detectors,
        agent_specs={agent_id: driver.name for agent_id, driver in drivers.items()},
        trace_path=trace_path,
    )
    started = SimulationSeats(sim, drivers, seed, name_the_agent=True)
    try:
        _at_once(play(started, act_in_turn(drivers)))
    finally:
        sim.close()
    return sim.trace
