"""`make notebooks`: re-execute every course notebook in place, ready to commit.

Runs each notebook in notebooks/ (or the paths given) top to bottom with the project's
`python3` kernel, from the notebooks/ folder, then removes what must not be committed:
widget state (`metadata.widgets`), widget views (without that state they show only
"model not found"; the learner runs the cell to get a live widget) and per-cell timing
metadata (noise in every diff). Cell tags are kept. Stops at the first notebook that
raises an error in a cell not tagged `raises-exception`.

    .venv/bin/python scripts/run_notebooks.py [notebooks/01-defining-the-crime.ipynb ...]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip(nb) -> None:
    """Remove widget state, widget views and timing metadata from an executed notebook."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]


def run(path: Path, timeout: int = 300) -> float:
    """Execute one notebook in place; returns the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", timeout=timeout, record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    strip(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        print(f"no notebooks in {NOTEBOOKS}")
        return 1
    for path in paths:
        print(f"{path.relative_to(ROOT)} ... ", end="", flush=True)
        print(f"{run(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
