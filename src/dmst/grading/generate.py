"""`make exercises` (python -m dmst.grading.generate): regenerate exercises/ from solutions/.

nbgrader's own converter (GenerateAssignment, configured by nbgrader_config.py) clears
the solution regions and hidden tests. Each learner copy is then executed blank, so its
set-up and table cells are committed with outputs as nbval expects; but an exercise opens
with no verdicts, so the check cells' outputs (each blank answer's "no answer yet") and the
answer and check cells' run counts are removed, and the check cells are tagged
`nbval-ignore-output` (their messages are tested in tests/grading/test_exercises.py). A
test cell that raises on a blank answer is tagged `raises-exception`, only here, never in
solutions/. Output is normalised so regeneration is byte-for-byte stable: fixed notebook
metadata (with `metadata.dmst.exercise`, which names the exercise for the grader), no
timings, no widget state, no memory addresses, a stream's pieces joined, and an error's
traceback reduced to its message (a traceback holds file paths).

`--solutions` first re-executes the solution notebooks in place the same way, for after
a change to the law data; a check that fails in a solution stops it, naming the question.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log
from traitlets.config import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[3]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
KERNEL = "python3"
METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": KERNEL},
    "language_info": {"name": "python"},
}
EXPECTED_FAILURE = "raises-exception"
NO_VERDICTS = "nbval-ignore-output"


class GenerateError(RuntimeError):
    """A notebook could not be generated or executed as expected."""


def exercise_ids(solutions: Path = SOLUTIONS) -> list[str]:
    """Folders of solutions/ that hold a notebook of the same name, sorted."""
    return sorted(p.name for p in solutions.iterdir() if (p / f"{p.name}.ipynb").is_file())


def generate(solutions: Path = SOLUTIONS, exercises: Path = EXERCISES) -> list[Path]:
    """Write every exercise generated from `solutions` into `exercises`; return the paths."""
    solutions, exercises = Path(solutions).resolve(), Path(exercises).resolve()
    ids = exercise_ids(solutions)
    written = []
    with tempfile.TemporaryDirectory(prefix="dmst-generate-") as tmp:
        release = Path(tmp) / "release"
        _nbgrader_release(solutions, release, Path(tmp), ids)
        for ex in ids:
            for src in sorted((release / ex).glob("*.ipynb")):
                nb = nbformat.read(src, as_version=4)
                _execute(nb, src.parent, ex)
                _tag_expected_failures(nb, src.name)
                _clear_verdicts(nb)
                dest = exercises / ex / src.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                _write(nb, dest)
                written.append(dest)
    for stale in sorted(p for p in exercises.iterdir() if p.is_dir() and p.name not in ids):
        shutil.rmtree(stale)
    return written


def execute_solutions(solutions: Path = SOLUTIONS) -> list[Path]:
    """Re-execute each solution notebook in place; every cell must run without error."""
    paths = [Path(solutions) / ex / f"{ex}.ipynb" for ex in exercise_ids(Path(solutions))]
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        _execute(nb, path.parent, path.parent.name)
        failed = [c.get("id") for c in nb.cells if _error(c)]
        if failed:
            raise GenerateError(f"{path}: cells {', '.join(failed)} raised an error in the solution")
        wrong = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
                 and any(o.output_type == "stream" and o.name == "stderr" for o in c.get("outputs", []))]
        if wrong:
            raise GenerateError(f"{path}: the solution fails the checks of {', '.join(wrong)} (a stale answer or "
                                "visible hash after a change to the law data?)")
        _write(nb, path)
    return paths


def _nbgrader_release(solutions: Path, release: Path, workdir: Path, ids: list[str]) -> None:
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.CourseDirectory.root = str(workdir)
    config.CourseDirectory.source_directory = str(solutions)
    config.CourseDirectory.release_directory = str(release)
    config.CourseDirectory.db_url = f"sqlite:///{workdir / 'gradebook.db'}"
    logging.getLogger("traitlets").setLevel(logging.WARNING)
    # nbgrader's gradebook runs the `alembic` command, installed beside this Python.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    for ex in ids:
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id = ex
        converter = GenerateAssignment(coursedir=coursedir, config=config)
        converter.force = True
        result = capture_log(converter)
        if not result["success"] or not (release / ex).is_dir():
            raise GenerateError(f"nbgrader generate_assignment failed for {ex}:\n{result.get('log', '')}")


def _execute(nb, cwd: Path, exercise: str) -> None:
    NotebookClient(nb, kernel_name=KERNEL, timeout=120, allow_errors=True, record_timing=False,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    nb.metadata = nbformat.from_dict({**METADATA, "dmst": {"exercise": exercise}})
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                out.traceback = [f"{out.ename}: {out.evalue}"]
            plain = out.get("data", {}).get("text/plain")
            if isinstance(plain, str):  # a table's plain form names its memory address
                out.data["text/plain"] = re.sub(r"0x[0-9a-f]+", "0x0", plain)


def _merge_streams(outputs: list) -> list:
    """Consecutive pieces of one stream as one output: how the kernel splits them varies by run."""
    merged = []
    for out in outputs:
        last = merged[-1] if merged else None
        if out.output_type == "stream" and last is not None and last.output_type == "stream" and last.name == out.name:
            last.text += out.text
        else:
            merged.append(out)
    return merged


def _error(cell) -> bool:
    return any(out.output_type == "error" for out in cell.get("outputs", []))


def _tag_expected_failures(nb, name: str) -> None:
    """Tag the autograder test cells that fail on a blank answer; any other error is a bug."""
    for cell in nb.cells:
        if not _error(cell):
            continue
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("grade") and not meta.get("solution")):
            raise GenerateError(f"{name}: cell {cell.get('id')} (not a test cell) raised an error in the blank exercise")
        tags = cell.metadata.setdefault("tags", [])
        if EXPECTED_FAILURE not in tags:
            tags.append(EXPECTED_FAILURE)


def _clear_verdicts(nb) -> None:
    """A blank exercise shows no verdicts: no check output, and no run count on the answer and
    check cells (which have not been run by the learner)."""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not (meta.get("grade") or meta.get("solution")):
            continue
        cell.execution_count = None
        if meta.get("grade"):
            cell.outputs = []
            tags = cell.metadata.setdefault("tags", [])
            if NO_VERDICTS not in tags:
                tags.append(NO_VERDICTS)


def _write(nb, path: Path) -> None:
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dmst.grading.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", action="store_true", help="re-execute solutions/ in place first")
    args = parser.parse_args(argv)
    try:
        if args.solutions:
            for path in execute_solutions():
                print(f"executed {path.relative_to(ROOT)}")
        for path in generate():
            print(f"wrote {path.relative_to(ROOT)}")
    except GenerateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
