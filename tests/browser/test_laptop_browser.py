"""The course on a learner's laptop: JupyterLab as `make lab` starts it, at 1366 × 768.

Every lesson and exercise is opened with the file browser open, as JupyterLab first shows it,
and no table in an output may be wider than the output area it sits in (a table that scrolls
sideways hides its last columns: "When to use it", "Who calls", "Confidence"). Also: Shift+Enter
on a lesson's last cell adds no empty cell, and closing a lesson's tab shuts its kernel down.
Screenshots: test-output/browser/laptop-<notebook>.png (the first screen).
"""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ([f"notebooks/{p.name}" for p in sorted((ROOT / "notebooks").glob("0[0-7]-*.ipynb"))]
             + [f"exercises/{p.parent.name}/{p.name}" for p in sorted((ROOT / "exercises").glob("*/*.ipynb"))])
LAPTOP = {"width": 1366, "height": 768}
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

WIDE_TABLES_JS = """
() => {
  const tables = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output table')];
  return {
    count: tables.length,
    wide: tables.map(t => {
      const area = t.closest('.jp-OutputArea-output').getBoundingClientRect();
      const box = t.closest('.dmst-table') || t;   // a course table scrolls inside its own box
      const width = Math.max(t.getBoundingClientRect().width, t.scrollWidth, box.scrollWidth);
      return {width: Math.round(width), room: Math.round(area.width),
              what: (t.querySelector('caption') || t.querySelector('th') || t).textContent.trim().slice(0, 60)};
    }).filter(t => t.width > t.room + 1),
  };
}
"""


def open_notebook(page, base: str, token: str, path: str) -> None:
    page.goto(f"{base}/lab/tree/{path}?token={token}&reset")
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for()
    page.locator(f"{PANEL} .jp-OutputArea-output").last.wait_for(state="attached")
    page.wait_for_timeout(800)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[Path(p).stem for p in NOTEBOOKS])
def test_no_table_is_wider_than_its_cell_on_a_laptop(browser, lab_server, output_dir, path):
    base, token = lab_server
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_notebook(page, base, token, path)
        assert page.locator("#jp-left-stack").is_visible()   # the file browser takes its share of the width
        seen = page.evaluate(WIDE_TABLES_JS)
        page.screenshot(path=str(output_dir / f"laptop-{Path(path).stem}.png"))
    finally:
        context.close()
    assert seen["count"] > 0, f"{path}: no tables found (did the outputs render?)"
    assert seen["wide"] == [], f"{path}: tables wider than their cell at 1366 px: {seen['wide']}"


def _sessions(base: str, token: str, name: str) -> list:
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=10) as response:
        return [s for s in json.load(response) if s["path"].endswith(name)]


def test_shift_enter_on_a_lesson_s_last_cell_adds_no_cell_and_closing_it_shuts_its_kernel(browser, lab_server, output_dir):
    base, token = lab_server
    name = "06-scenario-simulator.ipynb"
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_notebook(page, base, token, f"notebooks/{name}")
        page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=120_000)
        assert _sessions(base, token, name), "the lesson has no kernel"
        cells = page.locator(f"{PANEL} .jp-Notebook .jp-Cell")
        count = cells.count()
        cells.nth(count - 2).click()   # a text cell: selected, not opened
        for _ in range(4):
            page.keyboard.press("Shift+Enter")
            page.wait_for_timeout(400)
        assert cells.count() == count, "Shift+Enter past the last cell added a cell"
        last = cells.nth(count - 1)
        assert "jp-mod-active" in (last.get_attribute("class") or "")
        assert page.locator(f"{PANEL} .jp-CodeCell .jp-InputArea-editor:visible").count() == 0  # no code opened
        page.screenshot(path=str(output_dir / "laptop-last-cell.png"))
        page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").first.click()
        dialog = page.locator(".jp-Dialog")
        dialog.wait_for()
        dialog.get_by_role("button", name="Discard").click()
        for _ in range(40):
            if not _sessions(base, token, name):
                break
            page.wait_for_timeout(250)
        assert not _sessions(base, token, name), "closing the lesson left its kernel running"
    finally:
        context.close()
