"""Small helpers the course notebooks share, so a notebook cell stays one short line.

Everything shown comes from `data/` through `load_law()`: tables of provisions with their
citation and confidence, citations, "the brochure says / the statute says" panels, the
content note (with support contacts) and the disclaimer, and a chart of penalty ranges.
Nothing legal is typed here.

Charts are shown as an HTML `<img>` whose `alt` text is written from the same data as
the picture (`figure_html`), so a screen-reader user gets every number the chart shows.
"""
from __future__ import annotations

import base64
import io
from datetime import date
from html import escape

from . import DISCLAIMER
from .law import Provision, load_law
from .render import UNCONFIRMED, penalty_text, term_text  # noqa: F401  (notebooks call course.term_text)

PROVISION_COLUMNS = ("id", "citation", "title", "classification", "penalty", "in_force", "confidence")
# Columns computed from the data, not stored in provisions.csv.
COMPUTED = ("penalty", "in_force", "source")
CONFIDENCE_MEANING = {
    "high": "the statute text or the legislature's own summary was read",
    "medium": "an official agency page or a reliable secondary source",
    "verify": UNCONFIRMED,
}


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


def provision_table(ids=None, as_of=None, columns=PROVISION_COLUMNS):
    """Provision versions as a pandas DataFrame, read from `load_law().table("provisions")`.

    `ids`: provision ids to keep, in that order (default: all). `as_of`: keep only the
    versions in force on that date (a date, ISO string or preset name); None keeps every
    version. `columns`: any column of provisions.csv, plus "penalty" and "in_force".
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
        frame = frame.sort_values(["_order", "effective_from", "tier"], kind="stable")
    if as_of is not None:
        day = pd.Timestamp(when(as_of))
        frame = frame[(frame["effective_from"] <= day) & (frame["effective_to"].isna() | (frame["effective_to"] >= day))]
    frame = frame.copy()
    frame["penalty"] = [_version_penalty(pid, tier, start, end, as_of)
                        for pid, tier, start, end in zip(frame["id"], frame["tier"], frame["effective_from"], frame["effective_to"])]
    frame["in_force"] = [f"{start:%Y-%m-%d} to {'now' if pd.isna(end) else f'{end:%Y-%m-%d}'}"
                         for start, end in zip(frame["effective_from"], frame["effective_to"])]
    titles = {s.id: s.title for s in load_law().sources.values()}
    frame["source"] = ["; ".join(titles[i] for i in ids.split(";") if i) for ids in frame["sources"]]
    return frame[list(columns)].reset_index(drop=True)


def _version_penalty(pid, tier, start, end, as_of) -> str:
    """The penalty of one version in words, as in force on `as_of`, or (with no date) on the
    version's last day up to the current preset: its class's term and fine can change within it."""
    law = load_law()
    day = when(as_of) if as_of is not None else min(end.date() if end == end else date.max, when(None))
    v = next(v for v in law.versions(pid) if v.tier == tier and v.effective_from == start.date())
    if v.classification in ("definition", "forfeiture", "duty", ""):
        return "no penalty: " + (v.classification or "not an offence")
    return penalty_text(law.on(max(day, v.effective_from)).penalty(v))


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
    raise ValueError(f"{pid} was not in force on {day.isoformat()} (in force {periods})")


def cite(pid: str, as_of=None, tier: str | None = None) -> str:
    """The citation of the version in force on `as_of` (default: current)."""
    return version(pid, as_of, tier).citation


def parameter(name: str, as_of=None) -> int:
    """A dated legal number (an age) from data/parameters.csv, as in force on `as_of`."""
    return load_law().on(when(as_of)).parameter(name)


def parameter_table(name: str):
    """Every dated value of one legal number in data/parameters.csv: value, when, reference, confidence."""
    pd = _pandas()
    frame = load_law().table("parameters")
    frame = frame[frame["name"] == name]
    if frame.empty:
        raise ValueError(f"{name!r} is not a parameter in data/parameters.csv")
    in_force = [f"{start:%Y-%m-%d} to {'now' if pd.isna(end) else f'{end:%Y-%m-%d}'}"
                for start, end in zip(frame["effective_from"], frame["effective_to"])]
    return frame.assign(in_force=in_force)[["name", "value", "unit", "in_force", "reference", "confidence"]].reset_index(drop=True)


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
        f"<li><q>{escape(s.quote)}</q> <span>{escape(s.title)}, {escape(s.publisher)}"
        f"{', ' + _link(s.url) if s.url else ''} (read {s.retrieved.isoformat()}).</span></li>"
        for s in sources)
    return f"<ul>{items}</ul>"


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
    statute = "".join(f"<p>{escape(v.summary)}{escape(' (' + UNCONFIRMED + ')' if v.confidence == 'verify' else '')}</p>"
                      f"{_penalty_html(v, day)}" for v in tiers)
    differs = first.brochure_differs or "The data records no difference."
    cited = {src.id: src for v in tiers for src in v.sources}
    return (
        f"<section aria-label=\"Brochure and statute: {escape(first.citation)}\" style=\"max-width:60rem\">"
        f"<h4>{escape(first.citation)}: {escape(first.title)}</h4>"
        "<table style=\"border-collapse:collapse;width:100%\"><thead><tr>"
        "<th scope=\"col\" style=\"text-align:left;width:50%\">What the brochure says (about 2012)</th>"
        f"<th scope=\"col\" style=\"text-align:left\">What the statute says (version in force on {day.isoformat()}, "
        f"from {first.effective_from.isoformat()})</th></tr></thead><tbody><tr>"
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
    current = law.presets["current"].isoformat()
    return _html(f"<div role=\"note\" style=\"border-left:4px solid #767676;padding-left:.8em\">"
                 f"<p><strong>Disclaimer.</strong> {escape(DISCLAIMER)} "
                 f"The course data was last reviewed on {current}.</p></div>")


def support_contacts_html(ids=("national_hotline", "emergency_911")) -> str:
    """Contacts from data/contacts.csv as an HTML list: name, how to reach them (a number only
    when a source confirms it), when to call."""
    from .render import contact_number_text

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


def contacts_table(ids=None, columns=CONTACT_COLUMNS):
    """Contacts from data/contacts.csv as a DataFrame, in the order of `ids` (default: all)."""
    _pandas()
    frame = load_law().table("contacts")
    if ids is not None:
        frame = frame.set_index("id").loc[list(ids)].reset_index()
    return frame[list(columns)]


def glossary(terms=None):
    """Glossary rows (term, definition, provision id, what to say instead), optionally only `terms`."""
    _pandas()
    frame = load_law().table("glossary")
    if terms is not None:
        frame = frame.set_index("term").loc[list(terms)].reset_index()
    return frame


def sources(ids):
    """The "Sources" table a module closes with: every version of each id, with the titles of the
    sources it rests on and its confidence (the quotes are in `brochure_vs_statute_html`)."""
    return provision_table(ids, columns=("id", "citation", "in_force", "source", "confidence"))


# --- pictures ----------------------------------------------------------------------------

def _bar_label(v: Provision, clash: bool) -> str:
    return f"{v.citation} ({v.tier.replace('_', ' ')})" if clash and v.tier else v.citation


def penalty_chart(ids, as_of=None):
    """Horizontal bars of prison terms in force on `as_of`: from the mandatory minimum (or 0)
    to the maximum (the section's own, or its class's); "life" bars run off the scale with an
    arrow. Returns (figure, alt text)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    day = when(as_of)
    law = load_law()
    on = law.on(day)
    rows = [(v, on.penalty(v)) for pid in ids for v in law.versions(pid) if v.in_force(day)]
    rows = [(v, p) for v, p in rows if p.mandatory_minimum_months is not None or p.maximum_months is not None
            or p.maximum_days is not None or p.life]
    if not rows:
        raise ValueError(f"none of {', '.join(ids)} has a prison term in force on {day.isoformat()}")
    citations = [v.citation for v, _ in rows]
    labels = [_bar_label(v, citations.count(v.citation) > 1) for v, _ in rows]
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
    ax.set_title(f"Prison terms in force on {day.isoformat()} (statute sections and their classes)", fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    alt = (f"Bar chart of prison terms in force on {day.isoformat()}. "
           + " ".join(f"{label}: {penalty_text(p)}." for label, (v, p) in zip(labels, rows)))
    return fig, alt


def _years(months, days):
    return months / 12 if months is not None else (days / 365 if days is not None else None)


def figure_html(fig, alt: str) -> str:
    """A figure as an `<img>` with alt text (a PNG without a software stamp, so it is reproducible)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"<img src=\"data:image/png;base64,{data}\" alt=\"{escape(alt, quote=True)}\" style=\"max-width:100%\">"


def show_penalty_chart(ids, as_of=None):
    """The penalty chart as a notebook display object (image with alt text)."""
    return _html(figure_html(*penalty_chart(ids, as_of)))


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
    return pd.DataFrame(rows, columns=["conduct", "federal", "Connecticut"])


def actors_by_date(case, dates=("brochure", "current")):
    """Which provisions may apply to each actor of `case` under the law of each date (preset
    names or dates), from `classify`: one row per actor, provision and date."""
    import pandas as pd

    from .rules import classify

    frames = []
    for d in dates:
        frame = classify(case, when(d)).to_frame("actors")
        frame.insert(0, "law of", when(d).isoformat())
        frame["term"] = [term_text(None if pd.isna(lo) else int(lo), None if pd.isna(hi) else int(hi), life,
                                   None if pd.isna(days) else int(days))
                         for lo, hi, life, days in zip(frame["mandatory_minimum_months"], frame["maximum_months"],
                                                       frame["life"], frame["maximum_days"])]
        frames.append(frame[["law of", "actor", "id", "citation", "classification", "term"]])
    return pd.concat(frames, ignore_index=True)


# --- instructor guide: module timing read from the modules themselves ----------------------

def module_times(folder=None):
    """Each course module's title, estimated minutes, objectives and section timings, read from
    the first cell of notebooks/NN-*.ipynb ("Estimated time", its section table and the numbered
    "Learning objectives"), so the
    instructor guide's session plans cannot drift from the modules. One row per module."""
    import json
    import re
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
    return pd.DataFrame(rows, columns=["module", "title", "minutes", "objectives", "sections", "notebook"])


def readable(frame, name: str):
    """A DataFrame of long text as a left-aligned, top-aligned table without the index
    (JupyterLab right-aligns cells, which makes sentences hard to read). `name` fixes the
    table's HTML id, so a committed output is the same every run."""
    return (frame.style.set_properties(**{"text-align": "left", "vertical-align": "top"})
            .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
            .hide(axis="index").set_uuid(name))
