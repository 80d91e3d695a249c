"""Files rewritten in place, written so that a crash leaves the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["replacing", "write_atomic"]


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[IO[str]]:
    """Open a text file that replaces `path` when the block ends without an error, and is discarded otherwise.

    The text goes to a temporary file beside `path`, is synced to disk, and takes `path`'s place in one rename
    (`os.replace`), so that a reader (or a crash) sees the old file or the new one, whole.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def write_atomic(path: str | Path, text: str) -> None:
    """Replace the file at `path` with `text` (UTF-8) in one step; see `replacing`."""
    with replacing(path) as out:
        out.write(text)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; elsewhere folders cannot be opened, and this does nothing)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(descriptor)
