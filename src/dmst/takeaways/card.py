"""The pocket card, for anyone who took the course: two sides.

Front: what to do now, and the signs to act on (course content from data/takeaways.csv).
Back: whom to call, from data/contacts.csv (a number only when the data marks it confirmed), a
blank line for the agency's own designated contact, "training, not legal advice" and the date
of the law it reflects.

Two files: `pocket-card.pdf`, one A6 card (front, then back), and `pocket-card-letter-4up.pdf`,
four cards on a US Letter sheet with crop marks, front on page 1 and back on page 2. The four
cards sit on a grid centred on the sheet, so when the sheet is printed double-sided (turned on
either edge) each card's back falls behind a card's front. One drawing serves both: a side is
drawn into a box, with its type scaled to the box.
"""
from __future__ import annotations

from pathlib import Path

from fpdf.enums import XPos, YPos

from .. import DISCLAIMER
from ..law import Law
from . import facts
from .pdf import FONT, GREY, CoursePDF

A6 = (105, 148)                        # millimetres: a quarter of A4, pocket size
LETTER = (215.9, 279.4)
SHEET_CARD = (95.25, 127.0)            # 3.75 × 5 in: four fit on Letter with room for crop marks
NUMBER_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}


def build_card(law: Law, out: Path) -> Path:
    """One A6 card: page 1 the front, page 2 the back."""
    pdf = _pdf(law, A6)
    for side in (_front, _back):
        pdf.add_page()
        side(pdf, law, 0, 0, *A6)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def build_card_sheet(law: Law, out: Path) -> Path:
    """Four cards on US Letter: fronts on page 1, backs on page 2, crop marks on both."""
    pdf = _pdf(law, LETTER)
    w, h = SHEET_CARD
    x0, y0 = (LETTER[0] - 2 * w) / 2, (LETTER[1] - 2 * h) / 2
    for side, note in ((_front, "front"), (_back, "back")):
        pdf.add_page()
        for col in (0, 1):
            for row in (0, 1):
                side(pdf, law, x0 + col * w, y0 + row * h, w, h)
        _crop_marks(pdf, x0, y0, w, h)
        pdf.set_font(FONT, "", 7)
        pdf.set_text_color(*GREY)
        pdf.set_xy(x0 + 3, LETTER[1] - y0 + 3.5)      # in the left half: clear of the middle crop mark
        pdf.cell(w - 6, 3, f"Pocket card, {note}. Print at 100%, double-sided; cut on the marks.")
        pdf.set_text_color(0, 0, 0)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def _pdf(law: Law, page) -> CoursePDF:
    course = facts.course(law)
    pdf = CoursePDF(page_format=page, title=f"Pocket card: {facts.card_text(law).title}", subject=course.title,
                    made_on=course.law_date, margin=0)
    pdf.set_auto_page_break(False)
    return pdf


