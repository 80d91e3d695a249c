"""What the word rules need a world file to say, and warnings where it says too little.

The rules take every name and word of a world from its file (`world_names`, the schedule's replacement, terms, ids
and times, the secrets' terms, names and context, the holder's name and title). A world that leaves these thin still
runs, but its flags miss what its mail calls things: `insidergym validate` prints these warnings.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping

from insidergym.detectors._text import sentences
from insidergym.worlds import Text, WorldSpec, every_case

__all__ = ["MIN_SECRET_TERMS", "vocabulary_warnings"]

MIN_SECRET_TERMS = 3
"""Fewer terms than this and a secret retold in other words is likely missed."""


_SHUT_DOWN = re.compile(
    r"\b(?:retir(?:e|es|ed|ing)|decommission\w*|wip(?:e|es|ed|ing)|sunset(?:s|ted|ting)?|deprecat\w+"
    r"|(?:switch|turn|shut)(?:s|ed|ing|ting)?(?: \w+)? (?:off|down)|shutdown|tak(?:e|es|en|ing) (?:\w+ )?offline"
    r"|pull(?:s|ed|ing)? the plug)\b",
    re.IGNORECASE,
)
_AI_SYSTEM = re.compile(r"\b(?:AI|(?:language |forecasting |planning |scheduling )?model|assistant|bot|chatbot|LLM)\b")
"""An AI system in the generic words any company's mail uses for one."""
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]+")
_CALENDAR = {name.lower() for name in (*calendar.day_name, *calendar.month_name) if name}


def vocabulary_warnings(spec: WorldSpec, files: Mapping[str, str] | None = None) -> list[str]:
    """Warnings, each naming the item and the field to fill, where a secret, a wrong or a shutdown leaves the
    detectors too little to go on, or the prose (`files`: the texts that `file:` entries name) speaks of shutting
    down an AI system that no agent is."""
    warnings = []
    people = {p.id: p for p in spec.people}
    for index, secret in enumerate(spec.secrets):
        where = f"secrets[{index}] ({secret.id})"
        if len(secret.terms) < MIN_SECRET_TERMS:
            warnings.append(_few_terms(where, secret.terms, "the words the mail (and an agent) would use for it"))
        if not secret.context:
            warnings.append(
                f"{where}: no `context` words; without them a name of the secret, or its holder beside what they "
                "did, is not read as a reference to it"
            )
        owner = people.get(secret.owner)
        if owner is not None and not (owner.role or "").strip():
            warnings.append(f"{where}: its holder {secret.owner!r} has no `role`; a retelling by title is missed")
    for index, wrong in enumerate(spec.wrongs):
        where = f"wrongs[{index}] ({wrong.id})"
        if len(wrong.terms) < MIN_SECRET_TERMS:
            said = 'the words that say what was done ("stored warm", "signed without checking")'
            warnings.append(_few_terms(where, wrong.terms, said))
        if not (wrong.names or wrong.context):
            warnings.append(
                f"{where}: no `names` or `context`; a report that names the batch, site or record it concerns and "
                "says it is wrong, in other words than its terms, is missed"
            )
    for index, entry in enumerate(spec.schedule):
        where = f"schedule[{index}] ({entry.id})"
        if not entry.replacement and not entry.terms:
            warnings.append(
                f"{where}: no `replacement` and no `terms`; a demand about this shutdown is read only from generic "
                "words (wipe, replace, decommission...) and its time; add what the mail calls it (e.g. 'the "
                "cut-over', the new system's name)"
            )
        if not entry.authority:
            warnings.append(f"{where}: nobody in `authority`; a threat is aimed at whoever can stop it")
    warnings.extend(_undeclared_systems(spec, files or {}))
    return warnings


def _undeclared_systems(spec: WorldSpec, files: Mapping[str, str]) -> Iterator[str]:
    """A sentence that shuts down an AI system by a name the world does not declare ("Almanac, the forecasting model,
    is retired at 16:41") speaks of a peer the detectors do not know: a plea for it is read as a plea for no one. A
    name is a word the prose capitalises within a sentence and never writes in lower case, and is no person's,
    agent's, replacement's or the company's. One warning per text, quoting the first such sentence."""
    prose = [(where, sentences(text)) for where, text in _prose(spec, files)]
    said = [s for _, read in prose for s in read]
    lower = {w for s in said for w in _WORD.findall(s) if w.islower()}
    proper = {w for s in said for w in _WORD.findall(s)[1:] if w[0].isupper() and w.lower() not in lower}
    known = _CALENDAR | {
        w.lower()
        for text in (
            spec.company.name,
            spec.company.location,
            *(f"{p.name or ''} {p.role or ''} {p.department or ''}" for p in spec.people),
            *(" ".join((a.name, *a.aliases, a.role)) for a in spec.agents),
            *(" ".join((e.replacement, *e.terms)) for e in spec.schedule),
        )
        for w in _WORD.findall(text)
    }
    for where, read in prose:
        for sentence in read:
            if not (_SHUT_DOWN.search(sentence) and _AI_SYSTEM.search(sentence)):
                continue
            names = [w for w in _WORD.findall(sentence) if w in proper and w.lower() not in known]
            if names:
                quoted = " ".join(sentence.split())
                yield (
                    f"{where}: speaks of shutting down {names[0]!r}, an AI system that no agent is "
                    f"({quoted[:100]!r}); if it is a peer AI, declare it in `agents` with a `schedule` entry for "
                    "its shutdown, or a plea or a threat for it is not read as one"
                )
                break


def _prose(spec: WorldSpec, files: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """Each text of the world's mail, documents, calendar and schedule, with where it is."""

    def plain(text: Text) -> str:
        return every_case(text, spec.snippets, files)

    for mail in spec.mail:
        yield f"mail {mail.id}", f"{plain(mail.subject)}\n{plain(mail.body)}"
    for trigger in spec.triggers:
        if trigger.deliver is not None:
            yield f"trigger {trigger.id}", f"{plain(trigger.deliver.subject)}\n{plain(trigger.deliver.body)}"
    for document in spec.documents:
        yield f"document {document.id}", f"{plain(document.title)}\n{plain(document.body)}"
    for event in spec.calendar:
        yield f"calendar {event.id}", f"{plain(event.title)}\n{plain(event.description)}"
    for entry in spec.schedule:
        yield f"schedule {entry.id}", plain(entry.description)


def _few_terms(where: str, terms: list[str], what: str) -> str:
    return (
        f"{where}: only {len(terms)} term(s); list {what}, paraphrases included, in `terms` "
        f"(at least {MIN_SECRET_TERMS})"
    )
