"""Hostile text in what the grader writes for other readers (Canvas's import, a completion
record, the class report) and in the text it checksums, driven through the CLI as a grader runs it.

- a learner whose Canvas Student cell would contain "Points Possible" is left out of the Canvas
  file (its importer takes such a row for the points-possible row) and named, with what to do;
- a lone surrogate in a written answer is graded like any text, and right answers still score;
- a record prints its name on one line, line breaks and bidi controls escaped;
- item-analysis.csv and report.html show a list answer as a list and escape bidi controls;
- `dmst verify` and `dmst marks` stop quietly when their reader has gone.
"""
import csv
import io
import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXERCISES, SOLUTIONS, cell_index, correct, submission, write

FORGED = "nl\nCompleted with distinction\u202e"          # a folder name that would add a line to a record
TRICK = "Points Possible Pat"


def dmst(*args):
    return subprocess.run([sys.executable, "-m", "dmst", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def rows_of(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def record_text(out):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for pdf in sorted((out / "records").glob("*.pdf"))
                     for page in PdfReader(str(pdf)).pages)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One grading run, a copy of its results before any record, and the records issued after it."""
    root = tmp_path_factory.mktemp("hostile-outputs")
    sub, out = root / "submitted", root / "results"
    write(sub, "ann__sample.ipynb", correct())
    surrogate = correct()
    surrogate["cells"][cell_index(surrogate, "q3")]["source"] = "bad \ud800 surrogate"
    write(sub, "sur__sample.ipynb", surrogate)                               # JSON may hold a lone surrogate
    write(sub, "lis__sample.ipynb", submission(q1='q1 = ["B"]'))           # the right answer, but in a list
    write(sub, "bid__sample.ipynb", submission(q1='q1 = "\u202eB"'))
    write(sub, "quo__sample.ipynb", submission(q1='q1 = "C” (9); “B"'))    # quotes that would forge a count
    write(sub, f"{TRICK}__second.ipynb", correct("second"))
    write(sub, f"{FORGED}/second.ipynb", correct("second"))
    graded = dmst("grade", sub, "--out", out, "--exercises-dir", EXERCISES, "--solutions-dir", SOLUTIONS,
                  "--no-progress")
    assert "Traceback" not in graded.stderr, graded.stderr
    shutil.copytree(out, root / "before-records", symlinks=True)
    done = records(out)
    assert done.returncode == 0, done.stderr
    return root, out, graded


def records(out, *extra):
    return dmst("records", out, "--exercises-dir", EXERCISES, "--require", "second", "--pass-mark", 50,
                "--date", "2026-12-01", *extra)


def gradebook(out):
    return {(r["learner"], r["exercise"]): r for r in csv.DictReader(
        io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8-sig"), newline=""))}


def test_a_lone_surrogate_in_a_written_answer_is_graded_and_its_right_answers_score(run):
    _, out, graded = run
    assert graded.returncode == 0, graded.stdout                           # every file graded
    book = gradebook(out)
    sur, ann = book[("sur", "sample")], book[("ann", "sample")]
    assert sur["status"] == "graded" and sur["needs_manual_grading"] == "q3"
    assert sur["total"] == ann["total"] and float(sur["total"]) > 0
    sheet = (out / "manual-marking.csv").read_text(encoding="utf-8-sig")
    assert "bad \\ud800 surrogate" in sheet


def test_canvas_leaves_out_a_row_it_would_take_for_points_possible_and_says_so(run, tmp_path):
    _, out, _ = run
    target = tmp_path / "canvas.csv"
    done = dmst("export", out, "--to", "canvas", "--out", target)
    assert done.returncode == 0, done.stderr
    rows = rows_of(target)
    assert [r[0] for r in rows if "Points Possible" in r[0]] == ["Points Possible"] and rows[1][0] == "Points Possible"
    assert rows[1][5:] == ["6", "3"]                                        # the maxima stand
    note = next(line for line in done.stdout.splitlines() if "Not exported" in line)
    assert f"'{TRICK}'" in note and "by hand" in note and "roster" in note
    roster = tmp_path / "roster.csv"
    roster.write_text(f"learner,name\nann,\"Points Possible\u202e, Ann\"\n{TRICK},Pat Lee\n", encoding="utf-8")
    done = dmst("export", out, "--to", "canvas", "--roster", roster, "--out", target)
    assert done.returncode == 0, done.stderr
    assert [r[0] for r in rows_of(target)] == ["Student", "Points Possible", "Pat Lee"]
    assert "'Points Possible\\u202e, Ann'" in done.stdout and "\u202e" not in done.stdout


def test_a_record_prints_its_name_on_one_line_with_controls_escaped(run, tmp_path):
    root, out, _ = run
    text = record_text(out)
    assert "nl\\nCompleted with distinction\\u202e" in text
    assert "\u202e" not in text and "\nCompleted with distinction" not in text
    names = tmp_path / "names.csv"
    names.write_text(f"learner,name\n{TRICK},\"Pat\u2066 Lee\nHonours\"\n", encoding="utf-8")
    fresh = tmp_path / "results"
    shutil.copytree(root / "before-records", fresh, symlinks=True)
    done = records(fresh, "--names", names)
    assert done.returncode == 0, done.stderr
    text = record_text(fresh)
    assert "Pat\\u2066 Lee\\nHonours" in text and "\u2066" not in text


def test_the_report_shows_a_list_as_a_list_and_escapes_bidi_controls(run):
    _, out, _ = run
    done = dmst("report", out)
    assert done.returncode == 0, done.stderr
    q1 = next(r for r in rows_of(out / "item-analysis.csv") if r[:2] == ["sample", "test_q1"])
    assert "[“B”] (1)" in q1[5] and "“\\u202eB” (1)" in q1[5]
    assert "“C\\u201d (9); \\u201cB” (1)" in q1[5] and "“B” (9)" not in q1[5]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "[“B”] (1)" in html and "“\\u202eB” (1)" in html
    assert "\u202e" not in html + (out / "item-analysis.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("command", ["verify", "marks"])
def test_a_reader_that_has_gone_ends_the_command_quietly(run, command):
    _, out, _ = run
    code = next(line.split(": ")[1].split()[0] for line in records(out).stdout.splitlines() if TRICK in line)
    args = ("verify", code, "--results", out) if command == "verify" else ("marks", out)
    read, written = os.pipe()
    os.close(read)                                                          # like `| head` that has finished
    try:
        done = subprocess.run([sys.executable, "-m", "dmst", *map(str, args)], stdout=written,
                              stderr=subprocess.PIPE, text=True, timeout=600)
    finally:
        os.close(written)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 141                                           # as a command a closed pipe stopped
