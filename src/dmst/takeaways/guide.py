"""Read the instructor guide (notebooks/instructor-guide.ipynb) for what it says about each module:
its discussion prompt with the notes on what to listen for, its rows in the session plans,
and the guide's advice on projecting the simulator. These become slide speaker notes.

The guide's conventions: a prompt is a paragraph that opens with the module in bold
("**01 · Defining the crime.** *"prompt"* Notes: …"); a session plan is a table under a
heading that names a session, with the module number in a cell of its own.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Prompt:
    prompt: str          # markdown
    notes: str           # markdown: what to listen for


@dataclass
class Guide:
    prompts: dict[str, Prompt] = field(default_factory=dict)
    plans: dict[str, list[str]] = field(default_factory=dict)    # module -> "90-minute session: 0:10, …"
    simulator: str = ""                                             # markdown: projecting the simulator


def read_guide(path: Path) -> Guide:
    guide = Guide()
    if not Path(path).exists():
        return guide
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    text = "\n\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "markdown")
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        lead = re.match(r"\*\*(\d\d)\s*·[^*]*\*\*\s*(.+)", para, re.S)
        if lead:
            body = " ".join(lead.group(2).split())
            prompt, _, notes = body.partition("Notes:")
            guide.prompts[lead.group(1)] = Prompt(prompt.strip(), notes.strip())
        elif re.match(r"\*\*[^*]*simulator[^*]*\*\*", para, re.I) and not guide.simulator:
            guide.simulator = " ".join(para.split())
    for heading, body in re.findall(r"^###\s+(.+?)\s*$\n(.*?)(?=^#{1,3}\s|\Z)", text, re.M | re.S):
        if "session" not in heading.lower():
            continue
        name = re.sub(r"^An?\s+", "", heading.split("(")[0].strip())
        for row in re.findall(r"^\|(.+)\|\s*$", body, re.M):
            cells = [c.strip() for c in row.split("|")]
            modules = re.findall(r"\b(\d\d)\b", " ".join(cells[1:2]))
            if len(cells) >= 4 and modules:
                clock, what, minutes = cells[0], cells[2], cells[-1]
                for m in modules:
                    guide.plans.setdefault(m, []).append(f"{name}: at {clock}, {minutes} minutes: {what}")
    return guide
