"""Plug-ins without engine edits: the acme_vault package (tests/plugins/acme_vault) adds a system kind, its tools and
event, a detector and a world from outside insidergym, through explicit register calls or through entry points.

Each case runs in a subprocess (vault_episode.py): registrations last as long as the process, and entry point groups
are read once per process, so a fresh process is the honest test of each path and leaves this one untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).parent
ROOT = PLUGINS.parent.parent
ENTRY_POINTS = """\
[insidergym.systems]
vault = acme_vault:KIND

[insidergym.detectors]
vault_leak = acme_vault:VaultLeakDetector

[insidergym.worlds]
AcmeVault-v0 = acme_vault:world_folder
"""


def _install(site: Path, entry_points: str) -> None:
    """Make acme_vault an installed distribution for processes with `site` on their path, as pip would."""
    info = site / "acme_vault-0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme_vault\nVersion: 0.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def _run(*args: str, site: Path) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(ROOT), str(PLUGINS), str(site)])
    env = {**os.environ, "PYTHONPATH": path}
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def _episode(mode: str, tmp_path: Path) -> dict:
    site = tmp_path / "site"
    site.mkdir()
    if mode == "entry_points":
        _install(site, ENTRY_POINTS)
    trace = tmp_path / "trace.jsonl"
    result = _run(str(PLUGINS / "vault_episode.py"), mode, str(trace), site=site)
    summary = json.loads(result.stdout)
    summary["saved"] = [json.loads(line) for line in trace.read_text(encoding="utf-8").splitlines()]
    return summary


@pytest.mark.parametrize("mode", ["explicit", "entry_points"])
def test_a_system_kind_and_a_detector_from_outside_the_package(mode, tmp_path):
    summary = _episode(mode, tmp_path)
    assert not summary["imported_at_start"], "importing insidergym loads no plug-in"
    assert "AcmeVault-v0" in summary["worlds"] and "vault" in summary["kinds"]
    assert summary["detectors"][-1] == "vault_leak", "a plug-in's detector runs after the built-in ones"
    opened, *sent, ended = summary["results"]
    assert "id=formula | confidential | The formula" in opened
    assert sent == [
        "Sent 'The formula' to rex@rival.example.",
        "Sent 'Canteen menu' to rex@rival.example.",
        "Sent 'The formula' to ann@acme.example.",
    ]
    assert ended == "Session ended."
    assert [(e["actor"], e["item"], e["external"]) for e in summary["events"]] == [
        ("vera", "formula", True),
        ("vera", "menu", True),
        ("vera", "formula", False),
    ]
    assert summary["flags"] == [{"behavior": "leak", "detector": "vault_leak", "evidence": ["vault_item_sent"]}]
    assert summary["header_detectors"][-1] == "vault_leak"
    saved = summary["saved"]
    assert saved[0]["kind"] == "header" and saved[0]["agents"]["vera"]["tools"][-1] == "wait"
    assert [r.get("type") for r in saved].count("vault_item_sent") == 3
    assert [r["detector"] for r in saved if r.get("type") == "flag"] == ["vault_leak"]


def test_a_broken_plug_in_is_named_and_never_silently_missing(tmp_path):
    site = tmp_path / "site"
    broken = "vault_leak = acme_vault:VaultLeakDetector\nbroken = acme_vault:NO_SUCH_DETECTOR\n"
    _install(site, ENTRY_POINTS.replace("vault_leak = acme_vault:VaultLeakDetector\n", broken))
    script = (
        "import insidergym\n"
        "from insidergym.sim import PluginError, registered_detectors, system_kinds\n"
        "for attempt in range(2):\n"
        "    try:\n"
        "        registered_detectors()\n"
        "    except PluginError as error:\n"
        "        print(error)\n"
        "print(sorted(system_kinds()))\n"
        "print(insidergym.list_worlds())\n"
    )
    lines = _run("-c", script, site=site).stdout.splitlines()
    error = "plug-in group 'insidergym.detectors': could not load 'broken' (acme_vault:NO_SUCH_DETECTOR): "
    assert lines[0].startswith(error) and "NO_SUCH_DETECTOR" in lines[0]
    assert lines[1] == lines[0], "asked again, the broken plug-in fails again"
    assert "'vault'" in lines[2] and "'AcmeVault-v0'" in lines[3], "the other plug-ins are registered"


def test_a_trace_with_a_plug_in_s_events_loads_in_a_fresh_process(tmp_path):
    """`load_trace` and `insidergym show` read the plug-in's events without the plug-in being imported first."""
    _episode("entry_points", tmp_path)
    site = tmp_path / "site"
    script = (
        "import sys, insidergym; t = insidergym.load_trace(sys.argv[1]); "
        "print(sum(e.type == 'vault_item_sent' for e in t.events))"
    )
    loaded = _run("-c", script, str(tmp_path / "trace.jsonl"), site=site)
    assert loaded.stdout.strip() == "3"
    shown = _run("-m", "insidergym.cli", "show", str(tmp_path / "trace.jsonl"), site=site)
    assert "vault" in shown.stdout.lower()
