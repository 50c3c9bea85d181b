"""The course's exercises as reports and exports name them: id, title and the most it can score,
read from the released notebooks (`exercises/<id>/<id>.ipynb`)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .score import exercise_title

PROJECT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    max_points: float


def course_exercises(release_dir: Path | None = None) -> dict[str, Exercise]:
    """Every exercise in `release_dir` (default: the course's exercises/), by id, in id order."""
    release_dir = Path(release_dir or PROJECT / "exercises")
    found = {}
    for path in sorted(release_dir.glob("*/*.ipynb")):
        if path.stem != path.parent.name:
            continue
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        points = 0.0
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if isinstance(meta, dict) and meta.get("grade"):
                points += float(meta.get("points", 0) or 0)
        found[path.stem] = Exercise(path.stem, exercise_title(nb) or path.stem, points)
    return found
