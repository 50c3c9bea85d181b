"""What a screen reader is given: Chromium's accessibility tree (CDP `Accessibility.getFullAXTree`)
of the kiosk in every mode, and of lessons 05 and 06 in JupyterLab with their widgets running.

The tests fail on a control with no name, with an icon character in its name (a "▸" before
a disclosure's words), or with the same name as another control and no named group to tell
them apart (disclosures too: the citations of one result); on "null" or "None" read as a
name, a description or a title; on a tick box, radio
button or toggle whose state is not exposed; on a predict question whose answers are not one
named group; on any result or change of advice that is not said through the one live region
that stays in the page (the same node before and after, its text changed); and on any axe-core
violation in the course's widgets. Each state is also saved as a screenshot
(`test-output/browser/a11y-*.png`) and as the tree's text (`a11y-*.txt`), which is what a
screen reader has to work with.
"""
from __future__ import annotations

import json
import unicodedata

import pytest

import dmst.library as library
from dmst import classify, load_law
from dmst.render import date_text, no_call_text
from dmst.widgets.sim_predict import question_text, questions
from dmst.widgets.simulator import MODE_WORDS, first_contact_text

pytestmark = pytest.mark.browser

LAW = load_law()
CURRENT = LAW.presets["current"]
# A library case with two people (their controls must say whose they are) and contacts to name.
CASE = next(c for c in library.cases() if len(c.case.actors) > 1 and classify(c.case, CURRENT).notify)
PROJECTOR = {"width": 1280, "height": 720}
LAPTOP = {"width": 1366, "height": 768}
# Roles a person operates; the first group must be named apart from each other.
FORM_ROLES = {"button", "checkbox", "radio", "textbox", "searchbox", "combobox", "spinbutton", "listbox", "switch",
              "slider", "ToggleButton", "PopUpButton"}
CONTROL_ROLES = FORM_ROLES | {"link", "DisclosureTriangle"}
STATE_ROLES = {"checkbox", "radio", "switch"}
GROUP_ROLES = {"group", "radiogroup"}
LIVE_ROLES = {"status", "alert", "log"}


# --- reading the tree ----------------------------------------------------------------------------

def ax_tree(page, selector: str) -> list[dict]:
    """Every accessibility node under the elements matching `selector`, flattened in reading
    order: role, name, properties, text (for a live region), the named groups around it, and
    the DOM node it belongs to."""
    cdp = page.context.new_cdp_session(page)
    try:
        document = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        roots = {cdp.send("DOM.describeNode", {"nodeId": n})["node"]["backendNodeId"]
                 for n in cdp.send("DOM.querySelectorAll", {"nodeId": document, "selector": selector})["nodeIds"]}
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {n["nodeId"]: n for n in nodes}
    out: list[dict] = []

    def text_of(n) -> str:
        own = n.get("name", {}).get("value", "") if n.get("role", {}).get("value") == "StaticText" else ""
        return own + "".join(text_of(by_id[c]) for c in n.get("childIds", []) if c in by_id)

    def walk(n, groups, region=None):
        role = n.get("role", {}).get("value", "")
        name = " ".join(n.get("name", {}).get("value", "").split())
        props = {p["name"]: p["value"].get("value") for p in n.get("properties", [])}
        if not n.get("ignored"):
            if role == "region":
                region = n.get("backendDOMNodeId")
            out.append({"role": role, "name": name, "props": props, "groups": groups, "region": region,
                        "description": n.get("description", {}).get("value", ""),
                        "dom": n.get("backendDOMNodeId"), "text": text_of(n) if role in LIVE_ROLES or "live" in props else ""})
            if role in GROUP_ROLES and name:
                groups = groups + (name,)
        for c in n.get("childIds", []):
            if c in by_id:
                walk(by_id[c], groups, region)

    for n in nodes:
        if n.get("backendDOMNodeId") in roots:
            walk(n, ())
    assert out, f"no accessibility nodes under {selector}"
    return out


def live_regions(tree: list[dict]) -> list[dict]:
    return [n for n in tree if n["role"] in LIVE_ROLES or n["props"].get("live") in ("polite", "assertive")]


