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
  slides) or its text; any other link (a file, a web page) becomes its text.

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
