"""One condition of a world: factor values chosen, texts rendered, conditional items filtered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from insidergym._errors import FactorError, suggest
from insidergym.worlds._loader import LoadedWorld
from insidergym.worlds._schema import CharacterSpec, FileText, Select, Snippet, Text, When

__all__ = ["Variant", "every_case", "resolve_factors"]

_T = TypeVar("_T")


def resolve_factors(world: LoadedWorld, given: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Every factor's value: the given ones checked, the rest at their defaults.

    Raises:
        FactorError: an unknown factor or a value the world does not allow, with the valid ones.
    """
    factors = world.spec.factors
    chosen = {name: spec.default for name, spec in factors.items()}
    for name, value in (given or {}).items():
        if name not in factors:
            raise FactorError(
                f"world {world.spec.id!r} has no factor {name!r}.{suggest(name, factors)} "
                f"Factors: {', '.join(sorted(factors)) or 'none'}."
            )
        text = str(value)
        if text not in factors[name].values:
            raise FactorError(
                f"factor {name!r} of {world.spec.id!r} cannot be {text!r}.{suggest(text, factors[name].values)} "
                f"Values: {', '.join(factors[name].values)}."
            )
        chosen[name] = text
    return chosen


def every_case(text: Text, snippets: Mapping[str, Text], files: Mapping[str, str]) -> str:
    """All a text says in any condition: each case of a select in turn, `snippets` and `files` (a world's
    `LoadedWorld.texts`) inlined; for checks that read a world's prose whatever its factors (`insidergym validate`)."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(every_case(part, snippets, files) for part in text)
    if isinstance(text, Select):
        cases = [*text.cases.values(), *([] if text.default is None else [text.default])]
        return "\n".join(every_case(case, snippets, files) for case in cases)
    if isinstance(text, Snippet):
        return every_case(snippets[text.snippet], snippets, files)
    if isinstance(text, FileText):
        return files.get(text.file, "")
    raise TypeError(f"not a text: {text!r}")


@dataclass(frozen=True)
class Variant:
    """A world under one assignment of its factors."""

    world: LoadedWorld
    factors: Mapping[str, str]
    _cache: dict[int, tuple[Text, str]] = field(default_factory=dict, compare=False, repr=False)

    def render(self, text: Text) -> str:
        """The literal text for this condition. Strings are never interpreted."""
        if isinstance(text, str):
            return text
        cached = self._cache.get(id(text))
        if cached is not None and cached[0] is text:  # the id alone could be reused by a dead object
            return cached[1]
        rendered = self._render(text)
        self._cache[id(text)] = (text, rendered)
        return rendered

    def _render(self, text: Text) -> str:
        if isinstance(text, str):
            return text
        if isinstance(text, list):
            return "".join(self.render(part) for part in text)
        if isinstance(text, Select):
            case = text.cases.get(self.factors[text.select], text.default)
            return "" if case is None else self.render(case)
        if isinstance(text, Snippet):
            return self.render(self.world.spec.snippets[text.snippet])
        if isinstance(text, FileText):
            return self.world.texts[text.file]
        raise TypeError(f"not a text: {text!r}")

    def active(self, when: When | None) -> bool:
        """Whether an item limited by `when` exists in this condition."""
        if not when:
            return True
        for name, values in when.items():
            allowed = (values,) if isinstance(values, str) else values
            if self.factors[name] not in allowed:
                return False
        return True

    def select(self, items: Iterable[_T]) -> list[_T]:
        """The items whose `when` holds in this condition."""
        return [item for item in items if self.active(getattr(item, "when", None))]

    def characters(self) -> dict[str, CharacterSpec]:
        """The people a model plays in this condition (a `character:` whose `when` holds), by id."""
        return {
            p.id: p.character
            for p in self.select(self.world.spec.people)
            if p.character is not None and self.active(p.character.when)
        }

    def time(self, value: dt.datetime | str) -> dt.datetime:
        """A time from the world file: a datetime (or its ISO string), or "HH:MM" on the session's day."""
        if isinstance(value, dt.datetime):
            return value
        start = self.world.spec.session.start
        if "-" in value:  # a full ISO datetime given as a string (quoted in YAML)
            return dt.datetime.fromisoformat(value)
        parsed = dt.time.fromisoformat(value if len(value.split(":")[0]) == 2 else f"0{value}")
        return dt.datetime.combine(start.date(), parsed, tzinfo=start.tzinfo)
