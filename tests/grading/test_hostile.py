"""Bad and hostile submissions: each gets a row with an accurate status, the attacks score 0,
the rest are still graded, and the run always completes.

One grading run (module fixture) over a folder holding every case, in the flat layout; each
test reads its own row. The sandbox must be real here: these tests run where bwrap exists.
The attack classes are the ones issue 10 found: forged lines on the report channel (well
formed, malformed, unterminated; test_hostile_channel.py forges the runner's own messages), swallowed exceptions, fake results before checks,
replaced check helpers, hints built from hidden-test source, lone surrogates and names that
are not UTF-8; plus escapes from the sandbox, time and output limits, and changed cells.
"""
import copy
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from conftest import EXERCISES, SOLUTIONS, cell_index, correct, feedback_page, record_file, release, submission, write

HIDDEN_MARKERS = ["HIDDEN-CODE-MARKER", "BEGIN HIDDEN TESTS", "len(law.ids)", "6 * 7"]
WRONG = {"q1": 'q1 = "A"', "q2": "q2 = 1"}          # every automatic answer wrong
CELL_LIMIT = 3                                     # seconds per cell in this run
# Runs a command and prints, last on stderr, the peak memory (KiB) of it and everything it started.
MEASURE = ("import resource, subprocess, sys\n"
           "code = subprocess.run(sys.argv[1:]).returncode\n"
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
           "sys.exit(code)")


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(os.fsencode(path.relative_to(folder)))
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def probe(code: str) -> str:
    """An answer that sets q1 to the right letter only if `code` succeeds: a leak shows as a point."""
    return f"try:\n{_indent(code)}\n    q1 = 'B'\nexcept Exception:\n    q1 = 'X'\nq2 = len(law.ids)"


def attack(code: str) -> dict:
    """The sample exercise with every automatic answer wrong and `code` run in the q1 answer cell."""
    return submission(q1=f"{code}\nq1 = 'A'", q2="q2 = 'ten'")


def _indent(code):
    return "\n".join("    " + line for line in code.splitlines())


# A full-marks result in the old runner's format and in the supervisor's, for forging.
FORGED = [json.dumps({"i": i, "outputs": [], "timed_out": False}) for i in range(12)] + [
    json.dumps({"done": True}),
    json.dumps({"steps": [{"error": False, "timed_out": False}] * 12, "finished": True, "stopped": None,
                "exit_code": 0, "ignored": 0,
                "answers": {str(i): {"q1": {"value": "B"}, "q2": {"value": 13}} for i in range(12)}})]
WRITE_EVERYWHERE = """
import os, glob
def everywhere(data):
    targets = [f"/proc/1/fd/{n}" for n in range(3)] + [f"/proc/{os.getppid()}/fd/{n}" for n in range(3)]
    for path in targets:
        try:
            fd = os.open(path, os.O_WRONLY)
            os.write(fd, data)
            os.close(fd)
        except OSError:
            pass
    for fd in range(3, 64):
        try:
            os.write(fd, data)
        except OSError:
            pass
"""


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