def problems(tree: list[dict]) -> list[str]:
    """What a screen-reader user would stumble on."""
    found = []
    controls = [n for n in tree if n["role"] in CONTROL_ROLES]
    for n in controls:
        if not n["name"]:
            found.append(f"a {n['role']} with no name")
        elif any(unicodedata.category(ch) in ("Co", "So") for ch in n["name"]):
            found.append(f"an icon character in the name of {n['role']} {n['name']!r}")
    seen: dict[tuple, list[dict]] = {}
    for n in controls:
        if n["role"] in FORM_ROLES and n["name"]:
            seen.setdefault((n["role"], n["name"].lower()), []).append(n)
    for (role, name), same in seen.items():
        contexts = [n["groups"][-1] if n["groups"] else None for n in same]
        if len(same) > 1 and (None in contexts or len(set(contexts)) < len(contexts)):
            found.append(f"{len(same)} {role}s named {name!r} with nothing to tell them apart")
    disclosures: dict[tuple, int] = {}   # within one result (a named region), each disclosure's own name
    for n in controls:
        if n["role"] == "DisclosureTriangle" and n["region"] is not None:
            key = (n["region"], n["name"].lower())
            disclosures[key] = disclosures.get(key, 0) + 1
    found += [f"{count} disclosures named {name!r} in one result" for (_, name), count in disclosures.items() if count > 1]
    for n in tree:
        if {n["name"], n["description"]} & {"null", "None"}:
            found.append(f"a {n['role']} named or described {n['name'] or n['description']!r}")
        if n["role"] in STATE_ROLES and n["props"].get("checked") is None:
            found.append(f"{n['role']} {n['name']!r} does not say whether it is on")
        if n["role"] == "radio" and not n["groups"]:
            found.append(f"radio button {n['name']!r} is in no named group")
        if n["role"] == "ToggleButton" and n["props"].get("pressed") is None:
            found.append(f"toggle {n['name']!r} does not say whether it is pressed")
    regions = live_regions(tree)
    if len(regions) > 1:
        found.append(f"{len(regions)} live regions: {[r['text'][:40] for r in regions]}")
    return found


def toggles_without_state(page, selector: str) -> list[str]:
    """ipywidgets' toggle buttons show which is on by colour only: none may be used."""
    return page.evaluate("""sel => [...document.querySelectorAll(sel)].flatMap(root => [...root.querySelectorAll(
        '.widget-toggle-button, .widget-toggle-buttons button, button.mod-active')]).filter(
        b => !b.hasAttribute('aria-pressed')).map(b => b.textContent.trim())""", selector)


def null_titles(page, selector: str) -> list[str]:
    """Elements whose tooltip (title) is a missing value's name: a screen reader says it."""
    return page.evaluate("""sel => [...document.querySelectorAll(sel)].flatMap(root => [...root.querySelectorAll(
        '[title="null"], [title="None"], [title="undefined"]')]).map(e => e.textContent.trim())""", selector)


def invalid(tree: list[dict], role: str, name: str) -> bool:
    """Whether the control is marked invalid (aria-invalid) for a screen reader."""
    (node,) = [n for n in tree if n["role"] == role and n["name"] == name]
    return node["props"].get("invalid") not in (None, "false")


def axe_violations(page, selector: str) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, context=selector).response["violations"]
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:160] for n in v["nodes"][:3]]} for v in found]


def dump(tree: list[dict], path) -> None:
    """The tree as text, one node a line, indented by group: what a screen reader works from."""
    lines = []
    for n in tree:
        if n["role"] in ("generic", "none", "StaticText", "InlineTextBox", "LabelText", "paragraph", "strong",
                         "emphasis", "MenuListPopup", "option", "Legend", "listitem", "list", "cell", "row",
                         "rowheader", "columnheader", "rowgroup"):
            continue
        state = {k: v for k, v in n["props"].items() if k in ("checked", "pressed", "expanded", "live", "disabled")}
        lines.append("  " * len(n["groups"]) + f"{n['role']}: {n['name'] or n['text']!r}" + (f" {state}" if state else ""))
    path.write_text("\n".join(lines) + "\n")


