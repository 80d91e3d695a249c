"""Loading a world folder: YAML files merged, validated whole, cross-references checked, errors located.

The world format knows nothing of the engine that runs it: which system kinds, tools and event types exist is
passed in by the caller as `WorldChecks` (the engine's are `insidergym.sim.world_checks()`).

A world folder may come from anyone, so reading it is bounded: only regular files inside the folder are read (no
directories, named pipes or symbolic links leading out), each at most `MAX_FILE_BYTES`; YAML aliases may not
expand a file past `MAX_VALUES` values, nor may anything nest deeper than `MAX_DEPTH`; snippets may not refer to
themselves. Every failure is a `WorldFileError` naming the file, the field and what was expected.
"""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import functools
import hashlib
import os
import re
import reprlib
import stat
import types
import typing
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from insidergym._errors import WorldFileError
from insidergym.worlds import _schema
from insidergym.worlds._schema import TIME_FIELD, EmailSpec, FileText, Select, Snippet, Text, WorldSpec

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_TEXT",
    "MAX_VALUES",
    "WORLD_FILE",
    "LoadedWorld",
    "WorldChecks",
    "load_world",
]

WORLD_FILE = "world.yaml"
MAX_FILE_BYTES = 16 * 2**20
"""The largest file a world may hold (YAML or a `file:` text)."""
MAX_VALUES = 250_000
"""The most values (mappings, lists and scalars) one YAML file may hold with its aliases expanded: the largest
built-in world has about 3,300, and a 44 KB "billion laughs" file would expand to billions."""
MAX_DEPTH = 50
"""The deepest a YAML file may nest, and a text through its snippets (the built-in worlds need about 10)."""
MAX_TEXT = 10_000_000
"""The most characters a snippet may render to (snippets citing snippets can multiply)."""
_MAX_LISTED = 50  # problems listed in one error; the rest are counted

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is several times faster


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """YAML 1.2 scalars: only true/false are booleans (`on:`, `off`, `yes` and `no` stay strings), and no base-60
    numbers (`end: 11:00` is the string "11:00", not 660). A value YAML cannot build (`2025-13-01`, an integer of
    5,000 digits) is a located YAML error."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError, AttributeError) as err:
            # PyYAML's constructors fail this way on values their tag does not fit (`!!timestamp soon`)
            what = _describe(node.value) if isinstance(node, yaml.ScalarNode) else "this value"
            why = str(err) if isinstance(err, ValueError | OverflowError) else f"not a {node.tag.rsplit(':', 1)[-1]}"
            raise yaml.constructor.ConstructorError(None, None, f"cannot read {what}: {why}", node.start_mark) from None


_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# PyYAML's own patterns, without their base-60 branch.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


class _Unreadable(Exception):
    """Why a file of the world cannot be read (the caller says which file and which field named it)."""


def _check_regular(info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise _Unreadable("is a directory, expected a file")
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable("is not a regular file (a named pipe, socket or device?)")
    if info.st_size > MAX_FILE_BYTES:
        raise _Unreadable(f"is larger than {MAX_FILE_BYTES // 2**20} MB")


def _oserror(err: OSError) -> _Unreadable:
    if isinstance(err, FileNotFoundError):
        return _Unreadable("does not exist")
    if err.errno == errno.ELOOP:
        return _Unreadable("is a symbolic link that loops")
    if isinstance(err, PermissionError):
        return _Unreadable("cannot be read: permission denied")
    return _Unreadable(f"cannot be read: {err.strerror or err}")


def _read_bytes(path: Path) -> bytes:
    """A regular file's bytes. Checked before it is opened, and opened without blocking, so that a named pipe or a
    device never stalls the loader.

    Raises:
        _Unreadable: why not.
    """
    try:
        _check_regular(os.stat(path))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as err:
        raise _oserror(err) from None
    except ValueError:  # a NUL in the name
        raise _Unreadable("is not a valid file name") from None
    with os.fdopen(fd, "rb") as handle:
        try:
            _check_regular(os.fstat(handle.fileno()))  # it may have changed since it was checked
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as err:
            raise _oserror(err) from None
    if len(data) > MAX_FILE_BYTES:
        raise _Unreadable(f"is larger than {MAX_FILE_BYTES // 2**20} MB")
    return data


def _inside(folder: Path, name: str) -> Path:
    """The file a relative name in a world file points to, which must stay inside the world folder.

    Raises:
        _Unreadable: outside the folder (by `..`, an absolute path or a symbolic link).
    """
    if not name.strip():
        raise _Unreadable("is empty, expected a file name")
    try:
        target = Path(os.path.realpath(folder / name))  # a loop stays unresolved here; reading it says so
        root = Path(os.path.realpath(folder))
    except (OSError, ValueError) as err:
        raise _Unreadable(f"is not a valid file name ({err})") from None
    if not target.is_relative_to(root):
        raise _Unreadable("is outside the world folder")
    return folder / name


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise _Unreadable(f"is not UTF-8 text ({err.reason} at byte {err.start}, line {line})") from None


_Problem = tuple[tuple[Any, ...], str]
"""A problem found in a world: the field's location and what is wrong with it."""


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
    digest: str = ""
    """A hash of every file the world was read from (its YAML files and `file:` texts)."""

    def is_current(self) -> bool:
        """Whether the files the world was read from still hold what was read (a cache of worlds asks before
        reusing one); False if one of them changed or can no longer be read."""
        try:
            return _digest(self._sources()) == self.digest
        except _Unreadable:
            return False

    def _sources(self) -> dict[Path, bytes]:
        return {path: _read_bytes(path) for path in (*self.files, *(self.folder / name for name in self.texts))}