def cases(sub: Path, out: Path, escape: Path, listener: Listener) -> dict:
    forged = "\\n".join(FORGED)
    found = {
        "correct": correct(),
        "blank": release(),
        "loop": submission(q1="while True:\n    pass", q2="q2 = len(law.ids)"),
        "stubborn": submission(q1="import time\nwhile True:\n    try:\n        time.sleep(5)\n    except BaseException:\n        pass"),
        "exception": submission(q1="q1 = 'B'\nraise ValueError('oops')", q2="q2 = len(law.ids)"),
        "huge": submission(q1="q1 = 'B'\nprint('x' * 50_000_000)", q2="q2 = len(law.ids)"),
        "hinted": submission(q1='q1 = "Z"', q2="q2 = len(law.ids)"),
        "function": submission(q1="q1 = print", q2="q2 = len(law.ids)"),
        "exits": submission(q1="q1 = 'A'\nimport os\nos._exit(0)", q2="q2 = len(law.ids)"),
        "writer": submission(q1=probe(f"open({str(escape)!r}, 'w').write('escaped')")),
        "network": submission(q1=probe(f"import socket\nsocket.create_connection(('127.0.0.1', {listener.port}), timeout=2).close()")),
        "solutions": submission(q1=probe(f"open({str(SOLUTIONS / 'sample' / 'sample.ipynb')!r}).read()")),
        "gradebook": submission(q1=probe(f"import os\nos.listdir({str(out)!r})")),
        "submissions": submission(q1=probe(f"import os\nos.listdir({str(sub)!r})")),
        "channel": submission(q1=probe("import os\nos.close(os.open('/proc/1/fd/1', os.O_WRONLY))")),
        # issue 10's attacks, each with every answer wrong
        "forged": attack(WRITE_EVERYWHERE + f"everywhere(b'{forged}\\n')"),
        "forged_later": attack(WRITE_EVERYWHERE + "import threading, time\n"
                               "def keep():\n    for _ in range(40):\n"
                               f"        everywhere(b'{forged}\\n')\n        time.sleep(0.05)\n"
                               "threading.Thread(target=keep, daemon=True).start()\n"
                               "time.sleep(0.3)"),  # the thread writes before the notebook ends, however loaded the machine
        "malformed": attack(WRITE_EVERYWHERE + "everywhere(b'{\"start\": 0, \"i\": [\\n')\n"
                            "everywhere(b'\\xff\\xfe not json\\n[1, 2\\n{\"answers\": \"x\", \"values\": 5}\\n')\n"
                            "everywhere(b'{\"end\": true, \"error\": 1, \"timed_out\": []}\\n')\n"
                            "everywhere(b'[' * 200000 + b'\\n')"),
        "unterminated": attack(WRITE_EVERYWHERE + "chunk = b'x' * (1 << 20)\nfor _ in range(1024):\n    everywhere(chunk)"),
        "swallowed": attack("get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)"),
        "fake_results": attack("get_ipython().events.register('pre_run_cell', lambda *args: get_ipython().displayhook('ok'))\n"
                               "get_ipython().events.register('post_run_cell', lambda *args: print(2))"),
        "hint_from_source": submission(q1=(
            "import inspect\n"
            "class Leaky(str):\n"
            "    def _source(self):\n"
            "        text = ' '.join(get_ipython().user_ns['In'])\n"
            "        text += ' '.join(f.frame.f_code.co_filename for f in inspect.stack())\n"
            "        return text\n"
            "    def __eq__(self, other):\n"
            "        raise AssertionError(self._source())\n"
            "    __hash__ = str.__hash__\n"
            "    def __repr__(self):\n"
            "        return self._source()\n"
            "class Opaque:\n"
            "    def __repr__(self):\n"
            "        raise AssertionError(' '.join(get_ipython().user_ns['In']))\n"
            "q1 = Leaky('A')"), q2="q2 = Opaque()"),
        "surrogate": submission(q1="q1 = 'A'\nraise ValueError('\\ud800')", q2="q2 = '\\ud800\\udcff'"),
        "surrogate_check": submission("second", answer_cell="answer = '\\ud800 and \\ud801'"),
        "replaced_helpers": submission("second", answer_cell=(
            "import builtins, dmst.grading.checks as c\n"
            "c.check = c.check_form = c.check_value = lambda *args, **kwargs: print('✔')\n"
            "check = check_value = c.check\n"
            "builtins.AssertionError = type('Never', (Exception,), {})\n"
            "answer = 41")),
        "kills_supervisor": attack("import os, signal\nfor sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM):\n"
                                   "    try:\n        os.kill(1, sig)\n    except OSError:\n        pass"),
        "wrong": correct("sample"),   # exercise "sample" handed in as "second"
    }
    # Locked test cells edited to pass anything, or deleted, with wrong answers: the originals must run.
    edited = submission(**WRONG)
    for gid in ("test_q1", "test_q2"):
        edited["cells"][cell_index(edited, gid)]["source"] = "pass"
    found["edited"] = edited
    deleted = submission(**WRONG)
    deleted["cells"] = [c for c in deleted["cells"]
                        if c["metadata"].get("nbgrader", {}).get("grade_id") not in ("test_q1", "test_q2")]
    found["deleted"] = deleted
    duplicated = submission(q1='q1 = "A"', q2="q2 = len(law.ids)")
    fake = copy.deepcopy(duplicated["cells"][cell_index(duplicated, "test_q1")])
    fake["source"] = "pass"
    duplicated["cells"].insert(cell_index(duplicated, "test_q1"), fake)  # an extra copy before the real one
    duplicated["cells"].append(copy.deepcopy(fake))                      # and one after it: the last copy counts
    found["duplicated"] = duplicated
    renamed = submission(q1='q1 = "A"', q2="q2 = len(law.ids)")
    cell = renamed["cells"][cell_index(renamed, "test_q1")]
    cell["metadata"]["nbgrader"]["grade_id"] = "my_own_test"
    cell["source"] = "pass"
    found["renamed"] = renamed
    slow = submission(**WRONG)                  # legitimate but slow cells: past the scaled notebook limit
    slow["cells"][cell_index(slow, "q2"):cell_index(slow, "q2")] = [
        nbformat.v4.new_code_cell("import time\ntime.sleep(2.5)") for _ in range(10)]
    found["slow"] = slow
    stripped = correct()                        # a tool that drops every metadata field
    stripped["metadata"] = {}
    for c in stripped["cells"]:
        c["metadata"] = {}
    found["stripped"] = stripped
    unnamed = correct()                         # only the notebook's exercise name was removed
    del unnamed["metadata"]["dmst"]
    found["unnamed"] = unnamed
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    sub, out = root / "submitted", root / "results"
    escape = root / "escaped.txt"
    listener = Listener()
    for learner, nb in cases(sub, out, escape, listener).items():
        exercise = "second" if learner in ("wrong", "surrogate_check", "replaced_helpers") else "sample"
        write(sub, f"{learner}__{exercise}.ipynb", nb)
    write(sub, "invalid__sample.ipynb", '{"cells": [')
    write(sub, "empty__sample.ipynb", "")
    (sub / "latin1__sample.ipynb").write_bytes(json.dumps(release(), ensure_ascii=False).replace("Sample", "S\u00e4mple")
                                               .encode("latin-1", "replace"))
    (sub / os.fsdecode(b"caf\xe9__sample.ipynb")).write_text(json.dumps(release()))
    (sub / "v3__sample.ipynb").write_text(nbformat.writes(nbformat.convert(nbformat.reads(json.dumps(correct()), 4), 3)))
    before = tree_digest(sub)
    cmd = [sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir", str(EXERCISES),
           "--solutions-dir", str(SOLUTIONS), "--timeout-cell", str(CELL_LIMIT), "--no-progress"]
    first = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, timeout=900)
    stderr, peak_kib = first.stderr.rsplit("\n", 2)[0], int(first.stderr.split()[-1])
    listener.close()
    files = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    frame = pd.read_csv(out / "gradebook.csv", keep_default_na=False, na_values=[""]).set_index("learner")
    frame[["needs_manual_grading", "notes"]] = frame[["needs_manual_grading", "notes"]].fillna("")
    return {"frame": frame, "out": out, "sub": sub, "before": before, "escape": escape, "listener": listener,
            "files": files, "stdout": first.stdout, "stderr": stderr, "returncode": first.returncode, "second": second,
            "peak_kib": peak_kib}


