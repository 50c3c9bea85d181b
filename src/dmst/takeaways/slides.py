"""Slides for instructors: one self-contained HTML file per module and one per session plan of the
instructor guide (styles and script inline, no network, pictures embedded).

A module's slides carry what the module shows, section by section: its opening paragraph, every
table, chart and result the module shows (its own outputs, cleaned: htmlparts.py), its lists and
tables, each with the sentence that leads into it, and its "Check your understanding" questions.
Learner instructions ("Run the cell", file names) are left out (wording.py). The rest of the
module's prose, the answers, the guide's instructor notes, prompts' notes and session timings
are speaker notes. The discussion prompt comes before the sections (asked before the slides that
answer it); the key points and whom to call come last. A section that
is only about working the notebooks (00's "Using JupyterLab") has no slides; a widget becomes a
"live" slide; the simulator, a slide pointing to the kiosk (described in the kit's index page).

A session deck follows its plan's rows in order: the modules' slides for the sections the row
names, as many as the row's minutes allow (MINUTES_PER_SLIDE; the rest stay in the module decks;
a question only with its whole section: `_fit`), with the row's minutes, not the module's; after
the simulator's prediction prompt, the switch to the kiosk (and no library case's result); a
slide for each break and for the kit's pieces (knowledge check, evaluation, the card's
take-aways), with the row's clock and minutes in every slide's notes.

Keys: → / Space / PageDown next, ← / PageUp back, Home / End. S (or N) opens the speaker window:
the notes, the plan's timing, the time since the start and the next slide; it follows the slides
and takes the same keys. Speaker notes are never shown on the projected page. Each slide's text
is shrunk, if need be, until it fits the screen. Without script every slide is shown one after
the other; printing gives one slide per page, without notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

import mistune

from .. import DISCLAIMER
from ..law import Law
from . import facts, htmlparts, wording
from .guide import Guide, Plan, PlanRow
from .modules import Module, Part, Section, html, plain, _inline_markdown, _item_inlines

MINUTES_PER_SLIDE = 1.5  # a session deck's pace: a row of its plan shows no more slides than its minutes allow
BUDGET = 22.0          # lines of full-size text a slide is filled with (the page shrinks text to fit)
PICTURE_ASPECT = 0.5   # a chart taller than this (height / width) is shown in bands, each at full width
KIT_SIMULATOR = "../index.html#simulator"
_PARSE = mistune.create_markdown(renderer=None, plugins=["table"])


@dataclass(frozen=True)
class Slide:
    title: str
    body: str                      # HTML
    notes: str = ""                # HTML, for the speaker window only
    cls: str = ""
    section: str | None = None     # the module section it belongs to
    kind: str = "content"          # title, support, objectives, section, checks, live, prompt, key-points, calls, kit
    module: str | None = None      # the module it comes from
    joined: bool = False           # carries on the previous slide's table, list or comparison: kept with it
    reveals: bool = False          # shows a simulator result for a library case (a session uses the kiosk)


@dataclass
class _Piece:
    kind: str                      # "para" (until placed), "lead" (kept with what follows), "show", "say" (notes)
    html: str
    weight: float = 0.0
    live: bool = False
    notes: str = ""                # notes that go with it
    new: bool = False              # starts a slide of its own (the second piece of a table, …)
    picture: bool = False          # a chart: alone on its slide, as large as the slide allows
    joined: bool = False           # carries on the piece before it (a table's next rows, a comparison's other half)
    reveals: bool = False          # a simulator result for a library case


def uses_simulator(module: Module) -> bool:
    return any(re.search(r"\bSimulator\s*\(", source) for _, source, _ in module.code)


# --- a module's slides ------------------------------------------------------------------------

def module_slides(module: Module, law: Law, guide: Guide, decks: set[str]) -> list[Slide]:
    """Every slide of the module, in order. `decks`: the module slugs that have slides (links to
    another module go to its slides)."""
    course = facts.course(law)
    room = _room(decks)
    slides: list[Slide] = []
    who = room(module.who) if module.who else ""
    meta = [f"<p><strong>For:</strong> {_inline(who)}</p>" if who else "",
            f"<p>About {module.minutes} minutes · law as reviewed on {escape(course.law_date_text)}</p>"
            if module.minutes else f"<p>Law as reviewed on {escape(course.law_date_text)}</p>",
            f"<p class=\"small\"><strong>{escape(DISCLAIMER)}</strong></p>"]
    plan = "".join(f"<li>{escape(p)}</li>" for p in guide.plan_lines(module.number))
    skipped = [s for s in module.sections if not _section_shows(s, room)]
    title_notes = ((f"<p>In the session plans:</p><ul>{plan}</ul>" if plan else "")
                   + _guide_notes(guide, module.number, None)
                   + "".join(f"<p>Section {s.number}, {escape(s.title)}, is about working the course in JupyterLab: "
                             "it has no slides. Show it live if the room will use the notebooks.</p>"
                             + _guide_notes(guide, module.number, s.number) for s in skipped))
    slides.append(Slide(module.title, "".join(meta), title_notes, "title", kind="title"))
    slides.append(_support(module))
    if module.objectives:
        items = [room(o) for o in module.objectives]
        slides.append(Slide("By the end you will be able to",
                            "<ol>" + "".join(f"<li>{_inline(o)}</li>" for o in items if o) + "</ol>", kind="objectives"))
    prompt = guide.prompts.get(module.number)
    if prompt:      # asked before the slides that answer it
        slides.append(Slide("Discussion", f"<blockquote>{_inline(prompt.prompt)}</blockquote>",
                            "<p>Ask it now, before the slides that answer it; come back to it at the end of the "
                            "module.</p><p>What to listen for (do not read this out): "
                            f"{_inline(wording.for_notes(prompt.notes))}</p>", kind="prompt"))
    for s in module.sections:
        if s not in skipped:
            slides.extend(_section_slides(module, s, room, guide))
    points = [p for p in (room(k) for k in module.key_points) if p]
    if points:
        whats_next = room(module.whats_next) if module.whats_next else ""
        for n, chunk in enumerate(_chunks(points, BUDGET - 2)):
            slides.append(Slide("Key points" + (" (continued)" if n else ""),
                                "<ul>" + "".join(f"<li>{_inline(k)}</li>" for k in chunk) + "</ul>",
                                f"<p>What's next: {_inline(whats_next)}</p>" if whats_next else "", kind="key-points"))
    slides.extend(calls_slides(law))
    return [replace(s, module=module.number) for s in slides]


def _room(decks: set[str]):
    def link(slug: str, text: str) -> str:
        return f"[{text}]({slug}.html)" if slug in decks else text
    return lambda md: wording.for_slide(wording.for_room(md, link))


def _section_shows(section: Section, room) -> bool:
    """Whether anything of the section is left for a room once learner instructions are out:
    some text, a table or a chart (an interactive tool alone is not enough)."""
    for part in section.parts:
        if part.kind == "output":
            return True
        if part.kind == "markdown" and any(p.kind in ("para", "show") for p in _markdown_pieces(part.text, room)):
            return True
    return False


@dataclass
class _Draft:
    body: str = ""
    weight: float = 0.0
    notes: str = ""
    live: bool = False
    picture: bool = False
    shows: bool = False            # holds more than the section's minutes
    joined: bool = False
    reveals: bool = False


def _section_slides(module: Module, section: Section, room, guide: Guide) -> list[Slide]:
    title = f"{section.number}. {section.title}"
    pieces = _pieces(module, section, room, guide)
    # The first paragraph opens the section; a paragraph before something shown leads into it;
    # other prose goes to the notes.
    first_text = next((i for i, p in enumerate(pieces) if p.kind in ("lead", "show", "para")), None)
    for i, p in enumerate(pieces):
        if p.kind == "para":
            following = next((q for q in pieces[i + 1:] if q.kind != "say"), None)
            p.kind = "lead" if (following and following.kind in ("show", "lead")) else ("show" if i == first_text else "say")
    drafts = [_Draft(f"<p class=\"minutes\">{section.minutes} minutes</p>" if section.minutes else "", 1.2,
                     _guide_notes(guide, module.number, section.number))]
    # A section that only shows a tool (an explorer) is a live demonstration from start to end: its
    # text is about the tool, so it is packed as it comes and every slide of it is marked live.
    demo = any(p.kind == "live" for p in section.parts) and not any(p.kind == "output" for p in section.parts)

    def place(items: list[_Piece]):
        picture = items[-1].picture
        if picture:           # a chart has its slide to itself: a lead-in of more than two lines is said, not shown
            said = [p for p in items[:-1] if p.weight > 2.5]
            drafts[-1].notes += "".join(p.html for p in said)
            items = [p for p in items if p not in said]
        weight = sum(p.weight for p in items)
        live = any(p.live for p in items) and not demo
        draft = drafts[-1]
        small = weight <= 2.5             # a line or two may run a little over (the page shrinks the text)
        if draft.shows and (draft.live or live or draft.picture or picture or items[-1].new
                            or draft.weight + weight > BUDGET * (1.15 if small else 1)):
            drafts.append(_Draft(joined=any(p.joined for p in items)))
            draft = drafts[-1]
        elif picture and draft.body:      # the section's minutes go to the notes of a chart's slide
            draft.notes = draft.body + draft.notes
            draft.body = ""
        draft.body += "".join(p.html for p in items)
        draft.notes += "".join(p.notes for p in items)
        draft.weight += weight
        draft.live = draft.live or live
        draft.picture = draft.picture or picture
        draft.reveals = draft.reveals or any(p.reveals for p in items)
        draft.shows = True

    group: list[_Piece] = []
    for p in pieces:
        if p.kind == "say":
            drafts[-1].notes += p.html
        elif p.kind == "lead":
            group.append(p)
        else:
            place(group + [p])
            group = []
    if any(p.kind == "lead" and not p.html.startswith("<h") for p in group):
        place(group)                      # a last paragraph that leads into nothing is shown; a heading is not
    out = [Slide(title, d.body, d.notes, "live" if d.live or demo else "picture" if d.picture else "",
                 section.number, "live" if d.live or demo else ("section" if n == 0 else "content"),
                 joined=d.joined, reveals=d.reveals)
           for n, d in enumerate(drafts) if d.shows or n == 0]
    return out + _checks(section, room)


def _checks(section: Section, room) -> list[Slide]:
    asked = [(room(c.question), c.answer) for c in section.checks if not wording.is_instruction(c.question)]
    asked = [(q, a) for q, a in asked if q]
    slides, start = [], 1
    for chunk in _chunks(asked, BUDGET - 3, key=lambda qa: qa[0]):
        body = (f"<p class=\"label\">{escape(section.number)}. {escape(section.title)}</p>"
                f"<ol start=\"{start}\">" + "".join(f"<li>{_inline(q)}</li>" for q, _ in chunk) + "</ol>")
        notes = (f"<p>Let the room answer first. Answers:</p><ol start=\"{start}\">"
                 + "".join(f"<li>{html(wording.for_notes(a))}</li>" for _, a in chunk) + "</ol>")
        slides.append(Slide("Check your understanding", body, notes, section=section.number, kind="checks"))
        start += len(chunk)
    return slides


def _chunks(items: list, budget: float, key=lambda x: x) -> list[list]:
    out: list[list] = [[]]
    used = 0.0
    for item in items:
        w = htmlparts._lines(plain(key(item))) + 0.4
        if out[-1] and used + w > budget:
            out.append([])
            used = 0.0
        out[-1].append(item)
        used += w
    return [c for c in out if c]


def _pieces(module: Module, section: Section, room, guide: Guide) -> list[_Piece]:
    pieces: list[_Piece] = []
    for part in section.parts:
        if part.kind == "markdown":
            pieces.extend(_markdown_pieces(part.text, room))
        elif part.kind == "output":
            pieces.extend(_output_pieces(part))
        elif part.kind == "live":
            pieces.append(_live_piece(module, section, part, guide.simulator))
        elif part.kind == "answer":
            summary = escape(part.label or "Answer")
            pieces.append(_Piece("say", f"<p><strong>{summary}</strong> (for you; not on the slide):</p>"
                                        + html(wording.for_notes(part.text))))
    return pieces


def _markdown_pieces(markdown: str, room) -> list[_Piece]:
    out: list[_Piece] = []
    for token in _PARSE(markdown):
        kind = token["type"]
        if kind == "paragraph":
            md = _inline_markdown(token["children"])
            text = room(md)
            if not text:      # how to work the notebook or a tool: for the instructor, not the room
                if wording.for_notes(md):
                    out.append(_Piece("say", f"<p>{_inline(wording.for_notes(md))}</p>"))
                continue
            if re.fullmatch(r"\*\*[^*]+\*\*\.?", text):               # a bold line on its own: a heading
                out.append(_Piece("lead", f"<h3>{_inline(text)}</h3>", 1.4))
            else:
                out.append(_Piece("para", f"<p>{_inline(text)}</p>", htmlparts._lines(plain(text)) + 0.4))
        elif kind == "heading" and token["attrs"]["level"] >= 3:
            text = room(_inline_markdown(token["children"]))
            if text:
                out.append(_Piece("lead", f"<h3>{_inline(text)}</h3>", 1.4))
        elif kind == "list":
            items = [room(_inline_markdown(_item_inlines(item))) for item in token["children"]]
            items = [i for i in items if i]
            if items:
                tag = "ol" if token["attrs"].get("ordered") else "ul"
                start = token["attrs"].get("start")
                attrs = f" start=\"{start}\"" if tag == "ol" and start not in (None, 1) else ""
                for chunk in _chunks(items, BUDGET - 4):
                    body = f"<{tag}{attrs}>" + "".join(f"<li>{_inline(i)}</li>" for i in chunk) + f"</{tag}>"
                    out.append(_Piece("show", body, sum(htmlparts._lines(plain(i)) + 0.25 for i in chunk) + 0.3))
        elif kind == "table":
            out.extend(_markdown_table(token))
        elif kind == "block_quote":
            text = " ".join(room(_inline_markdown(c.get("children", []))) for c in token["children"]
                            if c["type"] == "paragraph")
            if text.strip():
                out.append(_Piece("show", f"<blockquote>{_inline(text)}</blockquote>", htmlparts._lines(plain(text)) + 0.6))
    return out


def _markdown_table(token: dict) -> list[_Piece]:
    head = next((c for c in token["children"] if c["type"] == "table_head"), None)
    body = next((c for c in token["children"] if c["type"] == "table_body"), None)
    cell = wording.for_cell
    header = "".join(f"<th scope=\"col\">{_inline(cell(_inline_markdown(c['children'])))}</th>"
                     for c in (head["children"] if head else []))
    rows = ["<tr>" + "".join(f"<td>{_inline(cell(_inline_markdown(c['children'])) or '—')}</td>" for c in row["children"])
            + "</tr>" for row in (body["children"] if body else [])]
    table = f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return [p for b in htmlparts.blocks(table) for p in _table_pieces(b)]


def _table_pieces(block) -> list[_Piece]:
    """A table as one piece, or as several (each on a slide of its own) when it is too long for one."""
    return [_Piece("show", piece.html(), piece.weight, new=n > 0, joined=n > 0)
            for n, piece in enumerate(htmlparts.split_table(block, BUDGET - 4))]


def _output_pieces(part: Part) -> list[_Piece]:
    out: list[_Piece] = []
    stacked = [(piece, k > 0) for b in htmlparts.blocks(part.text, _output_words) if not htmlparts.empty_table(b)
               for k, piece in enumerate(htmlparts.unstack(b, BUDGET - 4))]
    blocks = [b for b, _ in stacked]
    # A short note on its own (a case's story) leads into what the next cell shows.
    note = bool(blocks) and all(b.kind == "p" for b in blocks) and sum(b.weight for b in blocks) <= 8
    reveals = bool(re.search(r"\b(?:case_result|compare_dates|then_and_now)\s*\(", part.source))   # a library case's result
    for n, (b, joined) in enumerate(stacked):
        start = len(out)
        following = blocks[n + 1].kind if n + 1 < len(blocks) else None
        if note:
            out.append(_Piece("lead", b.html(), b.weight))
        elif b.kind in ("h3", "h4", "h5"):
            out.append(_Piece("lead", f"<h3>{b.node.inner()}</h3>", b.weight))
        elif b.kind == "table" and not _for_a_learner(b):
            out.extend(_table_pieces(b))
        elif b.kind == "table":
            pass                                                # a learner's own table: not for a room
        elif b.kind in ("ul", "ol"):
            out.extend(_Piece("show", piece.html(), piece.weight, new=k > 0, joined=k > 0)
                       for k, piece in enumerate(htmlparts.split_list(b, BUDGET - 4)))
        elif b.kind == "img":
            out.extend(_Piece("show", f"<figure>{piece.html()}</figure>", BUDGET, picture=True)
                       for piece in htmlparts.image_bands(b, PICTURE_ASPECT))
        elif b.kind == "p" and b.weight <= 4.5 and following in ("table", "ul", "ol", "img"):
            out.append(_Piece("lead", b.html(), b.weight))      # "Did not apply:", a table's caption line
        else:
            out.append(_Piece("show", b.html(), b.weight))
        for piece in out[start:]:
            piece.joined = piece.joined or joined
            piece.reveals = reveals
    return out


def _for_a_learner(block) -> bool:
    """A table a learner's own notebook fills in (its caption tells them to work the notebook, as the
    progress table does): it shows the learner, not the course, so it is not on a slide."""
    caption = next((c for c in block.node.children if not isinstance(c, str) and c.tag == "caption"), None)
    return caption is not None and wording.is_instruction(caption.text())


def _output_words(text: str) -> str:
    """An output's text in the course's words: "classifier" out, the raw confidence word "verify"
    (shown alone, as a label) in words, and the data as the course's sources (wording.for_slide)."""
    if text.strip() == "verify":
        return text.replace("verify", "not confirmed")
    for pattern, new in wording.REPLACEMENTS:
        if "classifier" in pattern.pattern:
            text = pattern.sub(new, text)
    if not text.strip():
        return text
    said = wording.for_slide(text)
    return re.match(r"\s*", text).group(0) + said + re.search(r"\s*$", text).group(0) if said else ""


