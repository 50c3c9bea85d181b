"""Small helpers the course notebooks share, so a notebook cell stays one short line.

Everything shown comes from `data/` through `load_law()`: tables of provisions with their
citation and confidence, citations, "the brochure says / the statute says" panels, the
content note (with support contacts) and the disclaimer, charts, and the library cases
classified under two dates. Nothing legal is typed here.

**Every table a learner sees goes through `table()`** (the data helpers here return pandas
DataFrames, which `table` turns into HTML made for people): human column labels, no index,
text left-aligned and wrapped (never cut), dates as "28 Nov 2026", "yes"/"no"/"—" instead of
True/False/NaT/None, short citations with the full one a click away, and no ids. It uses
inline styles only, because JupyterLab drops `<style>` blocks from the committed outputs of
a notebook it does not trust, which is every notebook a learner opens.

Charts are shown as an HTML `<img>` whose `alt` text is written from the same data as
the picture (`figure_html`), so a screen-reader user gets every number the chart shows.
"""
from __future__ import annotations

import base64
import io
import re
from datetime import date, timedelta
from html import escape

from . import DISCLAIMER
from .law import Provision, load_law
from .render import (NO_MATH, UNCONFIRMED, assessment_html, citation_html, compare_html, contact_number_text,
                     contact_page_text, date_text, law_of, penalty_text, period_text, short_citation, term_text)

PROVISION_COLUMNS = ("citation", "title", "classification", "penalty", "in_force", "confidence")
# Columns computed from the data, not stored in provisions.csv.
COMPUTED = ("penalty", "in_force", "source")
CONFIDENCE_MEANING = {
    "high": "the statute text or the legislature's own summary was read",
    "medium": "an official agency page or a reliable secondary source",
    "verify": "no source the course read confirms it: check the official text before relying on it",
}



# A confidence level as a table cell says it (CONFIDENCE_MEANING, as a sentence about what was read).
CONFIDENCE_WORDS = {"high": "high: read in the statute text or the legislature's own summary",
                    "medium": "medium: read on an official agency page or in a reliable secondary source",
                    "verify": UNCONFIRMED}


def confidence_words(level: str) -> str:
    """A confidence level in words for a table cell, such as "medium: read on an official agency
    page or in a reliable secondary source"; `verify` is what every face says, "not confirmed:
    check before relying on it"."""
    return CONFIDENCE_WORDS[level]


def date_heading(day: date) -> str:
    """A heading for the law of one date: 'Law of 1 Jun 2012 (brochure era)' for a preset (the
    start of its label in data/presets.csv), else 'Law of 1 Jun 2012'."""
    presets = load_law().table("presets")
    match = presets[presets["date"].dt.date == day]
    name = f" ({match['label'].iloc[0].split(' (')[0].lower()})" if len(match) else ""
    return f"Law of {date_text(day)}{name}"


def when(as_of: date | str | None) -> date:
    """A date from a preset name ("brochure", "current"), an ISO string or a date; None -> current."""
    law = load_law()
    if as_of is None:
        return law.presets["current"]
    if isinstance(as_of, date):
        return as_of
    if as_of in law.presets:
        return law.presets[as_of]
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        raise ValueError(f"as_of must be a date YYYY-MM-DD or one of {', '.join(law.presets)}; got {as_of!r}") from None


def _pandas():
    """pandas, set to show whole cells: its default cuts text at 50 characters, mid-sentence
    of a statute summary, which a course about reading the law in full must not do."""
    import pandas as pd

    pd.set_option("display.max_colwidth", None)
    return pd


# --- the one way a learner sees a table ----------------------------------------------------

# Column names of the data (and of the frames built here) in a reader's words. Any other
# column is shown with its underscores as spaces and a capital first letter.
COLUMN_LABELS = {
    "citation": "Citation", "title": "Title", "classification": "Class", "penalty": "Prison term and fine",
    "in_force": "In force", "confidence": "Confidence", "summary": "What the statute says (summary)",
    "change": "What changed",
    "source": "Source", "brochure_says": "What the brochure says", "brochure_differs": "Where the brochure differs",
    "reaches": "Conduct it reaches", "notes": "Notes", "name": "Name", "phone": "Phone", "text": "Text message",
    "when": "When to use it", "who_calls": "Who calls", "in_brochure": "In the brochure?", "term": "Term",
    "definition": "Meaning", "say_instead": "Say instead", "reference": "Reference",
    "date": "Date", "meaning": "What it means", "why": "Why", "conclusion": "Conclusion", "because": "Because",
    "actor": "Person", "law of": "Law of", "jurisdiction": "Law", "what": "What changed", "module": "Module",
    "minutes": "Minutes", "objectives": "Objectives", "sections": "Sections", "notebook": "Notebook",
    "age": "Age", "conduct": "Conduct", "federal": "Federal", "value": "Value", "parameter": "What it is",
    "short": "Short name", "exercise": "Exercise", "opened": "Opened?", "answered": "Answered",
    "what_the_law_asks": "What the law asks of the hotel, motel or inn",
    "penalty_for_not_reporting": "Penalty for a mandated reporter who does not report",
    "self_check": "What the checks said", "how_sure": "How sure the course is",
    "count": "Versions", "level": "Confidence",
    "preset": "The course's name for it", "version": "Version",
}
# Coded values of a column, in words.
VALUE_WORDS = {"jurisdiction": {"US": "federal", "CT": "Connecticut"}, "confidence": {"verify": UNCONFIRMED}}
# Columns of citations: shown short, with the full citation a click away.
CITATION_COLUMNS = ("citation",)
# Columns of short values that must not break across lines (a phone number split at its hyphens):
# only a cell that is a number is kept on one line, so a sentence in such a column still wraps.
NOWRAP_COLUMNS = ("phone", "text")
_NUMBER = re.compile(r"[0-9()+ -]{3,20}")
# Columns of ids, which are for code: `table` refuses to show them.
ID_COLUMNS = ("id", "provision", "provision_id", "contact_id", "rule")
MISSING = "\u2014"  # an em dash: nothing in the data
_CODE_WORD = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")  # a coded value such as held_in_servitude

# (JupyterLab right-aligns cells and sets a small fixed size on tables: both are overridden.)
# Words are never split (a narrow column keeps "confidence" whole), so a cell must hold no long
# unbroken text: an address is a Link whose words are shown instead.
_TABLE = ("border-collapse:collapse;width:100%;max-width:72rem;margin:.4em 0 1em;table-layout:auto;"
          "font-size:1em;overflow-wrap:break-word")
