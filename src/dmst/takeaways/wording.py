"""Notebook text made fit to print or project: what a learner is told to do in JupyterLab is left
out, and the course's words replace the notebook's.

A module speaks to a learner at a keyboard ("Run the cell:", "press Shift + Enter", "the
`exercises` folder", "`data/contacts.csv`", "the classifier"). A handout or a slide speaks to a
room, so, sentence by sentence:

- a sentence that tells the reader to work the notebook (run, click, tick, press, a cell, the
  kernel, a widget, JupyterLab, Binder, an exercise notebook) or points at the page ("above",
  "below") is left out, and so is a whole paragraph when most of
  its sentences are such instructions (what is left would not stand alone);
- a file of the course data (`data/contacts.csv`) becomes "the course data"; "the classifier"
  becomes "the rules"; a parenthesis naming code (the `classify` function) is left out;
- a link to another module's notebook becomes `links(slug, text)` (a slide links that module's
  slides) or its text; any other link (a file, a web page) becomes its text;
- on a slide (`for_slide`), "the course data" after a preposition says "the course's sources", a
  sentence where the data is anything else is left out, and so is a pointer to a section;
- in a speaker note (`for_notes`), the sentences that work the notebook or point at the page or at
  a section are left out, and nothing else.

This reads the text's meaning from a short list of phrases, not from cell positions, so the
lessons can be reworded freely; the take-away tests fail when a new phrase slips through.
"""
from __future__ import annotations

import re
from typing import Callable

# What a learner is told to do in the notebook (one sentence is enough to leave it out).
INSTRUCTION = re.compile(
    r"\brun\b[^.;:]*\b(?:cells?|panel|explorer|helper|simulator)\b|\brun (?:it|them)\b|^\W*run\b"
    r"|shift\s*\+\s*enter|\bcells?\b|\bkernel\b|\bwidgets?\b|\bnotebooks?\b|jupyterlab|\bbinder\b"
    r"|\btoolbar\b|\bclick\b|\bfile browser\b|→\s*(?:run|restart|download)|\bprogramming\b"
    r"|\btry it (?:now|yourself)\b|\bexercises?\b[^.]*\bfolder\b|`exercises`|\.ipynb\b|\bexercises/"
    r"|(?-i:\bcode\b)|^\W*instructors?\W*:|\bscroll\b|\bdownload\b"
    r"|\btick\b|\bpress\b(?!\s+release)|\b(?:above|below)\b|\bctrl\s*\+",
    re.I)
# Sentence ends: after . ! ? (and a closing quote or bracket), before a capital, a quote or a mark,
# but not after "U.S.", "P.A.", "v.", "e.g.", "i.e." or a single initial.
_END = re.compile(r"(?<!\bU\.S)(?<!\bP\.A)(?<!\bv)(?<!\be\.g)(?<!\bi\.e)(?<!\b[A-Z])(?<!\bNo)"
                  r"([.!?][\"”’)*_]*)\s+(?=[A-Z\"“(*_\[])")
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)")
_MODULE_FILE = re.compile(r"(?:^|/)(\d\d-[\w-]+)\.ipynb$")
REPLACEMENTS = [
    (re.compile(r"\s*\bin the `data/` folder\b"), ""),
    (re.compile(r"`data/[\w./-]+`"), "the course data"),
    (re.compile(r"\s*\([^()]*`[^`()]*`[^()]*\)"), ""),            # "(the `classify` function)"
    (re.compile(r"\s*\(the classifier\)"), ""),
    (re.compile(r"\b([Tt])he classifier's\b"), r"\1he rules'"),
    # "the classifier (also) finds" -> "the rules (also) find": the verb agrees with "rules"
    (re.compile(r"\b([Tt])he classifier((?: also| then| never| only)?) (is|has|\w+?)s?\b"),
     lambda m: f"{m.group(1)}he rules{m.group(2)} " + {"is": "are", "has": "have"}.get(m.group(3), m.group(3))),
    (re.compile(r"\bclassifier\b"), "rules"),
    (re.compile(r"\*verify\*"), "*not confirmed*"),                 # the data's word for it, as the course shows it
]


# What a speaker note keeps of the notebook only when it is not one of these: working the notebook
# ("Run the cells", "Reveal the result") or pointing at the page or at a section ("the simulator
# above", "see section 5 of this guide", "the helper in section 4"), which a deck may not have.
NOTE_INSTRUCTION = re.compile(
    r"\brun\b[^.;:]*\bcells?\b|\bcells?\b|\b(?:above|below)\b|\bsection \d+\b|^\W*reveal\b|\breveal the result\b", re.I)