def _live_piece(module: Module, section: Section, part: Part, guide_simulator: str) -> _Piece:
    if re.search(r"\bSimulator\s*\(", part.source):
        body = ("<div class=\"live-box\"><p><strong>Now the simulator.</strong> A fictional case on the screen: "
                "predict first, then reveal.</p>"
                f"<p class=\"small\">How to open it: <a href=\"{KIT_SIMULATOR}\">the simulator kiosk, in the kit's index</a>.</p></div>")
        return _Piece("show", body, 5, live=True, notes=html(wording.links_as_text(guide_simulator))
                      if guide_simulator else "")
    name = re.sub(r"^(?:Open|Show|Start)\s+", "", part.label) or "the interactive tool"
    body = (f"<div class=\"live-box\"><p><strong>Live:</strong> {escape(name)}.</p>"
            "<p class=\"small\">Shown live from the course, not on these slides.</p></div>")
    notes = (f"<p>Switch to JupyterLab: module {escape(module.number)}, section {escape(section.number)} "
             f"({escape(section.title)}), where {escape(name)} is. Run its cell before the session.</p>")
    return _Piece("show", body, 3, live=True, notes=notes)


def _guide_notes(guide: Guide, module: str, section: str | None) -> str:
    notes = guide.notes.get((module, section), [])
    return "".join(f"<p><strong>Instructor note.</strong> {_inline(wording.for_notes(n))}</p>" for n in notes
                   if wording.for_notes(n))


