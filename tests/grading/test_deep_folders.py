"""A submissions folder nested 2000 levels deep, or one whose folders cannot be listed (a path
longer than the system allows), costs a row, never the run: the folder is walked without
recursion and no deeper than collect.MAX_DEPTH. Driven as a grader runs it, through the CLI."""
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dmst.grading.collect import MAX_DEPTH

from conftest import EXERCISES, SOLUTIONS, correct, write

LEVELS = 2000


def make_chain(top: Path, names: list[str]) -> None:
    """Folders `names` each inside the one before, made relative to open folders (the whole path
    may be longer than the system allows)."""
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for name in names:
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.close(os.open("ann__sample.ipynb", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
    finally:
        os.close(fd)


def remove_chain(top: Path, names: list[str]) -> None:
    """Remove what make_chain made, innermost first, without recursion (pytest's clean-up recurses)."""
    fds = [os.open(top, os.O_RDONLY | os.O_DIRECTORY)]
    for name in names:
        fds.append(os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
    os.unlink("ann__sample.ipynb", dir_fd=fds[-1])
    for name, fd in zip(reversed(names), reversed(fds[:-1])):
        os.close(fds.pop())
        os.rmdir(name, dir_fd=fd)
    os.close(fds.pop())


@pytest.fixture
def deep(tmp_path):
    sub = tmp_path / "submitted"
    write(sub, "ann__sample.ipynb", correct())
    (sub / "deep").mkdir()
    chains = {sub / "deep": ["d"] * LEVELS, sub: ["x" * 255] * MAX_DEPTH}   # 16 names of 255: over PATH_MAX
    for top, names in chains.items():
        make_chain(top, names)
    yield sub, tmp_path / "results"
    for top, names in chains.items():
        remove_chain(top, names)


def test_a_deep_or_unlistable_folder_is_a_row_and_the_run_finishes(deep):
    sub, out = deep
    done = subprocess.run([sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir",
                           str(EXERCISES), "--solutions-dir", str(SOLUTIONS), "--no-progress"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    book = pd.read_csv(out / "gradebook.csv", keep_default_na=False, na_values=[""]).set_index("file")
    assert book.loc["ann__sample.ipynb", "status"] == "graded" and book.loc["ann__sample.ipynb", "total"] == 4
    deep_row = book.loc["deep/" + "d/" * MAX_DEPTH]
    assert deep_row["status"] == "unrecognised_file" and f"more than {MAX_DEPTH} folders deep" in deep_row["notes"]
    (long_file,) = [f for f in book.index if f.startswith("x")]      # where the path grew too long
    assert book.loc[long_file, "status"] == "unreadable", long_file[:300]
    assert "cannot be listed (File name too long)" in book.loc[long_file, "notes"]
    assert len(book) == 3
