"""Read a course module (notebooks/NN-*.ipynb) into the parts the take-aways print.

The notebooks are the single source of the course's teaching text, so handouts and slides
are made from them, not from a second copy. Parsing goes by the course's conventions, not by
cell positions, so a notebook can be split or restyled without breaking it:

- the title is the first level-1 heading; "Who it is for" / "Who this is for" the paragraph
  that starts with it; the estimated time the number after "Estimated time";
- the objectives are the first numbered list after the words "Learning objectives" (a
  heading or a bold lead-in); the key points the first list after a "Key points" heading;
- a section starts at a level-2 heading "N. Title" and ends at the next level-2 heading; its
  minutes come from the "| N. Title | M min |" row of the module's time table; its questions
  are the "Check your understanding" items, each followed by a `<details>` answer;
- a section's parts are what it shows, in order: its markdown (before its questions), each code
  cell's output (HTML, or an image), an interactive tool (a code cell that shows nothing until it
  runs: a widget) and any `<details>` answer that is not a question's (kept apart: an answer);
- an instructor note (a markdown cell tagged `instructor` or starting "Instructor note") is not
  learner text and is skipped: instructor notes belong in the instructor guide (guide.py).

Markdown is parsed with mistune (the parser nbconvert uses); `Text` keeps the parsed
inline tokens so each face can write them its own way (plain, PDF markup, HTML).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path

import mistune

_PARSE = mistune.create_markdown(renderer=None, plugins=["table"])
_HTML = mistune.create_markdown(escape=True, plugins=["table"])
DETAILS = re.compile(r"<details>\s*(?:<summary>.*?</summary>)?(.*?)</details>", re.S | re.I)
DETAILS_WITH_SUMMARY = re.compile(r"<details>\s*(?:<summary>(.*?)</summary>)?(.*?)</details>", re.S | re.I)


@dataclass(frozen=True)
class Check:
    """One "Check your understanding" question and its answer (markdown)."""
    question: str
    answer: str


@dataclass(frozen=True)
class Part:
    """One thing a section shows, in notebook order."""
    kind: str        # "markdown" | "output" (HTML) | "live" (an interactive tool) | "answer" (markdown)
    text: str
    label: str = ""  # output, live: the code cell's first comment; answer: its summary
    source: str = ""  # output, live: the code cell's source


@dataclass
class Section:
    number: str
    title: str
    minutes: int | None = None
    checks: list[Check] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)


@dataclass
class Module:
    number: str                          # "01"
    slug: str                            # "01-defining-the-crime"
    title: str
    who: str = ""
    minutes: int | None = None
    objectives: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    whats_next: str = ""
    sections: list[Section] = field(default_factory=list)
    opening: list[Part] = field(default_factory=list)     # what it shows before its first section (content note)
    code: list[tuple[str, str, str]] = field(default_factory=list)  # (part heading, source, output text)
    markdown: str = ""                   # every learner-facing markdown cell, joined

    @property
    def short_title(self) -> str:
        """The title without the "NN ·" prefix and the subtitle after a colon."""
        return re.sub(r"^\d+\s*[·.:-]\s*", "", self.title).split(":", 1)[0].strip()


def module_paths(folder: Path) -> list[Path]:
    """The course modules, in order: notebooks named NN-*.ipynb."""
    return sorted(Path(folder).glob("[0-9][0-9]-*.ipynb"))


def read_module(path: Path, rewrite=None) -> Module:
    """The module in the notebook at `path`. `rewrite`, if given, is applied to the text of every
    markdown cell first (the take-aways use it to put citations where a notebook shows ids)."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    path = Path(path)
    module = Module(number=path.name[:2], slug=path.stem, title=path.stem)
    part = ""                            # the level-2 heading the cell is under
    section: Section | None = None
    times: dict[str, int] = {}
    learner_md: list[str] = []
    pending: str | None = None           # "objectives" / "key_points" / "whats_next": waiting for its block
    in_checks = False                    # past the section's "Check your understanding"
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown" and rewrite:
            source = rewrite(source)
        if cell.get("cell_type") == "code":
            module.code.append((part, source, _output_text(cell)))
            if section is not None and not in_checks:
                section.parts.extend(_code_parts(source, cell.get("outputs", [])))
            elif not module.sections:
                module.opening.extend(_code_parts(source, cell.get("outputs", [])))
            continue
        if cell.get("cell_type") != "markdown" or _is_instructor_note(cell, source):
            continue
        learner_md.append(source)
        for name, minutes in re.findall(r"^\|\s*(\d+)\.[^|]*\|\s*(\d+)\s*min", source, re.M):
            times[name] = int(minutes)
        for chunk_heading, chunk in _chunks(source):
            if chunk_heading is not None:
                part = chunk_heading
                numbered = re.match(r"(\d+)\.\s+(.+)", chunk_heading)
                title = re.sub(r"\s*\(\d+\s*min(?:utes)?\)$", "", numbered.group(2).strip()) if numbered else ""
                section = Section(numbered.group(1), title) if numbered else None
                in_checks = False
                if section:
                    module.sections.append(section)
                pending = {"key points": "key_points", "what's next": "whats_next",
                           "learning objectives": "objectives"}.get(chunk_heading.lower().strip(" .:"))
            if section is not None:
                in_checks = _read_section_chunk(section, chunk, in_checks)
            pending = _read_blocks(module, _PARSE(chunk), pending)
    for s in module.sections:
        s.minutes = times.get(s.number)
    module.markdown = "\n\n".join(learner_md)
    return module