def _support(module: Module) -> Slide:
    note = next((p for p in module.opening if p.kind == "output" and "content note" in p.label.lower()), None)
    body = "".join(b.html() for b in htmlparts.blocks(note.text)) if note else (
        "<p>The subject is the sexual exploitation of children. The cases are fictional and nothing is "
        "described graphically. Take a break whenever you need to.</p>")
    return Slide("Before we start", body, kind="support", cls="dense")


def calls_slides(law: Law) -> list[Slide]:
    """Whom to call, from contacts.csv: a number only when the data confirms it."""
    course = facts.course(law)
    contacts = facts.card_contacts(law)
    items = [f"<li><strong>{escape(c.name)}</strong>: {escape(facts.phone_text(c))}."
             f" <span class=\"when\">{escape(c.when)}</span></li>" for c in contacts]
    chunks = _chunks(list(zip(items, contacts)), BUDGET + 4, key=lambda ic: f"{ic[1].name} {facts.phone_text(ic[1])} {ic[1].when}")
    out = []
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1
        body = f"<ul class=\"contacts\">{''.join(i for i, _ in chunk)}</ul>" + (
            f"<p class=\"small\"><strong>{escape(DISCLAIMER)}</strong> Law as reviewed on "
            f"{escape(course.law_date_text)}.</p>" if last else "")
        out.append(Slide("Whom to call" + (" (continued)" if n else ""), body, cls="dense", kind="calls"))
    return out


