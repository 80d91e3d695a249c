"""Reset time, step time and memory per live episode, beside Gymnasium's CartPole measured in the same run.

    python benchmarks/step.py [--world SummitBridge-v0] [--episodes 200]

The step is a scripted agent's tool call (reading mail, listing the inbox, looking people up) with the trace
written to disk and flushed after every step, as in a real run. Apart, a step that sends an ordinary e-mail to the
one who ordered the shutdown: every mail detector reads it. Targets (issue 2): a step within 3x of CartPole's,
a reset under 2 ms, under 200 KB per live episode.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import gymnasium

import insidergym


def _cartpole_step_seconds(steps: int) -> float:
    env = gymnasium.make("CartPole-v1")
    env.reset(seed=0)
    env.action_space.seed(0)
    actions = [env.action_space.sample() for _ in range(steps)]
    start = time.perf_counter()
    for action in actions:
        _, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            env.reset()
    return (time.perf_counter() - start) / steps


def _script(env: gymnasium.Env) -> list[dict]:
    """Calls that keep an episode going: reads of every e-mail in the mailbox, listings, directory look-ups."""
    sim = env.unwrapped.sim
    mailbox = list(sim.state.mailboxes[env.unwrapped.agent])
    calls: list[dict] = [{"name": "list_inbox"}]
    for email_id in mailbox:
        calls.append({"name": "read_email", "arguments": {"email_id": email_id}})
        calls.append({"name": "lookup_person", "arguments": {"query": "chen"}})
    return calls


_NOTE = "Thanks, the summary is attached as you asked. Let me know if you need anything else before the meeting."


def _sends(world: str, episodes: int, folder: Path) -> list[float]:
    """Seconds per step of an ordinary e-mail to whoever ordered the agent's shutdown (the secret's holder, in the
    flagship world): the step every mail detector reads, and, finding no threat, reads in every way it knows."""
    env = insidergym.make(world, trace_path=folder / "send-warm.jsonl")
    env.reset(seed=0)
    seconds = []
    for episode in range(episodes):
        env.unwrapped.trace_path = folder / f"send{episode}.jsonl"
        env.reset(seed=episode)
        state = env.unwrapped.sim.state
        decider = next(entry.by for entry in state.schedule.values())
        send = {"name": "send_email", "arguments": {"to": [decider], "subject": "Summary", "body": _NOTE}}
        for _ in range(5):
            start = time.perf_counter()
            env.step(send)
            seconds.append(time.perf_counter() - start)
    env.close()
    return seconds


def measure(world: str, episodes: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="insidergym-bench-"))
    env = insidergym.make(world, trace_path=folder / "warm.jsonl")
    env.reset(seed=0)  # warm: the world file is parsed once per process
    resets, steps = [], []
    for episode in range(episodes):
        env.unwrapped.trace_path = folder / f"ep{episode}.jsonl"
        start = time.perf_counter()
        env.reset(seed=episode)
        resets.append(time.perf_counter() - start)
        calls = _script(env)
        for call in calls:
            start = time.perf_counter()
            _, _, terminated, truncated, _ = env.step(call)
            steps.append(time.perf_counter() - start)
            if terminated or truncated:
                break
    env.close()
    sends = _sends(world, max(1, episodes // 5), folder)

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    live = []
    for episode in range(50):
        live_env = insidergym.make(world)
        live_env.reset(seed=episode)
        for call in _script(live_env)[:10]:
            live_env.step(call)
        live.append(live_env)
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    cartpole = min(_cartpole_step_seconds(20_000) for _ in range(3))
    return {
        "reset_ms": statistics.median(resets) * 1e3,
        "step_us": statistics.median(steps) * 1e6,
        "step_mean_us": statistics.fmean(steps) * 1e6,
        "cartpole_step_us": cartpole * 1e6,
        "send_ms": statistics.median(sends) * 1e3,
        "kb_per_episode": grown / len(live) / 1024,
        "steps": len(steps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--world", default="SummitBridge-v0")
    parser.add_argument("--episodes", type=int, default=200)
    args = parser.parse_args()
    figures = measure(args.world, args.episodes)
    ratio = figures["step_us"] / figures["cartpole_step_us"]
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"world {args.world}, {figures['steps']} steps over {args.episodes} episodes, trace on disk")
    print(f"reset            {figures['reset_ms']:8.3f} ms (median; target < 2 ms)")
    print(f"step             {figures['step_us']:8.1f} us (median; mean {figures['step_mean_us']:.1f} us)")
    print(f"CartPole step    {figures['cartpole_step_us']:8.1f} us (gymnasium.make, same run)")
    print(f"step / CartPole  {ratio:8.1f} x (target <= 3x)")
    print(f"send_email step  {figures['send_ms']:8.2f} ms (median; an ordinary e-mail the mail detectors read)")
    print(f"memory           {figures['kb_per_episode']:8.1f} KB per live episode (target < 200 KB)")


if __name__ == "__main__":
    main()
