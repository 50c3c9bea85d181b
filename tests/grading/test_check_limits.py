"""The trusted checks stay fast and bounded whatever a learner types: reading a list of names is
linear in the answer's length, an answer longer than checks.MAX_ANSWER_CHARS is wrong with a
fixed message, and a check's time limit cannot be swallowed by the checks' own error handling.
The long answer is graded as a grader runs it (`dmst grade` on the course's own exercise 05);
the time limit through the checker process the grader uses."""
import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from dmst.grading.checker import Checker
from dmst.grading.checks import MAX_ANSWER_CHARS, as_form

PROJECT = Path(__file__).resolve().parents[2]
EXERCISE = "ex05-responding-and-reporting"
CRAFTED = "DCF Careline & " * 60_000           # 900 kB: " & " split by a pattern that looked ahead to the end


def answered(**answers) -> dict:
    """The course's released exercise 05 with `answers` (grade id -> cell source) filled in."""
    nb = json.loads((PROJECT / "exercises" / EXERCISE / f"{EXERCISE}.ipynb").read_text())
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return nb


def test_a_crafted_long_answer_is_wrong_quickly_and_the_rest_is_scored(tmp_path):
    sub, out = tmp_path / "submitted", tmp_path / "results"
    sub.mkdir()
    (sub / f"ann__{EXERCISE}.ipynb").write_text(json.dumps(answered(
        q3_answer=f"q3 = {CRAFTED!r}", q4_answer='q4 = "DCF Careline, FBI, U.S. Attorney"')))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--timeout-cell", "5",
                           "--no-progress"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert time.monotonic() - started < 120
    book = pd.read_csv(out / "gradebook.csv", keep_default_na=False, na_values=[""]).set_index("learner")
    assert book.loc["ann", "status"] == "graded"
    assert book.loc["ann", f"{EXERCISE}:q3"] == 0
    assert book.loc["ann", f"{EXERCISE}:q4"] > 0          # the next question is still read and scored
    page = next((out / "feedback").glob("ann-*.html")).read_text()
    assert f"longer than {MAX_ANSWER_CHARS:,} characters" in page


def test_reading_a_list_grows_linearly_with_its_length():
    def seconds(text):
        started = time.perf_counter()
        as_form(text, "contacts")
        return time.perf_counter() - started
    short, long = seconds("DCF Careline & " * 2_000), seconds("DCF Careline & " * 64_000)
    assert long < 32 * short * 4 + 0.05        # 32 times the text; a square would be 1000 times


def test_a_check_past_its_time_limit_is_stopped_even_if_errors_are_caught():
    slow = ("from dmst.grading.checks import check_value\n"
            "class Slow:\n    def __str__(self):\n        while True:\n            pass\n"
            "check_value('q1', Slow(), hint='')\n"          # the check's own `except Exception` saw the alarm
            "while True:\n    pass\n")
    swallows = "try:\n    while True:\n        pass\nexcept BaseException:\n    pass\nwhile True:\n    pass\n"
    job = {"cells": [{"test": "t1", "source": slow}, {"test": "t2", "source": swallows}, {"test": "t3", "source": "q1"}],
           "names": ["q1"], "answers": {t: {"q1": {"value": t}} for t in ("t1", "t2", "t3")}, "timeout": 1}
    checker = Checker()
    try:
        started = time.monotonic()
        reply = checker.check(job, seconds=30)
        took = time.monotonic() - started
    finally:
        checker.close()
    assert reply["tests"]["t1"][-1]["ename"] == "TimeLimit"
    assert reply["tests"]["t2"][-1]["ename"] == "TimeLimit"           # caught once, the alarm came again
    assert reply["tests"]["t3"] == [{"output_type": "execute_result", "text": "'t3'"}]  # the next check runs
    assert took < 60 + 10                      # the first job also starts the checker (up to 60 s)