_POINTER = re.compile(r"\s*\([^()]*\bsection \d+\b[^()]*\)", re.I)   # "(see section 2)", "(… in section 3)"
# The data as the course's sources: "in the course data", "from the course's contacts data" (after
# a preposition, not followed by "as") can say "the course's sources"; a sentence where the data is
# anything else ("The data records …", "as the data holds it") is left out of a slide.
_DATA = re.compile(r"\b[Tt]he (?:course's (?:contacts )?data|course data|contacts data|data)\b(?!')")
_SAFE_DATA = re.compile(r"\b(in|from|of|to|with|by) the (?:course's (?:contacts )?data|course data|contacts data|data)\b(?!')(?!\s+as\b)")


def sentences(text: str) -> list[str]:
    """A paragraph's sentences, each with its closing punctuation."""
    text = " ".join(text.split())
    parts = _END.split(text)
    out = [parts[0]] if parts else []
    for i in range(1, len(parts), 2):
        out[-1] += parts[i]
        out.append(parts[i + 1])
    return [s.strip() for s in out if s.strip()]


def is_instruction(sentence: str) -> bool:
    """Whether a sentence tells the reader to work the notebook."""
    return bool(INSTRUCTION.search(sentence))


def for_room(markdown: str, links: Callable[[str, str], str] | None = None) -> str:
    """One paragraph or list item of notebook markdown, as a handout or slide says it: learner
    instructions out, the course's words in (see the module docstring). May return ""."""
    made: set[str] = set()
    text = _links(markdown, links, made)
    all_sentences = sentences(text)
    kept = [s for s in all_sentences if not is_instruction(s)]
    if len(kept) * 2 < len(all_sentences):
        return ""
    out = []
    for sentence in kept:
        sentence = _LINK.sub(lambda m: m.group(0) if m.group(2) in made else m.group(1), sentence)
        for pattern, new in REPLACEMENTS:
            sentence = pattern.sub(new, sentence)
        out.append(sentence)
    out = " ".join(out).strip()
    return "" if re.fullmatch(r"[\W_]*", out) else out


def _links(markdown: str, links: Callable[[str, str], str] | None, made: set[str]) -> str:
    """Links to module notebooks through `links` (or as their text; the targets `links` gives are
    added to `made`). Other links stay for the instruction test to see (an exercise notebook);
    `for_room` then keeps only the links in `made`, and writes any other link as its text."""
    def one(m: re.Match) -> str:
        text, target = m.group(1), m.group(2)
        module = _MODULE_FILE.search(target)
        if module and "exercises/" not in target:
            if not links:
                return text
            new = links(module.group(1), text)
            made.update(t for _, t in _LINK.findall(new))
            return new
        return m.group(0)
    return _LINK.sub(one, markdown)


def links_as_text(markdown: str) -> str:
    """Markdown with every link written as its text (for speaker notes: a link there could point to
    a file the kit does not have)."""
    return _LINK.sub(r"\1", markdown)


def for_cell(markdown: str) -> str:
    """A table cell of notebook markdown, as a slide shows it: links as their text, the course's
    words for file names and "classifier" (a cell is a fact in a table, so nothing is left out)."""
    text = links_as_text(markdown)
    for pattern, new in REPLACEMENTS:
        text = pattern.sub(new, text)
    return text


def for_slide(text: str) -> str:
    """Projected prose or an output's text without the course's data-speak (see _DATA) and without
    pointers to a section ("(see section 2)" out; a sentence that names one is left out: a session
    deck may not have it); may return ""."""
    out = []
    for sentence in sentences(_POINTER.sub("", text)):
        sentence = _SAFE_DATA.sub(r"\1 the course's sources", sentence)
        if not _DATA.search(sentence) and not re.search(r"\bsection \d+\b", sentence, re.I):
            out.append(sentence)
    return " ".join(out)


def for_notes(markdown: str) -> str:
    """Notebook markdown for a speaker note: links as their text, and, paragraph by paragraph and item
    by item, without the sentences that work the notebook or point at a section (NOTE_INSTRUCTION)."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", links_as_text(markdown)):
        items = []
        for item in re.split(r"\n(?=\s*(?:[-*+]|\d+[.)])\s)", paragraph):
            marker = re.match(r"\s*(?:(?:[-*+]|\d+[.)])\s+)?", item).group(0)
            kept = [x for x in sentences(_POINTER.sub("", item[len(marker):])) if not NOTE_INSTRUCTION.search(x)]
            if kept:
                items.append(marker.strip() + (" " if marker.strip() else "") + " ".join(kept))
        if items:
            paragraphs.append("\n".join(items))
    return "\n\n".join(paragraphs)
