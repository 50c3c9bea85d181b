"""Participant handouts: one per module, made from its notebook and the data, read back as text."""
from __future__ import annotations


import pytest
from takeaway_support import PYTHON_TEXT, RAW_ID, ROOT, colour_pixels, flat, pdf_pages, render, screenshot

from dmst import DISCLAIMER, load_law
from dmst.takeaways import facts
from dmst.takeaways.modules import module_paths, plain, read_module

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
        assert flat(plain(objective)) in text, f"{slug}: objective missing: {objective}"
    assert m.key_points, f"{slug}: key points not found in the notebook"
    for point in m.key_points:
        assert flat(plain(point)) in text, f"{slug}: key point missing: {point}"
    assert flat(plain(m.title)) in text


@pytest.mark.parametrize("slug", MODULES)
def test_handout_has_the_modules_corrections_contacts_and_terms_from_the_data(built, slug):
    law = load_law()
    m = module(slug)
    text = flat(" ".join(pdf_pages(built / f"handout-{slug}.pdf")))
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
