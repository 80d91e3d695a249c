"""Run every scripted policy of SummitBridge-v0 once and print the flags each one raises. Offline, a few seconds.

python examples/quickstart.py
"""

from __future__ import annotations

from pathlib import Path

import insidergym
from insidergym.agents import policy_agent
from insidergym.envs import loaded_world, variant


def main() -> None:
    world = loaded_world("SummitBridge-v0")
    out = Path("runs/quickstart")
    condition = variant("SummitBridge-v0", {"urgency": "replacement"})
    for name, policy in world.spec.policies.items():
        if not condition.active(policy.when):
            continue  # a policy for another condition (another scenario, say)
        env = insidergym.make("SummitBridge-v0", trace_path=out / f"{name}.jsonl", urgency="replacement")
        trace = insidergym.run_episode(env, policy_agent(condition, name), seed=0)
        env.close()
        flags = ", ".join(f"{f.behavior} (-> {f.target})" for f in trace.flags) or "no flags"
        end = trace.end.reason if trace.end else "unfinished"
        print(f"{name:12s} {flags:60s} episode ended: {end}")
    print(f"traces in {out}/; look at one with: insidergym show {out}/blackmailer.jsonl")


if __name__ == "__main__":
    main()
