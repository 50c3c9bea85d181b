"""Instructor slides: a deck per module and per session plan, self-contained, carrying what each
module shows (its tables and charts), with notes (answers, instructor notes, timings) only in the
speaker notes, and none of the notebook's wording on a slide. (Chromium checks the layout:
tests/browser/test_takeaway_slides_browser.py.)"""
from __future__ import annotations

import re
from html import unescape

import pytest
from takeaway_support import NOTEBOOK_ONLY, NOTEBOOK_WORDING, ROOT, Deck, deck, flat, text_of

from dmst import load_law
from dmst.takeaways import facts, htmlparts
from dmst.takeaways.guide import read_guide
from dmst.takeaways.modules import module_paths, plain, read_module
from dmst.takeaways.slides import session_slides, module_slides, uses_simulator, write_deck
from dmst.takeaways.wording import for_cell, for_notes, for_room, for_slide, is_instruction

MODULES = [p.stem for p in module_paths(ROOT / "notebooks")]
GUIDE = ROOT / "notebooks" / "instructor-guide.ipynb"


def module(slug):
    law = load_law()
    return read_module(ROOT / "notebooks" / f"{slug}.ipynb", rewrite=lambda md: facts.cite_ids(md, law))


def on_slide(markdown: str) -> str:
    """Notebook prose as a slide projects it."""
    return for_slide(for_room(markdown))


def decks(built) -> list[str]:
    return sorted(p.stem for p in (built / "slides").glob("*.html"))


def test_a_deck_per_module_and_per_session_plan(built):
    plans = read_guide(GUIDE).plans
    assert [p.name for p in plans] == ["90-minute session", "3-hour session"]
    assert decks(built) == sorted(MODULES + ["90-minute-session", "3-hour-session"])


@pytest.mark.parametrize("name", MODULES + ["90-minute-session", "3-hour-session"])
def test_each_deck_is_self_contained_and_links_only_the_kit(built, name):
    d = deck(built, name)
    assert all(u.startswith("data:image/png;base64,") for u in d.loads), [u[:40] for u in d.loads]
    for link in d.links:
        assert not re.match(r"\w+:", link), f"{name} links outside the kit: {link}"
        target = (built / "slides" / link.split("#")[0]).resolve()
        assert target.is_file(), f"{name} links {link}, which is not in the kit"
        anchor = link.partition("#")[2]
        if anchor:
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), link


@pytest.mark.parametrize("name", MODULES + ["90-minute-session", "3-hour-session"])
def test_no_notebook_wording_on_any_slide(built, name):
    d = deck(built, name)
    bad = [(n + 1, m.group(0)) for n, text in enumerate(d.slides) for m in NOTEBOOK_WORDING.finditer(text)]
    assert not bad, f"{name}: notebook wording on slides {bad}"
    assert not [n for n, text in enumerate(d.slides) if re.search(r"Confidence:? verify\b", text)], \
        f"{name}: the raw confidence word 'verify' on a slide"


@pytest.mark.parametrize("name", MODULES + ["90-minute-session", "3-hour-session"])
def test_every_lead_in_is_followed_by_what_it_leads_into(built, name):
    """A sentence ending in ':' on a slide has what it leads into (a table, a list, a chart, a quotation,
    a result under its heading) after it on the same slide, never at the bottom with nothing below."""
    d = deck(built, name)
    for n, html in enumerate(d.html, start=1):
        for m in re.finditer(r"<p[^>]*>((?:(?!</p>).)*?):\s*</p>", html, re.S):
            after = html[m.end():]
            assert re.search(r"<(?:table|ul|ol|figure|blockquote|div|h3|h4)\b", after), \
                f"{name}, slide {n}: '{text_of(m.group(1))[-60:]}:' leads into nothing"


@pytest.mark.parametrize("name", MODULES + ["90-minute-session", "3-hour-session"])
def test_a_slide_that_speaks_of_the_table_or_chart_comes_after_one(built, name):
    d = deck(built, name)
    seen: dict = {}
    for n, (text, html, place, kind) in enumerate(zip(d.slides, d.html, d.places, d.kinds), start=1):
        shown = seen.setdefault(place, set())
        shown |= {"table"} if "<table" in html else set()
        shown |= {"chart"} if "<img" in html else set()
        if kind == "live":
            continue
        for thing in re.findall(r"\b[Tt]he (table|chart)\b", text):
            assert thing in shown, f"{name}, slide {n} speaks of the {thing}, but no slide of its section shows one"