# --- a session's slides -----------------------------------------------------------------------

def session_slides(plan: Plan, modules: dict[str, Module], decks: dict[str, list[Slide]], law: Law,
                   guide: Guide) -> list[Slide]:
    """The slides of one session plan, in its order, with its timings in the notes."""
    course = facts.course(law)
    rows = "".join(f"<li>{escape(r.clock)}: {escape(plain(r.what))} ({r.minutes} minutes)</li>" for r in plan.rows)
    first = next(iter(modules.values()))
    slides = [Slide(f"{course.title}",
                    f"<p><strong>{escape(plan.name[0].upper() + plan.name[1:])}</strong></p>"
                    f"<p>Law as reviewed on {escape(course.law_date_text)}</p>"
                    f"<p class=\"small\"><strong>{escape(DISCLAIMER)}</strong></p>",
                    f"<p>The plan ({plan.minutes} minutes):</p><ol>{rows}</ol>", "title", kind="title"),
              _support(first)]
    for row in plan.rows:
        timing = (f"<p class=\"plan\"><strong>Plan: {escape(row.clock)} to {escape(row.until)}</strong> "
                  f"({row.minutes} minutes): {escape(plain(row.what))}.</p>")
        part = _row_slides(row, modules, decks, guide) if row.modules else _activity_slides(row, law)
        slides.extend(replace(s, notes=timing + s.notes) for s in part)
    return slides


