"""The results folder (`--out`): everything the grader writes goes there, and only there.

- It never overlaps the submissions folder, in either direction (`check_apart`): grading
  `X/results --out X` or `X --out X/results` is refused before anything is written.
- The folder itself is the one the user named (a link given on the command line is the user's
  choice and is followed); inside it nothing is followed. Each folder the grader uses
  (`results/`, `feedback/`, `records/`) is opened relative to the one above it without following
  links, so a planted link (`feedback -> /elsewhere`) is refused with a message; each file is
  written under a new temporary name in that folder and renamed over the old entry, which
  replaces a planted link or hard link instead of writing through it; files are read only if
  they are regular files, opened without following links.
- It removes and replaces only what it wrote: every file written is listed in `.dmst-written`
  (JSON, in the folder), and a file is removed only if it is listed there, sits in one of the
  grader's own folders and is still a regular file. Anything else under a name the grader must
  write (a person's own `gradebook.csv`, say) is in the way: writing it is refused
  (`ResultsError`, naming it), and `check_free` refuses a whole run before it writes anything.
  A file a person put there is never changed or removed.

The same list says which per-file records make up the last complete grading run (`records`);
while a run is under way it is empty, and the gradebook is not there, so an interrupted run
never leaves an old gradebook looking like the result.
"""
from __future__ import annotations

import errno
import json
import os
import stat
import threading
from pathlib import Path, PurePosixPath

MANIFEST = ".dmst-written"
READ_LIMIT = 256 * 1024 * 1024


class ResultsError(Exception):
    """The results folder cannot be used as asked; the message says why and what to do."""


def check_apart(submissions: Path, out: Path) -> None:
    """Refuse a results folder that is, holds or sits inside the submissions folder."""
    sub, res = Path(submissions).resolve(), Path(out).resolve()
    if sub == res or sub in res.parents or res in sub.parents:
        raise ResultsError(f"the results folder ({res}) and the submissions folder ({sub}) overlap: the submissions "
                           "are never modified, so the results must go to a folder outside them that does not hold them")


def _relative(rel: str) -> PurePosixPath | None:
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        return None
    return path