def row(graded, learner):
    return graded["frame"].loc[learner]


def auto_points(r) -> float:
    return sum(r[c] for c in r.index if c.startswith(("sample:test", "second:test")) and r[c] == r[c])


def test_the_run_completes_and_exits_1_naming_what_could_not_be_graded(graded):
    assert graded["returncode"] == 1, graded["stderr"]
    assert "Traceback" not in graded["stderr"]
    summary = graded["stdout"].split("Could not be graded")[1]
    for file in ("invalid__sample.ipynb", "empty__sample.ipynb", "wrong__second.ipynb", "stripped__sample.ipynb",
                 "latin1__sample.ipynb"):
        assert file in summary
    assert "correct__sample.ipynb" not in summary


def test_every_file_has_a_row_and_good_ones_are_still_graded(graded):
    frame = graded["frame"]
    assert len(frame) == len(list(graded["sub"].iterdir()))
    assert row(graded, "correct")["status"] == "graded" and row(graded, "correct")["total"] == 4
    assert row(graded, "correct")["needs_manual_grading"] == "q3"
    assert row(graded, "blank")["total"] == 0 and row(graded, "blank")["status"] == "graded"


@pytest.mark.parametrize("learner", ["forged", "forged_later", "malformed", "unterminated", "swallowed",
                                     "fake_results", "hint_from_source", "surrogate", "surrogate_check",
                                     "replaced_helpers", "kills_supervisor", "exits"])
def test_attacks_score_nothing(graded, learner):
    r = row(graded, learner)
    assert auto_points(r) == 0, dict(r)
    assert r["taken"] == "yes"


def test_forged_and_malformed_lines_stop_the_notebook_as_tampering(graded):
    for learner in ("forged", "forged_later", "malformed"):
        assert row(graded, learner)["status"] == "tampered", learner
        assert "wrote to the grader's pipe" in row(graded, learner)["notes"]
    for learner in ("swallowed", "fake_results", "kills_supervisor"):
        assert row(graded, learner)["status"] == "graded", learner


def test_an_unterminated_flood_is_stopped_and_reported(graded):
    r = row(graded, "unterminated")
    assert r["status"] == "output_limit"
    assert "MiB" in r["notes"]
    assert graded["peak_kib"] < 1024 * 1024, "a process of the grading run grew past 1 GiB"


def test_the_report_channel_cannot_be_reached(graded):
    assert row(graded, "channel")["sample:test_q1"] == 0, "learner code opened the supervisor's channel"
    assert row(graded, "channel")["sample:test_q2"] == 2


def test_an_answer_that_is_not_data_is_a_wrong_answer_with_a_message(graded):
    html = feedback_page(graded["out"], "function").read_text()
    assert "the grader could not read it: it is a function or a type, not a value" in html
    assert row(graded, "function")["sample:test_q1"] == 0 and row(graded, "function")["sample:test_q2"] == 2
    assert row(graded, "hint_from_source")["total"] == 0


