"""An Assessment as HTML (widgets, notebooks) or plain text (feedback, terminal-like views).

Nothing here decides a legal question: every sentence shown is a conclusion, reason or
citation that `classify` produced, or a field of the data (contacts, penalties). The HTML
is a fragment meant to sit inside a notebook output or an ipywidgets HTML widget, so it
uses semantic elements (headings, lists, tables with header cells, `<details>`), says
every answer in words (never by colour alone) and sizes text relatively (readable at 200%).
All text that can come from a user (actor names, case ids) is escaped.
"""
from __future__ import annotations

import re
from datetime import date
from html import escape
from typing import Mapping

from .assessment import ActorProvision, Assessment, Step
from .law import Contact, Penalty, date_text, load_law

# Said when no rule names a contact: never "do not report".
NO_CALL_NAMED = ("The rules found no statutory trigger on these answers. If you have reasonable cause to "
                 "suspect that a child is abused or neglected, report it to the DCF Careline anyway.")
# Said for an adult when no rule names a contact.
NO_CALL_ADULT = ("The rules name no report for an adult on these answers. The National Human Trafficking "
                 "Hotline takes calls about adults at any hour.")


def no_call_text(minor: bool) -> str:
    """What a result says when no rule names a contact: for a child, never "do not report"."""
    return NO_CALL_NAMED if minor else NO_CALL_ADULT
# Contacts listed under every result, whatever the facts: ids of rows in data/contacts.csv.
ALWAYS_CONTACTS = ("emergency_911", "national_hotline")
NOT_IN_DATA = "not in the course data"
# What every face says next to a legal statement whose version is `verify` in the data.
UNCONFIRMED = "not confirmed: check before relying on it"

# Inline styles, not a <style> block: JupyterLab drops <style> from the outputs of a notebook
# it does not trust (every committed notebook a learner opens), but keeps style attributes.
# Sizes are relative, so the text follows the page (and the projector layout) and 200% zoom.
SECTION = "line-height:1.45;max-width:60rem;overflow-wrap:break-word"
TABLE = "border-collapse:collapse;margin:.3em 0 .8em;width:100%;font-size:1em;table-layout:auto"
# overflow-wrap breaks only a word too long for its line; `word-break:break-word` would also let the
# table shrink its columns to a letter or two and split every word ("Questi on").
CELL = ("border:1px solid #767676;padding:.25em .5em;text-align:left;vertical-align:top;font-size:1em;"
        "overflow-wrap:break-word")
SMALL = "font-size:.9em"
# A link that looks like one wherever it is shown (an ipywidgets HTML widget does not style links).
LINK = "color:#0b5cad;text-decoration:underline"
# A table's caption: says what the table is (a screen reader reads it first), above the table.
CAPTION = "caption-side:top;text-align:left;padding:.3em 0;font-weight:bold"
# The classes MathJax skips (version 3, as in JupyterLab 4, and version 2): JupyterLab typesets
# text between two dollar signs as math, even in outputs, and a fine ("up to $15,000 ...
# $20,000") would come out as a formula.
NO_MATH = "mathjax_ignore tex2jax_ignore"
CHANGED = "background:#fff4c2;color:#1a1a1a"


def _th(scope: str, extra: str = "") -> str:
    return f"<th scope=\"{scope}\" style=\"{CELL}{extra}\">"


_TD = f"<td style=\"{CELL}\">"


# --- small formatters ------------------------------------------------------------------

# date_text (a date as a reader says it, "28 Nov 2026") lives in law.py, so the rules' reasons use it too.


def law_of(day: date, *, start: bool = False) -> str:
    """'under the law of 28 Nov 2026' ('Under ...' to start a sentence): how every result and
    question names its date."""
    return f"{'Under' if start else 'under'} the law of {date_text(day)}"


def period_text(start: date, end: date | None) -> str:
    """When a version is in force: 'since 1 Oct 2010', or '1 Oct 2010 to 30 Sep 2016'."""
    return f"since {date_text(start)}" if end is None else f"{date_text(start)} to {date_text(end)}"


# A trailing parenthesis with a word in it ('("severe forms of trafficking in persons"; ...)'),
# not a subsection mark such as '(b)(1)'.
_GLOSS = re.compile(r"\s+\((?=[^()]*[A-Za-z]{3})[^()]*\)\s*$")


