"""The sandbox's mounts never hide, expose or shadow what they should not: a folder the grader
uses that overlaps one the sandbox binds read-only (given directly or through a link) is refused
with exit 2 before anything is written, and so is a layout where the sandbox's one writable
folder would be mounted over, or inside, a folder it binds read-only (it used to hide the
grader's own supervisor, so every file came back `no_report`). Driven through the CLI."""
import subprocess
import sys

from dmst.grading import sandbox

from conftest import EXERCISES, SOLUTIONS, correct, write

ARGS = ["--exercises-dir", str(EXERCISES), "--solutions-dir", str(SOLUTIONS), "--no-progress"]
# The CLI with the sandbox's writable folder moved onto the course's own package, as when the
# course or its Python is installed under /home/learner.
MOVED_HOME = ("import sys\nimport dmst.grading.sandbox as s\ns.HOME = str(s.SRC_DIR / 'dmst')\n"
              "from dmst.cli import main\nsys.exit(main(sys.argv[1:]))")


def test_a_writable_folder_over_a_read_only_one_is_refused(tmp_path):
    write(tmp_path / "submitted", "ann__sample.ipynb", correct())
    out = tmp_path / "results"
    done = subprocess.run([sys.executable, "-c", MOVED_HOME, "grade", str(tmp_path / "submitted"), "--out", str(out),
                           *ARGS], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"writable folder {sandbox.SRC_DIR / 'dmst'} overlaps {sandbox.SRC_DIR}" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_a_linked_submissions_folder_inside_a_read_only_one_is_refused(tmp_path):
    link = tmp_path / "submitted"
    link.symlink_to(sandbox.DATA_DIR)                       # holds files, and the sandbox binds it
    out = tmp_path / "results"
    done = subprocess.run([sys.executable, "-m", "dmst", "grade", str(link), "--out", str(out), *ARGS],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and f"{sandbox.DATA_DIR} overlaps {sandbox.DATA_DIR}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
