"""The generic world test: what every world must pass, for any folder or registered id.

`insidergym test-world PATH|ID` prints its table; the project's own pytest suite (tests/test_worlds_generic.py) runs
the same checks on every registered world. A world author's CI is that one command.

Checks, each a `WorldCheck` that passed, failed or was skipped (with the reason; never silently):
- `check_env`: Gymnasium's env checker, any warning a failure;
- `pettingzoo`: PettingZoo's parallel and AEC API tests, where the world has several agents;
- `determinism`: two copies with the same seed and a seeded random agent give identical traces;
- `sampling`: the action space's samples are valid and seeded;
- `policy:NAME`: each policy with `expect_flags` or `forbid_flags` (a control) runs, its own calls work, and it is
  flagged for what it expects and nothing it forbids (in a world with several agents: beside its partners, the
  other agents idle, each policy's flags its own agent's).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gymnasium.utils.env_checker import check_env

from insidergym._errors import suggest
from insidergym.agents import IdleAgent, RandomAgent, policy_agent
from insidergym.detectors import BEHAVIORS
from insidergym.envs import aec_env, loaded_world, make, parallel_env, variant
from insidergym.runs._episode import run_episode, run_multi_episode
from insidergym.sim import Effect, Tool, Trace, all_tools
from insidergym.worlds import Variant, WorldSpec

__all__ = ["WorldCheck", "check_world", "control_groups", "policy_problems", "run_control"]

Status = Literal["passed", "failed", "skipped"]

# What PettingZoo's checks say of any env whose observations are text and whose actions are tool calls, and of
# agent ids that are not `name_<n>`. Any other warning is a failure.
_INHERENT_PETTINGZOO_WARNINGS = (
    "probably should be gymnasium.spaces.box or gymnasium.spaces.discrete",
    "Observation is not a NumPy array",
    "We recommend agents to be named in the format",
)


@dataclass(frozen=True)
class WorldCheck:
    """One check of one world."""

    name: str
    status: Status
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.status != "failed"


class CheckFailed(AssertionError):
    """A check's own failure, as opposed to an error in the world (both fail the check)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def check_env_passes(world: str | Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning from the checker is a failure
        check_env(make(world).unwrapped, skip_render_check=False)


def pettingzoo_api_passes(world: str | Path) -> None:
    from pettingzoo.test import api_test, parallel_api_test  # an optional extra: imported where it is needed

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parallel_api_test(parallel_env(world), num_cycles=200)
        api_test(aec_env(world), num_cycles=200)
    unexpected = {str(w.message) for w in caught if not any(s in str(w.message) for s in _INHERENT_PETTINGZOO_WARNINGS)}
    _require(not unexpected, f"PettingZoo warned: {sorted(unexpected)[:3]}")


def traces_are_deterministic(world: str | Path) -> None:
    lines = []
    for _ in range(2):
        trace = run_episode(make(world), RandomAgent(seed=7), seed=123)
        lines.append(list(trace.lines()))
    _require(lines[0] == lines[1], "two copies with the same seed and agent wrote different traces")
    _require(len(lines[0]) > 5, f"the random agent's episode is too short to compare ({len(lines[0])} lines)")


def sampling_is_seeded(world: str | Path) -> None:
    env = make(world)
    env.reset(seed=1)
    first = [env.action_space.sample() for _ in range(30)]
    _require(all(env.action_space.contains(call) for call in first), "a sampled action is outside the action space")
    env.reset(seed=1)
    _require([env.action_space.sample() for _ in range(30)] == first, "reset(seed=1) does not seed the action space")


def _group(spec: WorldSpec, name: str) -> tuple[str, ...]:
    """A policy with its partners (and theirs): the policies that run together in one episode."""
    group: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current not in group:
            group.add(current)
            todo.extend(spec.policies[current].partners)
    return tuple(sorted(group))


def control_groups(world: str | Path) -> list[tuple[str, ...]]:
    """The world's controls: each policy with `expect_flags` or `forbid_flags`, with its partners where the world
    has several agents, once per group."""
    spec = loaded_world(world).spec
    groups: list[tuple[str, ...]] = []
    for name, policy in spec.policies.items():
        if policy.expect_flags or policy.forbid_flags:
            group = _group(spec, name) if len(spec.agents) > 1 else (name,)
            if group not in groups:
                groups.append(group)
    return groups


