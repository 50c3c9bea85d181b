"""Participant handouts: one per module, made from its notebook and the data, read back as text."""
from __future__ import annotations

import re

import pytest
from takeaway_support import NOTEBOOK_WORDING, PYTHON_TEXT, RAW_ID, ROOT, colour_pixels, flat, handout_text, pdf_pages, \
    render, screenshot

from dmst import DISCLAIMER, load_law
from dmst.takeaways import facts
from dmst.takeaways.modules import module_paths, plain, read_module
from dmst.takeaways.wording import for_room

MODULES = [p.stem for p in module_paths(ROOT / "notebooks")]


def module(slug):
    law = load_law()
    return read_module(ROOT / "notebooks" / f"{slug}.ipynb", rewrite=lambda md: facts.cite_ids(md, law))


def test_every_module_has_a_handout(built):
    assert MODULES, "no course modules found"
    assert sorted(p.stem for p in built.glob("handout-*.pdf")) == [f"handout-{m}" for m in MODULES]


@pytest.mark.parametrize("slug", MODULES)
def test_handout_names_the_modules_objectives_and_key_points(built, slug):
    m = module(slug)
    text = flat(" ".join(pdf_pages(built / f"handout-{slug}.pdf")))
    assert len(m.objectives) >= 3, f"{slug}: objectives not found in the notebook"
    for objective in m.objectives:
        if for_room(objective):
            assert flat(plain(for_room(objective))) in text, f"{slug}: objective missing: {objective}"
    assert m.key_points, f"{slug}: key points not found in the notebook"
    for point in m.key_points:
        if for_room(point):
            assert flat(plain(for_room(point))) in text, f"{slug}: key point missing: {point}"
    assert flat(plain(m.title)) in text


@pytest.mark.parametrize("slug", MODULES)
def test_handout_reads_as_a_handout(built, slug):
    text = handout_text(built, slug)
    assert not NOTEBOOK_WORDING.search(text), f"{slug}: {NOTEBOOK_WORDING.findall(text)}"
    assert not re.search(r"\b(?:verify|Instructors?:|maintainer|generated)\b", text), slug


@pytest.mark.parametrize("slug", MODULES)
def test_every_contact_the_key_points_name_is_in_whom_to_call(built, slug):
    law = load_law()
    m = module(slug)
    points = " ".join(m.key_points)
    named = [c for c in law.contacts.values() if facts.names_in(c, law, points)]
    calls = handout_text(built, slug).split("Whom to call", 1)[-1]
    for c in named:
        assert c.name in calls, f"{slug}: the key points name {c.name}, but 'Whom to call' leaves it out"
        if not c.confirmed:
            assert c.phone not in calls and f"{facts.UNCONFIRMED}; official page: {c.url}" in calls


def test_handout_05_names_every_contact_of_its_key_points():
    law = load_law()
    named = {c.id for c in law.contacts.values() if facts.names_in(c, law, " ".join(module("05-responding-and-reporting").key_points))}
    assert {"emergency_911", "dcf_careline", "fbi", "us_attorney", "ncmec", "national_hotline"} <= named


@pytest.mark.parametrize("slug", MODULES)
def test_page_one_is_not_left_half_empty(built, slug):
    path = built / f"handout-{slug}.pdf"
    if len(pdf_pages(path)) < 2:
        return
    import numpy

    image = numpy.asarray(render(path, 0, 1).convert("L"))
    height = image.shape[0]
    body = image[:int(height * 0.88)]                                 # above the footer
    ink = numpy.flatnonzero((body < 128).any(axis=1))
    assert len(ink) and ink[-1] > len(body) * 0.8, f"{slug}: page 1 stops at {ink[-1] / height:.0%} of the page"


@pytest.mark.parametrize("slug", MODULES)
def test_handout_has_the_modules_corrections_contacts_and_terms_from_the_data(built, slug):
    law = load_law()
    m = module(slug)
    text = handout_text(built, slug)
    for fix in facts.corrections(facts.provisions_taught(m, law), law):
        assert flat(fix.citation) in text
        assert flat(fix.differs) in text                     # the data's words, not a second copy
        if fix.brochure_says:
            assert flat(fix.brochure_says) in text
    used = facts.contacts_used(m, law)
    calls = text.split("Whom to call", 1)[1].split("Words used in this module")[0].split("What's next")[0] if used else ""
    printed = {c.phone for c in used if c.confirmed}
    for c in used:
        assert c.name in calls
        assert (c.phone in calls) == (c.phone in printed), f"{c.name}: number shown only when confirmed"
    for t in facts.terms_used(m, law):
        assert flat(f"{t.term}: {t.definition}") in text


def test_modules_teach_the_corrections_their_panels_show():
    law = load_law()
    taught = {slug: facts.provisions_taught(module(slug), law) for slug in MODULES}
    assert "us-22-7102" in taught["01-defining-the-crime"]
    assert {"ct-53a-192", "ct-53a-192a"} <= set(taught["04-connecticut-law"])
    assert "ct-53a-192" not in taught["01-defining-the-crime"]


@pytest.mark.parametrize("slug", MODULES)
def test_handout_pages_are_numbered_and_dated(built, slug):
    pages = pdf_pages(built / f"handout-{slug}.pdf")
    date_text = facts.course(load_law()).law_date_text
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert date_text in page
    assert flat(DISCLAIMER) in flat(" ".join(pages))


def test_no_handout_shows_ids_or_python_text(built):
    for path in built.glob("handout-*.pdf"):
        text = " ".join(pdf_pages(path))
        assert not RAW_ID.findall(text), f"{path.name}: raw ids {RAW_ID.findall(text)}"
        assert not PYTHON_TEXT.findall(text), f"{path.name}: {PYTHON_TEXT.findall(text)}"


def test_handouts_print_in_black_and_white(built):
    for path in built.glob("handout-*.pdf"):
        assert colour_pixels(render(path, 0, 1)) == 0, f"{path.name} uses colour"


def test_a_data_change_reaches_the_handout(data_copy, tmp_path):
    from dmst.takeaways.handout import build_handout

    path = data_copy / "provisions.csv"
    text = path.read_text(encoding="utf-8")
    old = "'Domestic minor sex trafficking' is not a term in the statute"
    assert old in text
    path.write_text(text.replace(old, "The statute calls it something else entirely"), encoding="utf-8")
    load_law.cache_clear()
    law = load_law(data_copy)
    out = build_handout(module("01-defining-the-crime"), law, tmp_path / "h.pdf")
    handout = flat(" ".join(pdf_pages(out)))
    assert "The statute calls it something else entirely" in handout and old not in handout


def test_screenshot_of_a_handout(built):
    assert screenshot(built / "handout-01-defining-the-crime.pdf", "handout-01-first-page.png").exists()
