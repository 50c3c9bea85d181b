"""gradebook.csv: one row per file handed in (the README lists the columns and statuses).

Written by `dmst grade` and `dmst marks` from the per-file records (UTF-8 with a byte-order
mark, for Excel); read back (`read_rows`) by `dmst records`, which undoes the apostrophe that
keeps a spreadsheet from reading text as a formula, so "@ann" in the folder is "@ann" everywhere.
"""
from __future__ import annotations

import pandas as pd

from .csvread import read_csv
from .text import capped, from_spreadsheet, spreadsheet_text

GRADEBOOK = "gradebook.csv"
FIXED_COLUMNS = ["learner", "exercise", "status", "total", "max", "needs_manual_grading", "taken", "hand_marks",
                 "notes", "file"]
TEXT_COLUMNS = ("learner", "exercise", "notes", "file")
# The longest `notes` cell: a file's notes quote names and cell ids a learner chose, and there may
# be many; all of them stay in the file's record (results/<id>.json).
NOTES_CHARS = 10_000
# The longest cell the course's tools read back from a gradebook: well above what dmst grade
# writes (a learner id or path is at most a few thousand characters, notes NOTES_CHARS).
MAX_CELL = 100_000
# Statuses of a file that was run and scored; every other status but "not_taken" means the file
# could not be graded, and `dmst grade` exits 1.
SCORED = ("graded", "restored", "cell_timeout", "notebook_timeout", "crashed", "output_limit", "tampered",
          "memory_limit", "process_limit")
NOT_TAKEN = "not_taken"
STATUS_WORDS = {
    "graded": "graded",
    "restored": "graded, with the exercise's own cells put back where they had been changed or deleted",
    "cell_timeout": "graded; a cell ran past its time limit",
    "notebook_timeout": "graded up to where the notebook ran out of time",
    "crashed": "graded up to where the notebook stopped",
    "output_limit": "graded up to where the notebook sent the grader too much",
    "tampered": "scored 0: the notebook's code tampered with the grader's pipe",
    "memory_limit": "graded up to where the notebook ran out of memory",
    "process_limit": "graded; the notebook tried to start too many processes",
    "not_taken": "not graded: another copy of this exercise was graded",
    "not_a_notebook": "not graded: not a notebook",
    "symlink": "not graded: a link to another file",
    "not_a_file": "not graded: not a file (a pipe, socket or device)",
    "too_large": "not graded: the file is too large",
    "unreadable": "not graded: the file could not be read",
    "empty_file": "not graded: the file is empty",
    "invalid_notebook": "not graded: the file is not a notebook",
    "unrecognised_file": "not graded: it is not clear whose it is or which exercise it is",
    "unknown_exercise": "not graded: not an exercise of this course",
    "wrong_exercise": "not graded: handed in under another exercise's name",
    "missing_metadata": "not graded: the notebook's grading information was removed",
    "no_report": "not graded: nothing came back from running it",
    "grader_error": "not graded: the grader failed",
}
# The same, in a few words, for the summary's counts ("3 graded, 1 crashed").
STATUS_SHORT = {"graded": "graded", "restored": "graded with cells put back", "cell_timeout": "past a cell's time limit",
                "notebook_timeout": "out of time", "crashed": "crashed", "output_limit": "sent too much",
                "tampered": "tampered with the grader's pipe",
                "memory_limit": "out of memory", "process_limit": "too many processes", "not_taken": "older copy"}


def with_marks(record: dict, marks: dict) -> dict:
    """The record with the hand marks given to its written answers: points, total, what still
    needs a person. `marks` maps (record id, question) to a Mark."""
    questions, hand = [], 0.0
    for q in record["questions"]:
        mark = marks.get((record["id"], q["id"]))
        if mark is not None and q["result"] == "needs_manual":
            q = {**q, "points": mark.points, "result": "marked", "comment": mark.comment}
            hand += mark.points
        questions.append(q)
    return {**record, "questions": questions, "total": record["total"] + hand, "hand_marks": hand if hand else None,
            "needs_manual": [q["id"] for q in questions if q["result"] == "needs_manual"]}


def frame(records: list[dict]) -> pd.DataFrame:
    """One row per file handed in; a `<exercise>:<question>` column per question (see README)."""
    question_ids: dict[str, list[str]] = {}
    for rec in records:
        if rec["questions"]:
            question_ids.setdefault(rec["exercise"], [q["id"] for q in rec["questions"]])
    columns = FIXED_COLUMNS + [f"{ex}:{q}" for ex in sorted(question_ids) for q in question_ids[ex]]
    rows = []
    for rec in sorted(records, key=lambda r: (r["learner"], r["exercise"], r["file"])):
        row = {"learner": rec["learner"], "exercise": rec["exercise"], "status": rec["status"],
               "total": rec["total"], "max": rec["max"], "needs_manual_grading": " ".join(rec["needs_manual"]),
               "taken": "yes" if rec["status"] in SCORED else "no", "hand_marks": rec.get("hand_marks"),
               "notes": capped(" | ".join(rec["notes"]), NOTES_CHARS,
                               f"all {len(rec['notes'])} notes are in results/{rec['id']}.json"),
               "file": rec["file"]}
        for q in rec["questions"]:
            row[f"{rec['exercise']}:{q['id']}"] = q["points"]
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def csv_text(table: pd.DataFrame) -> str:
    """The gradebook as CSV; text a spreadsheet would take for a formula gets a leading apostrophe."""
    text = table.copy()
    for column in TEXT_COLUMNS:
        text[column] = text[column].map(spreadsheet_text)
    return text.to_csv(index=False, float_format="%.10g", lineterminator="\n")


def read_rows(data: bytes, where) -> tuple[list[str], list[dict]]:
    """(columns, rows) of a gradebook's bytes (with or without a byte-order mark), with the text
    columns as they were before writing; `where` names the file in a CsvError."""
    columns, numbered = read_csv(data, where, MAX_CELL)
    rows = []
    for number, row in numbered:
        for column in TEXT_COLUMNS:
            if isinstance(row.get(column), str):
                row[column] = from_spreadsheet(row[column])
        rows.append(row | {"_row": number})
    return columns, rows
