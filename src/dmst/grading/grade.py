"""`dmst grade`: grade a folder of returned exercise notebooks into a results folder.

RESULTS/
  gradebook.csv                one row per file handed in (see report.gradebook and the README)
  manual-marking.csv           the written answers for a person to mark (see marks.py)
  feedback/<learner>.html      what each learner may see: results and hints, no test code
  results/<learner>__<exercise>[__<hash>].json   one record per file, written the moment it is graded

For each file: read it (collect.py), find which exercise it is (the notebook's own metadata,
`metadata.dmst.exercise`, checked against the name it was handed in under), keep the newest
copy when a learner handed in one exercise more than once, then run the learner's cells in
the sandbox (sandbox.py), take the answers out as data where each test cell stood, and score
them in the checker (checker.py), a separate interpreter no learner code touched. Up to
`jobs` files run at a time. A record is kept and reused while the file, the exercise and
the limits are unchanged, so a run that was killed picks up where it stopped and a second
run rewrites the same bytes. The submissions folder is only ever read. Nothing in a
submission stops the run: every file gets a row whose status says what happened.
"""
from __future__ import annotations

import hashlib
import json
import re
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import report
from .checker import Checker, CheckerError
from .checks import question_label
from .collect import Found, collect
from .marks import sheet_marks
from .sandbox import GRACE, MESSAGE_BYTES, TOTAL_BYTES, Run, detect
from .score import ExerciseError, Key, grade_cell, is_test, learner_steps, load_key, matches, plan

PROJECT = Path(__file__).resolve().parents[3]
RECORD_VERSION = 2
CSV_EVERY = 2.0               # seconds between gradebook rewrites while grading


class GradingError(Exception):
    """The command cannot run as asked (missing folder, no exercises)."""


@dataclass
class Candidate:
    """One file handed in, read and identified: graded if `status` stays None."""
    found: Found
    exercise: str
    status: str | None = None
    notes: list[str] = field(default_factory=list)
    nb: dict | None = None
    digest: str = ""

    @property
    def learner(self) -> str:
        return self.found.learner


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
          timeout_cell: float = 30, timeout_notebook: float | None = None, progress: bool = True,
          out=sys.stdout, err=sys.stderr):
    """Grade every file; returns the gradebook DataFrame. `timeout_notebook` None scales the
    limit to the exercise: `timeout_cell` for each code cell of its release."""
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
    settings = {"timeout_cell": timeout_cell, "timeout_notebook": timeout_notebook, "sandboxed": sandbox.sandboxed,
                "version": RECORD_VERSION}
    found, skipped = collect(submissions_dir)
    candidates = keep_newest([identify(f, keys) for f in found])
    names = record_names(candidates)
    results_dir = out_dir / "results"
    records: dict[str, dict] = {}
    todo = []
    for cand in candidates:
        rid = names[id(cand)]
        if cand.status is not None:
            records[rid] = report.safe_data(_record(rid, cand, keys.get(cand.exercise), cand.status, cand.notes, {}))
            continue
        fingerprint = _fingerprint(cand, keys[cand.exercise], settings)
        old = _read_record(results_dir / f"{rid}.json")
        if old is not None and old.get("fingerprint") == fingerprint:
            records[rid] = old
        else:
            todo.append((rid, cand, fingerprint))
    for rid, record in records.items():
        report.write_atomic(results_dir / f"{rid}.json", report.record_text(record))
    report.remove_stale(results_dir, {f"{rid}.json" for rid in names.values()})

    checker = Checker()
    last_csv = time.monotonic()
    bar = tqdm(total=len(candidates), initial=len(records), desc="grading", unit="file", file=err,
               disable=not progress, dynamic_ncols=True)
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(grade_one, rid, cand, keys[cand.exercise], sandbox, checker, settings): (rid, fp)
                       for rid, cand, fp in todo}
            for future in as_completed(futures):
                rid, fp = futures[future]
                record = report.safe_data({**future.result(), "fingerprint": fp})
                report.write_atomic(results_dir / f"{rid}.json", report.record_text(record))
                records[rid] = record
                bar.update(1)
                if time.monotonic() - last_csv > CSV_EVERY:
                    report.write_atomic(out_dir / report.GRADEBOOK,
                                        report.gradebook_csv(report.gradebook(list(records.values()))))
                    last_csv = time.monotonic()
    finally:
        checker.close()
        bar.close()
    ordered = [records[names[id(c)]] for c in candidates]
    marks = sheet_marks(out_dir, ordered, err=err)
    frame = report.write_outputs(out_dir, ordered, marks)
    print(report.summary(frame, skipped), file=out)
    print(f"\nGradebook: {out_dir / report.GRADEBOOK}\nTo mark by hand: {out_dir / 'manual-marking.csv'}"
          f"\nFeedback:  {out_dir / 'feedback'}", file=out, flush=True)
    return frame


