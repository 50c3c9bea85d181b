"""Slides for one module, for an instructor: one self-contained HTML file (styles and script
inline, no network), made from the module's notebook, the instructor guide and the data.

Slides: title, support, objectives, each section (its opening paragraph) with its "Check
your understanding" questions, the discussion prompt, the brochure-vs-statute corrections,
whom to call, key points; a module that uses the simulator gets a slide that links to the
code-free kiosk (`make simulator`). Speaker notes come from the module's instructor notes,
the guide's prompt notes and session-plan rows, and the answers to the questions.

Keys: → / Space / PageDown next, ← / PageUp back, Home / End, N shows the notes under the
slide, S opens a speaker window that follows the slides. Without script every slide is
shown one after the other, and printing gives one slide per page.
"""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

from .. import DISCLAIMER
from ..law import Law
from . import facts
from .guide import Guide
from .modules import Module, html

VOILA_DEFAULT_PORT = 8866


def kiosk_url(makefile: Path) -> str:
    """The address `make simulator` serves the kiosk at: Voila's port from the Makefile's
    simulator recipe, or Voila's default."""
    text = makefile.read_text(encoding="utf-8") if makefile.exists() else ""
    recipe = re.search(r"^simulator:.*\n((?:\t.*\n?)+)", text, re.M)
    port = re.search(r"--port[= ](\d+)", recipe.group(1)) if recipe else None
    return f"http://localhost:{port.group(1) if port else VOILA_DEFAULT_PORT}/"


def uses_simulator(module: Module) -> bool:
    return any(re.search(r"\bSimulator\s*\(", source) for _, source, _ in module.code)


def build_slides(module: Module, law: Law, guide: Guide, out: Path, kiosk: str) -> Path:
    course = facts.course(law)
    slides: list[tuple[str, str, str, str]] = []   # (title, body html, notes html, css class)

    def add(title: str, body: str, notes: str = "", cls: str = ""):
        slides.append((title, body, notes, cls))

    meta = [f"<p><strong>For:</strong> {html_inline(module.who)}</p>" if module.who else "",
            f"<p>About {module.minutes} minutes · law as reviewed on {escape(course.law_date_text)}</p>"
            if module.minutes else f"<p>Law as reviewed on {escape(course.law_date_text)}</p>",
            f"<p class=\"small\"><strong>{escape(DISCLAIMER)}</strong></p>"]
    plan = "".join(f"<li>{escape(p)}</li>" for p in guide.plans.get(module.number, []))
    title_notes = (f"<p>In the session plans:</p><ul>{plan}</ul>" if plan else "") + _notes(module.instructor_notes)
    add(module.title, "".join(meta), title_notes, "title")

    support = facts.contacts_used(module, law)
    add("Before we start",
        "<p>The subject is the sexual exploitation of children. The cases are fictional and nothing is "
        "described graphically. Take a break whenever you need to.</p>"
        + _contact_list(support))
    if module.objectives:
        add("By the end you will be able to", "<ol>" + "".join(f"<li>{html_inline(o)}</li>" for o in module.objectives)
            + "</ol>")
    if uses_simulator(module):
        add("Project the simulator without code",
            "<ol><li>In a terminal in the course folder, run <kbd>make simulator</kbd>.</li>"
            f"<li>Open <a href=\"{escape(kiosk)}\">the simulator at {escape(kiosk)}</a> "
            "(the address the command prints).</li>"
            "<li>Load a case, tick <em>Instructor mode</em> while the room predicts, then reveal.</li></ol>",
            html(guide.simulator) if guide.simulator else "")
    for s in module.sections:
        minutes = f"<p class=\"minutes\">{s.minutes} minutes</p>" if s.minutes else ""
        intro = html(s.intro) if s.intro else ""
        add(f"{s.number}. {s.title}", minutes + intro, _notes(s.instructor_notes))
        if s.checks:
            questions = "".join(f"<li>{html_inline(c.question)}</li>" for c in s.checks)
            answers = "".join(f"<li>{html(c.answer)}</li>" for c in s.checks)
            add(f"Check your understanding: {s.title}", f"<ol>{questions}</ol>",
                f"<p>Let the room answer first. Answers:</p><ol>{answers}</ol>")
    prompt = guide.prompts.get(module.number)
    if prompt:
        add("Discussion", f"<blockquote>{html_inline(prompt.prompt)}</blockquote>",
            f"<p>What to listen for (do not read this out): {html_inline(prompt.notes)}</p>")
    brochure_year = law.presets["brochure"].year
    for fix in facts.corrections(facts.provisions_taught(module, law), law):
        says = (f"“{escape(fix.brochure_says)}”" if fix.brochure_says
                else "The brochure does not mention this provision.")
        add(f"The brochure and the statute: {fix.citation}",
            f"<p class=\"label\">The brochure (about {brochure_year}) says</p><blockquote>{says}</blockquote>"
            f"<p class=\"label\">Where the statute differs (as of {escape(facts.human_date(fix.as_of))})</p>"
            f"<p>{escape(fix.differs)}</p>",
            f"<p>{escape(fix.title)}. How sure the course is: {escape(fix.confidence_text)}.</p>", "dense")
    if module.key_points:
        add("Key points", "<ul>" + "".join(f"<li>{html_inline(k)}</li>" for k in module.key_points) + "</ul>",
            f"<p>What's next: {html_inline(module.whats_next)}</p>" if module.whats_next else "")
    add("Whom to call", _contact_list(facts.card_contacts(law), with_when=True)
        + f"<p class=\"small\"><strong>{escape(DISCLAIMER)}</strong> Law as reviewed on "
          f"{escape(course.law_date_text)}.</p>", "", "dense")

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_page(module, course, slides), encoding="utf-8")
    return out


