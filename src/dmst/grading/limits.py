"""Who learner code runs as, and the limits that hold for one sandbox as a whole.

**Identity.** When the grader runs as root, each sandbox runs as a user id of its own that no
account or group uses (`sandbox_ids`: ids drawn at random, for each run, from the top billion
of the ids the grader's user namespace maps, 1147483646 to 2147483646 on a machine that maps
them all, and not in the password or group database), with no supplementary groups: learner
code can read only what any stranger could. One id per grading slot, fresh for each run, so a
sandbox shares its process count with no other sandbox, of this run or of another run at the
same time. A grader that is not root cannot change user: its sandboxes run as the grader
(inside bubblewrap's user namespace, where they see only the folders bound into it).

**Limits for the whole sandbox** (every process and thread it starts), in this order of choice:

1. cgroup v2 (`CgroupV2`): when the unified hierarchy at /sys/fs/cgroup has the memory and
   pids controllers enabled for its children and the grader may create a cgroup there (root
   on a systemd host): a cgroup per run with `memory.max`, `memory.swap.max` 0 and `pids.max`;
2. cgroup v1 (`CgroupV1`): when the memory and pids hierarchies are mounted and writable at
   the grader's own place in them (root on a host without cgroup v2 controllers, as on the
   machine these tests run on): a cgroup per run in each, with `memory.limit_in_bytes` (and
   `memory.memsw.limit_in_bytes`, so swap does not extend it) and `pids.max`;
3. otherwise (`NoCgroup`) only per-process limits: `RLIMIT_NPROC`, under the sandbox's own user
   id when the grader is root (so it counts that sandbox's processes and nothing else), or the
   grader's current number of processes plus PIDS when it is not; and the per-process limits the
   runner sets (3 GiB of address space each). Memory is then bounded per process, not in total.

Either cgroup reports afterwards whether the memory limit killed a process (`oom_kill`) or a
process was refused for the pids limit; the grader turns that into a status and a note.
"""
from __future__ import annotations

import grp
import os
import pwd
import random
import signal
import time
from dataclasses import dataclass
from pathlib import Path

MEMORY = 3 * 1024 ** 3      # bytes of memory for a sandbox: all its processes together
PIDS = 64                   # processes and threads of a sandbox, together
CGROUP_ROOT = Path("/sys/fs/cgroup")
NAME = "dmst-sandbox"


def sandbox_ids(count: int, uid_map: Path = Path("/proc/self/uid_map")) -> list[int]:
    """`count` distinct user ids no account or group uses, at random from the top of the mapped
    range, for the sandboxes of a grader running as root."""
    top = 2 ** 31 - 2
    try:
        ranges = [tuple(int(x) for x in line.split()) for line in uid_map.read_text().splitlines() if line.strip()]
        top = min(top, max(inside + length - 1 for inside, _, length in ranges))
    except (OSError, ValueError):
        top = 65533
    low = max(top - 10 ** 9, 1000) if top > 10 ** 6 else 1000
    pick = random.SystemRandom()
    found: list[int] = []
    for _ in range(10_000):
        if len(found) == count:
            break
        uid = pick.randint(low, top)
        if uid not in found and uid not in (65534, 65535) and not _known(uid):
            found.append(uid)
    return found


def _known(uid: int) -> bool:
    for lookup in (pwd.getpwuid, grp.getgrgid):
        try:
            lookup(uid)
            return True
        except KeyError:
            pass
    return False


@dataclass
class Group:
    """One sandbox's cgroup(s): `procs` are the files a process writes its pid to, to join."""
    dirs: list[Path]
    procs: list[Path]
    memory_events: Path
    pids_events: Path

    def hits(self) -> set[str]:
        """Which limits were hit: "memory" (a process was killed for it), "pids" (a start refused)."""
        found = set()
        if _count(self.memory_events, "oom_kill") > 0:
            found.add("memory")
        if _count(self.pids_events, "max") > 0:
            found.add("pids")
        return found

    def remove(self) -> None:
        """Kill whatever is left in the cgroup, then remove it."""
        deadline = time.monotonic() + 5
        for folder in self.dirs:
            while True:
                try:
                    pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
                except (OSError, ValueError):
                    pids = []
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.02)


