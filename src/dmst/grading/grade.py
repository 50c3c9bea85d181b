"""`dmst grade`: grade a folder of returned exercise notebooks into a results folder.

RESULTS/
  gradebook.csv                one row per file handed in (gradebook.py and the README)
  manual-marking.csv           the written answers for a person to mark (marks.py)
  feedback/<learner>-<hash>.html   what each learner may see: results and hints, no test code
  results/<learner>__<exercise>-<hash>.json   one record per file, written the moment it is graded
  .dmst-written                what the grader wrote (results_folder.py)

For each file: read it (collect.py), find which exercise it is (the notebook's own metadata,
`metadata.dmst.exercise`, checked against the name it was handed in under), keep the newest
copy when a learner handed in one exercise more than once, then run the learner's cells in
the sandbox (sandbox.py), take the answers out as data where each test cell stood, and score
them in the checker (checker.py), a separate interpreter no learner code touched. Up to
`jobs` files run at a time. A record is kept and reused while the file, the exercise and
the limits are unchanged, so a run that was killed picks up where it stopped and a second
run rewrites the same bytes.

*One file never stops the run.* Every step for a file (reading, identifying, naming, scoring,
writing its record) is inside that file's own error handling: whatever fails becomes that
file's row, with a status and a note. Only what concerns the whole run stops it (the folders
cannot be used, the disk is full, the grader is interrupted): then `RunFailed` says so, and no
gradebook is left in place (the last run's was removed when this one began), so nothing stale
looks like the result. The submissions folder is only ever read; nothing is read of it but
regular files, and at most collect.MAX_BYTES of each; notebooks are read one at a time and not
kept in memory between reading and grading.
"""
from __future__ import annotations

import errno
import hashlib
import json
import signal
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import naming
from .checker import Checker, CheckerError
from .collect import Found, SubmissionUnreadable, collect, read_submission
from .gradebook import GRADEBOOK, NOT_TAKEN
from .marks import SHEET, sheet_marks
from .outputs import files_written, write_outputs
from .results_folder import ResultsFolder, check_apart
from .sandbox import GRACE, MESSAGE_BYTES, TOTAL_BYTES, Run, detect
from .score import ExerciseError, Key, grade_cell, is_test, learner_steps, load_key, matches, plan
from .summary import summary
from .text import answer_form, answer_text, printable, safe_data

PROJECT = Path(__file__).resolve().parents[3]
RECORD_VERSION = 4           # part of every record's fingerprint: a new version grades every file again
NOTE_CHARS = 500              # longest note kept (notes quote names and metadata a learner chose)
ANSWER_CHARS = 100_000        # longest written answer kept in a record


class GradingError(Exception):
    """The command cannot run as asked (missing folder, no exercises, nothing to grade)."""


class RunFailed(Exception):
    """The run began but could not finish; no gradebook was written."""


@dataclass
class Candidate:
    """One file handed in, read and identified: graded if `status` stays None."""
    found: Found
    exercise: str
    status: str | None = None
    notes: list[str] = field(default_factory=list)
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
          show_answers: bool = False, out=sys.stdout, err=sys.stderr) -> list[dict]:
    """Grade every file; returns the records (one per file, hand marks merged). `timeout_notebook`
    None scales the limit to the exercise: `timeout_cell` for each code cell of its release."""
    submissions_dir, out_dir = Path(submissions_dir).resolve(), Path(out_dir).resolve()
    release_dir = Path(exercises_dir or PROJECT / "exercises").resolve()
    solutions_dir = Path(solutions_dir or PROJECT / "solutions").resolve()
    if not submissions_dir.is_dir():
        raise GradingError(f"{printable(submissions_dir)}: no such folder")
    check_apart(submissions_dir, out_dir)
    keys = load_keys(solutions_dir, release_dir)
    found, skipped = collect(submissions_dir)
    if not found:
        raise GradingError(f"{printable(submissions_dir)} holds no files to grade"
                           + (f" (only hidden or linked ones, which are skipped: {printable(', '.join(skipped[:5]))})"
                              if skipped else "") + "; nothing was written")
    sandbox, warning = detect(forbidden=(submissions_dir, out_dir, solutions_dir), slots=max(1, jobs))
    print(warning or sandbox.describe(), file=err, flush=True)
    settings = {"timeout_cell": timeout_cell, "timeout_notebook": timeout_notebook, "sandboxed": sandbox.sandboxed,
                "version": RECORD_VERSION}
    with ResultsFolder(out_dir) as folder:
        for sub in ("results", "feedback"):
            folder.folder_fd(sub, create=False)     # a planted link is refused before anything is written
        candidates, ids = _candidates(found, keys)
        folder.check_free(files_written([c.learner for c in candidates], ids))
        for sub in ("results", "feedback"):
            folder.folder_fd(sub)
        folder.start_run((GRADEBOOK,))
        try:
            records = _grade_all(candidates, ids, keys, folder, sandbox, settings, jobs, progress, err)
        except KeyboardInterrupt:
            folder.save()
            raise RunFailed("interrupted") from None
        folder.settings["show_answers"] = bool(show_answers)
        marks = sheet_marks(folder, records, err=err)
        marked = write_outputs(folder, records, marks, show_answers)
        folder.save([r["id"] for r in records], done=True)
    print(summary(marked, skipped), file=out)
    print(f"\nGradebook: {printable(out_dir / GRADEBOOK)}\nTo mark by hand: {printable(out_dir / SHEET)}"
          f"\nFeedback:  {printable(out_dir / 'feedback')}", file=out, flush=True)
    return marked