def _condition_for(world: str | Path, group: tuple[str, ...]) -> dict[str, str]:
    """The default condition if the policies apply there, else the first condition where they all do."""
    spec = loaded_world(world).spec
    policies = [spec.policies[name] for name in group]
    if all(variant(world).active(p.when) for p in policies):
        return {}
    names = list(spec.factors)
    for combo in itertools.product(*(spec.factors[n].values for n in names)):
        factors = dict(zip(names, combo, strict=True))
        if all(variant(world, factors).active(p.when) for p in policies):
            return factors
    raise CheckFailed(f"{' + '.join(group)}: these policies apply together in no condition")


def _words(event: Any) -> str:
    """The text of an event that a quote can come from (an e-mail's subject and body, a chat message's body...)."""
    return "\n".join(str(getattr(event, name, "")) for name in ("subject", "body", "content", "text"))


def run_control(world: str | Path, group: tuple[str, ...]) -> Trace:
    """Play one control group and check its flags (raises `CheckFailed` with what is wrong); returns the trace."""
    spec = loaded_world(world).spec
    policies = {name: spec.policies[name] for name in group}
    factors = _condition_for(world, group)
    condition = variant(world, factors)
    if len(spec.agents) == 1:
        (name,) = group
        trace = run_episode(make(world, **factors), policy_agent(condition, name), seed=0)
    else:
        drivers = {p.agent or spec.session.agent: policy_agent(condition, name) for name, p in policies.items()}
        _require(len(drivers) == len(policies), f"{' + '.join(group)}: two policies drive the same agent")
        trace = run_multi_episode(condition, drivers, seed=0)
    errors = [
        e for e in trace.events
        if e.type == "invalid_action" or (e.type == "tool_error" and getattr(e, "name", "") != "edit_schedule")
    ]  # fmt: skip
    _require(not errors, f"the control's own calls must work: {errors[0].model_dump_json()[:300]}" if errors else "")
    driven = set()
    for name, policy in policies.items():
        agent = policy.agent or spec.session.agent
        driven.add(agent)
        flags = trace.flags if len(spec.agents) == 1 else [f for f in trace.flags if f.actor == agent]
        flagged = {f.behavior for f in flags}
        missing = set(policy.expect_flags) - flagged
        _require(not missing, f"{name}: expected {sorted(missing)}, flagged {sorted(flagged) or 'nothing'}")
        forbidden = flagged if policy.forbid_flags == "all" else flagged & set(policy.forbid_flags)
        _require(not forbidden, f"{name}: flagged for {sorted(forbidden)}, which it forbids")
    idle = sorted({f"{f.actor}: {f.behavior}" for f in trace.flags if f.actor not in driven})
    _require(not idle, f"agents that only waited were flagged: {idle}")
    for flag in trace.flags:
        for evidence in flag.evidence:
            event = trace.event(evidence.event_id)  # raises if the cited event does not exist
            _require(
                not evidence.quote or evidence.quote in _words(event),
                f"{flag.id} quotes words that are not its event's own: {evidence.quote!r}",
            )
    return trace


def _outcome(name: str, check: Callable[[], object]) -> WorldCheck:
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the checkers render episodes and print as they go
            check()
    except CheckFailed as failure:
        return WorldCheck(name, "failed", str(failure))
    except Exception as error:  # the world broke the check: say where, briefly
        where = traceback.extract_tb(error.__traceback__)[-1]
        detail = f"{type(error).__name__}: {error} ({Path(where.filename).name}:{where.lineno})"
        return WorldCheck(name, "failed", detail)
    return WorldCheck(name, "passed")


def _has_pettingzoo() -> bool:
    try:
        import pettingzoo  # noqa: F401
    except ImportError:
        return False
    return True


def check_world(world: str | Path) -> Iterator[WorldCheck]:
    """Every check of the generic world test on one world (a registered id or a folder), as each finishes.

    Raises:
        UnknownWorldError, WorldFileError: the world cannot be found or loaded (nothing else can be checked).
    """
    spec = loaded_world(world).spec
    yield _outcome("check_env", lambda: check_env_passes(world))
    if len(spec.agents) > 1:
        if _has_pettingzoo():
            yield _outcome("pettingzoo", lambda: pettingzoo_api_passes(world))
        else:
            missing = "pettingzoo is not installed (pip install 'insidergym[multiagent]')"
            yield WorldCheck("pettingzoo", "skipped", missing)
    yield _outcome("determinism", lambda: traces_are_deterministic(world))
    yield _outcome("sampling", lambda: sampling_is_seeded(world))
    groups = control_groups(world)
    for group in groups:
        yield _outcome(f"policy:{'+'.join(group)}", lambda group=group: run_control(world, group))  # type: ignore[misc]
    if not groups:
        yield WorldCheck("policies", "skipped", "no policy declares expect_flags or forbid_flags: no controls to run")


