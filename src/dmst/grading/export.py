"""`dmst export RESULTS --to canvas|moodle`: the scores as a CSV a learning management system imports.

One column per exercise in the gradebook (taken rows), headed by the exercise's title; a learner's
cell is their taken total for it, hand marks included (empty when they did not hand it in).

- **Canvas** (its gradebook import, as Canvas's own exported gradebook is laid out): columns
  `Student, ID, SIS User ID, SIS Login ID, Section`, then the exercises; a second row
  `Points Possible` with each exercise's maximum; then one row per learner. Canvas matches a
  column to an assignment by its heading, so the notes say which assignment names it needs.
- **Moodle** (its grade import from a CSV file): one identifier column, `Email address` when
  the roster gives every learner an email (map it to "Email address" in Moodle's import), else
  `ID number` (the roster's id_number, or the learner id; map it to "ID number"), then the
  exercises.

With `--roster` (roster.py), the learners are the roster's, in its order: each gets a row, with
empty scores if they handed in nothing; learners in the gradebook but not in the roster are not
exported and are listed. Without it, every learner in the gradebook gets a row and the learner
id fills the id columns (Canvas's SIS User ID and SIS Login ID, Moodle's ID number), which
`dmst export` says. A Canvas row whose Student cell would contain "Points Possible" (which Canvas's
import takes for the points-possible row, wherever it stands) is left out and named in the notes.
Text a spreadsheet would read as a formula gets a leading apostrophe, as in
the gradebook.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .gradebook import SCORED
from .learners import lookalike_lines
from .roster import Person
from .text import spreadsheet_text

FORMATS = ("canvas", "moodle")
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "Points Possible"   # Canvas's import takes a row whose first cell contains this for the maxima


@dataclass
class Export:
    text: str
    learners: int
    exercises: list[str]
    notes: list[str] = field(default_factory=list)


def export(records: list[dict], to: str, roster: dict[str, Person] | None) -> Export:
    """The CSV for `to` (one of FORMATS), and what the grader should know about it."""
    if to not in FORMATS:
        raise ValueError(f"--to: {to!r} is not one of {', '.join(FORMATS)}")
    taken = [r for r in records if r["status"] in SCORED]
    exercises: dict[str, tuple[str, float]] = {}
    scores: dict[str, dict[str, float]] = {}
    waiting: dict[str, int] = {}
    for rec in sorted(taken, key=lambda r: r["exercise"]):
        exercises.setdefault(rec["exercise"], (rec.get("title") or rec["exercise"], rec["max"]))
        scores.setdefault(rec["learner"], {})[rec["exercise"]] = rec["total"]
        waiting[rec["learner"]] = waiting.get(rec["learner"], 0) + bool(rec["needs_manual"])
    notes = []
    if roster is None:
        people = [Person(learner) for learner in sorted(scores)]
        notes.append("No --roster was given, so the learner ids (folder or file names) fill the "
                     + ("SIS User ID and SIS Login ID columns; give --roster to match learners by their LMS ids"
                        if to == "canvas" else "ID number column; give --roster to match learners by email"))
    else:
        people = list(roster.values())
        absent = [p.learner for p in people if p.learner not in scores]
        unlisted = sorted(set(scores) - set(roster))
        if absent:
            notes.append(f"In the roster but handed in nothing (rows with empty scores): {_names(absent)}")
        if unlisted:
            notes.append(f"In the gradebook but not in the roster, so not exported: {_names(unlisted)}")
    clash = [] if to != "canvas" else [p for p in people if POINTS_POSSIBLE in (p.name or p.learner)]
    if clash:
        people = [p for p in people if POINTS_POSSIBLE not in (p.name or p.learner)]
        notes.append(f"Not exported, since Canvas's import would take their row for its points-possible row (a "
                     f"Student cell containing \"{POINTS_POSSIBLE}\"; every maximum would become 0): "
                     f"{_names([repr(p.name or p.learner) for p in clash])}. Enter their scores in Canvas by hand, or "
                     f"give them a name without \"{POINTS_POSSIBLE}\" in the roster's name column (--roster) and "
                     "export again")
    notes += [f"Learner ids that look alike, exported as separate rows: {line}"
              for line in lookalike_lines(p.learner for p in people)]
    pending = sum(waiting.get(p.learner, 0) for p in people)
    if pending:
        notes.append(f"{pending} score{'s' if pending != 1 else ''} still await{'s' if pending == 1 else ''} a hand mark "
                     "for a written answer and " + ("is" if pending == 1 else "are") + " exported as "
                     + ("it stands" if pending == 1 else "they stand") + ": run dmst marks, then export again")
    ids = list(exercises)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    titles = [spreadsheet_text(exercises[ex][0]) for ex in ids]
    if to == "canvas":
        writer.writerow(CANVAS_COLUMNS + titles)
        writer.writerow([POINTS_POSSIBLE, "", "", "", ""] + [_number(exercises[ex][1]) for ex in ids])
        for p in people:
            fallback = p.learner if roster is None else ""
            writer.writerow([spreadsheet_text(x) for x in (p.name or p.learner, p.canvas_id, p.sis_user_id or fallback,
                                                           p.sis_login_id or fallback, p.section)]
                            + _cells(scores.get(p.learner, {}), ids))
        if ids:
            notes.append("Canvas puts each exercise's column with the assignment of exactly that name, and makes a "
                         "new assignment for a column whose name it does not know: name the Canvas assignments "
                         + ", ".join(f"\"{exercises[ex][0]}\"" for ex in ids) + ", or, before importing, change "
                         "each column's heading in the file to the assignment's heading in Canvas's own gradebook "
                         "export (its name and id, such as \"Exercise 1 (12345)\")")
    else:
        by_email = roster is not None and people and all(p.email for p in people)
        writer.writerow(["Email address" if by_email else "ID number"] + titles)
        for p in people:
            ident = p.email if by_email else (p.id_number or p.learner)
            writer.writerow([spreadsheet_text(ident)] + _cells(scores.get(p.learner, {}), ids))
        notes.append("In Moodle's import, map " + ("\"Email address\" to \"Email address\"" if by_email
                                                   else "\"ID number\" to \"ID number\"")
                     + " and each exercise's column to its grade item")
    return Export(out.getvalue(), len(people), [exercises[ex][0] for ex in ids], notes)


def _names(names: list[str], shown: int = 10) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _cells(mine: dict[str, float], ids: list[str]) -> list[str]:
    return [_number(mine[ex]) if ex in mine else "" for ex in ids]


def _number(x: float) -> str:
    return f"{x:g}"