def identify(f: Found, keys: dict[str, Key]) -> Candidate:
    """Read a file and decide which exercise it is; sets a status if it cannot be graded."""
    claimed = f.claimed if f.claimed in keys else None
    cand = Candidate(f, claimed or f.claimed or "")
    if f.status:
        return _fail(cand, f.status, f.problem)
    try:
        raw = f.path.read_bytes()
    except OSError as exc:
        return _fail(cand, "unreadable", f"the file cannot be read ({exc.strerror})")
    if not raw.strip():
        return _fail(cand, "empty_file", "the file is empty")
    cand.digest = hashlib.sha256(raw).hexdigest()
    nb, problem, upgraded = read_notebook(raw)
    if problem:
        return _fail(cand, "invalid_notebook", problem)
    if upgraded:
        cand.notes.append("the notebook was in an old format (3) and was upgraded to format 4")
    meta = nb.get("metadata")
    dmst_meta = meta.get("dmst") if isinstance(meta, dict) else None
    said = dmst_meta.get("exercise") if isinstance(dmst_meta, dict) else None
    if said is not None:
        said = str(said)
        if said not in keys:
            return _fail(cand, "unknown_exercise", f"the notebook says it is exercise {said!r}, which this course does not have")
        if claimed and claimed != said:
            cand.exercise = claimed
            return _fail(cand, "wrong_exercise", f"this notebook is exercise {said} (the notebook says so) "
                                                 f"but it was handed in as {claimed}")
        if f.claimed and f.claimed != said:
            cand.notes.append(f"its name ({f.claimed}) names no exercise; the notebook says it is {said}")
        cand.exercise = said
        return _with_cells(cand, nb, keys[said])
    if claimed is None:
        if f.claimed and f.explicit:
            return _fail(cand, "unknown_exercise", f"there is no exercise named {f.claimed!r}, and the notebook "
                                                   "does not say which exercise it is")
        return _fail(cand, "unrecognised_file", "neither its name nor the notebook says which exercise it is")
    cand.notes.append(f"the notebook does not say which exercise it is: graded as {claimed}, as its name says")
    return _with_cells(cand, nb, keys[claimed])


def _with_cells(cand: Candidate, nb: dict, key: Key) -> Candidate:
    """The candidate to grade, unless the notebook lost the metadata of every graded cell."""
    if not matches(nb, key):
        cand.notes.clear()
        return _fail(cand, "missing_metadata", f"the notebook holds none of the graded cells of {key.exercise}: its "
                     "grading information was removed (by a tool that drops cell metadata, or answers copied into a "
                     "new notebook); ask for the exercise to be downloaded again and the answers copied into it, or "
                     "mark it by hand")
    cand.nb = nb
    return cand


def _fail(cand: Candidate, status: str, note: str) -> Candidate:
    cand.status = status
    cand.notes.append(note)
    return cand


