"""Where a learner stands: the course's exercises, read from the learner's own exercise notebooks.

For each exercise (`exercises/<id>/<id>.ipynb`): whether it was opened, how many questions are
answered (and whether the written reflection is), and what its checks said the last time they
ran: right (✔), not right yet (✘), or saved for grading (✎, a check that sees only the form).
Everything is read from the notebook as it was last saved, with the standard library only, so
it works on Binder without the grading tools; nothing is run and nothing is written.

"Opened" is what JupyterLab leaves behind: it makes a checkpoint (`.ipynb_checkpoints/<id>-
checkpoint.ipynb`) the first time it opens a notebook; a notebook whose answers or checks
changed was opened too.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .grading.checks import SAVED

BLANK_TEXT = "YOUR ANSWER HERE"   # what nbgrader leaves in a written answer (nbgrader_config.py)


@dataclass(frozen=True)
class ExerciseProgress:
    exercise: str              # the folder name, e.g. "ex02-victims-not-criminals"
    title: str                 # "Exercise 2: Victims, not criminals"
    path: Path
    opened: bool
    questions: int             # checked questions
    answered: int
    reflections: int           # written answers graded by a person
    written: int               # ... of which written
    right: int                 # checks that last said ✔
    not_right: int             # ... ✘ (not right yet, or not in the form asked)
    saved: int                 # ... ✎ (answer saved, checked when graded)


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _meta(cell: dict) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _answered(source: str, name: str) -> bool:
    """Is anything typed in an answer cell (`q2 = ""` is not)? A cell that no longer reads as
    Python (quotes lost) still holds an answer."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return bool(source.strip())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                return True   # an expression: something was written
            return not (value is None or (isinstance(value, str) and not value.strip()))
    return False


def _verdict(outputs: list) -> str | None:
    """What a check cell said when it last ran: "right", "not_right", "saved", or None (not run,
    or no answer yet)."""
    text = "".join(_text(o.get("text")) for o in outputs if o.get("output_type") == "stream").strip()
    if text.startswith("✔"):
        return "right"
    if text.startswith(SAVED):
        return "saved"
    if text.startswith("✘") and "has no answer yet" not in text.split("\n")[0]:
        return "not_right"
    return None


def exercise_progress(path: str | Path) -> ExerciseProgress:
    """One exercise notebook's progress, as last saved (see the module docstring)."""
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
    title = next((m.group(1).strip() for c in cells if c.get("cell_type") == "markdown"
                  for m in [re.search(r"^#\s+(.+)$", _text(c.get("source")), re.M)] if m), path.stem)
    questions = answered = reflections = written = 0
    verdicts = []
    for cell in cells:
        meta, source = _meta(cell), _text(cell.get("source"))
        if cell.get("cell_type") == "code" and meta.get("solution") and not meta.get("grade"):
            questions += 1
            answered += _answered(source, str(meta.get("grade_id", "")).removesuffix("_answer"))
        elif cell.get("cell_type") == "markdown" and meta.get("solution") and meta.get("grade"):
            reflections += 1
            written += bool(source.strip()) and source.strip() != BLANK_TEXT
        elif cell.get("cell_type") == "code" and meta.get("grade"):
            verdicts.append(_verdict(cell.get("outputs", [])))
    checkpoint = path.parent / ".ipynb_checkpoints" / f"{path.stem}-checkpoint.ipynb"
    opened = checkpoint.exists() or answered > 0 or written > 0 or any(verdicts)
    return ExerciseProgress(path.parent.name, title, path, opened, questions, answered, reflections, written,
                            verdicts.count("right"), verdicts.count("not_right"), verdicts.count("saved"))


def exercises_folder() -> Path:
    """The learner's exercises: the `exercises` folder beside the notebook's own folder (a lesson
    runs in notebooks/), or in it, else the course's own."""
    for folder in (Path.cwd().parent / "exercises", Path.cwd() / "exercises"):
        if folder.is_dir():
            return folder
    from .law import load_law

    return load_law().data_dir.parent / "exercises"


def progress(folder: str | Path | None = None) -> list[ExerciseProgress]:
    """Every exercise in `folder` (default: `exercises_folder()`), in order."""
    folder = Path(folder) if folder is not None else exercises_folder()
    return [exercise_progress(p / f"{p.name}.ipynb") for p in sorted(folder.iterdir())
            if p.is_dir() and (p / f"{p.name}.ipynb").is_file()]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def answered_text(p: ExerciseProgress) -> str:
    """'4 of 6 questions; the reflection written' in words."""
    if not p.opened:
        return "not yet"
    text = f"{p.answered} of {_count(p.questions, 'question')}"
    if p.reflections:
        text += "; the reflection " + ("written" if p.written == p.reflections else "not written yet")
    return text


def checks_text(p: ExerciseProgress) -> str:
    """'2 right, 1 not right yet, 1 saved for grading' in words; what is left unchecked last."""
    if not p.opened:
        return "not yet"
    parts = [f"{p.right} right" if p.right else "", f"{p.not_right} not right yet" if p.not_right else "",
             f"{p.saved} saved, checked when graded" if p.saved else ""]
    unchecked = p.questions - p.right - p.not_right - p.saved
    if unchecked:
        parts.append(f"{unchecked} not checked yet" if unchecked != p.questions else "none checked yet")
    return "; ".join(part for part in parts if part)
