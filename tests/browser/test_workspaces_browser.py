"""`make lab` and `make instructor` keep their own JupyterLab state (workspaces: the open tabs and
layout; user settings) in the project, so neither reopens the other's tabs, and nothing is
written to ~/.jupyter. The servers are started with the very command lines `make -n` prints, as a
user would run them, with HOME pointing at a throw-away folder so ~/.jupyter can be inspected."""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def make_line(target: str, state: Path) -> str:
    """The shell line `make <target>` runs to start JupyterLab, with the project's state in `state`."""
    out = subprocess.run(["make", "-n", target, f"STATE={state}"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return next(line for line in out.splitlines() if "bin/jupyter lab" in line)


def test_each_role_keeps_its_jupyterlab_state_in_the_project_and_binder_the_learners():
    learner, instructor = make_line("lab", ROOT / ".jupyter-state"), make_line("instructor", ROOT / ".jupyter-state")
    assert f'JUPYTERLAB_WORKSPACES_DIR="{ROOT}/.jupyter-state/learner/workspaces"' in learner
    assert f'JUPYTERLAB_SETTINGS_DIR="{ROOT}/.jupyter-state/learner/user-settings"' in learner
    assert f'JUPYTERLAB_WORKSPACES_DIR="{ROOT}/.jupyter-state/instructor/workspaces"' in instructor
    assert f'JUPYTERLAB_SETTINGS_DIR="{ROOT}/.jupyter-state/instructor/user-settings"' in instructor
    assert f'JUPYTER_CONFIG_DIR="{ROOT}/.jupyter-state/learner/config"' in learner
    assert f'JUPYTER_CONFIG_DIR="{ROOT}/.jupyter-state/instructor/config"' in instructor
    assert "--ServerApp.root_dir=. " in learner and "--ServerApp.root_dir=. " in instructor   # exercises/ in reach
    env = {"PATH": os.environ["PATH"], "REPO_DIR": str(ROOT), "HOME": "/nonexistent"}
    done = subprocess.run(["bash", str(ROOT / "start"), "printenv", "JUPYTERLAB_WORKSPACES_DIR"], env=env,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"{ROOT}/.jupyter-state/learner/workspaces"
    assert ".jupyter-state/" in (ROOT / ".gitignore").read_text().splitlines()


class _Lab:
    """JupyterLab started from `make -n <target>`'s line, serving a copy of the course."""

    def __init__(self, target: str, state: Path, home: Path, root: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.token = secrets.token_hex(24)
        line = make_line(target, state).replace(".venv/bin/jupyter", str(BIN / "jupyter"))
        extra = (f" --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={self.port} --ServerApp.port_retries=0"
                 f" --IdentityProvider.token={self.token}")  # as root, the make line itself must allow it
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUPYTER", "IPYTHON")) and k != "JUPYTERLAB_WORKSPACES_DIR"}
        env["HOME"] = str(home)
        self.log = open(home / f"{target}.log", "a")
        self.proc = subprocess.Popen(["bash", "-c", f"{line}{extra}"], cwd=root, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (home / f"{target}.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{target}: JupyterLab did not start")

    def url(self, path: str) -> str:
        return f"{self.base}/{path}?token={self.token}"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def _tabs(page) -> list[str]:
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    page.wait_for_timeout(1500)
    return [t.strip() for t in page.locator("#jp-main-dock-panel .lm-TabBar-tabLabel").all_inner_texts()]


def _saved(folder: Path, timeout: float = 60) -> list[Path]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(folder.glob("*.jupyterlab-workspace"))
        if found:
            return found
        time.sleep(0.5)
    return []


def test_make_instructor_does_not_reopen_the_learners_tabs_nor_the_reverse(browser, tmp_path, output_dir):
    home, state, root = tmp_path / "home", tmp_path / "state", tmp_path / "course"
    home.mkdir()
    root.mkdir()
    for folder in ("notebooks", "exercises"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(90_000)

    lab = _Lab("lab", state, home, root)
    try:
        page.goto(lab.url("lab/tree/notebooks/01-defining-the-crime.ipynb"))
        assert "01-defining-the-crime.ipynb" in _tabs(page)
        assert _saved(state / "learner" / "workspaces"), "the learner's workspace was not saved in the project"
    finally:
        lab.stop()

    lab = _Lab("instructor", state, home, root)
    try:
        page.goto(lab.url("lab/tree/notebooks/instructor-guide.ipynb"))
        tabs = _tabs(page)
        page.screenshot(path=str(output_dir / "lab-instructor-own-tabs.png"))
        assert "instructor-guide.ipynb" in tabs and "01-defining-the-crime.ipynb" not in tabs, tabs
        assert _saved(state / "instructor" / "workspaces")
    finally:
        lab.stop()

    lab = _Lab("lab", state, home, root)
    try:
        page.goto(lab.url("lab"))                      # the learner's own tabs come back, not the instructor's
        tabs = _tabs(page)
        assert "01-defining-the-crime.ipynb" in tabs and "instructor-guide.ipynb" not in tabs, tabs
    finally:
        lab.stop()
    context.close()
    written = [p for p in (home / ".jupyter").rglob("*") if p.is_file()] if (home / ".jupyter").exists() else []
    assert not written, f"written to ~/.jupyter: {written}"
