"""Hostile text in the files the grader writes and reads back (gradebook, marking sheet, roster,
names file, records ledger), driven through the CLI as a grader runs it.

- a cell longer than Python's csv limit (131,072 characters) in any CSV the tools read is named
  by file, row and column, never a traceback; what the grader writes is capped; a long comment
  is refused and kept, never lost or overwritten;
- names with line separators (U+0085, U+2028, \\x0b, \\x1c ...) still give records that verify;
- learner ids that differ only in spaces or Unicode form stay distinct everywhere, and are listed;
- what `dmst verify` prints is escaped, one line per problem;
- every CSV written for a spreadsheet starts with a UTF-8 byte-order mark, and readers take both.
"""
import copy
import csv
import io
import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import EXERCISES, SOLUTIONS, correct, feedback_page, write

CSV_LIMIT = 131_072
NOTES_CHARS = 10_000             # the longest notes cell the README promises
LOOKALIKE = ["Ann Lee", "Ann Lee ", "Ann  Lee", "Jose\u0301", "Jos\u00e9"]
SEPARATORS = ["\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
SEPARATOR_ESCAPES = ["x85", "u2028", "u2029", "x0b", "x0c", "x1c", "x1d", "x1e"]
SEPARATED = [f"sep{i}{sep}x" if sep in "\x85\u2028\u2029" else f"sep{i}" for i, sep in enumerate(SEPARATORS)]
BOM = b"\xef\xbb\xbf"
csv.field_size_limit(10 ** 8)    # this test reads back what it planted


def dmst(*args):
    return subprocess.run([sys.executable, "-m", "dmst", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def grade(sub, out):
    return dmst("grade", sub, "--out", out, "--exercises-dir", EXERCISES, "--solutions-dir", SOLUTIONS, "--no-progress")


def records(out, *extra):
    return dmst("records", out, "--exercises-dir", EXERCISES, "--require", "second", "--pass-mark", 50,
                "--date", "2026-12-01", *extra)


def rows_of(path, encoding="utf-8-sig"):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding=encoding), newline="")))


def save_csv(path, rows, bom=False):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c for c in rows[0] if c is not None])
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes((BOM if bom else b"") + out.getvalue().encode("utf-8"))


def ledger(out):
    """The ledger's entries, read as it is written: one JSON object per newline-ended line."""
    return [json.loads(line) for line in (out / "records" / "issued.jsonl").read_text("utf-8").split("\n") if line]


def no_traceback(done):
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-2000:]