def _candidates(found: list[Found], keys: dict[str, Key]) -> tuple[list[Candidate], list[str]]:
    """Every file read and identified, and its record's id."""
    candidates = keep_newest([identify(f, keys) for f in found])
    wanted = [_record_id(c) for c in candidates]
    ids = naming.unique(wanted)
    for cand, rid, first in zip(candidates, ids, wanted):
        if rid != first:
            cand.notes.append("its record's name was another file's too (two ids with the same hash): both are kept, "
                              f"this one as {rid}")
    return candidates, ids


def _grade_all(candidates: list[Candidate], ids: list[str], keys: dict[str, Key], folder: ResultsFolder, sandbox,
               settings: dict, jobs: int, progress: bool, err) -> list[dict]:
    records: dict[str, dict] = {}
    todo = []
    for rid, cand in zip(ids, candidates):
        key = keys.get(cand.exercise)
        try:
            if cand.status is not None:
                records[rid] = _store(folder, _record(rid, cand, key, cand.status, cand.notes, {}))
                continue
            fingerprint = _fingerprint(cand, key, settings)
            old = _read_record(folder, rid)
            if old is not None and old.get("fingerprint") == fingerprint:
                records[rid] = _store(folder, old)
            else:
                todo.append((rid, cand, fingerprint))
        except Exception as exc:  # noqa: BLE001 - a bug here must cost one row, not the run
            records[rid] = _store(folder, _grader_error(rid, cand, key, exc))
    folder.remove_stale("results", {f"{rid}.json" for rid in ids})
    folder.save()

    checker = Checker()
    bar = tqdm(total=len(candidates), initial=len(records), desc="grading", unit="file", file=err,
               disable=not progress, dynamic_ncols=True)
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(grade_one, rid, cand, keys[cand.exercise], sandbox, checker, settings): (rid, fp)
                       for rid, cand, fp in todo}
            for future in as_completed(futures):
                rid, fp = futures[future]
                records[rid] = _store(folder, {**future.result(), "fingerprint": fp})
                bar.update(1)
    finally:
        checker.close()
        bar.close()
    return [records[rid] for rid in ids]


def _store(folder: ResultsFolder, record: dict) -> dict:
    """Write a file's record; if it cannot be written, the row still counts, with a note."""
    record = safe_data(record)
    try:
        folder.write(f"results/{record['id']}.json", record_text(record).encode("utf-8"))
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):  # nothing more can be written: the run cannot finish
            raise RunFailed(f"the results folder is full ({exc.strerror})") from None
        record = {**record, "notes": record["notes"] + [f"its record could not be saved ({exc.strerror}): it will be "
                                                        "graded again next time"]}
    return record


