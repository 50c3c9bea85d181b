"""What a learner sees in the committed notebooks reads as a course, not as a data notebook.

"What a learner sees" is the text of every markdown cell and every output (HTML as its
visible text, or plain text and printed text when there is no HTML), in every notebook of
notebooks/ (the modules, the instructor guide and the kiosk page). Code is not in it: lesson
code cells are collapsed (`jupyter.source_hidden`), which a test here also checks.

It may not show: raw ids (provision ids such as us-18-1591, ct-pa-11-180; contact and rule
ids such as dcf_careline), Python reprs (a list, a dict, an object, a Timestamp), pandas'
own tables (its index column, its empty corner header), snake_case column headers,
True/False/NaT/None/nan as a table cell, text cut with "...", or a traceback.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]

PROVISION_ID = re.compile(r"\b(?:us|ct)-(?:\d+[a-z]?|pa)-[0-9a-z]+(?:-[0-9a-z]+)*\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
REPRS = {
    "a Python list": re.compile(r"\[\s*'[^']*'\s*(?:,|\])"),
    "a Python dict": re.compile(r"\{\s*'[^']*'\s*:"),
    "an object repr": re.compile(r"<[\w.]+ object at 0x|<IPython\.core\.display"),
    "a pandas or datetime repr": re.compile(r"\b(?:Timestamp|datetime\.date|datetime\.datetime|DataFrame)\(|\bdtype: |Name: \w+, dtype"),
    "a traceback": re.compile(r"Traceback \(most recent call last\)|\w+Error: "),
}
BAD_CELL = re.compile(r"<t[dh]\b[^>]*>\s*(True|False|NaT|None|nan|NaN|&lt;NA&gt;|<NA>)\s*</t[dh]>")
CUT_CELL = re.compile(r"<td\b[^>]*>[^<]*(?:\.\.\.|…)\s*</td>")
PANDAS_TABLE = re.compile(r'class="dataframe"|<th>\s*</th>|<th[^>]*>\s*</th>')
# Words a learner may see with an underscore in them: none so far.
ALLOWED_SNAKE: set[str] = set()


class _Visible(HTMLParser):
    """The text a browser shows for an HTML fragment (no tags, no attributes, no <style>)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def outputs(nb):
    """(cell number, HTML or None, visible text) for every output of every code cell."""
    for n, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                yield n, None, f"Traceback (most recent call last) {out.get('ename')}: {out.get('evalue')}"
            elif out.get("output_type") == "stream":
                yield n, None, _joined(out.get("text", ""))
            else:
                data = out.get("data", {})
                if "text/html" in data:
                    html = _joined(data["text/html"])
                    yield n, html, visible(html)
                elif "text/plain" in data:
                    yield n, None, _joined(data["text/plain"])


def markdown_text(source: str) -> str:
    """A markdown cell's text without code spans, links' targets and HTML tags."""
    text = re.sub(r"`[^`]*`", " ", source)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return visible(text)


def problems_in(text: str) -> list[str]:
    text = re.sub(r"https?://\S+", " ", text)  # a source's address is shown as it is
    found = [f"raw id {m}" for m in PROVISION_ID.findall(text)]
    found += [f"snake_case {m}" for m in SNAKE.findall(text) if m not in ALLOWED_SNAKE]
    found += [f"{name}: {m.group(0)[:40]!r}" for name, pattern in REPRS.items() for m in pattern.finditer(text)]
    return found


def problems_in_html(html: str) -> list[str]:
    found = [f"a table cell that says {m.group(1)}" for m in BAD_CELL.finditer(html)]
    found += [f"a cell cut short: {m.group(0)[-40:]!r}" for m in CUT_CELL.finditer(html)]
    found += ["a pandas table (index column or empty header)" for _ in PANDAS_TABLE.finditer(html)]
    return found


def learner_view_problems(nb) -> list[str]:
    bad = []
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            bad += [f"cell {n} (text): {p}" for p in problems_in(markdown_text(cell.source))]
    for n, html, text in outputs(nb):
        bad += [f"cell {n} (output): {p}" for p in problems_in(text)]
        if html is not None:
            bad += [f"cell {n} (output): {p}" for p in problems_in_html(html)]
    return bad


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_what_a_learner_sees_has_no_ids_reprs_raw_tables_or_tracebacks(path):
    bad = learner_view_problems(nbformat.read(path, as_version=4))
    assert not bad, f"{path.name}: " + "; ".join(sorted(set(bad))[:25])