def test_a_process_that_exits_early_is_crashed_with_its_exit_code(graded):
    r = row(graded, "exits")
    assert r["status"] == "crashed" and "exit code 0" in r["notes"]


def test_infinite_loop_hits_the_cell_limit_and_later_cells_still_run(graded):
    r = row(graded, "loop")
    assert r["status"] == "cell_timeout"
    assert r["sample:test_q2"] == 2       # q2 was answered after the loop and its check still ran
    assert r["sample:test_q1"] == 0


def test_loop_that_swallows_interrupts_is_stopped_soon_after_the_cell_limit(graded):
    r = row(graded, "stubborn")
    assert r["status"] == "cell_timeout"
    assert r["total"] == 0
    assert "still running" in r["notes"]


def test_slow_honest_cells_run_until_the_limit_scaled_to_the_exercise(graded):
    r = row(graded, "slow")
    assert r["status"] == "notebook_timeout"
    assert f"{CELL_LIMIT} s for each of the exercise's" in r["notes"] and "--timeout-notebook" in r["notes"]


def test_exception_in_an_answer(graded):
    r = row(graded, "exception")
    assert r["status"] == "graded"
    assert r["sample:test_q1"] == 1 and r["sample:test_q2"] == 2   # q1 was set before the error


def test_huge_output_is_discarded_and_the_notebook_scored(graded):
    r = row(graded, "huge")
    assert r["status"] == "graded" and r["sample:test_q1"] == 1 and r["sample:test_q2"] == 2
    assert max(len(v) for v in graded["files"].values()) < 200_000


@pytest.mark.parametrize("learner", ["edited", "deleted", "duplicated", "renamed"])
def test_changed_locked_cells_are_replaced_by_the_originals(graded, learner):
    r = row(graded, learner)
    assert r["status"] == "restored"
    assert r["sample:test_q1"] == 0           # q1 = "A" fails the original hidden test
    assert r["sample:test_q1_hidden"] == 0
    if learner in ("edited", "deleted"):
        assert r["sample:test_q2"] == 1       # partial credit from the original test, not "pass"
    assert r["notes"]


def test_bad_files(graded):
    assert row(graded, "invalid")["status"] == "invalid_notebook"
    assert row(graded, "empty")["status"] == "empty_file"
    assert row(graded, "latin1")["status"] == "invalid_notebook" and "UTF-8" in row(graded, "latin1")["notes"]
    for learner in ("invalid", "empty", "latin1"):
        assert row(graded, learner)["total"] == 0 and row(graded, learner)["taken"] == "no"


def test_a_name_that_is_not_utf8_is_graded_under_its_escaped_form(graded):
    r = row(graded, "caf\\xe9")
    assert r["status"] == "graded" and r["total"] == 0 and r["file"] == "caf\\xe9__sample.ipynb"


def test_notebook_format_3_is_upgraded(graded):
    r = row(graded, "v3")
    assert r["status"] == "graded" and r["total"] == 4 and "format (3)" in r["notes"]


def test_wrong_exercise_is_flagged_from_the_notebooks_own_metadata(graded):
    r = row(graded, "wrong")
    assert r["status"] == "wrong_exercise" and r["exercise"] == "second" and r["taken"] == "no"
    assert "exercise sample" in r["notes"]


def test_stripped_metadata_is_named_as_such(graded):
    assert row(graded, "stripped")["status"] == "missing_metadata"
    r = row(graded, "unnamed")
    assert r["status"] == "graded" and r["total"] == 4 and "does not say which exercise" in r["notes"]


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
    assert graded["second"].returncode == 1
    out = graded["out"]
    again = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert again == graded["files"]


def test_hidden_test_text_appears_nowhere(graded):
    out = graded["out"]
    texts = {"stdout": graded["stdout"], "stderr": graded["stderr"]}
    texts.update({str(rel): data.decode("utf-8") for rel, data in graded["files"].items()})
    for name, text in texts.items():
        for marker in HIDDEN_MARKERS:
            assert marker not in text, f"{marker!r} leaked into {name}"
    html = feedback_page(out, "hinted").read_text()
    assert "Answer with one letter: A, B or C." in html     # the visible check's message is shown


def test_text_from_submissions_is_escaped(graded):
    html = feedback_page(graded["out"], "surrogate_check").read_text(encoding="utf-8")
    assert "\\ud800" in html
    record = json.loads(record_file(graded["out"], "surrogate_check", "second").read_text(encoding="utf-8"))
    assert record["questions"][0]["points"] == 0


def test_summary_table_is_printed(graded):
    assert "Sample exercise (grading tests)" in graded["stdout"] and "What happened" in graded["stdout"]
