"""Find the submitted notebooks in a folder, in either layout graders receive them.

- nbgrader's: `<learner>/<exercise>/<exercise>.ipynb` (the `submitted/` folder of a course);
- flat: `<learner>__<exercise>.ipynb`.

Every `.ipynb` file found becomes a Submission, even one that fits neither layout (it gets a
`problem`, so it still has a row in the gradebook). Symlinks are never followed: one could
point a "submission" at the solutions.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Submission:
    learner: str
    exercise: str
    path: Path
    file: str                  # path relative to the submissions folder, with "/"
    problem: str | None = None


def collect(root: Path) -> list[Submission]:
    root = Path(root)
    found: list[Submission] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(".ipynb") or name.startswith("."):
                continue
            path = Path(folder) / name
            rel = path.relative_to(root)
            found.append(_submission(path, rel))
    found.sort(key=lambda s: (s.learner, s.exercise, s.file))
    seen: dict[tuple[str, str], str] = {}
    result = []
    for sub in found:
        if sub.problem is None and (sub.learner, sub.exercise) in seen:
            sub = Submission(sub.learner, sub.exercise, sub.path, sub.file,
                             f"a second submission for this learner and exercise (first: {seen[(sub.learner, sub.exercise)]})")
        elif sub.problem is None:
            seen[(sub.learner, sub.exercise)] = sub.file
        result.append(sub)
    return result


def _submission(path: Path, rel: Path) -> Submission:
    parts = rel.parts
    file = "/".join(parts)
    stem = Path(parts[-1]).stem
    if path.is_symlink():
        learner, exercise = (parts[0], parts[1]) if len(parts) == 3 else (_split(stem) or (stem, ""))
        return Submission(learner, exercise, path, file, "is a symbolic link: not graded")
    if len(parts) == 3:
        learner, exercise = parts[0], parts[1]
        if stem != exercise:
            return Submission(learner, exercise, path, file, f"expected {learner}/{exercise}/{exercise}.ipynb")
        return Submission(learner, exercise, path, file)
    if len(parts) == 1 and _split(stem):
        learner, exercise = _split(stem)
        return Submission(learner, exercise, path, file)
    return Submission(stem, "", path, file,
                      "name fits neither <learner>__<exercise>.ipynb nor <learner>/<exercise>/<exercise>.ipynb")


def _split(stem: str) -> tuple[str, str] | None:
    learner, sep, exercise = stem.partition("__")
    if sep and learner and exercise and "__" not in exercise:
        return learner, exercise
    return None
