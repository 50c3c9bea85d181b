"""The `dmst records` and `dmst verify` subcommands (registered by cli.py with `add_commands`).

    dmst records RESULTS_DIR [--pass-mark PERCENT] [--require EX[,EX...]] [--date YYYY-MM-DD] [--names CSV]
    dmst verify CODE --results RESULTS_DIR

`records` exits 0 (and says who was not issued a record, and why), 2 on bad input.
`verify` exits 0 for a genuine code, 1 for a code that is not, 2 on bad input.
The heavy imports (fpdf2) happen only when one of them runs, so `dmst classify` stays fast.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path


def add_commands(sub) -> None:
    r = sub.add_parser("records", help="write completion records (PDF, with a verification code) for "
                                       "learners in a gradebook who met the pass mark")
    r.add_argument("results", metavar="RESULTS_DIR", help="the folder dmst grade wrote (with gradebook.csv)")
    r.add_argument("--pass-mark", type=float, default=70, metavar="PERCENT",
                   help="percentage of the required exercises' points needed for a record (default 70)")
    r.add_argument("--require", default=None, metavar="EX[,EX...]",
                   help="the exercises a record needs, by id as in the gradebook (default: every exercise of the course)")
    r.add_argument("--exercises-dir", default=None, metavar="DIR",
                   help="the released exercises (default: the course's exercises/)")
    r.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="date issued (default: today)")
    r.add_argument("--names", default=None, metavar="CSV", help="a CSV with columns learner,name: names to print")
    r.set_defaults(run=_records)
    v = sub.add_parser("verify", help="check a completion record's verification code against the gradebook")
    v.add_argument("code", metavar="CODE", nargs="+", help="the code printed on the record, e.g. 7KQ2M-XR4TD "
                                                         "(spaces are fine: 7KQ2M XR4TD)")
    v.add_argument("--results", required=True, metavar="RESULTS_DIR", help="the folder the record was issued from")
    v.set_defaults(run=_verify)


def _records(args) -> int:
    from ..law import load_law
    from .codes import CodeError
    from .records import RecordError, read_names, write_records

    try:
        issued = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        return _fail("records", f"--date: {args.date!r} is not a date YYYY-MM-DD (for example 2026-12-01)")
    from ..grading.learners import lookalike_lines
    from ..grading.text import printable

    try:
        made = write_records(Path(args.results), load_law(), args.pass_mark, issued,
                             read_names(Path(args.names) if args.names else None), require=args.require,
                             exercises_dir=Path(args.exercises_dir) if args.exercises_dir else None)
    except (RecordError, CodeError, OSError) as exc:
        return _fail("records", str(exc))
    if not args.names:
        print("dmst records: no --names file was given, so each record shows the learner's folder or file name "
              "(for example 'ann') as their name; give --names learners.csv (columns learner,name) to print names",
              file=sys.stderr)
    written = [(s, pdf, code) for s, pdf, code in made if pdf]
    covers = printable(", ".join(s.exercise for s in written[0][0].record.scores)) if written else ""
    print(f"{len(written)} completion record(s) written to {printable(Path(args.results) / 'records')} "
          f"(pass mark {args.pass_mark:g}%{f'; exercises {covers}' if covers else ''}):")
    for s, pdf, code in written:
        kept = s.record.issued != issued.isoformat()
        earlier = f", unchanged since it was issued on {s.record.issued}" if kept else ""
        print(f"  {printable(s.learner)}: {code} ({s.record.percent_text}) {printable(pdf.name)}{earlier}")
    waiting = [s for s, pdf, _ in made if not pdf]
    if waiting:
        print(f"{len(waiting)} learner(s) without a record:")
        for s in waiting:
            print(f"  {printable(s.learner)}: {printable(s.why_not)}")
    alike = lookalike_lines(s.learner for s, _, _ in made)
    if alike:
        print("Learner ids that look alike (each has a record of its own, or none):")
        for line in alike:
            print(f"  {line}")
    return 0


def _verify(args) -> int:
    from ..law import load_law
    from .codes import CodeError
    from .records import RecordError, verify

    try:
        verdict = verify(Path(args.results), " ".join(args.code), load_law())
    except (RecordError, CodeError) as exc:
        return _fail("verify", str(exc))
    from ..grading.text import printable

    print(("GENUINE: " if verdict.genuine else "NOT GENUINE: ") + printable(verdict.reason))
    r = verdict.record
    if r is not None and verdict.genuine:
        print(f"  name: {printable(r.name)} (learner {printable(r.learner)})")
        print(f"  course: {printable(r.course_title)}, version {printable(r.version)}, law as reviewed on "
              f"{printable(r.law_date)}")
        print(f"  issued: {printable(r.issued)}; pass mark {r.pass_mark:g}%; overall {r.total:g} of "
              f"{r.points_offered:g} points ({r.percent_text})")
        for s in r.scores:
            print(f"  {printable(s.exercise)}: {s.total:g} of {s.max:g}")
    return 0 if verdict.genuine else 1


def _fail(command: str, message: str) -> int:
    """One line per problem (messages put a newline between problems, and nowhere else), each
    escaped: whatever part of it came from a file or the command line, it cannot move the cursor."""
    from ..grading.text import printable

    for line in message.split("\n"):
        print(f"dmst {command}: {printable(line)}", file=sys.stderr)
    return 2