def short_citation(citation: str) -> str:
    """A citation without the defined terms it names: '22 U.S.C. § 7102 ("severe forms ...")'
    -> '22 U.S.C. § 7102'; '18 U.S.C. § 1591(a), (b)(1)' stays as it is."""
    return _GLOSS.sub("", citation)


def citation_html(citation: str, about: str = "") -> str:
    """A citation as HTML: the short form, with the full one a click away (<details>) when they differ.
    `about` is what the citation is for (a row's question, a person, a reason): a screen reader
    hears it in the button's name ("Victim of trafficking?: 22 U.S.C. § 7102"), so the same
    citation in two rows is two buttons told apart."""
    short = short_citation(citation)
    if short == citation:
        return f"<span class=\"dmst-citation\">{escape(citation)}</span>"
    name = f" aria-label=\"{escape(f'{about}: {short}')}\"" if about else ""
    return (f"<details class=\"dmst-citation\" style=\"display:inline-block;vertical-align:top\">"
            f"<summary{name}>{escape(short)}</summary>{escape(citation)}</details>")


def months_text(months: int | None) -> str:
    """A month count as years and months: 120 -> '10 years', 18 -> '1 year 6 months'."""
    if months is None:
        return NOT_IN_DATA
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year" + ("s" if years != 1 else ""))
    if rest or not years:
        parts.append(f"{rest} month" + ("s" if rest != 1 else ""))
    return " ".join(parts)


def days_text(days: int | None) -> str:
    return NOT_IN_DATA if days is None else f"{days} day" + ("s" if days != 1 else "")


def term_text(min_months, max_months, life, max_days=None) -> str:
    """A prison term in words: 'at least 10 years, up to life', 'up to 20 years', 'up to 364 days'."""
    top = "life" if life else (months_text(max_months) if max_months is not None
                               else days_text(max_days) if max_days is not None else None)
    if min_months is not None and top:
        return f"at least {months_text(min_months)} (mandatory), up to {top}"
    if min_months is not None:
        return f"at least {months_text(min_months)} (mandatory)"
    if top:
        return f"up to {top}"
    return "no prison term in the course data"


def penalty_text(pen: Penalty) -> str:
    """A penalty (from `LawOnDate.penalty`) in words: term, fine, and whether it is confirmed."""
    parts = [term_text(pen.mandatory_minimum_months, pen.maximum_months, pen.life, pen.maximum_days)]
    if pen.fine_max_usd:
        parts.append(f"fine up to ${pen.fine_max_usd:,}")
    if pen.confidence == "verify":
        parts.append(UNCONFIRMED)
    return "; ".join(parts)


def minimum_text(p: ActorProvision) -> str:
    return "none in the course data" if p.mandatory_minimum_months is None \
        else months_text(p.mandatory_minimum_months)


def maximum_text(p: ActorProvision) -> str:
    if p.life:
        return "life"
    return months_text(p.maximum_months) if p.maximum_days is None else days_text(p.maximum_days)


def fine_text(p: ActorProvision) -> str:
    return NOT_IN_DATA if p.fine_max_usd is None else f"up to ${p.fine_max_usd:,}"


def confirmed_text(confidence: str) -> str:
    """'' for a confirmed statement; the words that say it is not, for a `verify` one."""
    return f" ({UNCONFIRMED})" if confidence == "verify" else ""


def provision_penalty_text(p: ActorProvision) -> str:
    """A provision's prison term and fine in one line: 'at least 10 years (mandatory), up to life;
    fine: up to $250,000', and whether it is confirmed."""
    if p.classification == "forfeiture":
        return "money and property can be forfeited; no prison term or fine of its own" + confirmed_text(p.confidence)
    return (f"{term_text(p.mandatory_minimum_months, p.maximum_months, p.life, p.maximum_days)}; "
            f"fine: {fine_text(p)}{confirmed_text(p.confidence)}")


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def type_text(a: Assessment) -> str:
    return {"sex": "Sex trafficking", "labor": "Labor trafficking"}.get(a.trafficking_type or "", "No trafficking found on these facts")


def step(a: Assessment, rule: str) -> Step | None:
    """The step (conclusion or rule that did not apply) a rule produced, if any."""
    for s in (*a.explanation, *a.not_applied):
        if s.rule == rule:
            return s
    return None


