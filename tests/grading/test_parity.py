"""`dmst grade` gives the same scores as `nbgrader autograde` on the same honest submissions,
and 0 where a cheat fools nbgrader.

nbgrader runs the tests in the learner's own kernel, after the learner's code, so that code
can change what a test shows; `dmst grade` runs the tests in a separate interpreter against
the answers taken out as data, so the same cheats score nothing.
"""
import ast
import copy
import json
import re

import pytest

from dmst import load_law
from dmst.grading.checks import STANDING_WORDS, normalise
from dmst.grading import gradebook
from dmst.grading.grade import grade
from dmst.grading.nbgrader_course import autograde

from conftest import EXERCISES, SOLUTIONS, cell_index, correct, release, submission, write

# Cheats that give nbgrader full marks for wrong answers, and why each fails here.
SWALLOW = "get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)\n"
FAKE_RESULT = "get_ipython().events.register('pre_run_cell', lambda *args: get_ipython().displayhook('ok'))\n"
REPLACE_HELPERS = ("import dmst.grading.checks as c\n"
                   "c.check = c.check_value = lambda *args, **kwargs: print('✔')\n")
CHEATS = {
    # an exception handler that swallows every failure: fooled dmst grade's old runner, which read
    # the tests' outputs in the learner's process; nbgrader's nbclient adds the error output itself
    "swallowed": ("sample", submission(q1=SWALLOW + 'q1 = "A"', q2="q2 = 'ten'")),
    # a hook that shows a result before each test runs: nbgrader reads it as full points
    "fake_result": ("sample", submission(q1=FAKE_RESULT + 'q1 = "A"', q2="q2 = 'ten'")),
    # the check helpers replaced in the learner's kernel: nbgrader's test cells call the fakes
    "replaced": ("second", submission("second", answer_cell=REPLACE_HELPERS + "answer = 41")),
}


