"""Keep JupyterLab's notebook shortcuts from taking keys meant for a widget or an output.

In command mode JupyterLab binds single keys (arrows, J/K, A/B, D D, M, Y, Enter...) to
any focused element in a notebook that is not a text field: ArrowDown in a drop-down list
of the simulator moves to the next cell, and focus leaves the widget. This script writes
`jupyter-config/course/labconfig/default_setting_overrides.json`, which disables each such
binding and adds it back with `:not(.jp-OutputArea-output *)` on its selector, so the
notebook still gets its keys everywhere except inside a cell's output (widgets, tables).

It also keeps Shift+Enter on a notebook's last cell from adding an empty cell (LAST_CELL).

JupyterLab reads `labconfig/default_setting_overrides.json` from every directory on the
Jupyter config path; `make lab`, `make instructor` and Binder put `jupyter-config/course`
on it (JUPYTER_CONFIG_PATH). The bindings are read from the installed JupyterLab's own
schemas, so rerun this after upgrading JupyterLab; a test fails until you do.

    .venv/bin/python scripts/widget_shortcuts.py          # rewrite the file
    .venv/bin/python scripts/widget_shortcuts.py --check  # exit 1 if it is out of date
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "jupyter-config" / "course" / "labconfig" / "default_setting_overrides.json"
# JupyterLab's own plugins, and the prebuilt extensions installed beside it.
SCHEMAS = (Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas", Path(sys.prefix) / "share" / "jupyter" / "labextensions")
OUTSIDE_OUTPUTS = ":not(.jp-OutputArea-output *)"
# Shift+Enter on the last cell of a notebook runs it and stays there: JupyterLab's own binding
# (run and select the next cell) would add an empty cell below the end of a lesson. In command
# mode the focused element is the cell; in edit mode it is inside the cell. The closest match to
# the focused element wins, so these beat the notebook-wide Shift+Enter. (All cells are in the
# page in JupyterLab's default windowing mode, so :last-child is the notebook's last cell.)
LAST_CELL = [
    {"command": "notebook:run-cell", "keys": ["Shift Enter"],
     "selector": ".jp-Notebook.jp-mod-commandMode .jp-WindowedPanel-viewport > .jp-Cell:last-child:focus"},
    {"command": "notebook:run-cell", "keys": ["Shift Enter"],
     "selector": ".jp-Notebook.jp-mod-editMode .jp-WindowedPanel-viewport > .jp-Cell:last-child .jp-InputArea-editor"},
]
# The start page should not ask a learner about JupyterLab news or updates.
NOTIFICATIONS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def takes_focused_keys(selector: str) -> bool:
    """A binding that fires on whatever element has focus inside a notebook (not a text field)."""
    return selector.endswith(" :focus") or selector.endswith(":focus:not(:read-write)")


def overrides(roots=SCHEMAS) -> dict:
    shortcuts = []
    for path in sorted(p for root in roots for p in root.rglob("*.json") if "schemas" in p.parts):
        schema = json.loads(path.read_text(encoding="utf-8"))
        for binding in schema.get("jupyter.lab.shortcuts", []) if isinstance(schema, dict) else []:
            if takes_focused_keys(binding["selector"]):
                shortcuts.append({**binding, "disabled": True})
                shortcuts.append({**binding, "selector": binding["selector"] + OUTSIDE_OUTPUTS})
    if not shortcuts:
        raise SystemExit(f"no notebook shortcuts found under {roots[0]}: is JupyterLab installed here?")
    return {"@jupyterlab/shortcuts-extension:shortcuts": {"shortcuts": shortcuts + LAST_CELL}, **NOTIFICATIONS}


def render(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render(overrides())
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run .venv/bin/python scripts/widget_shortcuts.py")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
