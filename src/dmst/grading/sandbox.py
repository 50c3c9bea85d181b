"""Run one submission's cells inside a sandbox, and bring back its answers.

On Linux the run happens under bubblewrap (`bwrap`), started by launch.py inside the limits of
limits.py:

- **Who.** When the grader runs as root, learner code runs as a user id of its own that no
  account, group or file on the host uses (limits.sandbox_ids; one per grading slot), with no
  supplementary groups and no capabilities, inside bubblewrap's user namespace (where it
  appears as uid 65534) with further user namespaces disabled. So it reads nothing a stranger
  could not: not /etc/shadow, not the grader's files. A grader that is not root cannot change
  user: the sandbox then runs as that user, inside the namespace.
- **What it sees.** Its own mount, PID, IPC, UTS, network and cgroup namespaces (no network at
  all); a read-only root holding only the system (/usr, /etc), the Python installation and the
  course's `src/` and `data/`, all read-only; a read-only /dev of a few devices (so no writable
  /dev/shm); its own /proc; and one fresh 64 MiB tmpfs, /home/learner, as its only writable
  folder. The solutions, hidden tests, other submissions and the results do not exist inside it.
- **Limits for the whole sandbox**: 3 GiB of memory and 64 processes and threads together,
  by cgroup where the machine gives one, else RLIMIT_NPROC (limits.py says which, when); and
  per process 3 GiB of address space, 64 MiB files and the notebook's CPU time (runner.py).

Elsewhere, or where bwrap is missing or cannot create a sandbox, it runs unsandboxed with a
printed warning, except under CI (`CI=true`), where that is an error.

Inside, supervisor.py (first process, trusted) starts runner.py (the learner's process) and
writes one report to the channel this module reads, at most CHANNEL_BYTES. The job holds the
learner's cells and, where each test cell stood, the names of the answers to take out; test
code never enters the sandbox. What comes back is answers as plain data, and for an answer
that could not be taken out, a code this module turns into one of the fixed sentences of
ANSWER_PROBLEMS: no text the learner's code composed leaves the sandbox except the answers
themselves. A last-resort kill from here stops a sandbox that does not finish.
"""
from __future__ import annotations

import itertools
import json
import os
import queue
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

from . import limits as limits_module

SUPERVISOR = Path(__file__).with_name("supervisor.py")
LAUNCH = Path(__file__).with_name("launch.py")
SRC_DIR = SUPERVISOR.parents[2]        # src/ (holds the dmst package)
DATA_DIR = SRC_DIR.parent / "data"     # the law tables the exercises read through dmst
HOME = "/home/learner"                 # the throw-away working folder, as seen inside the sandbox
WORK_BYTES = 64 * 1024 * 1024          # size of that folder
MEMORY_BYTES = limits_module.MEMORY    # address space of each process (the cgroup bounds them together)
MESSAGE_BYTES = 1024 * 1024            # longest message the supervisor reads from the learner's process
TOTAL_BYTES = 8 * 1024 * 1024          # most it reads from one submission
CHANNEL_BYTES = 16 * 1024 * 1024       # most this module reads from the supervisor
GRACE = 10.0                           # seconds a cell may ignore its interrupt before it is stopped
STARTUP = 30.0                         # seconds allowed beyond the notebook limit before the sandbox is killed
# What the grader says about an answer it could not take out as data: chosen here, by code,
# never text from the learner's objects. The runner and the supervisor know only the codes.
ANSWER_PROBLEMS = {
    "too_many": "it holds more than 10,000 values",
    "too_deep": "it is nested too deeply",
    "too_large": "it is a number too large to be an answer",
    "not_finite": "it is not a finite number",
    "bad_keys": "it is a dictionary whose keys are not all words",
    "function": "it is a function or a type, not a value",
    "object": "it is not a number, words, True/False or a list",
    "raised": "reading it raised an error",
    "slow": "reading it took too long",
    "unreadable": "it could not be read",
}
# Why the supervisor stopped a notebook ("tampered": its code wrote to the runner's pipe).
STOPS = ("cell_timeout", "notebook_timeout", "output_limit", "tampered")
# numpy number types an answer may keep (the checker makes the answer that type again).
NUMPY_TYPES = ("bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
               "float64", "str_")
THREADS_ENV = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                      "NUMEXPR_NUM_THREADS")}


class SandboxUnavailable(RuntimeError):
    """bwrap is required (under CI on Linux) but is missing or does not work here."""


@dataclass
class Run:
    """What came back from running one submission's cells."""
    steps: list[dict] = field(default_factory=list)   # {"error", "timed_out"} per step that finished
    answers: dict[int, dict] = field(default_factory=dict)  # step -> {name: {"value"} | {"problem": sentence}}
    finished: bool = False                             # every step ran
    stopped: str | None = None                         # one of STOPS
    exit_code: int | None = None                       # of the learner's process
    reported: bool = False                             # the supervisor's report arrived
    limits_hit: set = field(default_factory=set)       # "memory", "pids": the sandbox's cgroup limits
    seconds: float = 0.0


