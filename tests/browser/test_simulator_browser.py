"""The simulator in a real browser: notebook 06 in JupyterLab (as learners get it), and the
Voila kiosk in its projector layout (as `make simulator` serves it, and inside the
instructor's JupyterLab through Voila's server extension).

Each test loads a library case, changes an input, presses the button and checks the result
text; it saves screenshots under test-output/browser/, measures click-to-result time
(median of 20, written to latency.json for `python -m benchmarks simulator`) and runs an
axe-core scan of the simulator's area. The keyboard tests use nothing but keys once the
page is open: arrow keys in a list must stay in the widget, Tab must reach every control
without leaving it, and the focused control must show a ring of at least 2 px. The kiosk
opens in instructor mode: choosing a case, by the arrow keys too, never shows or says a
verdict until the instructor presses Show the answers.
"""
from __future__ import annotations

import json
import statistics

import pytest

import dmst.library as library
from dmst.library import cases as library_cases
from dmst import classify, load_law
from dmst.render import date_text
from dmst.widgets.simulator import first_contact_text
from dmst.widgets.style import FOCUS

pytestmark = pytest.mark.browser

CASE = library.get("age-17-paid-in-drugs")
LAW = load_law()
CURRENT = LAW.presets["current"]
CLICKS = 20
FOCUS_RGB = "rgb({}, {}, {})".format(*(int(FOCUS[i:i + 2], 16) for i in (1, 3, 5)))

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

# What has the keyboard focus: whether it is inside the simulator, and how a person would name it.
FOCUSED_JS = """
() => {
  const e = document.activeElement;
  const label = e && e.getAttribute && e.getAttribute('aria-label')
    || (e && e.labels && e.labels[0] ? e.labels[0].textContent : '');
  const style = e ? getComputedStyle(e) : null;
  return {inside: !!(e && e.closest('.dmst-simulator')), tag: e ? e.tagName : '', type: e ? (e.type || '') : '',
          name: ((e && e.tagName === 'BUTTON' ? e.textContent : label) || '').trim(),
          value: e && 'value' in e ? String(e.value) : '', checked: !!(e && e.checked),
          ring: style ? [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor] : null};
}
"""


def victim_line(age: int) -> str:
    """What the headline should say for CASE at `age` under the current law (from classify)."""
    data = CASE.case.to_dict() | {"age": age}
    return f"Victim of trafficking? {'Yes' if classify(data, CURRENT).trafficking_victim else 'No'}"


def heading(title: str = CASE.title) -> str:
    return f"Result for {title} under the law of {date_text(CURRENT)}"


def squash(text: str) -> str:
    return "".join(text.split())


def result_says(page, text: str) -> None:
    page.wait_for_function("([sel, t]) => { const r = document.querySelector(sel);"
                           " return r && r.textContent.replace(/\\s+/g,'').includes(t); }",
                           arg=[".dmst-simulator .dmst-result", squash(text)])


def axe_serious(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, context=".dmst-simulator").response["violations"]
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"][:3]]}
            for v in found if v["impact"] in ("serious", "critical")]


def drive(page, name: str, output_dir, projector: bool = False):
    """Load CASE, change the age, press Show result, check the text; then time 20 clicks and scan with axe."""
    sim = page.locator(".dmst-simulator")
    sim.get_by_label("Case library").select_option(label=CASE.title)
    result = sim.locator(".dmst-result")
    result.filter(has_text=heading()).wait_for()
    if projector:
        assert "Hidden from the room" in result.inner_text()
    else:
        assert squash(victim_line(CASE.case.age)) in squash(result.inner_text())
    page.screenshot(path=str(output_dir / f"{name}-loaded.png"), full_page=True)

    if projector:  # the kiosk holds the answers back, and the form is behind "Edit the case"
        sim.get_by_role("button", name="Show the answers").click()
        result_says(page, victim_line(CASE.case.age))
        sim.get_by_label("Instructor mode: hide the answers until I show them").uncheck()
        sim.get_by_label("Edit the case").check()
    older = CASE.case.age + 1
    assert victim_line(older) != victim_line(CASE.case.age), "the chosen edit must change the outcome"
    age = sim.get_by_label("Age (years)")
    age.fill(str(older))
    age.press("Tab")
    sim.locator("strong").filter(has_text="The case has changed").wait_for()
    sim.get_by_role("button", name="Show result").click()
    result_says(page, victim_line(older))
    result.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / f"{name}-result.png"), full_page=True)

    times = []
    for i in range(CLICKS):
        value = CASE.case.age if i % 2 == 0 else older
        age.fill(str(value))
        age.press("Tab")
        sim.locator("strong").filter(has_text="The case has changed").wait_for()
        times.append(page.evaluate(CLICK_TO_RESULT_JS, victim_line(value)))
    median = statistics.median(times)

    serious = axe_serious(page)
    report = {"median_ms": round(median, 1), "min_ms": round(min(times), 1), "max_ms": round(max(times), 1),
              "clicks": CLICKS, "axe_serious_or_critical": serious}
    path = output_dir / "latency.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = report
    path.write_text(json.dumps(data, indent=2))
    return median, serious