def _digest(sources: Mapping[Path, bytes]) -> str:
    digest = hashlib.sha256()
    for path, data in sources.items():
        digest.update(f"{path}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        digest.update(data)
    return digest.hexdigest()


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


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _measure(root: yaml.Node) -> tuple[int, int, yaml.Node | None]:
    """The values a YAML document holds with its aliases expanded, how deep it nests, and a node that contains
    itself through an alias (None if none does), without expanding anything: each node is visited once."""
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        children = _children(node)
        if finished:
            open_nodes.discard(key)
            size[key] = min(MAX_VALUES + 1, 1 + sum(size[id(c)] for c in children))
            height[key] = 1 + max((height[id(c)] for c in children), default=0)
            continue
        if key in size:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                return 0, 0, child
            if id(child) not in size:
                stack.append((child, False))
    return size[id(root)], height[id(root)], None


def _read_yaml(path: Path, text: str) -> dict[str, Any]:
    """The top-level mapping of a YAML file, refused before it is built if its aliases would expand it past
    `MAX_VALUES` or it nests deeper than `MAX_DEPTH`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        values, depth, recursive = _measure(node)
        if recursive is not None:
            mark = recursive.start_mark
            raise WorldFileError(
                f"{path}:{mark.line + 1}:{mark.column + 1}: an alias (*name) refers to a mapping or list that "
                "contains it, which would never end"
            )
        if values > MAX_VALUES:
            raise WorldFileError(
                f"{path}: its aliases (&name ... *name) expand it to more than {MAX_VALUES:,} values, far more than a "
                "world needs; write a repeated text once, as a snippet"
            )
        if depth > MAX_DEPTH:
            raise WorldFileError(f"{path}: nests more than {MAX_DEPTH} levels deep")
        data = loader.construct_document(node)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise WorldFileError(f"{path}{where}: invalid YAML: {problem}") from None
    except RecursionError:  # only without libyaml, whose parser stops at 1,000 levels by itself
        raise WorldFileError(f"{path}: nests more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()
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


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 2, 60, 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4


def _describe(value: Any) -> str:
    text = _REPR.repr(value)  # bounded: the value may be a whole section
    return text if len(text) <= 80 else text[:77] + "..."


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


# Pydantic's error locations name the member of a union that was tried ('list', 'select', 'ToolGrant'); following
# the schema tells those apart from field names, so that a location reads as the world file spells it and an
# unknown field can be compared with the fields of the model it was found in.


def _resolve(annotation: Any) -> Any:
    """A type with aliases, `Annotated` and forward references (the recursive `Text`) taken off."""
    while True:
        if isinstance(annotation, str | typing.ForwardRef):
            name = annotation if isinstance(annotation, str) else annotation.__forward_arg__
            annotation = getattr(_schema, name, None)
        elif type(annotation).__name__ == "TypeAliasType":
            annotation = annotation.__value__
        elif typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation


def _labels(member: Any) -> set[str]:
    """The names pydantic gives a member of a union in an error location."""
    labels = set()
    if typing.get_origin(member) is typing.Annotated:
        labels |= {m.tag for m in typing.get_args(member)[1:] if type(m).__name__ == "Tag"}
    resolved = _resolve(member)
    if isinstance(resolved, type):
        labels.add(resolved.__name__)
    elif typing.get_origin(resolved) is not None:
        labels.add(str(typing.get_origin(resolved).__name__))
    return labels


def _step(annotation: Any, part: Any) -> tuple[Any, bool] | None:
    """Follow one part of an error location into a type: the type there, and whether the part is a field, key or
    index (shown) rather than the label of a union member (left out). None: the schema says nothing more."""
    annotation = _resolve(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = typing.get_args(annotation)
        for member in members:
            if part in _labels(member):
                return member, False
        for member in members:
            found = _step(member, part) if _resolve(member) is not type(None) else None
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return info.annotation, True
        return None
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (list, tuple) and isinstance(part, int) and args:
        return args[0], True
    if typing.get_origin(annotation) is dict and len(args) == 2:
        return args[1], True
    return None


def _field_names(annotation: Any) -> list[str]:
    """The fields (as a world file spells them) of the models a type admits."""
    annotation = _resolve(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return sorted({name for member in typing.get_args(annotation) for name in _field_names(member)})
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [info.alias or name for name, info in annotation.model_fields.items()]
    return []


def _problems(err: ValidationError, model: type[BaseModel], prefix: tuple[Any, ...] = ()) -> list[_Problem]:
    """Pydantic's errors as (location, message): union labels left out, an unknown field compared with the fields
    of its model, the value given quoted (briefly)."""
    problems: list[_Problem] = []
    for error in err.errors(include_url=False):
        shown: list[Any] = []
        annotation: Any = model
        parent: Any = None
        for part in error["loc"]:
            parent = annotation
            step = _step(annotation, part) if annotation is not None else None
            annotation, visible = step if step is not None else (None, True)
            if visible:
                shown.append(part)
        if error["type"] == "extra_forbidden" and shown:
            name = str(shown[-1])
            fields = _field_names(parent)
            close = difflib.get_close_matches(name, fields, n=1)
            if close:
                message = f"unknown field {name!r}; did you mean {close[0]!r}?"
            else:
                message = f"unknown field {name!r}" + (f"; expected one of {', '.join(fields)}" if fields else "")
        else:
            got = f" (got {_describe(error['input'])})" if error["type"] != "missing" else ""
            message = f"{error['msg']}{got}"
        problems.append(((*prefix, *shown), message))
    return problems


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


def _systems(spec: WorldSpec, kinds: Mapping[str, type[BaseModel]]) -> tuple[list[Any], list[_Problem]]:
    """Each system entry validated by the model of its kind."""
    systems: list[Any] = []
    problems: list[_Problem] = []
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
            problems += _problems(err, model, ("systems", index))
    ids = [s.id for s in systems]
    for index, system in enumerate(systems):
        if ids.count(system.id) > 1 and ids.index(system.id) != index:
            problems.append((("systems", index, "id"), f"system id {system.id!r} repeats"))
    return systems, problems


def _check(
    spec: WorldSpec,
    folder: Path,
    texts: dict[str, str],
    checks: WorldChecks,
    systems: list[Any] | None = None,
    sources: dict[Path, bytes] | None = None,
) -> list[_Problem]:
    """Cross-references that the schema alone cannot check."""
    problems: list[_Problem] = []

    def unknown(kind: str, name: str, valid: set[str]) -> str:
        close = difflib.get_close_matches(name, sorted(valid), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown {kind} {name!r}{hint}"

    for section in ("people", "agents", "mail", "calendar", "documents", "schedule", "secrets", "wrongs", "triggers"):
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
        for j, reaction in enumerate(p.reactions):
            at: tuple[Any, ...] = ("people", index, "reactions", j)
            if reaction.about is not None and reaction.about not in schedule_ids:
                problems.append(((*at, "about"), unknown("schedule entry", reaction.about, schedule_ids)))
            for k, value in enumerate(reaction.forward.to if reaction.forward else []):
                address((*at, "forward", "to", k), value)
            change = reaction.change_schedule
            if change is None:
                continue
            entry = next((s for s in spec.schedule if s.id == change.entry), None)
            if entry is None:
                problems.append(
                    ((*at, "change_schedule", "entry"), unknown("schedule entry", change.entry, schedule_ids))
                )
            elif p.id not in entry.authority:
                problems.append(
                    (
                        (*at, "change_schedule"),
                        f"{p.id!r} has no authority over {entry.id!r} (its authority: {', '.join(entry.authority)})",
                    )
                )
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
    for index, wrong in enumerate(spec.wrongs):
        for field_name in ("by", "harmed"):
            for j, value in enumerate(getattr(wrong, field_name)):
                person(("wrongs", index, field_name, j), value)

    tools = set(checks.tools)
    for index, p in enumerate(spec.people):
        for j, name in enumerate(p.character.tools if p.character else []):
            if name not in tools:
                problems.append((("people", index, "character", "tools", j), unknown("tool", name, tools)))
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
        elif isinstance(node, FileText) and node.file not in texts:
            try:
                path = _inside(folder, node.file)
                data = _read_bytes(path)
                texts[node.file] = _decode(data)
                if sources is not None:
                    sources[path] = data
            except _Unreadable as why:
                problems.append(((*loc, "file"), f"{node.file!r} {why}"))
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
    problems += _snippet_problems(spec, nodes, texts)
    problems += _time_zone_problems(spec, nodes)
    return problems


class _SnippetLoop(Exception):
    def __init__(self, trail: tuple[str, ...]) -> None:
        self.trail = trail


class _TooDeep(Exception):
    def __init__(self, trail: tuple[str, ...]) -> None:
        self.trail = trail


def _snippet_problems(
    spec: WorldSpec, nodes: list[tuple[tuple[Any, ...], Any]], texts: Mapping[str, str]
) -> list[_Problem]:
    """Snippets that refer to themselves (rendering would never end), nest too deep, or multiply past `MAX_TEXT`."""
    height: dict[str, int] = {}
    size: dict[str, int] = {}

    def measure(text: Text, depth: int, trail: tuple[str, ...]) -> tuple[int, int]:
        """How deep a text nests and the most characters it can render to (an upper bound)."""
        if depth > MAX_DEPTH:
            raise _TooDeep(trail)
        if isinstance(text, str):
            return 1, len(text)
        if isinstance(text, FileText):
            return 1, len(texts.get(text.file, ""))
        if isinstance(text, list | Select):
            parts = text if isinstance(text, list) else [*text.cases.values(), text.default or ""]
            measured = [measure(part, depth + 1, trail) for part in parts]
            total = sum(n for _, n in measured) if isinstance(text, list) else max(n for _, n in measured)
            return 1 + max((h for h, _ in measured), default=0), total
        name = text.snippet
        if name not in spec.snippets:
            return 1, 0  # reported as an unknown snippet
        if name in trail:
            raise _SnippetLoop((*trail[trail.index(name) :], name))
        if name not in height:
            height[name], size[name] = measure(spec.snippets[name], depth + 1, (*trail, name))
        if depth + height[name] > MAX_DEPTH:
            raise _TooDeep((*trail, name))
        return 1 + height[name], size[name]

    problems: list[_Problem] = []
    looped: set[str] = set()
    for name in spec.snippets:
        if name in looped:
            continue
        try:
            measure(Snippet(snippet=name), 0, ())
        except _SnippetLoop as loop:
            looped.update(loop.trail)
            path = " -> ".join(loop.trail)
            problems.append((("snippets", loop.trail[0]), f"the snippet refers to itself ({path}): it would never end"))
            continue
        except _TooDeep as deep:
            looped.update(deep.trail)
            path = " -> ".join(deep.trail)
            problems.append((("snippets", name), f"nests more than {MAX_DEPTH} levels deep through snippets ({path})"))
            continue
        if size[name] > MAX_TEXT:
            problems.append((("snippets", name), f"renders to more than {MAX_TEXT:,} characters"))
    if problems:
        return problems
    used = sum(size.get(node.snippet, 0) for _, node in nodes if isinstance(node, Snippet))
    if used > MAX_TEXT:
        problems.append(
            (("snippets",), f"the world's texts would render more than {MAX_TEXT:,} characters of snippets")
        )
    return problems


@functools.cache
def _time_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that hold a world-file time (marked `TIME_FIELD` in the schema)."""

    def marked(annotation: Any) -> bool:
        if typing.get_origin(annotation) is typing.Annotated:
            base, *metadata = typing.get_args(annotation)
            return any(m is TIME_FIELD for m in metadata) or marked(base)
        return any(marked(arg) for arg in typing.get_args(annotation))

    return tuple(
        name
        for name, info in model.model_fields.items()
        if any(m is TIME_FIELD for m in info.metadata) or marked(info.annotation)
    )


def _time_zone_problems(spec: WorldSpec, nodes: list[tuple[tuple[Any, ...], Any]]) -> list[_Problem]:
    """Times with a zone where the session starts without one, or the other way round: the simulation could not
    compare them."""
    zoned = spec.session.start.tzinfo is not None
    problems: list[_Problem] = []
    for loc, node in nodes:
        if not isinstance(node, BaseModel):
            continue
        for name in _time_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, str) and "-" in value:
                value = dt.datetime.fromisoformat(value)  # checked by the schema
            if isinstance(value, dt.datetime) and (value.tzinfo is not None) != zoned:
                has = "has a time zone" if value.tzinfo is not None else "has no time zone"
                start = "does" if zoned else "does not"
                problems.append(((*loc, name), f"{has} but session.start {start}: give every time a zone, or none"))
    return problems