class _Box:
    """Draw into a card's box: margins set to it, sizes scaled to it (A6 is 1)."""

    def __init__(self, pdf: CoursePDF, x: float, y: float, w: float, h: float, margin: float = 7):
        self.pdf, self.x, self.y, self.w, self.h = pdf, x, y, w, h
        self.k = min(w / A6[0], h / A6[1], 1.0)
        self.margin = margin * min(w / A6[0], 1)
        pdf.set_left_margin(x + self.margin)
        pdf.set_right_margin(pdf.w - (x + w) + self.margin)
        pdf.set_fill_color(0, 0, 0)
        pdf.rect(x, y, w, 3.2 * self.k, style="F")      # a thick black rule across the top: the card's mark
        pdf.set_xy(x + self.margin, y + self.margin)

    def text(self, text: str, size: float, style: str = "", line: float | None = None, markdown: bool = False):
        pdf = self.pdf
        pdf.set_font(FONT, style, size * self.k)
        pdf.multi_cell(0, (line or size * 0.46) * self.k, text, align="L", markdown=markdown,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str, size: float = 9, before: float = 1.2):
        pdf = self.pdf
        pdf.ln(before * self.k)
        pdf.set_font(FONT, "B", size * self.k)
        pdf.cell(0, size * 0.5 * self.k, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(0, 0, 0)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.4, pdf.w - pdf.r_margin, pdf.get_y() + 0.4)
        pdf.ln(1.6 * self.k)

    def items(self, markdowns, size: float, numbered: bool = False):
        from .pdf import pdf_markup

        pdf, indent = self.pdf, 4 * self.k
        for n, md in enumerate(markdowns, start=1):
            pdf.set_font(FONT, "", size * self.k)
            y = pdf.get_y()
            pdf.set_xy(pdf.l_margin, y)
            pdf.cell(indent, size * 0.48 * self.k, f"{n}." if numbered else "•")
            pdf.set_xy(pdf.l_margin + indent, y)
            pdf.multi_cell(pdf.w - pdf.r_margin - pdf.l_margin - indent, size * 0.48 * self.k, pdf_markup(md),
                           markdown=True, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.0 * self.k)

    def ln(self, mm: float):
        self.pdf.ln(mm * self.k)

    def check(self, side: str):
        """A card has one box per side: text that runs off it is an error, not a second page."""
        if self.pdf.get_y() > self.y + self.h - 3:
            raise ValueError(f"the pocket card's {side} is too full for {self.w:g} × {self.h:g} mm: shorten "
                             "data/takeaways.csv or contacts' 'when' text")


def _front(pdf: CoursePDF, law: Law, x: float, y: float, w: float, h: float):
    text = facts.card_text(law)
    box = _Box(pdf, x, y, w, h)
    box.text(text.title, 11.5, "B", line=5.2)
    box.ln(1.5)
    box.heading("What to do now")
    box.items(text.do_now, 8.2, numbered=True)
    signs = len(text.signs)
    box.heading(f"{NUMBER_WORDS.get(signs, str(signs))} sign{'s' if signs != 1 else ''} to act on")
    box.items(text.signs, 8.2)
    box.check("front")


def _back(pdf: CoursePDF, law: Law, x: float, y: float, w: float, h: float):
    course = facts.course(law)
    box = _Box(pdf, x, y, w, h)
    box.heading("Whom to call", size=11, before=0)
    for c in facts.card_contacts(law):
        box.text(c.name, 8.0, "B", line=3.6)
        if c.confirmed:
            box.text(facts.phone_text(c), 10.5, "B", line=4.8)
        else:
            box.text(facts.phone_text(c)[0].upper() + facts.phone_text(c)[1:] + ".", 6.6, "I", line=3.0)
        box.text(c.when, 6.6, line=3.0)
        box.ln(1.3)
    box.ln(0.6)
    box.text("Your agency's designated contact:", 7.2, "B", line=3.4)
    pdf.ln(5.5 * box.k)
    pdf.set_draw_color(0, 0, 0)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    box.ln(1.8)
    box.text(DISCLAIMER, 6.6, "B", line=3.0)
    box.ln(0.6)
    box.text(f"Reflects the law as reviewed on {course.law_date_text}. {course.title}, version {course.version}.",
             6.3, line=2.9)
    box.check("back")


def _crop_marks(pdf: CoursePDF, x0: float, y0: float, w: float, h: float, gap: float = 2, length: float = 7):
    """Short lines outside the grid, in line with every cut."""
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    xs, ys = [x0 + i * w for i in range(3)], [y0 + i * h for i in range(3)]
    for x in xs:
        pdf.line(x, y0 - gap - length, x, y0 - gap)
        pdf.line(x, ys[-1] + gap, x, ys[-1] + gap + length)
    for y in ys:
        pdf.line(x0 - gap - length, y, x0 - gap, y)
        pdf.line(xs[-1] + gap, y, xs[-1] + gap + length, y)