def _count(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


class NoCgroup:
    """No cgroup can be made here: per-process limits only."""
    name = "per-process limits (no cgroup)"
    parents: tuple[Path, ...] = ()

    def create(self, tag: str) -> Group | None:
        return None

    def remove_stale(self) -> None:
        """Remove the sandbox cgroups of graders that are no longer running (killed mid-run)."""
        for parent in self.parents:
            for folder in parent.glob(f"{NAME}-*"):
                pid = folder.name[len(NAME) + 1:].split("-")[0]
                if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                    Group([folder], [], folder, folder).remove()


class CgroupV2(NoCgroup):
    name = "cgroup v2"

    def __init__(self, parent: Path):
        self.parent = parent
        self.parents = (parent,)

    def create(self, tag: str) -> Group:
        folder = self.parent / f"{NAME}-{tag}"
        folder.mkdir()
        try:
            (folder / "memory.max").write_text(str(MEMORY))
            if (folder / "memory.swap.max").exists():
                (folder / "memory.swap.max").write_text("0")
            (folder / "pids.max").write_text(str(PIDS))
        except OSError:
            folder.rmdir()
            raise
        return Group([folder], [folder / "cgroup.procs"], folder / "memory.events", folder / "pids.events")


class CgroupV1(NoCgroup):
    name = "cgroup v1"

    def __init__(self, memory: Path, pids: Path):
        self.memory, self.pids = memory, pids
        self.parents = (memory, pids)

    def create(self, tag: str) -> Group:
        made = []
        try:
            mem = self.memory / f"{NAME}-{tag}"
            mem.mkdir()
            made.append(mem)
            (mem / "memory.limit_in_bytes").write_text(str(MEMORY))
            if (mem / "memory.memsw.limit_in_bytes").exists():
                (mem / "memory.memsw.limit_in_bytes").write_text(str(MEMORY))
            pids = self.pids / f"{NAME}-{tag}"
            pids.mkdir()
            made.append(pids)
            (pids / "pids.max").write_text(str(PIDS))
        except OSError:
            for folder in reversed(made):
                folder.rmdir()
            raise
        return Group(made, [mem / "cgroup.procs", pids / "cgroup.procs"], mem / "memory.oom_control",
                     pids / "pids.events")


def detect(root: Path = CGROUP_ROOT, own: Path = Path("/proc/self/cgroup")):
    """The best whole-sandbox limit this machine gives the grader (see the module docstring);
    each candidate is tried by making (and removing) a cgroup. Cgroups left by a grader that was
    killed are removed on the way."""
    for mechanism in _candidates(root, own):
        try:
            mechanism.create(f"probe-{os.getpid()}").remove()
        except OSError:
            continue
        mechanism.remove_stale()
        return mechanism
    return NoCgroup()


def _candidates(root: Path, own: Path):
    try:
        lines = own.read_text().splitlines()
    except OSError:
        return
    places = {}
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for c in controllers.split(",") if controllers else [""]:
            places[c] = path.lstrip("/")
    unified = root / "cgroup.controllers"
    if unified.exists():
        enabled = _words(root / "cgroup.subtree_control")
        if {"memory", "pids"} <= enabled:
            yield CgroupV2(root)
    if "memory" in places and "pids" in places and (root / "memory").is_dir() and (root / "pids").is_dir():
        yield CgroupV1(root / "memory" / places["memory"], root / "pids" / places["pids"])


def _words(path: Path) -> set[str]:
    try:
        return set(path.read_text().split())
    except OSError:
        return set()


def user_tasks(uid: int, proc: Path = Path("/proc")) -> int:
    """How many processes and threads `uid` runs now (for RLIMIT_NPROC when the grader is not root)."""
    total = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        try:
            if int(fields["Uid"].split()[0]) == uid:
                total += int(fields["Threads"])
        except (KeyError, ValueError, IndexError):
            continue
    return total
