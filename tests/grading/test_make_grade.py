"""`make grade` when some files could not be graded (dmst grade's exit 1): a plain sentence says
so and where to look, and make still fails, so a script that runs it sees the run was not clean."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_grade_says_in_words_that_some_files_could_not_be_graded(tmp_path):
    sub, out = tmp_path / "submitted", tmp_path / "results"
    sub.mkdir()
    (sub / "ann__ex01-defining-the-crime.ipynb").write_text("{not json")
    done = subprocess.run(["make", "grade", f"SUBMISSIONS={sub}", f"RESULTS={out}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode != 0
    assert f"Some files could not be graded: see the list above and {out}/gradebook.csv" in done.stderr
    assert "not a crash" in done.stderr and "Traceback" not in done.stderr
    assert (out / "gradebook.csv").exists()
