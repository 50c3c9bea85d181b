"""The written answers round trip: grade -> manual-marking sheet -> marks filled in a
spreadsheet -> `dmst marks` -> gradebook and feedback with the marks."""
import csv
import io
import subprocess
import sys

import pandas as pd
import pytest

from dmst.grading.marks import COLUMNS

from conftest import EXERCISES, SOLUTIONS, correct, feedback_page, submission, write


def dmst(*args):
    return subprocess.run([sys.executable, "-m", "dmst", *args], capture_output=True, text=True, timeout=600)


def grade(sub, out):
    return dmst("grade", str(sub), "--out", str(out), "--exercises-dir", str(EXERCISES), "--solutions-dir",
                str(SOLUTIONS), "--no-progress")


def read_sheet(path, encoding="utf-8-sig", delimiter=","):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding=encoding), newline=""), delimiter=delimiter))


def write_sheet(path, rows, encoding="utf-8", delimiter=","):
    """Save rows as a spreadsheet would (Excel on Windows: semicolons, Windows-1252)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


def gradebook(out):
    frame = pd.read_csv(out / "gradebook.csv", dtype={"needs_manual_grading": str, "notes": str})
    return frame.fillna({"needs_manual_grading": "", "notes": ""}).set_index("learner")


@pytest.fixture
def graded(dirs):
    sub, out = dirs
    write(sub, "ann__sample.ipynb", correct())
    write(sub, "ben__sample.ipynb", submission(q1='q1 = "B"', q3="=HYPERLINK(\"http://example.invalid\", \"Café §\")"))
    write(sub, "cy__sample.ipynb", submission(q1='q1 = "B"'))             # no written answer: nothing to mark
    done = grade(sub, out)
    assert done.returncode == 0, done.stderr
    return sub, out


def test_the_sheet_lists_each_written_answer_to_mark_safely_for_a_spreadsheet(graded):
    _, out = graded
    raw = (out / "manual-marking.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                                    # UTF-8 with BOM: Excel shows § and é
    rows = read_sheet(out / "manual-marking.csv")
    assert [r["learner"] for r in rows] == ["ann", "ben"] and list(rows[0]) == COLUMNS
    assert rows[0]["answer"] == "Call the hotline first: it is the agreed first step." and rows[0]["out_of"] == "2"
    assert rows[1]["answer"].startswith("'=HYPERLINK(")                      # not run as a formula
    assert gradebook(out).loc["ann", "needs_manual_grading"] == "q3"


def test_marks_merge_into_the_gradebook_and_feedback(graded):
    _, out = graded
    rows = read_sheet(out / "manual-marking.csv")
    rows[0].update(mark="1,5", comment="Good: say why the hotline first.")   # decimal comma, as some locales write
    elsewhere = out.parent / "marked.csv"
    write_sheet(elsewhere, rows, encoding="cp1252", delimiter=";")
    done = dmst("marks", str(out), "--sheet", str(elsewhere))
    assert done.returncode == 0, done.stderr
    assert "Merged 1 mark" in done.stdout and "1 submission still has written answers to mark" in done.stdout
    book = gradebook(out)
    assert book.loc["ann", "total"] == 5.5 and book.loc["ann", "sample:q3"] == 1.5
    assert book.loc["ann", "needs_manual_grading"] == "" and book.loc["ann", "hand_marks"] == 1.5
    assert book.loc["ann", "status"] == "graded"
    assert book.loc["ben", "needs_manual_grading"] == "q3"
    html = feedback_page(out, "ann").read_text()
    assert "Good: say why the hotline first." in html and "marked by your instructor" in html
    kept = read_sheet(out / "manual-marking.csv")                            # the marks now live in the results' sheet
    assert kept[0]["mark"] == "1,5" and kept[0]["comment"] == "Good: say why the hotline first."


def test_grading_again_keeps_the_marks_and_drops_a_mark_whose_answer_changed(graded):
    sub, out = graded
    rows = read_sheet(out / "manual-marking.csv")
    rows[0]["mark"], rows[1]["mark"] = "2", "1"
    write_sheet(out / "manual-marking.csv", rows, encoding="utf-8-sig")
    assert dmst("marks", str(out)).returncode == 0
    write(sub, "ben__sample.ipynb", submission(q1='q1 = "B"', q3="A new answer."))   # ben hands in again
    done = grade(sub, out)
    assert done.returncode == 0
    book = gradebook(out)
    assert book.loc["ann", "total"] == 6 and book.loc["ann", "needs_manual_grading"] == ""
    assert book.loc["ben", "needs_manual_grading"] == "q3" and book.loc["ben", "total"] == 2   # no mark yet
    rows = read_sheet(out / "manual-marking.csv")
    assert [(r["learner"], r["mark"]) for r in rows] == [("ann", "2"), ("ben", "")]


@pytest.mark.parametrize("mark, problem", [
    ("3", "column mark: '3' is not a number from 0 to 2"),
    ("good", "column mark: 'good' is not a number from 0 to 2"),
    ("-1", "column mark: '-1' is not a number from 0 to 2"),
    ("0_2", "column mark: '0_2' is not a number from 0 to 2"),              # Python's float() reads these three
    ("\uff12", "column mark: '\uff12' is not a number from 0 to 2"),       # a fullwidth 2
    ("1e0", "column mark: '1e0' is not a number from 0 to 2"),
    ("1.5.0", "column mark: '1.5.0' is not a number from 0 to 2"),
])
def test_a_bad_mark_is_named_and_nothing_changes(graded, mark, problem):
    _, out = graded
    before = (out / "gradebook.csv").read_bytes(), (out / "manual-marking.csv").read_bytes()
    rows = read_sheet(out / "manual-marking.csv")
    rows[0]["mark"] = mark
    sheet = out.parent / "marked.csv"
    write_sheet(sheet, rows)
    done = dmst("marks", str(out), "--sheet", str(sheet))
    assert done.returncode == 2 and "row 2 (ann, sample, q3), " + problem in done.stderr
    assert "nothing was changed" in done.stderr and "Traceback" not in done.stderr
    assert ((out / "gradebook.csv").read_bytes(), (out / "manual-marking.csv").read_bytes()) == before


def test_a_sheet_without_the_key_columns_is_refused(graded):
    _, out = graded
    sheet = out.parent / "marked.csv"
    sheet.write_text("learner,mark\nann,2\n")
    done = dmst("marks", str(out), "--sheet", str(sheet))
    assert done.returncode == 2 and "no column 'submission', 'question'" in done.stderr


def test_marks_need_grading_results(tmp_path):
    done = dmst("marks", str(tmp_path))
    assert done.returncode == 2 and "run `dmst grade` first" in done.stderr


def test_the_graders_own_columns_and_row_order_are_kept_when_the_sheet_is_rewritten(graded):
    sub, out = graded
    ann, ben = read_sheet(out / "manual-marking.csv")
    ann.update(mark="2", my_notes="strong")
    ben.update(my_notes="ask about \"=1+1\", see email")
    path = out / "manual-marking.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:      # the grader's column first, ben's row first
        writer = csv.DictWriter(f, fieldnames=["my_notes", *COLUMNS])
        writer.writeheader()
        writer.writerows([ben, ann])
    assert dmst("marks", str(out)).returncode == 0
    write(sub, "abe__sample.ipynb", correct())                      # a new answer to mark: after the others
    assert grade(sub, out).returncode == 0
    rows = read_sheet(path)
    assert list(rows[0]) == [*COLUMNS, "my_notes"]
    assert [(r["learner"], r["mark"], r["my_notes"]) for r in rows] == [
        ("ben", "", "ask about \"=1+1\", see email"), ("ann", "2", "strong"), ("abe", "", "")]
    assert gradebook(out).loc["ann", "total"] == 6


@pytest.mark.parametrize("header, extra, problem", [
    ([*COLUMNS, "notes", "notes"], ["a", "b"], "more than one column is headed 'notes'"),
    (COLUMNS, ["x"], "row 2 has cells beyond the header's columns"),
])
def test_a_sheet_whose_cells_have_no_column_of_their_own_is_left_as_it_is(graded, header, extra, problem):
    sub, out = graded
    path = out / "manual-marking.csv"
    rows = read_sheet(path)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([[r[c] for c in COLUMNS] + extra for r in rows])
    before = path.read_bytes()
    done = grade(sub, out)
    assert problem in done.stderr and "was left as it is" in done.stderr and "Traceback" not in done.stderr
    assert path.read_bytes() == before
