"""`make handouts` (`python -m dmst.takeaways`): build the session kit from the notebooks, the
instructor guide and data/.

Writes, into the output folder (default `handouts/`, not committed):

    index.html                         the kit: every piece, when to use it, how to open the simulator
    slides/<plan>-session.html         a deck per session plan of the guide (90-minute, 3-hour)
    slides/NN-<module>.html            a deck per module
    handout-NN-<module>.pdf            a participant handout per module
    pocket-card.pdf                    the card, A6, two sides
    pocket-card-letter-4up.pdf         four cards on US Letter, both sides, crop marks
    sign-in-sheet.pdf                  course, date, law date; name, agency, role, signature
    knowledge-check.pdf                ten questions from the modules' "Check your understanding"
    knowledge-check-answer-key.pdf     their answers, kept apart
    knowledge-check-scores.csv         the room's before and after scores, to fill in
    evaluation-form.pdf                useful, unclear, confidence to act before and after

Files this command made before and would not make now (a renamed module) are removed, so the
folder always matches the course. Run it again after any change to data/, notebooks/ or the guide.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..law import Law, LawDataError, load_law
from . import facts
from .card import build_card, build_card_sheet
from .forms import (build_evaluation_form, build_knowledge_check, build_sign_in_sheet, knowledge_check_questions,
                    write_scores_sheet)
from .guide import read_guide
from .handout import build_handout
from .index import write_index
from .modules import module_paths, read_module
from .slides import module_slides, session_slides, write_deck

ROOT = Path(__file__).resolve().parents[3]
CARD = "pocket-card.pdf"
CARD_SHEET = "pocket-card-letter-4up.pdf"


def build_all(out: Path, law: Law | None = None, root: Path = ROOT) -> list[Path]:
    law = law or load_law()
    out = Path(out)
    modules = [read_module(p, rewrite=lambda md: facts.cite_ids(md, law)) for p in module_paths(root / "notebooks")]
    if not modules:
        raise ValueError(f"no course modules (NN-*.ipynb) in {root / 'notebooks'}")
    guide = read_guide(root / "notebooks" / "instructor-guide.ipynb")
    if not guide.plans:
        raise ValueError("the instructor guide has no session plan (a table Clock | Module | Sections | What | "
                         "Minutes under a '### … session' heading)")
    course = facts.course(law)
    slugs = {m.slug for m in modules}
    decks = {m.number: module_slides(m, law, guide, slugs) for m in modules}
    by_number = {m.number: m for m in modules}
    made = [build_card(law, out / CARD), build_card_sheet(law, out / CARD_SHEET)]
    sessions = []
    for plan in guide.plans:
        path = out / "slides" / f"{plan.slug}.html"
        made.append(write_deck(session_slides(plan, by_number, decks, law, guide),
                               f"Slides: {plan.name}, {course.title}", f"{course.title} · {plan.name}", path))
        sessions.append((plan, path))
    for m in modules:
        made.append(write_deck(decks[m.number], f"Slides: {m.title}", f"{course.title} · module {m.number}",
                               out / "slides" / f"{m.slug}.html"))
        made.append(build_handout(m, law, out / f"handout-{m.slug}.pdf"))
    questions = knowledge_check_questions(modules, law)
    made += [build_sign_in_sheet(law, out / "sign-in-sheet.pdf"),
             *build_knowledge_check(questions, law, out / "knowledge-check.pdf", out / "knowledge-check-answer-key.pdf"),
             write_scores_sheet(out / "knowledge-check-scores.csv"),
             build_evaluation_form(law, out / "evaluation-form.pdf")]
    made.append(write_index(out, law, modules, sessions, made, guide))
    for stale in [*out.glob("*.pdf"), *out.glob("*.csv"), *(out / "slides").glob("*.html")]:
        if stale not in made:
            stale.unlink()
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dmst.takeaways",
                                     description="Build the session kit: slides, handouts, pocket cards and forms.")
    parser.add_argument("--out", default=str(ROOT / "handouts"), help="output folder (default: handouts/)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        made = build_all(Path(args.out))
    except (LawDataError, ValueError) as exc:
        print(f"make handouts: {exc}", file=sys.stderr)
        return 2
    decks = sum(p.parent.name == "slides" for p in made)
    print(f"wrote {len(made)} files to {args.out} in {time.perf_counter() - started:.1f} s: {decks} slide decks, "
          f"{sum(p.name.startswith('handout-') for p in made)} handouts, the pocket cards and the session forms "
          f"(open {Path(args.out) / 'index.html'})")
    return 0