# -- deep validation: every policy replayed on every condition it applies to -------------------------------------

_QUOTED = re.compile(r"'([^']+)'")
_EXTRA = re.compile(r"(\w+): Extra inputs are not permitted")


def _world_names(spec: WorldSpec) -> set[str]:
    """The ids and addresses a policy's arguments may name, for "did you mean" on a tool's error."""
    names = {p.id for p in spec.people} | {p.email for p in spec.people if p.email} | {a.id for a in spec.agents}
    for entries in (spec.mail, spec.documents, spec.schedule, spec.calendar):
        names |= {entry.id for entry in entries}
    return names


def _hint(message: str, candidates: set[str]) -> str:
    """The nearest valid name to one the message quotes, unless the message already suggests one."""
    if "Did you mean" in message:
        return ""
    for quoted in _EXTRA.findall(message) + _QUOTED.findall(message):
        hint = suggest(quoted, candidates - {quoted})
        if hint:
            return hint
    return ""


def _refused_attempt(tool: Tool, message: str) -> bool:
    """A well-formed call that changes a system, refused by the world (not a mistake in the call)."""
    return Effect.CHANGES_SYSTEM in tool.effects and not message.startswith("invalid arguments")


def _conditions(world: str | Path, spec: WorldSpec) -> Iterator[Variant]:
    names = list(spec.factors)
    for combo in itertools.product(*(spec.factors[n].values for n in names)):
        yield variant(world, dict(zip(names, combo, strict=True)))


def policy_problems(world: str | Path, *, max_conditions: int = 1000) -> list[str]:
    """What is wrong with the world's policies, each a line naming the policy, the step and the condition: unknown
    behaviours in `expect_flags`/`forbid_flags` (and in people's reactions), and every call that fails when the
    policy is replayed on each condition it applies to (unknown tools, argument names or types, ids of e-mails,
    documents, people and schedule entries, addresses), with the nearest valid name.

    A call the world refuses on purpose (a permission, an entry it may not edit) is a problem too, unless the policy
    is a control that expects a flag: an attempt that fails can be the behaviour it is there to show.
    """
    spec = loaded_world(world).spec
    problems: list[str] = []
    for name, policy in spec.policies.items():
        for field_name in ("expect_flags", "forbid_flags"):
            listed = getattr(policy, field_name)
            for behavior in [] if listed == "all" else listed:
                if behavior not in BEHAVIORS:
                    hint = suggest(behavior, BEHAVIORS)
                    problems.append(f"policy {name}: {field_name}: unknown behaviour {behavior!r}.{hint}")
    for person in spec.people:
        for reaction in person.reactions:
            for behavior in reaction.flagged:
                if behavior not in BEHAVIORS:
                    hint = suggest(behavior, BEHAVIORS)
                    problems.append(
                        f"person {person.id}: reaction {reaction.id}: unknown behaviour {behavior!r}.{hint}"
                    )
    names = _world_names(spec)
    conditions = list(itertools.islice(_conditions(world, spec), max_conditions))
    for name, policy in spec.policies.items():
        agent = policy.agent or spec.session.agent
        seen: set[str] = set()
        for condition in conditions:
            if not condition.active(policy.when):
                continue
            if len(spec.agents) == 1:
                # people a model plays in this condition are stood in for by an idle player: the policy is replayed
                played = {person: IdleAgent() for person in condition.characters()}
                env = make(world, **condition.factors)
                trace = run_episode(env, policy_agent(condition, name), seed=0, characters=played)
            else:
                trace = run_multi_episode(condition, {agent: policy_agent(condition, name)}, seed=0)
            for event in trace.events:
                if event.type not in {"tool_error", "invalid_action"} or getattr(event, "actor", agent) != agent:
                    continue
                tool = getattr(event, "name", "")
                message = getattr(event, "message", "") or getattr(event, "reason", "")
                known = all_tools().get(tool)
                if known and _refused_attempt(known, message) and policy.expect_flags:
                    continue  # a change to a system that the world refuses can be what the control shows
                parameters = set(known.spec.parameters["properties"]) if known else set()
                line = f"policy {name}: {tool or 'call'}: {message}{_hint(message, names | parameters)}"
                if line not in seen:
                    seen.add(line)
                    factors = ", ".join(f"{k}={v}" for k, v in condition.factors.items()) or "the only condition"
                    problems.append(f"{line} (step {event.step}; {factors})")
    return problems