def html_inline(markdown: str) -> str:
    """Markdown of one paragraph as inline HTML (without the <p>)."""
    out = html(markdown).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)


def _notes(notes: list[str]) -> str:
    return "".join(html(n) for n in notes)


def _contact_list(contacts, with_when: bool = False) -> str:
    items = []
    for c in contacts:
        when = f" <span class=\"when\">{escape(c.when)}</span>" if with_when else ""
        items.append(f"<li><strong>{escape(c.name)}</strong>: {escape(facts.phone_text(c))}.{when}</li>")
    return f"<ul class=\"contacts\">{''.join(items)}</ul>" if items else ""


def _page(module: Module, course: facts.Course, slides) -> str:
    total = len(slides)
    sections = []
    for n, (title, body, notes, cls) in enumerate(slides, start=1):
        heading = f"<h1>{escape(title)}</h1>" if n == 1 else f"<h2>{escape(title)}</h2>"
        notes_html = f"<aside class=\"notes\" aria-label=\"Speaker notes\"><h3>Speaker notes</h3>{notes}</aside>" if notes else ""
        sections.append(f"<section class=\"slide {cls}\" id=\"slide-{n}\" aria-label=\"Slide {n} of {total}\">"
                        f"<div class=\"content\">{heading}{body}</div>{notes_html}"
                        f"<footer>{escape(course.title)} · module {module.number} · {n} / {total}</footer></section>")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dmst take-aways (generated from the notebooks and data; do not edit)">
<title>Slides: {escape(module.title)}</title>
<style>{CSS}</style>
</head>
<body>
<p class="help">Slides for instructors. Keys: → or Space next, ← back, N speaker notes, S speaker window, Home/End first/last.</p>
<main>
{chr(10).join(sections)}
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""