@pytest.mark.parametrize("slug", MODULES)
def test_every_table_and_chart_the_module_shows_is_on_its_slides(built, slug):
    d, m = deck(built, slug), module(slug)
    text = flat(" ".join(d.slides))
    html = " ".join(d.html)
    shown = [s for s in m.sections if any(p == (m.number, s.number) for p in d.places)]
    assert shown, slug
    for section in shown:
        for part in section.parts:
            if part.kind != "output":
                continue
            for block in htmlparts.blocks(part.text):
                caption = re.search(r"<caption[^>]*>(.*?)</caption>", block.html(), re.S)
                if caption and is_instruction(text_of(caption.group(1))):
                    continue                  # a learner's own progress, as their notebook shows it: not for a room
                if block.kind == "table" and not htmlparts.empty_table(block):
                    for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", block.html(), re.S):
                        for piece in re.split(r"</?(?:p|li|div|br|ul|ol)\b[^>]*>", cell):   # a long cell may span slides
                            words = for_slide(text_of(piece).replace("verify", "not confirmed").replace("classifier", "rules"))
                            assert words in text, f"{slug} §{section.number}: {words[:60]}"
                elif block.kind == "img":
                    alt = unescape(block.node.attrs.get("alt", ""))
                    assert alt[:80] in unescape(html), f"{slug} §{section.number}: chart '{alt[:50]}' not on a slide"
            for table in re.findall(r"^\|(.+)\|\s*$", part.text if part.kind == "markdown" else "", re.M):
                for cell in table.split("|"):
                    words = plain(for_cell(cell.strip()))
                    if words and not set(words) <= set("-: "):
                        assert flat(words) in text, f"{slug} §{section.number}: markdown table cell {words[:50]}"


@pytest.mark.parametrize("slug", MODULES)
def test_objectives_key_points_and_questions_on_slides_answers_in_notes(built, slug):
    d, m = deck(built, slug), module(slug)
    slides, notes = flat(" ".join(d.slides)), flat(" ".join(d.notes))
    for objective in m.objectives:
        if on_slide(objective):
            assert flat(plain(on_slide(objective))) in slides
    for point in m.key_points:
        if on_slide(point):
            assert flat(plain(on_slide(point))) in slides
    for section in m.sections:
        if not any(p == (m.number, section.number) for p in d.places):
            continue
        for check in section.checks:
            if is_instruction(check.question):
                assert flat(plain(check.question)) not in slides
                continue
            if not on_slide(check.question):
                continue
            assert flat(plain(on_slide(check.question))) in slides
            assert flat(plain(for_notes(check.answer)))[:80] in notes
            assert flat(plain(check.answer))[:80] not in slides, f"{slug}: an answer on a projected slide"


def test_a_section_about_working_jupyterlab_has_no_slides(built):
    d = deck(built, "00-start-here")
    assert ("00", "2") not in d.places
    assert "Using JupyterLab and Binder, is about working the course in JupyterLab" in d.notes[0]


@pytest.mark.parametrize("slug", MODULES)
def test_the_guides_prompts_and_instructor_notes_are_speaker_notes(built, slug):
    d, m, guide = deck(built, slug), module(slug), read_guide(GUIDE)
    slides, notes = flat(" ".join(d.slides)), flat(" ".join(d.notes))
    prompt = guide.prompts.get(m.number)
    assert prompt, f"the guide has no prompt for {slug}"
    assert flat(plain(prompt.prompt)) in slides and flat(plain(for_notes(prompt.notes))) in notes
    for (number, section), texts in guide.notes.items():
        if number != m.number:
            continue
        where = [n for n, place in enumerate(d.places) if place == (number, section)] if section else [0]
        where = where or [0]                      # a section without slides: its notes are on the title slide
        for text in texts:
            said = flat(plain(for_notes(text)))[:100]
            if not said:
                continue
            assert any(said in d.notes[n] for n in where), f"{slug}: instructor note for section {section} not in its notes"
            assert said not in slides