_CELL = "text-align:left;vertical-align:top;padding:.35em .6em;border-bottom:1px solid #b0b0b0"
_CAPTION = "caption-side:top;text-align:left;padding:.3em 0;font-weight:bold"


class Link(tuple):
    """A table cell that ends in a link: words before it, the link's words, and the address it
    opens ("number not confirmed: find it on FBI New Haven's contact page"); the address itself is never
    shown, as it would widen the table."""

    def __new__(cls, text: str, url: str, before: str = ""):
        return super().__new__(cls, (before, text, url))

    before = property(lambda self: self[0])
    text = property(lambda self: self[1])
    url = property(lambda self: self[2])

    def __str__(self):
        return self.before + self.text


def _cell_html(column: str, value, text: str) -> str:
    """One cell's HTML: a link, a citation (short, the full one a click away), or escaped words."""
    if isinstance(value, Link) and re.fullmatch(r"(?:https?://|\.\./|[\w-]+/)[^\s\"<>]*", value.url):
        # a web page opens in a new browser tab; a course file (a relative path) in JupyterLab
        outside = " target=\"_blank\" rel=\"noopener\"" if value.url.startswith("http") else ""
        return f"{escape(value.before)}<a href=\"{escape(value.url, quote=True)}\"{outside}>{escape(value.text)}</a>"
    if column in CITATION_COLUMNS and text != MISSING:
        return citation_html(text)
    return escape(_DATE_WORDS.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text))


# "1 Oct 2010" kept on one line in a table: a narrow "In force" column breaks at "to", not inside a date.
_DATE_WORDS = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")
_HEAD = "text-align:left;vertical-align:bottom;padding:.35em .6em;border-bottom:2px solid #505050"


_ISO_DATE = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")


def dates_in_words(text: str) -> str:
    """Text from the data with every ISO date written as the course writes dates ("approved
    2018-12-21" -> "approved 21 Dec 2018"); a learner never reads 2018-12-21."""
    def words(m):
        try:
            return date_text(date(*map(int, m.groups())))
        except ValueError:
            return m.group(0)
    return _ISO_DATE.sub(words, text)


def column_label(name: str) -> str:
    """A column's label for a reader: 'in_force' -> 'In force', 'who_calls' -> 'Who calls'."""
    if name in COLUMN_LABELS:
        return COLUMN_LABELS[name]
    words = str(name).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def cell_text(value) -> str:
    """One value in words: yes/no for booleans, '28 Nov 2026' for dates, '—' for nothing
    (None, NaN, NaT, an empty string), items joined with commas, and a coded value such as
    'held_in_servitude' with spaces for its underscores."""
    if isinstance(value, Link):
        return str(value).strip() or MISSING
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ", ".join(cell_text(v) for v in items) or MISSING
    import numpy

    pd = _pandas()
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, (bool, numpy.bool_)):
        return "yes" if value else "no"
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = dates_in_words(str(value).strip())
    return text.replace("_", " ") if _CODE_WORD.fullmatch(text) else text or MISSING


def _spans(rows: list[dict], merged: list[str]) -> list[dict]:
    """Row spans for `merged` columns: a value equal to the one above (and under the same
    values in the merged columns to its left) is shown once, spanning those rows."""
    spans = [{c: 1 for c in merged} for _ in rows]
    for i in range(1, len(rows)):
        for k, c in enumerate(merged):
            if any(spans[i][m] for m in merged[:k]) or rows[i][c] != rows[i - 1][c]:
                break
            top = i - 1
            while spans[top][c] == 0:
                top -= 1
            spans[top][c] += 1
            spans[i][c] = 0
    return spans