def read_notebook(raw: bytes) -> tuple[dict | None, str | None, bool]:
    """(notebook as a format-4 dict, problem, whether it was upgraded from format 3)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "the file is not a notebook: it is not UTF-8 text", False
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return None, f"the file is not a notebook: not valid JSON ({str(exc)[:200]})", False
    if not isinstance(nb, dict):
        return None, "the file is JSON but not a notebook (not an object)", False
    version = nb.get("nbformat", 4)
    if version == 3:
        try:
            import nbformat

            nb = json.loads(json.dumps(nbformat.convert(nbformat.from_dict(nb), 4)))
        except Exception as exc:  # noqa: BLE001 - a malformed old notebook is a row, never a crash
            return None, f"an old notebook (format 3) that could not be upgraded ({type(exc).__name__})", False
        upgraded = True
    elif version != 4:
        return None, f"notebook format {str(version)[:20]!r} is not supported (4, or 3, which is upgraded)", False
    else:
        upgraded = False
    if not isinstance(nb.get("cells"), list):
        return None, "the file is JSON but not a notebook (no list of cells)", False
    return nb, None, upgraded


def keep_newest(candidates: list[Candidate]) -> list[Candidate]:
    """Where a learner handed in one exercise more than once, grade the newest copy (highest copy
    number in its name, then latest saved) and mark the others not taken."""
    groups: dict[tuple[str, str], list[Candidate]] = {}
    for cand in candidates:
        if cand.status is None:
            groups.setdefault((cand.learner, cand.exercise), []).append(cand)
    for group in groups.values():
        if len(group) < 2:
            continue
        taken = max(group, key=lambda c: (c.found.copy, _mtime(c.found.path), c.found.file))
        others = [c for c in group if c is not taken]
        for cand in others:
            _fail(cand, report.NOT_TAKEN, f"another copy of {cand.exercise} was graded: {taken.found.file} "
                                          "(the newest: highest copy number in the name, then latest saved)")
        taken.notes.append(f"the newest of {len(group)} copies; not graded: {', '.join(c.found.file for c in others)}")
    return candidates


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def record_names(candidates: list[Candidate]) -> dict[int, str]:
    """A record id per candidate: <learner>__<exercise> for a graded file, with a hash of the
    file's path added for any other (so every file has its own)."""
    names = {}
    for cand in candidates:
        name = f"{report.safe_name(cand.learner or 'unknown')}__{report.safe_name(cand.exercise or 'unknown')}"
        if cand.status is not None:
            name += "__" + hashlib.sha256(cand.found.file.encode("utf-8", "backslashreplace")).hexdigest()[:10]
        names[id(cand)] = name
    return names


def grade_one(rid: str, cand: Candidate, key: Key, sandbox, checker: Checker, settings: dict) -> dict:
    """Grade one notebook; never raises for anything the notebook contains."""
    try:
        return _grade_one(rid, cand, key, sandbox, checker, settings)
    except Exception as exc:  # noqa: BLE001 - a bug here must cost one row, not the run
        return _record(rid, cand, key, "grader_error", cand.notes + [f"the grader failed on this file "
                                                                     f"({type(exc).__name__}: {exc})"[:500]], {})


def _grade_one(rid: str, cand: Candidate, key: Key, sandbox, checker: Checker, settings: dict) -> dict:
    the_plan = plan(cand.nb, key)
    steps, tests = learner_steps(the_plan, key)
    cell_limit = float(settings["timeout_cell"])
    scaled = settings["timeout_notebook"] is None
    limit = cell_limit * max(1, key.code_cells) if scaled else float(settings["timeout_notebook"])
    run = sandbox.run(steps, cell_limit, limit)
    notes = cand.notes + the_plan.notes
    if not run.reported:
        return _record(rid, cand, key, "no_report", notes + [
            "nothing came back from running the notebook (its sandbox failed or was stopped); nothing could be scored"], {})
    answers = {tests[i]: values for i, values in run.answers.items() if i in tests}
    job = {"cells": key.program, "names": key.answer_names, "answers": answers, "timeout": cell_limit}
    try:
        reply = checker.check(job, seconds=cell_limit * (len(key.program) + 1))
    except CheckerError as exc:
        return _record(rid, cand, key, "grader_error", notes + [f"the checker failed: {exc}"], {})
    notes += reply["problems"]
    questions = {}
    for cell in the_plan.cells:
        if cell.key is None or not cell.key.grade:
            continue
        outputs = reply["tests"].get(cell.key.grade_id) if is_test(cell) else None
        questions[cell.key.grade_id] = grade_cell(cell, outputs, key.answer_names)
        if is_test(cell):
            _explain_unreadable(questions[cell.key.grade_id], cell.source, answers.get(cell.key.grade_id, {}))
        if cell.missing and cell.key.solution:
            added = [c.source.strip() for c in the_plan.cells
                     if c.key is None and c.cell_type == "markdown" and c.source.strip() not in key.release_markdown]
            questions[cell.key.grade_id]["answer"] = ("(the answer cell was deleted; text the learner added elsewhere:)\n\n"
                                                      + "\n\n".join(added) if added else "(the answer cell was deleted)")
    status, more = _status(run, the_plan.restored, cell_limit, limit, scaled, key)
    return _record(rid, cand, key, status, notes + more, questions)