class ResultsFolder:
    """Safe reads and writes inside one results folder (see the module docstring)."""

    def __init__(self, root, create: bool = True):
        self.root = Path(root)
        try:
            if create:
                self.root.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            raise ResultsError(f"{self.root}: no such folder") from None
        except NotADirectoryError:
            raise ResultsError(f"{self.root} is a file, not a folder") from None
        except OSError as exc:
            raise ResultsError(f"{self.root}: cannot be used as the results folder ({exc.strerror})") from None
        self._lock = threading.Lock()
        self._folders: dict[str, int] = {"": self._fd}
        manifest = self._load_manifest()
        self._manifest_ours = bool(manifest) or not self._present(MANIFEST)   # a list of ours, or none yet
        self._written: set[str] = set(manifest.get("written", []))
        self.records: list[str] | None = manifest.get("records")
        self.settings: dict = manifest.get("settings", {})    # how the last run wrote feedback (show_answers)

    def close(self) -> None:
        for fd in set(self._folders.values()):
            os.close(fd)
        self._folders.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- folders and files -----------------------------------------------------------------

    def folder_fd(self, sub: str, create: bool = True) -> int | None:
        """A descriptor of `sub` (a folder inside, "" for the folder itself), opened without
        following links; None if it does not exist and `create` is false."""
        with self._lock:
            if sub in self._folders:
                return self._folders[sub]
            fd = self._fd
            for i, part in enumerate(PurePosixPath(sub).parts):
                here = "/".join(PurePosixPath(sub).parts[:i + 1])
                if here in self._folders:
                    fd = self._folders[here]
                    continue
                if create:
                    try:
                        os.mkdir(part, 0o755, dir_fd=fd)
                    except FileExistsError:
                        pass
                try:
                    fd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                except FileNotFoundError:
                    return None
                except OSError as exc:
                    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                        raise ResultsError(f"{self.root / here} is a link or a file, not a folder: the grader never "
                                           "follows links inside its results folder; remove it, or choose another "
                                           "results folder") from None
                    raise
                self._folders[here] = fd
            return fd

    def check_free(self, rels) -> None:
        """Refuse (ResultsError, naming them) if any of `rels` is taken by something the grader did
        not write: called before a run writes anything, so it never stops half-way."""
        taken = [rel for rel in rels if not self._mine(rel) and self._present(rel)]
        if taken:
            names = ", ".join(str(self.path(rel)) for rel in taken[:5]) + (f" and {len(taken) - 5} more"
                                                                            if len(taken) > 5 else "")
            raise ResultsError(f"{names}: not written by the grader (not listed in {self.path(MANIFEST)}), but the "
                               "grader must write a file of that name: nothing was written; move it away, or "
                               "choose another results folder")

    def write(self, rel: str, data: bytes, private: bool = False) -> None:
        """Write `rel` whole or not at all, replacing the entry of its name only if the grader wrote
        it (never writing through it); an unchanged file is left as it is. `private`: readable by
        its owner only."""
        path = self._checked(rel)
        self._claim(rel)
        fd = self.folder_fd(str(path.parent) if path.parent.parts else "")
        if not private and self._read_at(fd, path.name) == data:
            return
        tmp = f".{path.name[:100]}.tmp{os.getpid()}-{threading.get_ident()}"
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600 if private else 0o644, dir_fd=fd)
        try:
            with os.fdopen(out, "wb") as f:
                f.write(data)
            os.replace(tmp, path.name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=fd)
            except OSError:
                pass
            raise

    def append(self, rel: str, data: bytes) -> None:
        """Add `data` at the end of `rel` (a ledger), creating it; never through a link."""
        path = self._checked(rel)
        self._claim(rel)
        fd = self.folder_fd(str(path.parent) if path.parent.parts else "")
        out = os.open(path.name, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644, dir_fd=fd)
        with os.fdopen(out, "ab") as f:
            f.write(data)

    def read(self, rel: str, limit: int = READ_LIMIT) -> bytes | None:
        """The bytes of `rel` if it is a regular file (not a link) of at most `limit` bytes, else None."""
        path = _relative(rel)
        if path is None:
            return None
        try:
            fd = self.folder_fd(str(path.parent) if path.parent.parts else "", create=False)
        except ResultsError:
            return None
        return None if fd is None else self._read_at(fd, path.name, limit)

    def exists(self, rel: str) -> bool:
        return self.read(rel, limit=1 << 62) is not None

    def remove(self, rel: str) -> None:
        """Remove `rel` if the grader wrote it and it is still a regular file."""
        path = _relative(rel)
        if path is None or rel not in self._written:
            return
        fd = self.folder_fd(str(path.parent) if path.parent.parts else "", create=False)
        if fd is None:
            self._forget(rel)
            return
        try:
            info = os.lstat(path.name, dir_fd=fd)
        except FileNotFoundError:
            self._forget(rel)
            return
        if stat.S_ISREG(info.st_mode):
            os.unlink(path.name, dir_fd=fd)
            self._forget(rel)

    def remove_stale(self, sub: str, keep: set[str]) -> None:
        """Remove the files the grader wrote directly in `sub` whose names are not in `keep`."""
        for rel in sorted(self._written):
            path = PurePosixPath(rel)
            if str(path.parent) == sub and path.name not in keep:
                self.remove(rel)

    def path(self, rel: str = "") -> Path:
        """Where `rel` is, for messages."""
        return self.root / rel if rel else self.root

    # --- the list of what was written ------------------------------------------------------

    def save(self, records: list[str] | None = None, done: bool = False) -> None:
        """Write the list of files written; `done`: `records` are the last complete run's."""
        if done:
            self.records = list(records or [])
        elif records is not None:
            self.records = None
        body = {"written": sorted(self._written), "records": self.records, "settings": self.settings}
        self.write(MANIFEST, (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
        self._manifest_ours = True

    def start_run(self, results: tuple[str, ...]) -> None:
        """A run begins: the previous run's `results` (the gradebook) are removed and its record
        list stops counting, so a run that does not finish leaves no result that looks current."""
        self.records = None
        for rel in results:
            self.remove(rel)
        self.save()

    def _load_manifest(self) -> dict:
        raw = self.read(MANIFEST)
        try:
            body = json.loads(raw) if raw is not None else {}
        except ValueError:
            return {}
        if not isinstance(body, dict):
            return {}
        written = [r for r in body.get("written", []) if isinstance(r, str) and _relative(r) is not None]
        records = body.get("records")
        if not (isinstance(records, list) and all(isinstance(r, str) for r in records)):
            records = None
        settings = body.get("settings") if isinstance(body.get("settings"), dict) else {}
        return {"written": written, "records": records, "settings": settings}

    # --- helpers -----------------------------------------------------------------------------

    def _checked(self, rel: str) -> PurePosixPath:
        path = _relative(rel)
        if path is None:
            raise ValueError(f"not a path inside the results folder: {rel!r}")
        return path

    def _claim(self, rel: str) -> None:
        """Make `rel` the grader's before it is written: refused if something else has its name; a
        new name is listed (and the list saved) first, so a run killed while writing it leaves no
        file the next run would take for a person's."""
        self.check_free([rel])
        if rel != MANIFEST and rel not in self._written:
            self._note(rel)
            self.save()

    def _mine(self, rel: str) -> bool:
        """Whether the entry named `rel` is the grader's to replace: listed as written (the list
        itself, if the grader wrote it)."""
        return self._manifest_ours if rel == MANIFEST else rel in self._written

    def _present(self, rel: str) -> bool:
        """Whether anything (a file, a link, a folder...) has the name `rel`."""
        path = self._checked(rel)
        try:
            fd = self.folder_fd(str(path.parent) if path.parent.parts else "", create=False)
        except ResultsError:
            return True          # its folder is a link or a file: something is in the way
        if fd is None:
            return False
        try:
            os.lstat(path.name, dir_fd=fd)
        except FileNotFoundError:
            return False
        return True

    def _note(self, rel: str) -> None:
        with self._lock:
            self._written.add(rel)

    def _forget(self, rel: str) -> None:
        with self._lock:
            self._written.discard(rel)

    @staticmethod
    def _read_at(fd: int, name: str, limit: int = READ_LIMIT) -> bytes | None:
        try:
            f = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        except OSError:
            return None
        try:
            info = os.fstat(f)
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            chunks, size = [], 0
            while True:
                chunk = os.read(f, 1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    return None
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(f)
