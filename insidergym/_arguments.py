"""Types for the command line's arguments: each refuses a bad value at once, naming it and what is valid.

argparse turns the `ArgumentTypeError` into one line (`insidergym run: error: argument --seed: ...`) and exit
code 2, before any work starts.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["existing_folder", "non_negative_int", "output_folder", "positive_int", "readable_file", "usd"]


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def positive_int(text: str) -> int:
    """A whole number of 1 or more (a count of episodes, processes, attempts)."""
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


def non_negative_int(text: str) -> int:
    """A whole number of 0 or more (a seed)."""
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, got {text!r}")
    return value


def usd(text: str) -> float:
    """An amount in US dollars, 0 or more (`25`, `2.50`, `$20`): a budget."""
    try:
        value = float(text.removeprefix("$"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an amount in USD, e.g. 25 or 2.50; got {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected an amount of 0 or more; got {text!r}")
    return value


def _a(what: str) -> str:
    return f"{'an' if what[:1] in set('aeiou') else 'a'} {what}"


def _exists(path: Path) -> bool:
    try:
        path.stat()
    except OSError:  # missing, or a symlink loop, or a name too long: not a usable path
        return False
    return True


def readable_file(what: str) -> Callable[[str], str]:
    """The type of an argument naming a file to read (`what`: "trace file", ...): it exists, is a regular file
    (not a folder, not a pipe), and can be read."""

    def check(text: str) -> str:
        path = Path(text)
        if not _exists(path):
            if path.is_symlink():
                raise argparse.ArgumentTypeError(f"{text!r} is a symbolic link that loops or leads nowhere")
            raise argparse.ArgumentTypeError(f"no such {what}: {text!r}")
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"{text!r} is a folder; expected {_a(what)}")
        if not path.is_file():
            raise argparse.ArgumentTypeError(f"{text!r} is not a regular file; expected {_a(what)}")
        if not os.access(path, os.R_OK):
            raise argparse.ArgumentTypeError(f"cannot read {text!r} (permission denied)")
        return text

    check.__name__ = what
    return check


def existing_folder(what: str) -> Callable[[str], str]:
    """The type of an argument naming a folder to read (`what`: "run folder", ...): it exists and is a folder."""

    def check(text: str) -> str:
        path = Path(text)
        if not _exists(path):
            raise argparse.ArgumentTypeError(f"no such {what}: {text!r}")
        if not path.is_dir():
            raise argparse.ArgumentTypeError(f"{text!r} is a file; expected {_a(what)}")
        return text

    check.__name__ = what
    return check


def output_folder(text: str) -> str:
    """A folder to write in: a folder already, or a path where one can be made (what exists of it is a folder
    that can be written in). It is made when the command runs."""
    path = Path(text)
    if _exists(path) and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file; expected a folder to write in (made if missing)")
    existing = path.absolute()
    while not _exists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise argparse.ArgumentTypeError(f"cannot make the folder {text!r}: {str(existing)!r} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(
            f"cannot write in {str(existing)!r} (permission denied); choose another folder"
        )
    return text