def many_notes():
    """A correct notebook with 400 extra cells under grade ids the exercise does not have: one
    note each, 500 characters long (the id is the learner's own), far past the csv limit in all."""
    nb = correct()
    for i in range(400):
        cell = copy.deepcopy(nb["cells"][0])
        cell["metadata"]["nbgrader"]["grade_id"] = f"renamed_{i}_" + "z" * 600
        nb["cells"].append(cell)
    return nb


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One grading run: a learner with a written answer to mark, one with a flood of notes,
    look-alike ids and ids with line separators (on the exercise without written answers)."""
    root = tmp_path_factory.mktemp("hostile-records")
    sub, out = root / "submitted", root / "results"
    write(sub, "ann__sample.ipynb", correct())
    write(sub, "zed__sample.ipynb", many_notes())
    for learner in LOOKALIKE + SEPARATED:
        write(sub, f"{learner}/second.ipynb", correct("second"))
    done = grade(sub, out)
    assert done.returncode == 0, done.stderr
    return {"sub": sub, "out": out, "grade": done, "root": root}


@pytest.fixture
def copy_of(run, tmp_path):
    """A results folder of its own for a test that changes it."""
    out = tmp_path / "results"
    shutil.copytree(run["out"], out, symlinks=True)
    return out


# --- 1. cells past the csv limit ----------------------------------------------------------

def test_the_gradebook_caps_notes_visibly_and_keeps_them_all_in_the_record(copy_of):
    out = copy_of
    assert max(len(cell) for row in csv.reader(io.StringIO((out / "gradebook.csv").read_text("utf-8-sig"),
                                                           newline="")) for cell in row) < CSV_LIMIT
    zed = next(r for r in rows_of(out / "gradebook.csv") if r["learner"] == "zed")
    assert len(zed["notes"]) <= NOTES_CHARS and re.search(r"…\(cut: all 40\d notes are in results/.+\.json\)$",
                                                         zed["notes"])
    record = json.loads((out / "results" / (zed["notes"].rsplit("results/", 1)[1][:-1])).read_text())
    assert sum("renamed_" in n for n in record["notes"]) == 400
    for command in (records(out), dmst("export", out, "--to", "canvas"), dmst("report", out)):
        no_traceback(command)
        assert command.returncode == 0, command.stderr


def test_a_comment_longer_than_a_cell_is_refused_by_row_and_kept_in_the_sheet(run, copy_of):
    out = copy_of
    rows = rows_of(out / "manual-marking.csv")
    rows[0].update(mark="1", comment="Well argued." * 20_000)            # 240,000 characters
    save_csv(out / "manual-marking.csv", rows, bom=True)
    before = {name: (out / name).read_bytes() for name in ("manual-marking.csv", "gradebook.csv")}
    done = dmst("marks", out)
    no_traceback(done)
    assert done.returncode == 2
    assert re.search(r"manual-marking\.csv: row 2 \(ann, sample, q3\), column comment: 240,000 characters, more "
                     r"than a comment may have \(30,000", done.stderr)
    assert {name: (out / name).read_bytes() for name in before} == before       # nothing changed
    again = grade(run["sub"], out)                                              # a new run keeps the comment
    no_traceback(again)
    assert again.returncode == 0 and "column comment: 240,000 characters" in again.stderr
    assert rows_of(out / "manual-marking.csv")[0]["comment"] == rows[0]["comment"]


def test_a_sheet_with_a_cell_past_the_csv_limit_is_still_merged(run, copy_of):
    out = copy_of
    rows = rows_of(out / "manual-marking.csv")
    rows[0].update(mark="2", answer="x" * (CSV_LIMIT + 10))
    save_csv(out / "manual-marking.csv", rows)
    done = dmst("marks", out)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert next(r for r in rows_of(out / "gradebook.csv") if r["learner"] == "ann")["hand_marks"] == "2"


def test_grade_leaves_a_sheet_it_cannot_read_as_it_is(run, copy_of):
    out = copy_of
    text = (out / "manual-marking.csv").read_text("utf-8-sig").replace("submission", "sub mission", 1)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[1][4] = "2"                                                            # a mark typed in
    out_text = io.StringIO()
    csv.writer(out_text).writerows(rows)
    (out / "manual-marking.csv").write_text(out_text.getvalue(), encoding="utf-8")
    before = (out / "manual-marking.csv").read_bytes()
    done = grade(run["sub"], out)
    no_traceback(done)
    assert "the sheet has no column 'submission'" in done.stderr and "was left as it is" in done.stderr
    assert (out / "manual-marking.csv").read_bytes() == before
    for command in ("report", "export"):                    # no scores without the marks it holds
        done = dmst(command, out, *(["--to", "canvas"] if command == "export" else []))
        no_traceback(done)
        assert done.returncode == 2 and "the sheet has no column 'submission'" in done.stderr


def test_a_roster_cell_past_the_limit_is_named_by_row_and_column(run, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"learner,name\nann,{'A' * (CSV_LIMIT + 1)}\n", encoding="utf-8")
    done = dmst("export", run["out"], "--to", "canvas", "--roster", roster, "--out", tmp_path / "canvas.csv")
    no_traceback(done)
    assert done.returncode == 2 and not (tmp_path / "canvas.csv").exists()
    assert re.search(r"roster\.csv: row 2, column 'name': 131,073 characters, more than the 1,000", done.stderr)


def test_a_names_file_and_a_gradebook_with_a_huge_cell_are_named_by_row_and_column(run, copy_of, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text(f"learner,name\nAnn Lee,{'A' * (CSV_LIMIT + 1)}\n", encoding="utf-8")
    done = records(copy_of, "--names", names)
    no_traceback(done)
    assert done.returncode == 2 and "names.csv: row 2, column 'name': 131,073 characters" in done.stderr
    rows = rows_of(copy_of / "gradebook.csv")
    rows[3]["file"] = "f" * (CSV_LIMIT + 1)
    save_csv(copy_of / "gradebook.csv", rows)
    done = records(copy_of)
    no_traceback(done)
    assert done.returncode == 2 and "gradebook.csv: row 5, column 'file': 131,073 characters" in done.stderr


# --- 2. line separators in the records ledger ----------------------------------------------

def test_records_for_names_with_line_separators_verify_and_an_edited_one_does_not(run, copy_of, tmp_path):
    names = tmp_path / "names.csv"
    save_csv(names, [{"learner": learner, "name": f"Name{sep}End {i}"}
                     for i, (learner, sep) in enumerate(zip(SEPARATED, SEPARATORS))], bom=True)
    done = records(copy_of, "--names", names)
    assert done.returncode == 0, done.stderr
    issued = {e["record"]["learner"]: e for e in ledger(copy_of)}
    assert set(SEPARATED) <= set(issued)
    for i, learner in enumerate(SEPARATED):
        assert issued[learner]["record"]["name"] == f"Name\\{SEPARATOR_ESCAPES[i]}End {i}"   # printed on one line
        check = dmst("verify", issued[learner]["code"], "--results", copy_of)
        assert check.returncode == 0 and check.stdout.startswith("GENUINE"), (repr(learner), check.stdout)
    path = copy_of / "records" / "issued.jsonl"
    path.write_text(path.read_text("utf-8").replace("End 1", "End 7"), encoding="utf-8")
    check = dmst("verify", issued[SEPARATED[1]]["code"], "--results", copy_of)
    assert check.returncode == 1 and "has been altered" in check.stdout


# --- 3. look-alike learner ids ----------------------------------------------------------------

def test_ids_that_differ_only_in_spaces_or_unicode_form_stay_distinct_everywhere(run, copy_of):
    out = copy_of
    assert set(LOOKALIKE) <= {r["learner"] for r in rows_of(out / "gradebook.csv")}
    assert len({feedback_page(out, learner) for learner in LOOKALIKE}) == 5
    assert all(feedback_page(out, learner).exists() for learner in LOOKALIKE)
    done = records(out)
    assert done.returncode == 0, done.stderr
    codes = {e["record"]["learner"]: e["code"] for e in ledger(out)}
    assert set(LOOKALIKE) <= set(codes) and len({codes[x] for x in LOOKALIKE}) == 5
    assert "'Ann  Lee', 'Ann Lee', 'Ann Lee ': different ids, kept apart" in done.stdout
    assert "'Jose\\u0301', 'José': different ids, kept apart" in done.stdout
    export = dmst("export", out, "--to", "moodle")
    assert export.returncode == 0, export.stderr
    assert set(LOOKALIKE) <= {r["ID number"] for r in rows_of(out / "moodle-import.csv")}
    assert "look alike, exported as separate rows: 'Ann  Lee', 'Ann Lee', 'Ann Lee '" in export.stdout


def test_a_names_file_matches_ids_exactly_and_refuses_one_listed_twice(run, copy_of, tmp_path):
    names = tmp_path / "names.csv"
    save_csv(names, [{"learner": "Ann Lee", "name": "Ann Lee"}, {"learner": "Ann Lee ", "name": "Ann Lea"}])
    assert records(copy_of, "--names", names).returncode == 0
    printed = {e["record"]["learner"]: e["record"]["name"] for e in ledger(copy_of)}
    assert (printed["Ann Lee"], printed["Ann Lee "], printed["Ann  Lee"]) == ("Ann Lee", "Ann Lea", "Ann  Lee")
    save_csv(names, [{"learner": "Ann Lee", "name": "Ann Lee"}, {"learner": "Ann Lee", "name": "Someone Else"}])
    done = records(copy_of, "--names", names)
    assert done.returncode == 2
    assert "names.csv: row 3, column learner: 'Ann Lee' is listed already (row 2)" in done.stderr


def test_grade_lists_the_ids_that_look_alike(run):
    lines = run["grade"].stdout.split("\n")
    at = lines.index("Learner ids that look alike (each is graded as a learner of its own):")
    assert any(line.startswith("  'Ann  Lee', 'Ann Lee', 'Ann Lee '") for line in lines[at:])


# --- 4. what verify prints ---------------------------------------------------------------------

@pytest.mark.parametrize("argv, named", [
    (["verify", "\x1b[2J\nGENUINE: code 7KQ2M-XR4TD is genuine"], "CODE: '\\x1b[2J\\nGENUINE: code 7KQ2M-XR4TD"),
    (["verify", "7KQ2M-XR4TD", "--results", "/nowhere/\x1b[31m\nGENUINE"], "/nowhere/\\x1b[31m\\nGENUINE"),
])
def test_verify_escapes_what_it_was_given_one_line_per_problem(argv, named):
    done = dmst(*argv, *([] if "--results" in argv else ["--results", "/nowhere"]))
    assert done.returncode == 2 and done.stdout == ""
    assert "\x1b" not in done.stderr and done.stderr.count("\n") == 1 and named in done.stderr
    if "CODE" in named:
        assert "a code is 10 digits and letters" in done.stderr and "7KQ2M-XR4TD" in done.stderr


def test_records_escapes_a_bad_date_and_a_results_path_it_was_given():
    for argv, named in ((["/nowhere", "--date", "\x1b[2J\n2026-12-01"],
                         "--date: '\\x1b[2J\\n2026-12-01' is not a date"),
                        (["/nowhere/\x1b[31m\nGENUINE"], "/nowhere/\\x1b[31m\\nGENUINE")):
        done = dmst("records", *argv)
        assert done.returncode == 2 and "\x1b" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
        assert named in done.stderr


# --- the byte-order mark -----------------------------------------------------------------------

def test_csv_files_for_a_spreadsheet_start_with_a_byte_order_mark(run, copy_of):
    assert dmst("report", copy_of).returncode == 0
    assert dmst("export", copy_of, "--to", "canvas").returncode == 0
    for name in ("gradebook.csv", "manual-marking.csv", "item-analysis.csv", "canvas-import.csv"):
        assert (copy_of / name).read_bytes().startswith(BOM), name
        assert not (copy_of / name).read_bytes()[3:].startswith(BOM), name


@pytest.mark.parametrize("bom", [True, False])
def test_a_roster_and_a_gradebook_are_read_with_or_without_a_byte_order_mark(run, copy_of, tmp_path, bom):
    roster = tmp_path / "roster.csv"
    save_csv(roster, [{"learner": "ann", "name": "Lee, Ann", "email": "ann@example.org"}], bom=bom)
    done = dmst("export", copy_of, "--to", "moodle", "--roster", roster)
    assert done.returncode == 0, done.stderr
    assert rows_of(copy_of / "moodle-import.csv")[0]["Email address"] == "ann@example.org"
    raw = (copy_of / "gradebook.csv").read_bytes()
    (copy_of / "gradebook.csv").write_bytes(raw if bom else raw.removeprefix(BOM))
    done = records(copy_of)
    assert done.returncode == 0 and "completion record(s) written" in done.stdout, done.stderr
