"""The kit's front page (handouts/index.html): every piece `make handouts` made, when to use it,
and how to open the simulator kiosk. It links only files that are in the kit."""
from __future__ import annotations

from html import escape
from pathlib import Path

from ..law import Law
from . import facts
from .guide import Guide, Plan
from .modules import Module, html
from .wording import links_as_text

# Where the kiosk is inside a running JupyterLab (Voila's server extension), after its base URL.
KIOSK_IN_JUPYTERLAB = "voila/render/notebooks/simulator-kiosk.ipynb"

PIECES = [
    ("sign-in-sheet.pdf", "Sign-in sheet", "Pass it round as people arrive: name, agency, role, signature."),
    ("knowledge-check.pdf", "Knowledge check",
     "Ten short questions from the modules. Before you start and again at the end; each person writes the same "
     "number on both, not a name."),
    ("knowledge-check-answer-key.pdf", "Knowledge check: answer key", "For you only: mark each answer 1 or 0."),
    ("knowledge-check-scores.csv", "Knowledge check: scores",
     "Type each number's before and after score into it (a spreadsheet opens it); keep it with your records."),
    ("pocket-card-letter-4up.pdf", "Pocket card, four to a US Letter sheet",
     "Print both pages on one sheet (double-sided, at 100%), cut on the marks, hand one to everyone at the end. "
     "Write your agency's designated contact on the blank line."),
    ("pocket-card.pdf", "Pocket card, one A6 card", "The same card on its own (front, then back)."),
    ("evaluation-form.pdf", "Evaluation form", "At the end, before people leave."),
]


def write_index(out: Path, law: Law, modules: list[Module], sessions: list[tuple[Plan, Path]], made: list[Path],
                guide: Guide) -> Path:
    course = facts.course(law)
    present = {p.relative_to(out).as_posix() for p in made}

    def link(target: str, text: str) -> str:
        if target.split("#")[0] not in present:
            raise ValueError(f"the kit's index would link {target}, which make handouts did not make")
        return f"<a href=\"{escape(target)}\">{escape(text)}</a>"

    session_rows = "".join(
        f"<tr><td>{link(path.relative_to(out).as_posix(), plan.name[0].upper() + plan.name[1:])}</td>"
        f"<td>{plan.minutes} minutes, {len(plan.rows)} parts, in the order of the instructor guide's plan; the "
        f"times are in the speaker notes.</td></tr>" for plan, path in sessions)
    piece_rows = "".join(f"<tr><td>{link(name, title)}</td><td>{escape(when)}</td></tr>" for name, title, when in PIECES)
    module_rows = "".join(
        f"<tr><td>{escape(m.title)}</td><td>{link(f'slides/{m.slug}.html', 'slides')}</td>"
        f"<td>{link(f'handout-{m.slug}.pdf', 'handout (PDF)')}</td></tr>" for m in modules)
    simulator = html(links_as_text(guide.simulator)) if guide.simulator else ""
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Session kit: {escape(course.title)}</title>
<style>body{{font-family:"DejaVu Sans",Verdana,sans-serif;max-width:62em;margin:2em auto;line-height:1.5;padding:0 1em}}
table{{border-collapse:collapse;margin:.5em 0 1.5em}}td,th{{border:1px solid #767676;padding:.3em .6em;text-align:left;vertical-align:top}}
code{{background:#f2f2f2;padding:0 .2em}}</style></head>
<body><h1>Session kit: {escape(course.title)}</h1>
<p>Version {escape(course.version)}; the law as reviewed on {escape(course.law_date_text)}. Everything here is made
by <code>make handouts</code> from the course's modules, its instructor guide and its data: run it again after
any of them changes. Print PDFs at actual size (100%).</p>
<h2>Slides for a session</h2>
<p>Open a deck in a browser and project it. <strong>→</strong> or Space next, <strong>←</strong> back;
<strong>S</strong> opens the speaker window (notes, timing, the answers), which stays on your screen.</p>
<table><thead><tr><th scope="col">Deck</th><th scope="col">What it is</th></tr></thead><tbody>{session_rows}</tbody></table>
<h2>To print</h2>
<table><thead><tr><th scope="col">Piece</th><th scope="col">When to use it</th></tr></thead><tbody>{piece_rows}</tbody></table>
<h2>Each module</h2>
<p>Give out the handouts of the modules your session covers; use a module's slides to teach it on its own.</p>
<table><thead><tr><th scope="col">Module</th><th scope="col">For the instructor</th><th scope="col">For participants</th></tr></thead>
<tbody>{module_rows}</tbody></table>
<h2 id="simulator">The simulator kiosk</h2>
<p>The scenario simulator without code, for projecting (module 06's slides come here). Where it is in a
running JupyterLab: <code>{escape(KIOSK_IN_JUPYTERLAB)}</code> after the server's address. From the instructor
guide, section 6:</p>
{simulator}
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