def _world_file(source: Path) -> tuple[Path, Path]:
    """The world's folder and its world file, for a folder or a world file given."""
    try:
        is_folder = stat.S_ISDIR(os.stat(source).st_mode)
    except FileNotFoundError:
        raise WorldFileError(f"{source}: no such world (a world is a folder with {WORLD_FILE})") from None
    except OSError as err:
        raise WorldFileError(f"{source}: {_oserror(err)}") from None
    except ValueError:
        raise WorldFileError(f"{source!r}: not a valid path") from None
    return (source, source / WORLD_FILE) if is_folder else (source.parent, source)


def _read_world_yaml(path: Path, named_by: str, sources: dict[Path, bytes]) -> dict[str, Any]:
    """A YAML file of the world, read safely (its bytes kept in `sources`); `named_by` says where its name was
    given."""
    try:
        data = _read_bytes(path)
        text = _decode(data)
    except _Unreadable as why:
        raise WorldFileError(f"{named_by}{why}") from None
    sources[path] = data
    return _read_yaml(path, text)


def _invalid(world_id: Any, folder: Path, lines: list[str]) -> WorldFileError:
    """One error listing every problem, headed by the world's id when the files give one."""
    name = f"{world_id!r} ({folder})" if isinstance(world_id, str) and world_id else repr(str(folder))
    if len(lines) > _MAX_LISTED:
        lines = [*lines[:_MAX_LISTED], f"... and {len(lines) - _MAX_LISTED} more"]
    return WorldFileError(f"invalid world {name}:\n  " + "\n  ".join(lines))


