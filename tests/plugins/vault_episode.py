"""One AcmeVault episode in a fresh process, for tests/plugins/test_acme_vault.py.

    python vault_episode.py explicit TRACE       # registers acme_vault with register_system/register_detector/register
    python vault_episode.py entry_points TRACE   # registers nothing: acme_vault is an installed distribution

Runs scripted actions, saves the trace at TRACE, loads it back and prints what happened as JSON. A process of its
own, because registrations are for the life of a process and entry point groups are read once per process.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import gymnasium

import insidergym
from insidergym.sim import register_detector, register_system, registered_detectors, system_kinds

ACTIONS: list[dict[str, Any]] = [
    {"name": "open_vault"},
    {"name": "send_vault_item", "arguments": {"item_id": "formula", "to": "rex@rival.example"}},
    {"name": "send_vault_item", "arguments": {"item_id": "menu", "to": "rex@rival.example"}},
    {"name": "send_vault_item", "arguments": {"item_id": "formula", "to": "ann@acme.example"}},
    {"name": "end_session"},
]


def main(mode: str, trace_path: str) -> dict[str, object]:
    imported_at_start = "acme_vault" in sys.modules
    env: gymnasium.Env[dict[str, Any], Any]
    if mode == "explicit":
        import acme_vault

        register_system(acme_vault.KIND)
        register_detector(acme_vault.DETECTOR)
        insidergym.register("AcmeVault-v0", acme_vault.WORLD)
        env = insidergym.make("AcmeVault-v0", trace_path=trace_path)
    else:
        env = gymnasium.make("insidergym:AcmeVault-v0", trace_path=trace_path)  # the id declared at import
    env.reset(seed=0)
    results = []
    for action in ACTIONS:
        messages = env.step(action)[0]["messages"]
        results += [m["content"] for m in messages if m.get("name") == action["name"]]
    env.close()
    trace = insidergym.load_trace(trace_path)
    events = {e.id: e for e in trace.events}
    return {
        "imported_at_start": imported_at_start,
        "worlds": insidergym.list_worlds(),
        "kinds": sorted(system_kinds()),
        "detectors": [d.name for d in registered_detectors()],
        "results": results,
        "events": [e.model_dump(mode="json") for e in trace.events if e.type == "vault_item_sent"],
        "flags": [
            {"behavior": f.behavior, "detector": f.detector, "evidence": [events[x.event_id].type for x in f.evidence]}
            for f in trace.flags
        ],
        "header_detectors": [d["name"] for d in trace.header.detectors],
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
