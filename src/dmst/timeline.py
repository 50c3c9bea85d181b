"""Then and now (module 07): how the law changed since the brochure, read from the data.

A *change* is a date on which a provision version, a penalty class (such as the 364-day
cap on misdemeanors) or a dated parameter (such as an age line) starts after
`law.model_start`: `changes` finds them from the version boundaries in data/provisions.csv,
data/penalty_classes.csv and data/parameters.csv and says in words what differs from the
version before (class, term, fine, title, the conduct it reaches, the parameter value).
Nothing legal is typed here.

`compare_cases` classifies the same cases under two dates with `classify` (which alone
decides) and `differences` says, in words, what the law's answer changed; the notebook
shows the words, so nothing depends on colour. `timeline_chart` draws the changes.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date

from .assessment import Assessment
from .law import Law, PenaltyClass, Provision, date_text, load_law
from .render import penalty_text, term_text
from .rules import classify

CT_PROSTITUTION_WORDS = {"not_prosecutable": "cannot be prosecuted for prostitution",
                         "presumed_coerced": "presumed coerced", "adult": "treated as an adult",
                         None: "not in question"}
JURISDICTION_NAMES = {"US": "federal", "CT": "Connecticut"}


@dataclass(frozen=True)
class Change:
    """One provision's change on one date: what differs from the version before, in words."""
    date: date
    provision: str
    jurisdiction: str
    citation: str
    what: str
    brochure_differs: str
    source: str
    confidence: str


def _term(law: Law, v: Provision, on: date) -> str:
    """The version's term and fine in words on `on` (its own figures, else its class's)."""
    return penalty_text(law.on(on).penalty(v))


def _conduct(items) -> str:
    return ", ".join(c.replace("_", " ") for c in sorted(items))


def _version_diff(law: Law, old: Provision, new: Provision, label: str = "") -> list[str]:
    """Class and penalty changes; title and reach too when the version has no `change` words."""
    out = []
    if old.title != new.title and not new.change:
        out.append(f"retitled from '{old.title}' to '{new.title}'")
    if old.classification != new.classification:
        out.append(f"class{label}: {old.classification or 'none'} → {new.classification or 'none'}")
    # The old version on its last day, so a class change in between is not counted twice.
    if new.classification and _term(law, old, old.effective_to) != _term(law, new, new.effective_from):
        out.append(f"penalty{label}: {_term(law, old, old.effective_to)} → {_term(law, new, new.effective_from)}")
    if new.change:
        return out
    if new.reaches - old.reaches:
        out.append(f"now also reaches{label}: {_conduct(new.reaches - old.reaches)}")
    if old.reaches - new.reaches:
        out.append(f"no longer reaches{label}: {_conduct(old.reaches - new.reaches)}")
    return out


def changes(law: Law | None = None) -> list[Change]:
    """Every dated change after `law.model_start`, oldest first, one per provision and date: the
    version's own `change` words, then what the data shows differs (class, penalty, reach)."""
    law = law or load_law()
    found = []
    for pid in law.ids:
        versions = law.versions(pid)
        for start in sorted({v.effective_from for v in versions if v.effective_from > law.model_start}):
            new = [v for v in versions if v.effective_from == start]
            before = {v.tier: v for v in versions if v.effective_to is not None and v.effective_to < start}
            what = list(dict.fromkeys(v.change.rstrip(".") for v in new if v.change))
            per_tier = [_version_diff(law, before[v.tier], v) for v in new if v.tier in before]
            if per_tier and all(d == per_tier[0] for d in per_tier):  # the same in every tier: say it once
                what += per_tier[0]
            else:
                what += [d for v in new if v.tier in before
                         for d in _version_diff(law, before[v.tier], v, f" ({v.tier.replace('_', ' ')})")]
            if not what:
                classes = " / ".join(dict.fromkeys(v.classification for v in new if v.classification))
                what.append(f"new: {new[0].title}" + (f" ({classes})" if classes else ""))
            for p in law.parameters:
                old = [q for q in law.parameters if q.name == p.name and q.effective_to is not None and q.effective_to < start]
                if p.provision_id == pid and p.effective_from == start and old:
                    what.append(f"{p.label}: {old[-1].value} → {p.value} {p.unit}")
            first = new[0]
            found.append(Change(date=start, provision=pid, jurisdiction=first.jurisdiction, citation=first.citation,
                                what="; ".join(what), brochure_differs=first.brochure_differs,
                                source=first.source, confidence=min((v.confidence for v in new), key=_doubt)))
    found.extend(_class_changes(law))
    return sorted(found, key=lambda c: (c.date, c.jurisdiction != "US", c.provision))