# --- keyboard ----------------------------------------------------------------------------------

def focused(page) -> dict:
    return page.evaluate(FOCUSED_JS)


def press(page, key: str, after: str = "") -> dict:
    """Press one key; the focus must still be inside the simulator."""
    page.keyboard.press(key)
    now = focused(page)
    assert now["inside"], f"{key}{' after ' + after if after else ''} took the focus out of the simulator (to a {now['tag']})"
    return now


def tab_to(page, name: str, limit: int = 150, back: bool = False) -> dict:
    """Tab (or Shift+Tab) until the control named `name` has the focus, never leaving the simulator."""
    now = focused(page)
    for _ in range(limit):
        now = press(page, "Shift+Tab" if back else "Tab", after=f"{now['name']!r}, on the way to {name!r}")
        if now["name"] == name:
            assert now["ring"][0] != "none" and now["ring"][1] >= 2 and now["ring"][2] == FOCUS_RGB, \
                f"{name}: focus ring {now['ring']}, wanted at least 2 px of {FOCUS_RGB}"
            return now
    raise AssertionError(f"{limit} presses of Tab did not reach {name!r}")


def enter_simulator(page) -> None:
    """From a click on the text above the simulator, one Tab reaches its first control."""
    page.locator(".dmst-simulator h3").first.click()
    now = focused(page)
    for _ in range(5):
        if now["inside"] and now["name"] == "Case library":
            return
        page.keyboard.press("Tab")
        now = focused(page)
    raise AssertionError(f"Tab from the simulator's first heading reached {now}")


def live_text(page) -> str:
    return page.evaluate("() => document.querySelector('.dmst-simulator [role=status]').textContent")


def said(page, words: str) -> None:
    """Wait until the simulator's live region says `words`."""
    page.wait_for_function("w => document.querySelector('.dmst-simulator [role=status]').textContent.includes(w)",
                           arg=words)


def nothing_given_away(page, where: str, predict: bool = False) -> None:
    """Neither the page nor the live region shows or says a verdict or whom to contact (in
    predict mode every contact is offered as an answer, so only the result is read)."""
    shown = page.locator(".dmst-simulator " + (".dmst-result" if predict else "")).inner_text() + " " + live_text(page)
    for word in ("Victim of trafficking?", "Whom to contact", "Contact first", "Why not?", "Teaching point",
                 "Your score", *(LAW.contacts[c].name for c in classify(CASE.case, CURRENT).notify)):
        assert word not in shown, f"{where}: {word!r} is shown or said before the instructor showed the answers"


def choose_case_by_arrows(page, held: bool) -> None:
    """From the case library, ArrowDown to CASE, one case at a time; in the kiosk (`held`) no
    case on the way shows its verdict."""
    result = page.locator(".dmst-simulator .dmst-result")
    cases = library.cases()
    for lc in cases[:cases.index(CASE) + 1]:
        now = press(page, "ArrowDown")
        assert now["name"] == "Case library" and now["value"] == lc.title, "the arrow keys did not choose in the list"
        if held:
            result.filter(has_text=heading(lc.title)).filter(has_text="Hidden from the room").wait_for()
            nothing_given_away(page, f"after arrowing to {lc.title!r}")
    result.filter(has_text=heading()).wait_for()


