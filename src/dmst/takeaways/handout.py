"""A participant handout for one module (US Letter PDF), made from its notebook and the data.

Objectives, key points and what's next come from the notebook, as a room reads them (learner
instructions and file names out: wording.py); the brochure-vs-statute corrections, contacts and
glossary terms from data/ (see facts.py for which a module uses: every contact the module names,
its key points included). A number is printed only when the data confirms it; otherwise the
office's official page and "number not confirmed". Black and white: labels in words and bold,
grey rules, no colour. Every page has the module, the date of the law and "page N of M".
"""
from __future__ import annotations

from pathlib import Path

from .. import DISCLAIMER
from ..law import Law
from . import facts
from .modules import Module, md_escape as esc
from .pdf import FONT, GREY, CoursePDF
from .wording import for_room

LETTER = "Letter"


def build_handout(module: Module, law: Law, out: Path) -> Path:
    course = facts.course(law)
    brochure_year = law.presets["brochure"].year
    pdf = CoursePDF(page_format=LETTER, title=f"Handout: {module.title}", subject=course.title,
                    made_on=course.law_date,
                    footer_text=f"Module {module.number} · {module.short_title} · law as reviewed on "
                                f"{course.law_date_text} · training, not legal advice")
    pdf.add_page()
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 4, f"Participant handout · {course.title} · version {course.version}")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(7)
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 7.5, module.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    who = for_room(module.who) if module.who else ""
    if who:
        pdf.paragraph(f"**Who it is for:** {who}", size=9.5)
    details = [f"**Time:** about {module.minutes} minutes" if module.minutes else "",
               f"**Law as reviewed on:** {course.law_date_text}"]
    pdf.paragraph(" · ".join(d for d in details if d), size=9.5)
    pdf.rule()

    objectives = [o for o in map(for_room, module.objectives) if o]
    if objectives:
        pdf.heading("What you will be able to do", 13)
        pdf.items(objectives, numbered=True)
    points = [k for k in map(for_room, module.key_points) if k]
    if points:
        pdf.heading("Key points", 13)
        pdf.items(points)

    fixes = facts.corrections(facts.provisions_taught(module, law), law)
    if fixes:
        pdf.heading("What the brochure said, and what the statute says", 13)
        pdf.paragraph(f"The course is built on a Connecticut brochure from about {brochure_year}. "
                      "Where the brochure and the statute differ, this is what the course data records:", size=9.5)
        for fix in fixes:
            _correction(pdf, fix, brochure_year)
            pdf.ln(1.5)

    contacts = facts.contacts_used(module, law)
    if contacts:
        pdf.heading("Whom to call", 13)
        for c in contacts:
            pdf.paragraph(f"**{esc(c.name)}:** {esc(facts.phone_text(c))}. {esc(c.when)}", size=9.5, after=1)

    terms = facts.terms_used(module, law)
    if terms:
        pdf.heading("Words used in this module", 13)
        for t in terms:
            instead = f" *Say instead:* {esc(t.say_instead)}." if t.say_instead else ""
            pdf.room_for(14)  # a definition is not split across pages
            pdf.paragraph(f"**{esc(t.term)}:** {esc(t.definition)}{instead}", size=9.5, after=1)

    whats_next = for_room(module.whats_next) if module.whats_next else ""
    if whats_next:
        pdf.heading("What's next", 13)
        pdf.paragraph(whats_next, size=9.5)

    pdf.room_for(16)
    pdf.rule(3)
    pdf.paragraph(f"**{esc(DISCLAIMER)}** The course data was last reviewed on {course.law_date_text}.", size=8.5)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def _correction(pdf: CoursePDF, fix: facts.Correction, brochure_year: int):
    """One provision's correction. Its heading and the brochure's words stay together; the rest may
    run on to the next page, so a long correction does not leave half a page empty."""
    says = (f"“{esc(fix.brochure_says)}”" if fix.brochure_says else "The brochure does not mention this provision.")
    with pdf.unbreakable() as doc:
        doc.paragraph(f"**{esc(fix.citation)}**: {esc(fix.title)}", size=10, after=0.8)
        doc.paragraph(f"**The brochure (about {brochure_year}) says:** {says}", size=9, indent=4, after=0.8)
    pdf.paragraph(f"**Where the statute differs** (as of {facts.human_date(fix.as_of)}): {esc(fix.differs)}",
                  size=9, indent=4, after=0.8)
    pdf.paragraph(f"**How sure the course is:** {fix.confidence_text}.", size=9, indent=4, after=1.5)
