"""Reading a module notebook: by the course's conventions, so a restyled notebook still reads."""
from __future__ import annotations

import json
from html import unescape
import re

import pytest
from takeaway_support import ROOT

from dmst import load_law
from dmst.takeaways import facts
from dmst.takeaways.guide import read_guide
from dmst.takeaways.modules import module_paths, plain, read_module


def notebook(tmp_path, *cells, name="03-sample.ipynb"):
    """A notebook from (cell type, source[, tags]) tuples."""
    nb = {"cells": [{"cell_type": kind, "metadata": {"tags": list(rest[0]) if rest else []}, "source": source,
                     **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                    for kind, source, *rest in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / name
    path.write_text(json.dumps(nb))
    return path


def test_the_course_modules_read_completely():
    for path in module_paths(ROOT / "notebooks"):
        m = read_module(path)
        assert m.title != m.slug and m.minutes and len(m.objectives) >= 3 and m.key_points, path.name
        assert m.sections and all(s.minutes for s in m.sections), f"{path.name}: section times"
        assert sum(len(s.checks) for s in m.sections) >= len(m.sections), f"{path.name}: questions"


def test_a_restyled_header_still_reads(tmp_path):
    # Objectives under their own heading, the time table in another cell, an instructor-tagged
    # note without the "Instructor note" words, and a question with its answer box.
    path = notebook(
        tmp_path,
        ("markdown", "# 03 · Sample: a module\n\n**Who it is for:** nurses and *teachers*."),
        ("markdown", "## Learning objectives\n\nYou will be able to:\n\n1. name the **three** parts;\n"
                     "2. spot a `verify` row, even when it\n   wraps;\n3. say whom to call."),
        ("markdown", "**Estimated time:** 12 minutes\n\n| Section | Time |\n|---|---|\n| 1. First | 7 min |\n| 2. Second | 5 min |"),
        ("markdown", "## 1. First\n\nThe opening paragraph:\n\n- one\n- two\n\nMore text."),
        ("code", "course.show_brochure_vs_statute('us-18-1591')"),
        ("markdown", "Point at the board.", ["instructor"]),
        ("markdown", "### Check your understanding\n\n**1. Why?**\n\n<details><summary>Answer</summary>\n\nBecause.\n\n</details>"),
        ("markdown", "## 2. Second (5 min)\n\nSecond section."),
        ("markdown", "## Key points\n\n- Point *one*.\n- Point two.\n\n## What's next\n\nModule 04."),
    )
    m = read_module(path)
    assert m.title == "03 · Sample: a module" and m.short_title == "Sample"
    assert plain(m.who) == "nurses and teachers."
    assert m.minutes == 12
    assert [plain(o) for o in m.objectives] == ["name the three parts", "spot a verify row, even when it wraps",
                                                "say whom to call"]
    assert [(s.number, s.title, s.minutes) for s in m.sections] == [("1", "First", 7), ("2", "Second", 5)]
    first = m.sections[0]
    assert [p.kind for p in first.parts] == ["markdown", "live"]     # the note is skipped; the code cell shows nothing yet
    assert first.parts[0].text.startswith("The opening paragraph:") and "- two" in first.parts[0].text
    assert first.parts[1].source == "course.show_brochure_vs_statute('us-18-1591')"
    assert [(c.question, c.answer) for c in first.checks] == [("Why?", "Because.")]
    assert [plain(k) for k in m.key_points] == ["Point one.", "Point two."]
    assert m.whats_next == "Module 04."
    assert facts.provisions_taught(m, load_law()) == ["us-18-1591"]
    assert "Point at the board" not in m.markdown          # instructor notes are not learner text


def test_several_questions_in_one_answer_box_are_paired(tmp_path):
    path = notebook(tmp_path, ("markdown", "## 1. One\n\n### Check your understanding\n\n1. First?\n2. Second?\n\n"
                                           "<details><summary>Answers</summary>\n\n1. Yes.\n2. No.\n</details>"))
    assert [(c.question, c.answer) for c in read_module(path).sections[0].checks] == [("First?", "Yes."), ("Second?", "No.")]


def test_ids_in_notebook_text_become_citations():
    law = load_law()
    out = facts.cite_ids("Two rows have the id `ct-53a-192a`; see us-18-1591-d too.", law)
    assert out == (f"Two rows have the id {law.first('ct-53a-192a').citation}; "
                   f"see {law.first('us-18-1591-d').citation} too.")


def test_glossary_terms_a_module_uses(tmp_path):
    law = load_law()
    path = notebook(tmp_path, ("markdown", "# 01 · X\n\nA survivor may say DMST. Force, fraud or coercion."),
                    ("code", 'course.glossary(["language to avoid"])'))
    terms = {t.term for t in facts.terms_used(read_module(path), law)}
    assert {"survivor", "domestic minor sex trafficking (DMST)", "force, fraud or coercion", "language to avoid"} <= terms
    # "coercion (Connecticut)" counts by its bare word only where its provision is taught
    assert "coercion (Connecticut)" not in terms


def test_instructor_guide_gives_each_module_a_prompt_and_a_place_in_the_plans():
    guide = read_guide(ROOT / "notebooks" / "instructor-guide.ipynb")
    numbers = [p.name[:2] for p in module_paths(ROOT / "notebooks")]
    assert set(guide.prompts) == set(numbers)
    assert all(p.prompt and p.notes for p in guide.prompts.values())
    assert "simulator" in guide.simulator.lower() and "voila/render/notebooks/simulator-kiosk.ipynb" in guide.simulator
    assert "<a" not in guide.simulator
    placed = {m for plan in guide.plans for row in plan.rows for m in row.modules}
    assert placed == set(numbers)
    assert guide.plan_lines("01") == ["90-minute session: 0:12 to 0:25 (13 minutes), sections 1, 2, 3",
                                      "3-hour session: 0:15 to 0:40 (25 minutes), the whole module"]


def test_a_plan_row_reads_its_sections_for_each_module(tmp_path):
    path = notebook(tmp_path, ("markdown", "### A 60-minute session (short)\n\n| Clock | Module | Sections | What | Minutes |\n"
                                           "|---|---|---|---|---|\n| 0:00 | 03, 04 | 03: 1; 04: 2–4, 6 | Both | 20 |\n"
                                           "| 0:20 | 05 | all | All of it | 30 |\n| 0:50 | — | — | Break | 10 |"),
                    name="guide.ipynb")
    [plan] = read_guide(path).plans
    assert (plan.name, plan.slug, plan.minutes) == ("60-minute session", "60-minute-session", 60)
    first, second, third = plan.rows
    assert first.modules == ("03", "04") and first.sections == {"03": ("1",), "04": ("2", "3", "4", "6")}
    assert first.shows("04", "3") and not first.shows("04", "5") and not first.shows("03", "2")
    assert second.sections == {"05": None} and second.shows("05", "9") and second.until == "0:50"
    assert third.modules == () and third.what == "Break"


def test_the_guides_objectives_table_is_the_modules_objectives_without_markdown_marks():
    from dmst.takeaways.guide import objectives_table

    html = objectives_table(ROOT / "notebooks").data
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    for path in module_paths(ROOT / "notebooks"):
        for objective in read_module(path).objectives:
            assert " ".join(plain(objective).split()) in text
    assert "**" not in text and "`" not in text and not re.search(r"(?<![\w*])\*\w", text), "markdown marks would show"
    assert "<em>not</em>" in html                       # 06's "does *not* apply" is emphasis, not asterisks


def test_instructor_notes_in_the_guide_are_read_by_module_and_section(tmp_path):
    path = notebook(tmp_path, ("markdown", "## 7. Instructor notes, module by module\n\n"
                                           "**03 · Federal law, section 1.** Say *this*.\n\n**03 · Federal law.** And that."),
                    ("markdown", "## 4. Discussion prompts\n\n**03 · Federal law.** *\"Why?\"* Notes: listen."), name="g.ipynb")
    guide = read_guide(path)
    assert guide.notes == {("03", "1"): ["Say *this*."], ("03", None): ["And that."]}
    assert guide.prompts["03"].prompt == '*"Why?"*' and guide.prompts["03"].notes == "listen."


@pytest.mark.parametrize("missing", ["objectives", "key points"])
def test_a_module_without_objectives_or_key_points_reads_as_empty_not_an_error(tmp_path, missing):
    cells = [("markdown", "# 05 · Y")]
    if missing != "objectives":
        cells.append(("markdown", "**Learning objectives.**\n\n1. a\n2. b"))
    if missing != "key points":
        cells.append(("markdown", "## Key points\n\n- k"))
    m = read_module(notebook(tmp_path, *cells))
    assert (m.objectives == []) == (missing == "objectives") and (m.key_points == []) == (missing == "key points")
