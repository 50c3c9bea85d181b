"""The "what do I do now?" helper of module 05.

A professional answers a few yes/no questions they could know without investigating
(age, signs of commercial sex or of forced labor, anything of value, control, danger now,
arrested). Whether anyone crossed a state line is not asked: it does not change whom to
call. `advise` turns the answers into a Case, asks
`dmst.classify` (which alone decides the legal questions) and returns whom to contact,
with numbers read from data/contacts.csv and the reasons with their citations.

Two contacts are added here because they do not depend on the legal analysis: 911
when someone is in danger now, and the National Human Trafficking Hotline, which any
caller can use for advice (their `when` text comes from the contacts data).

`helper()` is a thin ipywidgets face over `advise`, `advice_html`, `read_age` (the age box
says when it uses another age than the one typed) and `advice_said` (what its live region
says at each change, whom to contact first included).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from ..assessment import Assessment, Step
from ..case import AGE_RANGE, Case
from ..law import Law, load_law
from ..render import (citation_html, confirmed_text, contact_number_text, contact_page_text, law_of, no_call_text,
                      unconfirmed_reach_html)
from ..rules import classify, parse_as_of

EMERGENCY = "emergency_911"
HOTLINE = "national_hotline"
# The findings a professional needs to see; the other steps are for lawyers.
# The prostitution-statute finding is shown only when commercial sex or an arrest is in the answers.
REASON_RULES = ("minor", "commercial_sex_act", "sex_trafficking", "labor_trafficking")


@dataclass(frozen=True)
class Call:
    """One contact to make: who, how to reach them (the number when a source confirms it, else
    where to find it), the text number, who calls, and why. `url` is the page with the current
    number when the number is not confirmed ("" otherwise)."""
    contact_id: str
    name: str
    phone: str
    text: str
    who_calls: str
    why: str
    source: str
    url: str = ""


@dataclass(frozen=True)
class Advice:
    """What `advise` returns. `reasons` and `not_called` are classify's own steps, with citations."""
    as_of: date
    calls: tuple[Call, ...]
    reasons: tuple[Step, ...]
    not_called: tuple[Step, ...]
    assessments: tuple[Assessment, ...]

    @property
    def contact_ids(self) -> tuple[str, ...]:
        return tuple(c.contact_id for c in self.calls)

    def to_frame(self, which: str = "calls"):
        """The calls (or the reasons, or `not_called`) as a pandas DataFrame."""
        import pandas as pd

        if which == "calls":
            from ..course import Link

            # A number not confirmed is a link named for its page, not the address (tables stay narrow).
            rows = [{**c.__dict__, "phone": Link(contact_page_text(c), c.url, before="number not confirmed: find it on ")
                     if c.url else c.phone} for c in self.calls]
            return pd.DataFrame(rows, columns=["contact_id", "name", "phone", "text", "who_calls", "why", "source"])
        if which not in ("reasons", "not_called"):
            raise ValueError(f"which must be one of calls, reasons, not_called; got {which!r}")
        return pd.DataFrame([s.to_dict() for s in getattr(self, which)],
                            columns=["rule", "provision", "citation", "conclusion", "because"])


def build_cases(age: int, commercial_sex: bool = False, labor: bool = False,
                anything_of_value: bool = False, controlled: bool = False, arrested: bool = False) -> list[Case]:
    """The Case(s) the answers describe: one per kind of sign seen (sex, labor), or one with
    no purpose when neither was seen. Raises CaseError (naming the field) for a bad age."""
    purposes = [p for p, seen in (("prostitution", commercial_sex), ("labor", labor)) if seen] or ["none"]
    # "Signs of forced work" are signs of force: the labor case is classified with them.
    return [Case.from_dict({"age": age, "purpose": purpose, "anything_of_value": anything_of_value,
                            "force_fraud_or_coercion": controlled or purpose == "labor",
                            "arrested_for_prostitution": arrested})
            for purpose in purposes]