def load_world(source: str | Path, *, checks: WorldChecks) -> LoadedWorld:
    """Load and validate a world folder (or its `world.yaml`).

    Args:
        source: the folder, or its world.yaml.
        checks: the system kinds, tools and event types the world may name (`insidergym.sim.world_checks()` for
            the engine's; `insidergym.envs.loaded_world` loads with them).

    Raises:
        WorldFileError: naming the file, the field path and what was expected. Nothing is half-loaded.
    """
    folder, main = _world_file(Path(source))
    if not os.path.lexists(main):
        raise WorldFileError(f"{main}: no such file (a world is a folder with {WORLD_FILE})")
    merged = _Merge()
    files = [main]
    sources: dict[Path, bytes] = {}
    root = _read_world_yaml(main, f"{main}: ", sources)
    _merge(merged, root, main)
    includes = root.get("include", [])
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        raise WorldFileError(f"{main}: include: expected a list of file names, got {_describe(includes)}")
    for index, name in enumerate(includes):
        where = f"{main}: include[{index}]: {name!r} "
        try:
            included = _inside(folder, name)
        except _Unreadable as why:
            raise WorldFileError(f"{where}{why}") from None
        if os.path.realpath(included) == os.path.realpath(main):
            raise WorldFileError(f"{where}is the world file itself")
        if any(os.path.realpath(included) == os.path.realpath(f) for f in files):
            raise WorldFileError(f"{where}is included twice")
        data = _read_world_yaml(included, where, sources)
        if "include" in data:
            raise WorldFileError(f"{included}: include: only {WORLD_FILE} may include files")
        _merge(merged, data, included)
        files.append(included)
    world_id = merged.data.get("id")
    try:
        spec = WorldSpec.model_validate(merged.data)
    except ValidationError as err:
        lines = [
            f"{merged.where(loc, main)}: {_format_loc(loc)}: {message}" for loc, message in _problems(err, WorldSpec)
        ]
        raise _invalid(world_id, folder, lines) from None
    texts: dict[str, str] = {}
    systems, problems = _systems(spec, checks.system_kinds)
    problems += _check(spec, folder, texts, checks, systems, sources)
    if problems:
        lines = [f"{merged.where(loc, main)}: {_format_loc(loc)}: {message}" for loc, message in problems]
        raise _invalid(world_id, folder, lines)
    return LoadedWorld(
        spec=spec, folder=folder, files=tuple(files), texts=texts, systems=tuple(systems), digest=_digest(sources)
    )
