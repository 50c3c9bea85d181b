"""Read the instructor guide (notebooks/instructor-guide.ipynb): its session plans, its discussion
prompts, its instructor notes for each module, and its advice on projecting the simulator. The
slides are made from these (session decks, speaker notes).

The guide's conventions (it is written for people; these are the structures this reads):

- a session plan is a table under a level-3 heading that names a session ("### A 90-minute
  session …") with columns Clock | Module | Sections | What | Minutes. *Module* is a module
  number, several ("03, 04"), or "—" for a part of the session that is not a module (a break,
  the knowledge check). *Sections* is "all", a list ("1, 3", "1–3") or, for several modules,
  one list each ("03: 1; 04: 3, 6");
- under the level-2 heading with "prompts" in it, a prompt is a paragraph that opens with the
  module in bold ("**01 · Defining the crime.** *"prompt"* Notes: …");
- under the level-2 heading with "instructor notes" in it, a note is a paragraph that opens with
  the module in bold, with or without a section ("**03 · Federal law, section 1.** …");
- the simulator advice is the paragraph that opens with a bold phrase naming the simulator.

`objectives_table()` is for the guide itself: the modules' objectives as an HTML table, their
emphasis rendered (not shown as marks), for the guide's "Objectives, module by module". It needs
only the standard library, so the guide runs where learners run the course (Binder).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

_BOLD_MODULE = re.compile(r"\*\*(\d\d)\s*·\s*([^*]*?)(?:,\s*section\s+(\d+))?\.?\*\*\s*(.+)", re.S)


@dataclass(frozen=True)
class Prompt:
    prompt: str          # markdown
    notes: str           # markdown: what to listen for


@dataclass(frozen=True)
class PlanRow:
    clock: str                                          # "0:12"
    modules: tuple[str, ...]                            # ("03", "04"), or () for a break or an activity
    sections: dict                                      # module -> tuple of section numbers, or None: all
    what: str                                           # markdown
    minutes: int

    def shows(self, module: str, section: str) -> bool:
        wanted = self.sections.get(module, ())
        return wanted is None or section in wanted

    @property
    def until(self) -> str:
        """The clock at the end of the row."""
        hours, minutes = (int(x) for x in self.clock.split(":"))
        end = hours * 60 + minutes + self.minutes
        return f"{end // 60}:{end % 60:02d}"


@dataclass(frozen=True)
class Plan:
    heading: str         # "A 90-minute session (projected, instructor-led)"
    name: str            # "90-minute session"
    rows: tuple[PlanRow, ...]

    @property
    def slug(self) -> str:
        return re.sub(r"[^\w]+", "-", self.name.lower()).strip("-")

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.rows)


@dataclass
class Guide:
    prompts: dict[str, Prompt] = field(default_factory=dict)
    notes: dict[tuple[str, str | None], list[str]] = field(default_factory=dict)   # (module, section) -> markdown
    plans: list[Plan] = field(default_factory=list)
    simulator: str = ""                                                         # markdown

    def plan_lines(self, module: str) -> list[str]:
        """Where the module comes in each session plan: "90-minute session: 0:12 to 0:25 (13 minutes), sections 1–3"."""
        out = []
        for plan in self.plans:
            for row in plan.rows:
                if module in row.modules:
                    wanted = row.sections.get(module)
                    which = "the whole module" if wanted is None else (
                        f"section{'s' if len(wanted) > 1 else ''} {', '.join(wanted)}")
                    out.append(f"{plan.name}: {row.clock} to {row.until} ({row.minutes} minutes), {which}")
        return out


def read_guide(path: Path) -> Guide:
    guide = Guide()
    if not Path(path).exists():
        return guide
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    text = "\n\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "markdown")
    for heading, body in re.findall(r"^##\s+(.+?)\s*$\n(.*?)(?=^##\s|\Z)", text, re.M | re.S):
        kind = heading.lower()
        for para in re.split(r"\n\s*\n", body):
            para = para.strip()
            lead = _BOLD_MODULE.match(para)
            if lead and "prompts" in kind:
                prompt, _, notes = " ".join(lead.group(4).split()).partition("Notes:")
                guide.prompts[lead.group(1)] = Prompt(prompt.strip(), notes.strip())
            elif lead and "instructor notes" in kind:
                guide.notes.setdefault((lead.group(1), lead.group(3)), []).append(" ".join(lead.group(4).split()))
            elif re.match(r"\*\*[^*]*simulator[^*]*\*\*", para, re.I) and not guide.simulator:
                guide.simulator = re.sub(r"<a\b[^>]*>(.*?)</a>", r"\1", " ".join(para.split()))   # links as their text
    for heading, body in re.findall(r"^###\s+(.+?)\s*$\n(.*?)(?=^#{1,3}\s|\Z)", text, re.M | re.S):
        if "session" in heading.lower():
            rows = tuple(_plan_rows(body))
            if rows:
                name = re.sub(r"^An?\s+", "", heading.split("(")[0].strip())
                guide.plans.append(Plan(heading.strip(), name, rows))
    return guide


def _plan_rows(table: str):
    lines = [line for line in table.splitlines() if line.strip().startswith("|")]
    if len(lines) < 3:
        return
    header = [c.strip().lower() for c in lines[0].strip().strip("|").split("|")]
    if header[:3] != ["clock", "module", "sections"]:
        return
    for line in lines[2:]:
        clock, module, sections, what, minutes = (c.strip() for c in line.strip().strip("|").split("|"))
        modules = tuple(re.findall(r"\b\d\d\b", module))
        yield PlanRow(clock, modules, _sections(sections, modules), what, int(minutes))


def _sections(text: str, modules: tuple[str, ...]) -> dict:
    """ "all" -> every section; "1, 3" or "1–3" -> those, for every module of the row;
    "03: 1; 04: 3, 6" -> per module. A module the cell does not name shows nothing."""
    out: dict = {}
    for part in text.split(";"):
        named = re.match(r"\s*(\d\d)\s*:\s*(.*)", part)
        which, spec = ((named.group(1),), named.group(2)) if named else (modules, part)
        numbers = None if spec.strip().lower() == "all" else _numbers(spec)
        for m in which:
            out[m] = numbers
    return out


def _numbers(spec: str) -> tuple[str, ...]:
    out: list[str] = []
    for a, b in re.findall(r"(\d+)(?:\s*[–-]\s*(\d+))?", spec):
        out.extend(str(n) for n in range(int(a), int(b or a) + 1))
    return tuple(out)


# --- for the guide itself --------------------------------------------------------------------

def objectives_table(folder: Path | None = None):
    """Each module's learning objectives as the module words them, as a table to display in the
    guide: one row per module, its objectives numbered, their emphasis rendered."""
    from IPython.display import HTML

    folder = Path(folder) if folder else Path(__file__).resolve().parents[3] / "notebooks"
    cell = "text-align:left;vertical-align:top;padding:.35em .6em;border-bottom:1px solid #b0b0b0"
    rows = []
    for path in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
        header = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
        title = re.search(r"^#\s+(.+)$", header, re.M)
        items = "".join(f"<li>{_inline_html(item)}</li>" for item in objectives(header))
        rows.append(f"<tr><th scope=\"row\" style=\"{cell}\">{_inline_html(title.group(1) if title else path.stem)}</th>"
                    f"<td style=\"{cell}\"><ol style=\"margin:0;padding-left:1.4em\">{items}</ol></td></tr>")
    head = "".join(f"<th scope=\"col\" style=\"{cell};border-bottom:2px solid #505050\">{h}</th>"
                   for h in ("Module", "By the end, learners will be able to"))
    return HTML(f"<table style=\"border-collapse:collapse;width:100%\"><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")


def _inline_html(markdown: str) -> str:
    """Inline markdown of the kind objectives use (**strong**, *emphasis*, `code`) as HTML, escaped."""
    text = escape(markdown, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)


def objectives(header: str) -> list[str]:
    """The numbered list after "Learning objectives" in a module's first cell, as markdown items."""
    after = re.split(r"learning objectives", header, maxsplit=1, flags=re.I)
    if len(after) < 2:
        return []
    items: list[str] = []
    for line in after[1].splitlines():
        number = re.match(r"\s*\d+\.\s+(.*)", line)
        if number:
            items.append(number.group(1).strip())
        elif items and line.strip() and line[:1].isspace():
            items[-1] += " " + line.strip()
        elif items and line.strip():
            break
    return [re.sub(r"[;.]\s*$", "", i) for i in items]
