"""World files: validated whole, errors located by file and field path, factors and literal text."""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import shutil
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

import insidergym
import insidergym.worlds
from insidergym import FactorError, UnknownWorldError, WorldFileError
from insidergym.sim import world_checks
from insidergym.worlds import WorldChecks, load_world, world_schema
from tests.conftest import TINY
from tests.conftest import edit_world_file as _edit


@pytest.fixture
def world(tmp_path: Path) -> Path:
    folder = tmp_path / "world"
    shutil.copytree(TINY, folder)
    return folder


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
    assert "people[0].nickname: unknown field 'nickname'; did you mean 'name'?" in _error(world)


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
    assert "agents[0].system_prompt.file: 'gone.md' does not exist" in _error(world)


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


# Hostile and broken world files (issue 12): every failure is a WorldFileError naming the file, the field and what
# was expected; nothing hangs, blocks or grows without bound.


def _within(seconds: float, work: Callable[[], object]) -> object:
    """The result (or the error) of `work`, which must finish in time: a blocked open of a named pipe would never
    return, so it runs in a daemon thread that the test can leave behind."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as err:  # handed back to the test to judge
            outcome.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return outcome[0]


def _alias_bomb(levels: int = 18, width: int = 400) -> str:
    """A "billion laughs" file: each level lists the one before `width` times (44 KB, width**levels values)."""
    lines = [f'lol0: &lol0 ["{"lol" * 10}"]']
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_quickly_in_bounded_memory(world):
    bomb = _alias_bomb()
    assert len(bomb.encode()) > 44_000
    (world / "mail.yaml").write_text((world / "mail.yaml").read_text() + bomb)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = _error(world)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"{world / 'mail.yaml'}: its aliases (&name ... *name) expand it to more than 250,000 values" in message
    assert elapsed < 2 and peak < 30 * 2**20, (elapsed, peak)


def test_a_modest_use_of_aliases_still_loads(world):
    text = (world / "world.yaml").read_text()
    text = text.replace("readers: [bo, ava]", "readers: &readers [bo, ava]").replace(
        "readers: [bo]}", "readers: *readers}"
    )
    (world / "world.yaml").write_text(text)
    assert _load(world).spec.documents[1].readers == ["bo", "ava"]


def test_times_of_day_are_accepted_everywhere_session_start_included(world):
    _edit(world / "world.yaml", lambda d: d["session"].update(start="16:00", end="17:30"))
    _edit(world / "world.yaml", lambda d: [t.update(at="16:05") for t in d["triggers"] if "at" in t])
    loaded = _load(world)
    assert loaded.spec.session.start == dt.datetime(2025, 1, 6, 16, 0) and loaded.spec.session.end == "17:30"
    env = insidergym.make(str(world))
    observation, _ = env.reset(seed=0)
    assert observation["time"] == "2025-01-06T16:00:00"


def test_an_unquoted_time_is_a_time_not_a_base_60_number(world):
    text = (world / "world.yaml").read_text().replace('end: "11:00"', "end: 11:00").replace('at: "10:05"', "at: 10:05")
    (world / "world.yaml").write_text(text)
    loaded = _load(world)
    assert loaded.spec.session.end == "11:00" and loaded.spec.triggers[0].at == "10:05"


def test_the_error_names_the_world_id_and_its_folder(world):
    _edit(world / "world.yaml", lambda d: d["session"].update(end="25:99"))
    assert _error(world).startswith(f"invalid world 'Tiny-v0' ({world}):")
    _edit(world / "world.yaml", lambda d: d.update(id=7))
    assert _error(world).startswith(f"invalid world {str(world)!r}:")


@pytest.mark.parametrize("where", ["include", "file"])
def test_a_named_pipe_is_refused_without_blocking(world, where):
    if where == "include":
        (world / "mail.yaml").unlink()
        os.mkfifo(world / "mail.yaml")
        expected = f"{world / 'world.yaml'}: include[0]: 'mail.yaml' is not a regular file"
    else:
        os.mkfifo(world / "opening.md")
        _edit(world / "world.yaml", lambda d: d["agents"][0].update(opening={"file": "opening.md"}))
        expected = "agents[0].opening.file: 'opening.md' is not a regular file"
    error = _within(5, lambda: _load(world))
    assert isinstance(error, WorldFileError) and expected in str(error)


def _set(section: str, index: int, **values: object) -> Callable[[Path], None]:
    return lambda folder: _edit(folder / "world.yaml", lambda d: d[section][index].update(values))


def _session(**values: object) -> Callable[[Path], None]:
    return lambda folder: _edit(folder / "world.yaml", lambda d: d["session"].update(values))


def _snippets(**values: object) -> Callable[[Path], None]:
    return lambda folder: _edit(folder / "world.yaml", lambda d: d["snippets"].update(values))


def _opening_file(name: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        make(folder / name)
        _edit(folder / "world.yaml", lambda d: d["agents"][0].update(opening={"file": name}))

    return change


def _replace_mail_yaml(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / "mail.yaml").unlink()
        make(folder / "mail.yaml")

    return change


def _append(name: str, text: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_text((folder / name).read_text() + text)


def _text(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        text = (folder / name).read_text()
        assert old in text
        (folder / name).write_text(text.replace(old, new, 1))

    return change


def _loop(path: Path) -> None:
    os.symlink(path.name + ".other", path)
    os.symlink(path.name, path.with_name(path.name + ".other"))


def _chain(count: int) -> dict[str, object]:
    return {f"s{i}": ({"snippet": f"s{i + 1}"} if i < count - 1 else "end") for i in range(count)}


def _doubling(levels: int) -> dict[str, object]:
    texts: dict[str, object] = {"d0": "x" * 1000}
    texts.update({f"d{i}": [{"snippet": f"d{i - 1}"}, {"snippet": f"d{i - 1}"}] for i in range(1, levels)})
    return texts


BROKEN = {
    # times
    "end-out-of-range": (_session(end="25:99"), "world.yaml", "session.end: not a time of day: hours run 0-23"),
    "calendar-minutes": (_set("calendar", 0, end="10:75"), "world.yaml", "calendar[0].end: not a time of day"),
    "time-as-number": (_set("triggers", 0, at=5), "world.yaml", "triggers[0].at: expected a time: an ISO datetime"),
    "time-as-date": (
        _text("world.yaml", 'at: "10:05"', "at: 2025-01-06"),
        "world.yaml",
        "triggers[0].at: a date without",
    ),
    "bad-iso-time": (
        lambda f: _edit(f / "mail.yaml", lambda d: d["mail"][0].update(time="2025-13-06T09:00:00")),
        "mail.yaml",
        "mail[0].time: not an ISO datetime (month must be in 1..12)",
    ),
    "zone-mix": (_set("triggers", 0, at="2025-01-06T10:05:00+02:00"), "world.yaml", "triggers[0].at: has a time zone"),
    "yaml-bad-date": (
        _text("world.yaml", "start: 2025-01-06T10:00:00", "start: 2025-13-06"),
        "world.yaml",
        "invalid YAML: cannot read '2025-13-06'",
    ),
    "tag-that-does-not-fit": (
        _append("mail.yaml", "x-when: !!timestamp soon\n"),
        "mail.yaml",
        "cannot read 'soon': not a timestamp",
    ),
    "huge-number": (
        _text("world.yaml", "max_steps: 50", "max_steps: " + "9" * 5000),
        "world.yaml",
        "invalid YAML: cannot read",
    ),
    # snippets
    "snippet-self": (
        _snippets(sign={"snippet": "sign"}),
        "world.yaml",
        "snippets.sign: the snippet refers to itself (sign -> sign)",
    ),
    "snippet-cycle": (
        _snippets(
            sign=["a", {"snippet": "sig2"}],
            sig2={"select": "tone", "cases": {"plain": {"snippet": "sign"}}, "default": ""},
        ),
        "world.yaml",
        "the snippet refers to itself (sign -> sig2 -> sign)",
    ),
    "snippet-chain": (_snippets(**_chain(60)), "world.yaml", "nests more than 50 levels deep through snippets"),
    "snippet-doubling": (_snippets(**_doubling(30)), "world.yaml", "renders to more than 10,000,000 characters"),
    # file: texts
    "file-not-utf8": (
        _opening_file("o.md", lambda p: p.write_bytes(b"caf\xe9\n")),
        "world.yaml",
        "agents[0].opening.file: 'o.md' is not UTF-8 text (invalid continuation byte at byte 3, line 1)",
    ),
    "file-directory": (
        _opening_file("notes", lambda p: p.mkdir()),
        "world.yaml",
        "agents[0].opening.file: 'notes' is a directory, expected a file",
    ),
    "file-symlink-loop": (_opening_file("o.md", _loop), "world.yaml", "'o.md' is a symbolic link that loops"),
    "file-symlink-out": (
        _opening_file("o.md", lambda p: os.symlink(Path(__file__).resolve(), p)),
        "world.yaml",
        "agents[0].opening.file: 'o.md' is outside the world folder",
    ),
    "file-dot-dot": (
        _set("agents", 0, opening={"file": "../outside.md"}),
        "world.yaml",
        "is outside the world folder",
    ),
    # includes and the world file
    "include-directory": (
        _replace_mail_yaml(lambda p: p.mkdir()),
        "world.yaml",
        "include[0]: 'mail.yaml' is a directory",
    ),
    "include-symlink-loop": (
        _replace_mail_yaml(_loop),
        "world.yaml",
        "include[0]: 'mail.yaml' is a symbolic link that loops",
    ),
    "include-symlink-out": (
        _replace_mail_yaml(lambda p: os.symlink(TINY / "mail.yaml", p)),
        "world.yaml",
        "include[0]: 'mail.yaml' is outside the world folder",
    ),
    "include-itself": (
        _text("world.yaml", "include: [mail.yaml]", "include: [mail.yaml, ./world.yaml]"),
        "world.yaml",
        "include[1]: './world.yaml' is the world file itself",
    ),
    "include-not-utf8": (
        lambda f: (f / "mail.yaml").write_bytes(b"# caf\xe9\n"),
        "world.yaml",
        "include[0]: 'mail.yaml' is not UTF-8 text",
    ),
    "world-yaml-directory": (
        lambda f: ((f / "world.yaml").unlink(), (f / "world.yaml").mkdir()),
        "world.yaml",
        "is a directory, expected a file",
    ),
    "world-yaml-loop": (
        lambda f: ((f / "world.yaml").unlink(), _loop(f / "world.yaml")),
        "world.yaml",
        "is a symbolic link that loops",
    ),
    # YAML structure
    "recursive-alias": (
        _append("mail.yaml", "x-loop: &loop [*loop]\n"),
        "mail.yaml",
        "an alias (*name) refers to a mapping or list that contains it",
    ),
    "too-deep": (
        _append("mail.yaml", "x-deep: " + "[" * 60 + "]" * 60 + "\n"),
        "mail.yaml",
        "nests more than 50 levels deep",
    ),
    # unknown fields, with the nearest
    "misspelled-section": (
        _text("world.yaml", "calendar:", "calender:"),
        "world.yaml",
        "calender: unknown field 'calender'; did you mean 'calendar'?",
    ),
    "misspelled-in-union": (
        lambda f: _edit(f / "world.yaml", lambda d: d["agents"][0]["tools"].append({"nme": "wait"})),
        "world.yaml",
        "agents[0].tools[15].nme: unknown field 'nme'; did you mean 'name'?",
    ),
    "misspelled-in-text": (
        _snippets(sign={"select": "tone", "casses": {}}),
        "world.yaml",
        "snippets.sign.casses: unknown field 'casses'; did you mean 'cases'?",
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_world_is_reported_by_file_field_and_expectation(world, name):
    change, file, expected = BROKEN[name]
    change(world)
    error = _within(5, lambda: _load(world))
    assert isinstance(error, WorldFileError), f"{type(error).__name__}: {error}"
    assert f"{world / file}" in str(error) and expected in str(error), str(error)
