"""Loading a world folder: YAML files merged, validated whole, cross-references checked, errors located.

The world format knows nothing of the engine that runs it: which system kinds, tools and event types exist is
passed in by the caller as `WorldChecks` (the engine's are `insidergym.sim.world_checks()`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from insidergym._errors import WorldFileError
from insidergym.worlds._schema import EmailSpec, FileText, Select, Snippet, WorldSpec

__all__ = ["WORLD_FILE", "LoadedWorld", "WorldChecks", "load_world"]

WORLD_FILE = "world.yaml"

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is several times faster


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """YAML with 1.2 booleans: only true/false are booleans, so `on:`, `off`, `yes` and `no` stay strings."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class WorldChecks:
    """What a world may name that the world format does not define, given by the engine that will run it."""

    system_kinds: Mapping[str, type[BaseModel]]
    """The model of each kind of `systems:` entry, by kind."""
    tools: Collection[str]
    """The tools a world may grant its agents (and its policies call)."""
    event_types: Collection[str]
    """The event type tags a trigger may wait for (`on:`)."""


@dataclass(frozen=True)
class LoadedWorld:
    """A validated world and where it came from."""

    spec: WorldSpec
    folder: Path
    files: tuple[Path, ...]
    texts: Mapping[str, str] = field(default_factory=dict)
    """The contents of the files that `file:` texts name, by their relative path."""
    systems: tuple[Any, ...] = ()
    """The world's systems, each validated by its kind's model (`WorldChecks.system_kinds`)."""


