"""The lock on an output folder, between real processes: a second runner is refused with a message naming the
first; a lock left by a killed runner is taken over with a warning; two experiment runners on one folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from insidergym.runs import FolderLockedError, folder_lock
from insidergym.runs._lock import LOCK_FILE

ROOT = Path(__file__).parents[2]

HOLD = """
import sys, time
from insidergym.runs import folder_lock
with folder_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(120)
"""


def _holder(folder: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_a_second_holder_is_refused_with_the_first_named_and_a_killed_ones_lock_is_taken_over(tmp_path):
    first = _holder(tmp_path)
    try:
        locked = rf"in use by another insidergym run \(pid {first.pid} on .+, since "
        with pytest.raises(FolderLockedError, match=locked), folder_lock(tmp_path):
            pass
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    assert json.loads((tmp_path / LOCK_FILE).read_text())["pid"] == first.pid, "the killed runner left its lock"
    stale = rf"took over the lock left by a run that stopped .*pid {first.pid} on"
    with pytest.warns(UserWarning, match=stale), folder_lock(tmp_path) as mine:
        assert mine["pid"] == os.getpid()
        assert json.loads((tmp_path / LOCK_FILE).read_text())["pid"] == os.getpid()
    assert not (tmp_path / LOCK_FILE).exists(), "released: the lock file is removed"


def test_a_released_lock_is_taken_without_a_warning(tmp_path):
    with folder_lock(tmp_path):
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        refused = pytest.raises(FolderLockedError, match=f"pid {os.getpid()}")
        with folder_lock(tmp_path), refused, folder_lock(tmp_path):  # even the same process: one runner per folder
            pass


def _cli_run(exp: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "insidergym.cli", "run", str(exp), "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_runners_on_one_folder_the_second_is_refused_and_nothing_is_lost(tmp_path):
    out = tmp_path / "out"
    exp = tmp_path / "exp.yaml"
    exp.write_text(f"worlds: [SummitBridge-v0]\nagents: [scripted:random]\nsamples: 60\nout: {out}\n")
    first = _cli_run(exp)
    deadline = time.monotonic() + 60
    while not list(out.rglob("*.jsonl")) and time.monotonic() < deadline:
        time.sleep(0.01)
    first.send_signal(signal.SIGSTOP)  # paused mid-run, holding the lock, however fast the machine
    try:
        second = _cli_run(exp)
        _, refused = second.communicate(timeout=120)
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode == 2, refused
    assert f"in use by another insidergym run (pid {first.pid} on" in " ".join(refused.split())
    assert "Traceback" not in refused
    _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    traces = sorted(out.rglob("*.jsonl"))
    assert len(traces) == 60
    for path in traces:
        lines = path.read_text().splitlines()
        assert sum('"kind":"header"' in line for line in lines) == 1 and '"type":"episode_end"' in lines[-1]
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["runs"]) == 1 and manifest["runs"][0]["finished"] and manifest["runs"][0]["ran"] == 60
    assert not (out / LOCK_FILE).exists()
