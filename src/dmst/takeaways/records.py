"""Completion records: from the gradebook `dmst grade` writes, one PDF per learner who met the
pass mark, each with a verification code (codes.py); and `verify`, which checks a code.

The gradebook's columns `learner`, `exercise`, `status`, `total` and `max` (and `taken`, where
it is there) are read; other columns may come and go. Text the gradebook wrote with a
spreadsheet's apostrophe ("'@ann") is read back as it was ("@ann").

A record covers the *required* exercises: by default every exercise of the course (those in
exercises/), or those `--require` names. A learner's percentage is the points of their best
taken row for each required exercise over those exercises' maxima, to one decimal place
(rounded half up): that figure is the one printed (PDF, screen) and the one compared with the
pass mark, so a record never shows "70%" for a learner who did not pass. A learner who has not
handed in every required exercise gets no record, and neither does one with a required row
still awaiting a grader's manual marks (until the marks are merged); `why_not` says, per
learner, what is missing, waiting or below the mark.

The name a record prints (from --names, else the learner id) is one line: line breaks, control
and bidirectional characters are shown as escapes (`\\n`, `\\u202e`), as the CLI prints names.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from ..grading.csvread import CsvError, read_csv
from ..grading.exercises import course_exercises
from ..grading.gradebook import NOT_TAKEN, STATUS_WORDS, read_rows
from ..grading.naming import learner_file
from ..grading.results_folder import ResultsError, ResultsFolder
from ..grading.text import from_spreadsheet, printable
from ..law import Law
from . import codes, facts
from .modules import module_paths, read_module
from .pdf import FONT, CoursePDF

GRADEBOOK = "gradebook.csv"
REQUIRED = ("learner", "exercise", "status", "total", "max")
OUT = "records"
MAX_NAME = 1_000                 # characters in a cell of a --names file
MAX_NAMES_FILE = 20 * 1024 ** 2
ROOT = Path(__file__).resolve().parents[3]


class RecordError(ValueError):
    """Bad input for records or verify; the message names the file, the row and the field."""


@dataclass(frozen=True)
class Score:
    exercise: str
    total: float
    max: float


@dataclass(frozen=True)
class Record:
    """Everything the verification code covers."""
    learner: str
    name: str
    course_title: str
    version: str
    law_date: str
    issued: str
    pass_mark: float
    scores: tuple[Score, ...]
    points_offered: float

    @property
    def total(self) -> float:
        return sum(s.total for s in self.scores)

    @property
    def percent(self) -> float:
        """The percentage to one decimal place, rounded half up: what is printed and what the pass
        mark is compared with."""
        if not self.points_offered:
            return 0.0
        exact = Decimal(repr(self.total)) * 100 / Decimal(repr(self.points_offered))
        return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    @property
    def percent_text(self) -> str:
        """The percentage as printed: "70%", "69.6%"."""
        return f"{self.percent:g}%"

    def content(self) -> dict:
        return {"learner": self.learner, "name": self.name, "course_title": self.course_title,
                "version": self.version, "law_date": self.law_date, "issued": self.issued,
                "pass_mark": self.pass_mark, "points_offered": self.points_offered,
                "scores": [[s.exercise, s.total, s.max] for s in self.scores]}

    @classmethod
    def from_content(cls, c: dict) -> "Record":
        return cls(c["learner"], c["name"], c["course_title"], c["version"], c["law_date"], c["issued"],
                   float(c["pass_mark"]), tuple(Score(e, float(t), float(m)) for e, t, m in c["scores"]),
                   float(c["points_offered"]))


@dataclass(frozen=True)
class Standing:
    learner: str
    record: Record | None      # None: not (yet) issued
    why_not: str = ""


# --- the gradebook ------------------------------------------------------------------------

def read_gradebook(folder: ResultsFolder) -> list[dict]:
    """The gradebook's rows; learner ids exactly as written (two ids that differ only in spaces
    are two learners)."""
    path = folder.path(GRADEBOOK)
    raw = folder.read(GRADEBOOK)
    if raw is None:
        raise RecordError(f"{printable(path)}: cannot be read (no gradebook, or not a plain file); run dmst grade "
                          "first")
    try:
        columns, rows = read_rows(raw, path)
    except CsvError as exc:
        raise RecordError(f"{exc} (is it a gradebook dmst grade wrote?)") from None
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise RecordError(f"{printable(path)}: missing column(s) {', '.join(missing)}; a gradebook has "
                          f"{', '.join(REQUIRED)}")
    problems = []
    for row in rows:
        for name in ("learner", "exercise"):
            row[name] = row.get(name) or ""
        for name in ("total", "max"):
            try:
                row[name] = float(row[name] or 0)
            except ValueError:
                problems.append(f"{printable(path)}: row {row['_row']}, column {name}: "
                                f"{printable(repr(row[name][:40]))} is not a number")
    if problems:
        raise RecordError("\n".join(problems))
    return rows


def awaiting_grader(row: dict) -> bool:
    return bool((row.get("needs_manual_grading") or "").strip()) or "manual" in (row.get("status") or "").lower()


def taken(row: dict) -> bool:
    """Whether a gradebook row is a learner's result for its exercise (not an older copy or a file
    that could not be graded)."""
    if row.get("taken") in ("yes", "no"):
        return row["taken"] == "yes"
    return row.get("status") != NOT_TAKEN and row["max"] > 0


def not_graded(row: dict) -> bool:
    """Whether a gradebook row is a file that was handed in but could not be graded."""
    return not taken(row) and row.get("status") != NOT_TAKEN


def could_not_grade(ungraded: list[dict]) -> str:
    """Why not, for required exercises whose only files could not be graded: each file, and its status."""
    files = []
    for r in ungraded:
        status = r.get("status") or "?"
        words = STATUS_WORDS.get(status, "").removeprefix("not graded: ")
        name = from_spreadsheet((r.get("file") or "").strip()) or "a file"
        files.append(f"{r['exercise']} ({name}: status {status}{', ' + words if words else ''})")
    return (f"handed in {'; '.join(files)}, but {'it' if len(files) == 1 else 'they'} could not be graded: "
            "ask for the file again, grade it, then issue the records again")


def required_exercises(require: str | None, exercises: list[str]) -> list[str]:
    """The exercises a record needs: all of `exercises` (the course's), or those `require` names
    ("ex01,ex03"). RecordError names any unknown id and the allowed ones."""
    if not require:
        return list(exercises)
    wanted = [w.strip() for w in require.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in exercises]
    if unknown or not wanted:
        raise RecordError(f"--require: {', '.join(repr(w) for w in unknown) or 'no exercise'} is not an exercise of "
                          f"this course; the exercises are {', '.join(exercises)}")
    return list(dict.fromkeys(wanted))


def standings(rows: list[dict], law: Law, pass_mark: float, issued: date, names: dict[str, str],
              required: list[str]) -> list[Standing]:
    """Each learner in the gradebook: a Record if they met the pass mark on the required
    exercises, else why not. Each exercise counts its best taken row, out of that row's maximum."""
    course = facts.course(law)
    learners = sorted({r["learner"] for r in rows if r["learner"]})
    usable = [r for r in rows if r["learner"] and r["exercise"] in required and taken(r)]
    out = []
    for learner in learners:
        best: dict[str, dict] = {}
        for r in usable:
            if r["learner"] == learner and (r["exercise"] not in best or r["total"] > best[r["exercise"]]["total"]):
                best[r["exercise"]] = r
        ungraded = [r for ex in required if ex not in best for r in rows
                    if r["learner"] == learner and r["exercise"] == ex and not_graded(r)]
        missing = [ex for ex in required if ex not in best and ex not in {r["exercise"] for r in ungraded}]
        waiting = [ex for ex in required if ex in best and awaiting_grader(best[ex])]
        record = Record(learner, printable(names.get(learner, learner)), course.title, course.version,
                        course.law_date.isoformat(), issued.isoformat(), float(pass_mark),
                        tuple(Score(ex, best[ex]["total"], best[ex]["max"]) for ex in required if ex in best),
                        sum(best[ex]["max"] for ex in required if ex in best))
        reasons = []
        if ungraded:
            reasons.append(could_not_grade(ungraded))
        if missing:
            reasons.append(f"has not handed in {', '.join(missing)}")
        if waiting:
            reasons.append(f"awaiting a grader's manual marks for {', '.join(waiting)}")
        if not missing and not ungraded and record.percent < pass_mark:
            reasons.append(f"{record.percent_text} is below the pass mark of {pass_mark:g}%")
        elif (missing or ungraded) and record.percent < pass_mark:
            reasons.append(f"{record.percent_text} so far, below the pass mark of {pass_mark:g}%")
        out.append(Standing(learner, None, "; ".join(reasons)) if reasons else Standing(learner, record))
    return out


def read_names(path: Path | None) -> dict[str, str]:
    """Optional CSV with columns learner,name: the name to print for each learner id (the id
    exactly as the gradebook has it; an id listed twice is an error, not a silent choice)."""
    if path is None:
        return {}
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_NAMES_FILE + 1)
    except OSError as exc:
        raise RecordError(f"{printable(path)}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_NAMES_FILE:
        raise RecordError(f"{printable(path)}: is larger than a names file can be ({MAX_NAMES_FILE // 2 ** 20} MiB)")
    try:
        columns, rows = read_csv(raw, path, MAX_NAME)
    except CsvError as exc:
        raise RecordError(str(exc)) from None
    if not {"learner", "name"} <= set(columns):
        raise RecordError(f"{printable(path)}: row 1: needs the columns learner and name")
    names: dict[str, str] = {}
    first: dict[str, int] = {}
    problems = []
    for number, row in rows:
        learner, name = from_spreadsheet(row["learner"] or ""), (row["name"] or "").strip()
        if not learner.strip() or not name:
            continue
        if learner in first:
            problems.append(f"{printable(path)}: row {number}, column learner: {printable(repr(learner))} is listed "
                            f"already (row {first[learner]})")
            continue
        first[learner], names[learner] = number, name
    if problems:
        raise RecordError("\n".join(problems))
    return names


# --- writing and verifying ----------------------------------------------------------------

def open_results(results: Path) -> ResultsFolder:
    try:
        return ResultsFolder(results, create=False)
    except ResultsError as exc:
        raise RecordError(printable(exc)) from None


def course_ids(exercises_dir: Path) -> list[str]:
    ids = list(course_exercises(exercises_dir))
    if not ids:
        raise RecordError(f"{printable(exercises_dir)}: holds no exercises (<exercise>/<exercise>.ipynb)")
    return ids


def write_records(results: Path, law: Law, pass_mark: float, issued: date, names: dict[str, str],
                  root: Path = ROOT, require: str | None = None,
                  exercises_dir: Path | None = None) -> list[tuple[Standing, Path | None, str]]:
    """A PDF and a ledger entry per learner who met the pass mark; (standing, pdf, code) for everyone."""
    if not 0 < pass_mark <= 100:
        raise RecordError(f"--pass-mark: {pass_mark:g} is not a percentage between 0 (exclusive) and 100")
    required = required_exercises(require, course_ids(exercises_dir or root / "exercises"))
    with open_results(results) as folder:
        all_standings = standings(read_gradebook(folder), law, pass_mark, issued, names, required)
        key = codes.load_key(folder, create=True)
        about = exercise_descriptions(root)
        pdfs = {}
        for s in all_standings:
            if s.record is not None:
                rel = f"{OUT}/{file_name(s.learner)}.pdf"
                record = kept_record(folder, rel, s.record, key, about, law) or s.record
                code = codes.make_code(record.content(), key)
                pdfs[s.learner] = (record, code, rel, record_pdf(record, code, about, law))
        refuse_to_replace(folder, [(rel, data) for _, _, rel, data in pdfs.values()])
        made = []
        for s in all_standings:
            if s.record is None:
                made.append((s, None, ""))
                continue
            record, code, rel, data = pdfs[s.learner]
            codes.remember(folder, code, record.content())
            folder.write(rel, data)
            made.append((Standing(s.learner, record), folder.path(rel), code))
    return made


def kept_record(folder: ResultsFolder, rel: str, record: Record, key: bytes, about: dict, law: Law) -> Record | None:
    """The record already at `rel`, when it says all that `record` says but on an earlier date issued
    (issuing again on another day keeps it, and its code); None otherwise."""
    old = folder.read(rel)
    if old is None:
        return None
    for entry in codes.issued(folder):
        content = entry["record"]
        if content.get("learner") != record.learner or {**content, "issued": record.issued} != record.content():
            continue
        try:
            earlier = Record.from_content(content)
        except (KeyError, TypeError, ValueError):
            continue
        code = codes.make_code(content, key)
        if entry.get("code") == code and record_pdf(earlier, code, about, law) == old:
            return earlier
    return None


def refuse_to_replace(folder: ResultsFolder, pdfs: list[tuple[str, bytes]]) -> None:
    """RecordError, before anything is written, when a record already issued would be replaced by
    a different one (another requirement, pass mark, name or score); the same record again is fine."""
    changed = [rel for rel, data in pdfs if folder.read(rel) not in (None, data)]
    if changed:
        raise RecordError(
            f"{folder.path(OUT)}: {len(changed)} completion record(s) issued earlier would be replaced by "
            f"different ones: {', '.join(rel.removeprefix(OUT + '/') for rel in changed)}. Nothing was written. "
            f"Those records stay valid (their codes are in {codes.LEDGER}): "
            f"move them out of {folder.path(OUT)} (for example into a folder named after the date they were "
            "issued) and run dmst records again")


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    reason: str
    record: Record | None = None


def verify(results: Path, code: str, law: Law) -> Verdict:
    """Whether `code` is a record issued from `results` that the gradebook still supports."""
    printed = codes.normalise(code)
    with open_results(results) as folder:
        key = codes.load_key(folder)
        entries = [e for e in codes.issued(folder) if e.get("code") == printed]
        if not entries:
            return Verdict(False, f"no record with code {printed} was issued from {printable(results)}")
        rows = read_gradebook(folder)
    for entry in entries:
        content = entry["record"]
        if not codes.authentic(content, printed, key):
            continue
        try:
            record = Record.from_content(content)
        except (KeyError, TypeError, ValueError):
            continue
        required = [s.exercise for s in record.scores]
        now = {s.learner: s for s in standings(rows, law, record.pass_mark, date.fromisoformat(record.issued),
                                               {record.learner: record.name}, required)}
        current = now.get(record.learner)
        if current is None or current.record is None:
            why = current.why_not if current else "the learner is no longer in the gradebook"
            return Verdict(False, f"code {printed} was issued, but the gradebook no longer supports it: {why}", record)
        if current.record.scores != record.scores or current.record.points_offered != record.points_offered:
            return Verdict(False, f"code {printed} was issued, but the gradebook's scores have changed since "
                                  f"{record.issued}: issue the record again", record)
        return Verdict(True, f"code {printed} is genuine: issued on {record.issued} and matching the gradebook", record)
    return Verdict(False, f"the ledger entry for code {printed} has been altered: it does not match its code")


def file_name(learner: str) -> str:
    """The file name of a learner's record (without .pdf): distinct ids never share one."""
    return learner_file(learner)


def exercise_descriptions(root: Path) -> dict[str, tuple[str, str]]:
    """exercise id -> (its title, the modules it covers), read from exercises/ and notebooks/."""
    titles = {m.number: m.short_title for m in map(read_module, module_paths(root / "notebooks"))}
    out = {}
    for path in sorted((root / "exercises").glob("*/*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells[:2] if c.get("cell_type") == "markdown")
        title = re.search(r"^#\s+(.+)$", text, re.M)
        span = re.search(r"\b[Mm]odules?\s+(\d\d)(?:\s*(?:to|through|–|-)\s*(\d\d))?", text)
        number = re.match(r"ex(\d\d)", path.stem)
        first, last = (span.group(1), span.group(2)) if span else ((number.group(1), None) if number else (None, None))
        if last:
            covers = f"Modules {first} to {last}"
        elif first:
            covers = f"Module {first}" + (f" · {titles[first]}" if first in titles else "")
        else:
            covers = ""
        out[path.stem] = (title.group(1).strip() if title else path.stem, covers)
    return out


def _points(x: float) -> str:
    return f"{x:g}"


def record_pdf(record: Record, code: str, about: dict, law: Law) -> bytes:
    law_date = facts.human_date(date.fromisoformat(record.law_date))
    issued = facts.human_date(date.fromisoformat(record.issued))
    pdf = CoursePDF(page_format="Letter", title=f"Record of completion: {record.name}", subject=record.course_title,
                    made_on=date.fromisoformat(record.issued), margin=22,
                    footer_text=f"{record.course_title} · version {record.version} · verification code {code}")
    pdf.add_page()
    pdf.set_y(24)
    pdf.set_font(FONT, "B", 24)
    pdf.cell(0, 12, "Record of completion", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(FONT, "", 12)
    pdf.cell(0, 7, "This records that", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 10, record.name, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 12)
    pdf.multi_cell(0, 7, "completed the following exercises of the course", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 8, record.course_title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(0, 6, f"Version {record.version} · the law as reviewed on {law_date}", align="L",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)

    pdf.set_font(FONT, "", 10.5)
    pdf.set_draw_color(0, 0, 0)
    with pdf.table(col_widths=(44, 40, 16), text_align=("LEFT", "LEFT", "RIGHT"), line_height=6.5,
                   headings_style=FontFace(emphasis="BOLD"), borders_layout="HORIZONTAL_LINES",
                   padding=1.5) as table:
        table.row(["Exercise", "Course modules", "Score"])
        for s in record.scores:
            title, covers = about.get(s.exercise, (s.exercise, ""))
            table.row([title, covers or "—", f"{_points(s.total)} of {_points(s.max)}"])
    pdf.ln(4)
    pdf.paragraph(f"**Overall:** {_points(record.total)} of {_points(record.points_offered)} points "
                  f"({record.percent_text}). The pass mark is {record.pass_mark:g}%.", size=11)
    pdf.paragraph(f"**Date issued:** {issued}", size=11)
    pdf.ln(4)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.6)
    top = pdf.get_y()
    pdf.rect(pdf.l_margin, top, pdf.epw, 25)
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin + 5, top + 4)
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, 6, "Verification code", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin + 5)
    pdf.set_font(FONT, "B", 22)
    pdf.cell(0, 11, code, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(top + 29)
    pdf.paragraph("To confirm that this record is genuine, give the code to the course's grader, who checks it "
                  f"against the gradebook with the command dmst verify {code}, which shows what this record says.",
                  size=9.5)
    pdf.paragraph("The course is training, not legal advice. The scores are from the course's graded exercises.",
                  size=9.5)
    return bytes(pdf.output())
