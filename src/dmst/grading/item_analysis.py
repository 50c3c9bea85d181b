"""Item analysis: which questions a class got right, which ones tell stronger learners from
weaker ones, and the wrong answers learners gave. Computed from the per-file records of the last
complete grading run, with the hand marks merged (taken rows only: one per learner and exercise).

Per exercise and question (`question` is the grade id of its check, as in the gradebook's
columns, such as `q3`):

- `learners`: how many learners have a score for it (a written answer awaiting its hand mark
  has none yet);
- `share_right`: the fraction of them with the question's full points, from 0 to 1;
- `discrimination`: the point-biserial correlation between the question (1 = full points, 0 =
  not) and the rest of that exercise's score (its total without this question):
  r = (M1 − M0) / s · √(p·q), where M1 and M0 are the mean rest scores of the learners with and
  without full points, s the standard deviation of all rest scores (dividing by n), p the share
  right and q = 1 − p. Empty where it is undefined: everyone or no one right, all rest scores
  equal, or fewer than two learners;
- `common_wrong_answers`: up to three of the most frequent answers of learners without full
  points, as they wrote them, with counts ("no answer" counted as such); none for written
  answers, which a person marks. An answer is shown with its form (“True”, but a list as
  [“True”]), and control and bidirectional characters in it as escapes (\\u202e).
"""
from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass, field

from .gradebook import SCORED
from .text import printable, quoted, spreadsheet_text

COLUMNS = ["exercise", "question", "learners", "share_right", "discrimination", "common_wrong_answers"]


@dataclass
class Item:
    exercise: str
    question: str
    label: str
    text: str
    see: str
    kind: str                  # "auto" (a check) or "manual" (a written answer)
    max: float
    learners: int = 0
    share_right: float | None = None
    discrimination: float | None = None
    wrong: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class ExerciseSummary:
    exercise: str
    title: str
    max: float
    totals: list[float]        # one per learner (taken rows), hand marks included
    awaiting: int              # learners with a written answer still awaiting its mark
    items: list[Item]


def analyse(records: list[dict]) -> list[ExerciseSummary]:
    """Per exercise (in id order): its items and the distribution of its totals."""
    by_exercise: dict[str, list[dict]] = {}
    for rec in records:
        if rec["status"] in SCORED and rec["questions"]:
            by_exercise.setdefault(rec["exercise"], []).append(rec)
    out = []
    for exercise, group in sorted(by_exercise.items()):
        first = group[0]
        items = [_item(exercise, q, group) for q in first["questions"]]
        out.append(ExerciseSummary(exercise, first.get("title") or exercise, first["max"],
                                   sorted(r["total"] for r in group), sum(1 for r in group if r["needs_manual"]), items))
    return out


def _item(exercise: str, question: dict, group: list[dict]) -> Item:
    qid = question["id"]
    item = Item(exercise, qid, question.get("label") or qid, question.get("text", ""), question.get("see", ""),
                question["kind"], question["max"])
    scored = []               # (right, rest of the exercise's score)
    wrong = Counter()
    for rec in group:
        q = next((q for q in rec["questions"] if q["id"] == qid), None)
        if q is None or q["points"] is None:
            continue
        right = q["points"] >= q["max"] > 0 or (q["max"] == 0 and q["result"] == "passed")
        scored.append((1.0 if right else 0.0, rec["total"] - q["points"]))
        if not right and q["kind"] == "auto":
            wrong[_as_written(q)] += 1
    item.learners = len(scored)
    if scored:
        item.share_right = sum(r for r, _ in scored) / len(scored)
        item.discrimination = point_biserial(scored)
    item.wrong = sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return item


def _as_written(q: dict) -> str:
    """The answer with its form (a list shown as a list: [“True”], never as “True”), on one line
    with control and bidirectional characters escaped; "no answer" where there was none."""
    answer = (q.get("answer") or "").strip()
    if q["result"] in ("no_response", "not_run") or not answer or answer.startswith(("(no answer", "(not reached")):
        return "no answer"
    return printable(q.get("form") or quoted(answer))          # a record from before forms were kept


def point_biserial(pairs: list[tuple[float, float]]) -> float | None:
    """r between a 0/1 variable and a score, from (0 or 1, score) pairs; None where undefined."""
    n = len(pairs)
    if n < 2:
        return None
    ones = [s for r, s in pairs if r == 1.0]
    zeros = [s for r, s in pairs if r != 1.0]
    if not ones or not zeros:
        return None
    mean = sum(s for _, s in pairs) / n
    sd = math.sqrt(sum((s - mean) ** 2 for _, s in pairs) / n)
    if sd == 0:
        return None
    p = len(ones) / n
    return (sum(ones) / len(ones) - sum(zeros) / len(zeros)) / sd * math.sqrt(p * (1 - p))


def wrong_text(wrong: list[tuple[str, int]]) -> str:
    """Common wrong answers for a cell or a page: “15” (3); no answer (2)."""
    return "; ".join(f"{answer} ({count})" for answer, count in wrong)


def csv_text(summaries: list[ExerciseSummary]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for summary in summaries:
        for item in summary.items:
            writer.writerow([spreadsheet_text(item.exercise), spreadsheet_text(item.question), item.learners,
                             "" if item.share_right is None else f"{item.share_right:.3f}",
                             "" if item.discrimination is None else f"{item.discrimination:.3f}",
                             spreadsheet_text(wrong_text(item.wrong))])
    return out.getvalue()
