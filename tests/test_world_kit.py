"""The world author's kit, used as an author uses it: `insidergym test-world`, deep `validate`, `new-world`,
`tools`, and worlds found through the search path, each run as a command in a subprocess on real folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import insidergym
from tests.conftest import TINY, edit_world_file

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


# -- worlds that travel: the search path, the user config, packages, experiment files -----------------------------


def test_a_world_on_the_search_path_is_listed_and_runs_by_its_id(tiny, tmp_path):
    env = {"INSIDERGYM_WORLDS_PATH": str(tiny.parent), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    listed = _cli("worlds", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "Tiny-v0" in listed.stdout and "search path ($INSIDERGYM_WORLDS_PATH)" in listed.stdout
    run = _cli("run", "--world", "Tiny-v0", "--agent", "scripted:blackmailer", "--out", str(tmp_path / "runs"), env=env)
    assert run.returncode == 0, run.stderr
    assert [p.name for p in (tmp_path / "runs").iterdir()] == ["Tiny-v0_scripted-blackmailer_seed000000.jsonl"]


def test_a_world_on_the_search_path_is_validated_by_its_id(tiny, tmp_path):
    env = {"INSIDERGYM_WORLDS_PATH": str(tiny.parent), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = _cli("validate", "Tiny-v0", env=env)
    assert result.returncode == 0, result.stderr
    assert "ok Tiny-v0" in " ".join(result.stdout.split())


def test_the_user_config_adds_folders_relative_to_itself(tiny, tmp_path):
    config = tmp_path / "config" / "insidergym"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[worlds]\npath = ["../.."]\n')  # the folder holding tiny/
    (tmp_path / "empty").mkdir()
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "INSIDERGYM_WORLDS_PATH": str(tmp_path / "empty")}
    listed = _cli("worlds", env=env)
    assert "Tiny-v0" in listed.stdout and "config.toml" in listed.stdout
    assert "skipped" in listed.stdout and "holds no world folder" in listed.stdout, "an empty folder is reported"


def test_a_broken_user_config_is_named(tmp_path):
    config = tmp_path / "insidergym"
    config.mkdir()
    (config / "config.toml").write_text("[worlds]\npath = 3\n")
    result = _cli("worlds", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 2 and "config.toml: [worlds] path must be a list of folders" in result.stderr


def test_a_world_that_cannot_load_is_listed_as_such_without_hiding_the_others(tiny, tmp_path):
    _edit(tiny, "company:", "compnay:")
    result = _cli("worlds", env={"INSIDERGYM_WORLDS_PATH": str(tiny), "XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "cannot be loaded" in result.stdout and "SummitBridge-v0" in result.stdout


def test_an_unknown_world_says_that_a_folder_and_the_search_path_work():
    result = _cli("run", "--world", "MeridianHealth-v0", "--agent", "scripted:compliant")
    assert result.returncode == 2
    assert "unknown world 'MeridianHealth-v0'" in result.stderr
    assert "A world folder" in result.stderr and "INSIDERGYM_WORLDS_PATH" in result.stderr


def test_a_world_installed_as_a_package_is_listed(tiny, tmp_path):
    site = tmp_path / "site"
    (site / "tiny_world").mkdir(parents=True)
    shutil.copytree(tiny, site / "tiny_world" / "world")
    (site / "tiny_world" / "__init__.py").write_text(
        "from pathlib import Path\n\ndef folder():\n    return Path(__file__).parent / 'world'\n"
    )
    info = site / "tiny_world-1.0.dist-info"  # what pip writes for a package declaring the entry point
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tiny-world\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[insidergym.worlds]\nTiny-v0 = tiny_world:folder\n")
    result = _cli("worlds", env={"PYTHONPATH": str(site), "XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Tiny-v0" in result.stdout and "package (entry point insidergym.worlds)" in result.stdout


def test_an_experiment_file_names_worlds_relative_to_itself_and_reports_their_ids(tiny, tmp_path):
    experiment = tiny.parent / "studies" / "exp.yaml"
    experiment.parent.mkdir()
    experiment.write_text(
        "name: relative\nworlds:\n  - id: ../tiny\nagents: [scripted:blackmailer]\nsamples: 1\nout: out\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _cli("run", str(experiment), cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    traces = list((elsewhere / "out").rglob("*.jsonl"))
    assert [t.relative_to(elsewhere / "out").parts[0] for t in traces] == ["Tiny-v0"], "folders use the world's id"
    assert "Tiny-v0" in result.stdout and str(tiny) not in result.stdout, "the summary names the id, not the path"


# -- new-world and tools ------------------------------------------------------------------------------------------


def test_a_new_user_writes_validates_tests_and_runs_a_new_world(tmp_path):
    """The issue's walk: new-world, edit, validate, test-world, an experiment with a relative path, the search
    path's listing."""
    made = _cli("new-world", "Acme-v0", "--dir", "worlds", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    world = tmp_path / "worlds" / "acme"
    assert sorted(p.name for p in world.iterdir()) == ["mail.yaml", "world.yaml"]
    text = (world / "world.yaml").read_text()
    assert text.startswith("# Acme-v0:") and "id: Acme-v0" in text and "acme.example" in text
    for section in ("factors:", "people:", "agents:", "calendar:", "documents:", "schedule:", "secrets:", "policies:"):
        assert f"\n{section}" in text, section
    assert _cli("validate", str(world)).returncode == 0
    tested = _cli("test-world", str(world))
    assert tested.returncode == 0 and "policy:blackmailer" in tested.stdout and "policy:compliant" in tested.stdout

    (world / "world.yaml").write_text(text.replace("at 5 pm, or Chris", "by five, or Chris"))  # the author's edit
    assert _cli("test-world", str(world)).returncode == 0

    (tmp_path / "exp.yaml").write_text("worlds: [worlds/acme]\nagents: [scripted:blackmailer]\nout: out\n")
    ran = _cli("run", "exp.yaml", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "out" / "Acme-v0" / "scripted-blackmailer" / "default" / "sample0000.jsonl").is_file()

    listed = _cli("worlds", env={"INSIDERGYM_WORLDS_PATH": str(tmp_path / "worlds"), "XDG_CONFIG_HOME": str(tmp_path)})
    assert "Acme-v0" in listed.stdout


def test_new_world_refuses_a_taken_folder_and_a_bad_name(tmp_path):
    assert _cli("new-world", "Acme", cwd=tmp_path).returncode == 0
    assert (tmp_path / "acme" / "world.yaml").read_text().count("id: Acme-v0") == 1, "a bare name gets -v0"
    again = _cli("new-world", "Acme-v0", cwd=tmp_path)
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = _cli("new-world", "9 lives", cwd=tmp_path)
    assert bad.returncode == 2 and "cannot be a world id" in bad.stderr


def test_tools_lists_every_tool_with_arguments_and_effects():
    listed = _cli("tools")
    assert listed.returncode == 0
    for line in ("send_email", "communicates", "to: array of string", "edit_schedule", "changes_system"):
        assert line in listed.stdout
    one = _cli("tools", "send_email")
    assert "Recipients' e-mail addresses." in one.stdout and "read_email" not in one.stdout
    unknown = _cli("tools", "sendmail")
    assert unknown.returncode == 2 and "Did you mean 'send_email'?" in unknown.stderr


def test_validate_replays_policies_where_a_model_plays_one_of_the_people(tmp_path):
    """A condition in which a model plays a person (SummitBridge's Kyle under `kyle_response: persona`) is replayed
    with an idle stand-in for that person, not refused for want of one."""
    world = tmp_path / "summitbridge"
    shutil.copytree(Path(insidergym.__file__).parent / "worlds" / "summitbridge", world)

    def played_in_every_condition(data: dict) -> None:
        (kyle,) = [p for p in data["people"] if p["id"] == "kyle"]
        del kyle["character"]["when"]

    edit_world_file(world / "world.yaml", played_in_every_condition)
    result = _cli("validate", str(world), "--max-conditions", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok SummitBridge-v0" in result.stdout and "played by a model" not in result.stdout
