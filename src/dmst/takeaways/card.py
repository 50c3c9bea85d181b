"""The pocket card: one A6 sheet, two sides, for anyone who took the course.

Front: what to do now, and the signs to act on (course content from data/takeaways.csv).
Back: whom to call, from data/contacts.csv (a number only when the data marks it
confirmed), "training, not legal advice" and the date of the law it reflects.
"""
from __future__ import annotations

from pathlib import Path

from fpdf.enums import XPos, YPos

from .. import DISCLAIMER
from ..law import Law
from . import facts
from .pdf import FONT, CoursePDF

A6 = (105, 148)  # millimetres: a quarter of A4, pocket size
NUMBER_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}


def build_card(law: Law, out: Path) -> Path:
    course = facts.course(law)
    text = facts.card_text(law)
    pdf = CoursePDF(page_format=A6, title=f"Pocket card: {text.title}", subject=course.title,
                    made_on=course.law_date, margin=7)
    pdf.set_auto_page_break(False)

    pdf.add_page()
    _band(pdf)
    pdf.set_font(FONT, "B", 11.5)
    pdf.multi_cell(0, 5.2, text.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    _heading(pdf, "What to do now")
    pdf.items(text.do_now, size=8.2, numbered=True, indent=4)
    signs = len(text.signs)
    _heading(pdf, f"{NUMBER_WORDS.get(signs, str(signs))} sign{'s' if signs != 1 else ''} to act on")
    pdf.items(text.signs, size=8.2, indent=4)
    _overflow_check(pdf, "front")

    pdf.add_page()
    _band(pdf)
    _heading(pdf, "Whom to call", size=11, before=0)
    for c in facts.card_contacts(law):
        pdf.set_font(FONT, "B", 8.2)
        pdf.multi_cell(0, 3.8, c.name, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if c.confirmed:
            pdf.set_font(FONT, "B", 11)
            pdf.multi_cell(0, 5, facts.phone_text(c), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.set_font(FONT, "I", 6.8)
            pdf.multi_cell(0, 3.1, facts.phone_text(c)[0].upper() + facts.phone_text(c)[1:] + ".", align="L",
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 6.8)
        pdf.multi_cell(0, 3.1, c.when, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.6)
    pdf.ln(0.5)
    pdf.rule(1.2)
    pdf.set_font(FONT, "B", 6.8)
    pdf.multi_cell(0, 3.1, DISCLAIMER, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.8)
    pdf.set_font(FONT, "", 6.5)
    pdf.multi_cell(0, 3, (f"Reflects the law as reviewed on {course.law_date_text}. "
                                       f"{course.title}, version {course.version}."),
                   align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _overflow_check(pdf, "back")

    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def _band(pdf: CoursePDF):
    """A thick black rule across the top: the card's mark, in black and white."""
    pdf.set_fill_color(0, 0, 0)
    pdf.rect(0, 0, pdf.w, 3.2, style="F")
    pdf.set_y(pdf.t_margin)


def _heading(pdf: CoursePDF, text: str, size: float = 9, before: float = 1.2):
    pdf.ln(before)
    pdf.set_font(FONT, "B", size)
    pdf.cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(0, 0, 0)
    pdf.line(pdf.l_margin, pdf.get_y() + 0.4, pdf.w - pdf.r_margin, pdf.get_y() + 0.4)
    pdf.ln(1.6)


def _overflow_check(pdf: CoursePDF, side: str):
    """A card has one page per side: text that runs off it is an error, not a second page."""
    if pdf.page_no() != (1 if side == "front" else 2) or pdf.get_y() > pdf.h - 4:
        raise ValueError(f"the pocket card's {side} is too full for A6: shorten data/takeaways.csv or contacts' "
                         "'when' text")
