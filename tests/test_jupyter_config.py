"""The project's own Jupyter settings (jupyter-config/): learners without nbgrader's tools,
instructors with them, and keys pressed in a widget kept out of JupyterLab's shortcuts.

The browser tests check what these settings do in a running JupyterLab; these check that
the settings cover what is installed and that `make` and Binder use the same folders.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "jupyter-config"
PREFIX = Path(sys.prefix)


def test_shortcut_overrides_match_the_installed_jupyterlab():
    """Regenerated from this JupyterLab's schemas, the committed file is the same (else rerun the script)."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "widget_shortcuts.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_notebook_key_binding_on_a_focused_element_is_kept_out_of_outputs():
    data = json.loads((CONFIG / "course" / "labconfig" / "default_setting_overrides.json").read_text())
    shortcuts = [s for s in data["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
                 if ":last-child" not in s["selector"]]   # the last-cell Shift+Enter (next test)
    disabled = [s for s in shortcuts if s.get("disabled")]
    moved = [s for s in shortcuts if not s.get("disabled")]
    keys = {tuple(s["keys"]) for s in disabled}
    assert {("ArrowDown",), ("ArrowUp",), ("J",), ("K",), ("A",), ("B",), ("D", "D"), ("M",)} <= keys
    assert len(disabled) == len(moved)
    for off, on in zip(disabled, moved):
        assert (off["command"], off["keys"]) == (on["command"], on["keys"])
        assert on["selector"] == off["selector"] + ":not(.jp-OutputArea-output *)"


def test_the_learner_config_turns_off_every_nbgrader_extension_that_is_installed():
    installed = json.loads((PREFIX / "etc" / "jupyter" / "jupyter_server_config.d" / "nbgrader.json").read_text())
    enabled = {name for name, on in installed["ServerApp"]["jpserver_extensions"].items() if on}
    learner = json.loads((CONFIG / "learner" / "jupyter_server_config.json").read_text())
    assert enabled and all(learner["ServerApp"]["jpserver_extensions"].get(name) is False for name in enabled)
    package = json.loads((PREFIX / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader" / "package.json").read_text())
    page = json.loads((CONFIG / "learner" / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"].get(package["name"]) is True


def _config_path(target: str, env: dict, variable: str = "JUPYTER_CONFIG_PATH") -> list[str]:
    """The JUPYTER_CONFIG_PATH (or another variable) `make <target>` starts JupyterLab with: its
    command line, run by the shell with `printenv` in place of JupyterLab."""
    out = subprocess.run(["make", "-n", target], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if "jupyter lab" in line)
    settings = line.split(".venv/bin/jupyter")[0]
    done = subprocess.run(["bash", "-c", f"{settings} printenv {variable} || true"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().split(":")


def test_make_lab_and_make_instructor_put_the_right_folders_on_the_config_path():
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    learner = _config_path("lab", env)
    instructor = _config_path("instructor", env)
    assert learner == [str(CONFIG / "learner"), str(CONFIG / "course")]
    assert instructor == [str(CONFIG / "course")]


def test_binder_start_uses_the_learner_folders_like_make_lab(tmp_path):
    env = {"PATH": os.environ["PATH"], "REPO_DIR": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(["bash", str(ROOT / "start"), "printenv", "JUPYTER_CONFIG_PATH"], env=env,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip().split(":") == [str(CONFIG / "learner"), str(CONFIG / "course")]


def test_learners_kernels_run_the_course_startup_file_in_make_lab_and_binder_only(tmp_path):
    """PYTHONSTARTUP, which IPython runs in each kernel, names the learner's startup file (the browser
    test runs a cell before the set-up cell and reads what the kernel says)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    startup = str(CONFIG / "learner" / "kernel_startup.py")
    assert _config_path("lab", env, "PYTHONSTARTUP") == [startup]
    assert _config_path("instructor", env, "PYTHONSTARTUP") == [""]
    binder = {"PATH": os.environ["PATH"], "REPO_DIR": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(["bash", str(ROOT / "start"), "printenv", "PYTHONSTARTUP"], env=binder,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == startup


def test_shift_enter_on_a_notebook_s_last_cell_runs_it_without_adding_a_cell():
    data = json.loads((CONFIG / "course" / "labconfig" / "default_setting_overrides.json").read_text())
    last = [s for s in data["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"] if ":last-child" in s["selector"]]
    assert {s["command"] for s in last} == {"notebook:run-cell"} and all(s["keys"] == ["Shift Enter"] for s in last)
    assert {("jp-mod-commandMode" in s["selector"], "jp-mod-editMode" in s["selector"]) for s in last} == {(True, False), (False, True)}


def test_learners_idle_kernels_are_culled_and_closing_a_notebook_shuts_its_kernel_down():
    server = json.loads((CONFIG / "learner" / "jupyter_server_config.json").read_text())["MappingKernelManager"]
    assert 0 < server["cull_idle_timeout"] <= 1800 and server["cull_connected"] is True and server["cull_interval"] > 0
    lab = json.loads((CONFIG / "learner" / "labconfig" / "default_setting_overrides.json").read_text())
    assert lab["@jupyterlab/notebook-extension:tracker"]["kernelShutdown"] is True


def test_the_learners_file_browser_shows_only_the_course():
    """Every top-level entry of the repository is hidden from learners except the course itself: the
    answers (solutions/), the instructor's kit (handouts/, with the knowledge-check key) and the
    project's machinery (tests/ hold right answers too) are not in their file browser. A new
    top-level entry must be added to one list or the other."""
    from fnmatch import fnmatch

    globs = json.loads((CONFIG / "learner" / "jupyter_server_config.json").read_text())["ContentsManager"]["hide_globs"]
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    top = {line.split("/")[0] for line in listed.splitlines()} | {"handouts", "test-output", "bench-output"}
    shown = {name for name in top if not name.startswith(".") and not any(fnmatch(name, g) for g in globs)}
    assert shown == {"notebooks", "exercises", "data", "docs", "sources", "README.md"}
    instructor = json.loads((CONFIG / "course" / "jupyter_server_config.json").read_text())
    assert "hide_globs" not in instructor.get("ContentsManager", {})   # instructors see solutions/ and the kit
