"""File names for what the grader writes about a learner: per-file records, feedback pages and
completion records.

A name is a readable part (letters, digits, ".", "_" and "-" from the id, at most 40 of them)
and, always, 16 hexadecimal digits of a SHA-256 of the exact id: two distinct ids never share a
file, whatever a learner calls their file (a learner who names a file after another learner's
file name only gets a name with another hash), and no name is longer than 60 characters
(file systems allow 255 bytes). `unique` keeps names distinct even in the case the hash cannot
rule out (a collision of 64 bits), by numbering the later ones, so every file keeps its own.
"""
from __future__ import annotations

import hashlib
import json
import re

READABLE = 40


def digest(*parts: str) -> str:
    """16 hex digits that change with any part of the exact id (parts are kept apart)."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def stem(readable: str, *parts: str) -> str:
    clean = re.sub(r"[^A-Za-z0-9._-]+", "_", readable).strip("._-")[:READABLE].strip("._-")
    return f"{clean or 'x'}-{digest(*parts)}"


def record_id(learner: str, exercise: str, file: str | None = None) -> str:
    """The record of a learner's graded exercise; with `file`, the record of one file that was not
    the graded copy (so each such file has its own)."""
    parts = (learner, exercise) if file is None else (learner, exercise, file)
    return stem(f"{learner or 'unknown'}__{exercise or 'unknown'}", "record", *parts)


def learner_file(learner: str) -> str:
    """A learner's feedback page and completion record (without the extension)."""
    return stem(learner or "unknown", "learner", learner)


def unique(names: list[str]) -> list[str]:
    """`names` with any repeat numbered ("-2", "-3", ...), in order."""
    seen: set[str] = set()
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name}-{n}"
        seen.add(candidate)
        out.append(candidate)
    return out
