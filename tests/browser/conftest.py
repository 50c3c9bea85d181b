"""Fixtures for the real-browser tests: throw-away JupyterLabs (as `make lab` and as
`make instructor` start them) and a Voila kiosk (as `make simulator` does) on free loopback
ports with random tokens, and Debian's Chromium driven by Playwright.

Each server gets its own config, data, runtime, settings and workspace folders under a
temporary directory, and serves *copies* of the notebooks, exercises and solutions (in
folders named as in the repository), so nothing a test does (running cells, autosave, lab layout) leaks into the
repository or the user's Jupyter set-up. The project's own settings (jupyter-config/) come
on JUPYTER_CONFIG_PATH, exactly as the Makefile passes them.
"""
from __future__ import annotations

import json
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
from browser_support import CHROMIUM, launched_chromium, missing_chromium

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
OUTPUT = ROOT / "test-output" / "browser"
CONFIG = ROOT / "jupyter-config"
# What `make lab` (and Binder's `start`) and `make instructor` put on JUPYTER_CONFIG_PATH.
LEARNER = (CONFIG / "learner", CONFIG / "course")
INSTRUCTOR = (CONFIG / "course",)
# What `make lab` (and `start`) also set: the startup file IPython runs in each learner's kernel.
LEARNER_KERNELS = {"PYTHONSTARTUP": str(CONFIG / "learner" / "kernel_startup.py")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _isolated_env(home: Path, config_path=(), kernels=None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    env.update(kernels or {})
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        path = home / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(str(p) for p in config_path)
    return env


def _wait_until_up(proc: subprocess.Popen, url: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server did not answer {url} within {timeout} s; log:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _serve(tmp: Path, argv: list[str], probe: str, env: dict):
    log = tmp / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(argv, cwd=tmp / "root", env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(proc, probe, log)
    except Exception:
        _stop(proc)
        raise
    return proc


def _copy_notebooks(tmp: Path) -> Path:
    root = tmp / "root"
    root.mkdir(parents=True)
    for folder in ("notebooks", "exercises", "solutions"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def chromium_path() -> str:
    missing = missing_chromium(CHROMIUM, os.environ)
    if missing:
        action, reason = missing
        if action == "fail":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_path):
    with launched_chromium(Path(chromium_path)) as b:
        yield b


@pytest.fixture(scope="session")
def kit(tmp_path_factory) -> Path:
    """The session kit as `make handouts` builds it, once per test process, in a temporary folder."""
    from dmst.takeaways.build import build_all

    out = tmp_path_factory.mktemp("handouts")
    build_all(out)
    return out


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def _lab(tmp_path_factory, name: str, config_path, kernels=None):
    """JupyterLab from .venv with `config_path` on a free 127.0.0.1 port with a random token;
    yields (base_url, token). The news pop-up is off by the project's own settings."""
    tmp = tmp_path_factory.mktemp(name)
    _copy_notebooks(tmp)
    env = _isolated_env(tmp, config_path, kernels)
    settings = tmp / "settings"
    notebook = settings / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    # Render every cell (no virtual scrolling), so the simulator's output stays in the page.
    (notebook / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = free_port(), secrets.token_hex(24)
    argv = [str(BIN / "jupyter"), "lab", "--no-browser", "--ServerApp.open_browser=False",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp / 'root'}",
            f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}"]
    if os.geteuid() == 0:  # CI containers run as root; Jupyter refuses that unless told
        argv.append("--allow-root")
    base = f"http://127.0.0.1:{port}"
    proc = _serve(tmp, argv, f"{base}/api/status?token={token}", env)
    yield base, token
    _stop(proc)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab as learners get it (`make lab`, Binder): no nbgrader tools, no solutions in the file
    browser, and kernels that run the learner's startup file."""
    yield from _lab(tmp_path_factory, "lab", LEARNER, LEARNER_KERNELS)


@pytest.fixture(scope="session")
def instructor_server(tmp_path_factory):
    """JupyterLab as `make instructor` starts it: nbgrader's tools on."""
    yield from _lab(tmp_path_factory, "instructor", INSTRUCTOR)


@pytest.fixture(scope="session")
def kiosk_server(tmp_path_factory):
    """The kiosk as `make simulator` serves it (Voila, sources stripped), on a free port; yields its URL."""
    tmp = tmp_path_factory.mktemp("voila")
    _copy_notebooks(tmp)
    env = _isolated_env(tmp)
    port = free_port()
    argv = [str(BIN / "voila"), "--no-browser", "--strip_sources=True", f"--port={port}", "--Voila.ip=127.0.0.1",
            "notebooks/simulator-kiosk.ipynb"]
    base = f"http://127.0.0.1:{port}/"
    proc = _serve(tmp, argv, base, env)
    yield base
    _stop(proc)