def _is_instructor_note(cell: dict, source: str) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return "instructor" in tags or bool(re.match(r"\s*(\*\*)?Instructor note", source))


def _chunks(source: str):
    """The cell's text split at level-2 headings: (heading or None, text under it)."""
    pieces = re.split(r"^##\s+(.+?)\s*#*\s*$", source, flags=re.M)
    yield None, pieces[0]
    for i in range(1, len(pieces), 2):
        yield pieces[i], pieces[i + 1]


CHECKS = re.compile(r"^#{3,}\s*Check your understanding.*$", re.M | re.I)


def _read_section_chunk(section: Section, chunk: str, in_checks: bool) -> bool:
    """A piece of a section's markdown: what it shows (parts) up to its "Check your understanding"
    heading, the questions with their `<details>` answers after it. Returns whether the questions
    have begun."""
    if not in_checks:
        heading = CHECKS.search(chunk)
        shown, chunk = (chunk[:heading.start()], chunk[heading.end():]) if heading else (chunk, "")
        in_checks = heading is not None
        _shown_parts(section, shown)
        if not in_checks:
            return False
    body = chunk
    start = 0
    for m in DETAILS.finditer(body):
        question, answer = _dedent(re.sub(r"^#+.*$", "", body[start:m.start()], flags=re.M)), _dedent(m.group(1))
        questions, answers = _numbered(question), _numbered(answer)
        if len(questions) > 1 and len(questions) == len(answers):   # several questions, one answer box
            section.checks.extend(Check(q, a) for q, a in zip(questions, answers))
        elif question:
            section.checks.append(Check(_unnumber(question), answer))
        start = m.end()
    return True


def _shown_parts(section: Section, markdown: str) -> None:
    """Markdown a section shows, as parts: the text between `<details>` answers, and the answers."""
    start = 0
    for m in DETAILS_WITH_SUMMARY.finditer(markdown):
        _add_text(section, markdown[start:m.start()])
        section.parts.append(Part("answer", _dedent(m.group(2)), " ".join((m.group(1) or "").split())))
        start = m.end()
    _add_text(section, markdown[start:])


def _add_text(section: Section, markdown: str) -> None:
    if markdown.strip():
        section.parts.append(Part("markdown", markdown.strip()))


def _code_parts(source: str, outputs: list[dict]) -> list[Part]:
    """What a code cell shows: each HTML or image output, or, when it shows nothing until it runs,
    an interactive tool. Text a cell prints is not course content."""
    label = _label(source)
    shown = []
    for out in outputs:
        data = out.get("data", {})
        if "text/html" in data:
            shown.append(Part("output", _joined(data["text/html"]), label, source))
        elif "image/png" in data:
            alt = escape(label, quote=True)
            shown.append(Part("output", f'<img src="data:image/png;base64,{_joined(data["image/png"]).strip()}" '
                                        f'alt="{alt}">', label, source))
    if not outputs and source.strip():
        shown.append(Part("live", "", label, source))
    return shown


def _label(source: str) -> str:
    """A code cell's first line when it is a comment (the course's convention: what it shows)."""
    first = source.strip().splitlines()[0] if source.strip() else ""
    return first.lstrip("#").strip() if first.startswith("#") else ""


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _numbered(text: str) -> list[str]:
    """The items of a text that is one numbered list ("1. …\n2. …"), or [] if it is not."""
    parts = re.split(r"^\d+\.\s+", text, flags=re.M)
    return [" ".join(p.split()) for p in parts[1:]] if not parts[0].strip() else []


def _unnumber(text: str) -> str:
    """"1. Question" or "**1. Question**" without its number (and without bold around all of it)."""
    text = re.sub(r"^(\*\*)?\s*\d+\.\s*", r"\1", text).strip()
    whole = re.fullmatch(r"\*\*([^*]+)\*\*", text)
    return whole.group(1).strip() if whole else text