def record_text(record: dict) -> str:
    return json.dumps(safe_data(record), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _read_record(folder: ResultsFolder, rid: str) -> dict | None:
    raw = folder.read(f"results/{rid}.json", limit=64 * 1024 * 1024)
    try:
        record = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    return record if isinstance(record, dict) and record.get("id") == rid else None


def _record_id(cand: Candidate) -> str:
    return naming.record_id(cand.learner, cand.exercise, None if cand.status is None else cand.found.file)


def identify(f: Found, keys: dict[str, Key]) -> Candidate:
    """Read a file and decide which exercise it is; sets a status if it cannot be graded. Never raises."""
    claimed = f.claimed if f.claimed in keys else None
    cand = Candidate(f, claimed or f.claimed or "")
    try:
        return _identify(cand, f, keys, claimed)
    except Exception as exc:  # noqa: BLE001 - whatever a file holds, it costs one row
        return _fail(cand, "grader_error", _short(f"the grader could not read this notebook ({type(exc).__name__})"))


def _identify(cand: Candidate, f: Found, keys: dict[str, Key], claimed: str | None) -> Candidate:
    if f.status:
        return _fail(cand, f.status, f.problem)
    try:
        raw = read_submission(f.path)
    except SubmissionUnreadable as exc:
        return _fail(cand, exc.status, exc.note)
    if not raw.strip():
        return _fail(cand, "empty_file", "the file is empty")
    cand.digest = hashlib.sha256(raw).hexdigest()
    nb, problem, upgraded = read_notebook(raw)
    del raw
    if problem:
        return _fail(cand, "invalid_notebook", problem)
    if upgraded:
        cand.notes.append("the notebook was in an old format (3) and was upgraded to format 4")
    said = exercise_named(nb)
    if said is not None:
        if said not in keys:
            return _fail(cand, "unknown_exercise", _short(f"the notebook says it is exercise {said!r}, which this "
                                                          "course does not have"))
        if claimed and claimed != said:
            cand.exercise = claimed
            return _fail(cand, "wrong_exercise", f"this notebook is exercise {said} (the notebook says so) "
                                                 f"but it was handed in as {claimed}")
        if f.claimed and f.claimed != said:
            cand.notes.append(_short(f"its name ({f.claimed}) names no exercise; the notebook says it is {said}"))
        cand.exercise = said
        return _with_cells(cand, nb, keys[said])
    if claimed is None:
        if f.claimed and f.explicit:
            return _fail(cand, "unknown_exercise", _short(f"there is no exercise named {f.claimed!r}, and the "
                                                          "notebook does not say which exercise it is"))
        return _fail(cand, "unrecognised_file", "neither its name nor the notebook says which exercise it is")
    cand.notes.append(f"the notebook does not say which exercise it is: graded as {claimed}, as its name says")
    return _with_cells(cand, nb, keys[claimed])


def exercise_named(nb: dict) -> str | None:
    """The exercise a notebook's metadata names, as text (None if it names none)."""
    meta = nb.get("metadata")
    dmst_meta = meta.get("dmst") if isinstance(meta, dict) else None
    said = dmst_meta.get("exercise") if isinstance(dmst_meta, dict) else None
    return None if said is None else str(said)[:200]


def _with_cells(cand: Candidate, nb: dict, key: Key) -> Candidate:
    """The candidate to grade, unless the notebook lost the metadata of every graded cell."""
    if not matches(nb, key):
        cand.notes.clear()
        return _fail(cand, "missing_metadata", f"the notebook holds none of the graded cells of {key.exercise}: its "
                     "grading information was removed (by a tool that drops cell metadata, or answers copied into a "
                     "new notebook); ask for the exercise to be downloaded again and the answers copied into it, or "
                     "mark it by hand")
    return cand


def _fail(cand: Candidate, status: str, note: str) -> Candidate:
    cand.status = status
    cand.notes.append(note)
    return cand


def _short(note: str) -> str:
    return note if len(note) <= NOTE_CHARS else note[:NOTE_CHARS] + " …"


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
            _fail(cand, NOT_TAKEN, _short(f"another copy of {cand.exercise} was graded: {taken.found.file} "
                                          "(the newest: highest copy number in the name, then latest saved)"))
        taken.notes.append(_short(f"the newest of {len(group)} copies; not graded: "
                                  f"{', '.join(c.found.file for c in others)}"))
    return candidates


def _mtime(path: Path) -> int:
    try:
        return path.lstat().st_mtime_ns
    except OSError:
        return 0


def grade_one(rid: str, cand: Candidate, key: Key, sandbox, checker: Checker, settings: dict) -> dict:
    """Grade one notebook; never raises for anything the notebook contains."""
    try:
        return _grade_one(rid, cand, key, sandbox, checker, settings)
    except Exception as exc:  # noqa: BLE001 - a bug here must cost one row, not the run
        return _grader_error(rid, cand, key, exc)


def _grader_error(rid: str, cand: Candidate, key: Key | None, exc: Exception) -> dict:
    return _record(rid, cand, key, "grader_error",
                   cand.notes + [_short(f"the grader failed on this file ({type(exc).__name__}: {exc})")], {})


def _grade_one(rid: str, cand: Candidate, key: Key, sandbox, checker: Checker, settings: dict) -> dict:
    try:
        raw = read_submission(cand.found.path)
    except SubmissionUnreadable as exc:
        return _record(rid, cand, key, exc.status, cand.notes + [exc.note], {})
    if hashlib.sha256(raw).hexdigest() != cand.digest:
        return _record(rid, cand, key, "unreadable", cand.notes + [
            "the file changed while it was being graded: grade again once it has been handed in"], {})
    nb = read_notebook(raw)[0]
    del raw
    the_plan = plan(nb, key)
    del nb
    steps, tests = learner_steps(the_plan, key)
    cell_limit = float(settings["timeout_cell"])
    scaled = settings["timeout_notebook"] is None
    limit = cell_limit * max(1, key.code_cells) if scaled else float(settings["timeout_notebook"])
    run = sandbox.run(steps, cell_limit, limit)
    notes = cand.notes + [_short(n) for n in the_plan.notes]
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
        gid = cell.key.grade_id
        outputs = reply["tests"].get(gid) if is_test(cell) else None
        questions[gid] = grade_cell(cell, outputs, key.answer_names)
        if is_test(cell):
            questions[gid]["answer"] = shown_answer(key.reads.get(gid, []), answers.get(gid))
            questions[gid]["form"] = shown_answer(key.reads.get(gid, []), answers.get(gid), answer_form)
            right = [key.right[n] for n in key.reads.get(gid, []) if n in key.right]
            if len(right) == 1:
                questions[gid]["right"] = right[0]
        elif len(questions[gid].get("answer", "")) > ANSWER_CHARS:
            questions[gid]["answer"] = questions[gid]["answer"][:ANSWER_CHARS] + " … (cut: see the notebook)"
        if cell.missing and cell.key.solution:
            added = [c.source.strip() for c in the_plan.cells
                     if c.key is None and c.cell_type == "markdown" and c.source.strip() not in key.release_markdown]
            questions[gid]["answer"] = ("(the answer cell was deleted; text the learner added elsewhere:)\n\n"
                                        + "\n\n".join(added) if added else "(the answer cell was deleted)")[:ANSWER_CHARS]
    status, more = _status(run, the_plan.restored, cell_limit, limit, scaled, key)
    return _record(rid, cand, key, status, notes + more, questions)


def shown_answer(names: list[str], taken: dict | None, show=answer_text) -> str:
    """The learner's answer to a check, as they wrote it (from the data taken out of their notebook),
    each value as `show` puts it (answer_text; answer_form, which shows a list as a list)."""
    if taken is None:
        return "(not reached: the notebook stopped before this question)"
    parts = []
    for name in names:
        entry = taken.get(name)
        if entry is None:
            text = "(no answer: its cell was not run)"
        elif "problem" in entry:
            text = f"(the grader could not read it: {entry['problem']})"
        else:
            text = show(entry["value"])
        parts.append(text if len(names) == 1 else f"{name}: {text}")
    return "; ".join(parts)


def _status(run: Run, restored: bool, cell_limit: float, limit: float, scaled: bool, key: Key) -> tuple[str, list[str]]:
    from .limits import MEMORY, PIDS

    how = (f"{cell_limit:g} s for each of the exercise's {key.code_cells} code cells; change it with --timeout-notebook"
           if scaled else "set with --timeout-notebook")
    timed_out = sum(s["timed_out"] for s in run.steps)
    notes = []
    if "pids" in run.limits_hit:
        notes.append(f"the notebook tried to run more than {PIDS} processes and threads at once; the extra ones "
                     "were refused")
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
    if run.stopped == "tampered":
        return "tampered", notes + ["the notebook's code wrote to the grader's pipe (a message out of order, "
                                    "repeated or not the grader's), so it was stopped and none of its answers were "
                                    "used: every automatic check scores 0"]
    if "memory" in run.limits_hit:
        return "memory_limit", notes + [f"the notebook used all of the {MEMORY // 1024 ** 3} GiB of memory its sandbox "
                                        "has, and a process was stopped" + ("" if run.finished else
                                                                           "; checks after that point score 0")]
    if not run.finished:
        return "crashed", notes + [f"the notebook's process ended before its last check ({_exit_words(run.exit_code)}); "
                                   "checks after that point score 0"]
    if "pids" in run.limits_hit:
        return "process_limit", notes
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
    for q in ordered:
        q["label"] = key.labels.get(q["id"], q["id"])
        q["text"] = key.texts.get(q["id"], "")
        q["see"] = key.see.get(q["id"], "")
    return {"id": rid, "learner": cand.learner, "exercise": cand.exercise, "title": key.title if key else "",
            "file": cand.found.file, "status": status, "notes": [_short(n) for n in notes], "questions": ordered,
            "total": sum(q["points"] or 0.0 for q in ordered), "max": key.max_points if key else 0.0,
            "needs_manual": [q["id"] for q in ordered if q["result"] == "needs_manual"]}


def _fingerprint(cand: Candidate, key: Key, settings: dict) -> str:
    return hashlib.sha256(json.dumps({**settings, "file": cand.found.file, "exercise": cand.exercise,
                                      "notes": cand.notes, "key": key.digest, "digest": cand.digest},
                                     sort_keys=True).encode("utf-8", "backslashreplace")).hexdigest()