def advise(age: int, commercial_sex: bool = False, labor: bool = False, anything_of_value: bool = False,
           controlled: bool = False, danger_now: bool = False, arrested: bool = False, as_of: date | str | None = None, law: Law | None = None) -> Advice:
    """Whom to contact, in order: 911 (danger now), the contacts `classify` names, then the
    national hotline. `as_of` defaults to the course's "current" preset date, not today,
    so a notebook shows the same answer every time it runs."""
    law = law or load_law()
    when = parse_as_of(as_of) if as_of is not None else law.presets["current"]
    cases = build_cases(age, commercial_sex, labor, anything_of_value, controlled, arrested)
    assessments = tuple(classify(case, when, law) for case in cases)

    steps: dict[str, Step] = {}
    reasons: list[Step] = []
    shown = REASON_RULES + (("ct_prostitution",) if commercial_sex or arrested else ())
    for a in assessments:
        for s in a.explanation:
            if s.rule.startswith("notify_"):
                steps.setdefault(s.rule.removeprefix("notify_"), s)
            elif s.rule in shown and s not in reasons:
                reasons.append(s)
    named = [cid for a in assessments for cid in a.notify]
    called = set(named)
    # A rule that did not apply to one purpose may have applied to the other: keep only real
    # misses, one per rule (the first assessment's reason, which is the sex case when there is one).
    missed: dict[str, Step] = {}
    for a in assessments:
        for s in a.not_applied:
            if s.rule.startswith("notify_") and not _covers(s.rule, called):
                missed.setdefault(s.rule, s)

    calls: list[Call] = []
    if danger_now:
        calls.append(_call(law, EMERGENCY, law.contacts[EMERGENCY].when, law.contacts[EMERGENCY].source))
    for cid in dict.fromkeys(named):
        step = steps[cid]
        calls.append(_call(law, cid, step.because, step.citation + confirmed_text(step.confidence)))
    calls.append(_call(law, HOTLINE, law.contacts[HOTLINE].when, law.contacts[HOTLINE].source))
    return Advice(as_of=when, calls=tuple(calls), reasons=tuple(reasons), not_called=tuple(missed.values()),
                  assessments=assessments)


def _covers(rule: str, called: set[str]) -> bool:
    if rule == "notify_federal":
        return bool(called & {"fbi", "us_attorney"})
    return rule.removeprefix("notify_") in called


def _call(law: Law, cid: str, why: str, source: str) -> Call:
    c = law.contacts[cid]
    return Call(contact_id=cid, name=c.name, phone=contact_number_text(c) if not c.confirmed else c.phone,
                text=c.text if c.confirmed else "", who_calls=c.who_calls, why=why, source=source,
                url="" if c.confirmed else c.url)


def advice_html(advice: Advice) -> str:
    """The advice as accessible HTML: an ordered list of calls (numbers as text, not colour),
    then the reasons and the calls not indicated, each with its citation."""
    items = []
    for c in advice.calls:
        text = f" (text {escape(c.text)})" if c.text else ""
        who = f" <em>Who calls: {escape(c.who_calls)}.</em>" if c.who_calls and c.who_calls != "anyone" else ""
        # A number not confirmed: a link named for the page that has it, never the bare address.
        reach = unconfirmed_reach_html(c) if c.url else escape(c.phone)
        items.append(f"<li><strong>{escape(c.name)}: {reach}</strong>{text}. "
                     f"Why: {escape(c.why.rstrip('.'))}.{who} <small>Source: {escape(c.source)}</small></li>")
    parts = [f"<p>{law_of(advice.as_of, start=True)}, contact, in this order:</p>",
             f"<ol>{''.join(items)}</ol>"]
    if not any(c.contact_id == "dcf_careline" for c in advice.calls):
        minor = any(a.minor for a in advice.assessments)
        parts.append(f"<p><strong>{escape(no_call_text(minor))}</strong></p>")
    if advice.reasons:
        parts.append("<p><strong>Why</strong> (the course's rules, each with its source):</p><ul>"
                     + "".join(_step_li(s) for s in advice.reasons) + "</ul>")
    if advice.not_called:
        parts.append("<p><strong>Not indicated on these answers</strong>:</p><ul>"
                     + "".join(_step_li(s) for s in advice.not_called) + "</ul>")
    parts.append("<p><em>Training, not legal advice. If you are unsure, call: a Careline or hotline "
                 "worker would rather hear from you than not.</em></p>")
    return "\n".join(parts)


def _step_li(s: Step) -> str:
    source = citation_html(s.citation, s.conclusion.rstrip("."))   # named with its reason: one of several
    return (f"<li>{escape(s.conclusion)} Because {escape(s.because)}. <small>Source: {source}"
            f"{escape(confirmed_text(s.confidence))}</small></li>")


