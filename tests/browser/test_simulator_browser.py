"""The simulator in a real browser: notebook 06 in JupyterLab, and the Voila kiosk.

Each test loads a library case, changes an input, presses the button and checks the result
text; it saves screenshots under test-output/browser/, measures click-to-result time
(median of 20, written to latency.json for `python -m benchmarks simulator`) and runs an
axe-core scan of the simulator's area.
"""
from __future__ import annotations

import json
import statistics

import pytest

import dmst.library as library
from dmst import classify, load_law

pytestmark = pytest.mark.browser

CASE = library.get("age-17-paid-in-drugs")
LAW = load_law()
CLICKS = 20

# Click "Show result" and resolve with the time (ms) until the result panel says `expected`.
CLICK_TO_RESULT_JS = """
async (expected) => {
  const root = document.querySelector('.dmst-simulator');
  const button = [...root.querySelectorAll('button')].find(b => b.textContent.trim() === 'Show result');
  const squash = s => s.replace(/\\s+/g, '');
  const done = () => { const r = root.querySelector('.dmst-result'); return r && squash(r.textContent).includes(squash(expected)); };
  const t0 = performance.now();
  button.click();
  return await new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); resolve(performance.now() - t0); } });
    observer.observe(root, {subtree: true, childList: true, characterData: true});
    setTimeout(() => { observer.disconnect(); reject(new Error('no result within 10 s: ' + expected)); }, 10000);
  });
}
"""


def victim_line(age: int) -> str:
    """What the headline should say for CASE at `age` under the brochure-era law (from classify)."""
    data = CASE.case.to_dict() | {"age": age}
    return f"Victim of trafficking? {'Yes' if classify(data, LAW.presets['brochure']).trafficking_victim else 'No'}"


def squash(text: str) -> str:
    return "".join(text.split())


def drive(page, name: str, output_dir):
    """Load CASE, change the age, press Show result, check the text; then time 20 clicks and scan with axe."""
    sim = page.locator(".dmst-simulator")
    sim.get_by_label("Case library").select_option(label=CASE.title)
    result = sim.locator(".dmst-result")
    result.filter(has_text=f"Result for case {CASE.id}").wait_for()
    assert squash(victim_line(CASE.case.age)) in squash(result.inner_text())
    page.screenshot(path=str(output_dir / f"{name}-loaded.png"), full_page=True)

    older = CASE.case.age + 1
    assert victim_line(older) != victim_line(CASE.case.age), "the chosen edit must change the outcome"
    age = sim.get_by_label("Age (years)")
    age.fill(str(older))
    age.press("Tab")
    sim.get_by_text("The case has changed").wait_for()
    sim.get_by_role("button", name="Show result").click()
    result.filter(has_text="Victim of trafficking").wait_for()
    page.wait_for_function("([sel, t]) => document.querySelector(sel).textContent.replace(/\\s+/g,'').includes(t)",
                           arg=[".dmst-simulator .dmst-result", squash(victim_line(older))])
    result.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / f"{name}-result.png"), full_page=True)

    times = []
    for i in range(CLICKS):
        value = CASE.case.age if i % 2 == 0 else older
        age.fill(str(value))
        age.press("Tab")
        sim.get_by_text("The case has changed").wait_for()
        times.append(page.evaluate(CLICK_TO_RESULT_JS, victim_line(value)))
    median = statistics.median(times)

    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, context=".dmst-simulator").response["violations"]
    serious = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                "nodes": [n["html"][:200] for n in v["nodes"][:3]]} for v in found if v["impact"] in ("serious", "critical")]
    report = {"median_ms": round(median, 1), "min_ms": round(min(times), 1), "max_ms": round(max(times), 1),
              "clicks": CLICKS, "axe_violations": [(v["id"], v["impact"]) for v in found], "axe_serious_or_critical": serious}
    path = output_dir / "latency.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = report
    path.write_text(json.dumps(data, indent=2))
    return median, serious


def test_notebook_06_in_jupyterlab(page, lab_server, output_dir):
    base, token = lab_server
    page.goto(f"{base}/lab/tree/06-scenario-simulator.ipynb?token={token}")
    page.locator(".jp-Notebook").wait_for()
    # Run All is ignored while the kernel is still starting: wait until the status bar says Idle.
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        page.locator(".dmst-simulator").wait_for(state="attached", timeout=120_000)
    except Exception:
        page.screenshot(path=str(output_dir / "lab-failure.png"))
        raise
    page.locator(".dmst-simulator").scroll_into_view_if_needed()
    page.locator(".dmst-simulator").wait_for()
    median, serious = drive(page, "lab", output_dir)
    assert median < 1000, f"click-to-result median {median:.0f} ms"
    assert serious == [], f"axe found serious or critical violations: {json.dumps(serious, indent=1)}"


def test_kiosk_in_voila(page, kiosk_server, output_dir):
    page.goto(kiosk_server)
    page.locator(".dmst-simulator").wait_for(timeout=120_000)
    body = page.inner_text("body")
    assert "import" not in body and "Simulator()" not in body, "the kiosk shows code"
    assert "Training, not legal advice" in body
    median, serious = drive(page, "kiosk", output_dir)
    assert median < 1000, f"click-to-result median {median:.0f} ms"
    assert serious == [], f"axe found serious or critical violations: {json.dumps(serious, indent=1)}"

    # 200% zoom of a 1280-pixel screen lays the page out 640 CSS pixels wide: nothing may need sideways scrolling.
    page.set_viewport_size({"width": 640, "height": 1600})
    page.locator(".dmst-simulator .dmst-result").scroll_into_view_if_needed()
    widths = page.evaluate("() => [...document.querySelectorAll('.dmst-simulator, .dmst-simulator .dmst-result')]"
                           ".map(e => [e.scrollWidth, e.clientWidth])")
    assert all(scroll <= client + 1 for scroll, client in widths), f"content wider than its box at 200% zoom: {widths}"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    page.screenshot(path=str(output_dir / "kiosk-200-percent.png"))
