"""The manual-marking sheet: the written answers a person marks, in a spreadsheet, and the
marks merged back into the gradebook (`dmst marks RESULTS`).

`dmst grade` writes RESULTS/manual-marking.csv: one row per written answer that needs a
person, with the columns

  learner, exercise, question, out_of   which answer, and the most it can score
  mark, comment                         for the grader to fill in (a comment goes to the learner)
  answer                                what the learner wrote
  submission, answer_id                 how the row is matched back: leave them as they are

It is UTF-8 with a byte-order mark (so Excel shows "§" and accents), and text that a
spreadsheet would read as a formula (starting with =, +, -, @) is written with a leading
apostrophe. The grader fills in `mark` (a number from 0 to `out_of` in plain digits with at most
one decimal point or comma: 2, 1.5; "1,5" is read as 1.5)
and saves it as CSV, in place or elsewhere (then `--sheet FILE`); Excel's semicolon-separated
and Windows-1252 files are read too. Merging checks every mark first: any problem (row, column,
allowed values) and nothing is changed. A mark counts only while the answer it marks is the
one graded: if the learner hands in again, the new answer needs a new mark.

Marks live in the sheet: `dmst grade`, run again, keeps them (and applies them), so the sheet
is both the list of answers still to mark and the record of the marks given.
Rewriting it keeps the grader's own columns (with their cells) and row order; answers new to
the sheet come last.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .csvread import CsvError, read_csv
from .gradebook import GRADEBOOK, SCORED
from .results_folder import ResultsError, ResultsFolder
from .text import from_spreadsheet, printable, safe_text, spreadsheet_text

SHEET = "manual-marking.csv"
COLUMNS = ["learner", "exercise", "question", "out_of", "mark", "comment", "answer", "submission", "answer_id"]
MAX_CELL = 30_000            # a spreadsheet cell holds at most 32,767 characters
MAX_SHEET = 200 * 1024 * 1024
DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")   # a mark as typed: 2, 1.5 (not float()'s 1e0, 0_2 or fullwidth digits)


@dataclass(frozen=True)
class Mark:
    points: float
    comment: str


def answer_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()[:12]


def awaiting(records: list[dict]) -> dict[tuple[str, str], tuple[dict, dict]]:
    """(record id, question) -> (record, question) for every written answer that needs a person."""
    return {(r["id"], q["id"]): (r, q) for r in records if r["status"] in SCORED
            for q in r["questions"] if q["result"] == "needs_manual"}


@dataclass
class Row:
    """A row of a sheet as read: its cells by column, and where it is (for messages)."""
    cells: dict[str, str]
    line: int
    file: str


def write_sheet(folder: ResultsFolder, records: list[dict], rows: list[Row]) -> None:
    """The sheet for `records`. Of `rows` (sheets read earlier; later rows win) it keeps, for each
    answer still awaiting a mark, the grader's row order and the columns the grader added, and
    the mark and comment while the answer is the one they mark. New answers come after."""
    keys = [(r.cells.get("submission", ""), r.cells.get("question", "")) for r in rows]
    last = {key: r.cells for key, r in zip(keys, rows)}
    position = {key: i for i, key in enumerate(keys)}
    added = list(dict.fromkeys(c for r in rows for c in r.cells if c not in COLUMNS))
    out, cell = io.StringIO(), spreadsheet_text
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS + added)
    answers = sorted(awaiting(records).items(), key=lambda kv: (kv[1][0]["learner"], kv[0]))
    for (rid, qid), (rec, q) in sorted(answers, key=lambda kv: position.get(kv[0], len(rows))):
        aid = answer_id(q["answer"])
        old = last.get((rid, qid), {})
        same = old.get("answer_id", "") == aid
        text = q["answer"] if len(q["answer"]) <= MAX_CELL else q["answer"][:MAX_CELL] + " … (cut: see the notebook)"
        writer.writerow([cell(rec["learner"]), cell(rec["exercise"]), qid, f"{q['max']:g}",
                         cell(old.get("mark", "") if same else ""), cell(old.get("comment", "") if same else ""),
                         cell(text), rid, aid] + [cell(old.get(c, "")) for c in added])
    folder.write(SHEET, safe_text(out.getvalue()).encode("utf-8-sig"))


def read_sheet(path, raw: bytes | None = None) -> tuple[list[Row], list[str]]:
    """(rows, problems) from a sheet as a spreadsheet saved it (`raw`: its bytes, if read already).
    A problem here is with the whole file (no rows are returned then): `dmst grade` leaves such a
    sheet as it is, and `dmst marks` changes nothing."""
    if raw is None:
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_SHEET + 1)
        except OSError as exc:
            return [], [f"{printable(path)}: cannot be read ({exc.strerror})"]
    if len(raw) > MAX_SHEET:
        return [], [f"{printable(path)}: is larger than a marking sheet can be ({MAX_SHEET // 1024 ** 2} MB)"]
    try:
        # Any cell may be long here: a comment that is too long is reported by marks_from, by row.
        header, numbered = read_csv(raw, path, MAX_SHEET, cp1252=True, delimiters=(",", ";", "\t"))
    except CsvError as exc:
        return [], [str(exc)]
    missing = [c for c in ("submission", "question", "mark") if c not in header]
    if missing:
        return [], [f"{printable(path)}: the sheet has no column {', '.join(repr(c) for c in missing)}; it needs the "
                    f"header row `dmst grade` wrote ({', '.join(COLUMNS)})"]
    twice = sorted(c for c, n in Counter(header).items() if c and n > 1)
    if twice:
        return [], [f"{printable(path)}: more than one column is headed {', '.join(_quoted(c) for c in twice)}; "
                    "give each column a heading of its own"]
    for number, row in numbered:
        if any(row.get(None) or []):
            return [], [f"{printable(path)}: row {number} has cells beyond the header's columns; give their "
                         "column a heading (or empty those cells)"]
    return [Row({k: from_spreadsheet(v or "") for k, v in row.items() if k is not None}, number, printable(path))
            for number, row in numbered], []


def marks_from(rows: list[Row], records: list[dict]) -> tuple[dict[tuple[str, str], Mark], list[str]]:
    """The marks in `rows` (later rows win), and a problem for each one that cannot be used."""
    waiting = awaiting(records)
    marks, problems = {}, []
    for line in rows:
        row = line.cells
        text = row.get("mark", "").strip()
        key = (row.get("submission", "").strip(), row.get("question", "").strip())
        if not text:
            marks.pop(key, None)
            continue
        where = line.file + ": " + printable(
            f"row {line.line} ({row.get('learner', '')[:80]}, {row.get('exercise', '')[:80]}, {key[1][:80]})")
        if key not in waiting:
            problems.append(f"{where}: no written answer awaiting a mark has submission {_quoted(key[0])} and "
                            f"question {_quoted(key[1])}; keep those columns as `dmst grade` wrote them")
            continue
        rec, q = waiting[key]
        if row.get("answer_id", "").strip() not in ("", answer_id(q["answer"])):
            problems.append(f"{where}: the answer changed since this sheet was written (handed in again); "
                            f"mark the new answer in {SHEET}")
            continue
        number = text.replace(",", ".")
        points = float(number) if DECIMAL.fullmatch(number) else math.nan
        if not 0 <= points <= q["max"]:
            problems.append(f"{where}, column mark: {_quoted(text)} is not a number from 0 to {q['max']:g}")
            continue
        comment = row.get("comment", "").strip()
        if len(comment) > MAX_CELL:
            problems.append(f"{where}, column comment: {len(comment):,} characters, more than a comment may have "
                            f"({MAX_CELL:,}, about what a spreadsheet cell holds); shorten it (the sheet keeps it "
                            "as it is until then)")
            continue
        marks[key] = Mark(points, comment)
    return marks, problems


def merge(out_dir, sheet=None, out=sys.stdout, err=sys.stderr) -> int:
    """`dmst marks`: check the marks in the sheet and merge them into the gradebook and feedback,
    then print the updated summary. Returns the exit code: 0 merged, 2 nothing changed (a problem
    is printed for each bad mark)."""
    from .outputs import write_outputs
    from .summary import summary

    try:
        folder = ResultsFolder(out_dir, create=False)
    except ResultsError as exc:
        print(f"dmst marks: {printable(exc)}", file=err)
        return 2
    with folder:
        records, problem = load_records(folder)
        if problem:
            print(f"dmst marks: {problem}", file=err)
            return 2
        if sheet:
            rows, problems = read_sheet(sheet)
            earlier, more = read_sheet(folder.path(SHEET), folder.read(SHEET)) if folder.exists(SHEET) else ([], [])
            rows, problems = earlier + rows, more + problems
            source = Path(sheet)
        elif folder.exists(SHEET):
            rows, problems = read_sheet(folder.path(SHEET), folder.read(SHEET))
            source = folder.path(SHEET)
        else:
            print(f"dmst marks: {printable(folder.path(SHEET))}: no such file (or not a plain file)", file=err)
            return 2
        marks, more = marks_from(rows, records)
        problems += more
        if problems:
            for line in problems:
                print(f"dmst marks: {line}", file=err)
            print("dmst marks: nothing was changed; correct the sheet and run it again.", file=err)
            return 2
        write_sheet(folder, records, rows)
        marked = write_outputs(folder, records, marks, bool(folder.settings.get("show_answers")))
        folder.save(folder.records, done=True)
    left = sum(1 for r in marked if r["needs_manual"])
    print(f"Merged {len(marks)} mark{'s' if len(marks) != 1 else ''} from {printable(source)}. "
          f"{left} submission{'s' if left != 1 else ''} still {'have' if left != 1 else 'has'} written answers to mark.\n",
          file=out)
    print(summary(marked, []), file=out)
    print(f"\nGradebook: {printable(folder.path(GRADEBOOK))}\nFeedback:  {printable(folder.path('feedback'))}", file=out)
    return 0


def load_records(folder: ResultsFolder) -> tuple[list[dict], str | None]:
    """The records of the last complete grading run in `folder`, or a problem saying why there are none."""
    if folder.records is None or not folder.exists(GRADEBOOK):
        if folder.exists(".dmst-written"):
            return [], (f"{printable(folder.path())}: the last grading run did not finish, so there is no gradebook: "
                        "run `dmst grade` again (what it finished is kept)")
        return [], f"{printable(folder.path())} holds no grading results: run `dmst grade` first"
    records = []
    for rid in folder.records:
        raw = folder.read(f"results/{rid}.json")
        try:
            record = json.loads(raw) if raw is not None else None
        except ValueError:
            record = None
        if not isinstance(record, dict) or record.get("id") != rid:
            return [], (f"{printable(folder.path('results'))}: the record {printable(rid)}.json is missing or was "
                        "changed: run `dmst grade` again")
        records.append(record)
    return records, None


def merged_records(folder: ResultsFolder) -> tuple[list[dict], str | None]:
    """The last complete run's records with the hand marks on the sheet merged, as the gradebook
    has them (for `dmst report` and `dmst export`), or a problem saying why there are none."""
    from .gradebook import with_marks

    records, problem = load_records(folder)
    if problem:
        return [], problem
    raw = folder.read(SHEET)
    rows, problems = read_sheet(folder.path(SHEET), raw) if raw is not None else ([], [])
    if problems:     # its marks cannot be read: the scores would silently lack them
        return [], f"{problems[0]}: correct the sheet (dmst marks says how), then run this again"
    marks, _ = marks_from(rows, records)
    return [with_marks(r, marks) for r in records], None


def sheet_marks(folder: ResultsFolder, records: list[dict], err=sys.stderr) -> dict[tuple[str, str], Mark]:
    """For `dmst grade`: rewrite the sheet for `records`, keeping what it already holds, and
    return its usable marks (a problem with a mark is printed, and that mark left out)."""
    raw = folder.read(SHEET)
    rows, problems = read_sheet(folder.path(SHEET), raw) if raw is not None else ([], [])
    if problems:
        for problem in problems:
            print(f"dmst grade: {problem}", file=err)
        print(f"dmst grade: {SHEET} was left as it is, and none of its marks were used: correct it, then run "
              "dmst grade again", file=err)
        return {}
    marks, more = marks_from(rows, records)
    for problem in more:
        print(f"dmst grade: {problem} (this mark is left out until corrected)", file=err)
    write_sheet(folder, records, rows)
    return marks


def _quoted(text: str, shown: int = 60) -> str:
    """A value from the sheet for a message: quoted, escaped, and cut if it is long."""
    return printable(repr(text if len(text) <= shown else text[:shown] + "…"))
