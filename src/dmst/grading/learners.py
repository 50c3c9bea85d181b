"""Learner ids that a person would take for one another.

A learner id is the folder or file name a learner handed in under, exactly: "Ann Lee", "Ann Lee "
and "Ann  Lee", "ann lee", or "José" typed two ways (é, or e and a combining accent) are distinct
ids, and every tool keeps them apart (each its own gradebook rows, feedback page, completion record
and export row; nothing trims or normalises an id). Such ids are most often one learner's
folders, or two learners nobody can tell apart on paper, so `dmst grade`, `dmst marks`,
`dmst records` and `dmst export` list them for a person to decide, each shown so that the
difference can be seen.
"""
from __future__ import annotations

import unicodedata


def lookalike_key(learner: str) -> str:
    """What is left of an id when what a reader does not see is dropped: Unicode compatibility
    forms (NFKC), case, invisible format characters, and how many spaces there are, and where."""
    text = unicodedata.normalize("NFKC", learner).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def lookalikes(learners) -> list[list[str]]:
    """Groups (two or more ids each, sorted) of distinct ids with the same lookalike_key."""
    groups: dict[str, set[str]] = {}
    for learner in learners:
        groups.setdefault(lookalike_key(learner), set()).add(learner)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def shown(learner: str) -> str:
    """An id quoted, with every character a reader cannot tell from another escaped: spaces other
    than " ", combining marks, format and control characters ('Jose\\u0301', 'Ann Lee ')."""
    out = []
    for ch in learner:
        kind = unicodedata.category(ch)
        if ch == " " or (kind[0] not in "CZM" and ch not in "'\\"):
            out.append(ch)
        elif ch in "'\\":
            out.append("\\" + ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "'" + "".join(out) + "'"


def lookalike_lines(learners) -> list[str]:
    """One line per group, for a command to print (none when no ids look alike)."""
    return [", ".join(shown(x) for x in group) + ": different ids, kept apart; if they are one learner, put the "
            "files in one folder and grade again" for group in lookalikes(learners)]