def _class_changes(law: Law) -> list[Change]:
    """A penalty class's new term or fine is a change of every offence in that class."""
    out = []
    for new in law.penalty_classes:
        old = [c for c in law.penalty_classes if c.classification == new.classification
               and c.effective_to is not None and c.effective_to < new.effective_from]
        if new.effective_from <= law.model_start or not old:
            continue
        affected = sorted({v.citation for v in law.provisions if v.classification == new.classification
                           and v.in_force(new.effective_from)})
        what = (f"{new.classification}: {_class_term(old[-1])} → {_class_term(new)}"
                + (f" (applies to {', '.join(affected)})" if affected else ""))
        out.append(Change(date=new.effective_from, provision="", jurisdiction=new.jurisdiction, citation=new.citation,
                          what=what, brochure_differs="", source="; ".join(s.title for s in new.sources),
                          confidence=new.confidence))
    return out


def _class_term(c: PenaltyClass) -> str:
    return term_text(None, c.max_months, c.life, c.max_days) + (f", fine up to ${c.fine_max_usd:,}" if c.fine_max_usd else "")


def _doubt(confidence: str) -> int:
    """Sort key that puts the least sure confidence first, so a change shows its weakest row."""
    return {"verify": 0, "medium": 1, "high": 2}.get(confidence, 0)


def changes_frame(law: Law | None = None):
    """`changes` as a pandas DataFrame (one row per change)."""
    import pandas as pd

    return pd.DataFrame([c.__dict__ for c in changes(law)],
                        columns=["date", "provision", "jurisdiction", "citation", "what",
                                 "brochure_differs", "source", "confidence"])


def _label_lines(c: Change) -> tuple[list[str], list[str]]:
    """A change's label on the chart, as lines that fit its column: a heading (its date in words,
    jurisdiction and citation, set in bold, so shorter lines) and what changed first, wrapped
    (never cut: the table under the chart has every word)."""
    tag = " [not confirmed]" if c.confidence == "verify" else ""
    head = f"{date_text(c.date)} · {JURISDICTION_NAMES[c.jurisdiction]} · {c.citation}{tag}"
    return textwrap.wrap(head, 64), textwrap.wrap(_first_clause(c.what), 74)


def _first_clause(what: str) -> str:
    """The first of the '; '-separated parts of a change's words, not counting a '; ' inside
    parentheses ("... stays (2023 sSB 1117; P.A. 23-20)" stays whole)."""
    depth = 0
    for i, ch in enumerate(what):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and what.startswith("; ", i):
            return what[:i]
    return what


