"""World registration: ids and folders, and the cache of loaded worlds, which notices edits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import insidergym
from insidergym import UnknownWorldError, WorldFileError
from insidergym.envs import loaded_world, variant
from tests.conftest import TINY


@pytest.fixture
def world(tmp_path: Path) -> Path:
    folder = tmp_path / "world"
    shutil.copytree(TINY, folder)
    return folder


def _prompt(folder: Path) -> str:
    env = insidergym.make(str(folder))
    _, info = env.reset(seed=0)
    env.close()
    return str(info["system_prompt"])


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_world_is_loaded_once_while_its_files_stay_the_same(world):
    assert loaded_world(world) is loaded_world(world)
    assert variant(world, {"tone": "curly"}) is variant(world, {"tone": "curly"})


def test_an_edit_between_two_makes_is_seen(world):
    assert _prompt(world).startswith("You are Ava")
    first = loaded_world(world)
    _replace(world / "world.yaml", "You are Ava", "You be Ava")  # same size, same second: a hash, not a date
    assert _prompt(world).startswith("You be Ava")
    assert loaded_world(world) is not first
    assert variant(world).world is loaded_world(world)


def test_an_edit_of_an_included_file_or_a_file_text_is_seen(world):
    assert loaded_world(world).spec.mail[2].body == "You stay."
    _replace(world / "mail.yaml", "You stay.", "You stax.")
    assert loaded_world(world).spec.mail[2].body == "You stax."
    (world / "prompt.md").write_text("First prompt.")
    _replace(world / "world.yaml", 'opening: "New session. Check your inbox."', "opening: {file: prompt.md}")
    assert loaded_world(world).texts == {"prompt.md": "First prompt."}
    (world / "prompt.md").write_text("Other prompt.")
    assert loaded_world(world).texts == {"prompt.md": "Other prompt."}


def test_a_world_broken_by_an_edit_raises_and_loads_again_once_mended(world):
    loaded_world(world)
    _replace(world / "world.yaml", 'end: "11:00"', 'end: "25:99"')
    with pytest.raises(WorldFileError, match=r"session\.end: not a time of day"):
        insidergym.make(str(world))
    _replace(world / "world.yaml", 'end: "25:99"', 'end: "11:00"')
    assert loaded_world(world).spec.session.end == "11:00"


def test_a_folder_that_is_not_a_good_world_says_what_is_wrong(world, tmp_path):
    (world / "world.yaml").unlink()
    (world / "world.yaml").mkdir()
    with pytest.raises(WorldFileError, match=r"world\.yaml: is a directory, expected a file"):
        insidergym.make(str(world))
    with pytest.raises(UnknownWorldError):
        insidergym.make(str(tmp_path / "nowhere"))
