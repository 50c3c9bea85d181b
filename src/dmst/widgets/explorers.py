"""The module explorers: small "change a fact, see what the law says" tools for modules 01–03.

Each explorer is a plain function that builds a fictional case, calls `dmst.classify`
and returns HTML (tests drive these), plus a thin ipywidgets face that only wires
controls to that function. No legal question is decided here: every answer shown is a
step (conclusion, reason, citation) that `classify` produced, or a field of the data.

- 01 `definition_html` / `definition_explorer`: action, means, purpose -> trafficking?
- 02 `standing_html`, `standing_grid` / `standing_explorer`: Conn. prostitution statute by age and date.
- 03 `sentencing_html` / `sentencing_explorer`: which provisions reach one person's conduct, and the terms.
"""
from __future__ import annotations

from datetime import date
from html import escape

from ..assessment import Assessment
from ..case import CONDUCT, PURPOSES, STATUSES
from ..course import date_heading, when
from ..law import load_law
from ..render import NO_MATH, assessment_html, citation_html, date_text, fine_text, law_of, maximum_text, minimum_text, step
from ..rules import classify
from .style import no_null_titles, style_widget

DEFINITION = "us-22-7102"
PROSTITUTION = "ct-53a-82"
STANDING_WORDS = {
    "not_prosecutable": "cannot be prosecuted",
    "presumed_coerced": "presumed coerced",
    "adult": "treated as an adult",
}
# JupyterLab right-aligns table cells; sentences read better left-aligned.
LEFT = " style=\"text-align:left;vertical-align:top\""
_LABELS = {"citizen": "U.S. citizen", "permanent_resident": "lawful permanent resident",
           "other": "neither a citizen nor a permanent resident", "erotic_dancing": "erotic dancing",
           "none": "none of these", "unknown": "not known"}


def label(value: str) -> str:
    """A vocabulary value in words ("permanent_resident" -> "lawful permanent resident")."""
    return _LABELS.get(value, value.replace("_", " "))


def _step_row(heading: str, a: Assessment, rule: str) -> str:
    s = step(a, rule)
    if s is None:
        return ""
    return (f"<tr><th scope=\"row\"{LEFT}>{escape(heading)}</th><td{LEFT}><strong>{escape(s.conclusion)}</strong> "
            f"Because {escape(s.because)}.</td><td{LEFT}>{citation_html(s.citation)}</td></tr>")


