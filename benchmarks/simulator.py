"""Simulator speed: what one click costs in the kernel, against the alternatives, and what
a learner waits for in the browser.

In the kernel: classify + render + update the result widget (what "Show result" does),
next to classify alone, render alone, and the alternative of re-running the notebook
(nbclient executing the kiosk notebook, kernel start included), which is what a
learner would do without widgets. In the browser: click-to-result, median of 20, measured
by tests/browser (JupyterLab and the Voila kiosk), read back from test-output/browser/latency.json.
"""
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import dmst.library as library
from dmst import classify, load_law
from dmst.render import assessment_html

ROOT = Path(__file__).resolve().parents[1]
LATENCY = ROOT / "test-output" / "browser" / "latency.json"
TARGET_BROWSER_MS = 100
RUNS = 500


def _median_ms(fn, runs=RUNS) -> float:
    times = []
    for i in range(runs):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def _notebook_rerun_s() -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / "simulator-kiosk.ipynb", 4)
    t = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    return time.perf_counter() - t


def _browser() -> dict:
    """Run the browser tests (they write latency.json); empty when they could not run."""
    if LATENCY.exists():
        LATENCY.unlink()
    proc = subprocess.run([sys.executable, "-m", "pytest", "tests/browser/test_simulator_browser.py", "-q", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"browser tests did not pass (exit {proc.returncode}); last lines:\n{proc.stdout[-1500:]}")
    return json.loads(LATENCY.read_text()) if LATENCY.exists() else {}


def main():
    from dmst.widgets.simulator import Simulator

    law = load_law()
    lc = library.get("age-17-paid-in-drugs")
    sim = Simulator()
    sim.library.value = lc.id
    ages = (lc.case.age, lc.case.age + 1)

    def click(i):
        sim.age.value = ages[i % 2]
        sim.run()

    cases = [lc.case.to_dict() | {"age": a} for a in ages]
    on = law.presets["brochure"]
    assessments = [classify(c, on, law) for c in cases]
    rows = [
        ("Show result in the kernel (edit + classify + render + widget update)", _median_ms(click), "ms"),
        ("classify alone", _median_ms(lambda i: classify(cases[i % 2], on, law)), "ms"),
        ("render alone (assessment_html)", _median_ms(lambda i: assessment_html(assessments[i % 2])), "ms"),
    ]
    rerun = _notebook_rerun_s()
    rows.append(("alternative: re-run the kiosk notebook with nbclient (kernel start included)", rerun * 1000, "ms"))
    browser = _browser()
    for name, report in browser.items():
        rows.append((f"browser click-to-result, {name} (median of {report['clicks']}; "
                     f"min {report['min_ms']}, max {report['max_ms']})", report["median_ms"], "ms"))
        rows.append((f"axe serious/critical violations, {name}", len(report["axe_serious_or_critical"]), "count"))
    if not browser:
        rows.append(("browser click-to-result", float("nan"), "ms (not measured)"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  unit")
    for label, value, unit in rows:
        shown = f"{value:>10.2f}" if unit.startswith("ms") else f"{value:>10}"
        print(f"{label:<{width}}  {shown}  {unit}")
    click_ms = rows[0][1]
    print(f"\nre-running the notebook costs {rerun * 1000 / click_ms:,.0f}x one simulator click in the kernel")
    for name, report in browser.items():
        verdict = "meets" if report["median_ms"] < TARGET_BROWSER_MS else "misses"
        print(f"browser ({name}): median {report['median_ms']} ms {verdict} the {TARGET_BROWSER_MS} ms target")


if __name__ == "__main__":
    main()
