"""Grade the same submissions with nbgrader's own `autograde`, to compare scores and speed.

Builds a throw-away nbgrader course (source/, release/, submitted/, gradebook.db) from the
exercises' nbgrader source, runs `nbgrader generate_assignment` (not timed) and `nbgrader
autograde` (timed), and reads each grade cell's score back from nbgrader's gradebook.
nbgrader is configured to put deleted grade cells back (`OverwriteCells.add_missing_cells`),
as `dmst grade` does.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def autograde(solutions_dir: Path, submissions: list[tuple[str, str, Path]], course: Path,
              timeout_cell: float = 30, cpu: list | None = None) -> tuple[dict[tuple[str, str], dict[str, float | None]], float]:
    """({(learner, exercise): {grade id: score or None when it needs a person}}, seconds in autograde).
    `cpu`, if given, gets the CPU seconds autograde's processes used appended to it."""
    course = Path(course)
    course.mkdir(parents=True, exist_ok=True)
    exercises = sorted({ex for _, ex, _ in submissions})
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'dmst'\n"
        "c.OverwriteCells.add_missing_cells = True\n"
        f"c.Execute.timeout = {int(timeout_cell)}\n")
    for ex in exercises:
        target = course / "source" / ex
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(solutions_dir) / ex / f"{ex}.ipynb", target / f"{ex}.ipynb")
        _nbgrader(course, "generate_assignment", ex, "--force")
    for learner, ex, path in submissions:
        target = course / "submitted" / learner / ex
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / f"{ex}.ipynb")
    started, used = time.monotonic(), children_cpu()
    for ex in exercises:
        _nbgrader(course, "autograde", ex, "--create", "--force")
    seconds = time.monotonic() - started
    if cpu is not None:
        cpu.append(children_cpu() - used)
    from nbgrader.api import Gradebook, MissingEntry
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for learner, ex, _ in submissions:
            try:
                nb = gb.find_submission_notebook(ex, ex, learner)
            except MissingEntry:
                continue
            scores[(learner, ex)] = {g.name: (None if g.needs_manual_grade else g.auto_score) for g in nb.grades}
    return scores, seconds


def children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes of this one, so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _nbgrader(course: Path, *args: str) -> None:
    # nbgrader runs `alembic` from PATH: put this Python's scripts first.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=ERROR"], cwd=course, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
