"""`dmst grade`: grade a folder of returned exercise notebooks into a results folder.

RESULTS/
  gradebook.csv                one row per learner x exercise (see report.gradebook)
  feedback/<learner>.html      what each learner may see: results and hints, no test code
  results/<learner>__<exercise>.json   one record per submission, written the moment it is graded

Each submission runs in its own sandboxed process (sandbox.py), up to `jobs` at a time. A
record is kept and reused while the submission, the exercise and the limits are unchanged,
so a run that was killed picks up where it stopped and a second run rewrites the same bytes.
The submissions folder is only ever read.
"""
from __future__ import annotations

import hashlib
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from . import report
from .collect import Submission, collect
from .sandbox import detect
from .score import ExerciseError, Key, grade_cell, load_key, matches, plan

PROJECT = Path(__file__).resolve().parents[3]
RECORD_VERSION = 1
MAX_OUTPUT = 1_000_000        # characters of output kept from one submission
CSV_EVERY = 2.0               # seconds between gradebook rewrites while grading


class GradingError(Exception):
    """The command cannot run as asked (missing folder, no exercises)."""


def load_keys(solutions_dir: Path, release_dir: Path) -> dict[str, Key]:
    keys = {}
    for folder in sorted(Path(release_dir).iterdir()) if Path(release_dir).is_dir() else []:
        if (folder / f"{folder.name}.ipynb").is_file():
            try:
                keys[folder.name] = load_key(folder.name, solutions_dir, release_dir)
            except ExerciseError as exc:
                raise GradingError(str(exc)) from exc
    if not keys:
        raise GradingError(f"no exercises found in {release_dir} (expected <exercise>/<exercise>.ipynb)")
    return keys


def grade(submissions_dir, out_dir, exercises_dir=None, solutions_dir=None, jobs: int = 2,
          timeout_cell: float = 30, timeout_notebook: float = 120, progress: bool = True,
          out=sys.stdout, err=sys.stderr):
    """Grade every submission; returns the gradebook DataFrame."""
    submissions_dir, out_dir = Path(submissions_dir).resolve(), Path(out_dir).resolve()
    release_dir = Path(exercises_dir or PROJECT / "exercises").resolve()
    solutions_dir = Path(solutions_dir or PROJECT / "solutions").resolve()
    if not submissions_dir.is_dir():
        raise GradingError(f"{submissions_dir}: no such folder")
    if out_dir == submissions_dir or submissions_dir in out_dir.parents:
        raise GradingError("the results folder must be outside the submissions folder (which is never modified)")
    keys = load_keys(solutions_dir, release_dir)
    sandbox, warning = detect(forbidden=(submissions_dir, out_dir, solutions_dir))
    if warning:
        print(warning, file=err, flush=True)
    settings = {"timeout_cell": timeout_cell, "timeout_notebook": timeout_notebook, "max_output": MAX_OUTPUT,
                "sandboxed": sandbox.sandboxed, "version": RECORD_VERSION}
    subs = collect(submissions_dir)
    results_dir = out_dir / "results"
    records: dict[str, dict] = {}
    todo: list[tuple[str, Submission, str]] = []
    for sub in subs:
        name = _record_name(sub)
        fingerprint = _fingerprint(sub, keys, settings)
        old = _read_record(results_dir / name)
        if old is not None and old.get("fingerprint") == fingerprint:
            records[name] = old
        else:
            todo.append((name, sub, fingerprint))
    _remove_stale(results_dir, set(records) | {n for n, _, _ in todo})

    question_ids = {ex: [q.grade_id for q in k.questions] for ex, k in keys.items()}
    by_learner: dict[str, list[str]] = {}
    for sub in subs:
        by_learner.setdefault(sub.learner, []).append(_record_name(sub))
    last_csv = time.monotonic()
    bar = tqdm(total=len(subs), initial=len(records), desc="grading", unit="notebook", file=err,
               disable=not progress, dynamic_ncols=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(grade_one, sub, keys, sandbox, settings): (name, sub, fp) for name, sub, fp in todo}
        for future in as_completed(futures):
            name, sub, fp = futures[future]
            record = {**future.result(), "fingerprint": fp}
            report.write_atomic(results_dir / name, report.record_text(record))
            records[name] = record
            _write_feedback(out_dir, sub.learner, [records[n] for n in by_learner[sub.learner] if n in records])
            bar.update(1)
            if time.monotonic() - last_csv > CSV_EVERY:
                _write_gradebook(out_dir, list(records.values()), question_ids)
                last_csv = time.monotonic()
    bar.close()
    for learner, names in by_learner.items():
        _write_feedback(out_dir, learner, [records[n] for n in names])
    _remove_stale(out_dir / "feedback", {report.safe_name(l) + ".html" for l in by_learner})
    frame = _write_gradebook(out_dir, list(records.values()), question_ids)
    print(report.summary(frame), file=out)
    print(f"\nGradebook: {out_dir / 'gradebook.csv'}\nFeedback:  {out_dir / 'feedback'}", file=out, flush=True)
    return frame


