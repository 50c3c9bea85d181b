"""Run one submission's cells in its own process, in a throw-away folder, inside a sandbox.

On Linux the process runs under bubblewrap (`bwrap`): no network, its own user, PID, IPC
and mount namespaces, a fresh size-limited tmpfs as its only writable folder, and read-only
access to nothing but the system (/usr, /etc), the Python installation and the course's
`src/` and `data/`; so the solutions, the gradebook, the results and the submissions folder
do not exist inside it. Elsewhere, or where bwrap is missing or cannot create namespaces, it
runs unsandboxed with a printed warning, except under CI (`CI=true`), where that is an error.

Limits: per cell (an interrupt inside the process, like a kernel's), per notebook (the whole
process tree is killed), output bytes, memory, file size and CPU time.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

RUNNER = Path(__file__).with_name("runner.py")
SRC_DIR = RUNNER.parents[2]            # src/ (holds the dmst package)
DATA_DIR = SRC_DIR.parent / "data"     # the law tables the exercises read through dmst
HOME = "/home/learner"                 # the throw-away working folder, as seen inside the sandbox
WORK_BYTES = 64 * 1024 * 1024          # size of that folder
MEMORY_BYTES = 3 * 1024 ** 3           # address space of one submission's process
CHANNEL_BYTES = 16 * 1024 * 1024       # most the parent reads back from one submission


class SandboxUnavailable(RuntimeError):
    """bwrap is required (under CI on Linux) but is missing or does not work here."""


@dataclass
class Run:
    """What came back from running one submission's cells."""
    cells: list[dict] = field(default_factory=list)  # one entry per cell that finished, in order
    finished: bool = False                            # every cell ran
    killed: str | None = None                         # "notebook_timeout" | "output_limit"
    exit_code: int | None = None
    seconds: float = 0.0


class Sandbox:
    """Runs cells in a fresh process; `sandboxed` says whether bwrap isolates it."""

    def __init__(self, bwrap: str | None, forbidden: tuple[Path, ...] = ()):
        self.bwrap = bwrap
        self.sandboxed = bwrap is not None
        self.readable = _readable_paths()
        for path in forbidden:
            path = Path(path).resolve()
            for allowed in self.readable:
                if path == allowed or allowed in path.parents or path in allowed.parents:
                    raise ValueError(f"{path} overlaps {allowed}, which submissions can read; move it elsewhere")

    def command(self, python: list[str]) -> list[str]:
        """The command line that runs `python` (a Python command) in this sandbox."""
        if not self.sandboxed:
            return python
        cmd = [self.bwrap, "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
               "--disable-userns", "--die-with-parent", "--new-session", "--clearenv",
               "--proc", "/proc", "--dev", "/dev"]
        for name in ("bin", "lib", "lib64", "sbin"):
            top = Path("/") / name
            if top.is_symlink():
                cmd += ["--symlink", os.readlink(top), str(top)]
            elif top.is_dir():
                cmd += ["--ro-bind", str(top), str(top)]
        for path in self.readable:
            cmd += ["--ro-bind", str(path), str(path)]
        cmd += ["--size", str(WORK_BYTES), "--tmpfs", HOME, "--chdir", HOME]
        for key, value in _environment(HOME).items():
            cmd += ["--setenv", key, value]
        return cmd + ["--"] + python

    def run(self, sources: list[str], timeout_cell: float, timeout_notebook: float, max_output: int) -> Run:
        job = json.dumps({"cells": sources, "timeout_cell": timeout_cell, "max_output": max_output,
                          "memory": MEMORY_BYTES, "file_size": WORK_BYTES,
                          "cpu": int(timeout_notebook) + 5}).encode()
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="dmst-grade-") as work:
            env = None if self.sandboxed else {**_minimal_env(), **_environment(work)}
            proc = subprocess.Popen(self.command([sys.executable, "-I", str(RUNNER)]), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, cwd=work, env=env, start_new_session=True)
            run = Run()
            reader = threading.Thread(target=_read_channel, args=(proc, run), daemon=True)
            reader.start()
            try:
                proc.stdin.write(job)
                proc.stdin.close()
            except BrokenPipeError:
                pass
            try:
                proc.wait(timeout=timeout_notebook)
            except subprocess.TimeoutExpired:
                run.killed = run.killed or "notebook_timeout"
                _kill(proc)
            reader.join(timeout=10)
            _kill(proc)  # anything the learner's code left running in the background
            run.exit_code = proc.returncode
        run.seconds = time.monotonic() - started
        return run


def detect(env=None, which=shutil.which, platform: str = sys.platform,
           forbidden: tuple[Path, ...] = ()) -> tuple[Sandbox, str | None]:
    """Choose how to run submissions: (sandbox, warning to print or None)."""
    env = os.environ if env is None else env
    ci = env.get("CI", "").lower() in ("1", "true", "yes")
    if not platform.startswith("linux"):
        return Sandbox(None, forbidden), ("WARNING: not on Linux, so submissions run WITHOUT a sandbox "
                                          "(their code can read and write what you can). Grade on Linux with bubblewrap.")
    bwrap = which("bwrap")
    problem = "bubblewrap (bwrap) is not installed" if bwrap is None else _probe(bwrap)
    if problem is None:
        return Sandbox(bwrap, forbidden), None
    if ci:
        raise SandboxUnavailable(f"{problem}; under CI submissions must run sandboxed "
                                 "(install Debian's bubblewrap package)")
    return Sandbox(None, forbidden), (f"WARNING: {problem}, so submissions run WITHOUT a sandbox (their code can "
                                      "read and write what you can). Install bubblewrap: apt-get install bubblewrap")


def _probe(bwrap: str) -> str | None:
    sandbox = Sandbox(bwrap)
    cmd = sandbox.command([sys.executable, "-I", "-c", "import dmst"])
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap does not run here ({exc})"
    if done.returncode != 0:
        return f"bwrap cannot create a sandbox here ({done.stderr.decode(errors='replace').strip()})"
    return None


def _readable_paths() -> tuple[Path, ...]:
    """The folders a submission may read: system, Python, the dmst package and its data."""
    wanted = {Path("/usr"), Path("/etc"), Path(sys.base_prefix), Path(sys.prefix), Path(sys.exec_prefix),
              Path(sys.executable).resolve().parent.parent, SRC_DIR, DATA_DIR}
    wanted.update(Path(p) for p in site.getsitepackages())
    real = {p.resolve() for p in wanted if p.exists()}
    # Keep only outermost folders: binding a folder and then one inside it is redundant.
    return tuple(sorted(p for p in real if not any(q != p and q in p.parents for q in real)))


def _environment(home: str) -> dict[str, str]:
    return {"HOME": home, "TMPDIR": home, "IPYTHONDIR": f"{home}/.ipython", "MPLCONFIGDIR": f"{home}/.matplotlib",
            "MPLBACKEND": "Agg", "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1", "NBGRADER_EXECUTION": "autograde"}


def _minimal_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k in ("SYSTEMROOT", "LD_LIBRARY_PATH")}


def _read_channel(proc: subprocess.Popen, run: Run) -> None:
    total = 0
    for line in proc.stdout:
        total += len(line)
        if total > CHANNEL_BYTES:
            run.killed = "output_limit"
            _kill(proc)
            break
        try:
            message = json.loads(line)
        except ValueError:
            continue  # not from the runner: the learner's code wrote to the channel
        if not isinstance(message, dict):
            continue
        if message.get("done"):
            run.finished = True
        elif message.get("i") == len(run.cells) and isinstance(message.get("outputs"), list):
            run.cells.append(message)
    proc.stdout.close()


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
