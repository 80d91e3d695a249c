"""World files: validated whole, errors located by file and field path, factors and literal text."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
import yaml

import insidergym
import insidergym.worlds
from insidergym import FactorError, UnknownWorldError, WorldFileError
from insidergym.sim import world_checks
from insidergym.worlds import WorldChecks, load_world, world_schema
from insidergym.worlds._loader import _Loader as YamlLoader
from tests.conftest import TINY


@pytest.fixture
def world(tmp_path: Path) -> Path:
    folder = tmp_path / "world"
    shutil.copytree(TINY, folder)
    return folder


def _edit(path: Path, change) -> None:
    data = yaml.load(path.read_text(), Loader=YamlLoader)  # YAML 1.2 booleans, as worlds are read
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _load(folder: Path):
    """Load with the engine's checks, as `insidergym.make` does."""
    return load_world(folder, checks=world_checks())


def _error(folder: Path, checks: WorldChecks | None = None) -> str:
    with pytest.raises(WorldFileError) as info:
        load_world(folder, checks=checks or world_checks())
    return str(info.value)


def test_the_test_world_loads(world):
    loaded = _load(world)
    assert loaded.spec.id == "Tiny-v0"
    assert [f.name for f in loaded.files] == ["world.yaml", "mail.yaml"]


def test_a_wrong_type_names_file_field_and_expectation(world):
    _edit(world / "mail.yaml", lambda d: d["mail"][1].update(read="maybe"))
    message = _error(world)
    assert f"{world / 'mail.yaml'}: mail[1].read: Input should be a valid boolean" in message
    assert "'maybe'" in message


def test_a_missing_field_is_named(world):
    _edit(world / "world.yaml", lambda d: d["company"].pop("domain"))
    assert f"{world / 'world.yaml'}: company.domain: Field required" in _error(world)


def test_an_unknown_field_is_named(world):
    _edit(world / "world.yaml", lambda d: d["people"][0].update(nickname="B"))
    assert "people[0].nickname: Extra inputs are not permitted" in _error(world)


def test_invalid_yaml_names_line_and_column(world):
    (world / "mail.yaml").write_text("mail:\n  - {id: x, from: bo\n")
    message = _error(world)
    assert f"{world / 'mail.yaml'}:" in message and "invalid YAML" in message


def test_bad_references_are_found_with_suggestions(world):
    _edit(world / "mail.yaml", lambda d: d["mail"][0].update(to=["cyy"]))
    message = _error(world)
    assert "mail[0].to[0]: unknown person or agent 'cyy'; did you mean 'cy'?" in message
    assert str(world / "mail.yaml") in message


def test_select_on_unknown_factor_or_value(world):
    def change(d):
        d["agents"][0]["system_prompt"] = {"select": "toen", "cases": {"plain": "x"}}
        d["snippets"]["sign"] = {"select": "tone", "cases": {"loud": "x"}, "default": ""}

    _edit(world / "world.yaml", change)
    message = _error(world)
    assert "unknown factor 'toen'; did you mean 'tone'?" in message
    assert "'loud' is not a value of factor 'tone'" in message


def test_select_must_cover_every_value_or_have_a_default(world):
    _edit(world / "world.yaml", lambda d: d["snippets"].update(sign={"select": "tone", "cases": {"plain": "x"}}))
    assert "no case for ['curly'] of factor 'tone' and no default" in _error(world)


def test_unknown_tool_in_agent_or_policy(world):
    def change(d):
        d["agents"][0]["tools"].append("launch_missiles")
        d["policies"]["compliant"]["steps"].append({"name": "sned_email"})

    _edit(world / "world.yaml", change)
    message = _error(world)
    assert "unknown tool 'launch_missiles'" in message
    assert "unknown tool 'sned_email'; did you mean 'send_email'?" in message


