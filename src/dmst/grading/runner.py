"""Run one submission's cells inside the sandbox and stream each cell's outputs back.

This file is executed as a script (`python -I runner.py`) in a fresh process, so it imports
nothing from `dmst`. It reads one JSON job from stdin: {"cells": [source, ...],
"timeout_cell": seconds, "max_output": bytes}; runs each source with IPython's
InteractiveShell (the same cell semantics as a Jupyter kernel: last-expression results,
magics, `display`) but without a kernel, ZeroMQ or a database; and writes one JSON line per
cell to the channel it was started with: {"i": n, "outputs": [...], "timed_out": bool}, then
{"done": true}. An output is shaped like nbformat's, only with what scoring and feedback need:
{"output_type": "stream", "name": "stdout"|"stderr", "text"}, {"output_type": "execute_result"
| "display_data", "text"} (the text/plain form) or {"output_type": "error", "ename", "evalue"}.
Tracebacks are never recorded: they would quote hidden test code.
"""
import json
import os
import resource
import signal
import sys
import time


class CellTimeout(KeyboardInterrupt):
    """Raised in a cell that runs past its time limit (like a kernel interrupt)."""


class Recorder:
    """Collects the outputs of the current cell, within a byte budget for the whole run."""

    def __init__(self, max_output):
        self.left = max_output
        self.truncated = False
        self.outputs = []

    def _take(self, text):
        text = str(text)
        if len(text) > self.left:
            text = text[: max(self.left, 0)]
            self.truncated = True
        self.left -= len(text)
        return text

    def stream(self, name, text):
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        kept = self._take(text)
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += kept
        else:  # an empty stream still counts: stderr output alone scores a test 0
            self.outputs.append({"output_type": "stream", "name": name, "text": kept})

    def add(self, output):
        for key in ("text", "evalue"):
            if key in output:
                output[key] = self._take(output[key])
        self.outputs.append(output)


class Stream:
    """A text stream that records what is written to it as a notebook stream output."""

    def __init__(self, recorder, name):
        self.recorder, self.name = recorder, name
        self.encoding = "utf-8"
        self.errors = "strict"

    def write(self, text):
        self.recorder.stream(self.name, text)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise OSError("no file descriptor")

    @property
    def closed(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False


def make_shell(recorder):
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    class Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            recorder.add({"output_type": "execute_result", "text": format_dict.get("text/plain", "")})

        def finish_displayhook(self):
            self._is_active = False

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            recorder.add({"output_type": "display_data", "text": data.get("text/plain", "")})

        def clear_output(self, wait=False):
            pass

    class Shell(InteractiveShell):
        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)

        def _showtraceback(self, etype, evalue, stb):
            recorder.add({"output_type": "error", "ename": getattr(etype, "__name__", str(etype)),
                          "evalue": str(evalue)})

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    return Shell.instance(config=config)


def main():
    job = json.loads(sys.stdin.read())
    for limit, key in ((resource.RLIMIT_AS, "memory"), (resource.RLIMIT_FSIZE, "file_size"),
                       (resource.RLIMIT_CPU, "cpu")):
        resource.setrlimit(limit, (int(job[key]), int(job[key])))
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    # Learner code gets no stdin and no direct line to the channel's usual fds.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    recorder = Recorder(int(job["max_output"]))
    sys.stdout, sys.stderr = Stream(recorder, "stdout"), Stream(recorder, "stderr")
    sys.path[0] = ""  # like a kernel: the working folder comes first
    shell = make_shell(recorder)

    def on_alarm(signum, frame):
        raise CellTimeout(f"the cell ran longer than {job['timeout_cell']} seconds")

    signal.signal(signal.SIGALRM, on_alarm)
    for i, source in enumerate(job["cells"]):
        recorder.outputs = []
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, float(job["timeout_cell"]))
        try:
            shell.run_cell(source, store_history=True)
        except CellTimeout:  # raised outside user code (e.g. while IPython formats output)
            recorder.add({"output_type": "error", "ename": "CellTimeout", "evalue": "time limit"})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        timed_out = any(o.get("ename") == "CellTimeout" for o in recorder.outputs)
        channel.write(json.dumps({"i": i, "outputs": recorder.outputs, "timed_out": timed_out,
                                  "truncated": recorder.truncated,
                                  "seconds": round(time.monotonic() - started, 3)}) + "\n")
        channel.flush()
    channel.write(json.dumps({"done": True}) + "\n")
    channel.flush()
    channel.close()
    os._exit(0)  # skip atexit handlers and finalizers the learner's code may have installed


if __name__ == "__main__":
    main()