def _explain_unreadable(question: dict, source: str, taken: dict) -> None:
    """Say so in the hint when a failed check reads an answer the grader could not take out."""
    if question["result"] != "failed" or "could not read your answer" in question["hint"]:
        return
    for name, entry in taken.items():
        if "problem" in entry and re.search(rf"\b{re.escape(name)}\b", source):
            question["hint"] = (f"The grader could not read your answer to {question_label(name)}: {entry['problem']}. "
                                + question["hint"]).strip()


def _status(run: Run, restored: bool, cell_limit: float, limit: float, scaled: bool, key: Key) -> tuple[str, list[str]]:
    how = (f"{cell_limit:g} s for each of the exercise's {key.code_cells} code cells; change it with --timeout-notebook"
           if scaled else "set with --timeout-notebook")
    timed_out = sum(s["timed_out"] for s in run.steps)
    notes = []
    if run.ignored:
        notes.append(f"{run.ignored} line(s) that the notebook's code wrote to the grader's pipe were ignored")
    if run.stopped == "notebook_timeout":
        return "notebook_timeout", notes + [f"the notebook ran past its limit of {limit:g} seconds ({how}) and was "
                                            "stopped; checks after that point score 0"]
    if run.stopped == "cell_timeout":
        return "cell_timeout", notes + [f"a cell was still running {GRACE:g} seconds after its {cell_limit:g}-second "
                                        "limit, so the notebook was stopped; checks after it score 0"]
    if run.stopped == "output_limit":
        return "output_limit", notes + [f"the notebook's code sent the grader's pipe more than it accepts (a line over "
                                        f"{MESSAGE_BYTES // 1024 ** 2} MiB or {TOTAL_BYTES // 1024 ** 2} MiB in all), "
                                        "so it was stopped; checks after that point score 0"]
    if not run.finished:
        return "crashed", notes + [f"the notebook's process ended before its last check ({_exit_words(run.exit_code)}); "
                                   "checks after that point score 0"]
    if timed_out:
        return "cell_timeout", notes + [f"{timed_out} cell(s) ran past the {cell_limit:g}-second limit per cell and "
                                        "were interrupted"]
    return ("restored" if restored else "graded"), notes


def _exit_words(code: int | None) -> str:
    if code is None:
        return "no exit code"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"stopped by {name}" + (", often from running out of memory" if name == "SIGKILL" else "")
    return f"exit code {code}"


def _record(rid: str, cand: Candidate, key: Key | None, status: str, notes: list[str], questions: dict) -> dict:
    ordered = [questions[q.grade_id] for q in key.questions if q.grade_id in questions] if key else []
    return {"id": rid, "learner": cand.learner, "exercise": cand.exercise, "file": cand.found.file, "status": status,
            "notes": notes, "questions": ordered, "total": sum(q["points"] or 0.0 for q in ordered),
            "max": key.max_points if key else 0.0, "needs_manual": [q["id"] for q in ordered if q["result"] == "needs_manual"]}


def _fingerprint(cand: Candidate, key: Key, settings: dict) -> str:
    return hashlib.sha256(json.dumps({**settings, "file": cand.found.file, "exercise": cand.exercise,
                                      "notes": cand.notes, "key": key.digest, "digest": cand.digest},
                                     sort_keys=True).encode("utf-8", "backslashreplace")).hexdigest()


def _read_record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
