"""A learner's kernel (PYTHONSTARTUP = jupyter-config/learner/kernel_startup.py, as `make lab` and
Binder's `start` set it) answers a cell run before the set-up cell with a sentence saying what to
do, not a NameError traceback; any other error keeps Python's message. The browser test
(tests/browser/test_learner_walkthrough_browser.py) does the same in JupyterLab."""
from __future__ import annotations

import os
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from dmst.kernel_help import SETUP_FIRST

STARTUP = Path(__file__).resolve().parents[1] / "jupyter-config" / "learner" / "kernel_startup.py"


def _run(client, code: str) -> list[dict]:
    """The outputs (iopub messages' content with their type) of one cell."""
    outputs = []
    reply = client.execute_interactive(code, timeout=60, output_hook=lambda m: outputs.append(
        {"type": m["msg_type"], **m["content"]}))
    outputs.append({"type": "reply", **reply["content"]})
    return [o for o in outputs if o["type"] in ("error", "stream", "execute_result", "display_data", "reply")]


def test_a_name_error_in_the_learner_s_kernel_says_run_the_set_up_cell_first():
    env = {**os.environ, "PYTHONSTARTUP": str(STARTUP)}
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:
        shown, reply = _run(client, "# Show the glossary\ncourse.table(course.glossary())")
        assert shown["type"] == "display_data" and shown["data"]["text/plain"] == SETUP_FIRST   # no traceback
        assert "Run \u25b8 Run All Above Selected Cell" in SETUP_FIRST
        assert reply["status"] == "error"   # the cell still failed, so Run All stops at it
        other, _ = _run(client, "1 / 0")
        assert other["ename"] == "ZeroDivisionError"   # other mistakes keep Python's own message
        names, _ = _run(client, "sorted(k for k in globals() if not k.startswith('_'))")
        assert "use_course_messages" not in names["data"]["text/plain"]  # nothing left in the learner's namespace
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_kernels_started_elsewhere_keep_python_s_message():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:
        error, _ = _run(client, "course")
        assert error["ename"] == "NameError"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
