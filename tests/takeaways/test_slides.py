"""Instructor slides: self-contained HTML per module, speaker notes from the instructor notes."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from takeaway_support import ROOT

from dmst import load_law
from dmst.takeaways import facts
from dmst.takeaways.guide import read_guide
from dmst.takeaways.modules import module_paths, plain, read_module
from dmst.takeaways.slides import kiosk_url, uses_simulator

MODULES = [p.stem for p in module_paths(ROOT / "notebooks")]


BLOCKS = {"p", "li", "ol", "ul", "h1", "h2", "h3", "blockquote", "br", "section", "div", "aside", "footer", "tr", "td", "th"}


class Deck(HTMLParser):
    """Splits a deck into slide text and speaker-note text, and collects every URL it loads or links."""

    def __init__(self, text):
        super().__init__()
        self.slides, self.notes, self.loads, self.links = [], [], [], []
        self._notes = self._skip = 0
        self.feed(text)

    def _gap(self):
        if self.slides:
            self.notes[-1] += " "
            self.slides[-1] += " "

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "slide" in (attrs.get("class") or ""):
            self.slides.append("")
            self.notes.append("")
        if tag in ("script", "img", "iframe", "link", "audio", "video", "source") and (attrs.get("src") or attrs.get("href")):
            self.loads.append(attrs.get("src") or attrs.get("href"))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self._notes += tag == "aside"
        self._skip += tag in ("script", "style", "footer")
        if tag in BLOCKS:
            self._gap()

    def handle_endtag(self, tag):
        self._notes -= tag == "aside"
        self._skip -= tag in ("script", "style", "footer")
        if tag in BLOCKS:
            self._gap()

    def handle_data(self, data):
        if not self.slides or self._skip:
            return
        if self._notes:
            self.notes[-1] += data
        else:
            self.slides[-1] += data


def deck(built, slug) -> Deck:
    return Deck((built / "slides" / f"{slug}.html").read_text(encoding="utf-8"))


def flat(text):
    return " ".join(text.split())


def module(slug):
    law = load_law()
    return read_module(ROOT / "notebooks" / f"{slug}.ipynb", rewrite=lambda md: facts.cite_ids(md, law))


@pytest.mark.parametrize("slug", MODULES)
def test_each_deck_is_self_contained_and_has_notes(built, slug):
    d = deck(built, slug)
    assert d.loads == [], f"{slug} loads files from elsewhere: {d.loads}"
    external = [u for u in d.links if re.match(r"\w+:", u) and not u.startswith("http://localhost")]
    assert external == [], f"{slug} links outside the machine: {external}"
    assert len(d.slides) >= 5 and any(n.strip() for n in d.notes)
    m = module(slug)
    slide_text = flat(" ".join(d.slides))
    for objective in m.objectives:
        assert flat(plain(objective)) in slide_text
    for point in m.key_points:
        assert flat(plain(point)) in slide_text


@pytest.mark.parametrize("slug", MODULES)
def test_speaker_notes_hold_the_instructor_notes_and_answers_not_the_slides(built, slug):
    d, m = deck(built, slug), module(slug)
    notes, slides = flat(" ".join(d.notes)), flat(" ".join(d.slides))
    for section in m.sections:
        for note in section.instructor_notes:
            assert flat(plain(note)) in notes
            assert flat(plain(note)) not in slides
        for check in section.checks:
            assert flat(plain(check.question)) in slides
            assert flat(plain(check.answer)) in notes
    prompt = read_guide(ROOT / "notebooks" / "instructor-guide.ipynb").prompts.get(m.number)
    if prompt:
        assert flat(plain(prompt.prompt)) in slides and flat(plain(prompt.notes)) in notes


def test_the_simulator_module_links_the_kiosk(built):
    uses = [slug for slug in MODULES if uses_simulator(module(slug))]
    assert "06-scenario-simulator" in uses
    url = kiosk_url(ROOT / "Makefile")
    for slug in MODULES:
        assert (url in deck(built, slug).links) == (slug in uses), slug
    assert "make simulator" in flat(" ".join(deck(built, "06-scenario-simulator").slides))


def test_kiosk_url_follows_the_makefile(tmp_path):
    makefile = tmp_path / "Makefile"
    makefile.write_text("simulator: x\n\t$(BIN)/voila --no-browser --port=9123 notebooks/simulator-kiosk.ipynb\n")
    assert kiosk_url(makefile) == "http://localhost:9123/"
    makefile.write_text("simulator: x\n\t$(BIN)/voila notebooks/simulator-kiosk.ipynb\n")
    assert kiosk_url(makefile) == "http://localhost:8866/"


def test_slides_show_only_confirmed_numbers(data_copy, tmp_path):
    from takeaway_support import set_contacts

    from dmst.takeaways.guide import read_guide
    from dmst.takeaways.slides import build_slides

    set_contacts(data_copy, national_hotline={"confidence": "high"}, emergency_911={"confidence": "verify"})
    law = load_law(data_copy)
    out = build_slides(module("05-responding-and-reporting"), law, read_guide(ROOT / "notebooks" / "instructor-guide.ipynb"),
                       tmp_path / "s.html", "http://localhost:8866/")
    d = Deck(out.read_text(encoding="utf-8"))
    calls = next(s for s in d.slides if s.strip().startswith("Whom to call"))
    assert law.contacts["national_hotline"].phone in calls
    assert "Emergency services: " + facts.UNCONFIRMED in flat(calls)


def test_index_links_every_takeaway(built):
    index = Deck((built / "index.html").read_text(encoding="utf-8"))
    for slug in MODULES:
        assert f"handout-{slug}.pdf" in index.links and f"slides/{slug}.html" in index.links
    assert "pocket-card.pdf" in index.links
    for link in index.links:
        assert (built / link).exists(), link