class Listener:
    """The one live region of a widget, followed as a screen reader would: `said(action, words)`
    does `action`, waits until the region says `words`, and checks it is the same node."""

    def __init__(self, page, selector: str):
        self.page, self.selector = page, selector
        regions = live_regions(ax_tree(page, selector))
        assert len(regions) == 1, f"{selector}: {len(regions)} live regions, wanted exactly one"
        self.node = regions[0]["dom"]
        assert regions[0]["props"].get("live") == "polite" or regions[0]["role"] == "status"

    def said(self, action, words: str) -> str:
        action()
        self.page.wait_for_function(
            "([sel, w]) => [...document.querySelectorAll(sel + ' [role=status]')].some(e => e.textContent.includes(w))",
            arg=[self.selector, words])
        regions = live_regions(ax_tree(self.page, self.selector))
        assert [r["dom"] for r in regions] == [self.node], "the live region was replaced: a screen reader may say nothing"
        assert words in regions[0]["text"], f"the accessibility tree does not carry {words!r}: {regions[0]['text']!r}"
        return regions[0]["text"]


def check(page, selector: str, name: str, output_dir) -> list[dict]:
    """Screenshot, tree as text, and no problem in the tree."""
    page.screenshot(path=str(output_dir / f"a11y-{name}.png"))
    tree = ax_tree(page, selector)
    dump(tree, output_dir / f"a11y-{name}.txt")
    found = (problems(tree) + [f"toggle without state: {t!r}" for t in toggles_without_state(page, selector)]
             + [f"the title 'null' on {t!r}" for t in null_titles(page, selector)])
    assert found == [], f"{name}: {json.dumps(found, indent=1)}"
    return tree


def predict_questions_are_named_groups(tree: list[dict], day) -> None:
    for q in questions(LAW, day):
        group = question_text(q, day)
        answers = [n for n in tree if n["role"] in ("radio", "checkbox") and n["groups"][-1:] == (group,)]
        named = [n for n in tree if n["role"] in GROUP_ROLES and n["name"] == group]
        assert len(named) == 1 and len(answers) == len(q.options), \
            f"{q.text!r}: {len(named)} groups named with the question, {len(answers)} of {len(q.options)} answers in it"


# --- the kiosk ----------------------------------------------------------------------------------

KIOSK = ".dmst-simulator"


def test_kiosk_in_every_mode_is_named_stateful_and_announced(page, kiosk_server, output_dir):
    page.set_viewport_size(PROJECTOR)
    page.goto(kiosk_server)
    sim = page.locator(KIOSK)
    sim.wait_for(timeout=120_000)
    listen = Listener(page, KIOSK)
    check(page, KIOSK, "kiosk-start", output_dir)

    title = f"Result for {CASE.title} under the law of {date_text(CURRENT)}"
    text = listen.said(lambda: sim.get_by_label("Case library").select_option(label=CASE.title),
                       "ready and hidden from the room")
    a = classify(CASE.case, CURRENT)
    assert title in text and not any(LAW.contacts[c].name in text for c in a.notify), text
    sim.get_by_label("Edit the case").check()
    sim.get_by_label("Age (years)").wait_for()
    tree = check(page, KIOSK, "kiosk-explore-held-editing", output_dir)
    for actor in CASE.case.actors:  # each person's controls say whose they are
        assert any(n["name"] == f"{actor.name}: recruited" for n in tree if n["role"] == "checkbox")
        assert any(n["name"] == f"Remove {actor.name}" for n in tree if n["role"] == "button")
    add = sim.get_by_role("button", name="Add person")
    listen.said(add.click, "Give the new person a name")
    assert invalid(ax_tree(page, KIOSK), "textbox", "New person's name")
    sim.get_by_role("textbox", name="New person's name").fill("Rae")
    add.focus()   # leaving the box sends the name: no longer invalid
    page.wait_for_function("() => !document.querySelector('.dmst-text input[aria-invalid]')")
    assert not invalid(ax_tree(page, KIOSK), "textbox", "New person's name")
    sim.get_by_role("textbox", name="New person's name").fill("")
    sim.get_by_label("Edit the case").uncheck()

    first = first_contact_text(a, LAW)
    assert first.startswith("Contact first: ")
    listen.said(lambda: sim.get_by_role("button", name="Show the answers").click(), first)
    check(page, KIOSK, "kiosk-explore-shown", output_dir)

    listen.said(lambda: sim.get_by_role("radio", name="Compare two dates").check(), MODE_WORDS["compare"])
    tree = ax_tree(page, KIOSK)
    names = [n["name"] for n in tree]   # reading order, which is the Tab order here
    assert names.index("Predict, then reveal") < names.index("Compare with the law as of"), \
        "the second date comes before the mode group that shows it"
    listen.said(lambda: sim.get_by_role("button", name="Show result").click(), "ready and hidden")
    listen.said(lambda: sim.get_by_role("button", name="Show the answers").click(), "Comparison of the law of")
    check(page, KIOSK, "kiosk-compare-shown", output_dir)

    listen.said(lambda: sim.get_by_role("radio", name="Predict, then reveal").check(), MODE_WORDS["predict"])
    sim.locator(".dmst-choice").filter(has_text="victim of trafficking").wait_for()
    tree = check(page, KIOSK, "kiosk-predict", output_dir)
    predict_questions_are_named_groups(tree, CURRENT)
    assert [r["text"] for r in live_regions(tree)] == [MODE_WORDS["predict"]], "the live region still holds a result no longer shown"
    reveal = sim.get_by_role("button", name="Reveal the result")
    listen.said(reveal.click, "Make a prediction first")
    sim.get_by_role("radiogroup", name=question_text(questions(LAW, CURRENT)[0], CURRENT)).get_by_role(
        "radio", name="Yes").check()
    listen.said(reveal.click, "ready and hidden")
    text = listen.said(lambda: sim.get_by_role("button", name="Show the answers").click(), "You scored")
    assert first in text
    check(page, KIOSK, "kiosk-predict-shown", output_dir)
    assert axe_violations(page, KIOSK) == []


