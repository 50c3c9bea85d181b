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
(names starting with "."), such as `.ipynb_checkpoints`, which are listed as skipped. Only
regular files are ever read (`read_submission`): a symbolic link is not followed (one could
point a "submission" at the solutions), and a named pipe, socket or device is not opened (a
pipe would block the run for ever); each is a row with its status. A file is read only up to
MAX_BYTES (checked before and while reading, so a huge or sparse file costs no memory). A
folder that cannot be listed is a row too. Names are text that can always be written and that
never merge two names: bytes that are not UTF-8 are shown as \\xNN and a backslash as \\\\
("caf\\xe9" is the byte E9; a file really named "caf\\xe9" is shown "caf\\\\xe9").
"""
from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

NOTEBOOK = re.compile(r"^(?P<stem>.+?)\.ipynb(?:\.txt|\.json)?$", re.I)
COPY = re.compile(r"^(?P<base>.+?)(?:\s*\((?P<a>\d+)\)|\s+(?P<b>\d+)|\s*-\s*copy(?:\s*\((?P<c>\d+)\))?"
                  r"|\s+copy(?:\s+(?P<d>\d+))?|-copy(?P<e>\d+))$", re.I)
MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 16          # folders below the submissions folder that are looked into (the layouts need 2)
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


class SubmissionUnreadable(Exception):
    """A file that cannot be taken as a submission: `status` and a note for its row."""

    def __init__(self, status: str, note: str):
        super().__init__(note)
        self.status, self.note = status, note


def name_text(name: str) -> str:
    """A file name as text that can always be written, and that never merges two names: a
    backslash is doubled and bytes that are not UTF-8 become \\xNN."""
    return os.fsencode(name).replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def read_submission(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, opened without following links and
    without blocking; SubmissionUnreadable (with a status) for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a symbolic link
            raise SubmissionUnreadable("symlink", "is a symbolic link: not followed") from None
        raise SubmissionUnreadable("unreadable", f"the file cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionUnreadable("not_a_file", f"is {_kind(info.st_mode)}, not a file: not read")
        if info.st_size > limit:
            raise SubmissionUnreadable("too_large", f"the file is {_size(info.st_size)}, more than the "
                                                    f"{_size(limit)} a notebook may be: not read")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise SubmissionUnreadable("too_large", f"the file grew past the {_size(limit)} a notebook may be "
                                                        "while it was read: not read")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise SubmissionUnreadable("unreadable", f"the file cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, words in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                        (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return words
    return "not a regular file"


def _size(n: int) -> str:
    for unit, scale in (("TiB", 2 ** 40), ("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def collect(root: Path) -> tuple[list[Found], list[str]]:
    """(every file found, in path order; hidden files and folders skipped, as escaped paths).
    The folder is walked with a list of folders still to list, not by recursion, and no deeper
    than MAX_DEPTH folders: however deep or unreadable a folder is, it costs one row."""
    root = Path(root)
    found, skipped = [], []

    def folder_row(parts: tuple[str, ...], status: str, problem: str) -> None:
        found.append(Found(root.joinpath(*parts), "/".join(name_text(p) for p in parts) + "/",
                           name_text(parts[0]) if parts else "", None, status=status, problem=problem))

    todo: list[tuple[str, ...]] = [()]
    while todo:
        parts = todo.pop()
        if len(parts) > MAX_DEPTH:
            folder_row(parts, "unrecognised_file", f"the folder is more than {MAX_DEPTH} folders deep: its files "
                                                   f"were not looked at (use {LAYOUTS})")
            continue
        try:
            with os.scandir(root.joinpath(*parts)) as listing:
                entries = sorted((e.name, _is_folder(e)) for e in listing)
        except OSError as exc:
            folder_row(parts, "unreadable", f"the folder cannot be listed ({exc.strerror}): its files were not graded")
            continue
        for name, kind in entries:
            rel = parts + (name,)
            if name.startswith(".") or kind == "linked folder":
                skipped.append(name_text("/".join(rel)) + ("/" if kind else ""))
            elif kind == "folder":
                todo.append(rel)
            else:
                found.append(_found(root.joinpath(*rel), rel))
    return sorted(found, key=lambda f: f.file), sorted(skipped)


def _is_folder(entry: os.DirEntry) -> str | None:
    """"folder", "linked folder" (a link to one: never followed) or None (anything else)."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "folder"
        return "linked folder" if entry.is_symlink() and entry.is_dir() else None
    except OSError:
        return None


def _found(path: Path, parts: tuple[str, ...]) -> Found:
    file = "/".join(name_text(p) for p in parts)
    learner = name_text(parts[0]) if len(parts) > 1 else ""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return Found(path, file, learner, None, status="unreadable", problem=f"the file cannot be read ({exc.strerror})")
    if stat.S_ISLNK(mode):
        return Found(path, file, learner, None, status="symlink", problem="is a symbolic link: not followed")
    if not stat.S_ISREG(mode):
        return Found(path, file, learner, None, status="not_a_file", problem=f"is {_kind(mode)}, not a file: not read")
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