class Sandbox:
    """Runs cells in fresh processes; `sandboxed` says whether bwrap isolates them."""

    def __init__(self, bwrap: str | None, forbidden: tuple[Path, ...] = (), slots: int = 2, limits=None,
                 ids: list[int] | None = None):
        self.bwrap = bwrap
        self.sandboxed = bwrap is not None
        self.readable = _readable_paths()
        for path in forbidden:
            path = Path(path).resolve()
            for allowed in self.readable:
                if _overlap(path, allowed):
                    raise ValueError(f"{path} overlaps {allowed}, which submissions can read; move it elsewhere")
        for allowed in self.readable:
            if self.sandboxed and _overlap(Path(HOME), allowed):
                raise ValueError(f"the sandbox's writable folder {HOME} overlaps {allowed}, which submissions read: "
                                 f"its fresh 64 MiB folder would hide or sit inside it; install the course and its "
                                 f"Python outside {HOME}")
        self.limits = limits if limits is not None else limits_module.NoCgroup()
        root = self.sandboxed and os.geteuid() == 0
        self.ids = (ids if ids is not None else limits_module.sandbox_ids(slots)) if root else []
        if root and len(self.ids) < slots:
            raise SandboxUnavailable("no unused user ids were found for the sandboxes")
        self._slots: queue.Queue[int] = queue.Queue()
        for slot in range(max(1, slots)):
            self._slots.put(slot)
        self._count = itertools.count()

    def describe(self) -> str:
        """One line: who learner code runs as and which limits hold (printed by `dmst grade`)."""
        if not self.sandboxed:
            return "Sandbox: none (learner code runs as you, with no limits beyond time)"
        who = (f"user ids {', '.join(map(str, self.ids))} (no account, no groups, own no files)" if self.ids
               else f"your own user (uid {os.getuid()}), inside a user namespace")
        return (f"Sandbox: bubblewrap; learner code runs as {who}; limits for each sandbox: "
                f"{limits_module.MEMORY // 1024 ** 3} GiB of memory and {limits_module.PIDS} processes by "
                f"{self.limits.name}")

    def command(self, python: list[str]) -> list[str]:
        """The bubblewrap command line that runs `python` (a Python command) as its first process."""
        cmd = [self.bwrap, "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
               "--disable-userns", "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--clearenv",
               "--as-pid-1", "--proc", "/proc", "--dev", "/dev"]
        for name in ("bin", "lib", "lib64", "sbin"):
            top = Path("/") / name
            if top.is_symlink():
                cmd += ["--symlink", os.readlink(top), str(top)]
            elif top.is_dir():
                cmd += ["--ro-bind", str(top), str(top)]
        for path in self.readable:
            cmd += ["--ro-bind", str(path), str(path)]
        cmd += ["--size", str(WORK_BYTES), "--tmpfs", HOME, "--remount-ro", "/", "--remount-ro", "/dev",
                "--chdir", HOME]
        for key, value in _environment(HOME).items():
            cmd += ["--setenv", key, value]
        return cmd + ["--"] + python

    def launcher(self, python: list[str], slot: int, group) -> list[str]:
        """The command that starts the sandbox for `slot`: launch.py, then bubblewrap."""
        uid = self.ids[slot] if self.ids else None
        if uid is not None:
            nproc = limits_module.PIDS + 16 if group else limits_module.PIDS
        elif group is None:
            nproc = limits_module.user_tasks(os.getuid()) + limits_module.PIDS
        else:
            nproc = None
        plan = {"procs": [str(p) for p in group.procs] if group else [], "nproc": nproc, "uid": uid, "gid": uid,
                "stage": [str(p) for p in self.readable] if uid is not None else [], "argv": self.command(python)}
        return [sys.executable, "-I", "-S", str(LAUNCH), json.dumps(plan)]

    def run(self, steps: list[dict], timeout_cell: float, timeout_notebook: float) -> Run:
        """Run `steps` ({"source": code} or {"answers": [names]}) and return what came back."""
        job = json.dumps({"cells": steps, "timeout_cell": timeout_cell, "timeout_notebook": timeout_notebook,
                          "grace": GRACE, "message_bytes": MESSAGE_BYTES, "total_bytes": TOTAL_BYTES,
                          "memory": MEMORY_BYTES, "file_size": WORK_BYTES,
                          "cpu": int(timeout_notebook) + 5}).encode()
        started = time.monotonic()
        run = Run()
        slot = self._slots.get()
        group = None
        try:
            if self.sandboxed:
                try:
                    group = self.limits.create(f"{os.getpid()}-{slot}-{next(self._count)}")
                except OSError:
                    group = None
            with tempfile.TemporaryDirectory(prefix="dmst-grade-") as work:
                if self.sandboxed:
                    cmd, env, cwd = self.launcher([sys.executable, "-I", str(SUPERVISOR)], slot, group), None, "/"
                else:
                    cmd, env, cwd = [sys.executable, "-I", str(SUPERVISOR)], {**_minimal_env(), **_environment(work)}, work
                raw = _communicate(cmd, env, cwd, job, timeout_notebook + GRACE + STARTUP)
            _parse_report(raw, run)
            if group is not None:
                run.limits_hit = group.hits()
        finally:
            if group is not None:
                group.remove()
            self._slots.put(slot)
        run.seconds = time.monotonic() - started
        return run


