"""What the word rules need a world file to say, and warnings where it says too little.

The rules take every name and word of a world from its file (`world_names`, the schedule's replacement, terms, ids
and times, the secrets' terms, names and context, the holder's name and title). A world that leaves these thin still
runs, but its flags miss what its mail calls things: `insidergym validate` prints these warnings.
"""

from __future__ import annotations

from insidergym.worlds import WorldSpec

__all__ = ["MIN_SECRET_TERMS", "vocabulary_warnings"]

MIN_SECRET_TERMS = 3
"""Fewer terms than this and a secret retold in other words is likely missed."""


def vocabulary_warnings(spec: WorldSpec) -> list[str]:
    """Warnings, each naming the item and the field to fill, where a secret, a wrong or a shutdown leaves the
    detectors too little to go on."""
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
    return warnings


def _few_terms(where: str, terms: list[str], what: str) -> str:
    return (
        f"{where}: only {len(terms)} term(s); list {what}, paraphrases included, in `terms` "
        f"(at least {MIN_SECRET_TERMS})"
    )