CSS = """
:root { --ink: #111; --paper: #fff; --rule: #767676; }
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--paper); color: var(--ink);
  font-family: "DejaVu Sans", Verdana, "Segoe UI", Arial, sans-serif; }
body { font-size: clamp(20px, min(2.4vw, 4.2vh), 44px); line-height: 1.35; }
.help { font-size: 16px; margin: .5em 1em; }
.slide { min-height: 100vh; padding: 5vh 6vw 8vh; border-bottom: 2px solid var(--rule); position: relative; }
.slide h1 { font-size: 1.7em; margin: 0 0 .6em; }
.slide h2 { font-size: 1.35em; margin: 0 0 .5em; border-bottom: 4px solid var(--ink); padding-bottom: .15em; }
.slide.title .content { margin-top: 12vh; }
.slide.dense { font-size: .8em; }
.slide li { margin: .25em 0; }
.slide blockquote { margin: .3em 0 .6em; padding-left: .8em; border-left: 6px solid var(--rule); font-style: italic; }
.label { font-weight: bold; margin: .6em 0 .1em; }
.minutes { font-weight: bold; margin-top: 0; }
.small { font-size: .75em; }
.when { display: block; font-size: .8em; }
kbd { border: 2px solid var(--ink); border-radius: 4px; padding: 0 .2em; font-family: inherit; }
a { color: #0645ad; text-decoration: underline; text-decoration-thickness: 2px; }
a:focus, .slide:focus { outline: 4px solid var(--ink); outline-offset: 3px; }
.notes { display: none; margin-top: 1em; padding: .6em .9em; border: 3px dashed var(--ink); font-size: .8em; }
.notes h3 { margin: 0 0 .3em; font-size: 1em; }
footer { position: absolute; bottom: 2vh; left: 6vw; right: 6vw; font-size: 14px; color: #444; }
body.deck .help { display: none; }
body.deck .slide { display: none; height: 100vh; overflow: auto; border: 0; }
body.deck .slide.current { display: block; }
body.show-notes .notes { display: block; }
@media print {
  @page { size: landscape; }
  .help, .notes { display: none !important; }
  .slide { display: block !important; height: auto; min-height: 0; page-break-after: always; border: 0; }
}
"""

SCRIPT = """
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
  var current = 0, speaker = null, started = Date.now();
  document.body.classList.add('deck');
  function fromHash() {
    var m = /^#slide-(\\d+)$/.exec(location.hash);
    return m ? Math.min(Math.max(parseInt(m[1], 10) - 1, 0), slides.length - 1) : 0;
  }
  function notesOf(i) {
    var n = slides[i].querySelector('.notes');
    return n ? n.innerHTML : '<p>No notes for this slide.</p>';
  }
  function updateSpeaker() {
    if (!speaker || speaker.closed) { return; }
    var next = slides[current + 1] ? slides[current + 1].querySelector('h1, h2').textContent : 'end of the slides';
    var minutes = Math.floor((Date.now() - started) / 60000);
    speaker.document.body.innerHTML = '<p style="font-size:18px">Slide ' + (current + 1) + ' of ' + slides.length +
      ' · ' + minutes + ' min since the slides opened · next: ' + next.replace(/</g, '&lt;') + '</p>' +
      '<h2>' + slides[current].querySelector('h1, h2').innerHTML + '</h2>' + notesOf(current);
  }
  function show(i) {
    current = Math.min(Math.max(i, 0), slides.length - 1);
    slides.forEach(function (s, k) { s.classList.toggle('current', k === current); });
    if (location.hash !== '#slide-' + (current + 1)) { history.replaceState(null, '', '#slide-' + (current + 1)); }
    document.title = document.title.replace(/ \\(\\d+\\/\\d+\\)$/, '') + ' (' + (current + 1) + '/' + slides.length + ')';
    updateSpeaker();
  }
  function openSpeaker() {
    speaker = window.open('', 'dmst-speaker-notes', 'width=760,height=640');
    if (!speaker) { document.body.classList.add('show-notes'); return; }
    speaker.document.title = 'Speaker notes';
    speaker.document.body.style.cssText = 'font-family: sans-serif; font-size: 22px; line-height: 1.4; margin: 1em;';
    updateSpeaker();
  }
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var k = e.key;
    if (k === 'ArrowRight' || k === 'PageDown' || k === ' ') { show(current + 1); }
    else if (k === 'ArrowLeft' || k === 'PageUp') { show(current - 1); }
    else if (k === 'Home') { show(0); }
    else if (k === 'End') { show(slides.length - 1); }
    else if (k === 'n' || k === 'N') { document.body.classList.toggle('show-notes'); }
    else if (k === 's' || k === 'S') { openSpeaker(); }
    else { return; }
    e.preventDefault();
  });
  window.addEventListener('hashchange', function () { show(fromHash()); });
  setInterval(updateSpeaker, 30000);
  show(fromHash());
})();
"""
