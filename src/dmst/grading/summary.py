"""What `dmst grade` and `dmst marks` print: a summary a person can read.

A first line counts the files by what happened ("12 files: 10 graded, 1 crashed, 1 could not be
graded"); a table gives, per exercise (by its title), the files graded, what happened to them,
the mean of the automatic points (hand marks left out, so exercises compare before marking is
done) and how many still await a hand mark; then every file that could not be graded and why,
the older copies not taken, learner ids that look alike (learners.py), and what was skipped.
Every name a learner chose is shown through `printable`: one line per file, control characters
as escapes.
"""
from __future__ import annotations

from collections import Counter

from .gradebook import NOT_TAKEN, SCORED, STATUS_SHORT
from .learners import lookalike_lines
from .text import printable


def summary(records: list[dict], skipped: list[str]) -> str:
    if not records:
        return "No submissions found." + _skipped(skipped)
    statuses = Counter(r["status"] for r in records)
    failed = [r for r in records if r["status"] not in SCORED and r["status"] != NOT_TAKEN]
    counts = [f"{statuses[s]} {STATUS_SHORT[s]}" for s in (*SCORED, NOT_TAKEN) if statuses[s]]
    if failed:
        counts.append(f"{len(failed)} could not be graded")
    lines = [f"{len(records)} file{'s' if len(records) != 1 else ''}: {', '.join(counts)}."]
    taken = [r for r in records if r["status"] in SCORED]
    if taken:
        lines += ["", *_table(taken)]
    else:
        lines += ["", "No file could be graded."]
    if failed:
        lines.append(f"\nCould not be graded ({len(failed)} file{'s' if len(failed) != 1 else ''}):")
        lines += [f"  {printable(r['file'])}: {r['status']}: {printable(' | '.join(r['notes']))}" for r in failed]
    older = [r for r in records if r["status"] == NOT_TAKEN]
    if older:
        lines.append(f"\nNot taken ({len(older)} older cop{'ies' if len(older) != 1 else 'y'}; a newer copy was graded):")
        lines += [f"  {printable(r['file'])}: {printable(' | '.join(r['notes']))}" for r in older]
    alike = lookalike_lines(r["learner"] for r in records)
    if alike:
        lines.append("\nLearner ids that look alike (each is graded as a learner of its own):")
        lines += [f"  {line}" for line in alike]
    return "\n".join(lines) + _skipped(skipped)


def _table(taken: list[dict]) -> list[str]:
    rows = [("Exercise", "Files", "What happened", "Automatic points (mean)", "Await a hand mark")]
    by_exercise: dict[str, list[dict]] = {}
    for rec in taken:
        by_exercise.setdefault(rec["exercise"], []).append(rec)
    for exercise, group in sorted(by_exercise.items()):
        auto_max = max(sum(q["max"] for q in r["questions"] if q["kind"] == "auto") for r in group)
        mean = sum(_auto(r) for r in group) / len(group)
        happened = Counter(r["status"] for r in group)
        rows.append((printable(group[0].get("title") or exercise), str(len(group)),
                     ", ".join(f"{n} {STATUS_SHORT[s]}" for s, n in sorted(happened.items())),
                     f"{mean:.1f} of {auto_max:g}", str(sum(1 for r in group if r["needs_manual"]))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) if i in (0, 2) else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
            .rstrip() for row in rows]


def _auto(rec: dict) -> float:
    return sum(q["points"] or 0.0 for q in rec["questions"] if q["kind"] == "auto")


def _skipped(skipped: list[str]) -> str:
    if not skipped:
        return ""
    shown = ", ".join(printable(s) for s in skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
    return f"\nSkipped (hidden or linked): {shown}"