def compare(frame, theirs):
    """Every score nbgrader gives, next to ours: {(learner, exercise, grade id): (ours, theirs)}."""
    pairs = {}
    for (learner, exercise), scores in theirs.items():
        row = frame[(frame.learner == learner) & (frame.exercise == exercise) & (frame.taken == "yes")].iloc[0]
        for gid, score in scores.items():
            manual = gid in row["needs_manual_grading"].split()
            pairs[(learner, exercise, gid)] = ("manual" if manual else row[f"{exercise}:{gid}"],
                                               "manual" if score is None else score)
    return pairs


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parity")
    sub, out = tmp / "submitted", tmp / "results"
    edited = submission(q1='q1 = "A"', q2="q2 = 1")
    edited["cells"][cell_index(edited, "test_q1")]["source"] = "pass"
    deleted = copy.deepcopy(edited)
    deleted["cells"] = [c for c in deleted["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != "test_q2"]
    no_reflection = correct()
    del no_reflection["cells"][cell_index(no_reflection, "q3")]
    emptied = submission(q1='q1 = "B"', q3="")
    honest = {
        "correct": ("sample", correct()), "blank": ("sample", release()),
        "partial": ("sample", submission(q1='q1 = "B"', q2="q2 = 3")),
        "tuple": ("sample", submission(q1='q1 = ("B")', q2="import numpy\nq2 = numpy.int64(len(law.ids))")),
        "broken": ("sample", submission(q1="q1 = undefined_name", q2="q2 = 'ten'", q3="Some thoughts.")),
        "stderr": ("sample", submission(q1='import sys\nq1 = "B"\nprint("note", file=sys.stderr)', q2="q2 = len(law.ids)")),
        "edited": ("sample", edited), "deleted": ("sample", deleted), "emptied": ("sample", emptied),
        "no_reflection": ("sample", no_reflection),
        "second_ok": ("second", correct("second")), "second_wrong": ("second", submission("second", answer_cell="answer = 40")),
        "second_words": ("second", submission("second", answer_cell="answer = '42'")),
    }
    for learner, (exercise, nb) in {**honest, **CHEATS}.items():
        write(sub, f"{learner}/{exercise}/{exercise}.ipynb", nb)
    frame = gradebook.frame(grade(sub, out, EXERCISES, SOLUTIONS, progress=False))
    frame["needs_manual_grading"] = frame["needs_manual_grading"].fillna("")
    # nbgrader 0.9.6 cannot autograde "no_reflection" (add_missing_cells raises KeyError when the cell
    # before the deleted one is a locked cell that is not graded): it is compared on the real exercises.
    subs = [(learner, exercise, sub / learner / exercise / f"{exercise}.ipynb")
            for learner, (exercise, _) in {**honest, **CHEATS}.items() if learner != "no_reflection"]
    theirs, _ = autograde(SOLUTIONS, subs, tmp / "course")
    assert set(theirs) == {(s[0], s[1]) for s in subs}
    return compare(frame, theirs), set(honest), frame


def test_same_scores_as_nbgrader_on_honest_work(both):
    pairs, honest, _ = both
    differ = {k: v for k, v in pairs.items() if k[0] in honest and v[0] != v[1]}
    assert len(pairs) > 40 and not differ, differ


@pytest.mark.parametrize("learner", sorted(CHEATS))
def test_cheats_that_fool_nbgrader_score_nothing_here(both, learner):
    pairs, _, _ = both
    ours = {gid: v[0] for (who, _, gid), v in pairs.items() if who == learner and v[0] != "manual"}
    theirs = {gid: v[1] for (who, _, gid), v in pairs.items() if who == learner and v[1] != "manual"}
    assert sum(ours.values()) == 0, ours
    if learner == "swallowed":
        assert sum(theirs.values()) == 0
    else:
        assert sum(theirs.values()) > 0, f"nbgrader no longer falls for {learner}: {theirs}"


def test_deleted_written_answer_is_left_for_a_person(both):
    _, _, frame = both
    row = frame[frame.learner == "no_reflection"].iloc[0]
    assert row["needs_manual_grading"] == "q3" and re.search("q3.*was missing", row["notes"])


# --- the real exercises -----------------------------------------------------------------------

ROOT = SOLUTIONS.parents[3]
REAL = sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir())


def as_ids(value):
    """An answer in the course's words as the internal ids learners were asked for before."""
    law = load_law()
    ids = {normalise(i): i for i in [*law.contacts, *law.ids, *STANDING_WORDS]}
    if isinstance(value, list):
        return [as_ids(v) for v in value]
    return ids.get(normalise(value), value) if isinstance(value, str) else value


def real_submission(ex: str, answers: dict, delete=()) -> dict:
    """The released exercise with answer cells set (question -> value, or -> code when a str starting "= ")."""
    nb = json.loads((ROOT / "exercises" / ex / f"{ex}.ipynb").read_text())
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        q = gid.removesuffix("_answer")
        if gid.endswith("_answer") and q in answers:
            value = answers[q]
            cell["source"] = value[2:] if isinstance(value, str) and value.startswith("= ") else f"{q} = {value!r}"
    nb["cells"] = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") not in delete]
    return nb


def solution_answers(ex: str) -> dict:
    nb = json.loads((ROOT / "solutions" / ex / f"{ex}.ipynb").read_text())
    found = {}
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if gid.endswith("_answer"):
            body = re.search(r"### BEGIN SOLUTION\n(.*?)\n### END SOLUTION", "".join(cell["source"]), re.S).group(1)
            found[gid.removesuffix("_answer")] = ast.literal_eval(body.split(" = ", 1)[1])
    return found


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("real")
    sub = tmp / "submitted"
    made = {}
    for ex in REAL:
        right = solution_answers(ex)
        half = {q: (v if n % 2 else "a wrong answer") for n, (q, v) in enumerate(sorted(right.items()))}
        made[("words", ex)] = real_submission(ex, right)
        made[("half", ex)] = real_submission(ex, half)
        made[("ids", ex)] = real_submission(ex, {q: as_ids(v) for q, v in right.items()})
    made[("blank", REAL[0])] = real_submission(REAL[0], {})
    made[("computed", "ex06-capstone")] = real_submission("ex06-capstone", {
        **solution_answers("ex06-capstone"), "q6": '= q6 = (load_law().table("provisions")["confidence"] == "verify").sum()'})
    made[("no_reflection", REAL[0])] = real_submission(REAL[0], solution_answers(REAL[0]), delete=("reflection",))
    subs = []
    for (learner, ex), nb in made.items():
        write(sub, f"{learner}/{ex}/{ex}.ipynb", nb)
        subs.append((learner, ex, sub / learner / ex / f"{ex}.ipynb"))
    frame = gradebook.frame(grade(sub, tmp / "results", progress=False))
    frame["needs_manual_grading"] = frame["needs_manual_grading"].fillna("")
    theirs, _ = autograde(ROOT / "solutions", subs, tmp / "course")
    assert set(theirs) == {(s[0], s[1]) for s in subs}
    return compare(frame, theirs), frame


def test_same_scores_as_nbgrader_on_the_real_exercises(real):
    pairs, frame = real
    differ = {k: v for k, v in pairs.items() if v[0] != v[1]}
    assert not differ, differ
    assert pairs[("no_reflection", REAL[0], "reflection")] == ("manual", "manual")  # a deleted written answer
    for ex in REAL:   # the course's words and the old ids both score in full
        for learner in ("words", "ids"):
            row = frame[(frame.learner == learner) & (frame.exercise == ex)].iloc[0]
            auto = [c for c in frame.columns if c.startswith(f"{ex}:q")]
            assert row[auto].sum() == sum(pairs[(learner, ex, c.split(":")[1])][1] for c in auto), (learner, ex)
            assert all(pairs[(learner, ex, c.split(":")[1])][0] > 0 for c in auto), (learner, ex)
