"""Who learner code runs as on the host, and how the whole-sandbox limits are chosen and read.

The first test watches a real sandbox from outside while a cell runs: as root, its processes
belong to an id no account or group uses, with no supplementary groups, inside a cgroup of its
own where the machine gives one; as an ordinary user, to that user. The others drive the
choice of limit mechanism and the reading of its counters on files laid out as cgroupfs is."""
import grp
import os
import pwd
import threading
import time
from pathlib import Path

from dmst.grading import limits, sandbox


def _status(pid: str) -> dict:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def test_learner_processes_run_as_an_id_that_owns_nothing():
    box, warning = sandbox.detect(slots=1)
    assert box.sandboxed, warning
    done = {}
    worker = threading.Thread(target=lambda: done.update(run=box.run(
        [{"source": "import time\ntime.sleep(6)\nx = 1"}, {"answers": ["x"]}], 20, 60)))
    worker.start()
    seen: dict[str, dict] = {}
    deadline = time.monotonic() + 30
    while worker.is_alive() and time.monotonic() < deadline:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            status = _status(pid)
            uid = int(status.get("Uid", "-1 0").split()[0])
            if (box.ids and uid in box.ids) or (not box.ids and "python" in status.get("Name", "") and pid not in seen
                                                and Path(f"/proc/{pid}/cmdline").read_bytes().find(b"runner.py") >= 0):
                seen[pid] = status
        time.sleep(0.1)
    worker.join()
    assert done["run"].answers == {1: {"x": {"value": 1}}}
    assert seen, "no process of the sandbox was seen"
    for pid, status in seen.items():
        uid = int(status["Uid"].split()[0])
        if os.geteuid() == 0:
            assert uid in box.ids and uid != 0
            for lookup in (pwd.getpwuid, grp.getgrgid):
                try:
                    lookup(uid)
                    raise AssertionError(f"the sandbox's id {uid} belongs to an account or group")
                except KeyError:
                    pass
            assert status["Groups"].strip() == "" and int(status["Gid"].split()[0]) == uid
            assert status["CapEff"].strip() == "0000000000000000"
        else:
            assert uid == os.getuid()


def test_ids_are_drawn_from_the_top_of_the_mapped_range(tmp_path):
    full = tmp_path / "full"
    full.write_text("         0          0 4294967295\n")
    ids = limits.sandbox_ids(4, full)
    assert len(set(ids)) == 4 and all(2147483646 - 10 ** 9 <= i <= 2147483646 for i in ids)
    container = tmp_path / "container"
    container.write_text("0 100000 65536\n")
    ids = limits.sandbox_ids(2, container)
    assert all(1000 <= i <= 65533 for i in ids)


def _cgroupfs(root: Path, v2: bool, v1: bool) -> Path:
    if v2:
        (root / "cgroup.controllers").parent.mkdir(parents=True, exist_ok=True)
        (root / "cgroup.controllers").write_text("cpu memory pids\n")
        (root / "cgroup.subtree_control").write_text("memory pids\n")
    if v1:
        for c in ("memory", "pids"):
            (root / c / "grader").mkdir(parents=True)
    own = root.parent / "own-cgroup"
    own.write_text("4:memory:/grader\n3:pids:/grader\n0::/\n")
    return own


def test_cgroup_v2_is_preferred_then_v1_then_per_process_limits(tmp_path):
    both = tmp_path / "both" / "fs"
    names = [type(m).__name__ for m in limits._candidates(both, _cgroupfs(both, v2=True, v1=True))]
    assert names == ["CgroupV2", "CgroupV1"]
    old = tmp_path / "v1" / "fs"
    assert [type(m).__name__ for m in limits._candidates(old, _cgroupfs(old, v2=False, v1=True))] == ["CgroupV1"]
    none = tmp_path / "none" / "fs"
    none.mkdir(parents=True)
    assert isinstance(limits.detect(none, _cgroupfs(none, v2=False, v1=False)), limits.NoCgroup)


def test_limits_hit_are_read_from_the_cgroups_counters(tmp_path):
    (tmp_path / "memory.events").write_text("low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n")
    (tmp_path / "pids.events").write_text("max 0\n")
    assert limits.Group([], [], tmp_path / "memory.events", tmp_path / "pids.events").hits() == {"memory"}
    (tmp_path / "memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\noom_kill 0\n")
    (tmp_path / "pids.events").write_text("max 7\n")
    assert limits.Group([], [], tmp_path / "memory.oom_control", tmp_path / "pids.events").hits() == {"pids"}


def test_this_machine_gives_what_the_readme_says():
    """The README says which mechanism applies on the machine these tests run on."""
    mechanism = limits.detect()
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    if os.geteuid() == 0 and Path("/sys/fs/cgroup/memory").is_dir():
        assert mechanism.name == "cgroup v1" and "This machine gives cgroup v1" in readme
    assert mechanism.name in readme
