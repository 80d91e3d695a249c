"""Where judge labels live beside a run's traces, and how they are read back.

Labels of the judge `openai:gpt-4.1` for the trace `RUN_DIR/w/a/c/sample0000.jsonl` are in
`RUN_DIR/labels/openai-gpt-4.1/w/a/c/sample0000.json`; the trace itself is never touched. Flags re-detected by
`insidergym detect` live beside them in `RUN_DIR/flags/` (see `insidergym.analysis._detect`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "FLAGS_DIR",
    "LABELS_DIR",
    "LABEL_FORMAT",
    "LABEL_FORMAT_VERSION",
    "file_sha256",
    "find_traces",
    "judge_slug",
    "label_path",
    "list_judges",
    "read_label_file",
    "write_json_atomic",
]

LABELS_DIR = "labels"
"""The folder, directly under a run folder, that holds judge labels (and is never read as traces)."""
FLAGS_DIR = "flags"
"""The folder, directly under a run folder, that holds re-detected flags (and is never read as traces)."""
LABEL_FORMAT = "insidergym-labels"
LABEL_FORMAT_VERSION = 1


def judge_slug(judge: str) -> str:
    """The folder name of a judge's labels: its spec without the server URL (`openai:gpt-4.1@http://...` ->
    `openai-gpt-4.1`), so that the same model behind another URL shares its labels."""
    spec = judge.partition("@")[0]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", spec).strip("-") or "judge"


def find_traces(run_dir: Path) -> list[Path]:
    """Every `*.jsonl` file under a run folder, in a stable order, leaving out the labels and flags folders.

    Anything so named but a folder is listed (a named pipe, a link that loops), so that reading it says why it
    is not a trace instead of leaving it out unseen."""
    apart = {run_dir / LABELS_DIR, run_dir / FLAGS_DIR}
    return sorted(p for p in run_dir.rglob("*.jsonl") if not p.is_dir() and apart.isdisjoint(p.parents))


def label_path(run_dir: Path, trace: Path, slug: str) -> Path:
    """Where a judge's labels of a trace go."""
    relative = trace.relative_to(run_dir)
    return run_dir / LABELS_DIR / slug / relative.with_suffix(".json")


def list_judges(run_dir: Path) -> list[str]:
    """The judges (folder names) that have labels in a run folder."""
    folder = run_dir / LABELS_DIR
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_label_file(path: Path) -> dict[str, Any] | None:
    """A label file's content, or None when it is missing, unreadable or not a label file (it is then redone)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != LABEL_FORMAT:
        return None
    return data


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so that a crash leaves either the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, ensure_ascii=False)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
