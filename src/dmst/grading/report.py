"""Write grading results: one JSON record per submission, the gradebook CSV, feedback HTML.

Every file is written whole to a temporary name and then renamed, so a crash never leaves
half a file; and nothing written depends on the clock, so grading twice gives the same bytes.
Feedback shows each question's result and hint (the message a check fails with), never the
code of a test.
"""
from __future__ import annotations

import html
import json
import os
import re
import hashlib
from pathlib import Path

import pandas as pd

from .. import DISCLAIMER

FIXED_COLUMNS = ["learner", "exercise", "status", "total", "max", "needs_manual_grading", "notes", "file"]
RESULT_WORDS = {"passed": "passed", "partial": "partly right", "failed": "not yet", "not_run": "not run",
                "no_response": "no answer", "needs_manual": "awaiting grader", "not_graded": "not graded"}


def safe_name(text: str) -> str:
    """A file-name-safe form of a learner or exercise name (distinct names stay distinct)."""
    clean = re.sub(r"[^A-Za-z0-9._-]", "_", text).strip(".") or "_"
    if clean != text:
        clean += "-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return clean


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def record_text(record: dict) -> str:
    return json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def gradebook(records: list[dict], question_ids: dict[str, list[str]]) -> pd.DataFrame:
    """One row per learner x exercise; a `<exercise>:<question>` column per question."""
    columns = FIXED_COLUMNS + [f"{ex}:{q}" for ex in sorted(question_ids) for q in question_ids[ex]]
    rows = []
    for rec in sorted(records, key=lambda r: (r["learner"], r["exercise"], r["file"])):
        row = {"learner": rec["learner"], "exercise": rec["exercise"], "status": rec["status"],
               "total": rec["total"], "max": rec["max"],
               "needs_manual_grading": " ".join(rec["needs_manual"]), "notes": " | ".join(rec["notes"]),
               "file": rec["file"]}
        for q in rec["questions"]:
            row[f"{rec['exercise']}:{q['id']}"] = q["points"]
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def gradebook_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, float_format="%.10g", lineterminator="\n")


def summary(frame: pd.DataFrame) -> str:
    """A short table per exercise: how many, mean score, statuses, how many await a grader."""
    if frame.empty:
        return "No submissions found."
    rows = []
    for exercise, group in frame.groupby("exercise", sort=True):
        statuses = group["status"].value_counts().sort_index()
        rows.append({"exercise": exercise or "(unknown)", "submissions": len(group),
                     "mean score": f"{group['total'].mean():.2f} / {group['max'].max():g}",
                     "to grade by hand": int((group["needs_manual_grading"] != "").sum()),
                     "statuses": ", ".join(f"{k} {v}" for k, v in statuses.items())})
    return pd.DataFrame(rows).to_string(index=False)


def feedback_html(learner: str, records: list[dict]) -> str:
    e = html.escape
    parts = [f"<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Feedback for {e(learner)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
             "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3em .5em;text-align:left}"
             "th{background:#eee}.note{color:#333;background:#fff8e0;padding:.5em}</style></head>\n<body>",
             f"<h1>Feedback for {e(learner)}</h1>",
             f"<p>{e(DISCLAIMER)}</p>",
             "<p>Scores are automatic; answers marked \"awaiting grader\" are read by a person, "
             "who may change the total.</p>"]
    for rec in sorted(records, key=lambda r: (r["exercise"], r["file"])):
        parts.append(f"<h2>{e(rec['exercise'] or rec['file'])}: {rec['total']:g} of {rec['max']:g} points</h2>")
        parts.append(f"<p>Status: <strong>{e(rec['status'])}</strong> (file {e(rec['file'])})</p>")
        for note in rec["notes"]:
            parts.append(f"<p class=\"note\">{e(note)}</p>")
        if rec["questions"]:
            parts.append("<table><thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Points</th>"
                         "<th scope=\"col\">Result</th><th scope=\"col\">Hint</th></tr></thead><tbody>")
            for q in rec["questions"]:
                points = "&ndash;" if q["points"] is None else f"{q['points']:g}"
                parts.append(f"<tr><td>{e(q['id'])}</td><td>{points} / {q['max']:g}</td>"
                             f"<td>{e(RESULT_WORDS.get(q['result'], q['result']))}</td><td>{e(q['hint'])}</td></tr>")
            parts.append("</tbody></table>")
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)
