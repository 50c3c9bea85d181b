"""The course notebooks: how long nbval takes, and how long each notebook's own cells take.

Targets (the course issue): each notebook's own cells run in under 1 s beyond kernel
start, and the whole course validates with nbval in under 60 s on the 2-core machine.

- "own cells": one kernel is started first (not timed), then every cell is executed in
  order and timed; this is what a learner waits for after "Restart and Run All".
- "nbval": `pytest --nbval` on one notebook, as a subprocess (kernel start, execution and
  output comparison: what `make test` pays per notebook); "whole course" is one pytest
  run over notebooks/.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OWN_TARGET_S = 1.0
COURSE_TARGET_S = 60.0


def own_cells_seconds(path: Path) -> float:
    """Seconds to execute every cell of `path` in a kernel that is already running."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=300, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        start = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        return time.perf_counter() - start


FLOOR_IMPORTS = "import pandas, ipywidgets, matplotlib.figure"


def import_floor_seconds() -> float:
    """Seconds a running kernel takes just to import pandas, ipywidgets and matplotlib: the
    floor under any notebook that shows a table, a widget and a chart."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_IMPORTS)])
    client = NotebookClient(nb, kernel_name="python3", timeout=300, record_timing=False)
    with client.setup_kernel():
        start = time.perf_counter()
        client.execute_cell(nb.cells[0], 0)
        return time.perf_counter() - start


def nbval_seconds(*targets: Path) -> tuple[float, bool]:
    """Wall-clock seconds for one pytest --nbval run over `targets`, and whether it passed."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", *map(str, targets), "-p", "no:cacheprovider", "-q"],
                          cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, done.returncode == 0


def main() -> None:
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        print("no notebooks in notebooks/")
        return
    print(f"{'notebook':38} {'own cells':>10} {'nbval':>8}  result")
    for path in paths:
        own = own_cells_seconds(path)
        seconds, ok = nbval_seconds(path)
        flag = "ok" if own < OWN_TARGET_S else f"own cells over {OWN_TARGET_S:.0f} s"
        print(f"{path.name:38} {own:9.2f}s {seconds:7.1f}s  {'pass' if ok else 'FAIL'}; {flag}", flush=True)
    print(f"{'floor: import pandas, widgets, mpl':38} {import_floor_seconds():9.2f}s", flush=True)
    seconds, ok = nbval_seconds(NOTEBOOKS)
    verdict = "within" if seconds < COURSE_TARGET_S else "OVER"
    print(f"{'whole course (one nbval run)':38} {'':>10} {seconds:7.1f}s  {'pass' if ok else 'FAIL'}; "
          f"{verdict} the {COURSE_TARGET_S:.0f} s target")


if __name__ == "__main__":
    main()