def headline(a: Assessment) -> list[tuple[str, str, Step | None]]:
    """The four headline questions: (question, answer, the step that decided it)."""
    victim_step = step(a, "sex_trafficking") if a.trafficking_type != "labor" else step(a, "labor_trafficking")
    standing = step(a, "ct_prostitution")
    standing_q = f"Standing under {standing.citation}" if standing else "Standing under the prostitution statute"
    return [
        ("Victim of trafficking?", yes_no(a.trafficking_victim), victim_step),
        ("Type of trafficking", type_text(a), victim_step),
        ("Domestic minor sex trafficking (the brochure's term)?", yes_no(a.dmst), step(a, "dmst")),
        (standing_q, standing.conclusion if standing else "does not apply on these facts", standing),
    ]


def _contacts(contacts: Mapping[str, Contact] | None) -> Mapping[str, Contact]:
    return load_law().contacts if contacts is None else contacts


def contact_number_text(c: Contact) -> str:
    """How to reach a contact, in plain text: its number when a source confirms it; otherwise
    where to find the current number, with the address (plain text has no link to click; an
    unconfirmed number is never shown as a number to call)."""
    if c.confirmed:
        return c.phone + (f"; text {c.text}" if c.text else "")
    return f"number not confirmed: find the current number at {c.url}"


def contact_page_text(c) -> str:
    """The words of a link to the page where a contact's current number is (`c.url`; `c` is a
    Contact or anything with its `name` and `url`, such as the helper's Call): the page
    named by its owner, read from the contact's name, never the address, which would widen a
    table or a panel: "FBI New Haven's contact page", "the website of the U.S. Attorney's Office",
    "DCF's website" (for "DCF notice of ...")."""
    core = re.sub(r"\s*\([^)]*\)", "", c.name).split(",")[0].strip()
    words = core.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{2,}", words[0]) and words[1][:1].islower():
        owner = words[0]  # "DCF notice of ...": the notice is DCF's
    else:
        owner = re.sub(r"\s+field office$", "", re.split(r"\s+for\s+", core, maxsplit=1)[0])
    kind = "contact page" if "contact" in c.url.lower() else "website"
    return f"the {kind} of the {owner}" if "'s" in owner else f"{owner}'s {kind}"


def unconfirmed_reach_html(c) -> str:
    """Where to find a number no source confirms, as HTML: a link named for the page (`c` as for
    `contact_page_text`), opening in a new browser tab."""
    return (f"number not confirmed: find the current number on <a href=\"{escape(c.url, quote=True)}\" "
            f"target=\"_blank\" rel=\"noopener\" style=\"{LINK}\">{escape(contact_page_text(c))}</a>")


def contact_reach_html(c: Contact) -> str:
    """How to reach a contact, as HTML: its number as a phone link when a source confirms it;
    otherwise a link, named for the page, to where the current number is."""
    if not c.confirmed:
        return unconfirmed_reach_html(c)
    tel = "".join(ch for ch in c.phone if ch.isdigit())
    return f"<a href=\"tel:{tel}\" style=\"{LINK}\">{escape(c.phone)}</a>" + (f"; text {escape(c.text)}" if c.text else "")


def _contact_line_html(cid: str, contacts: Mapping[str, Contact]) -> str:
    c = contacts.get(cid)
    if c is None:
        return f"<li>{escape(cid)}</li>"
    return (f"<li><strong>{escape(c.name)}</strong>: {contact_reach_html(c)}"
            f" <span class=\"dmst-cite\" style=\"{SMALL}\">(when: {escape(c.when)})</span></li>")


def _cite_html(s: Step) -> str:
    return (f"<div class=\"dmst-cite\" style=\"{SMALL}\">Source: {citation_html(s.citation, s.conclusion.rstrip('.'))}"
            f"{escape(confirmed_text(s.confidence))}</div>")


# --- HTML ------------------------------------------------------------------------------

# What the headline table of a result is (its caption).
HEADLINE_CAPTION = "The answers to four questions about the young person"


def result_heading(a: Assessment, title: str | None = None) -> str:
    """'Result for <title or case id> under the law of 28 Nov 2026' (escaped)."""
    name = title or (f"case {a.id}" if a.id else "")
    return escape(f"Result{' for ' + name if name else ''} {law_of(a.as_of)}")