def advice_by_date(age: int, dates=("brochure", "current"), law: Law | None = None, **answers):
    """The same answers under the law of each date (preset names or dates): whom to contact,
    in order, and the finding under the prostitution statute when there is one. A DataFrame."""
    import pandas as pd

    from ..course import date_heading, when

    rows = []
    for d in dates:
        advice = advise(age, as_of=when(d), law=law, **answers)
        finding = next((s for s in advice.reasons if s.rule == "ct_prostitution"), None)
        rows.append({"law of": date_heading(advice.as_of), "contact, in this order": "; ".join(c.name for c in advice.calls),
                     "prostitution statute": f"{finding.conclusion} ({finding.citation})" if finding else "—"})
    return pd.DataFrame(rows, columns=["law of", "contact, in this order", "prostitution statute"])


def read_age(typed: str, before: int) -> tuple[int, str]:
    """The age the helper uses for what was typed in its age box, and a note when that is not
    exactly what was typed: blank is 0 (a child), a number outside 0 to 120 is the nearest
    end, anything else keeps the age used `before` (what was typed stays in the box)."""
    low, high = AGE_RANGE
    text = typed.strip()
    if not text:
        return low, f"No age typed: the advice below is for age {low} (a child). Type the age, from {low} to {high}."
    try:
        age = int(text)
    except ValueError:
        return before, (f"Age: '{text}' is not a whole number of years. Type a number from {low} to {high}; "
                        f"the advice below is still for age {before}.")
    if age > high:
        return high, f"Age: {age} is more than {high}, the oldest age the course takes; the advice below is for {high}."
    if age < low:
        return low, f"Age: {age} is less than {low}; the advice below is for {low}."
    return age, ""


def advice_said(advice: Advice, age: int) -> str:
    """What the helper's live region says when the advice changes: the age it is for, whom to
    contact first (with the number when a source confirms it), then the others in order."""
    first, *then = advice.calls
    said = f"Advice for age {age}, {law_of(advice.as_of)}: contact first: {first.name}, {first.phone}."
    if then:
        said += " Then: " + "; ".join(c.name for c in then) + "."
    if not any(c.contact_id == "dcf_careline" for c in advice.calls):
        said += " " + no_call_text(any(a.minor for a in advice.assessments))
    return said


QUESTIONS = (
    ("commercial_sex", "Are there signs of commercial sex (sex in exchange for something)?"),
    ("anything_of_value", "Was anything of value (money, food, a place to stay, drugs, a promise) given or offered?"),
    ("labor", "Are there signs of forced work (labor or services)?"),
    ("controlled", "Is someone forcing, threatening, tricking or controlling the young person?"),
    ("danger_now", "Is anyone in danger right now?"),
    ("arrested", "Has the young person been arrested for prostitution?"),
)


def helper(as_of: date | str | None = None, law: Law | None = None):
    """The widget: an age box, one checkbox per question, and the advice, updated on every
    change and said once in a live region (whom to contact first included)."""
    import ipywidgets as w

    from .accessible import LiveRegion, TextBox
    from .style import no_null_titles, style_widget

    law = law or load_law()
    age = TextBox(value="15", description=f"Age (best guess, {AGE_RANGE[0]} to {AGE_RANGE[1]})")
    note = w.HTML()
    boxes = {name: w.Checkbox(value=False, description=label, indent=False,
                              layout=w.Layout(width="auto"))
             for name, label in QUESTIONS}
    out = w.HTML()
    live = LiveRegion()
    used = {"age": 15}

    def update(_=None, say=True):
        used["age"], said = read_age(age.value, used["age"])
        note.value = f"<p><strong>{escape(said)}</strong></p>" if said else ""
        age.invalid = bool(said)   # what was typed is not the age used
        answers = {name: box.value for name, box in boxes.items()}
        advice = advise(used["age"], as_of=as_of, law=law, **answers)
        out.value = advice_html(advice)
        if say:
            live.say(" ".join(filter(None, (said, advice_said(advice, used["age"])))))

    for control in (age, *boxes.values()):
        control.observe(update, names="value")
    update(say=False)  # nothing to announce before anyone changed anything
    box = w.VBox([style_widget(), age, note, *boxes.values(), live, out])
    box.add_class("dmst-widget")
    box.add_class("dmst-helper")
    no_null_titles(box)
    box.controls = {"age": age, **boxes}
    box.note, box.result, box.live = note, out, live
    return box
