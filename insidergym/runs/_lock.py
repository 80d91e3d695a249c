"""The lock on an experiment's output folder: one runner at a time writes its traces and its manifest.

The lock is a file in the folder (`insidergym.lock`) holding who took it (pid, host, since when), so that a second
runner is refused with a message naming the first. On POSIX it is held with `flock`, which the system releases
when the process ends however it ends: a lock file left by a killed run is recognised as stale, taken over, and
a warning names the run that left it. Where `flock` does not exist (Windows) the file's creation is the lock, and
a run that was killed leaves it behind: the refusal then says which file to delete.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from insidergym._errors import InsidergymError

if sys.platform == "win32":
    _OPEN_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL  # no advisory locks: creating the file is taking the lock

    def _try_lock(descriptor: int) -> bool:
        return True

else:
    import fcntl

    _OPEN_FLAGS = os.O_RDWR | os.O_CREAT

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


__all__ = ["LOCK_FILE", "FolderLockedError", "folder_lock"]

LOCK_FILE = "insidergym.lock"
_ATTEMPTS = 20
_HOLDER_WAIT = 1.0
"""Seconds to wait for a runner that has just taken the lock to write who it is."""


class FolderLockedError(InsidergymError):
    """Another runner is writing to the output folder.

    Attributes:
        holder: what the lock file says of that runner (`pid`, `host`, `started`); empty if it says nothing.
    """

    def __init__(self, message: str, holder: dict[str, Any]) -> None:
        super().__init__(message)
        self.holder = holder


def _describe(holder: dict[str, Any]) -> str:
    if not holder:
        return "a run that did not say who it is"
    pid, host, started = holder.get("pid", "?"), holder.get("host", "?"), holder.get("started", "?")
    return f"pid {pid} on {host}, since {started}"


def _read_holder(descriptor: int) -> dict[str, Any]:
    os.lseek(descriptor, 0, os.SEEK_SET)
    raw = os.read(descriptor, 65536)
    try:
        holder = json.loads(raw.decode("utf-8"))
    except ValueError:  # empty, or cut off by a crash while it was written
        return {}
    return holder if isinstance(holder, dict) else {}


def _holder_in(path: Path) -> dict[str, Any]:
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _holder_of_locked(descriptor: int) -> dict[str, Any]:
    """Who holds a lock that was just refused (it may not have written its name yet)."""
    deadline = time.monotonic() + _HOLDER_WAIT
    while not (holder := _read_holder(descriptor)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return holder


def _take(path: Path) -> tuple[int, dict[str, Any]]:
    """Take the lock at `path`; return its descriptor and what an earlier holder left in it (if any)."""
    for _ in range(_ATTEMPTS):
        try:
            descriptor = os.open(path, _OPEN_FLAGS, 0o644)
        except FileExistsError:
            holder = _holder_in(path)
            raise FolderLockedError(
                f"{path.parent} is in use by another insidergym run ({_describe(holder)}). Wait for it to finish or "
                f"use another out folder; if no run is going on, delete {path}",
                holder,
            ) from None
        if not _try_lock(descriptor):
            holder = _holder_of_locked(descriptor)
            os.close(descriptor)
            raise FolderLockedError(
                f"{path.parent} is in use by another insidergym run ({_describe(holder)}). Wait for it to finish, "
                "or use another out folder",
                holder,
            )
        try:
            current = os.path.samestat(os.fstat(descriptor), os.stat(path))
        except FileNotFoundError:
            current = False
        if current:
            return descriptor, _read_holder(descriptor)
        os.close(descriptor)  # the runner that held it removed the file as we opened it: take the new one
    raise FolderLockedError(f"{path.parent}: could not take the lock {path}: other runs keep taking it", {})


@contextmanager
def folder_lock(folder: str | Path) -> Iterator[dict[str, Any]]:
    """Hold the lock on an output folder (which must exist) for the duration of the block.

    Yields:
        What this runner wrote in the lock file: `pid`, `host`, `started`.

    Raises:
        FolderLockedError: another runner holds it; the message names that runner.

    A lock left by a run that was killed is taken over with a warning naming that run.
    """
    path = Path(folder) / LOCK_FILE
    try:
        descriptor, previous = _take(path)
    except OSError as err:
        raise InsidergymError(f"{folder}: cannot take the lock {path}: {err.strerror or err}") from None
    try:
        if previous:
            warnings.warn(
                f"{folder}: took over the lock left by a run that stopped without releasing it ({_describe(previous)})",
                stacklevel=3,
            )
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            # Wall-clock time belongs here (when this run started), never in a trace.
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, (json.dumps(holder) + "\n").encode("utf-8"))
        os.fsync(descriptor)
        yield holder
    finally:
        # Removed while still held, so that no other runner can take this file between the two steps.
        path.unlink(missing_ok=True)
        os.close(descriptor)