def _table(rows: list[str], caption: str) -> str:
    return ("<table style=\"border-collapse:collapse\"><caption style=\"text-align:left\">"
            f"{escape(caption)}</caption><thead><tr><th scope=\"col\"{LEFT}>Question</th><th scope=\"col\"{LEFT}>"
            f"What the rules conclude</th><th scope=\"col\"{LEFT}>Source</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


# --- 01: the definition ----------------------------------------------------------------

def definition_actions(as_of=None) -> list[str]:
    """The actions the federal definition lists, read from the data (what it `reaches`)."""
    v = load_law().on(when(as_of)).provision(DEFINITION)
    order = ("recruited", "harbored", "transported", "provided", "obtained", "patronized", "advertised")
    return [c for c in order if c in v.reaches] + [c for c in sorted(v.reaches) if c not in order]


ADULT = "A"  # the explorer's adult, as its controls and text name them ("What A did")


def definition_case(age: int, status: str, purpose: str, anything_of_value: bool,
                    force_fraud_or_coercion: bool, action: str, name: str = ADULT) -> dict:
    """A fictional case: one young person and one adult (`name`, as the story calls them) who did `action`."""
    actors = [{"name": name, "conduct": [action]}] if action != "none" else []
    return {"age": age, "status": status, "purpose": purpose, "anything_of_value": anything_of_value,
            "force_fraud_or_coercion": force_fraud_or_coercion, "actors": actors}


def definition_html(age: int, status: str = "citizen", purpose: str = "prostitution",
                    anything_of_value: bool = True, force_fraud_or_coercion: bool = False,
                    action: str = "recruited", as_of=None, full_result: bool = False, name: str = ADULT) -> str:
    """Action, means and purpose for one fictional case, and what the rules conclude; `name` is
    the adult's name in the story (module 01's Mia and R, Jay and T); `full_result` adds the
    whole result (contacts, provisions, every reason) behind <details>."""
    day = when(as_of)
    a = classify(definition_case(age, status, purpose, anything_of_value, force_fraud_or_coercion, action, name), day)
    v = load_law().on(day).provision(DEFINITION)
    listed = action in v.reaches
    action_text = ("No one did any of the listed actions." if action == "none" else
                   f"{name} {label(action)} the young person: " + ("one of the actions the definition lists."
                                                              if listed else "not one of the actions the definition lists."))
    means = "yes" if force_fraud_or_coercion else "no"
    rows = [
        f"<tr><th scope=\"row\"{LEFT}>Action</th><td{LEFT}>{escape(action_text)}</td><td{LEFT}>{citation_html(v.citation)}</td></tr>",
        f"<tr><th scope=\"row\"{LEFT}>Means: force, fraud or coercion used? ({means})</th><td{LEFT}><strong>"
        f"{escape(step(a, 'force_fraud_coercion_required').conclusion)}</strong> Because "
        f"{escape(step(a, 'force_fraud_coercion_required').because)}.</td><td{LEFT}>{citation_html(v.citation)}</td></tr>",
        _step_row("Purpose: a commercial sex act?", a, "commercial_sex_act"),
        _step_row("Sex trafficking?", a, "sex_trafficking"),
        _step_row("Labor trafficking?", a, "labor_trafficking"),
        _step_row("'Domestic minor sex trafficking' (the brochure's term)?", a, "dmst"),
    ]
    adult = "" if action == "none" else f", and {name}, an adult"
    caption = (f"What the rules conclude for a fictional young person aged {age}, {label(status)}{adult}; "
               f"purpose: {label(purpose)}; {law_of(day)}")
    if not full_result:
        return _table(rows, caption)
    return (_table(rows, caption) + "<details><summary>See the full result (contacts, provisions, every reason)"
            f"</summary>{assessment_html(a)}</details>")


def definition_explorer(as_of=None):
    """01: change the facts of one fictional case and see action, means and purpose."""
    import ipywidgets as w

    controls = {
        "age": w.IntSlider(value=15, min=10, max=25, description="Age"),
        "status": w.Dropdown(options=[(label(s), s) for s in STATUSES], value="citizen", description="Status"),
        "purpose": w.Dropdown(options=[(label(p), p) for p in PURPOSES], value="prostitution", description="Purpose"),
        "anything_of_value": _checkbox(True, "Something of value given, received or promised"),
        "force_fraud_or_coercion": _checkbox(False, "Force, fraud or coercion used"),
        "action": w.Dropdown(options=[(label(c), c) for c in definition_actions(as_of)] + [(label("none"), "none")],
                             value="recruited", description=f"What {ADULT} (the adult) did"),
    }
    return _explorer(controls, lambda **kw: definition_html(as_of=as_of, full_result=True, **kw))


# --- 02: victims, not criminals (Conn. prostitution statute by age and date) -------------

def standing_case(age: int) -> dict:
    return {"age": age, "purpose": "prostitution", "anything_of_value": True}


def standing(age: int, as_of) -> Assessment:
    """classify() for a fictional young person of `age` involved in a sex act for something of value."""
    return classify(standing_case(age), when(as_of))


def key_dates() -> list[date]:
    """The dates worth comparing, from the data: the start of the model, the brochure,
    each version of § 53a-82, and the current review date."""
    law = load_law()
    days = {law.model_start, law.presets["brochure"], law.presets["current"]}
    days.update(v.effective_from for v in law.versions(PROSTITUTION))
    return sorted(days)


def standing_grid(ages=range(13, 20), dates=None):
    """A DataFrame: one row per age (the index), one column per date ("Law of 1 Oct 2010"),
    the Connecticut answer in words."""
    import pandas as pd

    dates = [when(d) for d in (dates or key_dates())]
    frame = pd.DataFrame({date_heading(d): [STANDING_WORDS.get(standing(age, d).ct_prostitution, "does not apply")
                                            for age in ages] for d in dates},
                         index=pd.Index(list(ages), name="age"))
    frame.attrs["caption"] = (f"How {load_law().first(PROSTITUTION).citation} treats a young person of each age "
                              "involved in a sex act for something of value, under the law of each date")
    return frame


def standing_html(age: int, as_of) -> str:
    """The answer for one age on one date, with its reason, the version in force and the federal view."""
    day = when(as_of)
    a = standing(age, day)
    v = load_law().on(day).provision(PROSTITUTION)
    rows = [_step_row(f"Under {v.citation} (the version in force since {date_text(v.effective_from)})", a, "ct_prostitution"),
            _step_row("A minor?", a, "minor"),
            _step_row("Federal law: a victim of sex trafficking?", a, "sex_trafficking")]
    return _table(rows, f"A fictional young person aged {age}, {law_of(day)}")


def standing_explorer():
    """02: an age slider and a date menu (the key dates from the data)."""
    import ipywidgets as w

    law = load_law()
    names = {d: n for n, d in law.presets.items()}
    options = [(date_text(d) + (f" ({names[d]})" if d in names else ""), d) for d in key_dates()]
    controls = {
        "age": w.IntSlider(value=16, min=10, max=20, description="Age"),
        "as_of": w.Dropdown(options=options, value=law.presets["brochure"], description="Law as of"),
    }
    return _explorer(controls, standing_html)


# --- 03: sentencing --------------------------------------------------------------------

def sentencing_conduct(jurisdiction: str = "US") -> list[str]:
    """Conduct the provisions of `jurisdiction` reach in any version (from the data's `reaches`)."""
    law = load_law()
    reached = set().union(*(v.reaches for v in law.provisions if v.jurisdiction == jurisdiction))
    return [c for c in CONDUCT if c in reached]


def sentencing_case(age: int, force_fraud_or_coercion: bool, conduct: str) -> dict:
    return {"age": age, "purpose": "prostitution", "anything_of_value": True,
            "force_fraud_or_coercion": force_fraud_or_coercion,
            "actors": [{"name": "D", "conduct": [conduct]}]}


def sentencing_html(age: int, force_fraud_or_coercion: bool = False, conduct: str = "recruited",
                    as_of=None, jurisdiction: str | None = "US") -> str:
    """Which provisions may apply to a fictional person "D" who did `conduct` to a young person
    of `age` (a sex act for something of value), with the terms in force, and why others did not."""
    day = when(as_of)
    law = load_law()
    a = classify(sentencing_case(age, force_fraud_or_coercion, conduct), day)
    keep = {v.id for v in law.provisions if jurisdiction is None or v.jurisdiction == jurisdiction}
    found = [p for p in a.actors[0].provisions if p.id in keep]
    head = (f"<p>A fictional young person aged {age}{', with force, fraud or coercion used' if force_fraud_or_coercion else ''}"
            f" (a sex act for something of value). What D did: <strong>{escape(label(conduct))}</strong>. "
            f"{law_of(day, start=True)}.</p>")
    if found:
        body = (f"<table style=\"border-collapse:collapse\"><caption style=\"text-align:left\">Provisions that may apply to D, "
                f"with the terms in force</caption><thead><tr><th scope=\"col\"{LEFT}>Provision</th>"
                f"<th scope=\"col\"{LEFT}>Mandatory minimum</th><th scope=\"col\"{LEFT}>Maximum</th><th scope=\"col\"{LEFT}>Fine</th>"
                f"<th scope=\"col\"{LEFT}>Why</th></tr></thead><tbody>")
        for p in found:
            why = next((s.because for s in a.explanation if s.provision == p.id and s.conclusion.startswith("D:")), "")
            body += (f"<tr><th scope=\"row\"{LEFT}>{citation_html(p.citation)}<br>{escape(p.title)}</th>"
                     f"<td{LEFT}>{escape(minimum_text(p))}</td><td{LEFT}>{escape(maximum_text(p))}</td>"
                     f"<td{LEFT}>{escape(fine_text(p))}</td><td{LEFT}>{escape(why)}</td></tr>")
        body += "</tbody></table>"
    else:
        body = "<p><strong>No provision in this part of the course data reaches D's conduct on these facts.</strong></p>"
    nots = [s for s in a.not_applied if s.provision in keep and s.conclusion.startswith("D:")]
    if nots:
        body += ("<p>Did not apply:</p><ul>" + "".join(
            f"<li>{escape(s.conclusion)} Because {escape(s.because)}.</li>" for s in nots) + "</ul>")
    # MathJax skips it: "fine up to $250,000 ... $250,000" would otherwise be typeset as a formula.
    return f"<div class=\"{NO_MATH}\">{head}{body}</div>"


def minimum_grid(ages=range(12, 20), as_of=None, pid: str = "us-18-1591"):
    """A DataFrame of the mandatory minimum `classify` gives a person who recruited a young
    person of each age, without and with force, fraud or coercion (the (b)(1)/(b)(2) tiers)."""
    import pandas as pd

    day = when(as_of)
    columns = {False: "no force, fraud or coercion", True: "force, fraud or coercion used"}
    table = {}
    for ffc, name in columns.items():
        cells = []
        for age in ages:
            found = [p for p in classify(sentencing_case(age, ffc, "recruited"), day).actors[0].provisions if p.id == pid]
            cells.append(f"{minimum_text(found[0])} ({found[0].citation})" if found else "does not apply")
        table[name] = cells
    frame = pd.DataFrame(table, index=pd.Index(list(ages), name="age"))
    frame.attrs["caption"] = (f"The mandatory minimum for a person who recruited a young person of each age, "
                              f"{law_of(day)}")
    return frame


def sentencing_explorer(as_of=None):
    """03: age, force/fraud/coercion and one person's conduct -> federal provisions and terms."""
    import ipywidgets as w

    law = load_law()
    controls = {
        "age": w.IntSlider(value=15, min=10, max=20, description="Age"),
        "force_fraud_or_coercion": _checkbox(False, "Force, fraud or coercion used"),
        "conduct": w.Dropdown(options=[(label(c), c) for c in sentencing_conduct()], value="recruited",
                              description="D's conduct"),
        "as_of": w.Dropdown(options=[(f"{date_text(d)} ({n})", d) for n, d in law.presets.items()],
                            value=law.presets["current"] if as_of is None else when(as_of), description="Law as of"),
    }
    return _explorer(controls, sentencing_html)


# --- the thin face ----------------------------------------------------------------------

def _checkbox(value: bool, description: str):
    """A tick box whose label is shown whole: not indented into the label column (where a long
    label is cut), and as wide as its words."""
    import ipywidgets as w

    return w.Checkbox(value=value, description=description, indent=False, layout=w.Layout(width="auto"))


def _explorer(controls: dict, render):
    """A VBox of `controls` over an HTML result; any change re-renders. The box keeps
    `.controls` and `.result` so tests can drive it without a browser."""
    import ipywidgets as w

    result = w.HTML()

    def update(_=None):
        result.value = render(**{name: c.value for name, c in controls.items()})

    for c in controls.values():
        c.style.description_width = "initial"
        c.observe(update, names="value")
    update()
    box = w.VBox([style_widget(), *controls.values(), result])
    box.add_class("dmst-widget")
    no_null_titles(box)
    box.controls, box.result = controls, result
    return box