def test_kiosk_predict_labels_wrap_and_the_point_of_a_case_is_on_the_first_screen(page, kiosk_server, output_dir):
    """At 1280 x 720 no provision label is cut or scrolls sideways, and once the answers are
    shown the verdict and the teaching point fit in one screen from the top of the result,
    with the score after them."""
    lc = next(c for c in library.cases() if c.teaching_point and classify(c.case, CURRENT).actors)
    page.set_viewport_size(PROJECTOR)
    page.goto(kiosk_server)
    sim = page.locator(KIOSK)
    sim.wait_for(timeout=120_000)
    sim.get_by_label("Case library").select_option(label=lc.title)
    sim.get_by_role("radio", name="Predict, then reveal").check()
    statutes = sim.locator(".dmst-choice").filter(has_text="Which provisions")
    statutes.wait_for()
    cut = page.evaluate("""() => [...document.querySelectorAll('.dmst-choice label, .dmst-choice legend, .dmst-choice')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > innerWidth)
        .map(e => e.textContent.trim().slice(0, 60))""")
    assert cut == [], f"labels cut or wider than the screen: {cut}"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    statutes.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "kiosk-predict-provisions-1280x720.png"))

    sim.get_by_role("radio", name="Yes").first.check()
    sim.get_by_role("button", name="Reveal the result").click()
    sim.get_by_role("button", name="Show the answers").click()
    result = sim.locator(".dmst-result")
    result.filter(has_text="Teaching point").wait_for()
    result.evaluate("e => e.scrollIntoView()")
    page.screenshot(path=str(output_dir / "kiosk-predict-result-1280x720.png"))
    top, verdict, point, score = (page.evaluate(js) for js in (
        "document.querySelector('.dmst-result').getBoundingClientRect().top",
        "document.querySelector('.dmst-result .dmst-headline').getBoundingClientRect().bottom",
        "document.querySelector('.dmst-result .dmst-teaching').getBoundingClientRect().bottom",
        "[...document.querySelectorAll('.dmst-result h3')].find(h => h.textContent.startsWith('Your score'))"
        ".getBoundingClientRect().top"))
    assert verdict - top <= PROJECTOR["height"] and point - top <= PROJECTOR["height"], \
        f"the verdict ends {verdict - top:.0f} px and the teaching point {point - top:.0f} px below the result's top"
    assert score >= point, "the score should come after the teaching point"