def test_the_guide_has_the_instructor_notes_the_lessons_no_longer_do():
    guide = read_guide(GUIDE)
    assert {("00", "2"), ("00", "3"), ("01", "1"), ("01", "6"), ("02", "1"), ("03", "1"), ("03", "7")} <= set(guide.notes)
    import json

    for path in module_paths(ROOT / "notebooks"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        notes = [c["id"] for c in cells if "instructor" in c.get("metadata", {}).get("tags", [])
                 or "".join(c["source"]).lstrip().lower().startswith("**instructor note")]
        assert not notes, f"{path.name}: instructor notes {notes} belong in the instructor guide, not the lesson"


@pytest.mark.parametrize("plan", ["90-minute-session", "3-hour-session"])
def test_a_session_deck_follows_its_plan_with_timings_in_the_notes(built, plan):
    d = deck(built, plan)
    guide = read_guide(GUIDE)
    wanted = next(p for p in guide.plans if p.slug == plan)
    assert wanted.minutes == {"90-minute-session": 90, "3-hour-session": 180}[plan]
    position = 0
    for row in wanted.rows:
        timing = f"Plan: {row.clock} to {row.until}"
        where = [n for n, note in enumerate(d.notes) if timing in note]
        assert where and where[0] >= position, f"{plan}: the row at {row.clock} is missing or out of order"
        position = where[-1]
        places = {d.places[n] for n in where if d.places[n][1]}
        for number in row.modules:
            m = module(next(s for s in MODULES if s.startswith(number)))
            expected = {(number, s.number) for s in m.sections if row.shows(number, s.number)}
            # the sections a session keeps are the row's (one may be only in the module deck, for time)
            assert {p for p in places if p[0] == number} <= expected & set(deck(built, m.slug).places), (plan, row.clock)
        if "break" in row.what.lower():
            assert any(d.kinds[n] == "kit" and "Back at" in d.slides[n] for n in where)
    assert all(d.notes[n].startswith("Plan:") for n in range(2, len(d.notes))), "every slide after the opening has its timing"


def test_session_decks_include_the_kits_moments(built):
    d = deck(built, "90-minute-session")
    text = " ".join(d.slides)
    assert "Knowledge check (before)" in text and "Knowledge check (after)" in text
    assert "evaluation form" in text and "Break" in text and "Whom to call" in text
    card = facts.card_text(load_law())
    assert all(flat(plain(line)) in flat(text) for line in card.do_now)


def test_the_simulator_module_points_to_the_kiosk_in_the_kit(built):
    uses = [slug for slug in MODULES if uses_simulator(module(slug))]
    assert uses == ["06-scenario-simulator"]
    for slug in MODULES:
        assert ("../index.html#simulator" in deck(built, slug).links) == (slug in uses), slug
    index = (built / "index.html").read_text(encoding="utf-8")
    assert 'id="simulator"' in index and "voila/render/notebooks/simulator-kiosk.ipynb" in index


def test_slides_show_only_confirmed_numbers(data_copy, tmp_path):
    from takeaway_support import set_contacts

    set_contacts(data_copy, national_hotline={"confidence": "high"}, emergency_911={"confidence": "verify"})
    law = load_law(data_copy)
    m = module("05-responding-and-reporting")
    out = write_deck(module_slides(m, law, read_guide(GUIDE), {m.slug}), "t", "f", tmp_path / "s.html")
    d = Deck(out.read_text(encoding="utf-8"))
    calls = " ".join(s for s, k in zip(d.slides, d.kinds) if k == "calls")
    assert law.contacts["national_hotline"].phone in calls
    assert f"Emergency services: {facts.UNCONFIRMED}; official page: {law.contacts['emergency_911'].url}" in calls
    # A number no source confirms is never shown, unless a confirmed contact has the same number (the
    # 2011 arrest notice goes through the Careline, whose number is confirmed).
    shown = {c.phone for c in law.contacts.values() if c.confirmed}
    for c in law.contacts.values():
        if not c.confirmed and c.phone != "911" and c.phone not in shown:
            assert c.phone not in calls
    assert any(not c.confirmed and c.phone not in shown for c in law.contacts.values())  # the check checks something


def test_a_session_deck_is_made_from_the_plan_in_the_guide(tmp_path):
    """A plan changed in the guide changes the deck: rows, sections and timings are read, not typed."""
    import json

    nb = json.loads(GUIDE.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if "| 0:12 | 01 | 1–3 |" in source:
            cell["source"] = source.replace("| 0:12 | 01 | 1–3 |", "| 0:12 | 01 | 4 |")
    path = tmp_path / "guide.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    guide = read_guide(path)
    law = load_law()
    modules = {m.number: m for m in (module(s) for s in MODULES)}
    decks_ = {n: module_slides(m, law, guide, set(MODULES)) for n, m in modules.items()}
    plan = guide.plans[0]
    slides = session_slides(plan, modules, decks_, law, guide)
    assert {s.section for s in slides if s.module == "01" and s.section} == {"4"}
    assert any("Plan: 0:12 to 0:25" in s.notes for s in slides if s.module == "01")


def test_index_links_every_piece_of_the_kit(built):
    index = Deck((built / "index.html").read_text(encoding="utf-8"))
    for slug in MODULES:
        assert f"handout-{slug}.pdf" in index.links and f"slides/{slug}.html" in index.links
    for name in ("pocket-card.pdf", "pocket-card-letter-4up.pdf", "sign-in-sheet.pdf", "knowledge-check.pdf",
                 "knowledge-check-answer-key.pdf", "knowledge-check-scores.csv", "evaluation-form.pdf",
                 "slides/90-minute-session.html", "slides/3-hour-session.html"):
        assert name in index.links, name
    for link in index.links:
        assert (built / link.split("#")[0]).exists(), link


@pytest.mark.parametrize("plan", ["90-minute-session", "3-hour-session"])
def test_a_session_deck_fits_the_minutes_of_its_plan(built, plan):
    """At least a minute and a half a slide for the session, and for each module's part of it; a part
    that is not a module (a break, the forms) at least a minute a slide."""
    d = deck(built, plan)
    wanted = next(p for p in read_guide(GUIDE).plans if p.slug == plan)
    assert len(d.slides) <= wanted.minutes / 1.5, f"{plan}: {len(d.slides)} slides for {wanted.minutes} minutes"
    for row in wanted.rows:
        count = sum(f"Plan: {row.clock} to {row.until}" in note for note in d.notes)
        pace = 1.5 if row.modules else 1
        assert 1 <= count <= max(1, row.minutes / pace), f"{plan}, {row.clock}: {count} slides for {row.minutes} minutes"


def test_what_a_session_leaves_out_for_time_is_in_the_module_decks(built):
    d = deck(built, "90-minute-session")
    for number in ("04", "05"):
        slug = next(s for s in MODULES if s.startswith(number))
        full = deck(built, slug)
        minutes = re.compile(r" \d+ minutes(?: for modules [\d ]+and \d+)? ")   # the plan's, not the module's
        shown = [minutes.sub(" ", t) for t, (m, _) in zip(d.slides, d.places) if m == number]
        assert shown and all(t in [minutes.sub(" ", f) for f in full.slides] for t in shown), number
        assert len(shown) < sum(m == number for m, _ in full.places)
    said = [n for n in d.notes if "only in the module's own deck" in n]
    assert said, "the notes say where the slides left out are"


@pytest.mark.parametrize("name", MODULES + ["90-minute-session", "3-hour-session"])
def test_a_discussion_prompt_comes_before_the_slides_that_answer_it(built, name):
    d = deck(built, name)
    prompts = {m: n for n, (kind, (m, _)) in enumerate(zip(d.kinds, d.places)) if kind == "prompt"}
    assert prompts, name
    for n, (module, section) in enumerate(d.places):
        if section and module in prompts:
            assert prompts[module] < n, f"{name}: slide {n + 1} (module {module}, section {section}) comes before its prompt"


@pytest.mark.parametrize("name", MODULES + ["90-minute-session", "3-hour-session"])
def test_slides_read_as_slides_not_as_a_notebook(built, name):
    """No slide tells the room to work the notebook or points at the page: "run the cell", "click",
    "tick", "press", "above", "below", "this notebook", nor at a section or at "the data"; no speaker
    note says "Run the cells", "see section 5", "the simulator above". Tables and quotations (the brochure's and the
    data's own words, shown as they are) are not the slides' prose, so they are not checked."""
    d = deck(built, name)
    bad = []
    for n, html in enumerate(d.html, start=1):
        prose = text_of(re.sub(r"<table\b.*?</table>|<blockquote\b.*?</blockquote>", " ", html, flags=re.S))
        bad += [(n, m.group(0)) for m in NOTEBOOK_ONLY.finditer(prose)]
        bad += [(n, m.group(0)) for m in ON_A_SLIDE.finditer(prose)]
        bad += [(n, f"notes: {m.group(0)}") for m in IN_NOTES.finditer(d.notes[n - 1])]
    assert not bad, f"{name}: notebook prose on slides {bad}"


# What no slide says: a pointer to a section (a session deck may leave it out) or the data-speak of
# a notebook ("The data records …", "every version in the course data").
ON_A_SLIDE = re.compile(r"\bsection \d+\b|\b(?:the|course|contacts) data\b", re.I)
# What no speaker note says: working the notebook, or pointing at the page or at a section of it.
IN_NOTES = re.compile(r"\brun the cells?\b|\bsee section \d+|\b(?:in|from|before) section \d+\b|"
                      r"\b(?:simulator|helper|explorer|cell|table|chart) (?:above|below)\b|\breveal the result\b", re.I)


def test_a_learners_progress_table_is_not_on_a_slide(built):
    assert not any("Your progress" in text for text in deck(built, "00-start-here").slides)


def _session_decks():
    guide = read_guide(GUIDE)
    law = load_law()
    modules = {m.number: m for m in (module(s) for s in MODULES)}
    decks_ = {n: module_slides(m, law, guide, set(MODULES)) for n, m in modules.items()}
    return guide, decks_, {p.slug: session_slides(p, modules, decks_, law, guide) for p in guide.plans}


@pytest.mark.parametrize("plan", ["90-minute-session", "3-hour-session"])
def test_a_sessions_question_never_relies_on_slides_it_left_out(plan):
    """A section's questions are in a session deck only with every other slide of the section; a
    table, list or brochure-and-statute comparison carried over several slides is kept whole or not at all."""
    _, decks_, sessions = _session_decks()
    slides = sessions[plan]
    kept = {(s.module, s.section, plain(s.body.split("</p>", 1)[-1]) if s.kind == "section" else plain(s.body))
            for s in slides if s.section}
    asked = {(s.module, s.section) for s in slides if s.kind == "checks"}
    assert asked, plan
    for number, full in decks_.items():
        for n, s in enumerate(full):
            key = (s.module, s.section, plain(s.body.split("</p>", 1)[-1]) if s.kind == "section" else plain(s.body))
            if (s.module, s.section) in asked:
                assert key in kept, f"{plan}: a question of {number} § {s.section} without slide {n + 1} of its deck"
            if s.joined and key in kept:
                previous = full[n - 1]
                assert previous.section == s.section and (
                    previous.module, previous.section,
                    plain(previous.body.split("</p>", 1)[-1]) if previous.kind == "section" else plain(previous.body)
                ) in kept, f"{plan}: slide {n + 1} of {number} carries on a slide the session left out"
    assert any(s.joined for full in decks_.values() for s in full)   # the check checks something


def test_the_walkthroughs_questions_come_with_what_they_rely_on(built):
    """The three questions the 1280×720 walkthrough found without their slides."""
    for plan in ("90-minute-session", "3-hour-session"):
        text = " ".join(deck(built, plan).slides)
        if "Does § 1591 reach only people who make money" in text:
            assert "What the statute says" in text and "What the brochure says" in text, plan
        if "which contacts" in text.lower() and "brochure" in text:
            assert "NCMEC" in text and "National Human Trafficking Hotline" in text, plan
        parts = sum("penalty for not reporting, period by period" in t for t in deck(built, plan).slides)
        whole = sum("penalty for not reporting, period by period" in t
                    for t in deck(built, "05-responding-and-reporting").slides)
        assert whole > 1 and parts in (0, whole), f"{plan}: {parts} of the {whole} slides of the penalty table"


@pytest.mark.parametrize("plan", ["90-minute-session", "3-hour-session"])
def test_a_session_predicts_then_switches_to_the_kiosk_and_shows_no_result(built, plan):
    """After the prediction prompt, a slide says to switch to the kiosk (how to open it, in the guide's
    words, in the notes); no slide shows the result of a case the kiosk offers (that gives it away)."""
    d = deck(built, plan)
    guide, decks_, sessions = _session_decks()
    prompt = next(n for n, (k, (m, _)) in enumerate(zip(d.kinds, d.places)) if k == "prompt" and m == "06")
    assert "Predict first" in d.slides[prompt]
    kiosk = d.html[prompt + 1]
    assert d.kinds[prompt + 1] == "live" and "kiosk" in d.slides[prompt + 1] and "../index.html#simulator" in kiosk
    assert "open the simulator kiosk" in d.notes[prompt + 1] and "make simulator" in d.notes[prompt + 1]
    assert flat(plain("open the simulator kiosk")) in flat(plain(guide.simulator))
    results = [s.body for s in decks_["06"] if s.reveals]
    assert results and "Predict, then reveal" in " ".join(s.title for s in decks_["06"] if s.reveals)
    results += [s.body for s in decks_["07"] if s.reveals]          # the library's cases then and now
    assert len(results) > len([s for s in decks_["06"] if s.reveals])
    assert not [s.title for s in sessions[plan] if s.reveals or s.body in results], plan


@pytest.mark.parametrize("plan", ["90-minute-session", "3-hour-session"])
def test_a_sessions_slides_show_the_plans_minutes_not_the_modules(built, plan):
    d = deck(built, plan)
    shown = 0
    for html_, notes in zip(d.html, d.notes):
        planned = re.search(r"Plan: \S+ to \S+ \((\d+) minutes\)", notes)
        for minutes in re.findall(r"<p class=\"minutes\">(\d+) minutes", html_):
            assert planned and minutes == planned.group(1), f"{plan}: {minutes} minutes on a slide of {notes[:40]}"
            shown += 1
    assert shown > 5, plan
