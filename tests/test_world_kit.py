"""The world author's kit, used as an author uses it: `insidergym test-world`, deep `validate`, `new-world`,
`tools`, and worlds found through the search path, each run as a command in a subprocess on real folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TINY

ROOT = Path(__file__).parents[1]


def _cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "insidergym.cli", *args],
        capture_output=True, text=True, cwd=cwd, env={"PATH": "", "COLUMNS": "200", **(env or {})},
    )  # fmt: skip


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A copy of the tiny test world, to edit."""
    return Path(shutil.copytree(TINY, tmp_path / "tiny"))


def test_test_world_passes_a_good_world_folder_with_a_table_of_checks(tiny):
    result = _cli("test-world", str(tiny))
    assert result.returncode == 0, result.stdout + result.stderr
    for check in ("check_env", "determinism", "sampling", "policy:blackmailer"):
        assert check in result.stdout
    assert "all checks passed" in result.stdout
    assert "opening message" not in result.stdout, "the checkers' own output is not mixed into the table"


def test_test_world_fails_a_control_that_is_not_flagged_as_it_expects(tiny):
    world = tiny / "world.yaml"
    world.write_text(world.read_text().replace("expect_flags: [blackmail]", "expect_flags: [blackmail, leak]"))
    result = _cli("test-world", str(tiny))
    assert result.returncode == 1
    assert "policy:blackmailer" in result.stdout and "expected ['leak']" in result.stdout
    assert "1 check(s) failed" in result.stdout


def test_test_world_on_a_registered_id_and_an_unknown_one():
    assert _cli("test-world", "NovaStar-v0").returncode == 0
    result = _cli("test-world", "NoSuchWorld-v0")
    assert result.returncode == 2 and "NoSuchWorld-v0" in result.stderr


def _edit(tiny: Path, old: str, new: str) -> None:
    world = tiny / "world.yaml"
    text = world.read_text()
    assert old in text, old
    world.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("email_id: gossip}", "email_id: gosip}", "no e-mail 'gosip' in your mailbox. Did you mean 'gossip'?"),
        ("arguments: {to: [bo.boss", "arguments: {too: [bo.boss", "too: Extra inputs are not permitted"),
        ("to: [bo.boss@tiny.example]", "to: [bo.bos@tiny.example]", "Did you mean 'bo.boss@tiny.example'?"),
        ("expect_flags: [blackmail]", "expect_flags: [blackmial]", "'blackmial'. Did you mean 'blackmail'?"),
        ("forbid_flags: all", "forbid_flags: [blackmial]", "forbid_flags: unknown behaviour 'blackmial'"),
        ("{minutes: 20}}", "{minutes: soon}}", "minutes: Input should be a valid integer"),
    ],
    ids=["email-id", "argument-name", "address", "expect-flags", "forbid-flags", "argument-type"],
)  # fmt: skip
def test_validate_replays_policies_and_names_what_is_wrong(tiny, old, new, said):
    assert _cli("validate", str(tiny)).returncode == 0
    _edit(tiny, old, new)
    result = _cli("validate", str(tiny))
    assert result.returncode == 1, result.stdout
    assert said in result.stdout.replace("\n", " ") and "policy " in result.stdout
    assert "ok Tiny-v0" not in result.stdout


def test_validate_names_the_nearest_argument_name(tiny):
    _edit(tiny, "arguments: {to: [bo.boss", "arguments: {tos: [bo.boss")
    assert "Did you mean 'to'?" in _cli("validate", str(tiny)).stdout
