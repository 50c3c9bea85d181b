"""Phone numbers stay whole on paper: in every PDF of the kit, read back line by line, each number
from contacts.csv is on one line (never "1-888-373-" at a line's end and "7888" on the next).
(The slides are checked in Chromium: tests/browser/test_takeaway_phones_browser.py.)"""
from __future__ import annotations

import re

import pytest

from dmst import load_law
from dmst.takeaways.slides import whole_numbers


def lines_of(path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    return [line for page in doc for line in page.get_textpage().get_text_range().splitlines()]


def numbers() -> set[str]:
    return {c.phone for c in load_law().contacts.values() if "-" in c.phone}


PDFS = ["pocket-card.pdf", "pocket-card-letter-4up.pdf", "knowledge-check-answer-key.pdf"]


@pytest.mark.parametrize("name", PDFS + ["handouts"])
def test_every_phone_number_in_a_pdf_is_on_one_line(built, name):
    paths = sorted(built.glob("handout-*.pdf")) if name == "handouts" else [built / name]
    found = 0
    for path in paths:
        lines = lines_of(path)
        joined = re.sub(r"\s+", "", "".join(lines))
        for number in numbers():
            whole = sum(line.count(number) for line in lines)
            assert whole == joined.count(number), f"{path.name}: {number} is split across lines"
            found += whole
    if name.startswith("pocket-card") or name == "handouts":
        assert found, f"{name}: no phone number found, so nothing was checked"


def test_a_number_in_html_text_is_kept_whole_and_tags_are_left_alone():
    html = '<a href="tel:1-800-842-2288">Call 1-800-842-2288</a> or 911; id 1-800-842-22889'
    assert whole_numbers(html) == ('<a href="tel:1-800-842-2288">Call <span class="phone">1-800-842-2288</span></a> '
                                   'or 911; id 1-800-842-22889')
