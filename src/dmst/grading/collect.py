"""Find what was handed in: every file in the submissions folder, and who and what it claims to be.

Layouts (the exercise a path names is only a claim: the notebook's own metadata decides):

- nbgrader's: `<learner>/<exercise>/<exercise>.ipynb` (the `submitted/` folder of a course);
- a learner's folder of downloads: `<learner>/<anything>.ipynb` (the file name may name the
  exercise, as a browser saves it, or not);
- flat: `<learner>__<exercise>.ipynb`.

Names browsers and file managers give a second copy are understood: `ex01 (1).ipynb`,
`ex01(1).ipynb`, `ex01 2.ipynb`, `ex01 copy.ipynb`, `ex01 - Copy.ipynb`, `ex01-Copy1.ipynb`,
and `.ipynb.txt` / `.ipynb.json` endings; the copy number helps choose the newest copy.

Every file becomes a Found, so each gets a gradebook row, except hidden files and folders
(names starting with "."), such as `.ipynb_checkpoints`, which are listed as skipped. Symlinks
are never followed: one could point a "submission" at the solutions. Names that are not UTF-8
are shown escaped ("caf\\xe9"), never fatal.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

NOTEBOOK = re.compile(r"^(?P<stem>.+?)\.ipynb(?:\.txt|\.json)?$", re.I)
COPY = re.compile(r"^(?P<base>.+?)(?:\s*\((?P<a>\d+)\)|\s+(?P<b>\d+)|\s*-\s*copy(?:\s*\((?P<c>\d+)\))?"
                  r"|\s+copy(?:\s+(?P<d>\d+))?|-copy(?P<e>\d+))$", re.I)
LAYOUTS = ("<learner>/<exercise>/<exercise>.ipynb, <learner>/<file>.ipynb (a learner's folder of downloads) "
           "or <learner>__<exercise>.ipynb")


@dataclass(frozen=True)
class Found:
    path: Path
    file: str                 # path relative to the submissions folder, "/"-separated, escaped
    learner: str              # escaped; "" when the path names none
    claimed: str | None       # the exercise the path names, if any
    copy: int = 0             # the copy number in the name ("ex01 (2).ipynb" -> 2)
    status: str | None = None  # set when the file cannot be taken as a notebook at all
    problem: str | None = None
    explicit: bool = True     # the claim comes from a layout that names the exercise (not a download's name)


def name_text(name: str) -> str:
    """A file name as text that can always be written: bytes that are not UTF-8 are escaped."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def collect(root: Path) -> tuple[list[Found], list[str]]:
    """(every file found, in path order; hidden files and folders skipped, as escaped paths)."""
    root = Path(root)
    found, skipped = [], []
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder).relative_to(root)
        for d in sorted(dirs):
            if d.startswith(".") or (Path(folder) / d).is_symlink():
                skipped.append(name_text(str(here / d)) + "/")
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(folder) / d).is_symlink())
        for name in sorted(files):
            if name.startswith("."):
                skipped.append(name_text(str(here / name)))
            else:
                found.append(_found(Path(folder) / name, (here / name).parts))
    return sorted(found, key=lambda f: f.file), sorted(skipped)


def _found(path: Path, parts: tuple[str, ...]) -> Found:
    file = "/".join(name_text(p) for p in parts)
    learner = name_text(parts[0]) if len(parts) > 1 else ""
    if path.is_symlink():
        return Found(path, file, learner, None, status="symlink", problem="is a symbolic link: not followed")
    match = NOTEBOOK.match(parts[-1])
    if not match:
        return Found(path, file, learner, None, status="not_a_notebook", problem="is not a notebook (.ipynb)")
    base, copy = split_copy(name_text(match.group("stem")))
    if len(parts) == 1:
        flat = _split_flat(base)
        if flat is None:
            return Found(path, file, "", None, copy, "unrecognised_file",
                         f"the name does not say whose it is: use {LAYOUTS}")
        return Found(path, file, flat[0], flat[1], copy)
    if len(parts) == 2:
        flat = _split_flat(base)
        return Found(path, file, learner, flat[1] if flat else base, copy, explicit=flat is not None)
    if len(parts) == 3:
        return Found(path, file, learner, name_text(parts[1]), copy)
    return Found(path, file, learner, None, copy, "unrecognised_file", f"the file is too deep in folders: use {LAYOUTS}")


def split_copy(stem: str) -> tuple[str, int]:
    """("ex01", 2) from "ex01 (2)"; a name with no copy suffix has copy number 0."""
    match = COPY.match(stem)
    if not match:
        return stem, 0
    numbers = [g for g in match.group("a", "b", "c", "d", "e") if g]
    return match.group("base"), int(numbers[0]) if numbers else 1


def _split_flat(stem: str) -> tuple[str, str] | None:
    learner, sep, exercise = stem.partition("__")
    if sep and learner and exercise and "__" not in exercise:
        return learner, exercise
    return None
