"""Where the learner stands: the progress table read from the learner's own exercise notebooks."""
from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from dmst import course
from dmst.progress import answered_text, checks_text, exercise_progress, progress

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
EX = "ex02-victims-not-criminals"


@pytest.fixture
def folder(tmp_path):
    """A learner's copy of the course's exercises, as released (blank)."""
    shutil.copytree(EXERCISES, tmp_path / "exercises", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return tmp_path / "exercises"


def nbg(cell) -> dict:
    return cell["metadata"].get("nbgrader", {})


def work_on(path: Path, answers: dict, run_checks=True, reflection: str | None = None) -> None:
    """What a learner does: type answers between the quotes, run the checks (their real output),
    write the reflection, save."""
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        gid = nbg(cell).get("grade_id", "")
        if gid.endswith("_answer") and gid in answers:
            cell["source"] = answers[gid]
        elif cell["cell_type"] == "code" and nbg(cell).get("grade") and run_checks and gid in answers:
            namespace = {}
            try:
                exec(answers[gid], namespace)
            except SyntaxError:
                namespace = {}
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                exec("".join(cell["source"]), namespace)
            cell["outputs"] = [{"output_type": "stream", "name": name, "text": text.getvalue()}
                               for name, text in (("stdout", out), ("stderr", err)) if text.getvalue()]
        elif cell["cell_type"] == "markdown" and nbg(cell).get("grade") and reflection is not None:
            cell["source"] = reflection
    path.write_text(json.dumps(nb))


def test_a_blank_course_shows_six_exercises_not_opened(folder):
    found = progress(folder)
    assert [p.exercise for p in found] == sorted(p.name for p in EXERCISES.iterdir() if p.is_dir())
    assert len(found) == 6 and not any(p.opened for p in found)
    assert all(p.questions > 0 and p.answered == 0 and p.right == p.not_right == p.saved == 0 for p in found)
    assert all(answered_text(p) == checks_text(p) == "not yet" for p in found)
    assert found[1].title == "Exercise 2: Victims, not criminals"


def test_opening_an_exercise_in_jupyterlab_counts_as_opened(folder):
    path = folder / EX / f"{EX}.ipynb"
    (path.parent / ".ipynb_checkpoints").mkdir()
    shutil.copy(path, path.parent / ".ipynb_checkpoints" / f"{EX}-checkpoint.ipynb")  # what JupyterLab does
    p = exercise_progress(path)
    assert p.opened and p.answered == 0
    assert answered_text(p) == "0 of 6 questions; the reflection not written yet"
    assert checks_text(p) == "none checked yet"


def test_answers_and_what_the_checks_said_are_counted(folder):
    path = folder / EX / f"{EX}.ipynb"
    work_on(path, {"q1_answer": 'q1 = "16"', "q1": 'q1 = "16"',            # right
                   "q2_answer": 'q2 = "1 Jan 2020"', "q2": 'q2 = "1 Jan 2020"',   # not right yet
                   "q3_answer": 'q3 = ""', "q3": 'q3 = ""',                # run, but no answer yet
                   "q4_answer": 'q4 = "A"', "q4": 'q4 = "A"',              # a form-only check: saved
                   "q5_answer": "q5 = 1 Oct 2016"},                        # quotes lost, never checked
            reflection="It changed because the statute changed in 2016.")
    p = exercise_progress(path)
    assert p.opened and (p.answered, p.questions) == (4, 6)
    assert (p.right, p.not_right, p.saved) == (1, 1, 1)
    assert answered_text(p) == "4 of 6 questions; the reflection written"
    assert checks_text(p) == "1 right; 1 not right yet; 1 saved, checked when graded; 3 not checked yet"


def test_the_progress_table_links_each_exercise_and_has_a_caption(folder):
    work_on(folder / EX / f"{EX}.ipynb", {"q1_answer": 'q1 = "16"', "q1": 'q1 = "16"'})
    html = course.table_html(course.progress_table(folder))
    assert re.search(r"<caption[^>]*>Your progress in the exercises", html)
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert [href for href, _ in links] == [f"../exercises/{p.name}/{p.name}.ipynb" for p in sorted(folder.iterdir())]
    assert all("target" not in a for a in re.findall(r"<a [^>]*>", html))  # course files open in JupyterLab
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "Exercise 2: Victims, not criminals" in text and "1 right" in text and "1 of 6 questions" in text


def test_the_exercises_beside_the_lesson_s_folder_are_read_by_default(folder, monkeypatch):
    """A lesson runs in notebooks/: its progress table reads the exercises folder next to it (the
    learner's copy, wherever the course was put), not the package's."""
    (folder.parent / "notebooks").mkdir()
    monkeypatch.chdir(folder.parent / "notebooks")
    work_on(folder / EX / f"{EX}.ipynb", {"q1_answer": 'q1 = "16"'})
    assert [p.answered for p in progress()] == [0, 1, 0, 0, 0, 0]
    monkeypatch.chdir(ROOT)
    assert [p.path for p in progress()] == [p.path for p in progress(EXERCISES)]


def test_module_00_names_each_exercise_as_the_progress_table_does():
    """The course map's links and the progress table (the exercise's own title) use one name."""
    text = "".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                   for c in json.loads((ROOT / "notebooks" / "00-start-here.ipynb").read_text())["cells"]
                   if c["cell_type"] == "markdown")
    links = re.findall(r"\[(Exercise \d[^\]]*)\]\(\.\./exercises/([^)]+\.ipynb)\)", text)
    assert len(links) == len(list(EXERCISES.glob("*/*.ipynb")))
    for name, path in links:
        first = json.loads((EXERCISES / path).read_text())["cells"][0]["source"]
        title = (first if isinstance(first, str) else "".join(first)).splitlines()[0].removeprefix("# ")
        assert name == title, path