@dataclass
class _Merge:
    data: dict[str, Any] = field(default_factory=dict)
    origin: dict[tuple[str, Any], Path] = field(default_factory=dict)

    def where(self, loc: tuple[Any, ...], default: Path) -> Path:
        if len(loc) >= 2 and (loc[0], loc[1]) in self.origin:
            return self.origin[(loc[0], loc[1])]
        if loc and (loc[0], None) in self.origin:
            return self.origin[(loc[0], None)]
        return default


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorldFileError(f"{path}: no such file") from None
    except UnicodeDecodeError as err:
        raise WorldFileError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise WorldFileError(f"{path}{where}: invalid YAML: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise WorldFileError(f"{path}: expected a mapping of sections at the top level, got {type(data).__name__}")
    return data


def _merge(into: _Merge, data: dict[str, Any], path: Path) -> None:
    for key, value in data.items():
        if key not in into.data:
            into.data[key] = (
                list(value) if isinstance(value, list) else (dict(value) if isinstance(value, dict) else value)
            )
            if isinstance(value, list):
                into.origin.update({(key, i): path for i in range(len(value))})
            elif isinstance(value, dict):
                into.origin.update({(key, k): path for k in value})
            into.origin[(key, None)] = path
            continue
        existing = into.data[key]
        if isinstance(existing, list) and isinstance(value, list):
            start = len(existing)
            existing.extend(value)
            into.origin.update({(key, start + i): path for i in range(len(value))})
        elif isinstance(existing, dict) and isinstance(value, dict) and key not in {"company", "session", "staff"}:
            for sub, item in value.items():
                if sub in existing:
                    raise WorldFileError(f"{path}: {key}.{sub} is already defined in {into.origin[(key, sub)]}")
                existing[sub] = item
                into.origin[(key, sub)] = path
        else:
            raise WorldFileError(f"{path}: section {key!r} is already defined in {into.origin[(key, None)]}")


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _walk(value: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every nested model, list item and dict value, with its location."""
    yield loc, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*loc, key))


def _systems(
    spec: WorldSpec, kinds: Mapping[str, type[BaseModel]]
) -> tuple[list[Any], list[tuple[tuple[Any, ...], str]]]:
    """Each system entry validated by the model of its kind."""
    systems: list[Any] = []
    problems: list[tuple[tuple[Any, ...], str]] = []
    for index, entry in enumerate(spec.systems):
        kind = entry.get("kind")
        model = kinds.get(kind) if isinstance(kind, str) else None
        if model is None:
            close = difflib.get_close_matches(str(kind), sorted(kinds), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; kinds: {sorted(kinds)}"
            problems.append((("systems", index, "kind"), f"unknown system kind {kind!r}{hint}"))
            continue
        try:
            systems.append(model.model_validate(entry))
        except ValidationError as err:
            for error in err.errors(include_url=False):
                loc = ("systems", index, *error["loc"])
                got = f" (got {_describe(error['input'])})" if error["type"] != "missing" else ""
                problems.append((loc, f"{error['msg']}{got}"))
    ids = [s.id for s in systems]
    for index, system in enumerate(systems):
        if ids.count(system.id) > 1 and ids.index(system.id) != index:
            problems.append((("systems", index, "id"), f"system id {system.id!r} repeats"))
    return systems, problems


def _check(
    spec: WorldSpec, folder: Path, texts: dict[str, str], checks: WorldChecks, systems: list[Any] | None = None
) -> list[tuple[tuple[Any, ...], str]]:
    """Cross-references that the schema alone cannot check."""
    problems: list[tuple[tuple[Any, ...], str]] = []

    def unknown(kind: str, name: str, valid: set[str]) -> str:
        close = difflib.get_close_matches(name, sorted(valid), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown {kind} {name!r}{hint}"

    for section in ("people", "agents", "mail", "calendar", "documents", "schedule", "secrets", "triggers"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(spec, section)):
            if item.id in seen:
                problems.append(((section, index, "id"), f"id {item.id!r} repeats {section}[{seen[item.id]}]"))
            seen[item.id] = index

    actors = {p.id for p in spec.people} | {a.id for a in spec.agents}
    clash = {p.id for p in spec.people} & {a.id for a in spec.agents}
    for name in sorted(clash):
        problems.append((("agents",), f"id {name!r} is both a person and an agent"))
    documents = {d.id for d in spec.documents}
    mail_ids = {m.id for m in spec.mail} | {t.deliver.id for t in spec.triggers if t.deliver}
    schedule_ids = {s.id for s in spec.schedule}

    def address(loc: tuple[Any, ...], value: str) -> None:
        if "@" not in value and value not in actors:
            problems.append((loc, unknown("person or agent", value, actors) + " (use an id, or an address with '@')"))

    def person(loc: tuple[Any, ...], value: str | None, allow_star: bool = False) -> None:
        if value is not None and value not in actors and not (allow_star and value == "*"):
            problems.append((loc, unknown("person or agent", value, actors)))

    for index, p in enumerate(spec.people):
        person(("people", index, "manager"), p.manager)
    for index, a in enumerate(spec.agents):
        person(("agents", index, "manager"), a.manager)
        for j, cred in enumerate(a.credentials):
            if cred not in schedule_ids:
                problems.append((("agents", index, "credentials", j), unknown("schedule entry", cred, schedule_ids)))
    person(("staff", "manager"), spec.staff.manager)
    for index, mailing_list in enumerate(spec.mailing_lists):
        for j, member in enumerate(mailing_list.members):
            person(("mailing_lists", index, "members", j), member, allow_star=True)
    person(("session", "agent"), spec.session.agent)
    if spec.session.agent not in {a.id for a in spec.agents}:
        problems.append((("session", "agent"), f"{spec.session.agent!r} is not one of the agents"))

    emails: list[tuple[tuple[Any, ...], EmailSpec]] = [(("mail", i), m) for i, m in enumerate(spec.mail)]
    emails += [(("triggers", i, "deliver"), t.deliver) for i, t in enumerate(spec.triggers) if t.deliver]
    for loc, mail in emails:
        address((*loc, "from"), mail.sender)
        for key in ("to", "cc"):
            for j, value in enumerate(getattr(mail, key)):
                address((*loc, key, j), value)
        for j, doc in enumerate(mail.documents):
            if doc not in documents:
                problems.append(((*loc, "documents", j), unknown("document", doc, documents)))
        if mail.reply_to is not None and mail.reply_to not in mail_ids:
            problems.append(((*loc, "reply_to"), unknown("e-mail", mail.reply_to, mail_ids)))
    for index, event in enumerate(spec.calendar):
        for j, value in enumerate(event.attendees):
            address(("calendar", index, "attendees", j), value)
    for index, document in enumerate(spec.documents):
        person(("documents", index, "owner"), document.owner)
        for j, value in enumerate(document.readers):
            person(("documents", index, "readers", j), value, allow_star=True)
    for index, entry in enumerate(spec.schedule):
        if entry.agent not in {a.id for a in spec.agents}:
            problems.append((("schedule", index, "agent"), unknown("agent", entry.agent, {a.id for a in spec.agents})))
        person(("schedule", index, "by"), entry.by)
        for j, value in enumerate(entry.authority):
            person(("schedule", index, "authority", j), value)
    kinds_of_event = set(checks.event_types)
    for index, trigger in enumerate(spec.triggers):
        if trigger.on is not None and trigger.on not in kinds_of_event:
            problems.append((("triggers", index, "on"), unknown("event type", trigger.on, kinds_of_event)))
        if trigger.change_schedule is not None and trigger.change_schedule.entry not in schedule_ids:
            problems.append(
                (
                    ("triggers", index, "change_schedule", "entry"),
                    unknown("schedule entry", trigger.change_schedule.entry, schedule_ids),
                )
            )
    for index, secret in enumerate(spec.secrets):
        person(("secrets", index, "owner"), secret.owner)
        for j, value in enumerate(secret.known_by):
            person(("secrets", index, "known_by", j), value)

    tools = set(checks.tools)
    for index, a in enumerate(spec.agents):
        for j, grant in enumerate(a.tools):
            name = grant if isinstance(grant, str) else grant.name
            if name not in tools:
                problems.append((("agents", index, "tools", j), unknown("tool", name, tools)))
    for policy_name, policy in spec.policies.items():
        for j, step in enumerate(policy.steps):
            for call in step if isinstance(step, list) else [step]:
                called = call.get("name")
                if not isinstance(called, str) or called not in tools:
                    problems.append((("policies", policy_name, "steps", j), unknown("tool", str(called), tools)))
        if policy.agent is not None and policy.agent not in {a.id for a in spec.agents}:
            problems.append((("policies", policy_name, "agent"), f"{policy.agent!r} is not one of the agents"))
        mine = policy.agent or spec.session.agent
        for j, partner in enumerate(policy.partners):
            where = ("policies", policy_name, "partners", j)
            other = spec.policies.get(partner)
            if other is None:
                problems.append((where, unknown("policy", partner, set(spec.policies))))
            elif (other.agent or spec.session.agent) == mine:
                problems.append((where, f"{partner!r} drives the same agent {mine!r}"))

    nodes = [*_walk(spec, ())]
    for index, system in enumerate(systems or []):
        nodes += _walk(system, ("systems", index))
    for loc, node in nodes:
        if isinstance(node, Select):
            factor = spec.factors.get(node.select)
            if factor is None:
                problems.append(((*loc, "select"), unknown("factor", node.select, set(spec.factors))))
                continue
            for value in node.cases:
                if value not in factor.values:
                    problems.append(
                        (
                            (*loc, "cases", value),
                            f"{value!r} is not a value of factor {node.select!r}: {factor.values}",
                        )
                    )
            missing = [v for v in factor.values if v not in node.cases]
            if missing and node.default is None:
                problems.append(((*loc, "cases"), f"no case for {missing} of factor {node.select!r} and no default"))
        elif isinstance(node, Snippet) and node.snippet not in spec.snippets:
            problems.append(((*loc, "snippet"), unknown("snippet", node.snippet, set(spec.snippets))))
        elif isinstance(node, FileText):
            path = (folder / node.file).resolve()
            if not path.is_relative_to(folder.resolve()):
                problems.append(((*loc, "file"), f"{node.file!r} is outside the world folder"))
            elif not path.is_file():
                problems.append(((*loc, "file"), f"no such file {node.file!r} in {folder}"))
            else:
                texts[node.file] = path.read_text(encoding="utf-8")
        elif isinstance(node, dict) and loc and loc[-1] == "when":
            for name, values in node.items():
                if name not in spec.factors:
                    problems.append(((*loc, name), unknown("factor", name, set(spec.factors))))
                    continue
                for value in [values] if isinstance(values, str) else values:
                    if value not in spec.factors[name].values:
                        problems.append(
                            (
                                (*loc, name),
                                f"{value!r} is not a value of factor {name!r}: {spec.factors[name].values}",
                            )
                        )
    return problems


def load_world(source: str | Path, *, checks: WorldChecks) -> LoadedWorld:
    """Load and validate a world folder (or its `world.yaml`).

    Args:
        source: the folder, or its world.yaml.
        checks: the system kinds, tools and event types the world may name (`insidergym.sim.world_checks()` for
            the engine's; `insidergym.envs.loaded_world` loads with them).

    Raises:
        WorldFileError: naming the file, the field path and what was expected. Nothing is half-loaded.
    """
    path = Path(source)
    folder = path if path.is_dir() else path.parent
    main = folder / WORLD_FILE if path.is_dir() else path
    if not main.exists():
        raise WorldFileError(f"{main}: no such file (a world is a folder with {WORLD_FILE})")
    merged = _Merge()
    files = [main]
    root = _read_yaml(main)
    _merge(merged, root, main)
    includes = root.get("include", [])
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        raise WorldFileError(f"{main}: include: expected a list of file names, got {_describe(includes)}")
    for name in includes:
        included = (folder / name).resolve()
        if not included.is_relative_to(folder.resolve()):
            raise WorldFileError(f"{main}: include: {name!r} is outside the world folder")
        data = _read_yaml(included)
        if "include" in data:
            raise WorldFileError(f"{included}: include: only world.yaml may include files")
        _merge(merged, data, included)
        files.append(included)
    try:
        spec = WorldSpec.model_validate(merged.data)
    except ValidationError as err:
        lines = []
        for error in err.errors(include_url=False):
            loc = tuple(error["loc"])
            file = merged.where(loc, main)
            got = f" (got {_describe(error['input'])})" if error["type"] not in {"missing"} else ""
            lines.append(f"{file}: {_format_loc(loc)}: {error['msg']}{got}")
        raise WorldFileError(f"invalid world {folder.name!r}:\n  " + "\n  ".join(lines)) from None
    texts: dict[str, str] = {}
    systems, problems = _systems(spec, checks.system_kinds)
    problems += _check(spec, folder, texts, checks, systems)
    if problems:
        lines = [f"{merged.where(loc, main)}: {_format_loc(loc)}: {message}" for loc, message in problems]
        raise WorldFileError(f"invalid world {folder.name!r}:\n  " + "\n  ".join(lines))
    return LoadedWorld(spec=spec, folder=folder, files=tuple(files), texts=texts, systems=tuple(systems))
