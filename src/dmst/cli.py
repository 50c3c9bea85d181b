"""`dmst classify [--as-of YYYY-MM-DD] [FILE|-]`: JSON case(s) in, JSON assessment(s) out.
`dmst grade`, `dmst marks`, `dmst report`, `dmst export`: grade returned exercises, merge hand
marks, report on the questions, export scores for an LMS (see dmst.grading; this is a thin layer).

Exit 0 with the assessments on stdout; exit 2 with one line per problem on stderr (and
nothing on stdout) for bad input. The contract is documented in the README.

One object in gives one indented object out (for a person reading it); an array in gives a
compact array out, encoded by orjson straight from the Assessment dataclasses and written in
one piece: at 10,000 cases the standard library's encoder and its millions of small writes
cost more than classifying. A reader that stops early (`| head`) ends the output quietly,
without a traceback (exit 0 for classify; the other commands, whose exit code says what they
found, exit 141, as a command stopped by a closed pipe does).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import sys
from datetime import date

from .case import Case, CaseError
from .law import load_law
from .rules import classify, parse_as_of
from .takeaways.commands import add_commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dmst", description="Child sex trafficking law (US federal and Connecticut): training, not legal advice.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("classify", help="classify JSON case(s) and print the assessment(s) as JSON")
    p.add_argument("--as-of", default=None, help="the date whose law applies, YYYY-MM-DD (default: today)")
    p.add_argument("file", nargs="?", default="-", help="a JSON file with one case object or an array of them; - for stdin")
    g = sub.add_parser("grade", help="grade returned exercise notebooks into a gradebook CSV, a manual-marking "
                                     "sheet and feedback HTML; exit 1 if any file could not be graded")
    g.add_argument("submissions", metavar="SUBMISSIONS_DIR",
                   help="<learner>/<exercise>/<exercise>.ipynb (nbgrader's submitted/), <learner>/<downloads>.ipynb "
                        "or <learner>__<exercise>.ipynb files")
    g.add_argument("--out", required=True, metavar="RESULTS_DIR", help="where the gradebook, sheet, feedback and records go")
    g.add_argument("--exercises-dir", default=None, help="the released exercises (default: the course's exercises/)")
    g.add_argument("--solutions-dir", default=None, help="the nbgrader source with hidden tests (default: solutions/)")
    g.add_argument("--jobs", type=int, default=2, help="notebooks graded at once (default 2)")
    g.add_argument("--timeout-cell", type=float, default=30, metavar="S", help="seconds per cell (default 30)")
    g.add_argument("--timeout-notebook", type=float, default=None, metavar="S",
                   help="seconds per notebook (default: the per-cell limit for each code cell of the exercise)")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    g.add_argument("--show-answers", action="store_true",
                   help="show the right answer under each question a learner missed, in the feedback pages")
    m = sub.add_parser("marks", help="merge the marks filled in on the manual-marking sheet into the gradebook")
    m.add_argument("results", metavar="RESULTS_DIR", help="the results folder `dmst grade` wrote")
    m.add_argument("--sheet", default=None, metavar="FILE",
                   help="the filled-in sheet, if saved elsewhere (default: RESULTS_DIR/manual-marking.csv)")
    r = sub.add_parser("report", help="which questions the class got right: RESULTS_DIR/item-analysis.csv and "
                                      "RESULTS_DIR/report.html")
    r.add_argument("results", metavar="RESULTS_DIR", help="the results folder `dmst grade` wrote")
    x = sub.add_parser("export", help="the scores as a CSV for Canvas's or Moodle's gradebook import")
    x.add_argument("results", metavar="RESULTS_DIR", help="the results folder `dmst grade` wrote")
    x.add_argument("--to", required=True, metavar="canvas|moodle", help="the learning management system")
    x.add_argument("--roster", default=None, metavar="CSV",
                   help="learner ids (as in the gradebook) with name, email, id_number, sis_user_id, sis_login_id, "
                        "section, canvas_id")
    x.add_argument("--out", default=None, metavar="FILE",
                   help="where to write it (default: RESULTS_DIR/canvas-import.csv or moodle-import.csv)")
    add_commands(sub)  # records, verify: completion records (dmst.takeaways)
    args = parser.parse_args(argv)
    try:
        code = _run(args)
        sys.stdout.flush()
    except BrokenPipeError:        # the reader stopped early (`| head`): what was done stays done
        _quiet_stdout()
        return 128 + signal.SIGPIPE
    return code


def _run(args) -> int:
    if hasattr(args, "run"):
        return args.run(args)
    if args.command == "classify":
        return _classify(args)
    if args.command == "grade":
        return _grade(args)
    if args.command == "marks":
        from .grading.marks import merge
        return merge(args.results, args.sheet)
    if args.command == "report":
        return _report(args)
    if args.command == "export":
        return _export(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


def _classify(args) -> int:
    law = load_law()
    try:
        as_of = parse_as_of(args.as_of) if args.as_of else date.today()
        law.on(as_of)
    except ValueError as exc:
        return _fail([f"--as-of: {exc}"])
    try:
        text = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()
    except OSError as exc:
        return _fail([f"{args.file}: cannot be read ({exc.strerror})"])
    except UnicodeDecodeError:
        return _fail([f"{args.file}: is not UTF-8 text"])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _fail([f"input: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"])
    single = not isinstance(data, list)
    items = [data] if single else data
    cases, problems = [], []
    for i, item in enumerate(items):
        try:
            cases.append(Case.from_dict(item, where="case" if single else f"case {i}"))
        except CaseError as exc:
            problems.extend(str(p) for p in exc.problems)
    if problems:
        return _fail(problems)
    import orjson

    # A batch makes ~15 result objects per case and keeps them all until they are written; none
    # holds a cycle, so the cyclic garbage collector's passes over the growing heap are wasted
    # work (half the time at 10,000 cases). It is back on once the batch is written.
    gc.disable()
    try:
        out = [classify(c, as_of, law) for c in cases]
        data = orjson.dumps(out[0], option=orjson.OPT_INDENT_2) if single else orjson.dumps(out)
        return _write(data + b"\n")
    finally:
        gc.enable()


def _write(data: bytes) -> int:
    """Write all of `data` to stdout; if the reader has gone (a closed pipe), stop quietly."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        _quiet_stdout()
    return 0


