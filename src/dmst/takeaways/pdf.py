"""The take-aways' shared PDF look: fonts, metadata, footer with page numbers, text helpers.

fpdf2 writes the PDF in pure Python. The font is DejaVu Sans, which matplotlib (already a
course requirement) ships, so every glyph the course uses (§, ·, —, ×, →) prints on a fresh
machine without system fonts, and is embedded with a Unicode map so the text can be read
back (and by screen readers). Everything is black on white with grey rules: nothing carries
meaning in colour, so a black-and-white printout loses nothing.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .modules import inline_tokens

FONT = "DejaVu"
GREY = (90, 90, 90)
RULE = (150, 150, 150)
_MARKERS = ("**", "__", "~~", "--")


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class CoursePDF(FPDF):
    """An FPDF with the course fonts, document metadata and an optional footer line that
    ends with "page N of M"."""

    def __init__(self, *, page_format, title: str, subject: str, made_on: date, footer_text: str = "",
                 margin: float = 18):
        super().__init__(unit="mm", format=page_format)
        fonts = _font_dir()
        for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"),
                            ("I", "DejaVuSans-Oblique.ttf"), ("BI", "DejaVuSans-BoldOblique.ttf")):
            self.add_font(FONT, style, str(fonts / name))
        self.set_font(FONT, size=10)
        self.set_lang("en-US")
        self.set_title(title)
        self.set_subject(subject)
        self.set_author("dmst course")
        self.set_creator("dmst take-aways (make handouts)")
        # A fixed date (the date of the law), so the same data makes the same file.
        self.set_creation_date(datetime(made_on.year, made_on.month, made_on.day, tzinfo=timezone.utc))
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(True, margin=margin + 4)
        self.footer_text = footer_text
        self.set_text_color(0, 0, 0)

    def footer(self):
        if not self.footer_text:
            return
        y = self.h - self.b_margin + 6
        self.set_draw_color(*RULE)
        self.line(self.l_margin, y - 1.5, self.w - self.r_margin, y - 1.5)
        self.set_xy(self.l_margin, y)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 4, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # --- text -------------------------------------------------------------------------------

    def heading(self, text: str, size: float = 14, space_before: float = 4):
        """A bold heading kept with at least a few lines of what follows it."""
        if self.get_y() + 22 > self.page_break_trigger:
            self.add_page()
        else:
            self.ln(space_before)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, markdown: str, size: float = 10, style: str = "", indent: float = 0, after: float = 1.5):
        self.set_font(FONT, style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, size * 0.48, pdf_markup(markdown), markdown=True, align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(after)

    def items(self, markdowns, size: float = 10, numbered: bool = False, indent: float = 6):
        """A list: a number or a bullet in the margin, each item wrapped beside it."""
        for n, md in enumerate(markdowns, start=1):
            self.set_font(FONT, "", size)
            y = self.get_y()
            if y + size * 0.5 > self.page_break_trigger:
                self.add_page()
                y = self.get_y()
            self.set_xy(self.l_margin, y)
            self.cell(indent, size * 0.48, f"{n}." if numbered else "•", align="L")
            self.set_xy(self.l_margin + indent, y)
            self.multi_cell(self.epw - indent, size * 0.48, pdf_markup(md), markdown=True, align="L",
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(1.2)

    def room_for(self, height: float):
        """Start a new page unless `height` mm fit on this one (to keep a short block whole)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def rule(self, gap: float = 2):
        self.ln(gap)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(gap)


def markup_escape(text: str) -> str:
    """Plain text made safe for fpdf2's markdown mode (its markers are escaped)."""
    text = text.replace("\\", "\\\\")
    for marker in _MARKERS:
        text = text.replace(marker, "\\" + marker)
    return text


def pdf_markup(markdown: str) -> str:
    """Inline markdown in fpdf2's own mark-up: **bold**, __italic__; code and links as text."""
    return _markup(inline_tokens(markdown))


def _markup(tokens: list[dict]) -> str:
    out = []
    for t in tokens:
        kind = t["type"]
        if kind in ("softbreak", "linebreak"):
            out.append(" ")
        elif kind == "strong":
            out.append(f"**{_markup(t['children'])}**")
        elif kind == "emphasis":
            out.append(f"__{_markup(t['children'])}__")
        elif kind == "inline_html":
            continue
        elif "children" in t:
            out.append(_markup(t["children"]))
        else:
            out.append(markup_escape(t.get("raw", "")))
    return "".join(out)
