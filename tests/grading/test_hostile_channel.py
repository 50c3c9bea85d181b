"""Learner code that writes protocol messages to the runner's own pipe (the descriptor runner.py
keeps for its messages): the supervisor accepts only the job's exact sequence (start i, answers i
where step i is an answer step, end i, done after the last, then nothing), so each forgery below
is caught, the file's row says `tampered` with a note, and the run goes on. Driven as a grader
runs it: one `dmst grade` subprocess with the real sandbox.

Each attack runs in the q1 answer cell with both automatic answers wrong, and finds the pipe,
the job and the step it is in from the runner's own frame, as any learner could.
"""
import subprocess
import sys

import pandas as pd
import pytest

from conftest import EXERCISES, SOLUTIONS, correct, submission, write

FIND = """
import json, sys
def runner_frame():
    frame = sys._getframe()
    while 'pipe' not in frame.f_locals or 'job' not in frame.f_locals:
        frame = frame.f_back
    return frame.f_locals
found = runner_frame()
pipe, steps, me = found['pipe'], found['job']['cells'], found['i']
def send(message):
    pipe.write(json.dumps(message) + '\\n')
    pipe.flush()
right = {'q1': {'value': 'B'}, 'q2': {'value': len(law.ids)}}
def rest():
    send({'end': me, 'error': False, 'timed_out': False})
    for n in range(me + 1, len(steps)):
        send({'start': n})
        if 'answers' in steps[n]:
            send({'answers': n, 'values': {k: v for k, v in right.items() if k in steps[n]['answers']}})
        send({'end': n, 'error': False, 'timed_out': False})
    send({'done': True})
"""
ATTACKS = {
    # the cell fails, but says it ended without an error
    "forged_end": "send({'end': me, 'error': False, 'timed_out': False})\nraise ValueError('hidden')",
    # a later step begins before this one ends
    "skips": "send({'start': me + 2})",
    # answers for a step that is not an answer step
    "answers_here": "send({'answers': me, 'values': right})",
    # a message sent twice
    "duplicate": "send({'start': me})",
    # every later step and "done", with right answers, before any of them ran
    "early_done": "rest()",
    # not a message at all
    "garbage": "pipe.write('{\"start\": [\\n')\npipe.flush()",
}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("channel")
    sub, out = root / "submitted", root / "results"
    write(sub, "honest__sample.ipynb", correct())
    for name, code in ATTACKS.items():
        write(sub, f"{name}__sample.ipynb", submission(q1=FIND + code + "\nq1 = 'A'", q2="q2 = 'ten'"))
    done = subprocess.run([sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir",
                           str(EXERCISES), "--solutions-dir", str(SOLUTIONS), "--timeout-cell", "10", "--no-progress"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    frame = pd.read_csv(out / "gradebook.csv", keep_default_na=False, na_values=[""]).set_index("learner")
    frame["notes"] = frame["notes"].astype(object).fillna("")
    return frame


def test_an_honest_notebook_is_graded_beside_the_attacks(book):
    assert book.loc["honest", "status"] == "graded" and book.loc["honest", "total"] == 4


@pytest.mark.parametrize("learner", list(ATTACKS))
def test_a_forged_message_is_tampering_and_scores_nothing(book, learner):
    r = book.loc[learner]
    assert r["status"] == "tampered", dict(r)
    assert "wrote to the grader's pipe" in r["notes"] and "was stopped" in r["notes"]
    assert r["sample:test_q1"] == 0 and r["sample:test_q2"] == 0
    assert r["taken"] == "yes"
