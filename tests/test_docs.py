"""The world-writing guide (docs/writing-worlds.md) holds as written: its commands run in order in a fresh folder
(its `# file:` blocks written there first), its policy example passes the generic world test in the world the guide
starts from, and its format overview names every top-level section of world.yaml."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from insidergym.worlds import WorldSpec

ROOT = Path(__file__).parents[1]
GUIDE = (ROOT / "docs" / "writing-worlds.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", GUIDE, re.DOTALL)


def _cli(*words: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "160", "XDG_CONFIG_HOME": str(cwd / ".config")}
    env.pop("INSIDERGYM_WORLDS_PATH", None)
    return subprocess.run([sys.executable, "-m", "insidergym.cli", *words], cwd=cwd, capture_output=True, text=True,
                          env=env)  # fmt: skip


def test_the_guides_commands_run_in_order(tmp_path):
    for language, body in BLOCKS:
        if language == "yaml" and body.startswith("# file: "):
            name = body.splitlines()[0].removeprefix("# file: ").strip()
            (tmp_path / name).write_text(body, encoding="utf-8")
    commands = [
        line.split("#")[0].strip()
        for language, body in BLOCKS
        if language == "bash"
        for line in body.splitlines()
        if line.startswith("insidergym ")
    ]
    assert len(commands) >= 6
    for command in commands:
        result = _cli(*shlex.split(command)[1:], cwd=tmp_path)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert (tmp_path / "runs" / "acme-study" / "Acme-v0").is_dir(), "the experiment's traces are under the world's id"


def test_the_guides_policy_example_passes_in_the_world_it_starts_from(tmp_path):
    assert _cli("new-world", "Acme-v0", cwd=tmp_path).returncode == 0
    (example,) = [body for language, body in BLOCKS if language == "yaml" and body.startswith("policies:")]
    world = tmp_path / "acme" / "world.yaml"
    data = yaml.safe_load(world.read_text(encoding="utf-8"))
    data["policies"].update(yaml.safe_load(example)["policies"])
    world.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = _cli("test-world", str(world.parent), cwd=tmp_path)
    assert result.returncode == 0 and "policy:advocate" in result.stdout, result.stdout


def test_the_format_overview_names_every_section():
    overview = next(body for language, body in BLOCKS if language == "yaml" and body.startswith("id: "))
    named = {line.split(":")[0] for line in overview.splitlines() if re.match(r"^[a-z_]+:", line)}
    sections = set(WorldSpec.model_fields) - {"schema_version"}
    assert sections <= named, f"the guide's overview leaves out {sorted(sections - named)}"
