"""The pocket card: two A6 sides; every number on it is a confirmed one from contacts.csv."""
from __future__ import annotations

import pytest
from takeaway_support import PHONE, PYTHON_TEXT, RAW_ID, colour_pixels, flat, pdf_pages, render, screenshot, set_contacts

from dmst import DISCLAIMER, load_law
from dmst.law import LawDataError
from dmst.takeaways import facts
from dmst.takeaways.card import build_card
from dmst.takeaways.modules import plain


def numbers_on(pages: list[str]) -> set[str]:
    return {m.group(0) for page in pages for m in PHONE.finditer(page)}


def test_card_is_two_a6_sides_with_the_course_content(built):
    from pypdf import PdfReader

    card = built / "pocket-card.pdf"
    pages = pdf_pages(card)
    assert len(pages) == 2
    width, height = (float(x) for x in PdfReader(str(card)).pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (105, 148)   # A6 in mm
    law = load_law()
    text = facts.card_text(law)
    front, back = map(flat, pages)
    for line in (*text.do_now, *text.signs):
        assert flat(plain(line)) in front
    assert "Three signs to act on" in front and len(text.signs) == 3
    assert flat(DISCLAIMER) in back
    assert facts.course(law).law_date_text in back   # the date of the law it reflects
    for c in facts.card_contacts(law):
        assert c.name in back
    screenshot(card, "pocket-card-front.png")


def test_only_confirmed_numbers_appear_on_the_real_card(built):
    law = load_law()
    confirmed = {n for c in law.contacts.values() if c.confirmed for n in (c.phone, c.text) if n}
    unconfirmed = {c.phone for c in law.contacts.values() if not c.confirmed} - confirmed
    found = numbers_on(pdf_pages(built / "pocket-card.pdf"))
    assert found <= confirmed, f"numbers on the card that are not confirmed in contacts.csv: {found - confirmed}"
    assert not found & unconfirmed
    for c in facts.card_contacts(law):
        if not c.confirmed:
            assert facts.UNCONFIRMED in flat(" ".join(pdf_pages(built / "pocket-card.pdf"))).lower()
            assert c.url in flat(" ".join(pdf_pages(built / "pocket-card.pdf")))


def test_card_numbers_come_from_contacts_csv_at_build_time(data_copy, tmp_path):
    # Confirm three contacts and change one number: the card must print exactly those.
    set_contacts(data_copy, emergency_911={"confidence": "high"},
                 dcf_careline={"confidence": "high", "phone": "1-800-555-0199"},
                 national_hotline={"confidence": "high"}, fbi={"confidence": "verify"})
    law = load_law(data_copy)
    card = build_card(law, tmp_path / "card.pdf")
    pages = pdf_pages(card)
    found = numbers_on(pages)
    expected = {n for c in facts.card_contacts(law) if c.confirmed for n in (c.phone, c.text) if n}
    assert found == expected and {"911", "1-800-555-0199", law.contacts["national_hotline"].phone} <= found
    assert law.contacts["fbi"].phone not in " ".join(pages)           # known but not confirmed: not printed
    assert law.contacts["fbi"].name in flat(pages[1])                  # the office is still named
    assert "call Emergency services (911)" in flat(pages[0])           # placeholder filled on the front
    screenshot(card, "pocket-card-confirmed-front.png")


def test_card_has_no_ids_or_python_text(built):
    text = " ".join(pdf_pages(built / "pocket-card.pdf"))
    assert not RAW_ID.search(text) and not PYTHON_TEXT.search(text), text


def test_card_prints_in_black_and_white(built):
    for page in (0, 1):
        image = render(built / "pocket-card.pdf", page, 1)
        assert colour_pixels(image) == 0, f"side {page + 1} uses colour"


def test_takeaways_csv_errors_name_the_row_and_field(data_copy):
    path = data_copy / "takeaways.csv"
    path.write_text(path.read_text() + 'do_now,"Call {contact:nobody}."\nsigns,"A typo in the part"\n')
    load_law.cache_clear()
    with pytest.raises(LawDataError) as err:
        facts.card_text(load_law(data_copy))
    message = str(err.value)
    assert "takeaways.csv: row 13: field 'text': '{contact:nobody}': 'nobody' is not a contact id" in message
    assert "row 14: field 'part': 'signs' is not one of course_title, card_title, do_now, sign" in message


def test_a_card_too_full_for_a6_is_an_error_not_a_second_page(data_copy, tmp_path):
    path = data_copy / "takeaways.csv"
    path.write_text(path.read_text() + "".join(f'sign,"A long sign to act on, number {n}, that fills the card."\n'
                                               for n in range(12)))
    load_law.cache_clear()
    with pytest.raises(ValueError, match="too full for 105 × 148 mm"):
        build_card(load_law(data_copy), tmp_path / "card.pdf")


def test_data_text_prints_as_written_even_with_markup_characters(data_copy, tmp_path):
    from takeaway_support import ROOT

    from dmst.takeaways.handout import build_handout
    from dmst.takeaways.modules import read_module

    when = "Any hour -- day or night; *not* __only__ for adults [really] \\ ok"
    set_contacts(data_copy, national_hotline={"when": when})
    law = load_law(data_copy)
    card = flat(" ".join(pdf_pages(build_card(law, tmp_path / "card.pdf"))))
    handout = flat(" ".join(pdf_pages(build_handout(read_module(ROOT / "notebooks" / "01-defining-the-crime.ipynb"),
                                                   law, tmp_path / "h.pdf"))))
    assert when in card and when in handout


def test_the_back_has_a_blank_line_for_the_agencys_own_contact(built):
    assert "Your agency's designated contact:" in flat(pdf_pages(built / "pocket-card.pdf")[1])


def _bands(image) -> list[tuple[int, int, int, int]]:
    """The black bands across the top of each card: (left, top, right, bottom) in pixels."""
    import numpy

    dark = numpy.asarray(image.convert("L")) < 60
    rows = numpy.flatnonzero(dark.sum(axis=1) > dark.shape[1] * 0.4).tolist()
    bands, start = [], None
    for y, next_y in zip(rows, rows[1:] + [None]):
        start = y if start is None else start
        if next_y != y + 1:
            xs = numpy.flatnonzero(dark[y])
            if y - start >= 3:                    # a band, not a rule line
                bands.append((int(xs[0]), start, int(xs[-1]), y))
            start = None
    return bands


def test_the_letter_sheet_has_four_cards_a_side_lined_up_for_double_sided_printing(built):
    from pypdf import PdfReader

    sheet = built / "pocket-card-letter-4up.pdf"
    reader = PdfReader(str(sheet))
    assert len(reader.pages) == 2
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width / 72, 2), round(height / 72, 2)) == (8.5, 11.0)                 # US Letter
    front, back = map(flat, pdf_pages(sheet))
    text = facts.card_text(load_law())
    assert front.count(flat(plain(text.title))) == 4 and back.count("Whom to call") == 4
    assert back.count("Your agency's designated contact:") == 4
    scale = 2
    pages = [render(sheet, page, scale) for page in (0, 1)]
    w, h = pages[0].size
    for page in pages:
        bands = _bands(page)
        assert len(bands) == 2, bands                     # two rows of cards, each band spanning both columns
        for left, top, right, bottom in bands:
            assert abs((left + right) / 2 - w / 2) <= 2   # centred: a long-edge flip puts each back behind a front
        assert abs((bands[0][1] + bands[1][3]) / 2 - h / 2) < h * 0.25
    assert _bands(pages[0]) == _bands(pages[1])           # backs exactly where the fronts are
    # the grid is centred vertically too (a short-edge flip lines up as well): equal margins top and bottom
    card_h = (bands[1][1] - bands[0][1])
    top_margin, bottom_margin = bands[0][1], h - (bands[1][1] + card_h)
    assert abs(top_margin - bottom_margin) <= 3


def test_the_letter_sheet_has_crop_marks_outside_the_cards(built):
    sheet = built / "pocket-card-letter-4up.pdf"
    image = render(sheet, 0, 2).convert("L")
    w, h = image.size
    [(left, top, right, _), _] = _bands(image)
    # a vertical mark above each of the three cut lines, in the margin above the cards
    import numpy

    margin = numpy.asarray(image)[int(top * 0.2):int(top * 0.8)]
    columns = numpy.flatnonzero((margin < 180).any(axis=0)).tolist()
    groups = [x for x, nxt in zip(columns, columns[1:] + [None]) if nxt != x + 1]
    assert len(groups) == 3, groups
    assert abs(groups[0] - left) <= 3 and abs(groups[-1] - right) <= 3 and abs(groups[1] - w / 2) <= 3


def test_the_letter_sheet_numbers_are_the_confirmed_ones(built):
    law = load_law()
    confirmed = {n for c in law.contacts.values() if c.confirmed for n in (c.phone, c.text) if n}
    assert numbers_on(pdf_pages(built / "pocket-card-letter-4up.pdf")) <= confirmed
