"""The results folder cannot be turned against what the grader was given (issue 14, class 5), a
run that cannot finish leaves no gradebook looking current (class 1), and the degraded cases of
class 7 that need a run of their own: an empty folder, ids a spreadsheet would read as formulas
read back by `dmst records`, a code typed with a space. All through the CLI, as a grader runs it."""
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dmst.grading import naming

from conftest import EXERCISES, SOLUTIONS, correct, feedback_page, release, submission, write


def dmst(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "dmst", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def grade(sub, out, *extra):
    return dmst("grade", sub, "--out", out, "--exercises-dir", EXERCISES, "--solutions-dir", SOLUTIONS,
                "--no-progress", *extra)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(os.fsencode(path.relative_to(folder)))
        if path.is_symlink():
            h.update(os.fsencode(os.readlink(path)))
        elif path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def handed_in(tmp_path):
    sub = tmp_path / "submitted"
    write(sub, "ann__sample.ipynb", correct())
    write(sub, "ben__sample.ipynb", submission(q1='q1 = "A"'))
    other = tmp_path / "other"
    other.mkdir()
    (other / "precious.txt").write_text("not the grader's\n")
    return sub, tmp_path / "results", other


@pytest.mark.parametrize("planted", ["feedback", "results"])
def test_a_planted_link_in_the_results_folder_is_refused_and_followed_nowhere(handed_in, planted):
    sub, out, other = handed_in
    out.mkdir()
    (out / "feedback").symlink_to(other)
    (out / "results").symlink_to(sub)                      # the clean-up used to delete every submission
    before = digest(sub), digest(other)
    done = grade(sub, out)
    assert done.returncode == 2 and "is a link or a file, not a folder" in done.stderr
    assert planted in done.stderr or "feedback" in done.stderr or "results" in done.stderr
    assert (digest(sub), digest(other)) == before
    assert not (out / "gradebook.csv").exists()


def test_links_planted_as_files_are_replaced_never_written_through(handed_in):
    sub, out, other = handed_in
    assert grade(sub, out).returncode == 0
    record = out / "results" / f"{naming.record_id('ann', 'sample')}.json"
    record.unlink()
    record.symlink_to(other / "precious.txt")               # a record that points outside
    (out / "gradebook.csv").unlink()
    (out / "gradebook.csv").symlink_to(other / "precious.txt")
    (out / "manual-marking.csv").unlink()
    (out / "manual-marking.csv").symlink_to(sub / "ann__sample.ipynb")
    before = digest(sub), digest(other)
    done = grade(sub, out)
    assert done.returncode == 0, done.stderr
    assert (digest(sub), digest(other)) == before
    for path in (record, out / "gradebook.csv", out / "manual-marking.csv"):
        assert not path.is_symlink() and path.is_file()


def test_only_what_the_grader_wrote_is_ever_removed(handed_in):
    sub, out, other = handed_in
    assert grade(sub, out).returncode == 0
    mine = out / "feedback" / "my notes.txt"
    mine.write_text("the grader's own notes\n")
    (out / "results" / "kept.json").write_text("{}")
    (sub / "ben__sample.ipynb").unlink()                    # ben's record and page are now stale
    assert grade(sub, out).returncode == 0
    assert mine.read_text() == "the grader's own notes\n" and (out / "results" / "kept.json").exists()
    assert not feedback_page(out, "ben").exists() and feedback_page(out, "ann").exists()


@pytest.mark.parametrize("layout", ["submissions inside the results", "results inside the submissions", "the same"])
def test_submissions_and_results_that_overlap_are_refused(tmp_path, layout):
    top = tmp_path / "x"
    if layout == "submissions inside the results":
        sub, out = top / "results", top
    elif layout == "results inside the submissions":
        sub, out = top, top / "out"
    else:
        sub = out = top
    write(sub, "ann__sample.ipynb", correct())
    before = digest(top)
    done = grade(sub, out)
    assert done.returncode == 2 and "overlap" in done.stderr and "Traceback" not in done.stderr
    assert digest(top) == before


def test_an_empty_folder_is_a_clear_error_and_writes_nothing(tmp_path):
    sub = tmp_path / "submitted"
    sub.mkdir()
    (sub / ".hidden.ipynb").write_text("{}")
    done = grade(sub, tmp_path / "results")
    assert done.returncode == 2
    assert "holds no files to grade" in done.stderr and ".hidden.ipynb" in done.stderr
    assert not (tmp_path / "results").exists()


def test_a_run_that_does_not_finish_leaves_no_gradebook_looking_current(tmp_path):
    sub, out = tmp_path / "submitted", tmp_path / "results"
    write(sub, "ann__sample.ipynb", correct())
    assert grade(sub, out).returncode == 0 and (out / "gradebook.csv").exists()
    for n in range(6):                                       # new work, then the run is killed midway
        write(sub, f"l{n}__sample.ipynb", submission(q1="import time\ntime.sleep(2)\nq1 = 'B'"))
    proc = subprocess.Popen([sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir",
                             str(EXERCISES), "--solutions-dir", str(SOLUTIONS), "--no-progress", "--jobs", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (out / "gradebook.csv").exists():
        time.sleep(0.05)
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "gradebook.csv").exists(), "an old gradebook was left looking like the result"
    marks = dmst("marks", out)
    assert marks.returncode == 2 and "did not finish" in marks.stderr
    assert grade(sub, out).returncode == 0 and (out / "gradebook.csv").read_text().count("\n") == 8


def test_an_interrupted_run_says_so_and_exits_2(tmp_path):
    sub, out = tmp_path / "submitted", tmp_path / "results"
    for n in range(4):
        write(sub, f"l{n}__sample.ipynb", submission(q1="import time\ntime.sleep(3)\nq1 = 'B'"))
    proc = subprocess.Popen([sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir",
                             str(EXERCISES), "--solutions-dir", str(SOLUTIONS), "--no-progress", "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((out / "results").glob("*.json")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "the run did not finish" in err and "no gradebook was written" in err
    assert "Traceback" not in err and not (out / "gradebook.csv").exists()


def test_learner_ids_with_a_leading_at_or_dash_are_found_by_records(tmp_path):
    sub, out = tmp_path / "submitted", tmp_path / "results"
    write(sub, "@ann__sample.ipynb", correct())
    write(sub, "-ben__sample.ipynb", release())
    assert grade(sub, out).returncode == 0
    marks = out / "manual-marking.csv"
    marks.write_text(marks.read_text(encoding="utf-8-sig").replace(",,,", ",2,,", 1), encoding="utf-8")
    assert dmst("marks", out).returncode == 0
    names = tmp_path / "names.csv"
    names.write_text("learner,name\n@ann,Ann Example\n-ben,Ben Example\n")
    done = dmst("records", out, "--exercises-dir", EXERCISES, "--require", "sample", "--pass-mark", "50",
                "--names", names)
    assert done.returncode == 0, done.stderr
    assert "@ann: " in done.stdout and "'@ann" not in done.stdout
    assert "-ben: has not" in done.stdout or "-ben: 0% is below" in done.stdout
    code = done.stdout.split("@ann: ")[1].split()[0]
    spaced = dmst("verify", *code.split("-"), "--results", out)
    assert spaced.returncode == 0 and "name: Ann Example (learner @ann)" in spaced.stdout
