"""The README's snippets run as written: the Python blocks, and the `insidergym` commands of the bash blocks."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text()
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
COMMANDS = [
    line.strip()
    for block in re.findall(r"```bash\n(.*?)```", README, re.DOTALL)
    for line in block.splitlines()
    if line.strip().startswith("insidergym ")
]
OFFLINE = [c for c in COMMANDS if "@http" not in c]
"""Commands that point at a model server the reader runs (Ollama, vLLM) are shown, not run: no network in tests."""


def test_the_readme_has_snippets():
    assert PYTHON_BLOCKS and OFFLINE and len(COMMANDS) - len(OFFLINE) <= 1


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_python_snippet_runs(index, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PYTHON_BLOCKS[index]], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_commands_run_in_order(tmp_path):
    binary = Path(sys.executable).parent / "insidergym"
    env = {**os.environ, "COLUMNS": "120"}
    for command in OFFLINE:
        words = [w.replace("examples/", f"{ROOT}/examples/", 1) for w in shlex.split(command.split("#")[0])]
        runner = [str(binary)] if binary.exists() else [sys.executable, "-m", "insidergym.cli"]
        result = subprocess.run([*runner, *words[1:]], cwd=tmp_path, capture_output=True, text=True, env=env)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