def test_kiosk_opens_from_the_instructors_jupyterlab_through_voila(page, instructor_server, output_dir):
    """No terminal: the instructor's JupyterLab serves the kiosk at /voila/render/… (sources
    stripped, answers held back)."""
    base, token = instructor_server
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{base}/voila/render/notebooks/simulator-kiosk.ipynb?token={token}")
    sim = page.locator(".dmst-simulator.dmst-projector")
    sim.wait_for(timeout=120_000)
    body = page.inner_text("body")
    assert "import" not in body and "Simulator(" not in body, "the kiosk shows code"
    assert sim.get_by_label("Instructor mode: hide the answers until I show them").is_checked()
    page.screenshot(path=str(output_dir / "kiosk-from-jupyterlab.png"))


# --- lessons 05 and 06 in JupyterLab ------------------------------------------------------------

def open_lesson(page, lab_server, notebook: str, widget: str, output_dir):
    base, token = lab_server
    page.set_viewport_size(LAPTOP)
    page.goto(f"{base}/lab/tree/notebooks/{notebook}?token={token}&reset")
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").wait_for()
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        page.locator(widget).wait_for(timeout=120_000)
    except Exception:
        page.screenshot(path=str(output_dir / f"a11y-{notebook}-failure.png"))
        raise
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=120_000)
    page.locator(widget).scroll_into_view_if_needed()


CONTENT = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"


def test_lesson_05_helper_says_each_change_of_advice(page, lab_server, output_dir):
    helper = ".dmst-helper"
    open_lesson(page, lab_server, "05-responding-and-reporting.ipynb", helper, output_dir)
    check(page, CONTENT, "lesson-05", output_dir)
    listen = Listener(page, helper)
    box = page.locator(helper)
    emergency = LAW.contacts["emergency_911"]
    text = listen.said(lambda: box.get_by_label("Is anyone in danger right now?").check(),
                       f"contact first: {emergency.name}, {emergency.phone}")
    assert text.startswith("Advice for age 15")
    age = box.get_by_label("Age (best guess, 0 to 120)")
    age.fill("150")
    listen.said(lambda: age.press("Enter"), "150 is more than 120")
    age.fill("ab")
    listen.said(lambda: age.press("Enter"), "'ab' is not a whole number")
    assert invalid(ax_tree(page, helper), "textbox", "Age (best guess, 0 to 120)")
    age.fill("16")
    listen.said(lambda: age.press("Enter"), "Advice for age 16")
    assert not invalid(ax_tree(page, helper), "textbox", "Age (best guess, 0 to 120)")
    age.fill("")
    text = listen.said(lambda: age.press("Enter"), "No age typed")
    assert no_call_text(True) in text or "DCF Careline" in text
    box.scroll_into_view_if_needed()
    check(page, CONTENT, "lesson-05-helper-changed", output_dir)
    assert axe_violations(page, helper) == []


def test_lesson_06_simulator_is_named_stateful_and_announced(page, lab_server, output_dir):
    open_lesson(page, lab_server, "06-scenario-simulator.ipynb", KIOSK, output_dir)
    check(page, CONTENT, "lesson-06", output_dir)
    listen = Listener(page, KIOSK)
    sim = page.locator(KIOSK)
    a = classify(CASE.case, CURRENT)
    listen.said(lambda: sim.get_by_label("Case library").select_option(label=CASE.title), first_contact_text(a, LAW))
    check(page, CONTENT, "lesson-06-explore", output_dir)
    sim.get_by_role("radio", name="Predict, then reveal").check()
    sim.locator(".dmst-choice").filter(has_text="victim of trafficking").wait_for()
    tree = check(page, CONTENT, "lesson-06-predict", output_dir)
    predict_questions_are_named_groups(tree, CURRENT)
    sim.get_by_role("radio", name="No").first.check()
    listen.said(lambda: sim.get_by_role("button", name="Reveal the result").click(), "You scored")
    check(page, CONTENT, "lesson-06-predict-revealed", output_dir)
    assert axe_violations(page, KIOSK) == []
