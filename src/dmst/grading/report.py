"""Write grading results: one JSON record per file, the gradebook CSV, feedback HTML, the summary.

Every file is written whole to a temporary name and then renamed, so a crash never leaves
half a file; and nothing written depends on the clock, so grading twice gives the same bytes.
Text that came from a submission (names, answers, messages) is made safe before it is
written: a lone surrogate or a control character is escaped, never fatal; HTML is escaped.
Feedback shows each question's result and hint (the message a check fails with), never the
code of a test.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
from pathlib import Path

import pandas as pd

from .. import DISCLAIMER
from .checks import question_label

GRADEBOOK = "gradebook.csv"
FIXED_COLUMNS = ["learner", "exercise", "status", "total", "max", "needs_manual_grading", "taken", "hand_marks",
                 "notes", "file"]
# Statuses of a file that was run and scored; every other status but "not_taken" means the file
# could not be graded, and `dmst grade` exits 1.
SCORED = ("graded", "restored", "cell_timeout", "notebook_timeout", "crashed", "output_limit")
NOT_TAKEN = "not_taken"
STATUS_WORDS = {
    "graded": "graded",
    "restored": "graded, with the exercise's own cells put back where they had been changed or deleted",
    "cell_timeout": "graded; a cell ran past its time limit",
    "notebook_timeout": "graded up to where the notebook ran out of time",
    "crashed": "graded up to where the notebook stopped",
    "output_limit": "graded up to where the notebook sent the grader too much",
    "not_taken": "not graded: another copy of this exercise was graded",
    "not_a_notebook": "not graded: not a notebook",
    "symlink": "not graded: a link to another file",
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
RESULT_WORDS = {"passed": "passed", "partial": "partly right", "failed": "not yet", "not_run": "not run",
                "no_response": "no answer", "needs_manual": "awaiting grader", "marked": "marked by your instructor"}
FORMULA = tuple("=+-@\t\r")           # first characters a spreadsheet reads as a formula
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_text(text: str) -> str:
    """`text` with lone surrogates and control characters (but newline and tab) escaped."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def safe_data(value):
    """`value` (a record) with every string in it made safe (see safe_text)."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [safe_data(v) for v in value]
    if isinstance(value, dict):
        return {safe_text(k): safe_data(v) for k, v in value.items()}
    return value


def safe_name(text: str) -> str:
    """A file-name-safe form of a learner or exercise name (distinct names stay distinct)."""
    text = safe_text(text)
    clean = re.sub(r"[^A-Za-z0-9._-]", "_", text).strip(".") or "_"
    if clean != text:
        clean += "-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return clean


def write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write `text` whole, or not at all; an unchanged file is left untouched."""
    data = text.encode(encoding)
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def record_text(record: dict) -> str:
    return json.dumps(safe_data(record), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


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


def gradebook(records: list[dict]) -> pd.DataFrame:
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
               "notes": " | ".join(rec["notes"]), "file": rec["file"]}
        for q in rec["questions"]:
            row[f"{rec['exercise']}:{q['id']}"] = q["points"]
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def gradebook_csv(frame: pd.DataFrame) -> str:
    """The gradebook as CSV; text a spreadsheet would take for a formula gets a leading apostrophe."""
    text = frame.copy()
    for column in ("learner", "exercise", "notes", "file"):
        text[column] = text[column].map(spreadsheet_text)
    return text.to_csv(index=False, float_format="%.10g", lineterminator="\n")


