"""`dmst grade` gives the same scores as `nbgrader autograde` on the same submissions."""
import copy

from dmst.grading.collect import collect
from dmst.grading.grade import grade
from dmst.grading.nbgrader_course import autograde

from conftest import EXERCISES, SOLUTIONS, cell_index, correct, release, submission, write


def test_same_scores_as_nbgrader_autograde(tmp_path, dirs):
    sub, out = dirs
    edited = submission(q1='q1 = "A"', q2="q2 = 1")
    edited["cells"][cell_index(edited, "test_q1")]["source"] = "pass"
    deleted = copy.deepcopy(edited)
    deleted["cells"] = [c for c in deleted["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != "test_q2"]
    cases = {
        "correct": correct(), "blank": release(), "partial": submission(q1='q1 = "B"', q2="q2 = 3"),
        "broken": submission(q1="q1 = undefined_name", q2="q2 = 'ten'", q3="Some thoughts."),
        "stderr": submission(q1='import sys\nq1 = "B"\nprint("note", file=sys.stderr)', q2="q2 = len(law.ids)"),
        "edited": edited, "deleted": deleted,
    }
    for learner, nb in cases.items():
        write(sub, f"{learner}/sample/sample.ipynb", nb)
    write(sub, "second_ok/second/second.ipynb", correct("second"))
    frame = grade(sub, out, EXERCISES, SOLUTIONS, progress=False)
    subs = [(s.learner, s.exercise, s.path) for s in collect(sub)]
    theirs, _ = autograde(SOLUTIONS, subs, tmp_path / "course")
    assert set(theirs) == {(s[0], s[1]) for s in subs}
    for (learner, exercise), scores in theirs.items():
        row = frame[(frame.learner == learner) & (frame.exercise == exercise)].iloc[0]
        for gid, score in scores.items():
            ours = row[f"{exercise}:{gid}"]
            if score is None:
                assert gid in row["needs_manual_grading"].split(), (learner, gid)
            else:
                assert ours == score, (learner, gid, ours, score)
