"""Hand-in as learners do it: browser downloads, a learner's folder of them, second copies, files
handed in under the wrong name; what was taken and what was not; the exit code."""
import os
import subprocess
import sys

import pandas as pd

from conftest import EXERCISES, SOLUTIONS, correct, feedback_page, release, submission, write


def grade_cli(sub, out):
    done = subprocess.run([sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir",
                           str(EXERCISES), "--solutions-dir", str(SOLUTIONS), "--no-progress"],
                          capture_output=True, text=True, timeout=600)
    frame = pd.read_csv(out / "gradebook.csv", keep_default_na=False)
    return done, frame.set_index("file")


def test_downloads_and_copies_are_understood_and_the_newest_copy_graded(dirs):
    sub, out = dirs
    write(sub, "ann/sample.ipynb", release())                                # first download, blank
    write(sub, "ann/sample (1).ipynb", correct())                             # downloaded again: the newer
    write(sub, "ann/Untitled.ipynb", correct("second"))                       # renamed: the notebook says which
    write(sub, "ben__sample.ipynb", correct())
    write(sub, "ben__sample (2).ipynb", submission(q1='q1 = "A"'))
    write(sub, "cy/sample/sample.ipynb", release())
    write(sub, "cy__sample.ipynb", correct())
    os.utime(sub / "cy" / "sample" / "sample.ipynb", (1_000_000, 1_000_000))  # older than cy__sample.ipynb
    write(sub, ".ipynb_checkpoints/ann__sample-checkpoint.ipynb", release())
    done, frame = grade_cli(sub, out)
    assert done.returncode == 0, done.stdout + done.stderr
    taken = frame[frame.taken == "yes"]
    assert sorted(taken.index) == ["ann/Untitled.ipynb", "ann/sample (1).ipynb", "ben__sample (2).ipynb", "cy__sample.ipynb"]
    assert frame.loc["ann/sample (1).ipynb", "total"] == 4
    assert frame.loc["ann/Untitled.ipynb", "exercise"] == "second" and frame.loc["ann/Untitled.ipynb", "total"] == 3
    assert "the notebook says it is second" in frame.loc["ann/Untitled.ipynb", "notes"]
    for older, newer in (("ann/sample.ipynb", "ann/sample (1).ipynb"), ("ben__sample.ipynb", "ben__sample (2).ipynb"),
                         ("cy/sample/sample.ipynb", "cy__sample.ipynb")):
        assert frame.loc[older, "status"] == "not_taken" and newer in frame.loc[older, "notes"]
        assert frame.loc[older, "taken"] == "no"
    summary = done.stdout
    assert "Not taken (3 older copies" in summary and "Could not be graded" not in summary
    assert "Skipped (hidden or linked): .ipynb_checkpoints/" in summary
    # exactly one row per learner and exercise counts
    assert not taken.duplicated(["learner", "exercise"]).any()


def test_a_file_that_cannot_be_graded_makes_the_exit_code_1_and_is_named(dirs):
    sub, out = dirs
    write(sub, "ann__sample.ipynb", correct())
    write(sub, "ann/notes.pdf", "%PDF-1.4")
    write(sub, "dee/second/second.ipynb", correct("sample"))                 # exercise sample, handed in as second
    unnamed = release()
    del unnamed["metadata"]["dmst"]
    write(sub, "eve__third.ipynb", unnamed)                                  # an exercise the course does not have
    write(sub, "fay__third.ipynb", release())                                # ... but the notebook says which it is
    done, frame = grade_cli(sub, out)
    assert done.returncode == 1
    assert frame.loc["ann__sample.ipynb", "status"] == "graded"
    assert frame.loc["ann/notes.pdf", "status"] == "not_a_notebook"
    assert frame.loc["dee/second/second.ipynb", "status"] == "wrong_exercise"
    assert "exercise sample" in frame.loc["dee/second/second.ipynb", "notes"]
    assert frame.loc["eve__third.ipynb", "status"] == "unknown_exercise"
    assert frame.loc["fay__third.ipynb", "status"] == "graded" and frame.loc["fay__third.ipynb", "exercise"] == "sample"
    failed = done.stdout.split("Could not be graded (3 files):")[1]
    for file in ("ann/notes.pdf", "dee/second/second.ipynb", "eve__third.ipynb"):
        assert file in failed


def test_cells_without_their_metadata_are_named_as_such_even_when_the_notebook_names_itself(dirs):
    sub, out = dirs
    copied = correct()
    for cell in copied["cells"]:
        cell["metadata"] = {}
    write(sub, "ann__sample.ipynb", copied)
    done, frame = grade_cli(sub, out)
    assert done.returncode == 1 and frame.loc["ann__sample.ipynb", "status"] == "missing_metadata"


def test_text_a_spreadsheet_would_run_is_written_as_text(dirs):
    sub, out = dirs
    write(sub, "=SUM(1+1)__sample.ipynb", correct())
    done, frame = grade_cli(sub, out)
    assert done.returncode == 0
    assert "\n'=SUM(1+1),sample,graded," in (out / "gradebook.csv").read_text()


def test_the_gradebook_keeps_its_columns(dirs):
    """Other tools read learner, exercise, status, total and max; the README documents every column."""
    sub, out = dirs
    write(sub, "ann__sample.ipynb", correct())
    _, frame = grade_cli(sub, out)
    columns = list(pd.read_csv(out / "gradebook.csv").columns)
    assert columns[:5] == ["learner", "exercise", "status", "total", "max"]
    readme = (EXERCISES.parents[3] / "README.md").read_text()
    for column in columns:
        if ":" not in column:
            assert f"`{column}`" in readme, f"the README does not document the gradebook column {column}"


def test_a_broken_notebook_is_named_once_on_the_feedback_page_and_in_the_records(dirs):
    sub, out = dirs
    write(sub, "gus/sample.ipynb", correct())
    write(sub, "gus/second.ipynb", '{"cells": [ this is not json')             # handed in, but broken
    write(sub, "fay/sample.ipynb", correct())                                 # fay handed in no second
    done, frame = grade_cli(sub, out)
    assert done.returncode == 1
    assert frame.loc["gus/second.ipynb", "status"] == "invalid_notebook"
    page = feedback_page(out, "gus").read_text()
    item = page.split("<strong>gus/second.ipynb</strong>: ")[1].split("</li>")[0]
    assert item.startswith("not graded: the file is not a notebook: not valid JSON")
    assert item.count("not a notebook") == 1
    records = subprocess.run([sys.executable, "-m", "dmst", "records", str(out), "--exercises-dir", str(EXERCISES),
                              "--pass-mark", "50"], capture_output=True, text=True, timeout=600)
    assert records.returncode == 0, records.stderr
    gus = next(line for line in records.stdout.splitlines() if line.startswith("  gus:"))
    assert "handed in second (gus/second.ipynb: status invalid_notebook" in gus and "could not be graded" in gus
    assert "has not handed in" not in gus
    assert "  fay: has not handed in second" in records.stdout