def spreadsheet_text(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows as text: "=..." (or +, -, @) gets a leading apostrophe."""
    return "'" + text if isinstance(text, str) and text.startswith(FORMULA) else text


def summary(frame: pd.DataFrame, skipped: list[str]) -> str:
    """Per exercise: how many, mean score, statuses, how many await a grader; then every file
    that was not graded, and why."""
    if frame.empty:
        return "No submissions found." + _skipped(skipped)
    taken = frame[frame["taken"] == "yes"]
    rows = []
    for exercise, group in taken.groupby("exercise", sort=True):
        statuses = group["status"].value_counts().sort_index()
        rows.append({"exercise": exercise, "graded": len(group),
                     "mean score": f"{group['total'].mean():.2f} / {group['max'].max():g}",
                     "to mark by hand": int((group["needs_manual_grading"] != "").sum()),
                     "statuses": ", ".join(f"{k} {v}" for k, v in statuses.items())})
    parts = [pd.DataFrame(rows).to_string(index=False) if rows else "No file could be graded."]
    failed = frame[(frame["taken"] == "no") & (frame["status"] != NOT_TAKEN)]
    if len(failed):
        parts.append(f"\nCould not be graded ({len(failed)} file{'s' if len(failed) != 1 else ''}):")
        parts += [f"  {r.file}: {r.status}: {r.notes}" for r in failed.itertuples()]
    older = frame[frame["status"] == NOT_TAKEN]
    if len(older):
        parts.append(f"\nNot taken ({len(older)} older cop{'ies' if len(older) != 1 else 'y'}; a newer copy was graded):")
        parts += [f"  {r.file}: {r.notes}" for r in older.itertuples()]
    return "\n".join(parts) + _skipped(skipped)


def _skipped(skipped: list[str]) -> str:
    if not skipped:
        return ""
    shown = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
    return f"\nSkipped (hidden or linked): {shown}"


def feedback_html(learner: str, records: list[dict]) -> str:
    e = html.escape
    parts = [f"<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Feedback for {e(learner)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
             "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3em .5em;text-align:left;"
             "vertical-align:top}th{background:#eee}td{white-space:pre-line}.note{color:#333;background:#fff8e0;"
             "padding:.5em}</style></head>\n<body>",
             f"<h1>Feedback for {e(learner)}</h1>",
             f"<p>{e(DISCLAIMER)}</p>",
             "<p>Scores are automatic; answers marked \"awaiting grader\" are read by a person, "
             "who may change the total.</p>"]
    for rec in sorted(records, key=lambda r: (r["exercise"], r["file"])):
        heading = e(rec["exercise"] or rec["file"])
        if rec["status"] in SCORED:
            heading += f": {rec['total']:g} of {rec['max']:g} points"
        parts.append(f"<h2>{heading}</h2>")
        parts.append(f"<p>{e(STATUS_WORDS.get(rec['status'], rec['status']))} (file {e(rec['file'])})</p>")
        for note in rec["notes"]:
            parts.append(f"<p class=\"note\">{e(note)}</p>")
        if rec["status"] in SCORED and rec["questions"]:
            parts.append("<table><thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Points</th>"
                         "<th scope=\"col\">Result</th><th scope=\"col\">Hint</th></tr></thead><tbody>")
            for q in rec["questions"]:
                points = "&ndash;" if q["points"] is None else f"{q['points']:g}"
                hint = (q.get("comment") or "") if q["result"] == "marked" else q["hint"]
                parts.append(f"<tr><td>{e(question_label(q['id']))}</td><td>{points} / {q['max']:g}</td>"
                             f"<td>{e(RESULT_WORDS.get(q['result'], q['result']))}</td><td>{e(hint)}</td></tr>")
            parts.append("</tbody></table>")
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


def write_outputs(out_dir: Path, records: list[dict], marks: dict) -> pd.DataFrame:
    """The gradebook and every learner's feedback, from the records and the hand marks."""
    marked = [with_marks(r, marks) for r in records]
    by_learner: dict[str, list[dict]] = {}
    for rec in marked:
        by_learner.setdefault(rec["learner"], []).append(rec)
    for learner, recs in by_learner.items():
        write_atomic(out_dir / "feedback" / f"{safe_name(learner or 'unknown')}.html", feedback_html(learner, recs))
    remove_stale(out_dir / "feedback", {f"{safe_name(l or 'unknown')}.html" for l in by_learner})
    frame = gradebook(marked)
    write_atomic(out_dir / GRADEBOOK, gradebook_csv(frame))
    return frame


def remove_stale(folder: Path, keep: set[str]) -> None:
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.name not in keep:
                path.unlink()


def load_records(out_dir: Path) -> list[dict]:
    """Every record written by `dmst grade` in `out_dir/results`."""
    records = []
    for path in sorted((Path(out_dir) / "results").glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and "id" in record:
            records.append(record)
    return records