def keyboard_path(page, name: str, output_dir, projector: bool = False) -> None:
    """Choose a case with the arrow keys, edit the age, show the result, hide and show it in
    instructor mode, then switch to predict with the arrow keys and answer a question: keys only.
    The kiosk starts with instructor mode on: nothing on the way gives an answer away."""
    sim = page.locator(".dmst-simulator")
    result = sim.locator(".dmst-result")
    enter_simulator(page)
    choose_case_by_arrows(page, held=projector)

    if projector:
        tab_to(page, "Edit the case")
        assert press(page, "Space")["checked"], "Space did not tick Edit the case"
        sim.get_by_label("Age (years)").wait_for()  # the form opens when the kernel has answered
    tab_to(page, "Age (years)")
    press(page, "ArrowUp")
    sim.locator("strong").filter(has_text="The case has changed").wait_for()
    tab_to(page, "Show result")
    press(page, "Enter")
    edited = heading(f"{CASE.title} (edited)")
    if not projector:
        result_says(page, victim_line(CASE.case.age + 1))
        page.screenshot(path=str(output_dir / f"{name}-keyboard-focus.png"))
        tab_to(page, "Instructor mode: hide the answers until I show them", back=True)
        assert press(page, "Space")["checked"]
    result.filter(has_text=edited).filter(has_text="Hidden from the room").wait_for()
    nothing_given_away(page, "with the edited case held back")
    page.screenshot(path=str(output_dir / f"{name}-instructor-hidden.png"))
    tab_to(page, "Show the answers")
    press(page, "Enter")
    result_says(page, victim_line(CASE.case.age + 1))
    page.wait_for_function("() => document.activeElement.textContent.trim() === 'Hide the answers'")
    said(page, first_contact_text(classify(CASE.case.to_dict() | {"age": CASE.case.age + 1}, CURRENT), LAW))
    page.screenshot(path=str(output_dir / f"{name}-instructor-shown.png"))

    tab_to(page, "Explore", back=True)
    press(page, "ArrowDown")
    now = press(page, "ArrowDown")
    assert now["type"] == "radio" and now["name"] == "Predict, then reveal" and now["checked"]
    question = sim.locator(".dmst-choice").filter(has_text="victim of trafficking")
    question.wait_for()
    assert f"Under the law of {date_text(CURRENT)}" in question.inner_text()
    tab_to(page, "Yes")
    press(page, "Space")
    now = press(page, "ArrowDown")
    assert now["type"] == "radio" and now["name"] == "No" and now["checked"], "the arrow keys did not move in the radio group"
    tab_to(page, "Reveal the result")
    press(page, "Enter")
    result.filter(has_text="Hidden from the room").wait_for()
    nothing_given_away(page, "predict, revealed in instructor mode", predict=True)
    tab_to(page, "Show the answers")
    press(page, "Enter")
    result.filter(has_text="Your score").wait_for()
    said(page, "You scored")


# --- JupyterLab ---------------------------------------------------------------------------------

def open_simulator_in_lab(page, lab_server, output_dir):
    base, token = lab_server
    # `reset`: a fresh workspace, so no notebook an earlier test opened is open beside this one.
    page.goto(f"{base}/lab/tree/notebooks/06-scenario-simulator.ipynb?token={token}&reset")
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").wait_for()
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


def test_notebook_06_in_jupyterlab(page, lab_server, output_dir):
    open_simulator_in_lab(page, lab_server, output_dir)
    median, serious = drive(page, "lab", output_dir)
    assert median < 1000, f"click-to-result median {median:.0f} ms"
    assert serious == [], f"axe found serious or critical violations: {json.dumps(serious, indent=1)}"


def test_simulator_by_keyboard_alone_in_jupyterlab(page, lab_server, output_dir):
    """In JupyterLab the notebook's own shortcuts must not take the keys (ArrowDown used to move
    to the next cell); the project's settings keep them out of outputs."""
    open_simulator_in_lab(page, lab_server, output_dir)
    keyboard_path(page, "lab", output_dir)
    assert axe_serious(page) == []


# --- the kiosk (Voila), projector layout --------------------------------------------------------

PROJECTOR = {"width": 1280, "height": 720}


def test_kiosk_in_voila(page, kiosk_server, output_dir):
    page.goto(kiosk_server)
    page.locator(".dmst-simulator").wait_for(timeout=120_000)
    body = page.inner_text("body")
    assert "import" not in body and "Simulator(" not in body, "the kiosk shows code"
    assert "Training, not legal advice" in body
    median, serious = drive(page, "kiosk", output_dir, projector=True)
    assert median < 1000, f"click-to-result median {median:.0f} ms"
    assert serious == [], f"axe found serious or critical violations: {json.dumps(serious, indent=1)}"


def kiosk_on_projector(page, kiosk_server):
    """The kiosk at 1280 x 720 with CASE chosen in its library; returns the simulator's locator."""
    page.set_viewport_size(PROJECTOR)
    page.goto(kiosk_server)
    sim = page.locator(".dmst-simulator.dmst-projector")
    sim.wait_for(timeout=120_000)
    sim.get_by_label("Case library").select_option(label=CASE.title)
    return sim


