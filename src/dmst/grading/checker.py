"""Run an exercise's checks and hidden tests against a learner's answers, as data, in a clean
interpreter that no learner code has touched.

The checker is a separate process (`python -I -m dmst.grading.checker`) that reads one JSON job
per line and answers with one JSON line. A job holds the exercise's own code cells, from its
nbgrader source (set-up and table cells to run, test cells to score), the names of the
answers, and for each test cell the answers as they were where that cell stood in the
learner's notebook (taken out by the sandbox as plain data). For each job the checker starts
from an empty namespace, runs the exercise's cells in order, and before each test cell puts
the answers in: a value as itself (a numpy number as the same numpy type), an answer that could not be read as `checks.Unreadable`
(a wrong answer with a message), an absent one not at all. Nothing the learner wrote is ever
executed here, so no learner code can swallow an exception, fake a result, replace a helper
or read a hidden test.

Each test cell's outputs are recorded the way a kernel would show them, so scoring can follow
nbgrader's rule (an error or text on stderr scores 0; a last value that reads as a number is
partial credit): {"output_type": "stream", "name", "text"}, {"output_type": "execute_result",
"text"} (the value's repr) or {"output_type": "error", "ename", "evalue", "name"?}.

`Checker` is the grader's side: one checker process per grading run, restarted if it fails.
"""
from __future__ import annotations

import ast
import builtins
import io
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from contextlib import redirect_stderr, redirect_stdout

from .sandbox import ANSWER_PROBLEMS, NUMPY_TYPES

MAX_TEXT = 4000            # characters kept of one output


REPEAT = 0.05              # seconds between alarms once a cell is past its limit


class TimeLimit(BaseException):
    """A cell ran past its time limit. Not an Exception, so the checks' own `except Exception`
    (which turns an answer that broke into a message) cannot swallow it; and the alarm repeats
    until the cell has stopped, so even code that catches everything is stopped again."""


def run_job(job: dict) -> dict:
    """Score one submission: {"tests": {grade_id: outputs}, "problems": [instructor cells that failed]}."""
    from .checks import Unreadable

    namespace = {"__name__": "__main__", "__builtins__": builtins}
    names, answers = job["names"], job["answers"]
    tests, problems = {}, []
    for n, cell in enumerate(job["cells"]):
        if "test" not in cell:
            outputs = _run(cell["run"], namespace, job["timeout"], result=False)
            problems += [f"cell {n + 1} of the exercise failed in the checker: {o['ename']}: {o['evalue'][:200]}"
                         for o in outputs if o["output_type"] == "error"]
            continue
        taken = answers.get(cell["test"])
        if taken is None:  # the learner's notebook stopped before this test cell
            continue
        for name in names:
            namespace.pop(name, None)
            if name in taken:
                namespace[name] = _answer(taken[name], Unreadable)
        tests[cell["test"]] = _run(cell["source"], namespace, job["timeout"])
    return {"tests": tests, "problems": problems}


def _answer(entry, unreadable):
    """An answer as the checks see it: the value (a numpy number as its numpy type), or, for one
    the sandbox could not take out or that cannot be that type, an Unreadable with the grader's
    own words. Never raises: one odd answer is a wrong answer to its question, not a failed file."""
    if isinstance(entry, dict) and "numpy" in entry:
        if entry["numpy"] not in NUMPY_TYPES:
            return unreadable(ANSWER_PROBLEMS["unreadable"])
        try:
            import numpy

            return getattr(numpy, entry["numpy"])(entry["value"])
        except Exception:  # noqa: BLE001 - out of range for its type, or not a numpy type at all
            return unreadable(ANSWER_PROBLEMS["too_large"])
    if isinstance(entry, dict) and "value" in entry:
        return entry["value"]
    problem = entry.get("problem") if isinstance(entry, dict) else None
    return unreadable(problem if problem in ANSWER_PROBLEMS.values() else ANSWER_PROBLEMS["unreadable"])


def _run(source: str, namespace: dict, timeout: float, result: bool = True) -> list[dict]:
    """Run one cell like a kernel: statements, then (if `result`) the last expression's value as
    the cell's result."""
    out, err = io.StringIO(), io.StringIO()
    value, error = None, None
    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:
            raise TimeLimit(f"the check ran longer than {timeout:g} seconds")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout, REPEAT)
    try:
        try:
            with redirect_stdout(out), redirect_stderr(err):
                tree = ast.parse(source)
                last = tree.body.pop() if result and tree.body and isinstance(tree.body[-1], ast.Expr) else None
                exec(compile(tree, "<check>", "exec"), namespace)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), "<check>", "eval"), namespace)
        finally:
            armed[0] = False  # from here on an alarm raises nothing: the cell has stopped
    except (Exception, TimeLimit) as exc:  # noqa: BLE001 - every failure of a check is a result, never a crash
        error = {"output_type": "error", "ename": type(exc).__name__, "evalue": str(exc)[:MAX_TEXT]}
        if isinstance(exc, NameError) and getattr(exc, "name", None):
            error["name"] = exc.name
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    outputs = [{"output_type": "stream", "name": name, "text": text.getvalue()[:MAX_TEXT]}
               for name, text in (("stdout", out), ("stderr", err)) if text.getvalue()]
    if error:
        outputs.append(error)
    elif value is not None:
        outputs.append({"output_type": "execute_result", "text": repr(value)[:MAX_TEXT]})
    return outputs


def serve() -> None:
    """The checker process: one JSON job per line on stdin, one JSON answer per line on stdout."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)  # anything printed below Python (C libraries) must not reach the channel
    import dmst  # noqa: F401  (load the course once, before the first job)

    for line in sys.stdin.buffer:
        try:
            reply = run_job(json.loads(line))
        except Exception as exc:  # noqa: BLE001 - a broken job must not end the checker
            reply = {"error": f"{type(exc).__name__}: {exc}"[:MAX_TEXT]}
        channel.write(json.dumps(reply, ensure_ascii=True) + "\n")
        channel.flush()


class CheckerError(RuntimeError):
    """The checker process failed or did not answer in time."""


class Checker:
    """The grader's handle on one checker process, shared by the grading threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None

    def check(self, job: dict, seconds: float) -> dict:
        """Run a job (see run_job); CheckerError if the process fails or takes longer than `seconds`."""
        with self._lock:
            try:
                return self._ask(job, seconds)
            except CheckerError:
                self._stop()
                raise

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _ask(self, job: dict, seconds: float) -> dict:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen([sys.executable, "-I", "-m", "dmst.grading.checker"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                          env={**os.environ, "MPLBACKEND": "Agg"})
            seconds += 60  # the first job also loads Python, the course and pandas
        try:
            self._proc.stdin.write(json.dumps(job).encode() + b"\n")
            self._proc.stdin.flush()
        except OSError as exc:
            raise CheckerError(f"the checker stopped ({exc})") from exc
        line = _read_line(self._proc.stdout, time.monotonic() + seconds)
        try:
            reply = json.loads(line)
        except ValueError as exc:
            raise CheckerError("the checker's answer was not readable") from exc
        if "error" in reply:
            raise CheckerError(f"the checker could not run the job: {reply['error']}")
        return reply

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None


def _read_line(stream, deadline: float) -> bytes:
    fd, data = stream.fileno(), bytearray()
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            raise CheckerError("the checker did not answer in time")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                raise CheckerError("the checker stopped")
            data += chunk
    return bytes(data)


if __name__ == "__main__":
    serve()
