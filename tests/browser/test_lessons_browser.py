"""The lessons as a learner sees them in JupyterLab (as `make lab` and Binder open it), and
the instructor's JupyterLab (`make instructor`).

Each lesson is opened fresh, so JupyterLab treats its committed outputs as untrusted and
sanitizes them, as it does for a learner on Binder. The test reads what is on the screen:
code collapsed, no pandas tables, every table cell left-aligned, nothing wider than the page
at 200% zoom except a table that scrolls in its own box; and it saves a screenshot of each
lesson at 1280 px (the whole notebook) and at 200% zoom (its first screen).
"""
from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("0[0-7]-*.ipynb"))
TALLEST = 16_000  # Chromium's limit for one screenshot is a little above this

READ_JS = """
() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const outputs = [...nb.querySelectorAll('.jp-OutputArea-output')];
  const cells = outputs.flatMap(o => [...o.querySelectorAll('td, th')]).filter(c => c.closest('.dmst-table, .dmst-result'));
  return {
    placeholders: nb.querySelectorAll('.jp-InputPlaceholder').length,
    editors: [...nb.querySelectorAll('.jp-CodeCell .jp-InputArea-editor')].filter(e => e.offsetParent).length,
    pandas: outputs.filter(o => o.querySelector('table.dataframe')).length,
    notLeft: cells.filter(c => getComputedStyle(c).textAlign !== 'left').map(c => c.textContent.slice(0, 40)),
    tables: outputs.filter(o => o.querySelector('.dmst-table')).length,
    math: outputs.filter(o => o.querySelector('mjx-container, .MathJax')).map(o => o.textContent.trim().slice(0, 60)),
    height: nb.querySelector('.jp-WindowedPanel-viewport').offsetHeight,  // the cells, without the space JupyterLab leaves after them
  };
}
"""

# At 200% zoom nothing may be wider than the notebook, except a table that scrolls in its own box.
TOO_WIDE_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
  const right = panel.getBoundingClientRect().right + 1;
  return [...panel.querySelectorAll('.jp-OutputArea-output *, .jp-MarkdownOutput *')]
    .filter(e => e.offsetParent && !e.closest('.dmst-table') && !e.closest('.jp-InputArea'))
    .filter(e => e.getBoundingClientRect().right > right)
    .map(e => e.tagName + ' ' + Math.round(e.getBoundingClientRect().right) + ' > ' + Math.round(right)
         + ': ' + (e.textContent || '').trim().slice(0, 50)).slice(0, 5);
}
"""


def open_lesson(page, base: str, token: str, name: str) -> None:
    page.goto(f"{base}/lab/tree/notebooks/{name}?token={token}&reset")
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first.wait_for()
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output").last.wait_for(state="attached")
    page.wait_for_timeout(500)


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_reads_as_a_course(page, lab_server, output_dir, name):
    base, token = lab_server
    open_lesson(page, base, token, name)
    seen = page.evaluate(READ_JS)
    assert seen["placeholders"] > 0 and seen["editors"] == (1 if name.startswith("00-") else 0), \
        f"{name}: code is not collapsed ({seen['editors']} code editors on screen)"
    assert seen["pandas"] == 0, f"{name}: {seen['pandas']} pandas tables"
    assert seen["notLeft"] == [], f"{name}: table cells not left-aligned: {seen['notLeft'][:5]}"
    assert seen["tables"] > 0
    assert seen["math"] == [], f"{name}: output typeset as math (a fine between two dollar signs?): {seen['math'][:3]}"
    # The whole lesson at 1280 px, in as many screenshots as Chromium needs (lesson-04.png, lesson-04-2.png ...).
    scroll = "top => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer').scrollTop = top"
    step = TALLEST - 400
    for part, top in enumerate(range(0, seen["height"], step), 1):
        page.set_viewport_size({"width": 1280, "height": min(seen["height"] - top + 200, TALLEST)})
        page.evaluate(scroll, top)
        page.wait_for_timeout(800)  # JupyterLab paints cells only once they are in view
        page.screenshot(path=str(output_dir / f"lesson-{name[:2]}{'' if part == 1 else f'-{part}'}.png"))
    page.evaluate(scroll, 0)

    # 200% zoom: a 1280 x 800 screen laid out in 640 x 400 CSS pixels. A reader at that zoom
    # closes the file browser (click its tab) to give the lesson the width of the window.
    page.locator("#jp-left-stack").wait_for()
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
    page.locator("#jp-left-stack").wait_for(state="hidden")
    page.set_viewport_size({"width": 640, "height": 400})
    page.wait_for_timeout(500)
    page.screenshot(path=str(output_dir / f"lesson-{name[:2]}-200-percent.png"))
    assert page.evaluate(TOO_WIDE_JS) == [], f"{name}: wider than the page at 200% zoom"


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def menus(page) -> list[str]:
    page.locator(".lm-MenuBar-itemLabel").first.wait_for()
    return page.locator(".lm-MenuBar-itemLabel").all_inner_texts()


def test_learners_get_no_nbgrader_tools(page, lab_server, output_dir):
    base, token = lab_server
    open_lesson(page, base, token, "00-start-here.ipynb")
    assert "Nbgrader" not in menus(page)
    assert page.get_by_role("button", name="Validate").count() == 0
    assert page.locator("[title*='Create Assignment'], #jp-left-stack [data-id*='nbgrader']").count() == 0
    assert _status(f"{base}/formgrader/?token={token}") == 404
    page.screenshot(path=str(output_dir / "lab-learner-no-nbgrader.png"))


def test_make_instructor_turns_nbgrader_on(page, instructor_server, output_dir):
    base, token = instructor_server
    open_lesson(page, base, token, "00-start-here.ipynb")
    assert "Nbgrader" in menus(page)
    assert _status(f"{base}/formgrader/?token={token}") == 200
    page.screenshot(path=str(output_dir / "lab-instructor-nbgrader.png"))
