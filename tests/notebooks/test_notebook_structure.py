"""Every course notebook follows the conventions (../shared/CONVENTIONS.md).

Parametrized over every notebooks/*.ipynb, whoever wrote it: the header parts and the
disclaimer; "Check your understanding" with answers behind <details>; key points, what's
next and sources; every provision id, statute citation, public act and public law the
text mentions exists in the law data; none of the terms the language guide rules out;
no widget state; every image has alt text; committed executed without errors.

Images: the course shows a chart as an HTML <img> with alt text (dmst.course.figure_html),
because a bare image/png output cannot carry alt text a screen reader will read.
Three kinds of notebook: a *module* (`NN-name.ipynb`) has every part; the *instructor
guide* is for instructors, so it is not asked for learner parts ("Check your understanding",
its own objectives, key points); any other *page* (such as a code-free simulator page) needs
a title, a content note and the disclaimer.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DATA = ROOT / "data"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
TEXT_MIMES = ("text/plain", "text/html", "text/markdown")

HEADER = {
    "who it is for": r"who (this|it) is for|audience",
    "learning objectives": r"you will be able to",
    "estimated time": r"estimated time",
    "prerequisites": r"prerequisite",
    "content note": r"content note",
    "disclaimer (not legal advice)": r"not legal advice",
    "disclaimer (the law changes)": r"law changes",
}
CLOSING = {
    "key points": r"key points",
    "what's next": r"what.s next|what next|next steps",
}
# The language guide: never call a child a prostitute (statute titles are quoted as written).
RULED_OUT = re.compile(
    r"\b(child|children|teen|teens|teenage|teenaged|underage|under-age|juvenile|minor|youth)\s+prostitutes?\b"
    r"|\bprostituted\s+(child|children|minors?|teens?|youth)\b", re.IGNORECASE)
PROVISION_ID = re.compile(r"\b(?:us|ct)-(?:\d[0-9a-z]*|pa)(?:-[0-9a-z]+)+\b")
US_CITATION = re.compile(r"(\d+)\s*U\.\s?S\.\s?C\.\s*§+\s*(\d+)")
SECTIONS = re.compile(r"§§?\s*((?:\d+[a-z]?(?:-\d+[a-z]?)?(?:\([0-9a-z]+\))*)"
                      r"(?:\s*(?:,|and|or|to)\s*\d+[a-z]?(?:-\d+[a-z]?)?(?:\([0-9a-z]+\))*)*)")
CT_SECTION = re.compile(r"\d+[a-z]?-\d+[a-z]?")
ACT = re.compile(r"\b(P\.\s?A\.|Public Act|P\.\s?L\.|Public Law)\s*(\d+-\d+)")
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT = re.compile(r"\balt\s*=\s*(\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")


@lru_cache(maxsize=1)
def provisions() -> list[dict]:
    with open(DATA / "provisions.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def known() -> dict:
    """What the data holds: provision ids and citations, and the sections of the penalty classes."""
    with open(DATA / "penalty_classes.csv", newline="", encoding="utf-8") as f:
        classes = list(csv.DictReader(f))
    rows = provisions()
    cited = rows + classes
    us = {(t, s) for r in cited if r["jurisdiction"] == "US" for t, s in US_CITATION.findall(r["citation"])}
    ct = {s for r in cited if r["jurisdiction"] == "CT" for s in CT_SECTION.findall(r["citation"])}
    text = "\n".join(" ".join(r.values()) for r in rows)
    return {"ids": {r["id"] for r in rows}, "us": us, "us_sections": {s for _, s in us}, "ct": ct,
            "acts": {n for _, n in ACT.findall(text)}, "titles": {r["title"] for r in rows}}


def load(path: Path):
    return nbformat.read(path, as_version=4)


def markdown(nb) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def sources(nb) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type in ("markdown", "code"))


def output_text(nb) -> str:
    parts = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            parts.append(o.get("text", "") if o.get("output_type") == "stream" else "")
            data = o.get("data", {})
            parts.extend(_joined(data[m]) for m in TEXT_MIMES if m in data)
    return "\n".join(parts)


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def everything(nb) -> str:
    return sources(nb) + "\n" + output_text(nb)


def kind(path: Path) -> str:
    if path.name[:2].isdigit():
        return "module"
    return "guide" if "instructor" in path.stem else "page"


MODULES = [p for p in NOTEBOOKS if kind(p) == "module"]
LESSONS = [p for p in NOTEBOOKS if kind(p) != "page"]  # modules and the instructor guide
PAGE_HEADER = ("content note", "disclaimer (not legal advice)", "disclaimer (the law changes)")


def ids(paths):
    return [p.name for p in paths]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_header_parts_and_disclaimer(path):
    nb = load(path)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    assert first.source.lstrip().startswith("# "), f"{path.name}: the first markdown cell must start with a '# ' title"
    text = everything(nb)
    wanted = {n: p for n, p in HEADER.items() if kind(path) != "page" or n in PAGE_HEADER}
    missing = [name for name, pattern in wanted.items() if not re.search(pattern, text, re.IGNORECASE)]
    assert not missing, f"{path.name}: header part(s) missing: {', '.join(missing)}"


@pytest.mark.parametrize("path", MODULES, ids=ids(MODULES))
def test_objectives_number_three_to_five(path):
    text = markdown(load(path))
    found = re.search(r"you will be able to[^\n]*\n", text, re.IGNORECASE)
    assert found, f"{path.name}: no 'you will be able to' followed by a list of objectives"
    count = 0
    for line in text[found.end():].splitlines():
        if re.match(r"\s*(?:\d+\.|[-*])\s+", line):
            count += 1
        elif line.strip() and not line[:1].isspace() and count:
            break  # the first line after the list that is not a continuation
    assert 3 <= count <= 5, f"{path.name}: {count} learning objectives; the conventions ask for 3 to 5"


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_checks_with_hidden_answers_key_points_next_and_sources(path):
    text = markdown(load(path))
    assert re.search(r"^#+ .*\bsources\b", text, re.IGNORECASE | re.MULTILINE), f"{path.name}: no 'Sources' heading"
    if kind(path) == "guide":
        return
    checks = len(re.findall(r"check your understanding", text, re.IGNORECASE))
    assert checks, f"{path.name}: no 'Check your understanding'"
    answers = len(re.findall(r"<details>", text, re.IGNORECASE))
    assert answers >= checks, f"{path.name}: {checks} 'Check your understanding' but only {answers} <details> answers"
    missing = [name for name, pattern in CLOSING.items() if not re.search(pattern, text, re.IGNORECASE)]
    assert not missing, f"{path.name}: missing {', '.join(missing)}"


def unknown_references(text: str) -> list[str]:
    """Provision ids, U.S.C. and Conn. Gen. Stat. sections, public acts and public laws in
    `text` that data/provisions.csv does not hold."""
    k, bad = known(), []
    bad += [f"provision id {m}" for m in PROVISION_ID.findall(text) if m not in k["ids"]]
    bad += [f"citation {m.group(0)}" for m in US_CITATION.finditer(text) if (m.group(1), m.group(2)) not in k["us"]]
    for m in SECTIONS.finditer(text):
        for token in re.split(r"\s*(?:,|and|or|to)\s*", m.group(1)):
            section = re.sub(r"\(.*", "", token)
            if section and section not in (k["ct"] if "-" in section else k["us_sections"]):
                bad.append(f"section § {section}")
    bad += [f"{kind_} {n}" for kind_, n in ACT.findall(text) if n not in k["acts"]]
    return sorted(set(bad))


def test_reference_check_catches_what_the_data_does_not_hold():
    good = ("us-18-1591-d, ct-pa-11-180, 18 U.S.C. § 1591(b)(1), §§ 53a-83, 53a-83a, Conn. Gen. Stat. §53a-82, "
            "§ 1591(d), P.A. 16-71, P.L. 114-22")
    assert unknown_references(good) == []
    bad = "us-18-2423, 18 U.S.C. § 2251, § 53a-90a, §§ 53a-83 and 53a-71, P.A. 99-1, § 1592"
    assert unknown_references(bad) == sorted({"provision id us-18-2423", "citation 18 U.S.C. § 2251",
                                              "section § 2251", "section § 53a-90a", "section § 53a-71",
                                              "P.A. 99-1", "section § 1592"})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_id_and_citation_mentioned_is_in_the_data(path):
    bad = unknown_references(sources(load(path)))
    assert not bad, f"{path.name}: not in data/provisions.csv: {', '.join(bad)}"


def test_ruled_out_terms_are_caught_and_titles_are_not():
    assert RULED_OUT.search("a Teen  prostitute") and RULED_OUT.search("prostituted children")
    assert not RULED_OUT.search("Patronizing a prostitute; a child or youth who is trafficked")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_ruled_out_terms(path):
    text = everything(load(path))
    for title in known()["titles"]:
        text = text.replace(title, "")
    found = sorted({m.group(0) for m in RULED_OUT.finditer(text)})
    assert not found, f"{path.name}: the language guide rules out {found}; say 'child or youth who is trafficked'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_widget_state(path):
    nb = load(path)
    assert "widgets" not in nb.metadata, f"{path.name}: metadata.widgets is committed; run `make notebooks` (it strips it)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_image_has_alt_text(path):
    nb, bad = load(path), []
    for n, c in enumerate(nb.cells):
        html_parts = [c.source] if c.cell_type == "markdown" else []
        if c.cell_type == "markdown":
            bad += [f"cell {n}: markdown image {m.group(2)[:40]}" for m in MD_IMAGE.finditer(c.source) if not m.group(1).strip()]
        for o in c.get("outputs", []):
            data = o.get("data", {})
            raw = [m for m in IMAGE_MIMES if m in data]
            if raw:
                bad.append(f"cell {n}: a bare {raw[0]} output (show charts with dmst.course.figure_html, which sets alt text)")
            if "text/html" in data:
                html_parts.append(_joined(data["text/html"]))
        for part in html_parts:
            for tag in IMG_TAG.findall(part):
                alt = ALT.search(tag)
                if not alt or not (alt.group(2) or alt.group(3) or "").strip():
                    bad.append(f"cell {n}: <img> without alt text")
    assert not bad, f"{path.name}: " + "; ".join(bad)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_committed_executed_without_errors(path):
    nb, bad = load(path), []
    for n, c in enumerate(nb.cells):
        if c.cell_type != "code" or not c.source.strip():
            continue
        if c.execution_count is None:
            bad.append(f"cell {n} has not been run")
        errors = [o for o in c.outputs if o.output_type == "error"]
        if errors and "raises-exception" not in c.metadata.get("tags", []):
            bad.append(f"cell {n} raised {errors[0].ename}")
    assert not bad, f"{path.name}: {'; '.join(bad)} (run `make notebooks`)"


@pytest.mark.parametrize("path", MODULES, ids=ids(MODULES))
def test_instructor_notes_are_in_marked_cells(path):
    bad = []
    for n, c in enumerate(load(path).cells):
        tagged = "instructor" in c.metadata.get("tags", [])
        marked = c.cell_type == "markdown" and c.source.lstrip().lower().startswith("**instructor note")
        if marked != tagged:
            bad.append(f"cell {n}: " + ("tagged 'instructor' but does not start with '**Instructor note'"
                                        if tagged else "an instructor note not tagged 'instructor'"))
        elif not tagged and re.search(r"instructor note", c.source, re.IGNORECASE):
            bad.append(f"cell {n}: an instructor note mixed into learner text")
    assert not bad, f"{path.name}: " + "; ".join(bad)


def test_course_map_times_match_each_module():
    """00's course map gives every module's time; each module's own header must agree."""
    start = ROOT / "notebooks" / "00-start-here.ipynb"
    course_map = dict(re.findall(r"^\|\s*\*\*(\d\d) [^|]*\*\*\s*\|[^|]*\|\s*(\d+) min\s*\|", markdown(load(start)), re.MULTILINE))
    assert course_map, "00-start-here: no course map table (| **NN Title** | ... | N min |)"
    bad = []
    for path in NOTEBOOKS:
        number = path.name[:2]
        if not number.isdigit():
            continue
        own = re.search(r"estimated time:?\**\s*(?:about\s+)?(\d+)\s*min", markdown(load(path)), re.IGNORECASE)
        if number not in course_map:
            bad.append(f"{path.name} is not in the course map")
        elif own and own.group(1) != course_map[number]:
            bad.append(f"{path.name} says {own.group(1)} min, the course map {course_map[number]} min")
    assert not bad, "; ".join(bad)