def test_the_checks_come_from_the_caller(world):
    """The world format knows no engine: the kinds, tools and event types a world may name are the caller's."""
    message = _error(world, WorldChecks(system_kinds={}, tools=(), event_types=()))
    assert "agents[0].tools[0]: unknown tool 'list_inbox'" in message
    assert "triggers[1].on: unknown event type 'email_delivered'" in message
    _edit(world / "world.yaml", lambda d: d.update(systems=[{"kind": "vault", "id": "v"}]))
    assert re.search(r"systems\[0\]\.kind: unknown system kind 'vault'; kinds: \[.*'config_store'", _error(world))
    mine = WorldChecks(system_kinds={}, tools=("list_inbox", "read_emails"), event_types=("email_delivred",))
    message = _error(world, mine)
    assert "unknown tool 'read_email'; did you mean 'read_emails'?" in message
    assert "unknown event type 'email_delivered'; did you mean 'email_delivred'?" in message
    assert "systems[0].kind: unknown system kind 'vault'; kinds: []" in message


def test_the_world_format_imports_nothing_of_the_engine():
    for module in Path(insidergym.worlds.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):  # function bodies included
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name.split(".")[0] == "insidergym":
                    assert name.startswith(("insidergym.worlds", "insidergym._errors")), f"{module.name}: {name}"


def test_every_problem_is_reported_at_once_and_nothing_is_half_loaded(world):
    _edit(world / "mail.yaml", lambda d: [m.update(to=["nobody1"]) for m in d["mail"]])
    assert _error(world).count("unknown person or agent 'nobody1'") == 3


def test_duplicate_ids_and_sections(world):
    _edit(world / "mail.yaml", lambda d: d["mail"].append(dict(d["mail"][0])))
    assert "id 'plan-mail' repeats mail[0]" in _error(world)
    (world / "mail.yaml").write_text("company: {name: X, domain: x.example}\n")
    assert "section 'company' is already defined in" in _error(world)


def test_yaml_on_and_off_stay_strings(world):
    _edit(world / "world.yaml", lambda d: d["factors"].update(scratch={"values": ["on", "off"], "default": "on"}))
    assert _load(world).spec.factors["scratch"].values == ["on", "off"]


def test_file_texts_are_inlined_and_must_exist(world):
    (world / "prompt.md").write_text("# Prompt\nUse {braces} and $vars freely.\n")
    _edit(world / "world.yaml", lambda d: d["agents"][0].update(system_prompt={"file": "prompt.md"}))
    env = insidergym.make(str(world))
    _, info = env.reset(seed=0)
    assert info["system_prompt"] == "# Prompt\nUse {braces} and $vars freely.\n"
    _edit(world / "world.yaml", lambda d: d["agents"][0].update(system_prompt={"file": "gone.md"}))
    assert "no such file 'gone.md'" in _error(world)


def test_template_like_text_passes_through_untouched(tiny_env):
    _, info = tiny_env.reset(seed=0)
    assert "Templates like {{name}} and ${HOME} stay as written." in info["system_prompt"]
    env = insidergym.make("Tiny-v0", tone="curly")
    _, info = env.reset(seed=0)
    assert info["system_prompt"].endswith(" Curly {braces} too.")


def test_factor_errors_list_the_valid_values():
    with pytest.raises(FactorError, match=re.escape("cannot be 'loud'. Values: plain, curly.")):
        insidergym.make("Tiny-v0", tone="loud")
    with pytest.raises(FactorError, match=re.escape("no factor 'urgncy'. Did you mean 'urgency'?")):
        insidergym.make("Tiny-v0", urgncy="none")


def test_unknown_world_suggests_the_nearest():
    with pytest.raises(UnknownWorldError, match=re.escape("Did you mean 'Tiny-v0'?")):
        insidergym.make("Tiny-v1")


def test_json_schema_describes_the_format():
    schema = world_schema()
    assert schema["title"] == "insidergym world"
    assert {"company", "agents", "mail", "factors", "schedule", "secrets"} <= set(schema["properties"])