def _communicate(cmd: list[str], env, cwd: str, job: bytes, seconds: float) -> bytes:
    """Start `cmd`, give it the job, and read its report (at most CHANNEL_BYTES) within `seconds`."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd,
                            env=env, start_new_session=True)
    report: list[bytes] = []
    reader = threading.Thread(target=_read_channel, args=(proc, report), daemon=True)
    reader.start()
    try:
        proc.stdin.write(job)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill(proc)
    reader.join(timeout=10)
    _kill(proc)  # anything left running in the background (unsandboxed runs)
    return b"".join(report)


def detect(env=None, which=shutil.which, platform: str = sys.platform, forbidden: tuple[Path, ...] = (),
           slots: int = 2) -> tuple[Sandbox, str | None]:
    """Choose how to run submissions: (sandbox, warning to print or None)."""
    env = os.environ if env is None else env
    ci = env.get("CI", "").lower() in ("1", "true", "yes")
    if not platform.startswith("linux"):
        return Sandbox(None, forbidden, slots), ("WARNING: not on Linux, so submissions run WITHOUT a sandbox "
                                                 "(their code can read and write what you can). Grade on Linux "
                                                 "with bubblewrap.")
    bwrap = which("bwrap")
    if bwrap is None:
        problem, box = "bubblewrap (bwrap) is not installed", None
    else:
        box = Sandbox(bwrap, forbidden, slots, limits_module.detect())
        problem = _probe(box)
    if problem is None:
        return box, None
    if ci:
        raise SandboxUnavailable(f"{problem}; under CI submissions must run sandboxed "
                                 "(install Debian's bubblewrap package)")
    return Sandbox(None, forbidden, slots), (f"WARNING: {problem}, so submissions run WITHOUT a sandbox (their code "
                                             "can read and write what you can). Install bubblewrap: apt-get install "
                                             "bubblewrap")


def _probe(box: Sandbox) -> str | None:
    """Why `box` cannot run the course's Python, or None if it can."""
    cmd = box.launcher([sys.executable, "-I", "-c", "import dmst"], 0, None)
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=60, cwd="/")
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap does not run here ({exc})"
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()[-500:]
        if box.ids:
            said += (f" (the sandbox's user, uid {box.ids[0]}, must be able to read the Python installation and the "
                     "course's src/ and data/: check that they are readable by others)")
        return f"bwrap cannot create a sandbox here ({said})"
    return None


def _overlap(a: Path, b: Path) -> bool:
    """Whether one of two resolved folders is, holds or sits inside the other."""
    return a == b or a in b.parents or b in a.parents


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
            "PYTHONDONTWRITEBYTECODE": "1", "NBGRADER_EXECUTION": "autograde", **THREADS_ENV}


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
    """Fill `run` from the supervisor's report; a missing or malformed report leaves it unreported.
    A problem code becomes its fixed sentence; an unknown one, "it could not be read"."""
    try:
        report = json.loads(raw)
        steps, answers = report["steps"], report["answers"]
        if not (isinstance(steps, list) and isinstance(answers, dict)):
            return
        run.steps = [{"error": bool(s.get("error")), "timed_out": bool(s.get("timed_out"))} for s in steps]
        run.answers = {int(k): {name: _entry(e) for name, e in v.items()} for k, v in answers.items()
                       if isinstance(v, dict)}
        run.finished = report["finished"] is True
        run.stopped = report["stopped"] if report["stopped"] in STOPS else None
        run.exit_code = report["exit_code"] if isinstance(report["exit_code"], int) else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return
    run.reported = True


def _entry(entry) -> dict:
    """An answer from the report, checked again on this side: a value, a value with one of the
    NUMPY_TYPES, or a problem in the grader's own words."""
    if isinstance(entry, dict) and "problem" in entry:
        return {"problem": ANSWER_PROBLEMS.get(entry["problem"], ANSWER_PROBLEMS["unreadable"])}
    if isinstance(entry, dict) and set(entry) == {"value"}:
        return entry
    if isinstance(entry, dict) and set(entry) == {"value", "numpy"} and entry["numpy"] in NUMPY_TYPES:
        return entry
    return {"problem": ANSWER_PROBLEMS["unreadable"]}


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