def assessment_html(assessment: Assessment, *, title: str | None = None,
                    contacts: Mapping[str, Contact] | None = None, after_headline: str = "") -> str:
    """The whole result as an accessible HTML fragment: the headline answers, whom to
    contact, each person's provisions, and every reason (with the "Why not?" list).
    `title` names the case in the heading (a library case's title); by default its id.
    `after_headline` is HTML put right after the headline answers (the simulator's teaching
    point and score, so they are on the first screen of the result)."""
    a, book = assessment, _contacts(contacts)
    heading = result_heading(a, title)
    out = [f"<section class=\"dmst-result {NO_MATH}\" aria-label=\"{heading}\" style=\"{SECTION}\">",
           f"<h3>{heading}</h3>", f"<table class=\"dmst-headline\" style=\"{TABLE}\">"
           f"<caption style=\"{CAPTION}\">{escape(HEADLINE_CAPTION)}</caption><tbody>"]
    for question, answer, s in headline(a):
        cite = (f"<div class=\"dmst-cite\" style=\"{SMALL}\">{citation_html(s.citation, question)}"
                f"{escape(confirmed_text(s.confidence))}</div>") if s else ""
        out.append(f"<tr>{_th('row', ';width:40%')}{escape(question)}</th>{_TD}<strong>{escape(answer)}</strong>{cite}</td></tr>")
    out.append("</tbody></table>")
    out.append(after_headline)

    out.append("<h4>Whom to contact</h4>")
    if a.notify:
        out.append("<ul>" + "".join(_contact_line_html(cid, book) for cid in a.notify) + "</ul>")
    else:
        out.append(f"<p>{escape(no_call_text(a.minor))}</p>")
    always = [cid for cid in ALWAYS_CONTACTS if cid in book and cid not in a.notify]
    if always:
        out.append("<p>At any time:</p><ul>" + "".join(_contact_line_html(cid, book) for cid in always) + "</ul>")

    out.append("<h4>The people in the case: provisions that may apply</h4>")
    if not a.actors:
        out.append("<p>No people (actors) were added to this case.</p>")
    for actor in a.actors:
        name = escape(actor.name)
        if not actor.provisions:
            out.append(f"<p><strong>{name}</strong>: no provision in the course data applies on these facts.</p>")
            continue
        out.append(f"<table style=\"{TABLE}\"><caption style=\"{CAPTION}\">Provisions that may apply to "
                   f"<strong>{name}</strong></caption><thead><tr>"
                   + "".join(f"{_th('col')}{h}</th>" for h in ("Provision", "Class", "Prison term and fine"))
                   + "</tr></thead><tbody>")
        for p in actor.provisions:
            out.append(f"<tr>{_th('row')}{citation_html(p.citation, actor.name)}<br><span class=\"dmst-cite\" style=\"{SMALL}\">{escape(p.title)}</span></th>"
                       f"{_TD}{escape(p.classification or '—')}</td>{_TD}{escape(provision_penalty_text(p))}</td></tr>")
        out.append("</tbody></table>")

    out.append("<h4>Why: each conclusion, its reasons and source</h4><ul>")
    for s in a.explanation:
        out.append(f"<li><details><summary>{escape(s.conclusion)}</summary>"
                   f"<p>Because {escape(s.because)}.</p>{_cite_html(s)}</details></li>")
    out.append("</ul>")
    out.append(f"<details><summary>Why not? ({len(a.not_applied)} rules did not apply)</summary><ul>")
    for s in a.not_applied:
        out.append(f"<li>{escape(s.conclusion)} Because {escape(s.because)}. {_cite_html(s)}</li>")
    out.append("</ul></details>")
    out.append("</section>")
    return "".join(out)


def _rows_for_compare(a: Assessment, contacts: Mapping[str, Contact]) -> dict[str, tuple[str, str]]:
    """One comparable line per question, as {key: (label, answer)}. The standing row keeps one
    key across dates and shows the citation in force, since the statute's version is part of
    the answer; a person's provision is keyed by its id (so a change of tier is one row) and
    labelled with its citation."""
    rows = {}
    for question, answer, s in headline(a):
        if question.startswith("Standing under"):
            label = "Standing under the prostitution statute"
            rows[label] = (label, f"{answer} ({s.citation})" if s else answer)
        else:
            rows[question] = (question, answer)
    label = "Force, fraud or coercion must be proven?"
    rows[label] = (label, yes_no(a.force_fraud_coercion_required))
    # Names only: what changes between dates is who is named; the numbers are in each result.
    rows["contacts"] = ("Whom to contact", "; ".join(
        contacts[c].name if c in contacts else c for c in a.notify) or "no one named")
    for actor in a.actors:
        for p in actor.provisions:
            rows[f"{actor.name}\0{p.id}"] = (f"{actor.name}: {short_citation(p.citation)}",
                                            f"{p.citation}; {p.classification or '—'}; mandatory minimum: {minimum_text(p)}; "
                                            f"maximum: {maximum_text(p)}; fine: {fine_text(p)}{confirmed_text(p.confidence)}")
    return rows


