"""A grading run never loses, changes or deletes a file it did not write: a person's own file
under a name the grader writes (the gradebook, the hand-marking sheet, a record, a feedback page,
the list of what it wrote) is refused with exit 2 naming it, before anything is written. Driven
as a grader runs it, through the CLI."""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dmst.grading import naming

from conftest import EXERCISES, SOLUTIONS, correct, feedback_page, write


def grade(sub, out):
    return subprocess.run([sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir",
                           str(EXERCISES), "--solutions-dir", str(SOLUTIONS), "--no-progress"],
                          capture_output=True, text=True, timeout=600)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(os.fsencode(path.relative_to(folder)))
        if path.is_file() and not path.is_symlink():
            h.update(path.read_bytes())
    return h.hexdigest()


NAMES = {
    "gradebook": lambda out: out / "gradebook.csv",
    "sheet": lambda out: out / "manual-marking.csv",
    "list": lambda out: out / ".dmst-written",
    "record": lambda out: out / "results" / f"{naming.record_id('ann', 'sample')}.json",
    "feedback": lambda out: feedback_page(out, "ann"),
}


@pytest.mark.parametrize("name", list(NAMES))
def test_a_persons_file_in_the_way_is_refused_and_kept(tmp_path, name):
    sub, out = tmp_path / "submitted", tmp_path / "results"
    write(sub, "ann__sample.ipynb", correct())
    mine = NAMES[name](out)
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("my own file, not the grader's\n")
    before = digest(out)
    done = grade(sub, out)
    assert done.returncode == 2, done.stderr
    assert str(mine) in done.stderr and "not written by the grader" in done.stderr and "Traceback" not in done.stderr
    assert digest(out) == before
    assert mine.read_text() == "my own file, not the grader's\n"


def test_the_graders_own_files_are_still_replaced_and_a_persons_kept_beside_them(tmp_path):
    sub, out = tmp_path / "submitted", tmp_path / "results"
    write(sub, "ann__sample.ipynb", correct())
    assert grade(sub, out).returncode == 0
    (out / "my-gradebook.csv").write_text("mine\n")
    (out / "gradebook.csv").write_text("edited by hand, but the grader's file\n")
    done = grade(sub, out)
    assert done.returncode == 0, done.stderr
    assert (out / "gradebook.csv").read_text(encoding="utf-8-sig").startswith("learner,")
    assert (out / "my-gradebook.csv").read_text() == "mine\n"
