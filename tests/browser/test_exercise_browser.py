"""An exercise as a learner meets it in JupyterLab: a wrong answer gets a short message (what is
wrong, the hint, where in the course to look), never a traceback. Screenshot:
test-output/browser/exercise-wrong-answer.png."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

EXERCISE = "exercises/ex02-victims-not-criminals/ex02-victims-not-criminals.ipynb"
ANSWER_CELL, CHECK_CELL = 5, 6  # Question 1's answer cell and its check, in the generated exercise


def test_a_wrong_answer_gets_a_short_message_not_a_traceback(page, lab_server, output_dir):
    base, token = lab_server
    page.goto(f"{base}/lab/tree/{EXERCISE}?token={token}&reset")
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    cells.nth(CHECK_CELL).wait_for()
    answer = cells.nth(ANSWER_CELL)
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("q1 = 12  # a wrong answer")
    page.keyboard.press("Shift+Enter")  # run the answer, then the check below it
    page.keyboard.press("Shift+Enter")
    output = cells.nth(CHECK_CELL).locator(".jp-OutputArea-output")
    output.filter(has_text="not right yet").first.wait_for(timeout=90_000)
    text = cells.nth(CHECK_CELL).locator(".jp-OutputArea").inner_text()
    page.screenshot(path=str(output_dir / "exercise-wrong-answer.png"))
    assert "Question 1 is not right yet" in text
    assert "Hint:" in text and "Module 02" in text
    assert "Traceback" not in text and "Error" not in text and ".py" not in text
