"""Start the learner's process, time it, and read its answers: the sandbox's trusted process.

Executed as a script (`python -I supervisor.py`) inside the sandbox, as its first process
(bubblewrap's `--as-pid-1`); it imports nothing from `dmst` and never runs learner code. It
reads one JSON job from stdin (the runner's job plus the limits below), starts runner.py
in a child process, and writes one JSON report to stdout, the *report channel* to the grader.

The channel cannot be reached from the learner's code: the child gets only its own pipe
(every other descriptor is closed), and this process makes itself non-dumpable, so the
child cannot open `/proc/1/fd/1` either; as the namespace's first process it also ignores
any signal the child sends it. The child's pipe is read as untrusted bytes: a message
longer than `message_bytes`, or more than `total_bytes` in all, stops the child; so does
the first line that is not exactly the next message of the job's sequence (`Watch`): the
learner's code wrote to the pipe, and the report says "tampered"; answer values
must be plain JSON data (numbers within 64 bits, text, true/false, null, lists, objects; a
numpy number within its type's range), else they count as a problem. A problem is one of the
codes in PROBLEMS, never text: a code the runner did not send from that list becomes
"unreadable", so nothing the learner's code wrote reaches the report but answers. The report:

  {"steps": [{"error": bool, "timed_out": bool}, ...],  # one per step that finished, in order
   "answers": {"<step>": {name: {"value": ...[, "numpy": type]} | {"problem": code}}},
   "finished": bool, "stopped": null | "cell_timeout" | "notebook_timeout" | "output_limit" | "tampered",
   "exit_code": int | null}

A step that runs past `timeout_cell` is interrupted inside the child (like a kernel); one
that is still running `grace` seconds later, or a notebook past `timeout_notebook`, is stopped
by killing the child.
"""
import ctypes
import json
import math
import os
import select
import signal
import subprocess
import sys
import time

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runner.py")
PR_SET_DUMPABLE = 4
LARGEST = 2 ** 63                   # an answer's whole numbers lie within (-LARGEST, LARGEST)
NUMPY_INTS = {"int8": (-2 ** 7, 2 ** 7), "int16": (-2 ** 15, 2 ** 15), "int32": (-2 ** 31, 2 ** 31),
              "int64": (-2 ** 63, 2 ** 63), "uint8": (0, 2 ** 8), "uint16": (0, 2 ** 16), "uint32": (0, 2 ** 32),
              "uint64": (0, 2 ** 64)}
NUMPY_FLOATS = {"float16": 65504.0, "float32": 3.4028234663852886e38, "float64": 1.7976931348623157e308}
# The codes of the problems an answer can have (sandbox.ANSWER_PROBLEMS gives their words).
PROBLEMS = ("too_many", "too_deep", "too_large", "not_finite", "bad_keys", "function", "object", "raised", "slow",
            "unreadable")