def _quiet_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush after a closed pipe does not raise again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _grade(args) -> int:
    """Exit 0: every file graded; 1: some file could not be (it has a row); 2: the command could
    not run, or the run could not finish (then no gradebook was written)."""
    from .grading.grade import GradingError, RunFailed, grade
    from .grading.gradebook import NOT_TAKEN, SCORED
    from .grading.results_folder import ResultsError
    from .grading.sandbox import SandboxUnavailable
    from .grading.text import printable
    if args.jobs < 1:
        print("dmst grade: --jobs must be 1 or more", file=sys.stderr)
        return 2
    try:
        records = grade(args.submissions, args.out, args.exercises_dir, args.solutions_dir, jobs=args.jobs,
                        timeout_cell=args.timeout_cell, timeout_notebook=args.timeout_notebook,
                        progress=not args.no_progress, show_answers=args.show_answers)
    except (GradingError, ResultsError, SandboxUnavailable, ValueError) as exc:
        print(f"dmst grade: {printable(exc)}", file=sys.stderr)
        return 2
    except (RunFailed, OSError, KeyboardInterrupt) as exc:
        why = str(exc) if isinstance(exc, RunFailed) else (type(exc).__name__ if not str(exc) else str(exc))
        print(f"dmst grade: the run did not finish ({printable(why)}): no gradebook was written. Run the same "
              "command again: the files it finished are kept.", file=sys.stderr)
        return 2
    return 1 if any(r["status"] not in (*SCORED, NOT_TAKEN) for r in records) else 0


def _results(command: str, path: str):
    """The results folder and its records (hand marks merged), or None after printing why not."""
    from .grading.marks import merged_records
    from .grading.results_folder import ResultsError, ResultsFolder
    from .grading.text import printable
    try:
        folder = ResultsFolder(path, create=False)
    except ResultsError as exc:
        print(f"dmst {command}: {printable(exc)}", file=sys.stderr)
        return None, None
    records, problem = merged_records(folder)
    if problem:
        folder.close()
        print(f"dmst {command}: {problem}", file=sys.stderr)
        return None, None
    return folder, records


def _report(args) -> int:
    from .grading import class_report, item_analysis
    from .grading.text import printable
    folder, records = _results("report", args.results)
    if folder is None:
        return 2
    with folder:
        summaries = item_analysis.analyse(records)
        # UTF-8 with a byte-order mark, like every CSV the course writes: Excel then reads it as UTF-8.
        folder.write("item-analysis.csv", item_analysis.csv_text(summaries).encode("utf-8-sig", "backslashreplace"))
        folder.write("report.html", class_report.page(summaries).encode("utf-8", "backslashreplace"))
    questions = sum(len(s.items) for s in summaries)
    print(f"Wrote {printable(folder.path('item-analysis.csv'))} ({questions} questions in {len(summaries)} "
          f"exercise{'s' if len(summaries) != 1 else ''}) and {printable(folder.path('report.html'))}.")
    return 0


def _export(args) -> int:
    from pathlib import Path

    from .grading.export import FORMATS, export
    from .grading.roster import RosterError, read_roster
    from .grading.text import printable
    if args.to not in FORMATS:
        print(f"dmst export: --to: {printable(repr(args.to))} is not one of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    try:
        roster = read_roster(Path(args.roster)) if args.roster else None
    except RosterError as exc:
        for line in str(exc).split("\n"):      # one line per problem, each already escaped
            print(f"dmst export: {printable(line)}", file=sys.stderr)
        print("dmst export: nothing was written; correct the roster and run it again.", file=sys.stderr)
        return 2
    folder, records = _results("export", args.results)
    if folder is None:
        return 2
    with folder:
        made = export(records, args.to, roster)
        data = made.text.encode("utf-8-sig", "backslashreplace")  # with a byte-order mark, as Excel writes "CSV UTF-8"
        if args.out:
            target = Path(args.out)
            tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
            try:
                tmp.write_bytes(data)
                os.replace(tmp, target)
            except OSError as exc:
                print(f"dmst export: {printable(target)}: cannot be written ({exc.strerror})", file=sys.stderr)
                return 2
        else:
            target = folder.path(f"{args.to}-import.csv")
            folder.write(f"{args.to}-import.csv", data)
    system = "Canvas's gradebook import" if args.to == "canvas" else "Moodle's grade import (CSV file)"
    print(f"Wrote {printable(target)} for {system}: {made.learners} learner{'s' if made.learners != 1 else ''}, "
          f"{len(made.exercises)} exercise{'s' if len(made.exercises) != 1 else ''} "
          f"({printable(', '.join(made.exercises))}).")
    for note in made.notes:
        print(f"  {printable(note)}")
    return 0


def _fail(lines: list[str]) -> int:
    for line in lines:
        print(f"dmst classify: {line}", file=sys.stderr)
    return 2