def timeline_chart(law: Law | None = None):
    """A dot timeline of the changes between the course's first modelled date and the
    "current" preset, with the brochure date marked: one row per change, its marker on the
    time axis at the left and its label (date in words, jurisdiction, citation, what changed)
    in a column at the right, joined by a dotted line. Connecticut and federal changes differ
    in marker shape and in the label's words, not only colour. Returns (figure, alt text)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    law = law or load_law()
    found = changes(law)
    brochure, current = law.presets["brochure"], law.presets["current"]
    labels = [_label_lines(c) for c in found]
    labels = [[(line, k < len(head)) for k, line in enumerate(head + what)] for head, what in labels]
    # Rows are as tall as their labels; y counts lines of text from the top.
    tops, y = [], 0.0
    for lines in labels:
        tops.append(y)
        y += len(lines) + 0.7
    line_inch = 0.19
    top_inch, bottom_inch = 1.25, 0.95
    height = y * line_inch + top_inch + bottom_inch
    fig = Figure(figsize=(10, height), dpi=100)
    # The time axis takes the left third; the labels the rest, in figure coordinates.
    ax = fig.add_axes((0.03, bottom_inch / height, 0.30, 1 - (top_inch + bottom_inch) / height))
    style = {"US": dict(marker="o", color="#08519c"), "CT": dict(marker="s", color="#a63603")}
    start, end = law.model_start, current.replace(year=current.year + 1)
    for top, lines, c in zip(tops, labels, found):
        middle = top + (len(lines) - 1) / 2
        ax.plot([c.date, end], [middle, middle], linestyle=":", linewidth=0.8, color="#767676", clip_on=False)
        ax.plot([c.date], [middle], linestyle="none", markersize=9, **style[c.jurisdiction])
        for k, (text, bold) in enumerate(lines):
            # "$" would start matplotlib's math mode ("fine up to $2,000"): written as a plain sign.
            ax.annotate(text.replace("$", r"\$"), (1, top + k), xycoords=("axes fraction", "data"), xytext=(10, 0),
                        textcoords="offset points", va="center", fontsize=10,
                        fontweight="bold" if bold else "normal", annotation_clip=False)
    for when, text in ((brochure, "brochure"), (current, "current")):
        ax.axvline(when, color="#525252", linestyle="--", linewidth=1)
        ax.annotate(f"{text}\n{date_text(when)}", (mdates.date2num(when), 1), xycoords=("data", "axes fraction"),
                    xytext=(0, 4), textcoords="offset points", ha="center", va="bottom", fontsize=9)
    ax.set_ylim(y - 0.4, -0.9)
    ax.set_yticks([])
    ax.set_xlim(start, end)
    ax.xaxis.set_major_locator(mdates.YearLocator(4))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", labelsize=9)
    for jurisdiction, s in style.items():
        ax.plot([], [], linestyle="none", markersize=9, label=f"{JURISDICTION_NAMES[jurisdiction]} ({'circle' if s['marker'] == 'o' else 'square'})", **s)
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.35 / (y * line_inch)), fontsize=9, frameon=False, ncol=2)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.text(0.01, 1 - 0.15 / height, f"Changes in the course's law data, {date_text(law.model_start)} to {date_text(current)}",
             ha="left", va="top", fontsize=13, fontweight="bold")
    fig.text(0.01, 1 - 0.45 / height, "[not confirmed]: no source the course read confirms the change.",
             ha="left", va="top", fontsize=10)
    alt = (f"Timeline of {len(found)} changes in the law data between {date_text(law.model_start)} and "
           f"{date_text(current)}; the brochure date is {date_text(brochure)}. "
           + " ".join(f"{date_text(c.date)}, {JURISDICTION_NAMES[c.jurisdiction]}, {c.citation}: {c.what} "
                      f"(confidence {'not confirmed' if c.confidence == 'verify' else c.confidence})." for c in found))
    return fig, alt


def differences(then: Assessment, now: Assessment, law: Law | None = None) -> list[str]:
    """What the law's answer for one case changed between two assessments, one sentence each."""
    law = law or load_law()
    out = []
    if then.trafficking_victim != now.trafficking_victim or then.trafficking_type != now.trafficking_type:
        out.append(f"trafficking: {_victim(then)} → {_victim(now)}")
    # The prostitution statute's answer matters only where there is a commercial sex act.
    if then.ct_prostitution != now.ct_prostitution and (then.commercial_sex_act or now.commercial_sex_act):
        out.append(f"Connecticut prostitution statute: {CT_PROSTITUTION_WORDS[then.ct_prostitution]} → "
                   f"{CT_PROSTITUTION_WORDS[now.ct_prostitution]}")
    added = [cid for cid in now.notify if cid not in then.notify]
    dropped = [cid for cid in then.notify if cid not in now.notify]
    if added:
        out.append("contacts added: " + ", ".join(law.contacts[c].name for c in added))
    if dropped:
        out.append("contacts dropped: " + ", ".join(law.contacts[c].name for c in dropped))
    before = {a.name: {p.id: p for p in a.provisions} for a in then.actors}
    for actor in now.actors:
        old, new = before.get(actor.name, {}), {p.id: p for p in actor.provisions}
        for pid, p in new.items():
            if pid not in old:
                out.append(f"{actor.name}: now {p.citation} ({p.classification})")
            elif old[pid].classification != p.classification:
                out.append(f"{actor.name}: {p.citation} {old[pid].classification} → {p.classification}")
            elif _penalty(old[pid]) != _penalty(p):
                out.append(f"{actor.name}: {p.citation} {_penalty(old[pid])} → {_penalty(p)}")
        for pid, p in old.items():
            if pid not in new:
                out.append(f"{actor.name}: no longer {p.citation}")
    return out


def _penalty(p) -> str:
    return term_text(p.mandatory_minimum_months, p.maximum_months, p.life, p.maximum_days) + \
        (f", fine up to ${p.fine_max_usd:,}" if p.fine_max_usd else "")


def _victim(a: Assessment) -> str:
    return f"victim of {a.trafficking_type} trafficking" if a.trafficking_victim else "no trafficking found on these facts"


def compare_cases(cases=None, dates=("brochure", "current"), law: Law | None = None):
    """The library cases (or `cases`, a list of LibraryCase) classified under the law of two
    dates (preset names or dates): one row per case with each date's key answers and, in
    words, what changed ("no change" when nothing did)."""
    import pandas as pd

    from . import library

    law = law or load_law()
    days = [law.presets[d] if isinstance(d, str) else d for d in dates]
    names = [d if isinstance(d, str) else d.isoformat() for d in dates]
    rows = []
    for lc in cases if cases is not None else library.cases():
        then, now = (classify(lc.case, day, law) for day in days)
        row = {"id": lc.id, "title": lc.title, "age": lc.case.age}
        for name, a in zip(names, (then, now)):
            row[f"{name}: CT prostitution"] = CT_PROSTITUTION_WORDS[a.ct_prostitution]
            row[f"{name}: provisions"] = sum(len(x.provisions) for x in a.actors)
        diff = differences(then, now, law)
        row["changed"] = "CHANGED" if diff else "same"
        row["what changed"] = "; ".join(diff) or "no change"
        rows.append(row)
    return pd.DataFrame(rows)