def test_the_scan_catches_what_the_issue_found():
    """Each kind of problem the scan looks for, in the form it took in the course's outputs."""
    pandas_html = ('<table border="1" class="dataframe"><thead><tr><th></th><th>provision_id</th><th>in_brochure</th>'
                   '</tr></thead><tbody><tr><th>0</th><td>us-18-1591</td><td>False</td></tr>'
                   '<tr><th>1</th><td>ct-pa-11-180</td><td>NaT</td></tr><tr><th>2</th><td>new: Public Act...</td>'
                   '<td>None</td></tr></tbody></table>')
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Run the cell; `us-18-1591` in code is fine, ct-53a-83b in prose is not."),
        nbformat.v4.new_code_cell("x", outputs=[
            nbformat.v4.new_output("execute_result", {"text/html": pandas_html, "text/plain": "..."}),
            nbformat.v4.new_output("execute_result", {"text/plain": "['recruited', 'harbored']"}),
            nbformat.v4.new_output("stream", name="stdout", text="{'dcf_careline': 1} Timestamp('2012-06-01')"),
            nbformat.v4.new_output("error", ename="NameError", evalue="name 'check' is not defined", traceback=[]),
        ]),
    ])
    found = " | ".join(learner_view_problems(nb))
    for expected in ("raw id ct-53a-83b", "raw id us-18-1591", "raw id ct-pa-11-180", "snake_case provision_id",
                     "snake_case in_brochure", "snake_case dcf_careline", "a Python list", "a Python dict",
                     "a pandas or datetime repr", "a traceback", "a table cell that says False",
                     "a table cell that says NaT", "a table cell that says None", "a cell cut short",
                     "a pandas table"):
        assert expected in found, f"the scan missed {expected!r}: {found}"
    assert "cell 0 (text): raw id us-18-1591" not in found  # a code span in markdown is not prose


def test_course_tables_pass_the_scan():
    """The presentation helper's tables, from data with every awkward kind of value, pass."""
    import pandas as pd

    from dmst import course

    frame = pd.DataFrame({"in_force": ["since 1 Oct 2010"], "in_brochure": [False], "effective_to": [pd.NaT],
                          "fine_max_usd": [pd.NA], "text": [None], "reaches": [["recruited", "held_in_servitude"]]})
    html = course.table_html(frame, caption="Awkward values")
    assert problems_in(visible(html)) == [] and problems_in_html(html) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_cells_are_collapsed_except_the_one_learners_try(path):
    """Learners read prose and results; the code stays one click away (JupyterLab's collapsed input)."""
    nb = nbformat.read(path, as_version=4)
    open_cells = [n for n, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()
                  and not c.metadata.get("jupyter", {}).get("source_hidden")]
    expected = [n for n, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.startswith("print(")] \
        if path.name.startswith("00-") else []
    assert open_cells == expected, f"{path.name}: code cells not collapsed: {open_cells}"



LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_link_to_a_file_opens_a_file_in_the_repository(path):
    """Links to other notebooks, the exercises and the brochure resolve from notebooks/; none
    points outside the repository (such as ../shared, which a reader of the course does not have)."""
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "../shared" not in text and "../shared" not in "\n".join(t for _, _, t in outputs(nb))
    broken = [target for target in LINK.findall(text) if "://" not in target and not target.startswith(("#", "mailto:"))
              and not (path.parent / target.split("#")[0]).resolve().is_file()]
    assert broken == [], f"{path.name}: links to files that are not there: {broken}"


def test_the_readme_sends_readers_to_files_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme and "ORG/REPO" not in readme
    assert (ROOT / "sources" / "dmst-brochure.txt").is_file() and "sources/dmst-brochure.txt" in readme


# --- the words a learner reads, and tables with captions (issues 16 and 19) ---------------------

LEARNER = [p for p in NOTEBOOKS if re.match(r"0[0-7]-", p.name)] + sorted((ROOT / "exercises").glob("*/*.ipynb"))
WORDS = {
    "the engine's name": re.compile(r"\bclassif(?:ier|y)\b", re.I),
    "a data file's name": re.compile(r"\bdata/\w+\.(?:csv|json)\b|`data/`"),
    "an ISO date": re.compile(r"\b(?:19|20)\d\d-\d\d-\d\d\b"),
    "a second phrase for 'cannot be prosecuted'": re.compile(r"cannot be guilty|can't be guilty", re.I),
}