def _row_slides(row: PlanRow, modules: dict[str, Module], decks: dict[str, list[Slide]], guide: Guide) -> list[Slide]:
    """The row's modules, each with a title slide (the row's minutes and the sections it keeps),
    its prompt (then, for the simulator, the switch to the kiosk) and its sections' slides, cut to
    the row's minutes (`_fit`)."""
    numbers = [n for n in row.modules if n in modules]
    shared = " and ".join(row.modules)
    minutes = f"{row.minutes} minutes" + (f" for modules {shared}" if len(row.modules) > 1 else "")
    candidates = []
    for number in numbers:
        candidates += [s for s in decks[number] if s.kind == "prompt"]
        if uses_simulator(modules[number]):
            candidates.append(_kiosk_slide(guide, number))
        candidates += [_row_minutes(s, minutes) for s in decks[number]
                       if s.section is not None and row.shows(number, s.section)]
    kept = _fit(candidates, int(row.minutes // MINUTES_PER_SLIDE) - len(numbers), modules)
    out = []
    for number in numbers:
        module = modules[number]
        listing = "".join(f"<li>{escape(s.number)}. {escape(s.title)}</li>" for s in module.sections
                          if any((x.module, x.section) == (number, s.number) for x in kept))
        dropped = [s.number for s in module.sections if row.shows(number, s.number)
                   and any(x.section == s.number for x in decks[number])
                   and not any((x.module, x.section) == (number, s.number) for x in kept)]
        notes = "".join(s.notes for s in decks[number] if s.kind == "title") + (
            f"<p>For time, section{'s' if len(dropped) > 1 else ''} {escape(', '.join(dropped))} of this row "
            f"{'are' if len(dropped) > 1 else 'is'} only in the module's own deck.</p>" if dropped else "")
        out.append(Slide(module.title, f"<p class=\"minutes\">{minutes}</p>"
                         + (f"<ul class=\"plain\">{listing}</ul>" if listing else ""), notes, "title", kind="title"))
        out.extend(s for s in kept if s.module == number)
    return out


def _row_minutes(slide: Slide, minutes: str) -> Slide:
    """A section's slide with the plan row's minutes in place of the module's own (self-paced) ones."""
    return replace(slide, body=re.sub(r"<p class=\"minutes\">[^<]*</p>", f"<p class=\"minutes\">{minutes}</p>",
                                      slide.body))


def _kiosk_slide(guide: Guide, module: str) -> Slide:
    """The switch to the simulator kiosk that follows the prediction prompt: the room predicts, then
    the kiosk reveals. How to open it is the guide's advice on projecting the simulator."""
    opening = [s for s in wording.sentences(guide.simulator) if re.search(r"\bkiosk\b|\bmake simulator\b", s)]
    body = ("<div class=\"live-box\"><p><strong>Switch to the simulator kiosk.</strong></p>"
            f"<p class=\"small\">How to open it: <a href=\"{KIT_SIMULATOR}\">the simulator kiosk, in the kit's index</a>.</p></div>")
    return Slide("Now the simulator kiosk", body, "".join(f"<p>{_inline(s)}</p>" for s in opening),
                 "live", kind="live", module=module)


def _fit(slides: list[Slide], budget: int, modules: dict[str, Module]) -> list[Slide]:
    """At most `budget` of the slides (fewer than that only if a section would not fit). Kept first:
    the slides of no section (prompts, the kiosk); then whole sections, in order, questions
    included; then, in the time left, each remaining section's first slides, without its questions
    (they may rely on the slides left out). A slide that carries on the one before it (a table's
    next rows, a comparison's other half) is kept with it or left out with it, and no slide that
    reveals a simulator result is kept (the kiosk reveals it). What is left out stays in the
    module's own deck; the notes of the section's first slide say how many of its slides are only there."""
    keep = {n for n, s in enumerate(slides) if s.section is None}
    left = budget - len(keep)
    sections: dict[tuple, list[list[int]]] = {}
    for n, s in enumerate(slides):
        if s.section is None:
            continue
        units = sections.setdefault((s.module, s.section), [])
        if units and (s.joined or s.kind == "checks" == slides[units[-1][0]].kind):
            units[-1].append(n)
        else:
            units.append([n])
    partial = []
    for units in sections.values():
        whole = [n for unit in units for n in unit]
        if len(whole) <= left and not any(slides[n].reveals for n in whole):
            keep.update(whole)
            left -= len(whole)
        else:
            partial.append([u for u in units if slides[u[0]].kind != "checks"])
    for units in partial:
        for unit in units:
            if len(unit) > left or any(slides[n].reveals for n in unit):
                break
            keep.update(unit)
            left -= len(unit)
    out = []
    for n, s in enumerate(slides):
        if n not in keep:
            continue
        first = s.section is not None and all((x.module, x.section) != (s.module, s.section) for x in out)
        dropped = [x for m, x in enumerate(slides) if m not in keep and first
                   and (x.module, x.section) == (s.module, s.section)]
        if dropped:
            module = modules[s.module]
            s = replace(s, notes=s.notes + f"<p>For time, {len(dropped)} more slide{'s' if len(dropped) > 1 else ''} of "
                                           f"section {escape(s.section)} {'are' if len(dropped) > 1 else 'is'} only in "
                                           f"the module's own deck ({escape(module.title)}).</p>")
        out.append(s)
    return out


def _activity_slides(row: PlanRow, law: Law) -> list[Slide]:
    text = facts.card_text(law)
    course = facts.course(law)
    out = []
    for phrase in [p.strip() for p in re.split(r"[;,]| and ", plain(row.what)) if p.strip()]:
        words = phrase.lower()
        if "break" in words:
            out.append(Slide("Break", f"<p class=\"big\">Back at {escape(row.until)}</p>", cls="break", kind="kit"))
        elif "knowledge check" in words:
            when = "after" if "after" in words else "before"
            out.append(Slide(f"Knowledge check ({when})",
                             "<p>Ten short questions, about 5 minutes. Write your participant code at the top "
                             + ("(the same one as this morning)" if when == "after" else "(the same one you will use at the end)")
                             + ", not your name.</p><p>It checks the session, not you.</p>",
                             "<p>Hand out knowledge-check.pdf; mark it with knowledge-check-answer-key.pdf and put "
                             "the scores in knowledge-check-scores.csv (the instructor guide, section 3).</p>", kind="kit"))
        elif "key points" in words:
            out.append(Slide(text.title, "<ol>" + "".join(f"<li>{_inline(d)}</li>" for d in text.do_now) + "</ol>",
                             "<p>The pocket card's front; hand the cards out now.</p>", "dense", kind="kit"))
        elif "questions" in words:
            out.append(Slide("Questions", "<p class=\"big\">Questions?</p>"
                             f"<p class=\"small\">{escape(course.title)}: law as reviewed on {escape(course.law_date_text)}. "
                             f"{escape(DISCLAIMER)}</p>", cls="break", kind="kit"))
        elif "evaluation" in words:
            out.append(Slide("Before you go: the evaluation form",
                             "<p>What was useful, what was unclear, and how confident you feel to act: before the "
                             "session and now. No names.</p>", "<p>Hand out evaluation-form.pdf.</p>", kind="kit"))
        elif "support" in words:
            out.extend(calls_slides(law))
        elif "pocket card" not in words:
            out.append(Slide(phrase[0].upper() + phrase[1:], "", kind="kit"))
    return out


# --- the page -----------------------------------------------------------------------------------

PHONE = re.compile(r"(?<![\w-])(?:\d-)?\d{3}-\d{3}-\d{4}(?![\w-])")


def whole_numbers(page_html: str) -> str:
    """Every phone number in the text of some HTML kept on one line (a browser would otherwise
    break it after a hyphen: "1-888-373-" and "7888")."""
    parts = re.split(r"(<[^>]*>)", page_html)
    return "".join(part if part.startswith("<") else PHONE.sub(r'<span class="phone">\g<0></span>', part)
                   for part in parts)


def write_deck(slides: list[Slide], title: str, footer: str, out: Path) -> Path:
    total = len(slides)
    sections = []
    for n, s in enumerate(slides, start=1):
        s = replace(s, body=whole_numbers(s.body), notes=whole_numbers(s.notes))
        heading = f"<h1>{escape(s.title)}</h1>" if s.kind == "title" else f"<h2>{escape(s.title)}</h2>"
        notes_html = f"<aside class=\"notes\" aria-hidden=\"true\">{s.notes}</aside>" if s.notes else ""
        section = (f" data-module=\"{escape(s.module)}\"" if s.module else "") + (
            f" data-section=\"{escape(s.section)}\"" if s.section else "")
        sections.append(f"<section class=\"slide {s.cls}\" id=\"slide-{n}\" data-kind=\"{s.kind}\"{section} "
                        f"aria-label=\"Slide {n} of {total}\"><div class=\"content\">{heading}{s.body}</div>{notes_html}"
                        f"<footer>{escape(footer)} · {n} / {total}</footer></section>")
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dmst take-aways (make handouts)">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<p class="help">Slides. Keys: → or Space next, ← back, S speaker window (notes and timing), Home/End first/last.</p>
<main>
{chr(10).join(sections)}
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def _inline(markdown: str) -> str:
    """Markdown of one paragraph as inline HTML (without the <p>)."""
    out = html(markdown).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)


CSS = """
:root { --ink: #111; --paper: #fff; --rule: #767676; }
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--paper); color: var(--ink);
  font-family: "DejaVu Sans", Verdana, "Segoe UI", Arial, sans-serif; }
body { font-size: clamp(18px, min(2.3vw, 4vh), 44px); line-height: 1.3; }
.help { font-size: 16px; margin: .5em 1em; }
.slide { min-height: 100vh; padding: 4vh 5vw 1vh; border-bottom: 2px solid var(--rule); display: flex; flex-direction: column; }
.slide .content { flex: 1 1 auto; min-height: 0; }
.slide h1 { font-size: 1.6em; margin: 0 0 .5em; }
.slide h2 { font-size: 1.3em; margin: 0 0 .4em; border-bottom: 4px solid var(--ink); padding-bottom: .1em; }
.slide h3 { font-size: 1em; margin: .5em 0 .2em; }
.slide h4, .slide h5 { font-size: .9em; margin: .4em 0 .2em; }
.slide.title .content { margin-top: 10vh; }
.slide p { margin: .3em 0 .5em; }
.slide ul, .slide ol { margin: .2em 0 .5em; padding-left: 1.3em; }
.slide li { margin: .15em 0; }
.slide blockquote { margin: .3em 0 .5em; padding-left: .8em; border-left: 6px solid var(--rule); font-style: italic; }
.slide table { border-collapse: collapse; width: 100%; font-size: .78em; margin: .3em 0 .6em; }
.slide caption { text-align: left; font-weight: bold; padding: .2em 0; }
.slide th, .slide td { text-align: left; vertical-align: top; padding: .2em .45em; border-bottom: 1px solid #999; }
.slide thead th { border-bottom: 3px solid var(--ink); }
.slide figure { margin: .3em 0; text-align: center; }
.slide img { max-width: 100%; max-height: 62vh; }
.slide.picture .content { display: flex; flex-direction: column; }
.slide.picture figure { flex: 1 1 auto; min-height: 0; margin: 0; }
.slide.picture img { display: block; width: 100%; height: 100%; max-height: none; object-fit: contain; }
.slide.dense .content { font-size: .9em; }
.label { font-weight: bold; }
ul.plain { list-style: none; padding-left: 0; }
.minutes { font-weight: bold; margin-top: 0; }
.small { font-size: .75em; }
.big { font-size: 2em; font-weight: bold; margin-top: 15vh; }
.when { display: block; font-size: .8em; }
.phone { white-space: nowrap; }
.live-box { border: 4px solid var(--ink); padding: .6em 1em; margin: .6em 0; }
kbd { border: 2px solid var(--ink); border-radius: 4px; padding: 0 .2em; font-family: inherit; }
a { color: #0645ad; text-decoration: underline; text-decoration-thickness: 2px; }
a:focus, .slide:focus { outline: 4px solid var(--ink); outline-offset: 3px; }
.notes { display: none !important; }
footer { flex: 0 0 auto; font-size: 14px; color: #444; padding: .4em 0; }
.blocked { position: fixed; top: 0; left: 0; right: 0; background: #111; color: #fff; font-size: 16px; padding: .4em 1em; }
body.deck .help { display: none; }
body.deck .slide { display: none; height: 100vh; overflow: hidden; border: 0; }
body.deck .slide.current { display: flex; }
@media print {
  @page { size: landscape; }
  .help, .notes, .blocked { display: none !important; }
  .slide { display: flex !important; height: auto; min-height: 0; page-break-after: always; border: 0; }
}
"""

SCRIPT = """
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
  var current = 0, speaker = null, started = null, MIN = 0.5;
  document.body.classList.add('deck');
  function fromHash() {
    var m = /^#slide-(\\d+)$/.exec(location.hash);
    return m ? Math.min(Math.max(parseInt(m[1], 10) - 1, 0), slides.length - 1) : 0;
  }
  function fits(c) { return c.scrollHeight <= c.clientHeight + 1 && c.scrollWidth <= c.clientWidth + 1; }
  function fit(slide) {
    var c = slide.querySelector('.content'), scale = 1;
    c.style.fontSize = '';
    while (!fits(c) && scale > MIN) { scale = Math.round((scale - 0.04) * 100) / 100; c.style.fontSize = (scale * 100) + '%'; }
    slide.setAttribute('data-scale', scale);
  }
  function titleOf(i) { var h = slides[i].querySelector('h1, h2'); return h ? h.textContent : ''; }
  function notesOf(i) {
    var n = slides[i].querySelector('.notes');
    return n ? n.innerHTML : '<p>No notes for this slide.</p>';
  }
  function clock() {
    if (!started) { return 'not started (press → to start the clock)'; }
    var s = Math.floor((Date.now() - started) / 1000);
    return Math.floor(s / 60) + ':' + ('0' + (s % 60)).slice(-2) + ' since the first slide';
  }
  function updateSpeaker() {
    if (!speaker || speaker.closed) { return; }
    var next = slides[current + 1] ? titleOf(current + 1) : 'end of the slides';
    var shown = slides[current].querySelector('.content').cloneNode(true);
    var heading = shown.querySelector('h1, h2');
    if (heading) { heading.remove(); }
    speaker.document.body.innerHTML = '<p style="font-size:18px">Slide ' + (current + 1) + ' of ' + slides.length +
      ' · ' + clock() + ' · next: ' + next.replace(/</g, '&lt;') + '</p>' +
      '<h2>' + titleOf(current).replace(/</g, '&lt;') + '</h2>' + notesOf(current) +
      '<div class="screen"><p class="was">On the screen:</p>' + shown.innerHTML + '</div>';
  }
  function show(i) {
    current = Math.min(Math.max(i, 0), slides.length - 1);
    if (current > 0 && !started) { started = Date.now(); }
    slides.forEach(function (s, k) { s.classList.toggle('current', k === current); });
    fit(slides[current]);
    if (location.hash !== '#slide-' + (current + 1)) { history.replaceState(null, '', '#slide-' + (current + 1)); }
    document.title = document.title.replace(/ \\(\\d+\\/\\d+\\)$/, '') + ' (' + (current + 1) + '/' + slides.length + ')';
    updateSpeaker();
  }
  function blocked() {
    var bar = document.createElement('p');
    bar.className = 'blocked';
    bar.textContent = 'The speaker window was blocked: allow pop-ups for this page, then press S again.';
    document.body.appendChild(bar);
    setTimeout(function () { bar.remove(); }, 5000);
  }
  function openSpeaker() {
    speaker = window.open('', 'dmst-speaker-notes', 'width=820,height=680');
    if (!speaker) { blocked(); return; }
    speaker.document.title = 'Speaker notes: ' + document.title.replace(/ \\(\\d+\\/\\d+\\)$/, '');
    speaker.document.body.style.cssText = 'font-family: sans-serif; font-size: 22px; line-height: 1.4; margin: 1em;';
    var style = speaker.document.createElement('style');
    style.textContent = '.screen { margin-top: 1.5em; padding: .5em 1em; border: 2px solid #767676; font-size: 15px; color: #333; }' +
      '.screen img { max-width: 100%; } .screen table { border-collapse: collapse; } .screen td, .screen th { text-align: left;' +
      ' vertical-align: top; padding: .1em .3em; border-bottom: 1px solid #bbb; } .was { font-weight: bold; }' +
      ' .phone { white-space: nowrap; }';
    speaker.document.head.appendChild(style);
    speaker.document.addEventListener('keydown', onKey);
    updateSpeaker();
  }
  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var k = e.key;
    if (k === 'ArrowRight' || k === 'PageDown' || k === ' ') { show(current + 1); }
    else if (k === 'ArrowLeft' || k === 'PageUp') { show(current - 1); }
    else if (k === 'Home') { show(0); }
    else if (k === 'End') { show(slides.length - 1); }
    else if (k === 's' || k === 'S' || k === 'n' || k === 'N') { if (e.currentTarget === document) { openSpeaker(); } }
    else { return; }
    e.preventDefault();
  }
  document.addEventListener('keydown', onKey);
  window.addEventListener('hashchange', function () { show(fromHash()); });
  window.addEventListener('resize', function () { fit(slides[current]); });
  setInterval(updateSpeaker, 1000);
  show(fromHash());
})();
"""