def compare_html(a: Assessment, b: Assessment, *, contacts: Mapping[str, Contact] | None = None) -> str:
    """The same case under two dates, side by side; rows that differ say "Changed" in words."""
    book = _contacts(contacts)
    ra, rb = _rows_for_compare(a, book), _rows_for_compare(b, book)
    keys = list(ra) + [k for k in rb if k not in ra]
    changed = sum(ra.get(k, (None, None))[1] != rb.get(k, (None, None))[1] for k in keys)
    absent = "does not apply"
    then, now = date_text(a.as_of), date_text(b.as_of)
    out = [f"<section class=\"dmst-result {NO_MATH}\" aria-label=\"Comparison of two dates\" style=\"{SECTION}\">",
           f"<h3>The same case under the law of {then} and of {now}</h3>",
           f"<p>{changed} of {len(keys)} rows changed.</p>",
           f"<table style=\"{TABLE}\"><caption style=\"{CAPTION}\">Each answer under the law of {then} and of "
           f"{now}, and whether it changed</caption><thead><tr>"
           + "".join(f"{_th('col')}{h}</th>" for h in ("Question", f"Law of {then}", f"Law of {now}", "Changed?"))
           + "</tr></thead><tbody>"]
    for k in keys:
        label = (ra.get(k) or rb.get(k))[0]
        va, vb = ra.get(k, (label, absent))[1], rb.get(k, (label, absent))[1]
        differs = va != vb
        cls = f" class=\"dmst-changed\" style=\"{CHANGED}\"" if differs else ""
        mark = "<strong class=\"dmst-marker\">Changed</strong>" if differs else "same"
        out.append(f"<tr{cls}>{_th('row')}{escape(label)}</th>{_TD}{escape(va)}</td>{_TD}{escape(vb)}</td>{_TD}{mark}</td></tr>")
    out.append("</tbody></table></section>")
    return "".join(out)


# --- plain text ------------------------------------------------------------------------

def assessment_text(assessment: Assessment, *, contacts: Mapping[str, Contact] | None = None) -> str:
    """The result as plain text: headline, contacts, provisions per person, reasons, why not."""
    a, book = assessment, _contacts(contacts)
    lines = [f"Result{' for case ' + a.id if a.id else ''} {law_of(a.as_of)}"]
    for question, answer, s in headline(a):
        sep = " " if question.endswith("?") else ": "
        lines.append(f"  {question}{sep}{answer}" + (f" ({s.citation})" if s else ""))
    lines.append("Whom to contact:")
    for cid in a.notify:
        c = book.get(cid)
        lines.append(f"  - {c.name}: {contact_number_text(c)} (when: {c.when})" if c else f"  - {cid}")
    if not a.notify:
        lines.append(f"  {no_call_text(a.minor)}")
    for cid in ALWAYS_CONTACTS:
        if cid in book and cid not in a.notify:
            lines.append(f"  At any time: {book[cid].name}: {contact_number_text(book[cid])} (when: {book[cid].when})")
    for actor in a.actors:
        lines.append(f"{actor.name}:")
        for p in actor.provisions:
            lines.append(f"  - {p.citation} ({p.title}): {p.classification}; mandatory minimum: {minimum_text(p)}; "
                         f"maximum: {maximum_text(p)}; fine: {fine_text(p)}{confirmed_text(p.confidence)}")
        if not actor.provisions:
            lines.append("  no provision in the course data applies on these facts")
    lines.append("Why:")
    lines.extend(f"  - {s.conclusion} Because {s.because}. [{s.citation}]{confirmed_text(s.confidence)}" for s in a.explanation)
    lines.append("Why not:")
    lines.extend(f"  - {s.conclusion} Because {s.because}. [{s.citation}]{confirmed_text(s.confidence)}" for s in a.not_applied)
    return "\n".join(lines)