def grade_one(sub: Submission, keys: dict[str, Key], sandbox, settings: dict) -> dict:
    """Grade one submission; never raises for anything the submission contains."""
    key = keys.get(sub.exercise)
    base = {"learner": sub.learner, "exercise": sub.exercise, "file": sub.file}
    if sub.problem:
        return _ungraded(base, key, "unrecognised_file", sub.problem)
    if key is None:
        return _ungraded(base, None, "unknown_exercise", f"there is no exercise named {sub.exercise!r}")
    raw = sub.path.read_bytes()
    if not raw.strip():
        return _ungraded(base, key, "empty_file", "the file is empty")
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return _ungraded(base, key, "invalid_notebook", f"the file is not a notebook: not valid JSON ({exc})")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return _ungraded(base, key, "invalid_notebook", "the file is JSON but not a notebook (no list of cells)")
    if not matches(nb, key):
        others = [ex for ex, k in keys.items() if ex != sub.exercise and matches(nb, k)]
        why = (f"this notebook is exercise {others[0]!r}, not {sub.exercise!r}" if others
               else f"this notebook holds none of the cells of exercise {sub.exercise!r}")
        return _ungraded(base, key, "wrong_exercise", why)
    the_plan = plan(nb, key)
    code = [i for i, c in enumerate(the_plan.cells) if c.cell_type == "code"]
    run = sandbox.run([the_plan.cells[i].source for i in code], settings["timeout_cell"],
                      settings["timeout_notebook"], settings["max_output"])
    position = {cell_index: n for n, cell_index in enumerate(code)}
    questions = {}
    for i, cell in enumerate(the_plan.cells):
        if cell.key is None or not cell.key.grade:
            continue
        n = position.get(i)
        ran = n is not None and n < len(run.cells)
        questions[cell.key.grade_id] = grade_cell(cell, run.cells[n]["outputs"] if ran else None, ran)
    notes = list(the_plan.notes)
    timed_out = [the_plan.cells[code[c["i"]]].key for c in run.cells if c.get("timed_out")]
    if timed_out:
        notes.append(f"{len(timed_out)} cell(s) ran past the {settings['timeout_cell']:g}-second limit per cell")
    truncated = run.killed == "output_limit" or any(c.get("truncated") for c in run.cells)
    if truncated:
        notes.append("the notebook printed too much: output was cut off")
    if run.killed == "notebook_timeout":
        status = "notebook_timeout"
        notes.append(f"the notebook ran past the {settings['timeout_notebook']:g}-second limit and was stopped")
    elif not run.finished:
        status = "crashed"
        notes.append(f"the notebook's process ended early (exit code {run.exit_code}); checks that did not run score 0")
    elif truncated:
        status = "output_limit"
    elif timed_out:
        status = "cell_timeout"
    elif the_plan.restored:
        status = "restored"
    else:
        status = "graded"
    return _record(base, key, status, notes, questions)


def _ungraded(base: dict, key: Key | None, status: str, note: str) -> dict:
    questions = {}
    for q in key.questions if key else []:
        questions[q.grade_id] = {"id": q.grade_id, "max": q.points, "kind": q.kind, "hidden": q.hidden,
                                 "points": 0.0, "result": "not_graded", "hint": "Not graded: see the note above."}
    return _record(base, key, status, [note], questions)


def _record(base: dict, key: Key | None, status: str, notes: list[str], questions: dict) -> dict:
    ordered = [questions[q.grade_id] for q in key.questions] if key else []
    total = sum(q["points"] or 0.0 for q in ordered)
    return {**base, "status": status, "notes": notes, "questions": ordered, "total": total,
            "max": key.max_points if key else 0.0,
            "needs_manual": [q["id"] for q in ordered if q["result"] == "needs_manual"]}


def _record_name(sub: Submission) -> str:
    name = f"{report.safe_name(sub.learner)}__{report.safe_name(sub.exercise or 'unknown')}"
    if sub.problem or not sub.exercise:  # one record per file, whatever it is called
        name += "__" + hashlib.sha256(sub.file.encode("utf-8")).hexdigest()[:10]
    return name + ".json"


def _fingerprint(sub: Submission, keys: dict[str, Key], settings: dict) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({**settings, "file": sub.file, "problem": sub.problem,
                         "keys": {ex: k.digest for ex, k in sorted(keys.items())}}, sort_keys=True).encode())
    if not sub.path.is_symlink():
        h.update(sub.path.read_bytes())
    return h.hexdigest()


def _read_record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _remove_stale(folder: Path, keep: set[str]) -> None:
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.name not in keep:
                path.unlink()


def _write_feedback(out_dir: Path, learner: str, records: list[dict]) -> None:
    report.write_atomic(out_dir / "feedback" / f"{report.safe_name(learner)}.html",
                        report.feedback_html(learner, records))


def _write_gradebook(out_dir: Path, records: list[dict], question_ids: dict[str, list[str]]):
    frame = report.gradebook(records, question_ids)
    report.write_atomic(out_dir / "gradebook.csv", report.gradebook_csv(frame))
    return frame
