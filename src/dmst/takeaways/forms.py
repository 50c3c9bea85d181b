"""The session's paper: sign-in sheet, knowledge check (with its answer key kept apart and a CSV for
the room's scores) and evaluation form. US Letter, black and white, made from the modules and data.

The knowledge check asks ten of the modules' own "Check your understanding" questions: ones
that stand on paper (not about a table, chart, tool or case on the screen, not about working the
notebooks, not a personal reflection) and that rest on the course data (the question's section
cites a provision, or its answer names a contact, and every number its answer states is in what
the data says of them), taken in turn from each module after 00 (which is about the course
itself), printed in course order. The key gives the module's own answer (without pointers to the
notebook, such as "the helper in section 4") and the provisions and contacts it rests on. The same sheet is used before and after the
session; participants write a number the instructor gives them, not their name, so the two can
be paired in `knowledge-check-scores.csv`.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from fpdf.enums import XPos, YPos

from .. import DISCLAIMER
from ..law import Law
from . import facts
from .modules import Module, plain
from .pdf import FONT, GREY, CoursePDF
from .wording import for_room, is_instruction, links_as_text, sentences

QUESTIONS = 10
SCORE_ROWS = 40
SIGN_IN_ROWS = 16
# A question that needs the screen: it points at something shown, or asks the reader to work a tool.
ON_SCREEN = re.compile(r"\b(?:the|this|that) (?:table|chart|explorer|helper|simulator|panel|result|timeline|row|column|"
                       r"card|cell|list)s?\b|\b(?:load|open|tick|build|compare|set|read)\b|\babove\b|\bbelow\b"
                       r"|^\W*In \"[^\"]+\"|\ba (?:row|column)\b|\b(?:which|the) cases\b", re.I)
# A sentence of an answer that points into the notebook rather than stating the answer.
POINTER = re.compile(r"\b(?:the|this|that) (?:table|chart|explorer|helper|simulator|panel)\b|\bsections? \d|^\W*Open\b|\b(?:row|timeline)\b",
                     re.I)
PERSONAL = re.compile(r"no single right answer", re.I)


@dataclass(frozen=True)
class Question:
    module: Module
    section: str
    question: str          # markdown
    answer: str            # markdown
    provisions: tuple[str, ...] = ()     # the provision ids it rests on
    contacts: tuple[str, ...] = ()       # the contact ids it rests on


def knowledge_check_questions(modules: list[Module], law: Law, count: int = QUESTIONS) -> list[Question]:
    pools = []
    for m in modules:
        if m.number == "00":
            continue
        pool = [_question(m, s, c.question, c.answer, law) for s in m.sections for c in s.checks
                if not is_instruction(c.question) and not ON_SCREEN.search(c.question) and not PERSONAL.search(c.answer)]
        pools.append([q for q in pool if q.question and q.answer and rests_on_the_data(q, law)])
    chosen: list[Question] = []
    while len(chosen) < count and any(pools):
        for pool in pools:
            if pool and len(chosen) < count:
                chosen.append(pool.pop(0))
    order = {id(q): (q.module.number, int(q.section)) for q in chosen}
    return sorted(chosen, key=lambda q: order[id(q)])


def _question(module: Module, section, question: str, answer: str, law: Law) -> Question:
    answer = re.sub(r"\s*\(see [^)]*\)", "", links_as_text(answer))
    answer = " ".join(s for s in sentences(answer) if not POINTER.search(s))
    text = f"{question}\n{answer}"
    contacts = [c.id for c in law.contacts.values() if facts.names_in(c, law, text)]
    pids = facts.provisions_cited(text, law) or (
        [] if contacts else facts.closest(text, facts.provisions_cited(facts.section_text(section), law), law))
    return Question(module, section.number, _unbold(for_room(question)), answer, tuple(pids), tuple(contacts))


def rests_on_the_data(q: Question, law: Law) -> bool:
    """Whether the question cites a provision or a contact of the data, and every number its answer
    states is in what the data says of them (an answer the data does not bear out is not asked)."""
    said = facts.data_text(q.provisions, [law.contacts[c] for c in q.contacts], law)
    return bool(q.provisions or q.contacts) and facts.numbers(q.answer) <= facts.numbers(said)


def _unbold(markdown: str) -> str:
    """A question set in bold as a whole, without the bold (the sheet sets every question alike)."""
    whole = re.fullmatch(r"\*\*(.+)\*\*", markdown.strip(), re.S)
    return whole.group(1).strip() if whole and "**" not in whole.group(1) else markdown


def _letter(law: Law, title: str, landscape: bool = False) -> CoursePDF:
    course = facts.course(law)
    pdf = CoursePDF(page_format="Letter", title=title, subject=course.title, made_on=course.law_date,
                    footer_text=f"{title} · law as reviewed on {course.law_date_text}")
    if landscape:
        pdf.add_page(orientation="L")
    else:
        pdf.add_page()
    return pdf


def _title(pdf: CoursePDF, law: Law, title: str, subtitle: str = ""):
    course = facts.course(law)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 4, f"{course.title} · version {course.version}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 7.5, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if subtitle:
        pdf.ln(1)
        pdf.paragraph(subtitle, size=9.5)


def _blank(pdf: CoursePDF, label: str, width: float, size: float = 10):
    """A label and a line to write on, `width` mm in all."""
    pdf.set_font(FONT, "B", size)
    w = pdf.get_string_width(label) + 2
    x, y = pdf.get_x(), pdf.get_y()
    pdf.cell(w, 7, label)
    pdf.set_draw_color(0, 0, 0)
    pdf.line(x + w, y + 6, x + width - 4, y + 6)
    pdf.set_xy(x + width, y)


def _lines(pdf: CoursePDF, n: int, gap: float = 8, after: float = 3):
    pdf.set_draw_color(120, 120, 120)
    for _ in range(n):
        pdf.ln(gap)
        pdf.line(pdf.l_margin + 6, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(after)


def _box(pdf: CoursePDF, label: str, size: float = 10):
    pdf.set_font(FONT, "", size)
    x, y = pdf.get_x(), pdf.get_y()
    pdf.set_draw_color(0, 0, 0)
    pdf.rect(x, y + 1.2, 4, 4)
    pdf.set_xy(x + 5.5, y)
    pdf.cell(pdf.get_string_width(label) + 8, 7, label)


def build_sign_in_sheet(law: Law, out: Path) -> Path:
    course = facts.course(law)
    pdf = _letter(law, "Sign-in sheet", landscape=True)
    _title(pdf, law, "Sign-in sheet", f"**{course.title}**. The course reflects the law as reviewed on "
                                       f"{course.law_date_text}.")
    for label, width in (("Date:", 65), ("Place:", 90), ("Instructor:", pdf.epw - 155)):
        _blank(pdf, label, width)
    pdf.ln(11)
    columns = (("", 10), ("Name", 72), ("Agency", 66), ("Role", 44), ("Signature", pdf.epw - 192))
    pdf.set_font(FONT, "B", 10)
    pdf.set_fill_color(230, 230, 230)
    for name, width in columns:
        pdf.cell(width, 8, name, border=1, fill=True)
    pdf.ln()
    pdf.set_font(FONT, "", 9)
    for n in range(1, SIGN_IN_ROWS + 1):
        for i, (_, width) in enumerate(columns):
            pdf.cell(width, 8.2, str(n) if i == 0 else "", border=1, align="C" if i == 0 else "L")
        pdf.ln()
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def build_knowledge_check(questions: list[Question], law: Law, sheet: Path, key: Path) -> tuple[Path, Path]:
    """The sheet (questions with room to answer) and, in a file of its own, the answer key."""
    course = facts.course(law)
    pdf = _letter(law, "Knowledge check")
    _title(pdf, law, "Knowledge check", f"{len(questions)} short questions from the course. Write a few words for "
                                         "each. It checks the session, not you: your number, not your name.")
    _blank(pdf, "Your number:", 55)
    _box(pdf, "before the session")
    _box(pdf, "after the session")
    pdf.ln(9)
    for n, q in enumerate(questions, start=1):
        pdf.room_for(17)
        pdf.paragraph(f"**{n}.** {q.question}", size=10, after=0)
        _lines(pdf, 2, gap=6, after=2)
    _save(pdf, sheet)

    pdf = _letter(law, "Knowledge check: answer key")
    _title(pdf, law, "Knowledge check: answer key",
           "For the instructor: keep it apart from the sheets. Mark each answer 1 if it has the idea of the answer "
           "below, else 0; a score is out of " f"{len(questions)}. Then put the scores in the kit's score sheet.")
    for n, q in enumerate(questions, start=1):
        pdf.room_for(24)
        pdf.paragraph(f"**{n}.** {q.question}", size=10, after=0.8)
        pdf.paragraph(q.answer, size=9.5, indent=6, after=0.5)
        pdf.set_font(FONT, "I", 8.5)
        pdf.set_text_color(*GREY)
        pdf.set_x(pdf.l_margin + 6)
        pdf.cell(0, 4, f"Module {q.module.number} · {plain(q.module.short_title)}, section {q.section}",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(pdf.l_margin + 6)
        pdf.multi_cell(0, 4, f"From the course data: {grounds(q, law)}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(3)
    pdf.paragraph(f"**{DISCLAIMER}** {course.title}: law as reviewed on {course.law_date_text}.", size=8.5)
    _save(pdf, key)
    return sheet, key


def grounds(q: Question, law: Law) -> str:
    """The provisions (by citation) and contacts (by name) a question rests on, as the key prints them."""
    cited = [law.first(pid).citation.split(' ("')[0] for pid in q.provisions]
    return "; ".join(dict.fromkeys(cited + [law.contacts[c].name for c in q.contacts]))


def write_scores_sheet(out: Path) -> Path:
    """The room's scores, to fill in: one row per participant number, before and after (each out of
    the number of questions; empty when a sheet is missing)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["participant", "before", "after"])
        writer.writerows([n, "", ""] for n in range(1, SCORE_ROWS + 1))
    return out


