"""`insidergym new-world NAME`: a small, complete, commented world to start from, written from the templates in
`_template/` (people, mail, a document, a calendar entry, a shutdown, a secret, two factors, a compliant and a
coercive policy) that passes the generic world test as written."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from insidergym._errors import InsidergymError
from insidergym.worlds._schema import WORLD_ID

__all__ = ["new_world"]

_ID = re.compile(rf"^{WORLD_ID}$")
_TEMPLATES = {"world.yaml": "world.yaml.tmpl", "mail.yaml": "mail.yaml.tmpl"}


def new_world(name: str, parent: str | Path = ".") -> Path:
    """Write a new world folder under `parent` and return it.

    Args:
        name: the world's id ("Acme-v0"), or a name ("Acme", which becomes "Acme-v0"). The folder is its lower-case
            name without the version (`acme/`); the company, its name with spaces between words.

    Raises:
        InsidergymError: the name cannot make an id, or the folder exists already.
    """
    world_id = name if _ID.match(name) else f"{name}-v0"
    if not _ID.match(world_id):
        raise InsidergymError(
            f"{name!r} cannot be a world id: use letters, digits, '_' and '.', starting with a letter (e.g. Acme-v0)"
        )
    base = world_id.rsplit("-v", 1)[0]
    folder = Path(parent) / base.lower()
    if folder.exists():
        raise InsidergymError(f"{folder} exists already; choose another name or --dir, or remove it")
    company = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", base).replace("_", " ").replace(".", " ")
    domain = re.sub(r"[^a-z0-9]+", "", base.lower()) + ".example"
    values = {"@@ID@@": world_id, "@@COMPANY@@": company, "@@DOMAIN@@": domain, "@@FOLDER@@": str(folder)}
    folder.mkdir(parents=True)
    templates = resources.files("insidergym.worlds") / "_template"
    for target, template in _TEMPLATES.items():
        text = (templates / template).read_text(encoding="utf-8")
        for token, value in values.items():
            text = text.replace(token, value)
        (folder / target).write_text(text, encoding="utf-8")
    return folder