def reads(nb) -> list[tuple[int, str]]:
    """(cell, text) a learner reads: markdown prose, code spans included (a learner reads them too,
    in monospace), and every output's visible text. A source's verbatim quote (`<q>`) and its
    address are left out: they are shown as the source has them ("[…] 2015-05-29")."""
    found = [(n, visible(re.sub(r"\]\([^)]*\)", "]", c.source.replace("`", " "))))
             for n, c in enumerate(nb.cells) if c.cell_type == "markdown"]
    return found + [(n, re.sub(r"https?://\S+", " ", visible(re.sub(r"<q>.*?</q>", " ", html, flags=re.S))
                               if html is not None else text)) for n, html, text in outputs(nb)]


@pytest.mark.parametrize("path", LEARNER, ids=[p.name for p in LEARNER])
def test_a_learner_reads_course_words_not_the_engine_s(path):
    bad = [f"cell {n}: {what}: {m.group(0)!r}" for n, text in reads(nbformat.read(path, as_version=4))
           for what, pattern in WORDS.items() for m in pattern.finditer(text)]
    assert not bad, f"{path.name}: " + "; ".join(bad[:10])


def test_the_word_scan_catches_each_kind():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("The classifier reads data/contacts.csv on 2012-06-01; a 15-year-old cannot be guilty."),
        nbformat.v4.new_markdown_cell("Every row is read from `data/provisions.csv`."),
        nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("execute_result", {"text/html":
            "<p>Approved 2018-12-21.</p><ul><li><q>Public Law 115–392 […] 2018-12-21</q></li></ul>"})])])
    seen = reads(nb)
    found = " ".join(what for _, text in seen for what, p in WORDS.items() if p.search(text))
    assert all(what in found for what in WORDS), found
    assert any(WORDS["a data file's name"].search(text) for n, text in seen if n == 1), "a file name in a code span"
    output = " ".join(text for n, text in seen if n == 2)
    assert WORDS["an ISO date"].findall(output) == ["2018-12-21"], "one ISO date outside the quote, none inside"


@pytest.mark.parametrize("path", LEARNER, ids=[p.name for p in LEARNER])
def test_every_table_a_learner_sees_says_what_it_is(path):
    """A caption on every table the course's helpers, explorers and result panels show (issue 19)."""
    bad = []
    for n, html, _ in outputs(nbformat.read(path, as_version=4)):
        for table in re.findall(r"<table\b.*?</table>", html or "", re.S):
            caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
            if not caption or len(visible(caption.group(1))) < 10:
                bad.append(f"cell {n}: {visible(table)[:60]!r}")
    assert not bad, f"{path.name}: tables without a caption: {bad[:5]}"


LESSONS = [p for p in NOTEBOOKS if re.match(r"0[0-7]-", p.name)]


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_a_lesson_opens_unchanged(path):
    """A lesson names the course's kernel as installed (Makefile, postBuild): with another display
    name JupyterLab rewrites it when the kernel starts and marks the lesson changed before the
    learner did anything (module 06 did), so closing it asks whether to save."""
    installed = re.search(r'--display-name "([^"]+)"', (ROOT / "postBuild").read_text(encoding="utf-8")).group(1)
    assert installed in (ROOT / "Makefile").read_text(encoding="utf-8")
    spec = nbformat.read(path, as_version=4).metadata.kernelspec
    assert (spec.name, spec.display_name) == ("python3", installed)


class _Math(HTMLParser):
    """Text with a dollar amount outside any element MathJax skips (class mathjax_ignore)."""
    VOID = {"br", "img", "input", "hr", "meta", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.found = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append("mathjax_ignore" in (dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if "$" in data and not any(self.stack):
            self.found.append(data.strip()[:60])


def dollars_typeset_as_math(html: str) -> list[str]:
    parser = _Math()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("path", LEARNER, ids=[p.name for p in LEARNER])
def test_no_fine_is_typeset_as_math(path):
    """JupyterLab typesets text between two dollar signs as math, in outputs too: "up to $2,000 ->
    up to 364 days, fine up to $2,000" came out as a formula on module 07's cards. Every output
    text with a dollar sign sits in an element MathJax skips."""
    bad = [f"cell {n}: {t!r}" for n, html, _ in outputs(nbformat.read(path, as_version=4)) if html
           for t in dollars_typeset_as_math(html)]
    assert not bad, f"{path.name}: " + "; ".join(bad[:5])


def test_the_math_scan_finds_a_fine_outside_a_skipped_element():
    assert dollars_typeset_as_math('<ul><li>fine up to $2,000 → up to $2,000</li></ul>')
    assert not dollars_typeset_as_math('<ul class="mathjax_ignore tex2jax_ignore"><li>fine up to $2,000</li></ul>')
