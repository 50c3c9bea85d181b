"""Start bubblewrap for one sandbox, inside its limits and as its own user: the trusted first step.

Executed as a script (`python -I -S launch.py PLAN`) by sandbox.py, with the grader's
privileges; it imports nothing from `dmst` and runs no learner code. PLAN is one JSON object:

  {"procs": [cgroup.procs files to join], "nproc": int | null, "uid": int | null, "gid": int | null,
   "stage": [folders to make reachable], "argv": [bwrap and its arguments]}

In that order it: joins the sandbox's cgroups (so everything it starts is counted there);
makes each `stage` folder reachable for the sandbox's user; sets RLIMIT_NPROC; drops to `uid`
and `gid` with no supplementary groups (the sandbox's own user, when the grader is root); and
replaces itself with bubblewrap, so the sandbox is its child's child and nothing of this
process is left.

*Reachable.* Bubblewrap, running as the sandbox's user, can bind only folders that user can
reach; a Python installation under /root (mode 0700), say, it cannot. So, in a mount namespace
of this process only (nothing outside it changes, and it goes when the sandbox ends), a small
read-only tmpfs is put over the first parent folder a stranger cannot enter, and each folder to
stage is bound back at its own path inside it, from a descriptor opened before. The sandbox user
can then reach exactly those folders and read in them what any stranger could.

Any failure ends this process with exit code 121 and one line on stderr, before the sandbox starts.
"""
import ctypes
import json
import os
import resource
import sys

CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18


def fail(message):
    sys.stderr.write(f"sandbox launcher: {message}\n")
    os._exit(121)


def blocking_parent(path):
    """The first folder above `path` (from /) that others may not enter, or None."""
    parts = path.strip("/").split("/")
    for i in range(1, len(parts)):
        folder = "/" + "/".join(parts[:i])
        if not os.stat(folder).st_mode & 0o001:
            return folder
    return None


def stage(folders):
    """Make `folders` reachable for a stranger, in a mount namespace of this process only."""
    groups = {}
    for folder in folders:
        top = blocking_parent(folder)
        if top is not None:
            groups.setdefault(top, []).append(folder)
    if not groups:
        return
    libc = ctypes.CDLL(None, use_errno=True)

    def call(result, what):
        if result != 0:
            fail(f"{what}: {os.strerror(ctypes.get_errno())}")

    call(libc.unshare(CLONE_NEWNS), "a mount namespace for the sandbox")
    call(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "making its mounts private")
    # opened here, in the new namespace, and before the tmpfs hides them: a bind's source must be
    # in the namespace of the process that binds it
    fds = {folder: os.open(folder, os.O_PATH | os.O_DIRECTORY) for group in groups.values() for folder in group}
    for top, group in sorted(groups.items()):
        call(libc.mount(b"tmpfs", top.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755,size=64k"),
             f"a tmpfs over {top}")
        for folder in group:
            os.makedirs(folder, mode=0o755, exist_ok=True)
            call(libc.mount(f"/proc/self/fd/{fds[folder]}".encode(), folder.encode(), None, MS_BIND | MS_REC, None),
                 f"binding {folder}")
        call(libc.mount(None, top.encode(), None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, None),
             f"making {top} read-only")
    for fd in fds.values():
        os.close(fd)


def main():
    plan = json.loads(sys.argv[1])
    for procs in plan["procs"]:
        try:
            with open(procs, "w") as f:
                f.write(str(os.getpid()))
        except OSError as exc:
            fail(f"joining the sandbox's cgroup {procs}: {exc.strerror}")
    try:
        stage(plan["stage"])
    except OSError as exc:
        fail(f"making the course's files reachable for the sandbox: {exc}")
    if plan["nproc"] is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (plan["nproc"], plan["nproc"]))
    if plan["uid"] is not None:
        try:
            os.setgroups([])
            os.setresgid(plan["gid"], plan["gid"], plan["gid"])
            os.setresuid(plan["uid"], plan["uid"], plan["uid"])
        except OSError as exc:
            fail(f"changing to the sandbox's user {plan['uid']}: {exc.strerror}")
        if os.getuid() != plan["uid"] or os.geteuid() != plan["uid"] or os.getgroups():
            fail("the sandbox's user could not be set")
    try:
        os.execv(plan["argv"][0], plan["argv"])
    except OSError as exc:
        fail(f"starting {plan['argv'][0]}: {exc.strerror}")


if __name__ == "__main__":
    main()
