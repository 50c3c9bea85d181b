"""A run killed midway keeps what it wrote; the sandbox is required under CI, optional elsewhere."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from dmst.grading import sandbox
from dmst.grading.collect import collect

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
    run = box.run(["x = 6 * 7\nx"], timeout_cell=5, timeout_notebook=60, max_output=1000)
    assert run.finished and run.cells[0]["outputs"] == [{"output_type": "execute_result", "text": "42"}]


def test_other_systems_warn():
    box, warning = sandbox.detect(env={"CI": "true"}, which=lambda name: "/usr/bin/bwrap", platform="darwin")
    assert not box.sandboxed and "not on Linux" in warning


def test_bwrap_is_used_where_it_works():
    box, warning = sandbox.detect(env={"CI": "true"})
    assert box.sandboxed and warning is None
    run = box.run(["import os\nos.getuid()"], timeout_cell=5, timeout_notebook=60, max_output=1000)
    assert run.cells[0]["outputs"][0]["text"] == "65534"


def test_results_folder_inside_a_readable_folder_is_refused(tmp_path):
    with pytest.raises(ValueError):
        sandbox.Sandbox(None, forbidden=(sandbox.DATA_DIR / "results",))


def test_collect_both_layouts_and_odd_names(tmp_path):
    write(tmp_path, "ann/ex1/ex1.ipynb", release())
    write(tmp_path, "ben__ex1.ipynb", release())
    write(tmp_path, "ann__ex1.ipynb", release())           # ann's second copy of ex1
    write(tmp_path, "notes.ipynb", release())
    write(tmp_path, "cy/ex1/other.ipynb", release())
    write(tmp_path, ".ipynb_checkpoints/ben__ex1-checkpoint.ipynb", release())
    (tmp_path / "dee__ex1.ipynb").symlink_to(tmp_path / "ben__ex1.ipynb")
    found = {s.file: s for s in collect(tmp_path)}
    assert set(found) == {"ann/ex1/ex1.ipynb", "ben__ex1.ipynb", "ann__ex1.ipynb", "notes.ipynb",
                          "cy/ex1/other.ipynb", "dee__ex1.ipynb"}
    assert found["ben__ex1.ipynb"].problem is None and found["ann/ex1/ex1.ipynb"].problem is None
    assert "second submission" in found["ann__ex1.ipynb"].problem
    assert "neither" in found["notes.ipynb"].problem
    assert "cy/ex1/ex1.ipynb" in found["cy/ex1/other.ipynb"].problem
    assert "symbolic link" in found["dee__ex1.ipynb"].problem
