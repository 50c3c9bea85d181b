"""Run one submission's cells in a throw-away folder, inside a sandbox, and bring back its answers.

On Linux the run happens under bubblewrap (`bwrap`): no network, its own user, PID, IPC
and mount namespaces, a fresh size-limited tmpfs as its only writable folder, and read-only
access to nothing but the system (/usr, /etc), the Python installation and the course's
`src/` and `data/`; so the solutions, the gradebook, the results and the submissions folder
do not exist inside it. Elsewhere, or where bwrap is missing or cannot create namespaces, it
runs unsandboxed with a printed warning, except under CI (`CI=true`), where that is an error.

Inside, supervisor.py (first process, trusted) starts runner.py (the learner's process) and
writes one report to the channel this module reads, at most CHANNEL_BYTES. The job holds the
learner's cells and, where each test cell stood, the names of the answers to take out; test
code never enters the sandbox. Limits: per cell (an interrupt, then a kill `GRACE` seconds
later), per notebook, bytes of answers, memory, file size and CPU time; and a last-resort
kill from here if the sandbox itself does not finish.
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

SUPERVISOR = Path(__file__).with_name("supervisor.py")
SRC_DIR = SUPERVISOR.parents[2]        # src/ (holds the dmst package)
DATA_DIR = SRC_DIR.parent / "data"     # the law tables the exercises read through dmst
HOME = "/home/learner"                 # the throw-away working folder, as seen inside the sandbox
WORK_BYTES = 64 * 1024 * 1024          # size of that folder
MEMORY_BYTES = 3 * 1024 ** 3           # address space of the learner's process
MESSAGE_BYTES = 1024 * 1024            # longest message the supervisor reads from the learner's process
TOTAL_BYTES = 8 * 1024 * 1024          # most it reads from one submission
CHANNEL_BYTES = 16 * 1024 * 1024       # most this module reads from the supervisor
GRACE = 10.0                           # seconds a cell may ignore its interrupt before it is stopped
STARTUP = 30.0                         # seconds allowed beyond the notebook limit before the sandbox is killed


class SandboxUnavailable(RuntimeError):
    """bwrap is required (under CI on Linux) but is missing or does not work here."""


@dataclass
class Run:
    """What came back from running one submission's cells."""
    steps: list[dict] = field(default_factory=list)   # {"error", "timed_out"} per step that finished
    answers: dict[int, dict] = field(default_factory=dict)  # step -> {name: {"value"} | {"problem"}}
    finished: bool = False                             # every step ran
    stopped: str | None = None                         # "cell_timeout" | "notebook_timeout" | "output_limit"
    exit_code: int | None = None                       # of the learner's process
    ignored: int = 0                                   # lines on the learner's pipe that were not messages
    reported: bool = False                             # the supervisor's report arrived
    seconds: float = 0.0


class Sandbox:
    """Runs cells in fresh processes; `sandboxed` says whether bwrap isolates them."""

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
        """The command line that runs `python` (a Python command) in this sandbox, as its first process."""
        if not self.sandboxed:
            return python
        cmd = [self.bwrap, "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
               "--disable-userns", "--die-with-parent", "--new-session", "--clearenv", "--as-pid-1",
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

    def run(self, steps: list[dict], timeout_cell: float, timeout_notebook: float) -> Run:
        """Run `steps` ({"source": code} or {"answers": [names]}) and return what came back."""
        job = json.dumps({"cells": steps, "timeout_cell": timeout_cell, "timeout_notebook": timeout_notebook,
                          "grace": GRACE, "message_bytes": MESSAGE_BYTES, "total_bytes": TOTAL_BYTES,
                          "memory": MEMORY_BYTES, "file_size": WORK_BYTES,
                          "cpu": int(timeout_notebook) + 5}).encode()
        started = time.monotonic()
        run = Run()
        with tempfile.TemporaryDirectory(prefix="dmst-grade-") as work:
            env = None if self.sandboxed else {**_minimal_env(), **_environment(work)}
            proc = subprocess.Popen(self.command([sys.executable, "-I", str(SUPERVISOR)]), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=work, env=env,
                                    start_new_session=True)
            report: list[bytes] = []
            reader = threading.Thread(target=_read_channel, args=(proc, report), daemon=True)
            reader.start()
            try:
                proc.stdin.write(job)
                proc.stdin.close()
            except BrokenPipeError:
                pass
            try:
                proc.wait(timeout=timeout_notebook + GRACE + STARTUP)
            except subprocess.TimeoutExpired:
                _kill(proc)
            reader.join(timeout=10)
            _kill(proc)  # anything left running in the background (unsandboxed runs)
        _parse_report(b"".join(report), run)
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


def _read_channel(proc: subprocess.Popen, into: list[bytes]) -> None:
    """Read the supervisor's report, at most CHANNEL_BYTES (the rest is read and dropped)."""
    kept = 0
    while True:
        chunk = proc.stdout.read(65536)
        if not chunk:
            break
        if kept + len(chunk) <= CHANNEL_BYTES:
            into.append(chunk)
        kept += len(chunk)
    proc.stdout.close()
    if kept > CHANNEL_BYTES:
        into.clear()


def _parse_report(raw: bytes, run: Run) -> None:
    """Fill `run` from the supervisor's report; a missing or malformed report leaves it unreported."""
    try:
        report = json.loads(raw)
        steps, answers = report["steps"], report["answers"]
        if not (isinstance(steps, list) and isinstance(answers, dict)):
            return
        run.steps = [{"error": bool(s.get("error")), "timed_out": bool(s.get("timed_out"))} for s in steps]
        run.answers = {int(k): v for k, v in answers.items() if isinstance(v, dict)}
        run.finished = report["finished"] is True
        run.stopped = report["stopped"] if report["stopped"] in ("cell_timeout", "notebook_timeout", "output_limit") else None
        run.exit_code = report["exit_code"] if isinstance(report["exit_code"], int) else None
        run.ignored = int(report["ignored"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return
    run.reported = True


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
