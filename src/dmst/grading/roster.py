"""A roster: who the learners are in the learning management system (`dmst export --roster`).

A CSV with a header row (UTF-8, or a spreadsheet's Windows-1252; commas or semicolons). Columns:

  learner        required: the learner id exactly as the gradebook has it (the folder or file
                 name; spaces count: "Ann Lee " is not "Ann Lee")
  name           the name the LMS shows ("Lee, Ann")
  email          for Moodle's "Email address" match
  id_number      for Moodle's "ID number" match
  sis_user_id, sis_login_id, section, canvas_id   Canvas's "SIS User ID", "SIS Login ID", "Section", "ID"

Every row is checked before anything is used: an unknown column, a row without a learner, a
learner listed twice, an email that is not one or a cell over 1,000 characters is reported by
row (as a spreadsheet numbers them: the header is row 1) and column, and then nothing is exported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .csvread import CsvError, read_csv
from .text import from_spreadsheet, printable

COLUMNS = ("learner", "name", "email", "id_number", "sis_user_id", "sis_login_id", "section", "canvas_id")
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
MAX_BYTES = 50 * 1024 * 1024
MAX_CELL = 1_000             # characters in one cell: a name, an email, an id


class RosterError(ValueError):
    """The roster cannot be used; the message names each bad row and column."""


@dataclass(frozen=True)
class Person:
    learner: str
    name: str = ""
    email: str = ""
    id_number: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    canvas_id: str = ""


def read_roster(path: Path) -> dict[str, Person]:
    """learner id -> Person, in the roster's order; RosterError with every problem found."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise RosterError(f"{printable(path)}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise RosterError(f"{printable(path)}: is larger than a roster can be ({MAX_BYTES // 2 ** 20} MiB)")
    try:
        header, rows = read_csv(raw, path, MAX_CELL, cp1252=True, delimiters=(",", ";", "\t"))
    except CsvError as exc:
        raise RosterError(str(exc)) from None
    columns = [c.strip().lower() for c in header]
    where = printable(path)
    unknown = [c for c in columns if c not in COLUMNS]
    if "learner" not in columns or unknown:
        raise RosterError(f"{where}: row 1: " + (f"unknown column(s) {', '.join(map(repr, unknown))}; " if unknown
                                                 else "no column 'learner'; ")
                          + f"a roster's columns are {', '.join(COLUMNS)} (only learner is required)")
    people: dict[str, Person] = {}
    first_row: dict[str, int] = {}
    problems = []
    for line, row in rows:
        cells = {c.strip().lower(): v or "" for c, v in row.items() if c is not None}
        values = {c: from_spreadsheet(v.strip()) for c, v in cells.items()}
        learner = from_spreadsheet(cells.get("learner", ""))      # exact: spaces are part of an id
        if None in row:
            problems.append(f"{where}: row {line}: more cells than the header has columns")
            continue
        if not learner.strip():
            if any(values.values()):
                problems.append(f"{where}: row {line}, column learner: empty; every row needs the learner id the "
                                "gradebook has")
            continue
        if learner in first_row:
            problems.append(f"{where}: row {line}, column learner: {printable(repr(learner))} is listed already "
                            f"(row {first_row[learner]})")
            continue
        if values.get("email") and not EMAIL.match(values["email"]):
            problems.append(f"{where}: row {line}, column email: {printable(repr(values['email']))} is not an email "
                            "address (name@example.org)")
            continue
        first_row[learner] = line
        people[learner] = Person(**{c: values.get(c, "") for c in COLUMNS} | {"learner": learner})
    if problems:
        raise RosterError("\n".join(problems))
    return people
