"""Run a learner's cells and take the answers out as plain data: the learner's process.

Executed as a script (`python -I runner.py`) by the supervisor (supervisor.py), inside the
sandbox; it imports nothing from `dmst`, so nothing of the grader is loaded before the
learner's code. It reads one JSON job from stdin: {"cells": [step, ...], "timeout_cell":
seconds, "memory", "file_size", "cpu"}, where a step is {"source": code} (a cell to run, with
IPython's cell semantics: magics, last-expression results, `display`) or {"answers": [names]}
(where a test cell stood: read those variables). It writes one JSON message per line to the
pipe it was started with:

  {"start": i}                                  step i begins (the supervisor times it)
  {"answers": i, "values": {name: {"value": plain[, "numpy": type]} | {"problem": code}}}  absent names left out
  {"end": i, "error": bool, "timed_out": bool}  step i finished
  {"done": true}

Everything printed or displayed is discarded: nothing a learner's cell shows is used for
scoring. Learner code runs in this process and can write to this pipe too; so everything
here is untrusted: the supervisor accepts only the exact sequence above for the job (anything
else stops the notebook as tampered, and none of its answers are used) and reads it only as
answers (which the learner could have set anyway), within size limits. Why an answer is not plain data is sent as a code
(NotPlain's), never as text about the object, which the learner's code controls (its type's
name, its repr): the grader puts the code into words. The checks themselves never run here.
"""
import json
import math
import numbers
import os
import resource
import signal
import sys

MAX_DEPTH = 20          # nesting of lists and dicts in one answer
MAX_ITEMS = 10_000      # values in one answer
LARGEST = 2 ** 63       # whole numbers of an answer lie within (-LARGEST, LARGEST)
NUMPY_SCALARS = ("bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                 "float16", "float32", "float64", "str_")


class CellTimeout(KeyboardInterrupt):
    """Raised in a cell that runs past its time limit (like a kernel interrupt)."""


class NotPlain(Exception):
    """An answer that is not plain data; `code` says why (one of supervisor.PROBLEMS)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


class Discard:
    """A text stream that throws away what is written (print, warnings, tracebacks)."""
    encoding, errors = "utf-8", "strict"

    def write(self, text):
        return len(text)

    def writelines(self, lines):
        pass

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise OSError("no file descriptor")

    def writable(self):
        return True

    def readable(self):
        return False

    @property
    def closed(self):
        return False


def make_shell():
    """IPython's InteractiveShell (a kernel's cell semantics, without a kernel) that shows nothing."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    class Hook(DisplayHook):
        def compute_format_data(self, result):
            return {}, {}  # formatting a large table is slow, and nothing shown is used

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            pass

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            pass

        def clear_output(self, wait=False):
            pass

    class Shell(InteractiveShell):
        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)

        def _showtraceback(self, etype, evalue, stb):
            pass

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    return Shell.instance(config=config)


def plain(value, budget, depth=0):
    """`value` as JSON-ready data (numbers, text, True/False, None, lists, dicts with text keys),
    or NotPlain. Tuples and sets become lists; numpy-style numbers become numbers."""
    budget[0] -= 1
    if budget[0] < 0:
        raise NotPlain("too_many")
    if depth > MAX_DEPTH:
        raise NotPlain("too_deep")
    kind = type(value)
    if value is None or kind in (bool, str):
        return value
    if kind is int:
        if not -LARGEST < value < LARGEST:
            raise NotPlain("too_large")
        return value
    if kind is float:
        if not math.isfinite(value):
            raise NotPlain("not_finite")
        return value
    if kind in (list, tuple):
        return [plain(v, budget, depth + 1) for v in value]
    if kind in (set, frozenset):
        items = [plain(v, budget, depth + 1) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise NotPlain("bad_keys")
        return {k: plain(v, budget, depth + 1) for k, v in value.items()}
    if callable(value) and not isinstance(value, (numbers.Number, str)):
        raise NotPlain("function")
    if type(value).__module__ == "numpy" and hasattr(value, "item") and getattr(value, "shape", None) == ():
        return plain(value.item(), budget, depth + 1)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, numbers.Integral):
        return plain(int(value), budget, depth + 1)
    if isinstance(value, numbers.Real):
        return plain(float(value), budget, depth + 1)
    raise NotPlain("object")


def take(namespace, names):
    """{name: {"value": ...} | {"problem": ...}} for each name the notebook defines. An answer that
    is a numpy number keeps its type's name ({"value": 16, "numpy": "int64"}), so the checks see
    the same type as in the learner's notebook (a numpy integer is not an `int`)."""
    values = {}
    for name in names:
        if name not in namespace:
            continue
        try:
            value = namespace[name]
            if type(value).__module__ == "numpy" and type(value).__name__ in NUMPY_SCALARS:
                values[name] = {"value": plain(value.item(), [MAX_ITEMS]), "numpy": type(value).__name__}
                continue
            values[name] = {"value": plain(value, [MAX_ITEMS])}
        except NotPlain as exc:
            values[name] = {"problem": exc.code}
        except CellTimeout:  # the learner's object took too long to read: the timer is spent
            values[name] = {"problem": "slow"}
            break
        except BaseException:  # the learner's object raised while being read
            values[name] = {"problem": "raised"}
    return values


def main():
    job = json.loads(sys.stdin.buffer.read())
    for limit, key in ((resource.RLIMIT_AS, "memory"), (resource.RLIMIT_FSIZE, "file_size"),
                       (resource.RLIMIT_CPU, "cpu")):
        resource.setrlimit(limit, (int(job[key]), int(job[key])))
    pipe = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    sys.stdout = sys.stderr = Discard()
    sys.path[0] = ""  # like a kernel: the working folder comes first

    def send(message):
        pipe.write(json.dumps(message, ensure_ascii=True, allow_nan=False) + "\n")
        pipe.flush()

    shell = make_shell()
    timeout = float(job["timeout_cell"])

    def on_alarm(signum, frame):
        raise CellTimeout(f"the cell ran longer than {timeout:g} seconds")

    signal.signal(signal.SIGALRM, on_alarm)
    for i, step in enumerate(job["cells"]):
        send({"start": i})
        error = timed_out = False
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            if "answers" in step:
                values = take(shell.user_ns, step["answers"])
                signal.setitimer(signal.ITIMER_REAL, 0)
                send({"answers": i, "values": values})
            else:
                result = shell.run_cell(step["source"], store_history=True)
                error = not result.success
                timed_out = isinstance(result.error_in_exec, CellTimeout)
        except CellTimeout:  # raised outside the learner's code (while IPython tidies up)
            error = timed_out = True
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        send({"end": i, "error": error, "timed_out": timed_out})
    send({"done": True})
    pipe.close()
    os._exit(0)  # skip atexit handlers and finalizers the learner's code may have installed


if __name__ == "__main__":
    main()