def not_dumpable():
    """Keep other processes of the same user out of /proc/<this pid>/fd (and from ptrace)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: no /proc to protect
        pass


def is_plain(value, budget, depth=0):
    """Whether `value` (parsed JSON) is plain answer data within the limits."""
    budget[0] -= 1
    if budget[0] < 0 or depth > 20:
        return False
    if value is None or isinstance(value, (bool, str)):
        return True
    if isinstance(value, int):
        return -LARGEST < value < LARGEST
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(is_plain(v, budget, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(is_plain(v, budget, depth + 1) for v in value.values())
    return False


def answers(values, names):
    """The answers in a runner message, checked; None if the message is not one."""
    if not isinstance(values, dict) or not set(values) <= set(names):
        return None
    out = {}
    for name, entry in values.items():
        if isinstance(entry, dict) and set(entry) == {"value"} and is_plain(entry["value"], [10_000]):
            out[name] = entry
        elif isinstance(entry, dict) and set(entry) == {"value", "numpy"}:
            out[name] = entry if numpy_fits(entry["numpy"], entry["value"]) else {"problem": "too_large"}
        elif isinstance(entry, dict) and set(entry) == {"problem"} and entry["problem"] in PROBLEMS:
            out[name] = {"problem": entry["problem"]}
        else:
            out[name] = {"problem": "unreadable"}
    return out


def numpy_fits(kind, value):
    """Whether `value` can be a numpy number of type `kind` (what the checker will make of it)."""
    if kind == "bool_":
        return type(value) is bool
    if kind == "str_":
        return type(value) is str
    if kind in NUMPY_INTS:
        low, high = NUMPY_INTS[kind]
        return type(value) is int and low <= value < high
    if kind in NUMPY_FLOATS:
        if type(value) is int:  # compared exactly: a huge int is not turned into a float
            return abs(value) <= NUMPY_FLOATS[kind]
        return type(value) is float and math.isfinite(value) and abs(value) <= NUMPY_FLOATS[kind]
    return False


class Watch:
    """Follows the runner's messages, which must be exactly the job's sequence: for each step i,
    {"start": i}, then {"answers": i, ...} once if (and only if) step i is an answer step, then
    {"end": i, ...}; and {"done": true} after the last step, then nothing more. The first line that
    is not the next expected message (forged, out of order, repeated, early, malformed) means the
    learner's code wrote to the pipe: `tampered` is set, what was taken is dropped (any of it may
    have been forged) and nothing more is read."""

    def __init__(self, job):
        self.job, self.steps, self.answers = job, [], {}
        self.current = None          # the step that has started and not yet ended
        self.started_at = None
        self.finished = False        # "done" came after the last step
        self.tampered = False

    def handle(self, line: bytes) -> None:
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            message = None
        if self.finished or not self._take(message):
            # nothing read from a pipe the learner's code wrote to is trusted, answers included
            self.tampered, self.answers, self.steps = True, {}, []

    def _take(self, m) -> bool:
        cells = self.job["cells"]
        if not isinstance(m, dict):
            return False
        i = self.current
        if i is None:
            if len(self.steps) == len(cells):
                if m == {"done": True}:
                    self.finished = True
                    return True
                return False
            if set(m) == {"start"} and type(m["start"]) is int and m["start"] == len(self.steps):
                self.current, self.started_at = m["start"], time.monotonic()
                return True
            return False
        if set(m) == {"answers", "values"} and type(m["answers"]) is int and m["answers"] == i \
                and "answers" in cells[i] and str(i) not in self.answers:
            taken = answers(m["values"], cells[i]["answers"])
            if taken is None:
                return False
            self.answers[str(i)] = taken
            return True
        if set(m) == {"end", "error", "timed_out"} and type(m["end"]) is int and m["end"] == i \
                and type(m["error"]) is bool and type(m["timed_out"]) is bool \
                and ("answers" not in cells[i] or str(i) in self.answers or m["timed_out"]):
            # an answer step ends without its answers only when reading them ran out of time
            self.steps.append({"error": m["error"], "timed_out": m["timed_out"]})
            self.current = self.started_at = None
            return True
        return False


def supervise(job, proc):
    """Read the runner's pipe until it ends or a limit is hit; returns (watch, stopped). After
    "done" the pipe is read on until it closes or the runner ends, so a forged early "done" is
    caught by the real messages that follow it."""
    watch, buffer, total = Watch(job), bytearray(), 0
    deadline = time.monotonic() + float(job["timeout_notebook"])
    fd = proc.stdout.fileno()
    while True:
        now = time.monotonic()
        cell_deadline = (watch.started_at + float(job["timeout_cell"]) + float(job["grace"])
                         if watch.started_at is not None else math.inf)
        if now >= deadline:
            return watch, None if watch.finished else "notebook_timeout"
        if now >= cell_deadline:
            return watch, "cell_timeout"
        ready, _, _ = select.select([fd], [], [], min(deadline, cell_deadline, now + 0.5) - now)
        if not ready:
            if proc.poll() is not None:  # ended, but something it started still holds the pipe
                return watch, None
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return watch, None
        total += len(chunk)
        if total > int(job["total_bytes"]):
            return watch, "output_limit"
        buffer += chunk
        while True:
            end = buffer.find(b"\n")
            if end < 0:
                break
            line = bytes(buffer[:end])
            del buffer[:end + 1]
            if len(line) > int(job["message_bytes"]):
                return watch, "output_limit"
            watch.handle(line)
            if watch.tampered:
                return watch, "tampered"
        if len(buffer) > int(job["message_bytes"]):
            return watch, "output_limit"


def main():
    job = json.loads(sys.stdin.buffer.read())
    os.close(0)
    not_dumpable()
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)
    proc = subprocess.Popen([sys.executable, "-I", RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True)
    runner_job = {k: job[k] for k in ("cells", "timeout_cell", "memory", "file_size", "cpu")}
    try:
        proc.stdin.write(json.dumps(runner_job).encode())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    watch, stopped = supervise(job, proc)
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
    exit_code = proc.wait()
    channel.write(json.dumps({"steps": watch.steps, "answers": watch.answers, "finished": watch.finished,
                              "stopped": stopped, "exit_code": exit_code}) + "\n")
    channel.close()
    os._exit(0)


if __name__ == "__main__":
    main()
