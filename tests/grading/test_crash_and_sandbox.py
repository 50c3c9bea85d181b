"""A run killed midway keeps what it wrote; the sandbox is required under CI, optional elsewhere."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from dmst.grading import sandbox
from dmst.grading.collect import collect, split_copy

from conftest import EXERCISES, SOLUTIONS, correct, release, submission, write


def cmd(sub, out, *extra):
    return [sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir", str(EXERCISES),
            "--solutions-dir", str(SOLUTIONS), "--no-progress", *extra]


def test_killed_run_keeps_finished_results_and_a_rerun_completes(dirs):
    sub, out = dirs
    for n in range(8):
        write(sub, f"l{n}__sample.ipynb", correct() if n % 2 else submission(q1='q1 = "A"'))
    proc = subprocess.Popen(cmd(sub, out, "--jobs", "1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list((out / "results").glob("*.json"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    kept = {p.name: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    assert 3 <= len(kept) < 8
    for record in kept.values():
        assert record["status"] == "graded"
    done = subprocess.run(cmd(sub, out, "--jobs", "1"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for name, record in kept.items():   # already graded: reused, not lost or changed
        assert json.loads((out / "results" / name).read_text()) == record
    assert len(list((out / "results").glob("*.json"))) == 8
    assert (out / "gradebook.csv").read_text().count("\n") == 9


def test_missing_bwrap_under_ci_is_an_error():
    with pytest.raises(sandbox.SandboxUnavailable):
        sandbox.detect(env={"CI": "true"}, which=lambda name: None, platform="linux")


def test_missing_bwrap_elsewhere_warns_and_runs_unsandboxed():
    box, warning = sandbox.detect(env={}, which=lambda name: None, platform="linux")
    assert not box.sandboxed and "WITHOUT a sandbox" in warning
    run = box.run([{"source": "x = 6 * 7"}, {"answers": ["x", "y"]}], timeout_cell=5, timeout_notebook=60)
    assert run.finished and run.answers == {1: {"x": {"value": 42}}}


def test_other_systems_warn():
    box, warning = sandbox.detect(env={"CI": "true"}, which=lambda name: "/usr/bin/bwrap", platform="darwin")
    assert not box.sandboxed and "not on Linux" in warning


def test_bwrap_is_used_where_it_works():
    box, warning = sandbox.detect(env={"CI": "true"})
    assert box.sandboxed and warning is None
    run = box.run([{"source": "import os\nuid = os.getuid()"}, {"answers": ["uid"]}], timeout_cell=5, timeout_notebook=60)
    assert run.answers[1]["uid"] == {"value": 65534}


def test_results_folder_inside_a_readable_folder_is_refused(tmp_path):
    with pytest.raises(ValueError):
        sandbox.Sandbox(None, forbidden=(sandbox.DATA_DIR / "results",))


def test_collect_layouts_copies_and_odd_names(tmp_path):
    write(tmp_path, "ann/ex1/ex1.ipynb", release())
    write(tmp_path, "ben__ex1.ipynb", release())
    write(tmp_path, "ben__ex1 (2).ipynb", release())
    write(tmp_path, "cy/ex1-defining (1).ipynb", release())      # a learner's folder of browser downloads
    write(tmp_path, "cy/Untitled.ipynb.txt", release())
    write(tmp_path, "cy/notes.pdf", "%PDF")
    write(tmp_path, "notes.ipynb", release())
    write(tmp_path, "a/b/c/d.ipynb", release())
    write(tmp_path, ".ipynb_checkpoints/ben__ex1-checkpoint.ipynb", release())
    (tmp_path / "dee__ex1.ipynb").symlink_to(tmp_path / "ben__ex1.ipynb")
    found, skipped = collect(tmp_path)
    found = {f.file: f for f in found}
    assert skipped == [".ipynb_checkpoints/"]
    assert (found["ann/ex1/ex1.ipynb"].learner, found["ann/ex1/ex1.ipynb"].claimed) == ("ann", "ex1")
    assert (found["ben__ex1 (2).ipynb"].learner, found["ben__ex1 (2).ipynb"].claimed,
            found["ben__ex1 (2).ipynb"].copy) == ("ben", "ex1", 2)
    assert (found["cy/ex1-defining (1).ipynb"].claimed, found["cy/ex1-defining (1).ipynb"].copy) == ("ex1-defining", 1)
    assert not found["cy/ex1-defining (1).ipynb"].explicit and found["cy/Untitled.ipynb.txt"].status is None
    assert found["cy/notes.pdf"].status == "not_a_notebook"
    assert found["notes.ipynb"].status == "unrecognised_file" and "whose" in found["notes.ipynb"].problem
    assert found["a/b/c/d.ipynb"].status == "unrecognised_file"
    assert found["dee__ex1.ipynb"].status == "symlink"


@pytest.mark.parametrize("name, base, copy", [
    ("ex01-defining-the-crime (1)", "ex01-defining-the-crime", 1),   # Chrome, Edge
    ("ex01-defining-the-crime(3)", "ex01-defining-the-crime", 3),    # Firefox
    ("ex01-defining-the-crime 2", "ex01-defining-the-crime", 2),     # Safari
    ("ex01-defining-the-crime copy", "ex01-defining-the-crime", 1),  # macOS Finder
    ("ex01-defining-the-crime - Copy (2)", "ex01-defining-the-crime", 2),  # Windows Explorer
    ("ex01-defining-the-crime-Copy1", "ex01-defining-the-crime", 1),  # JupyterLab's Duplicate
    ("ex01-defining-the-crime", "ex01-defining-the-crime", 0),
])
def test_copy_names_browsers_and_file_managers_give(name, base, copy):
    assert split_copy(name) == (base, copy)
