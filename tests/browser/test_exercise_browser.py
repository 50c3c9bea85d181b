"""An exercise as a learner meets it in JupyterLab: it opens with no verdicts; an answer typed
between the quotes that is wrong gets a short message (what is wrong, the hint, where in the
course to look), never a traceback. Screenshot: test-output/browser/exercise-wrong-answer.png."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

EXERCISE = "exercises/ex02-victims-not-criminals/ex02-victims-not-criminals.ipynb"
ANSWER_CELL, CHECK_CELL = 5, 6  # Question 1's answer cell and its check, in the generated exercise
ANSWER = 'q1 = "12"'   # a wrong answer, typed between the quotes


def test_a_wrong_answer_gets_a_short_message_not_a_traceback(page, lab_server, output_dir):
    base, token = lab_server
    page.goto(f"{base}/lab/tree/{EXERCISE}?token={token}&reset")
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    try:
        cells.nth(CHECK_CELL).wait_for()
        assert cells.nth(CHECK_CELL).locator(".jp-OutputArea-output").count() == 0   # no verdict before an answer
        assert cells.nth(ANSWER_CELL).locator(".cm-content").inner_text().startswith('q1 = ""')
        # A cell run while the kernel is still starting is dropped: wait until the status bar says Idle.
        page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=120_000)
        answer = cells.nth(ANSWER_CELL)
        answer.locator(".cm-content").click()
        # Keys typed in command mode are shortcuts, not text: type only once the editor has focus.
        answer.locator(".cm-editor.cm-focused").wait_for()
        page.keyboard.press("Control+A")
        page.keyboard.type(ANSWER)
        assert answer.locator(".cm-content").inner_text().strip() == ANSWER
        page.keyboard.press("Shift+Enter")  # runs the answer and selects the check below it
        answer.locator(".jp-InputPrompt").filter(has_text="[1]").wait_for(timeout=60_000)
        cells.nth(CHECK_CELL).locator(".jp-InputPrompt").click()  # select the check (command mode)
        page.keyboard.press("Shift+Enter")
        output = cells.nth(CHECK_CELL).locator(".jp-OutputArea-output")
        output.filter(has_text="not right yet").first.wait_for(timeout=90_000)
    except Exception:
        page.screenshot(path=str(output_dir / "exercise-failure.png"))
        raise
    text = cells.nth(CHECK_CELL).locator(".jp-OutputArea").inner_text()
    page.screenshot(path=str(output_dir / "exercise-wrong-answer.png"))
    assert "Question 1 is not right yet" in text
    assert "Hint:" in text and "Module 02" in text
    assert "Traceback" not in text and "Error" not in text and ".py" not in text