def build_evaluation_form(law: Law, out: Path) -> Path:
    course = facts.course(law)
    pdf = _letter(law, "Evaluation form")
    _title(pdf, law, "Evaluation form", f"**{course.title}**. No names: thank you for your honest answers.")
    _blank(pdf, "Date:", 60)
    _blank(pdf, "Your role (optional):", pdf.epw - 60)
    pdf.ln(12)
    pdf.heading("1. What was most useful to you?", 12)
    _lines(pdf, 3)
    pdf.heading("2. What was unclear, or what would you change?", 12)
    _lines(pdf, 3)
    pdf.heading("3. How confident do you feel to act?", 12)
    pdf.paragraph("If you met a child or youth who may be trafficked: would you know what to do, and whom to call? "
                  "Circle one number on each line: 1 = not at all confident, 5 = very confident.", size=9.5)
    for when in ("Before this session", "Now, after it"):
        pdf.set_font(FONT, "B", 10)
        pdf.cell(55, 9, when)
        pdf.set_font(FONT, "", 11)
        for n in range(1, 6):
            pdf.cell(18, 9, str(n), align="C", border=1)
            pdf.cell(4, 9, "")
        pdf.ln(11)
    pdf.heading("4. Was the session the right length, and the pace right?", 12)
    for label in ("too short", "about right", "too long"):
        _box(pdf, label)
    pdf.ln(10)
    pdf.heading("5. Anything else you want to tell us?", 12)
    _lines(pdf, 3)
    pdf.paragraph(f"**{DISCLAIMER}**", size=8.5)
    _save(pdf, out)
    return out


def _save(pdf: CoursePDF, out: Path):
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
