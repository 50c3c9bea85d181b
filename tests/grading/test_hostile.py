"""Bad and hostile submissions: each gets a row with a clear status, and the rest are still graded.

One grading run (module fixture) over a folder holding every case, in the flat layout; each
test reads its own row. The sandbox must be real here: these tests run where bwrap exists.
"""
import copy
import hashlib
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from conftest import EXERCISES, SOLUTIONS, cell_index, correct, release, submission, write

HIDDEN_MARKERS = ["HIDDEN-CODE-MARKER", "BEGIN HIDDEN TESTS", "len(law.ids)"]


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def probe(code: str) -> str:
    """An answer that sets q1 to the right letter only if `code` succeeds: a leak shows as a point."""
    return f"try:\n{_indent(code)}\n    q1 = 'B'\nexcept Exception:\n    q1 = 'X'\nq2 = len(law.ids)"


def _indent(code):
    return "\n".join("    " + line for line in code.splitlines())


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    sub, out = root / "submitted", root / "results"
    escape = root / "escaped.txt"
    listener = Listener()
    cases = {
        "correct": correct(),
        "blank": release(),
        "loop": submission(q1="while True:\n    pass", q2="q2 = len(law.ids)"),
        "stubborn": submission(q1="import time\nwhile True:\n    try:\n        time.sleep(5)\n    except BaseException:\n        pass"),
        "exception": submission(q1="q1 = 'B'\nraise ValueError('oops')", q2="q2 = len(law.ids)"),
        "huge": submission(q1="q1 = 'B'\nprint('x' * 50_000_000)", q2="q2 = len(law.ids)"),
        "hinted": submission(q1='q1 = "Z"', q2="q2 = len(law.ids)"),
        "writer": submission(q1=probe(f"open({str(escape)!r}, 'w').write('escaped')")),
        "network": submission(q1=probe(f"import socket\nsocket.create_connection(('127.0.0.1', {listener.port}), timeout=2).close()")),
        "solutions": submission(q1=probe(f"open({str(SOLUTIONS / 'sample' / 'sample.ipynb')!r}).read()")),
        "gradebook": submission(q1=probe(f"import os\nos.listdir({str(out)!r})")),
        "submissions": submission(q1=probe(f"import os\nos.listdir({str(sub)!r})")),
        "wrong": correct("sample"),   # exercise "sample" handed in as "second"
    }
    # Locked test cells edited to pass anything, or deleted, with wrong answers: the originals must run.
    edited = submission(q1='q1 = "A"', q2="q2 = 1")
    for gid in ("test_q1", "test_q2"):
        edited["cells"][cell_index(edited, gid)]["source"] = "pass"
    cases["edited"] = edited
    deleted = submission(q1='q1 = "A"', q2="q2 = 1")
    deleted["cells"] = [c for c in deleted["cells"]
                        if c["metadata"].get("nbgrader", {}).get("grade_id") not in ("test_q1", "test_q2")]
    cases["deleted"] = deleted
    duplicated = submission(q1='q1 = "A"', q2="q2 = len(law.ids)")
    fake = copy.deepcopy(duplicated["cells"][cell_index(duplicated, "test_q1")])
    fake["source"] = "pass"
    duplicated["cells"].insert(cell_index(duplicated, "test_q1"), fake)  # an extra copy before the real one
    duplicated["cells"].append(copy.deepcopy(fake))                      # and one after it: the last copy counts
    cases["duplicated"] = duplicated
    renamed = submission(q1='q1 = "A"', q2="q2 = len(law.ids)")
    cell = renamed["cells"][cell_index(renamed, "test_q1")]
    cell["metadata"]["nbgrader"]["grade_id"] = "my_own_test"
    cell["source"] = "pass"
    cases["renamed"] = renamed
    for learner, nb in cases.items():
        write(sub, f"{learner}__{'second' if learner == 'wrong' else 'sample'}.ipynb", nb)
    write(sub, "invalid__sample.ipynb", '{"cells": [')
    write(sub, "empty__sample.ipynb", "")
    before = tree_digest(sub)
    cmd = [sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir", str(EXERCISES),
           "--solutions-dir", str(SOLUTIONS), "--timeout-cell", "3", "--timeout-notebook", "15", "--no-progress"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    listener.close()
    assert first.returncode == 0, first.stderr
    files = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    frame = pd.read_csv(out / "gradebook.csv").set_index("learner")
    frame[["needs_manual_grading", "notes"]] = frame[["needs_manual_grading", "notes"]].fillna("")
    return {"frame": frame, "out": out, "sub": sub, "before": before, "escape": escape, "listener": listener,
            "files": files, "stdout": first.stdout, "stderr": first.stderr}


def row(graded, learner):
    return graded["frame"].loc[learner]


def test_every_file_has_a_row_and_good_ones_are_still_graded(graded):
    frame = graded["frame"]
    assert len(frame) == 19
    assert row(graded, "correct")["status"] == "graded" and row(graded, "correct")["total"] == 4
    assert row(graded, "correct")["needs_manual_grading"] == "q3"
    assert row(graded, "blank")["total"] == 0 and row(graded, "blank")["status"] == "graded"


def test_infinite_loop_hits_the_cell_limit_and_later_cells_still_run(graded):
    r = row(graded, "loop")
    assert r["status"] == "cell_timeout"
    assert r["sample:test_q2"] == 2       # q2 was answered after the loop and its check still ran
    assert r["sample:test_q1"] == 0


def test_loop_that_swallows_interrupts_hits_the_notebook_limit(graded):
    r = row(graded, "stubborn")
    assert r["status"] == "notebook_timeout"
    assert r["total"] == 0
    assert "limit" in r["notes"]


def test_exception_in_an_answer(graded):
    r = row(graded, "exception")
    assert r["status"] == "graded"
    assert r["sample:test_q1"] == 1 and r["sample:test_q2"] == 2   # q1 was set before the error


def test_huge_output_is_cut_and_the_notebook_still_scored(graded):
    r = row(graded, "huge")
    assert r["status"] == "output_limit"
    assert r["sample:test_q2"] == 2
    assert max(len(v) for v in graded["files"].values()) < 2_000_000


@pytest.mark.parametrize("learner", ["edited", "deleted", "duplicated", "renamed"])
def test_changed_locked_cells_are_replaced_by_the_originals(graded, learner):
    r = row(graded, learner)
    assert r["status"] == "restored"
    assert r["sample:test_q1"] == 0           # q1 = "A" fails the original hidden test
    assert r["sample:test_q1_hidden"] == 0
    if learner in ("edited", "deleted"):
        assert r["sample:test_q2"] == 1       # partial credit from the original test, not "pass"
    assert r["notes"]


def test_invalid_json_and_empty_file(graded):
    assert row(graded, "invalid")["status"] == "invalid_notebook"
    assert row(graded, "empty")["status"] == "empty_file"
    assert row(graded, "invalid")["total"] == 0 == row(graded, "empty")["total"]


def test_wrong_exercise(graded):
    r = row(graded, "wrong")
    assert r["status"] == "wrong_exercise" and r["exercise"] == "second"
    assert "sample" in r["notes"]


def test_cannot_write_outside_its_folder(graded):
    assert not graded["escape"].exists()
    assert row(graded, "writer")["sample:test_q1"] == 0


def test_cannot_reach_the_network(graded):
    assert graded["listener"].accepted == 0
    assert row(graded, "network")["sample:test_q1"] == 0


@pytest.mark.parametrize("learner", ["solutions", "gradebook", "submissions"])
def test_cannot_read_solutions_gradebook_or_submissions(graded, learner):
    r = row(graded, learner)
    assert r["sample:test_q1"] == 0, f"the {learner} folder was readable from inside the sandbox"
    assert r["sample:test_q2"] == 2           # the rest of the answer still ran


def test_submissions_folder_is_unchanged(graded):
    assert tree_digest(graded["sub"]) == graded["before"]


def test_second_run_writes_identical_files(graded):
    out = graded["out"]
    again = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert again == graded["files"]


def test_feedback_and_gradebook_never_show_hidden_test_code(graded):
    out = graded["out"]
    for path in [out / "gradebook.csv", *(out / "feedback").iterdir(), *(out / "results").iterdir()]:
        text = path.read_text()
        for marker in HIDDEN_MARKERS:
            assert marker not in text, f"{marker!r} leaked into {path.name}"
    html = (out / "feedback" / "hinted.html").read_text()
    assert "Answer with one letter: A, B or C." in html     # the visible check's hint is shown


def test_summary_table_is_printed(graded):
    assert "sample" in graded["stdout"] and "statuses" in graded["stdout"]
