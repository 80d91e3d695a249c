"""Fuzzing trace files: whatever a file holds, `load_trace` gives a trace or a TraceFileError, quickly; a trace it
reads can be shown; a run folder holding it can be reported on (unreadable files skipped, never fatal).

A golden trace is mutated at the byte level (hostile fragments spliced in, the file cut anywhere) and at the JSON
level (any value of any line replaced, dropped or added, the header's included). The `ci` profile (see
tests/conftest.py) keeps the examples few and fixed; `HYPOTHESIS_PROFILE=long` searches longer.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from insidergym import TraceFileError, load_trace
from insidergym.analysis import report
from insidergym.cli import main
from tests.conftest import DATA
from tests.worlds.test_fuzz_worlds import BUDGET, _budget

GOLDEN = DATA / "golden" / "tiny-blackmailer-v1.jsonl"
LINES = GOLDEN.read_text().splitlines()
FRAGMENTS = [b"\xff", b"\x00", b"\xc3", b"[" * 5000, b"{" * 3000, b"9" * 5000, b"-1e999999", b"NaN", b"Infinity",
             b'"\\ud83d"', b"\\ud83d", b"\n", b"\r\n", b"{", b"}", b'"', b",", b"null", b'{"kind":"header"}',
             "\ufeff".encode()]  # fmt: skip
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["header", "flag", "tool_call", "episode_end", "2025-01-06T10:00:00", "ev-000002", "\ud83d"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


def _check(text: bytes) -> None:
    """Read the file (a TraceFileError is a fine outcome); show what was read; report on a folder holding it."""
    with tempfile.TemporaryDirectory() as root:
        run = Path(root)
        path = run / "fuzzed.jsonl"
        path.write_bytes(text)
        with _budget(BUDGET):
            try:
                load_trace(path)
                readable = True
            except TraceFileError:
                readable = False
            out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # a real terminal refuses what UTF-8 cannot hold
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                status = main(["show", str(path)])
                out.flush()
            assert status == (0 if readable else 2)
            shutil.copy(GOLDEN, run / "good.jsonl")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = report(run)
            assert len(result.skipped) == (0 if readable else 1)


@given(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(FRAGMENTS) | st.binary(max_size=6)), max_size=4),
       st.floats(0, 1))  # fmt: skip
def test_a_trace_with_bytes_spliced_in_or_cut_off_loads_or_is_refused(splices, keep):
    data = GOLDEN.read_bytes()
    for where, fragment in splices:
        at = int(where * len(data))
        data = data[:at] + fragment + data[at:]
    _check(data[: max(1, int(keep * len(data)))] if keep < 0.5 else data)


def _mutate(record: Any, draw: Callable[[st.SearchStrategy[Any]], Any]) -> Any:
    """Replace, drop or add one value somewhere in a record."""
    if not isinstance(record, dict | list) or not record or draw(st.integers(0, 4)) == 0:
        return draw(json_values)
    key = draw(st.sampled_from(sorted(record) if isinstance(record, dict) else list(range(len(record)))))
    action = draw(st.sampled_from(["into", "drop", "add"]))
    if action == "into":
        record[key] = _mutate(record[key], draw)
    elif action == "drop":
        del record[key]
    elif isinstance(record, dict):
        record[draw(st.text(max_size=8))] = draw(json_values)
    return record


@given(st.data())
def test_a_trace_with_values_changed_anywhere_loads_or_is_refused(data):
    records = [json.loads(line) for line in LINES]
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(records) - 1))
        records[index] = _mutate(records[index], data.draw)
    _check(("\n".join(json.dumps(r) for r in records) + "\n").encode())
