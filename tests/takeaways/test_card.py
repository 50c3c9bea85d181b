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
    with pytest.raises(ValueError, match="too full for A6"):
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
