"""The class report and a learner's feedback page as people see them, in Chromium: on a laptop
(1366 × 768) and a projector (1280 × 720) nothing is wider than the page, the charts load under
the pages' own content policy, and nothing is cut. Screenshots go to test-output/grading/."""
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXERCISES, SOLUTIONS, feedback_page, submission, write

sys.path.insert(0, str(Path(__file__).parents[1] / "browser"))
from browser_support import CHROMIUM, launched_chromium, missing_chromium  # noqa: E402

SHOTS = Path(__file__).parents[2] / "test-output" / "grading"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    missing = missing_chromium(CHROMIUM, os.environ)
    if missing:
        (pytest.fail if missing[0] == "fail" else pytest.skip)(missing[1])
    tmp = tmp_path_factory.mktemp("pages")
    sub, out = tmp / "submitted", tmp / "results"
    answers = [('"B"', "len(law.ids)"), ('"A"', "len(law.ids)"), ('"C"', "3"), ('"B"', "3"), ('"A"', "'ten'")]
    for n, (q1, q2) in enumerate(answers):
        write(sub, f"learner{n}/sample.ipynb", submission(q1=f"q1 = {q1}", q2=f"q2 = {q2}",
                                                           q3="I would call the hotline first." if n % 2 else ""))
        write(sub, f"learner{n}/second.ipynb", submission("second", answer_cell=f"answer = {40 + n}"))
    run = [sys.executable, "-m", "dmst"]
    done = subprocess.run(run + ["grade", str(sub), "--out", str(out), "--exercises-dir", str(EXERCISES),
                                 "--solutions-dir", str(SOLUTIONS), "--no-progress"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    sheet = out / "manual-marking.csv"
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
    rows[0].update(mark="1.5", comment="Good start: say why the hotline comes first.")
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_text(text.getvalue(), encoding="utf-8")
    assert subprocess.run(run + ["marks", str(out)], capture_output=True).returncode == 0
    assert subprocess.run(run + ["report", str(out)], capture_output=True).returncode == 0
    return out


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
@pytest.mark.parametrize("which", ["report", "feedback"])
def test_pages_fit_and_show_their_charts(results, browser, which, size):
    path = results / "report.html" if which == "report" else feedback_page(results, "learner2")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 0, f"{which} is {wide}px wider than a {size[0]}px window"
    images = page.evaluate("[...document.images].map(i => [i.naturalWidth, i.alt])")
    if which == "report":
        assert len(images) == 4 and all(width > 0 and alt for width, alt in images)
    assert not blocked, blocked
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{which}-{size[0]}x{size[1]}.png"), full_page=False)
    page.screenshot(path=str(SHOTS / f"{which}-{size[0]}x{size[1]}-full.png"), full_page=True)
    context.close()
