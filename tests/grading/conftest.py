"""Shared set-up for the grading tests: the sample exercises and submissions made from them."""
import copy
import json
from pathlib import Path

import pytest

from dmst.grading import naming

FIXTURES = Path(__file__).parent / "fixtures"
SOLUTIONS = FIXTURES / "solutions"
EXERCISES = FIXTURES / "exercises"

# The fixture notebooks are grading inputs, not notebooks for nbval to run.
collect_ignore = ["fixtures"]

ANSWERS = {"q1": 'q1 = "B"', "q2": "q2 = len(law.ids)", "q3": "Call the hotline first: it is the agreed first step.",
           "answer_cell": "answer = 42"}


def release(exercise="sample") -> dict:
    return json.loads((EXERCISES / exercise / f"{exercise}.ipynb").read_text())


def submission(exercise="sample", **answers) -> dict:
    """The released notebook with the given answers (grade id -> cell source) filled in."""
    nb = copy.deepcopy(release(exercise))
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return nb


def correct(exercise="sample") -> dict:
    nb = release(exercise)
    ids = {c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution")}
    return submission(exercise, **{k: v for k, v in ANSWERS.items() if k in ids})


def cell_index(nb: dict, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb["cells"]) if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def write(folder: Path, name: str, nb) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nb if isinstance(nb, str) else json.dumps(nb, indent=1))
    return path


def feedback_page(out: Path, learner: str) -> Path:
    """A learner's feedback page in a results folder."""
    return out / "feedback" / f"{naming.learner_file(learner)}.html"


def record_file(out: Path, learner: str, exercise: str) -> Path:
    """The record of a learner's graded exercise in a results folder."""
    return out / "results" / f"{naming.record_id(learner, exercise)}.json"


@pytest.fixture
def dirs(tmp_path):
    sub, out = tmp_path / "submitted", tmp_path / "results"
    sub.mkdir()
    return sub, out