def _dedent(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines())


def _read_blocks(module: Module, tokens: list[dict], pending: str | None) -> str | None:
    for token in tokens:
        kind = token["type"]
        if kind == "heading":
            text = plain_inline(token["children"]).strip()
            if token["attrs"]["level"] == 1 and module.title == module.slug:
                module.title = text
            if "learning objectives" in text.lower() and not module.objectives:
                pending = "objectives"
        elif kind == "paragraph":
            text = plain_inline(token["children"]).strip()
            who = re.match(r"Who (?:this|it) is for:\s*(.+)", text, re.S)
            if who and not module.who:
                module.who = _inline_markdown(token["children"]).split(":", 1)[1].strip().lstrip("*").strip()
            time = re.search(r"Estimated time\W*(\d+)\s*min", text)
            if time and module.minutes is None:
                module.minutes = int(time.group(1))
            if "learning objectives" in text.lower() and not module.objectives:
                pending = "objectives"
            elif pending == "whats_next" and not module.whats_next:
                module.whats_next = _inline_markdown(token["children"])
                pending = None
        elif kind == "list" and pending in ("objectives", "key_points"):
            items = [_inline_markdown(_item_inlines(item)) for item in token["children"]]
            if pending == "objectives" and not module.objectives:
                module.objectives = [i.rstrip(";.").strip() for i in items]
            elif pending == "key_points" and not module.key_points:
                module.key_points = items
            pending = None
    return pending


def _item_inlines(item: dict) -> list[dict]:
    out: list[dict] = []
    for child in item.get("children", []):
        if child["type"] in ("block_text", "paragraph"):
            if out:
                out.append({"type": "softbreak"})
            out.extend(child["children"])
    return out


def _output_text(cell: dict) -> str:
    """What a code cell shows, as text: printed text, plain text, and HTML without its tags and
    with its entities read (so "U.S. Attorney&#x27;s Office" is found by its name)."""
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(_joined(out["text"]))
        for mime, value in out.get("data", {}).items():
            if mime == "text/html":
                parts.append(unescape(re.sub(r"<[^>]+>", " ", _joined(value))))
            elif mime.startswith("text/"):
                parts.append(_joined(value))
    return "\n".join(parts)


# --- inline markdown: one parse, three ways of writing it ---------------------------------

def _inline_markdown(children: list[dict]) -> str:
    """Inline tokens back to compact markdown (soft breaks become spaces)."""
    out = []
    for t in children:
        kind = t["type"]
        if kind == "text":
            out.append(t["raw"])
        elif kind in ("softbreak", "linebreak"):
            out.append(" ")
        elif kind == "strong":
            out.append(f"**{_inline_markdown(t['children'])}**")
        elif kind == "emphasis":
            out.append(f"*{_inline_markdown(t['children'])}*")
        elif kind == "codespan":
            out.append(f"`{t['raw']}`")
        elif kind == "link":
            out.append(f"[{_inline_markdown(t['children'])}]({t['attrs']['url']})")
        elif "children" in t:
            out.append(_inline_markdown(t["children"]))
        elif "raw" in t:
            out.append(t["raw"])
    return " ".join("".join(out).split(" ")).strip()


def plain_inline(children: list[dict]) -> str:
    out = []
    for t in children:
        if t["type"] in ("softbreak", "linebreak"):
            out.append(" ")
        elif "children" in t:
            out.append(plain_inline(t["children"]))
        elif t["type"] == "inline_html":
            continue
        else:
            out.append(t.get("raw", ""))
    return "".join(out)


def inline_tokens(markdown: str) -> list[dict]:
    """The inline tokens of a short piece of markdown (one paragraph or list item)."""
    tokens = _PARSE(markdown)
    out: list[dict] = []
    for t in tokens:
        if t["type"] in ("paragraph", "block_text", "heading"):
            if out:
                out.append({"type": "softbreak"})
            out.extend(t["children"])
        elif t["type"] == "list":
            for item in t["children"]:
                if out:
                    out.append({"type": "softbreak"})
                out.extend(_item_inlines(item))
    return out


def plain(markdown: str) -> str:
    """Markdown as plain text: emphasis and code marks dropped, links as their text."""
    return " ".join(plain_inline(inline_tokens(markdown)).split())


def html(markdown: str) -> str:
    """Markdown as HTML (raw HTML in it is escaped, so notebook text cannot inject markup)."""
    return _HTML(markdown)


def md_escape(text: str) -> str:
    """Plain text (from data/) made safe to embed in markdown: its punctuation is escaped."""
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", text)
