"""What the sandbox is asked to run: the learner's cells, except the release's own cells that only
show a value (left out: what they show is discarded), and never a test."""
import copy
import json
from pathlib import Path

from dmst.grading.score import learner_steps, load_key, plan

ROOT = Path(__file__).parents[2]


def _exercise_with_a_table():
    for path in sorted((ROOT / "exercises").glob("*/*.ipynb")):
        key = load_key(path.stem, ROOT / "solutions", ROOT / "exercises")
        if key.display_only:
            return key, json.loads(path.read_text())
    raise AssertionError("no exercise has a cell that only shows a table")


def test_unchanged_display_cells_are_left_out_and_changed_ones_run():
    key, release = _exercise_with_a_table()
    shown = next("".join(c["source"]).strip() for c in release["cells"]   # the first, before any test
                 if "".join(c["source"]).strip() in key.display_only)
    steps, _ = learner_steps(plan(release, key), key)
    sources = [s["source"].strip() for s in steps if "source" in s]
    assert shown not in sources
    assert any("load_law" in s for s in sources)                  # the set-up cell still runs
    edited = copy.deepcopy(release)
    cell = next(c for c in edited["cells"] if "".join(c["source"]).strip() == shown)
    cell["source"] = shown + "\nq1 = 16"                            # a learner's change to that cell
    steps, _ = learner_steps(plan(edited, key), key)
    assert any(s.get("source", "").endswith("q1 = 16") for s in steps)


def test_no_test_code_is_sent_to_the_sandbox():
    key, release = _exercise_with_a_table()
    steps, tests = learner_steps(plan(release, key), key)
    assert tests and all(steps[i] == {"answers": key.answer_names} for i in tests)
    for step in steps:
        assert "HIDDEN TESTS" not in step.get("source", "") and "check_value(" not in step.get("source", "")
