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
- an instructor note is a markdown cell tagged `instructor` or starting "Instructor note".

Markdown is parsed with mistune (the parser nbconvert uses); `Text` keeps the parsed
inline tokens so each face can write them its own way (plain, PDF markup, HTML).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import mistune

_PARSE = mistune.create_markdown(renderer=None, plugins=["table"])
_HTML = mistune.create_markdown(escape=True, plugins=["table"])
DETAILS = re.compile(r"<details>\s*(?:<summary>.*?</summary>)?(.*?)</details>", re.S | re.I)


@dataclass(frozen=True)
class Check:
    """One "Check your understanding" question and its answer (markdown)."""
    question: str
    answer: str


@dataclass
class Section:
    number: str
    title: str
    minutes: int | None = None
    intro: str = ""                      # the section's first paragraph (markdown)
    checks: list[Check] = field(default_factory=list)
    instructor_notes: list[str] = field(default_factory=list)


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
    instructor_notes: list[str] = field(default_factory=list)  # notes before the first section
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
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown" and rewrite:
            source = rewrite(source)
        if cell.get("cell_type") == "code":
            module.code.append((part, source, _output_text(cell)))
            continue
        if cell.get("cell_type") != "markdown":
            continue
        if _is_instructor_note(cell, source):
            note = re.sub(r"^\s*\*\*Instructor note\.?\*\*\s*", "", source).strip()
            (section.instructor_notes if section else module.instructor_notes).append(note)
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
                if section:
                    module.sections.append(section)
                pending = {"key points": "key_points", "what's next": "whats_next",
                           "learning objectives": "objectives"}.get(chunk_heading.lower().strip(" .:"))
            if section is not None:
                _read_section_chunk(section, chunk)
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


def _read_section_chunk(section: Section, chunk: str) -> None:
    """The first paragraph of a section, and its questions with their `<details>` answers."""
    if not section.intro:
        tokens = [t for t in _PARSE(chunk) if t["type"] != "blank_line"]
        for i, token in enumerate(tokens):
            if token["type"] == "paragraph":
                section.intro = _inline_markdown(token["children"])
                following = tokens[i + 1] if i + 1 < len(tokens) else None
                if section.intro.endswith(":") and following and following["type"] == "list":
                    mark = "1." if following["attrs"].get("ordered") else "-"
                    section.intro += "\n\n" + "\n".join(f"{mark} {_inline_markdown(_item_inlines(item))}"
                                                         for item in following["children"])
                break
    body = chunk.split("Check your understanding", 1)[-1] if "Check your understanding" in chunk else chunk
    start = 0
    for m in DETAILS.finditer(body):
        question, answer = _dedent(re.sub(r"^#+.*$", "", body[start:m.start()], flags=re.M)), _dedent(m.group(1))
        questions, answers = _numbered(question), _numbered(answer)
        if len(questions) > 1 and len(questions) == len(answers):   # several questions, one answer box
            section.checks.extend(Check(q, a) for q, a in zip(questions, answers))
        elif question:
            section.checks.append(Check(_unnumber(question), answer))
        start = m.end()


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
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append("".join(out["text"]))
        for mime, value in out.get("data", {}).items():
            if mime.startswith("text/"):
                parts.append("".join(value) if isinstance(value, list) else str(value))
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