def table_html(frame, columns=None, *, labels=None, caption=None, merge=None) -> str:
    """A table made for people, as HTML (see the module docstring). `frame`: a DataFrame or a
    list of dicts; a named index becomes a column. `columns`: which to show, in order
    (default: all). `labels`: column -> label, over COLUMN_LABELS. `caption`: the line above
    the table saying what it is. `merge`: columns whose repeated values are shown once (row spans).
    `caption` and `merge` default to the frame's `attrs`, so a helper can set them. A table
    without a caption is refused (every helper here gives one); `caption=""` is for a table no
    learner sees (the instructor guide)."""
    pd = _pandas()
    frame = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(list(frame))
    attrs = dict(frame.attrs)
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    columns = list(columns if columns is not None else frame.columns)
    unknown = [c for c in columns if c not in frame.columns]
    if unknown:
        raise ValueError(f"no column {', '.join(map(repr, unknown))}; the table has {', '.join(map(str, frame.columns))}")
    ids = [c for c in columns if c in ID_COLUMNS]
    if ids:
        raise ValueError(f"column(s) {', '.join(ids)} hold ids, which are for code, not for learners: leave them out")
    names = {c: (labels or {}).get(c) or column_label(c) for c in columns}
    caption = caption if caption is not None else attrs.get("caption")
    if caption is None:
        raise ValueError("a table a learner sees needs a caption saying what it is: pass caption=\"...\"")
    merged = [c for c in columns if c in (merge if merge is not None else attrs.get("merge", ()))]
    values = [dict(zip(columns, row)) for row in frame[columns].itertuples(index=False, name=None)]
    rows = [{c: cell_text(VALUE_WORDS.get(c, {}).get(v, v) if isinstance(v, str) else v) for c, v in row.items()}
            for row in values]
    spans = _spans(rows, merged)
    out = [f"<div class=\"dmst-table {NO_MATH}\" style=\"overflow-x:auto;max-width:100%\">",
           f"<table style=\"{_TABLE}\">"]
    if caption:
        out.append(f"<caption style=\"{_CAPTION}\">{escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th scope=\"col\" style=\"{_HEAD}\">{escape(names[c])}</th>" for c in columns)
               + "</tr></thead><tbody>")
    if not rows:
        out.append(f"<tr><td colspan=\"{len(columns)}\" style=\"{_CELL}\">none</td></tr>")
    for row, value, span in zip(rows, values, spans):
        cells = []
        for c in columns:
            if span.get(c, 1) == 0:
                continue
            rowspan = f" rowspan=\"{span[c]}\"" if span.get(c, 1) > 1 else ""
            text = row[c]
            body = _cell_html(c, value[c], text)
            nowrap = ";white-space:nowrap" if c in NOWRAP_COLUMNS and _NUMBER.fullmatch(text) else ""
            cells.append(f"<td{rowspan} style=\"{_CELL}{nowrap}\">{body}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def table(frame, columns=None, **options):
    """`table_html` as a notebook display object: the one line a notebook cell ends with."""
    return _html(table_html(frame, columns, **options))


def listing(items) -> str:
    """Items as a bulleted HTML list, each in words (see `cell_text`)."""
    return f"<ul class=\"{NO_MATH}\">" + "".join(f"<li>{escape(cell_text(item))}</li>" for item in items) + "</ul>"


def show_listing(items):
    """`listing` as a notebook display object."""
    return _html(listing(items))


def provision_table(ids=None, as_of=None, columns=PROVISION_COLUMNS):
    """Provision versions as a pandas DataFrame, read from `load_law().table("provisions")`.

    `ids`: provision ids to keep, in that order (default: all). `as_of`: keep only the
    versions in force on that date (a date, ISO string or preset name); None keeps every
    version. `columns`: any column of provisions.csv, plus "penalty" and "in_force" (in
    words); "reaches" becomes a list of words. `table` shows a citation once for its versions.
    """
    pd = _pandas()

    frame = load_law().table("provisions")
    unknown = [c for c in columns if c not in frame.columns and c not in COMPUTED]
    if unknown:
        raise ValueError(f"unknown column(s) {', '.join(unknown)}; choose from {', '.join([*frame.columns, *COMPUTED])}")
    if ids is not None:
        ids = list(ids)
        missing = [i for i in ids if i not in set(frame["id"])]
        if missing:
            raise ValueError(f"not a provision id in data/provisions.csv: {', '.join(missing)}")
        frame = frame[frame["id"].isin(ids)].copy()
        frame["_order"] = frame["id"].map({pid: n for n, pid in enumerate(ids)})
        frame = frame.sort_values(["_order", "tier", "effective_from"], kind="stable")
    if as_of is not None:
        day = pd.Timestamp(when(as_of))
        frame = frame[(frame["effective_from"] <= day) & (frame["effective_to"].isna() | (frame["effective_to"] >= day))]
    frame = frame.copy()
    frame["penalty"] = [_version_penalty(pid, tier, start.date(), None if pd.isna(end) else end.date(), as_of)
                        for pid, tier, start, end in zip(frame["id"], frame["tier"], frame["effective_from"], frame["effective_to"])]
    titles = {s.id: s.title for s in load_law().sources.values()}
    frame["source"] = ["; ".join(titles[i] for i in ids.split(";") if i) for ids in frame["sources"]]
    frame["in_force"] = [period_text(start.date(), None if pd.isna(end) else end.date())
                         for start, end in zip(frame["effective_from"], frame["effective_to"])]
    frame["reaches"] = [[c.replace("_", " ") for c in text.split(";") if c] for text in frame["reaches"]]
    frame = frame[list(columns)].reset_index(drop=True)
    frame.attrs["merge"] = [c for c in ("citation", "title") if c in columns]
    # The caption names each provision by its section (one citation for all its versions and tiers).
    sections = list(dict.fromkeys(load_law().heading(pid)[0] for pid in ids)) if ids is not None else []
    many = ids is None or len(sections) > 6
    which = "The provisions in the course data" if many else " and ".join(
        [", ".join(sections[:-1]), sections[-1]] if len(sections) > 1 else sections)
    frame.attrs["caption"] = which + (f": the versions in force on {date_text(when(as_of))}" if as_of is not None
                                      else ": every version" + ("" if many else " in the course data"))
    return frame


NO_TERM = "no prison term in the course data"


def _version_penalty(pid, tier, start: date, end: date | None, as_of) -> str:
    """One version's prison term and fine in words, as in force on `as_of`; with no date, over
    the version's whole life up to the current preset, saying when its class's term or fine
    changed within it ('up to 1 year; fine up to $2,000 (from 1 Jul 2021: up to 364 days; ...)').
    A version with no prison term says so (NO_TERM)."""
    law = load_law()
    v = next(v for v in law.versions(pid) if v.tier == tier and v.effective_from == start)
    if as_of is not None:
        days = [max(when(as_of), start)]
    else:
        last = min(end or date.max, when(None))
        days = [start] + sorted({c.effective_from for c in law.penalty_classes
                                 if c.classification == v.classification and start < c.effective_from <= last})
    texts = []
    for day in days:
        pen = law.on(day).penalty(v)
        if pen.maximum_months is None and pen.maximum_days is None and not pen.life and pen.mandatory_minimum_months is None:
            texts.append(NO_TERM)
        else:
            texts.append(penalty_text(pen))
    return texts[0] + "".join(f" (from {date_text(d)}: {t})" for d, t in zip(days[1:], texts[1:]))


def version(pid: str, as_of=None, tier: str | None = None) -> Provision:
    """The version of a provision in force on `as_of` (default: current); the first tier
    in force if `tier` is None. ValueError if none is in force, naming when it is."""
    law, day = load_law(), when(as_of)
    versions = law.versions(pid)
    if not versions:
        raise ValueError(f"{pid!r} is not a provision id in data/provisions.csv")
    for v in versions:
        if v.in_force(day) and (tier is None or v.tier == tier):
            return v
    periods = "; ".join(sorted({v.period for v in versions}))
    raise ValueError(f"{pid} was not in force on {date_text(day)} (in force {periods})")


def cite(pid: str, as_of=None, tier: str | None = None) -> str:
    """The citation of the version in force on `as_of` (default: current)."""
    return version(pid, as_of, tier).citation


def parameter(name: str, as_of=None) -> int:
    """A dated legal number (an age) from data/parameters.csv, as in force on `as_of`."""
    return load_law().on(when(as_of)).parameter(name)


def parameter_table(name: str):
    """Every dated value of one legal number in data/parameters.csv: what it is, the value
    with its unit, when, reference, confidence."""
    pd = _pandas()
    frame = load_law().table("parameters")
    frame = frame[frame["name"] == name]
    if frame.empty:
        raise ValueError(f"{name!r} is not a parameter in data/parameters.csv")
    in_force = [period_text(start.date(), None if pd.isna(end) else end.date())
                for start, end in zip(frame["effective_from"], frame["effective_to"])]
    value = [f"{v} {unit}" for v, unit in zip(frame["value"], frame["unit"])]
    frame = frame.assign(parameter=[t[:1].upper() + t[1:] for t in frame["label"]], value=value, in_force=in_force)
    frame = frame[["parameter", "value", "in_force", "reference", "confidence"]].reset_index(drop=True)
    frame.attrs["merge"] = ["parameter"]
    frame.attrs["caption"] = f"{frame['parameter'].iloc[0]}, by date"
    return frame


def _html(text: str):
    from IPython.display import HTML

    return HTML(text)


def _confidence_html(confidence: str) -> str:
    return f"<strong>{escape(confidence)}</strong> ({escape(CONFIDENCE_MEANING.get(confidence, ''))})"


def _penalty_html(v: Provision, day: date) -> str:
    """Class, term and fine of a penal provision on `day`; nothing for one that sets no penalty."""
    pen = load_law().on(day).penalty(v)
    if not v.classification or (pen.maximum_months is None and pen.maximum_days is None and not pen.life
                                and pen.mandatory_minimum_months is None and pen.fine_max_usd is None):
        return ""
    return f"<p><strong>{escape(v.citation)}</strong>: {escape(v.classification)}; {escape(penalty_text(pen))}</p>"


def sources_html(sources) -> str:
    """Sources (of a provision version, class, parameter or contact), each with the quote that
    supports the claim, the publisher, the address and the date it was read."""
    items = "".join(
        f"<li><q>{escape(s.quote)}</q> <span>{escape(dates_in_words(s.title))}, {escape(dates_in_words(s.publisher))}"
        f"{', ' + _link(s.url) if s.url else ''} (read {date_text(s.retrieved)}).</span></li>"
        for s in sources)
    return f"<ul style=\"overflow-wrap:break-word;word-break:break-word\">{items}</ul>"


def _link(url: str) -> str:
    return f"<a href=\"{escape(url, quote=True)}\">{escape(url)}</a>" if url.startswith("http") else escape(url)


def brochure_vs_statute_html(pid: str, as_of=None) -> str:
    """What the brochure says next to what the statute says in the version in force on
    `as_of` (default: current), with what differs, how sure the data is, and the sources
    with the quote behind each."""
    day = when(as_of)
    law = load_law()
    tiers = [v for v in law.versions(pid) if v.in_force(day)]
    if not tiers:
        version(pid, day)  # raises the ValueError that says when it is in force
    first = tiers[0]
    brochure = first.brochure_says or "(The brochure does not mention this provision.)"
    statute = "".join(f"<p>{escape(dates_in_words(v.summary))}"
                      f"{escape(' (' + UNCONFIRMED + ')' if v.confidence == 'verify' else '')}</p>"
                      f"{_penalty_html(v, day)}" for v in tiers)
    differs = dates_in_words(first.brochure_differs or "The data records no difference.")
    cited = {src.id: src for v in tiers for src in v.sources}
    return (
        f"<section class=\"{NO_MATH}\" aria-label=\"Brochure and statute: {escape(first.citation)}\" style=\"max-width:60rem\">"
        f"<h4>{escape(first.citation)}: {escape(first.title)}</h4>"
        "<table style=\"border-collapse:collapse;width:100%\">"
        f"<caption style=\"{_CAPTION}\">What the brochure says next to what the statute says</caption><thead><tr>"
        "<th scope=\"col\" style=\"text-align:left;width:50%\">What the brochure says (about 2012)</th>"
        f"<th scope=\"col\" style=\"text-align:left\">What the statute says (the version in force on {date_text(day)}, "
        f"since {date_text(first.effective_from)})</th></tr></thead><tbody><tr>"
        f"<td style=\"vertical-align:top;text-align:left\"><blockquote>{escape(brochure)}</blockquote></td>"
        f"<td style=\"vertical-align:top;text-align:left\">{statute}</td></tr></tbody></table>"
        f"<p><strong>What differs:</strong> {escape(differs)}</p>"
        f"<p><strong>Confidence:</strong> {_confidence_html(first.confidence)}.</p>"
        f"<details><summary>Sources: what was read, with a quote from each</summary>"
        f"{sources_html(cited.values())}</details>"
        "</section>")


def show_brochure_vs_statute(pid: str, as_of=None):
    """`brochure_vs_statute_html` as a notebook display object."""
    return _html(brochure_vs_statute_html(pid, as_of))


def disclaimer():
    """The course disclaimer (training, not legal advice; the law changes)."""
    law = load_law()
    current = date_text(law.presets["current"])
    return _html(f"<div role=\"note\" style=\"border-left:4px solid #767676;padding-left:.8em\">"
                 f"<p><strong>Disclaimer.</strong> {escape(DISCLAIMER)} "
                 f"The course data was last reviewed on {current}.</p></div>")


def support_contacts_html(ids=("national_hotline", "emergency_911")) -> str:
    """Contacts from data/contacts.csv as an HTML list: name, how to reach them (a number only
    when a source confirms it), when to call."""
    contacts = load_law().contacts
    items = [f"<li><strong>{escape(contacts[cid].name)}</strong>: {escape(contact_number_text(contacts[cid]))}. "
             f"{escape(contacts[cid].when)}</li>" for cid in ids]
    return "<ul>" + "".join(items) + "</ul>"


def content_note():
    """The content note every module opens with, with support contacts read from the data."""
    return _html(
        "<div role=\"note\" style=\"border-left:4px solid #767676;padding-left:.8em\">"
        "<p><strong>Content note.</strong> This course is about the sexual exploitation of children. "
        "The cases are fictional and nothing is described graphically, but the subject can be hard, "
        "especially for survivors and for people who work with young people. Take a break whenever you "
        "need to; you can stop at the end of any section and come back.</p>"
        "<p>If this brings something up for you, or you are worried about a young person right now:</p>"
        + support_contacts_html() +
        "<p>Your employer's employee assistance program (EAP) or a trusted colleague can also help.</p></div>")


CONTACT_COLUMNS = ("name", "phone", "text", "when", "in_brochure", "confidence")


def contact_short_name(name: str) -> str:
    """The short name the course uses for a contact, from its name in data/contacts.csv: a leading
    acronym before a proper name ("FBI New Haven field office" -> "FBI", "NCMEC CyberTipline (...)"
    -> "NCMEC") or with the word after it ("DCF notice of ..." -> "DCF notice"), the office without its district ("U.S. Attorney's Office for the District of
    Connecticut" -> "U.S. Attorney"), the state left out ("Connecticut DCF Careline" -> "DCF
    Careline"); otherwise the name without its parenthesis. Exercises accept these in answers."""
    core = re.sub(r"\s*\([^)]*\)", "", name).split(",")[0].strip()
    words = core.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{2,}", words[0]):
        return words[0] if words[1][:1].isupper() else " ".join(words[:2])
    core = re.split(r"\s+(?:for|of)\s+(?=the\b|[A-Z])", core, maxsplit=1)[0]
    core = re.sub(r"'s Office$", "", core)
    return re.sub(r"^Connecticut\s+", "", core)


def contact_page(c) -> Link:
    """Where to find a contact's number when the course could not confirm it, as a Link whose
    words name the page ("FBI New Haven's contact page", `render.contact_page_text`), never the
    bare address."""
    return Link(contact_page_text(c), c.url, before="number not confirmed: find it on ")


def contacts_table(ids=None, columns=CONTACT_COLUMNS, confidence: str | None = None, caption: str | None = None):
    """Contacts from data/contacts.csv as a DataFrame, in the order of `ids` (default: all),
    optionally only those of one `confidence`. Columns beyond the data's: "phone" (a number only
    when a source confirms it; otherwise a link to where to find it), "text", "source" (its
    sources' titles) and "short" (the short name answers may use). The caption says which
    contacts these are unless `caption` is given."""
    _pandas()
    law = load_law()
    frame = law.table("contacts")
    # A number no official source confirms is never shown as a number to call.
    frame["phone"] = [law.contacts[cid].phone if law.contacts[cid].confirmed else contact_page(law.contacts[cid])
                      for cid in frame["id"]]
    frame["text"] = [law.contacts[cid].text if law.contacts[cid].confirmed else "" for cid in frame["id"]]
    frame["source"] = [law.contacts[cid].source for cid in frame["id"]]
    frame["short"] = [contact_short_name(name) for name in frame["name"]]
    if ids is not None:
        frame = frame.set_index("id").loc[list(ids)].reset_index()
    if confidence is not None:
        frame = frame[frame["confidence"] == confidence]
    frame = frame[list(columns)].reset_index(drop=True)
    if caption is None:
        if confidence == "verify":
            caption = "Contacts whose numbers the course could not confirm"
        elif "source" in columns and "when" not in columns:
            caption = "Where the course's contact details come from"
        elif ids is not None:
            caption = "Contacts: " + ", ".join(contact_short_name(law.contacts[cid].name) for cid in ids)
        else:
            caption = "Whom to contact, and when"
    frame.attrs["caption"] = caption
    return frame


def progress_table(folder=None):
    """The learner's progress in the exercises (`dmst.progress`), one row per exercise: a link
    to it, whether it was opened, what is answered, and what its checks said."""
    pd = _pandas()
    from .progress import answered_text, checks_text, progress

    rows = [{"exercise": Link(p.title, f"../exercises/{p.exercise}/{p.path.name}"), "opened": p.opened,
             "answered": answered_text(p), "self_check": checks_text(p)} for p in progress(folder)]
    frame = pd.DataFrame(rows, columns=["exercise", "opened", "answered", "self_check"])
    frame.attrs["caption"] = ("Your progress in the exercises, as your saved exercise notebooks show it "
                              "(save an exercise with Ctrl+S, then run this cell again to see the latest)")
    return frame


def my_progress(folder=None):
    """The learner's progress table, as a notebook display object: the one line each module ends with."""
    return table(progress_table(folder))


def glossary(terms=None):
    """Glossary rows (term, definition, what to say instead), optionally only `terms`, in that order."""
    _pandas()
    frame = load_law().table("glossary")
    if terms is not None:
        frame = frame.set_index("term").loc[list(terms)].reset_index()
    frame = frame[["term", "definition", "say_instead"]]
    frame.attrs["caption"] = "The course glossary" if terms is None else "Words from the course glossary"
    return frame


def sources(ids):
    """The "Sources" table a module closes with: every version of each provision, with its
    source and confidence (`table` shows each citation and title once)."""
    frame = provision_table(ids, columns=("citation", "title", "in_force", "source", "confidence"))
    frame.attrs["caption"] = "Sources: each version of the provisions used here, where it comes from, and how sure the course is of it"
    return frame


def confidence_table():
    """What each confidence level means (the course shows one on every row of its law data)."""
    pd = _pandas()
    words = {"verify": "not confirmed"}
    frame = pd.DataFrame([(words.get(level, level), meaning) for level, meaning in CONFIDENCE_MEANING.items()],
                         columns=["level", "meaning"])
    frame.attrs["caption"] = "What each confidence level means"
    return frame


def confidence_counts(as_of=None):
    """How many provision versions in force on `as_of` (default: current) have each confidence."""
    pd = _pandas()
    day = when(as_of)
    counts = provision_table(as_of=day)["confidence"].value_counts()
    frame = pd.DataFrame({"confidence": counts.index, "count": counts.to_numpy()})
    frame.attrs["caption"] = f"Provision versions in force on {date_text(day)}, by confidence"
    return frame


def presets_table():
    """The dates the course compares (data/presets.csv), with what each means; the caption
    says from when the course models the law."""
    law = load_law()
    frame = law.table("presets").rename(columns={"label": "preset"})[["preset", "date", "meaning"]]
    frame.attrs["caption"] = (f"The dates the course compares (it models the law from {date_text(law.model_start)} "
                              "on; earlier history is not in its data)")
    return frame


def compare_versions(pid: str, dates=("brochure", "current")):
    """One provision's versions in force on each date (preset names or dates), side by side:
    when in force, class, prison term, the conduct it reaches, confidence."""
    pd = _pandas()
    columns = {}
    for d in dates:
        day = when(d)
        v = version(pid, day)
        columns[date_heading(day)] = [
            period_text(v.effective_from, v.effective_to), v.classification or MISSING,
            _version_penalty(v.id, v.tier, v.effective_from, v.effective_to, day),
            cell_text({c.replace("_", " ") for c in v.reaches}), v.confidence]
    frame = pd.DataFrame({"version": ["In force", "Class", "Prison term", "Conduct it reaches", "Confidence"], **columns})
    frame.attrs["caption"] = f"{short_citation(version(pid, when(dates[0])).citation)}: the version in force on each date"
    return frame


def no_term_table(ids, as_of=None):
    """The provisions among `ids` in force on `as_of` that have no prison term in the data, with
    their class and notes (so a chart that leaves them out hides nothing)."""
    frame = provision_table(ids, as_of, columns=("citation", "classification", "penalty", "notes"))
    frame = frame[frame["penalty"] == NO_TERM][["citation", "classification", "notes"]]
    frame.attrs["caption"] = f"Provisions in force on {date_text(when(as_of))} with no prison term in the course data"
    return frame


# --- pictures ----------------------------------------------------------------------------

def _bar_label(v: Provision, clash: bool) -> str:
    return f"{v.citation} ({v.tier.replace('_', ' ')})" if clash and v.tier else v.citation


def _penalty_bars(ids, day: date):
    """The bars of a penalty chart: (label, version, penalty) for each version in force on `day`
    that has a prison term."""
    law = load_law()
    on = law.on(day)
    rows = [(v, on.penalty(v)) for pid in ids for v in law.versions(pid) if v.in_force(day)]
    rows = [(v, p) for v, p in rows if p.mandatory_minimum_months is not None or p.maximum_months is not None
            or p.maximum_days is not None or p.life]
    if not rows:
        raise ValueError(f"none of {', '.join(ids)} has a prison term in force on {date_text(day)}")
    citations = [v.citation for v, _ in rows]
    return [(_bar_label(v, citations.count(v.citation) > 1), v, p) for v, p in rows]


def penalty_numbers(ids, as_of=None):
    """The numbers a penalty chart shows, as a table: each bar's provision and its prison term and fine."""
    pd = _pandas()
    day = when(as_of)
    frame = pd.DataFrame([{"provision_label": label, "penalty": penalty_text(p),
                           "confidence": p.confidence} for label, v, p in _penalty_bars(ids, day)])
    frame.attrs["caption"] = f"The numbers in the chart: prison terms and fines in force on {date_text(day)}"
    return frame


def penalty_chart(ids, as_of=None):
    """Horizontal bars of prison terms in force on `as_of`: from the mandatory minimum (or 0)
    to the maximum (the section's own, or its class's); "life" bars run off the scale with an
    arrow. Returns (figure, alt text); the alt text is short, and `penalty_numbers` holds every
    number the chart shows (`show_penalty_chart` puts them next to it)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    day = when(as_of)
    law = load_law()
    bars = _penalty_bars(ids, day)
    labels = [label for label, _, _ in bars]
    rows = [(v, p) for _, v, p in bars]
    # Scale from every version of these ids on its first day, so charts of two dates can be compared by eye.
    every = [law.on(v.effective_from).penalty(v) for pid in ids for v in law.versions(pid)]
    finite = [y for p in every for y in (_years(p.mandatory_minimum_months, None), _years(p.maximum_months, p.maximum_days))
              if y is not None]
    top = max(finite)
    life_at = top * 1.3 + 5
    fig = Figure(figsize=(9, 0.62 * len(rows) + 1.4), dpi=100)
    ax = fig.add_subplot()
    for y, (v, p) in enumerate(rows):
        lo = _years(p.mandatory_minimum_months, None) or 0
        hi = life_at if p.life else (_years(p.maximum_months, p.maximum_days) or 0)
        ax.barh(y, hi - lo, left=lo, height=0.55, color="#9ecae1", edgecolor="#08306b")
        if p.mandatory_minimum_months:
            ax.barh(y, lo, left=0, height=0.55, color="white", edgecolor="#08306b", hatch="//")
        text = term_text(p.mandatory_minimum_months, p.maximum_months, p.life, p.maximum_days).replace(" (mandatory)", "")
        if p.confidence == "verify":
            text += " (not confirmed)"
        ax.text(hi + life_at * 0.01, y, "→ " + text if p.life else text, va="center", fontsize=10)
    ax.set_yticks(range(len(rows)), labels, fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, life_at * 1.6)
    ticks = list(range(0, int(top) + 1, 5))
    ax.set_xticks([*ticks, life_at], [*map(str, ticks), "life"])
    ax.set_xlabel("Years in prison. Hatched: the mandatory minimum, which every sentence must reach.\n"
                  "Solid: the rest of the range a judge can give. \u2192 life: no upper limit in years.")
    ax.set_title(f"Prison terms in force on {date_text(day)} (each section, or its class)", fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    alt = (f"Bar chart of the prison terms in force on {date_text(day)}, one bar for each of {len(rows)} provisions, "
           f"from the mandatory minimum to the maximum; the numbers are under the chart, in \u201c{NUMBERS}\u201d.")
    return fig, alt


def _years(months, days):
    return months / 12 if months is not None else (days / 365 if days is not None else None)


ALT_MAX = 250   # characters of alt text: a screen reader reads it in one go, so longer goes next to the chart
NUMBERS = "The numbers in this chart"


def figure_html(fig, alt: str, numbers: str | None = None) -> str:
    """A figure as an `<img>` with short alt text (a PNG without a software stamp, so it is
    reproducible), and the full numbers next to it in a `<details>` element: `numbers` (HTML, such
    as a table), or, when `alt` is longer than ALT_MAX, all but its first sentence."""
    alt = dates_in_words(alt)
    if numbers is None and len(alt) > ALT_MAX:
        first, _, rest = alt.partition(". ")
        alt, numbers = f"{first}; the numbers are under the chart, in \u201c{NUMBERS}\u201d.", f"<p>{escape(rest)}</p>"
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    img = f"<img src=\"data:image/png;base64,{data}\" alt=\"{escape(alt, quote=True)}\" style=\"max-width:100%\">"
    if not numbers:
        return img
    return (f"<figure class=\"{NO_MATH}\" style=\"margin:0\">{img}<details><summary>{NUMBERS}</summary>"
            f"{numbers}</details></figure>")


def show_penalty_chart(ids, as_of=None):
    """The penalty chart as a notebook display object: the image with short alt text, and the
    numbers it shows in a table under it."""
    fig, alt = penalty_chart(ids, as_of)
    return _html(figure_html(fig, alt, table_html(penalty_numbers(ids, as_of), labels={"provision_label": "Provision"})))


# --- module 04: federal and Connecticut side by side ---------------------------------------

def side_by_side(as_of=None):
    """Federal and Connecticut crimes in force on `as_of` (default: current), side by side by
    the conduct they reach (the `reaches` column of provisions.csv; definitions left out): one
    row per kind of conduct that at least one of them reaches, each cell "citation: class, term"."""
    import pandas as pd

    from .case import CONDUCT

    day, law = when(as_of), load_law()
    rows = []
    for conduct in CONDUCT:
        cells = {}
        for jurisdiction, label in (("US", "federal"), ("CT", "Connecticut")):
            found = [v for v in law.provisions if v.jurisdiction == jurisdiction and v.in_force(day)
                     and conduct in v.reaches and v.classification != "definition"]
            citations = [v.citation for v in found]
            cells[label] = "; ".join(
                f"{_bar_label(v, citations.count(v.citation) > 1)}: {v.classification or 'no class in the data'}, "
                f"{penalty_text(law.on(day).penalty(v))}" for v in found) or "nothing in the data"
        if set(cells.values()) != {"nothing in the data"}:
            rows.append({"conduct": conduct.replace("_", " "), **cells})
    frame = pd.DataFrame(rows, columns=["conduct", "federal", "Connecticut"])
    frame.attrs["caption"] = f"Federal and Connecticut crimes in force on {date_text(day)}, by the conduct they reach"
    return frame


def actors_by_date(case, dates=("brochure", "current"), ages=None):
    """Which provisions may apply to each actor of `case` under the law of each date (preset
    names or dates), from `classify`: one row per actor, provision and date. With `ages`, the
    case is classified once per age of the young person (an "age" column leads)."""
    pd = _pandas()

    from .rules import classify

    rows = []
    for age in ages if ages is not None else [None]:
        facts = dict(case) if age is None else {**case, "age": age}
        for d in dates:
            a = classify(facts, when(d))
            for actor in a.actors:
                for p in actor.provisions:
                    rows.append({"age": age, "law of": a.as_of, "actor": actor.name, "citation": p.citation,
                                 "classification": p.classification,
                                 "penalty": term_text(p.mandatory_minimum_months, p.maximum_months, p.life, p.maximum_days)
                                 + (f"; fine up to ${p.fine_max_usd:,}" if p.fine_max_usd else "")
                                 + (f" ({UNCONFIRMED})" if p.confidence == "verify" else "")})
    columns = (["age"] if ages is not None else []) + ["law of", "actor", "citation", "classification", "penalty"]
    frame = pd.DataFrame(rows, columns=["age", "law of", "actor", "citation", "classification", "penalty"])[columns]
    frame.attrs["merge"] = columns[:-3]
    frame.attrs["caption"] = ("Which provisions may apply to each person in the case, under the law of "
                              + " and of ".join(date_text(when(d)) for d in dates)
                              + (f", for a young person aged {' or '.join(map(str, ages))}" if ages is not None else ""))
    return frame


# --- instructor guide: module timing read from the modules themselves ----------------------

def module_times(folder=None):
    """Each course module's title, estimated minutes, objectives and section timings, read from
    the first cell of notebooks/NN-*.ipynb ("Estimated time", its section table and the numbered
    "Learning objectives"), so the
    instructor guide's session plans cannot drift from the modules. One row per module."""
    import json
    from pathlib import Path

    import pandas as pd

    folder = Path(folder) if folder else load_law().data_dir.parent / "notebooks"
    rows = []
    for path in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
        header = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
        title = re.search(r"^#\s+(.+)$", header, re.M)
        minutes = re.search(r"Estimated time\W*(\d+) minutes", header)
        sections = re.findall(r"^\|\s*(\d+\..+?)\s*\|\s*(\d+) min\s*\|", header, re.M)
        aims = header.split("Learning objectives", 1)[-1].split("Estimated time", 1)[0]
        objectives = re.findall(r"^\d\.\s+(.+(?:\n(?!\d\.)\s+.+)*)", aims, re.M)
        rows.append({"module": path.name[:2], "title": title.group(1).strip() if title else path.stem,
                     "minutes": int(minutes.group(1)) if minutes else None,
                     "objectives": " ".join(f"({n}) {' '.join(o.split()).rstrip(';.* ')}." for n, o in enumerate(objectives, 1)),
                     "sections": "; ".join(f"{name} ({m} min)" for name, m in sections),
                     "notebook": path.name})
    frame = pd.DataFrame(rows, columns=["module", "title", "minutes", "objectives", "sections", "notebook"])
    frame.attrs["caption"] = f"Self-paced, all modules: {frame['minutes'].sum()} minutes."
    return frame


# --- one case, or the whole library, under the law of a date (modules 04-07) ---------------

def reasons(case, as_of=None, *, rule: str | None = None, provision: str | None = None,
            which: str = "explanation"):
    """`classify`'s steps for `case` on `as_of` (default: current): citation, conclusion and
    reason, from `explanation` or `not_applied`, optionally only one rule's or provision's."""
    pd = _pandas()

    from .rules import classify

    if which not in ("explanation", "not_applied"):
        raise ValueError(f"which must be explanation or not_applied; got {which!r}")
    steps = [s for s in getattr(classify(case, when(as_of)), which)
             if (rule is None or s.rule == rule) and (provision is None or s.provision == provision)]
    frame = pd.DataFrame([{"citation": s.citation, "conclusion": s.conclusion, "because": s.because} for s in steps],
                         columns=["citation", "conclusion", "because"])
    frame.attrs["caption"] = (("What the rules concluded" if which == "explanation" else "Rules that did not apply")
                              + f", and why, {law_of(when(as_of))}")
    return frame


def _library_case(case_id: str):
    from . import library

    return library.get(case_id)


def case_note_html(case_id: str) -> str:
    """A library case's title and story, marked fictional."""
    lc = _library_case(case_id)
    return (f"<div role=\"note\" class=\"{NO_MATH}\" style=\"border-left:4px solid #767676;padding-left:.8em;max-width:60rem\">"
            f"<p><strong>{escape(lc.title)}</strong> (fictional)</p><p>{escape(lc.vignette)}</p></div>")


def case_note(case_id: str):
    """`case_note_html` as a notebook display object."""
    return _html(case_note_html(case_id))


def case_result(case_id: str, as_of=None):
    """A library case's whole result under the law of `as_of` (default: current), as the simulator shows it."""
    from .rules import classify

    lc = _library_case(case_id)
    return _html(assessment_html(classify(lc.case, when(as_of)), title=lc.title))


def finding_by_date(case_id: str, rule: str, dates=None):
    """One rule's conclusion for a library case under the law of each date (default: every
    preset): the date, the conclusion, the reason and the citation."""
    pd = _pandas()

    from .render import step
    from .rules import classify

    lc = _library_case(case_id)
    rows = []
    for d in dates if dates is not None else list(load_law().presets):
        day = when(d)
        found = step(classify(lc.case, day), rule)
        rows.append({"law of": date_heading(day), "conclusion": found.conclusion if found else MISSING,
                     "because": found.because if found else MISSING, "citation": found.citation if found else MISSING})
    frame = pd.DataFrame(rows, columns=["law of", "conclusion", "because", "citation"])
    frame.attrs["caption"] = f"{lc.title} (fictional): what the rules conclude under the law of each date"
    return frame


def _then_and_now(case, dates):
    from .rules import classify

    return tuple(classify(case, when(d)) for d in dates)


def compare_dates(case_id: str, dates=("brochure", "current")):
    """A library case under the law of two dates, side by side, every changed row marked in words."""
    return _html(compare_html(*_then_and_now(_library_case(case_id).case, dates)))


def what_changed(case_id: str, dates=("brochure", "current")):
    """What the law's answer for a library case changed between two dates, one sentence each."""
    from .timeline import differences

    found = differences(*_then_and_now(_library_case(case_id).case, dates))
    return _html(listing(found) if found else "<p>Nothing: the law's answer is the same on both dates.</p>")


_CARD = ("flex:1 1 19rem;min-width:0;max-width:100%;box-sizing:border-box;border:1px solid #767676;"
         "border-radius:6px;padding:.6em .8em;overflow-wrap:break-word")


def _card(lc, then, now, found) -> str:
    from .render import headline

    status = "Changed" if found else "Same"
    body = listing(found) if found else "<p style=\"margin:.3em 0\">The law's answer is the same on both dates.</p>"
    brief = "".join(
        f"<li>{law_of(a.as_of, start=True)}: {escape(headline(a)[3][1].rstrip('.'))}; "
        f"{sum(len(x.provisions) for x in a.actors)} provision(s) may apply to someone in the case.</li>"
        for a in (then, now))
    return (f"<article class=\"dmst-card\" style=\"{_CARD}\">"
            f"<h4 style=\"margin:0 0 .3em 0\">{escape(lc.title)}</h4>"
            f"<p style=\"margin:.2em 0\"><strong>{status}</strong>. The young person is {lc.case.age}.</p>{body}"
            f"<details><summary>Both dates in brief</summary><ul>{brief}</ul></details></article>")


def then_and_now_html(dates=("brochure", "current"), cases=None) -> str:
    """Every library case (or `cases`) under the law of two dates, one card per case: what
    changed, in words; cases that changed first, each group in a section that opens and closes."""
    from . import library
    from .timeline import differences

    changed, same = [], []
    for lc in cases if cases is not None else library.cases():
        then, now = _then_and_now(lc.case, dates)
        found = differences(then, now)
        (changed if found else same).append(_card(lc, then, now, found))
    total = len(changed) + len(same)
    a, b = (date_text(when(d)) for d in dates)
    out = [f"<section class=\"dmst-cards {NO_MATH}\" aria-label=\"The library cases under the law of {a} and of {b}\" "
           "style=\"max-width:80rem\">",
           f"<p>{len(changed)} of {total} cases come out differently under the law of {b} than under the law of {a}.</p>"]
    for cards, label, is_open in ((changed, "changed", " open"), (same, "came out the same", "")):
        if cards:
            out.append(f"<details{is_open}><summary style=\"font-size:1.15em;font-weight:bold;margin:.5em 0\">"
                       f"Cases that {label} ({len(cards)})</summary>"
                       "<div style=\"display:flex;flex-wrap:wrap;gap:.8em;margin:.5em 0 1em\">"
                       + "".join(cards) + "</div></details>")
    out.append("</section>")
    return "".join(out)


def then_and_now(dates=("brochure", "current")):
    """`then_and_now_html` as a notebook display object."""
    return _html(then_and_now_html(dates))


def changes_table(confidence: str | None = None):
    """Every dated change in the law data since the model starts (`timeline.changes`), in
    words, optionally only those of one `confidence`."""
    from .timeline import changes_frame

    frame = changes_frame()
    if confidence is not None:
        frame = frame[frame["confidence"] == confidence]
    frame = frame[["date", "jurisdiction", "citation", "what", "source", "confidence"]].reset_index(drop=True)
    frame.attrs["caption"] = ("Every dated change in the course's law data" if confidence is None else
                              f"Changes in the course's law data whose confidence is {VALUE_WORDS['confidence'].get(confidence, confidence)}")
    return frame


# --- tables for the 2022-2026 acts (law engineer) ---------------------------------------

def young_person_defences(as_of="current"):
    """Module 02: the rules that keep a trafficked young person from being punished, as in force
    on `as_of`: § 53a-82 (prostitution), § 53a-192a's defence (its main tier) and P.A. 25-139's
    defence for a misdemeanor, each with its summary and how sure the course is, in words."""
    frame = provision_table(["ct-53a-82", "ct-53a-192a", "ct-pa-25-139"], as_of=as_of,
                            columns=["citation", "title", "summary", "in_force", "confidence", "tier"])
    frame = frame[frame["tier"] == ""].drop(columns="tier").reset_index(drop=True)
    frame["how_sure"] = [confidence_words(c) for c in frame["confidence"]]
    frame = frame.drop(columns="confidence")
    frame.attrs["merge"] = []
    frame.attrs["caption"] = "Three protections for a young person who was trafficked, as in force on " + date_text(when(as_of))
    return frame


def lodging_duties():
    """Module 05: every version of what the law asks of hotels, motels, inns and similar lodging,
    oldest first: when, what it asks, and how sure the course is, in words (its sources are in the
    module's Sources table)."""
    frame = provision_table(["ct-lodging"], columns=["in_force", "summary", "confidence"])
    frame["how_sure"] = [confidence_words(c) for c in frame["confidence"]]
    frame = frame.drop(columns="confidence").rename(columns={"summary": "what_the_law_asks"})
    frame.attrs["caption"] = "What the law asks of hotels, motels, inns and similar lodging, version by version"
    return frame


def reporting_versions():
    """Module 05: the mandated-reporting duty over time, one row for each period in which neither the
    duty (`ct-17a-101b`) nor the penalty for not reporting (`ct-17a-101b-penalty`, its own dated
    versions) changed: when, what changed (the duty's change, else the penalty's), the penalty in
    force, and how sure the course is of the period, in words (the less sure of the duty and the
    penalty)."""
    pd = _pandas()
    law = load_law()
    duty, penalties = law.tier_versions("ct-17a-101b"), law.versions("ct-17a-101b-penalty")
    starts = sorted({v.effective_from for v in (*duty, *penalties)})
    doubt = ("verify", "medium", "high")
    rows = []
    for start, following in zip(starts, [*starts[1:], None]):
        end = following - timedelta(days=1) if following else None
        version = next(v for v in duty if v.in_force(start))
        penalty = next(p for p in penalties if p.in_force(start))
        rows.append({"in_force": period_text(start, end),
                     "change": version.change if version.effective_from == start else penalty.change,
                     "penalty_for_not_reporting": penalty.summary,
                     "how_sure": confidence_words(min(version.confidence, penalty.confidence, key=doubt.index))})
    frame = pd.DataFrame(rows)
    frame.attrs["caption"] = "The mandated-reporting duty and the penalty for not reporting, period by period"
    return frame
