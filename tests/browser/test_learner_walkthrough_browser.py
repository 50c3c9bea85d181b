"""What a learner meets on a 1366 × 768 laptop in JupyterLab as `make lab` and Binder start it:
the reflection cell is typed into as its instructions say and the answer is kept when saved; a
cell run before the set-up cell says what to do (no NameError traceback), and doing it works;
the file browser shows no solutions/ folder, which the instructor's JupyterLab does show.
Screenshots: test-output/browser/learner-*.png."""
from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
REFLECTION = ("Tia is a child who is trafficked for sex, a victim, not a criminal: I would say "
              "child sex trafficking victim.")


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def _open(page, base, token, path):
    page.goto(f"{base}/lab/tree/{path}?token={token}&reset")
    cells = page.locator(f"{PANEL} .jp-Notebook .jp-Cell")
    cells.last.wait_for()
    return cells


def _saved(base, token, path) -> dict:
    with urllib.request.urlopen(f"{base}/api/contents/{path}?token={token}&content=1", timeout=10) as response:
        return json.load(response)["content"]


def _reflection_index(notebook: dict) -> int:
    return next(i for i, c in enumerate(notebook["cells"])
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "reflection")


@pytest.mark.parametrize("way", ["click-and-enter", "double-click-and-click-inside"])
def test_the_reflection_is_typed_as_its_instructions_say_and_kept_when_saved(laptop, lab_server, output_dir, way):
    base, token = lab_server
    path = {"click-and-enter": "exercises/ex01-defining-the-crime/ex01-defining-the-crime.ipynb",
            "double-click-and-click-inside": "exercises/ex02-victims-not-criminals/ex02-victims-not-criminals.ipynb"}[way]
    page = laptop
    cells = _open(page, base, token, path)
    index = _reflection_index(_saved(base, token, path))
    count = cells.count()
    cells.nth(index - 1).scroll_into_view_if_needed()
    cells.nth(index - 1).locator(".jp-MarkdownOutput").filter(has_text="Write your answer").wait_for()
    instructions = cells.nth(index - 1).inner_text()
    assert "click it once and press Enter" in instructions and "double-click it, then click inside the box" in instructions
    cell = cells.nth(index)
    cell.scroll_into_view_if_needed()
    if way == "click-and-enter":
        cell.locator(".jp-MarkdownOutput").click()
        page.keyboard.press("Enter")
    else:
        cell.locator(".jp-MarkdownOutput").dblclick()
        cell.locator(".cm-content").click()
    cell.locator(".cm-editor.cm-focused").wait_for()   # typing goes into the cell, not to notebook shortcuts
    page.keyboard.press("Control+A")                   # replace YOUR ANSWER HERE
    page.keyboard.type(REFLECTION)
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Control+S")
    cell.locator(".jp-MarkdownOutput").filter(has_text=REFLECTION).wait_for()
    page.screenshot(path=str(output_dir / f"learner-reflection-{way}.png"))
    for _ in range(40):
        saved = _saved(base, token, path)
        if REFLECTION in saved["cells"][index]["source"]:
            break
        page.wait_for_timeout(250)
    assert saved["cells"][index]["source"].strip() == REFLECTION
    assert cells.count() == count == len(saved["cells"])   # no key pressed became a shortcut (a cell added or cut)
    assert [c["cell_type"] for c in saved["cells"]][index] == "markdown"


def test_a_cell_run_before_the_set_up_cell_says_what_to_do_and_doing_it_works(laptop, lab_server, output_dir):
    base, token = lab_server
    page = laptop
    cells = _open(page, base, token, "notebooks/02-victims-not-criminals.ipynb")
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=120_000)
    code = 5   # "The brochure next to the statute": a folded cell that needs the set-up cell (2)
    cells.nth(code - 1).click()           # the text above it: selected, not opened
    page.keyboard.press("Shift+Enter")    # to the folded cell
    page.keyboard.press("Shift+Enter")    # run it before the set-up cell
    output = cells.nth(code).locator(".jp-OutputArea")
    output.filter(has_text="This cell needs the cells above it").wait_for(timeout=60_000)
    text = output.inner_text()
    page.screenshot(path=str(output_dir / "learner-set-up-first.png"))
    assert "Run ▸ Run All Above Selected Cell" in text
    assert "NameError" not in text and "Traceback" not in text and "course" not in text
    cells.nth(code).locator(".jp-OutputArea-output").first.click()   # select the cell, then do what it says
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Above Selected Cell").click()
    page.wait_for_timeout(1000)
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=60_000)
    page.keyboard.press("Shift+Enter")
    cells.nth(code).locator(".jp-OutputArea-output table, .jp-OutputArea-output section").first.wait_for(timeout=60_000)
    assert "This cell needs the cells above it" not in cells.nth(code).locator(".jp-OutputArea").inner_text()
    page.screenshot(path=str(output_dir / "learner-set-up-done.png"))


def _top_folder(page, base, token) -> list[str]:
    page.goto(f"{base}/lab?token={token}&reset")
    page.locator(".jp-BreadCrumbs-home").click()   # the course folder, the top of the file browser
    page.locator(".jp-DirListing-itemName", has_text="notebooks").wait_for()
    return page.locator(".jp-DirListing-itemName").all_inner_texts()


def test_learners_file_browser_has_no_solutions_and_the_instructors_has(laptop, lab_server, instructor_server,
                                                                         output_dir):
    learner = _top_folder(laptop, *lab_server)
    laptop.screenshot(path=str(output_dir / "learner-files.png"))
    assert "exercises" in learner and "solutions" not in learner
    instructor = _top_folder(laptop, *instructor_server)
    laptop.screenshot(path=str(output_dir / "instructor-files.png"))
    assert "exercises" in instructor and "solutions" in instructor