def test_kiosk_projector_layout_at_1280_by_720_and_at_200_percent(page, kiosk_server, output_dir):
    sim = kiosk_on_projector(page, kiosk_server)
    sim.locator(".dmst-result").filter(has_text=heading()).wait_for()
    page.evaluate("document.querySelector('.dmst-projector').scrollIntoView()")
    page.screenshot(path=str(output_dir / "kiosk-1280x720-held.png"))
    sim.get_by_role("button", name="Show the answers").click()
    result_says(page, victim_line(CASE.case.age))
    page.evaluate("document.querySelector('.dmst-projector').scrollIntoView()")
    page.screenshot(path=str(output_dir / "kiosk-1280x720.png"))

    sizes = page.evaluate("""() => [...document.querySelectorAll(
        '.dmst-projector p, .dmst-projector li, .dmst-projector td, .dmst-projector th, .dmst-projector label,'
        + ' .dmst-projector button, .dmst-projector select, .jp-OutputArea-output [role=note] p')]
        .filter(e => e.offsetParent && e.textContent.trim()).map(e => [e.textContent.trim().slice(0, 40),
        parseFloat(getComputedStyle(e).fontSize)])""")
    small = [s for s in sizes if s[1] < 19.5 and not s[0].startswith("Source")]
    assert sizes and not small, f"body text under 20 px on the projector: {small[:8]}"
    assert min(size for _, size in sizes) >= 17  # citations are set a little smaller than body text

    case, outcome = (sim.locator(".widget-gridbox > .widget-vbox").nth(i).bounding_box() for i in (0, 1))
    assert case["height"] <= PROJECTOR["height"], f"the case needs {case['height']:.0f} px: more than one screen"
    assert outcome["x"] >= case["x"] + case["width"] - 1, "the result is not beside the case at 1280 px"
    assert outcome["y"] <= case["y"] + 1

    # 200% zoom of a 1280 x 720 screen lays the page out in 640 x 360 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 360})
    page.wait_for_timeout(300)
    widths = page.evaluate("() => [...document.querySelectorAll('.dmst-simulator, .dmst-simulator .dmst-result')]"
                           ".map(e => [e.scrollWidth, e.clientWidth])")
    assert all(scroll <= client + 1 for scroll, client in widths), f"content wider than its box at 200% zoom: {widths}"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    case, outcome = (sim.locator(".widget-gridbox > .widget-vbox").nth(i).bounding_box() for i in (0, 1))
    assert outcome["y"] >= case["y"] + case["height"] - 1, "at 200% the result should follow the case"
    page.evaluate("document.querySelector('.dmst-projector').scrollIntoView()")
    page.screenshot(path=str(output_dir / "kiosk-200-percent.png"))
    sim.locator(".dmst-result").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "kiosk-200-percent-result.png"))


def test_kiosk_by_keyboard_alone(page, kiosk_server, output_dir):
    page.set_viewport_size(PROJECTOR)
    page.goto(kiosk_server)
    page.locator(".dmst-simulator").wait_for(timeout=120_000)
    keyboard_path(page, "kiosk", output_dir, projector=True)
    assert axe_serious(page) == []


def test_an_age_out_of_range_is_put_back_in_the_box_and_said_beside_it(page, lab_server, output_dir):
    """Issue 16: the age box turned 150 into 120 without a word. In the page: the box shows the
    age used, the note beside it says why, and the live region says it once."""
    open_simulator_in_lab(page, lab_server, output_dir)
    sim = page.locator(".dmst-simulator")
    age = sim.get_by_label("Age (years)")
    for typed in ("150", "130"):  # 130 after 150: the age used stays 120, and the box and note still follow
        age.fill(typed)
        age.press("Tab")
        note = f"Age: {typed} is more than 120, the oldest age the course takes; the case uses 120."
        sim.locator("strong").filter(has_text=note).wait_for()
        said(page, note)
        page.wait_for_function("e => e.value === '120'", arg=age.element_handle())
    beside = page.evaluate("""() => { const box = [...document.querySelectorAll('.dmst-simulator .widget-text')]
        .find(w => w.textContent.includes('Age (years)')); return box.nextElementSibling.textContent; }""")
    assert "the case uses 120" in beside
    age.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "lab-age-150.png"))
    age.fill("16")
    age.press("Tab")
    said(page, "Age: 16.")
    assert "the case uses" not in sim.inner_text()


def test_a_date_typed_in_the_box_is_checked_when_done_not_at_each_key(page, lab_server, output_dir):
    """Typing the year 2015 passes through the years 2, 20 and 201: the box used to put 1 Oct 2010
    back at the first of them. Now the date is checked when the learner leaves the box or presses
    Enter, and a date outside the course's range is put back within it with a note beside the box."""
    open_simulator_in_lab(page, lab_server, output_dir)
    page.set_viewport_size({"width": 1366, "height": 768})
    sim = page.locator(".dmst-simulator")
    sim.get_by_label("Law as of", exact=True).select_option(label="Another date…")
    box = sim.get_by_label("Law as of: date", exact=True)
    box.scroll_into_view_if_needed()
    note = sim.locator(".dmst-date + *").first   # the note beside the box (the first: "Law as of")
    box.focus()   # the month comes first (mm/dd/yyyy)
    seen = []
    for key in "06152015":
        page.keyboard.type(key)
        page.wait_for_timeout(150)   # time enough for a kernel round trip
        seen.append(box.input_value())
    assert box.input_value() == "2015-06-15", f"the box changed while typing: {seen}"
    assert "outside" not in note.inner_text()
    page.keyboard.press("Enter")
    note.filter(has_text="The course models the law").wait_for()
    sim.get_by_role("button", name="Show result").click()
    result_says(page, "Result for your case under the law of 15 Jun 2015")
    last = date_text(max(LAW.presets.values()))
    box.fill("2030-01-01")
    page.wait_for_timeout(300)
    assert box.input_value() == "2030-01-01"   # not yet checked: the learner is still in the box
    sim.get_by_text("4. The law").click()   # leaving the box commits it
    note.filter(has_text="1 Jan 2030 is outside the law this course models").wait_for()
    assert f"Using {last}" in note.inner_text()
    page.wait_for_function("([e, v]) => e.value === v", arg=[box.element_handle(), max(LAW.presets.values()).isoformat()])
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "lab-date-2030.png"))


def test_a_built_case_is_kept_when_the_learner_arrows_through_the_library(page, lab_server, output_dir):
    """Arrowing through the case library used to replace the case the learner had built. Now it is
    kept as "My case 1" in the library, said beside the result, and comes back as it was."""
    open_simulator_in_lab(page, lab_server, output_dir)
    page.set_viewport_size({"width": 1366, "height": 768})
    sim = page.locator(".dmst-simulator")
    age = sim.get_by_label("Age (years)")
    age.fill("16")
    age.press("Tab")
    sim.get_by_label("New person's name").fill("Dell")
    sim.get_by_role("button", name="Add person").click()
    sim.get_by_label("Dell: recruited").check()
    sim.get_by_role("button", name="Show result").click()
    result_says(page, "Result for your case")
    library = sim.get_by_label("Case library")
    library_titles = [c.title for c in library_cases()]
    library.focus()
    page.keyboard.press("ArrowDown")
    try:
        sim.locator("strong").filter(has_text="Your case is kept in the case library as “My case 1”.").wait_for()
    finally:
        page.screenshot(path=str(output_dir / "lab-my-case-kept.png"))
    said(page, "Your case is kept in the case library as “My case 1”.")
    for _ in range(2):   # on through the library: the keys stay in the list
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(300)
    titles = [t.replace("\xa0", " ") for t in library.locator("option").all_inner_texts()]   # ipywidgets' spaces
    assert titles.count("My case 1") == 1
    page.wait_for_function("([e, t]) => e.options[e.selectedIndex].textContent.replace(/\\u00a0/g, ' ') === t",
                           arg=[library.element_handle(), library_titles[2]])   # the arrows went on from case 1
    library.select_option(label="My case 1")
    sim.get_by_label("Dell: recruited").wait_for()
    page.wait_for_function("e => e.value === '16'", arg=age.element_handle())
    assert sim.get_by_label("Dell: recruited").is_checked()
    library.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "lab-my-case-back.png"))


# Each word of the result's tables, measured with a Range: a word whose boxes sit on two lines was
# broken inside itself ("Questi on"), which the browser does when a cell's style lets any word break.
# A citation may wrap where a line may break anyway: after a hyphen, before a parenthesis ("53a-" "82").
WORDS_SPLIT = """(root) => {
  const split = [];
  for (const cell of root.querySelectorAll('table th, table td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of n.textContent.matchAll(/[^\\s\\-(]+/g)) {
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}"""


def test_kiosk_compare_table_keeps_its_words_whole_at_1280_by_720(page, kiosk_server, output_dir):
    """The comparison of two dates, shown on the projector: no word of its table is broken across lines."""
    sim = kiosk_on_projector(page, kiosk_server)
    sim.get_by_role("radio", name="Compare two dates").check()
    sim.get_by_role("button", name="Show result").click()
    sim.get_by_role("button", name="Show the answers").click()
    table = sim.locator(".dmst-result table").first
    table.wait_for()
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "kiosk-1280x720-compare.png"))
    assert sim.locator(".dmst-result").first.evaluate(WORDS_SPLIT) == []
