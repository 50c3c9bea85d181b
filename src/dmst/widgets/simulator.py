"""The scenario simulator: build or load a fictional case, choose the date of the law, and
see how the law treats everyone in it (explore), the same case under two dates (compare),
or answer questions first and then see the result and a score (predict, then reveal).

It opens on the course's "current" law, and every question and result heading names the
date it is judged by ("under the law of 28 Nov 2026"). Instructor mode holds back
everything that gives an answer away (verdict, contacts, provisions, teaching point,
reasons, score) until the instructor presses "Show the answers", in every mode.
`layout="projector"` (the kiosk) puts the case and the result side by side in large text.
Nothing the learner makes is lost: choosing another case keeps their built or edited case in
the library as "My case N"; the "Another date…" box is checked when the learner is done with
it (`DateBox`), not at each key.

For screen-reader users: each predict question and its answers, the mode, and each
person's "what they did" are one named group (`accessible.Choice`); every toggle is a
control whose state is spoken (radio buttons, tick boxes); a person's controls carry the
person's name ("Dell: recruited"); buttons have no icon characters; and every result, its
first contact and every change is said once through one live region that stays in the page
(`accessible.LiveRegion`, `live.text`): a mode chosen (and where its controls are), a date or
an age the course does not take (and the one used), a kept case's result. A refused new name
marks its box invalid (`accessible.TextBox`); "Reset to the library version" can be pressed
only when there is something to reset.

`Simulator` is a plain class: tests set widget values and call `run()`, `load()`,
`add_actor()`, `reveal()`, `show_answers()` (or `.click()` the buttons) and read
`result.value` and `live.text`. Every legal answer comes from `dmst.classify`; the HTML
comes from `dmst.render`.

    from dmst.widgets.simulator import Simulator
    Simulator()                                      # in a notebook
    Simulator(layout="projector", instructor=True)   # the kiosk: answers held back
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape, unescape

import ipywidgets as W
import traitlets as T
from traitlets import validate

from ..case import AGE_RANGE, BOOL_FIELDS, CONDUCT, STATUSES, Case, CaseError
from ..law import Law, load_law
from ..render import (CAPTION, assessment_html, compare_html, contact_number_text, date_text, headline, law_of, no_call_text,
                      result_heading)
from ..rules import classify
from .accessible import Choice, LiveRegion, TextBox
from .datebox import DateBox
from .sim_predict import Mark, answered, question_text, questions, score
from .style import no_null_titles, style_widget

STATUS_LABELS = {"citizen": "U.S. citizen", "permanent_resident": "Lawful permanent resident",
                 "other": "Neither (another status)", "unknown": "Not known"}
PURPOSE_LABELS = {"prostitution": "Prostitution (commercial sex)", "pornography": "Pornography",
                  "erotic_dancing": "Erotic dancing or stripping", "labor": "Labor or services",
                  "none": "None of these"}
FLAG_LABELS = {"anything_of_value": "Anything of value was given, received or promised",
               "force_fraud_or_coercion": "Force, fraud or coercion was used",
               "crossed_state_lines": "The young person was taken across state lines",
               "arrested_for_prostitution": "The young person was arrested for prostitution"}
OTHER_DATE = "other"
MODES = (("Explore", "explore"), ("Compare two dates", "compare"), ("Predict, then reveal", "predict"))
# Said when the mode is chosen: the mode, and where its controls are.
MODE_WORDS = {"explore": "Explore: press Show result, below the mode, to see how the law treats the case.",
              "compare": "Compare two dates: choose the second date in \u201cCompare with the law as of\u201d, just "
                         "below the mode, then press Show result.",
              "predict": "Predict, then reveal: answer the questions below, then press Reveal the result."}
LAYOUTS = ("notebook", "projector")
# "Build your own case" starts from these facts, with no one in the case and nothing ticked.
BLANK = {"age": 15, "status": "unknown", "purpose": "prostitution"}
WIDE = {"description_width": "initial"}
# Wide enough for the longest option label; never wider than the page (readable at 200% zoom).
SELECT = {"width": "34em", "max_width": "100%"}


def conduct_label(conduct: str) -> str:
    return conduct.replace("_", " ").capitalize()


class RangeDatePicker(DateBox):
    """A date box kept within [start, end] that remembers a refused date, so the simulator can
    name it next to the box instead of changing it silently. The box sends its date when the
    learner leaves it or presses Enter (`DateBox`), so a year is checked once it is typed whole."""

    refused = T.Instance(date, allow_none=True)

    unchanged = None   # called when a date is refused and the date used stays the same (the simulator says so)

    def __init__(self, start: date, end: date, **kwargs):
        self.start, self.end = start, end
        super().__init__(min=start.isoformat(), max=end.isoformat(), **kwargs)

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        used = min(max(value, self.start), self.end)
        self.refused = None if used == value else value
        if self.refused is not None and used == self.value:
            # The value does not change (1 Oct 2010 stays), so no update would put it back in the box.
            self.send_state("value")
            if self.unchanged:
                self.unchanged()
        return used


class AgeBox(W.IntText):
    """The young person's age in whole years, kept within `AGE_RANGE` by the kernel rather than
    by the browser (a BoundedIntText changes 150 to 120 in the page, so nothing could say so):
    `refused` is the age typed that was outside the range, and `note` says, next to the box,
    which age is used instead, as module 05's helper does (`response.read_age`). `unchanged` is
    called when an age is refused and the age used stays the same (120, then 130 typed), so no
    change of value would let the simulator say so."""

    refused: int | None = None
    words = ""

    def __init__(self, unchanged=None, **kwargs):
        self.note = W.HTML(layout=W.Layout(margin="0 0 0 1em"))
        self.unchanged = unchanged
        super().__init__(**kwargs)

    @validate("value")
    def _validate_value(self, proposal):
        value, (low, high) = proposal["value"], AGE_RANGE
        used = min(max(value, low), high)
        self.refused = None if used == value else value
        self._say()
        if self.refused is not None and used == self.value:
            # The value does not change (120 stays 120), so no update would put it back in the box.
            self.send_state("value")
            if self.unchanged:
                self.unchanged()
        return used

    def _say(self) -> None:
        low, high = AGE_RANGE
        if self.refused is None:
            self.words = ""
        elif self.refused > high:
            self.words = f"Age: {self.refused} is more than {high}, the oldest age the course takes; the case uses {high}."
        else:
            self.words = f"Age: {self.refused} is less than {low}; the case uses {low}."
        self.note.value = f"<strong>{escape(self.words)}</strong>" if self.words else ""

    def said(self) -> str:
        """The note's words ("" when the age typed is the age used)."""
        return self.words


class LawDate:
    """"Law as of": a preset (from data/presets.csv) or another date in the modelled range."""

    def __init__(self, law: Law, label: str, preset: str):
        self.law = law
        self.start, self.end = law.model_start, max(law.presets.values())
        labels = dict(zip(*law.table("presets")[["name", "label"]].T.values))
        # "Current (28 Nov 2026)": the start of the preset's label in data/presets.csv, and its date in words.
        options = [(f"{labels.get(n, n).split(' (')[0]} ({date_text(d)})", n) for n, d in law.presets.items()]
        self.preset = W.Dropdown(options=options + [("Another date…", OTHER_DATE)],
                                 value=preset, description=label, style=WIDE, layout=W.Layout(**SELECT))
        self.picker = RangeDatePicker(self.start, self.end, description=f"{label}: date", value=law.presets[preset],
                                      disabled=True)
        self.note = W.HTML(layout=W.Layout(margin="0 0 0 1em"))
        self.preset.observe(self._preset_changed, "value")
        self.picker.observe(self._picker_changed, ["value", "refused"])
        # The date box is shown only for "Another date…": a preset's date is in its label.
        self.other = W.HBox([self.picker, self.note], layout=W.Layout(flex_flow="row wrap", display="none"))
        self.box = W.VBox([self.preset, self.other])

    def _preset_changed(self, change) -> None:
        other = change["new"] == OTHER_DATE
        self.picker.disabled = not other
        self.other.layout.display = "" if other else "none"
        if not other:
            self.picker.value = self.law.presets[change["new"]]
        self._picker_changed(None)

    def _picker_changed(self, _change) -> None:
        span = f"{date_text(self.start)} to {date_text(self.end)}"
        # The validator does not run for None (traitlets skips it), so test None first.
        if self.picker.value is None:
            self.note.value = f"<strong>Choose a date</strong> from {span}."
        elif self.picker.refused is not None:
            self.note.value = (f"<strong>{date_text(self.picker.refused)} is outside the law this course models "
                               f"({span}).</strong> Using {date_text(self.picker.value)}.")
        else:
            self.note.value = f"The course models the law from {span}."

    def refused_text(self) -> str:
        """The note on a refused date, in words, for the live region ("" when the date typed is used)."""
        if self.picker.value is None or self.picker.refused is None:   # no validation for None
            return ""
        return (f"{self.preset.description}: {date_text(self.picker.refused)} is outside the law this course models "
                f"({date_text(self.start)} to {date_text(self.end)}). Using {date_text(self.picker.value)}.")

    def value(self) -> date:
        """The chosen date; ValueError (in words) when none is chosen."""
        if self.picker.value is None:
            raise ValueError(f"Choose a date for '{self.preset.description}' from {date_text(self.start)} "
                             f"to {date_text(self.end)}.")
        return self.picker.value


class ActorRow:
    """One person in the case: a name, what they did (a named group of tick boxes, each
    spoken with the person's name: "Dell: recruited"), and a remove button."""

    def __init__(self, name: str, conduct=(), number: int = 1):
        self.number = number
        self.name = W.Text(value=name, placeholder="an invented first name or initial", style=WIDE)
        self.conduct = Choice([(conduct_label(c), c) for c in CONDUCT], many=True)
        self.conduct.value = frozenset(conduct)
        self.conduct.add_class("dmst-grid")
        self.remove = W.Button(layout=W.Layout(width="auto"))
        self.name.observe(lambda _ch: self._named(), "value")
        self._named()
        self.box = W.VBox([W.HBox([self.name, self.remove], layout=W.Layout(flex_flow="row wrap")), self.conduct],
                          layout=W.Layout(border="1px solid #767676", padding="0.3em", margin="0.3em 0"))
        no_null_titles(self.box)

    def renumber(self, number: int) -> None:
        self.number = number
        self._named()

    def _named(self) -> None:
        """Every control of the row says whose it is (the name, or "person 2" while it has none)."""
        who = self.name.value.strip() or f"person {self.number}"
        self.name.description = f"Person {self.number}: name"
        self.remove.description = f"Remove {who}"
        self.conduct.description = f"What {who} did (tick all that apply)"
        self.conduct.names = [f"{who}: {conduct_label(c).lower()}" for c in CONDUCT]

    def to_dict(self) -> dict:
        return {"name": self.name.value.strip(), "conduct": [c for c in CONDUCT if c in self.conduct.value]}


class Simulator:
    """The whole simulator. `widget` is what a notebook shows; the methods are what tests drive."""

    def __init__(self, cases=None, law: Law | None = None, layout: str = "notebook", instructor: bool = False):
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}; got {layout!r}")
        if cases is None:
            from ..library import cases as library_cases
            cases = library_cases()
        self.law = law or load_law()
        self.cases = {c.id: c for c in cases}
        self.questions = questions(self.law, self.law.presets["current"])
        self.projector = layout == "projector"
        # What is shown: the assessment, the second date's (compare mode), the predict marks,
        # and whether an instructor has shown the answers.
        self.assessment = None
        self._shown = None   # what the shown result was made from (_inputs)
        self.compared = None
        self.marks: list[Mark] | None = None
        self.revealed = False
        self.loaded: str | None = None
        self.mine: str | None = None   # the learner's kept case in the builder ("mine-1"), if it is one
        # The learner's own cases, kept when they choose another case: "mine-1" -> (label, facts).
        self.kept: dict[str, tuple[str, dict]] = {}
        self._relisting = False
        self.actor_rows: list[ActorRow] = []
        self._quiet = False

        self.library = W.Dropdown(options=self._library_options(), value="", description="Case library", style=WIDE,
                                  layout=W.Layout(**SELECT))
        self.kept_note = W.HTML()   # beside the library: which entry keeps the learner's own case
        self.vignette = W.HTML()
        self.summary = W.HTML()
        self.reset_button = W.Button(description="Reset to the library version", disabled=True,
                                     layout=W.Layout(width="auto", align_self="flex-start"))
        self.age = AgeBox(value=BLANK["age"], description="Age (years)", style=WIDE,
                          unchanged=lambda: self.live.say(self.age.said()))
        self.status = W.Dropdown(options=[(STATUS_LABELS[s], s) for s in STATUSES], value=BLANK["status"],
                                 description="Citizenship or residence", style=WIDE, layout=W.Layout(**SELECT))
        self.purpose = W.Dropdown(options=[(label, p) for p, label in PURPOSE_LABELS.items()], value=BLANK["purpose"],
                                  description="For the purpose of", style=WIDE, layout=W.Layout(**SELECT))
        self.flags = {f: W.Checkbox(description=FLAG_LABELS[f], indent=False, layout=W.Layout(width="auto"))
                      for f in BOOL_FIELDS}
        self.actor_box = W.VBox()
        self.new_actor = TextBox(description="New person's name", placeholder="an invented first name")
        self.add_button = W.Button(description="Add person")
        self.law_date = LawDate(self.law, "Law as of", "current")
        self.compare_date = LawDate(self.law, "Compare with the law as of", "brochure")
        for law_date in (self.law_date, self.compare_date):
            law_date.picker.unchanged = lambda d=law_date: self.live.say(d.refused_text())
        self.mode = Choice(MODES, description="Mode")
        self.mode.value = "explore"
        self.mode.add_class("dmst-row")
        self.instructor = W.Checkbox(value=instructor, description="Instructor mode: hide the answers until I show them",
                                     indent=False, layout=W.Layout(width="auto"))
        self.run_button = W.Button(description="Show result", button_style="primary",
                                   layout=W.Layout(width="auto", align_self="flex-start"))
        self.show_button = W.Button(description="Show the answers", button_style="primary",
                                    layout=W.Layout(width="auto", align_self="flex-start", display="none"))
        self.answers = {q.key: Choice(q.options, description=q.text, many=q.many) for q in self.questions}
        self.reveal_button = W.Button(description="Reveal the result", button_style="primary",
                                      layout=W.Layout(width="auto", align_self="flex-start"))
        # The one live region: every result, change and problem is said here, once.
        self.live = LiveRegion()
        self.notice = W.HTML()  # a note a sighted reader needs (the case has changed, a refused name)
        self.result = W.HTML(value=self._hint())
        self.predict_heading = W.HTML()

        self.predict_box = W.VBox([self.predict_heading, *self.answers.values(), self.reveal_button],
                                  layout=W.Layout(display="none"))
        self.compare_date.box.layout.display = "none"
        self._wire()
        self._date_changed()
        self._as_loaded = self._facts()   # the facts as the case was loaded, to tell whether it was edited
        self.widget = self._projector_layout() if self.projector else self._notebook_layout()
        self.widget.add_class("dmst-simulator")
        self.widget.add_class("dmst-widget")
        no_null_titles(self.widget)

    # --- display ---------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _young_person(self) -> list:
        return [self.age, self.status, self.purpose, *self.flags.values()]

    def _young_person_rows(self) -> list:
        """The young person's controls as laid out: the age box with its note beside it."""
        return [W.HBox([self.age, self.age.note], layout=W.Layout(flex_flow="row wrap", align_items="center")),
                self.status, self.purpose, *self.flags.values()]

    def _people(self) -> list:
        return [self.actor_box, W.HBox([self.new_actor, self.add_button], layout=W.Layout(flex_flow="row wrap"))]

    def _outcome(self) -> list:
        buttons = W.HBox([self.run_button, self.show_button], layout=W.Layout(flex_flow="row wrap", grid_gap="0.3em 1em"))
        return [self.predict_box, buttons, self.notice, self.live, self.result]

    def _notebook_layout(self):
        """One column, top to bottom: the case, the young person, the people, the law, the result."""
        return W.VBox([
            style_widget(), W.HTML("<h3>1. Choose a case</h3>"), self.library, self.kept_note, self.vignette,
            self.reset_button,
            W.HTML("<h3>2. The young person</h3>"), *self._young_person_rows(),
            W.HTML("<h3>3. The people in the case</h3>"), *self._people(),
            W.HTML("<h3>4. The law</h3>"), self.law_date.box, self.mode, self.compare_date.box, self.instructor,
            *self._outcome(),
        ], layout=W.Layout(max_width="64rem"))

    def _projector_layout(self):
        """For a projected page: the choices on top; below, the case (its story and facts in
        words, the form behind "Edit the case") beside the result, or above it when narrow."""
        self.edit = W.Checkbox(description="Edit the case", value=False, indent=False, layout=W.Layout(width="auto"))
        self.editor = W.VBox([W.HTML("<h3>The young person</h3>"), *self._young_person_rows(),
                              W.HTML("<h3>The people in the case</h3>"), *self._people()],
                             layout=W.Layout(display="none"))
        self.edit.observe(lambda ch: setattr(self.editor.layout, "display", "" if ch["new"] else "none"), "value")
        # The second date comes after the mode that shows it, so Tab reaches it next.
        choices = W.HBox([self.library, self.law_date.box, self.mode, self.compare_date.box, self.instructor],
                         layout=W.Layout(flex_flow="row wrap", align_items="flex-start", grid_gap="0.3em 1.5em"))
        tools = W.HBox([self.edit, self.reset_button], layout=W.Layout(flex_flow="row wrap", grid_gap="0.3em 1em"))
        case = W.VBox([W.HTML("<h3>The case</h3>"), self.kept_note, self.vignette, self.summary, tools, self.editor],
                      layout=W.Layout(min_width="0"))
        outcome = W.VBox(self._outcome(), layout=W.Layout(min_width="0"))
        columns = W.GridBox([case, outcome], layout=W.Layout(
            grid_template_columns="repeat(auto-fit, minmax(min(100%, 24em), 1fr))", grid_gap="0.5em 2em",
            align_items="flex-start"))
        box = W.VBox([style_widget(projector=True), W.HTML("<h3>Choose a case, the law and the mode</h3>"), choices,
                      columns], layout=W.Layout(width="100%"))
        box.add_class("dmst-projector")
        self._summarize()
        return box

    # --- building --------------------------------------------------------------------
    def _wire(self) -> None:
        self.run_button.on_click(lambda _b: self.run())
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.show_button.on_click(lambda _b: self.show_answers(not self.revealed))
        self.add_button.on_click(lambda _b: self.add_actor(self.new_actor.value))
        # Enter in "New person's name" adds the person (the text box sends "submit" on Enter).
        self.new_actor.on_msg(self._new_actor_message)
        self.new_actor.observe(self._new_name_typed, "value")
        self.reset_button.on_click(lambda _b: self.reset())
        self.library.observe(self._chosen, "value")
        self.mode.observe(self._mode_changed, "value")
        self.instructor.observe(self._instructor_changed, "value")
        self.law_date.picker.observe(self._date_changed, "value")
        for w in (*self._young_person(), self.law_date.picker, self.compare_date.picker):
            w.observe(self._edited, "value")

    def _date_changed(self, _change=None) -> None:
        """Every question, and the predict heading, names the date of the law it is judged by;
        the provisions offered are those in force on that date."""
        day = self.law_date.picker.value
        if day:
            self.questions = questions(self.law, day)
        for q in self.questions:
            choice = self.answers[q.key]
            if choice.options != list(q.options):
                choice.set_options(q.options)
            choice.description = question_text(q, day) if day else q.text
        when = law_of(day) if day else "under the law of the date you choose"
        self.predict_heading.value = (f"<h3>Predict first</h3><p>Answer these questions about the case {when}, "
                                      "then reveal the result.</p>")

    def _instructor_changed(self, change) -> None:
        """Turning instructor mode on hides a shown result again; turning it off shows it."""
        if change["new"]:
            self.revealed = False
        self._render()

    def _hint(self) -> str:
        return "<p>Press <strong>Show result</strong> to see how the law treats this case.</p>"

    # --- editing ---------------------------------------------------------------------
    def _edited(self, _change=None, done: str = "") -> None:
        """After any edit: the facts in words, and (when a result is shown) a note that it is
        out of date, said once rather than at every key pressed. `done` says what just happened
        (a person added or removed), which a screen reader would not otherwise hear."""
        self._summarize()
        if self._quiet:
            return
        self._resettable()
        dates = {d.picker: d for d in (self.law_date, self.compare_date)}
        if _change is not None and _change.get("owner") in dates:
            done = dates[_change["owner"]].refused_text()   # the date typed is not the date used: say which is
        if _change is not None and _change.get("owner") is self.age:
            if self.age.refused is not None:
                done = self.age.said()  # the age typed is not the age used: say which is
            elif self.live.text.startswith("Age:") and "the case uses" in self.live.text:
                done = f"Age: {self.age.value}."  # the last thing said was an age refused: no longer so
        if self.assessment is None or self._inputs() == self._shown:
            # No result, or one made from exactly what is in the form now (a date box reports its
            # date again after the result was made from it): nothing is out of date.
            self.notice.value = ""
            if done:
                self.live.say(done)
            return
        button = "Reveal the result" if self.mode.value == "predict" else "Show result"
        changed = f"The case has changed. Press {button} to update the result."
        if done:
            self.notice.value = f"<p><strong>{escape(changed)}</strong></p>"
            self.live.say(f"{done} {changed}")
        elif changed not in self.live.text:
            self._note(changed)

    def _summarize(self) -> None:
        """The case's facts in words (the projector layout shows them instead of the form)."""
        if not self.projector:
            return
        facts = [f"{self.age.value} years old", STATUS_LABELS[self.status.value],
                 f"for the purpose of: {PURPOSE_LABELS[self.purpose.value].lower()}"]
        ticked = [FLAG_LABELS[f] for f, box in self.flags.items() if box.value]
        people = [f"<li><strong>{escape(r.name.value.strip() or '(no name)')}</strong>: "
                  f"{escape(', '.join(conduct_label(c).lower() for c in r.to_dict()['conduct']) or 'nothing ticked')}</li>"
                  for r in self.actor_rows]
        self.summary.value = (f"<p><strong>The young person:</strong> {escape('; '.join(facts))}.</p>"
                              + ("<ul>" + "".join(f"<li>{escape(t)}.</li>" for t in ticked) + "</ul>" if ticked else "")
                              + "<p><strong>The people in the case:</strong>"
                              + (f"</p><ul>{''.join(people)}</ul>" if people else " no one yet.</p>"))

    def add_actor(self, name: str, conduct=()) -> ActorRow | None:
        """Add a person; a blank or repeated name is refused with a message saying why."""
        name = name.strip()
        if not self._new_name_ok(name):
            self.new_actor.invalid = True
            self._note("Give the new person a name (an invented first name or initial) "
                       "that no one else in the case has.")
            return None
        row = self._add_row(name, conduct)
        self.new_actor.value = ""
        self._edited(done=f"{name} added to the case as person {row.number}.")
        return row

    def _add_row(self, name: str, conduct) -> ActorRow:
        row = ActorRow(name, conduct, number=len(self.actor_rows) + 1)
        row.remove.on_click(lambda _b: self.remove_actor(row))
        for w in (row.name, row.conduct):
            w.observe(self._edited, "value")
        self.actor_rows.append(row)
        self.actor_box.children = [r.box for r in self.actor_rows]
        return row

    def _new_name_ok(self, name: str) -> bool:
        """A new person's name must be given and be no one else's in the case."""
        return bool(name) and name not in {row.name.value.strip() for row in self.actor_rows}

    def _new_name_typed(self, change) -> None:
        """A name refused is marked invalid until the learner types one that can be added."""
        if self.new_actor.invalid:
            self.new_actor.invalid = not self._new_name_ok(change["new"].strip())

    def _new_actor_message(self, _widget, content, _buffers) -> None:
        if content.get("event") == "submit":
            self.add_actor(self.new_actor.value)

    def remove_actor(self, row: ActorRow) -> None:
        self.actor_rows.remove(row)
        for number, r in enumerate(self.actor_rows, 1):
            r.renumber(number)
        self.actor_box.children = [r.box for r in self.actor_rows]
        self.new_actor.focus()  # the pressed button is gone: keep a keyboard user in the form
        self._edited(done=f"{row.name.value.strip() or 'The person'} removed from the case.")

    def case_dict(self) -> dict:
        out = {"id": self.loaded} if self.loaded else {}
        out.update(age=self.age.value, status=self.status.value, purpose=self.purpose.value,
                   **{f: box.value for f, box in self.flags.items()},
                   actors=[row.to_dict() for row in self.actor_rows])
        return out

    def _fill(self, age: int, status: str, purpose: str, flags: dict, actors) -> None:
        self.age.value, self.status.value, self.purpose.value = age, status, purpose
        for f, box in self.flags.items():
            box.value = flags.get(f, False)
        self.actor_rows = []
        for name, conduct in actors:
            self._add_row(name, conduct)
        self.actor_box.children = [r.box for r in self.actor_rows]
        self.new_actor.value = ""

    def _library_options(self) -> list:
        return ([("Build your own case", "")] + [(label, key) for key, (label, _facts) in self.kept.items()]
                + [(c.title, c.id) for c in self.cases.values()])

    def _inputs(self) -> tuple:
        """What a result is made from: the case, the mode and the dates in their boxes."""
        return (self._facts(), self.mode.value, *((d.preset.value, d.picker.value) for d in (self.law_date, self.compare_date)))

    def _facts(self) -> dict:
        """The case in the builder, without the library id."""
        return {k: v for k, v in self.case_dict().items() if k != "id"}

    def _chosen(self, change) -> None:
        """Another case chosen in the library (by a click or the arrow keys): the learner's own
        case, built or edited, is kept first as "My case N", so nothing they typed is lost."""
        if self._relisting:
            return
        kept = self._keep(change["old"])
        self.load(change["new"])
        if kept:
            words = f"Your case is kept in the case library as \u201c{kept}\u201d."
            self.kept_note.value = f"<p><strong>{escape(words)}</strong></p>"
            self.live.say(f"{words} {self.live.text}".strip())

    def _keep(self, old: str) -> str | None:
        """Keep the builder's case under `old`'s "My case" entry (or a new one) when it was edited
        since it was loaded; returns the entry's label, or None when there was nothing to keep."""
        facts = self._facts()
        if facts == self._as_loaded:
            return None
        if old in self.kept:
            label = self.kept[old][0]
        else:
            number = len(self.kept) + 1
            label = f"My case {number}" + (f" (edited from {self.cases[old].title})" if old in self.cases else "")
            old = f"mine-{number}"
        self.kept[old] = (label, facts)
        chosen = self.library.value
        self._relisting = True
        try:   # new options select the first one: put the learner's choice back
            self.library.options = self._library_options()
            self.library.value = chosen
        finally:
            self._relisting = False
        return label

    def load(self, case_id: str) -> None:
        """Load a library case into the builder, a case the learner kept ("mine-1"), or ("",
        "Build your own case") an empty one, then show a library case's result (except in
        predict mode, where the learner answers first)."""
        self._quiet = True
        try:
            self.loaded = case_id if case_id in self.cases else None
            self.mine = case_id if case_id in self.kept else None
            self._clear_result()
            self._clear_answers()
            if case_id in self.kept:
                label, facts = self.kept[case_id]
                self.vignette.value = (f"<div role=\"note\"><p><strong>{escape(label)}</strong>: the case you made, "
                                       "as you left it.</p></div>")
                self._fill(facts["age"], facts["status"], facts["purpose"], facts,
                           [(a["name"], a["conduct"]) for a in facts["actors"]])
            elif not case_id:
                self.vignette.value = ""
                self._fill(**BLANK, flags={}, actors=())
                if self.projector:
                    self.edit.value = True
            else:
                lc = self.cases[case_id]
                c: Case = lc.case
                self.vignette.value = (f"<div role=\"note\"><p><strong>{escape(lc.title)}</strong> "
                                       f"(fictional)</p><p>{escape(lc.vignette)}</p></div>")
                self._fill(c.age, c.status, c.purpose, {f: getattr(c, f) for f in BOOL_FIELDS},
                           [(a.name, a.conduct) for a in c.actors])
        finally:
            self._quiet = False
        self._as_loaded = self._facts()
        self._summarize()
        self._resettable()
        if not (self.loaded or self.mine) or self.mode.value == "predict":
            self.result.value = self._predict_hint() if self.mode.value == "predict" else self._hint()
        else:
            self.run()

    def reset(self) -> None:
        if self.loaded:
            self.load(self.loaded)

    def _resettable(self) -> None:
        """"Reset to the library version" can be pressed only when a library case was edited."""
        self.reset_button.disabled = self.loaded is None or self._facts() == self._as_loaded

    # --- modes -----------------------------------------------------------------------
    def _mode_changed(self, change) -> None:
        mode = change["new"]
        # The old result goes first, so nothing of it is left once the new mode's controls show.
        self._clear_result()
        self._clear_answers()
        self.compare_date.box.layout.display = "" if mode == "compare" else "none"
        self.predict_box.layout.display = "" if mode == "predict" else "none"
        self.run_button.layout.display = "none" if mode == "predict" else ""
        self.result.value = self._predict_hint() if mode == "predict" else self._hint()
        self.live.say(MODE_WORDS[mode])

    def _predict_hint(self) -> str:
        return "<p>Answer the questions, then press <strong>Reveal the result</strong>.</p>"

    def _clear_result(self) -> None:
        self.assessment = self.compared = self.marks = None
        self.revealed = False
        self.live.clear()
        self.notice.value = ""
        self.show_button.layout.display = "none"

    def _clear_answers(self) -> None:
        for choice in self.answers.values():
            choice.value = frozenset() if choice.many else None

    def answer(self, key: str, value) -> None:
        """Set one predict answer (a value, or a collection of values for a tick-all question)."""
        choice = self.answers[key]
        choice.value = frozenset(value) if choice.many else value

    def given_answers(self) -> dict:
        return {key: choice.value for key, choice in self.answers.items()}

    # --- results ---------------------------------------------------------------------
    def _classify(self, as_of_source: LawDate):
        """Classify the builder's case; on bad input, show every problem in words and return None."""
        try:
            as_of = as_of_source.value()
            case = Case.from_dict(self.case_dict())
        except CaseError as exc:
            self._problems([_problem_text(p) for p in exc.problems])
            return None
        except ValueError as exc:
            self._problems([str(exc)])
            return None
        return classify(case, as_of, self.law)

    def _problems(self, problems: list[str]) -> None:
        self._clear_result()
        self.result.value = ("<div><p><strong>Please fix this first:</strong></p><ul>"
                             + "".join(f"<li>{escape(p)}</li>" for p in problems) + "</ul></div>")
        self.live.say("Please fix this first: " + " ".join(problems))

    def run(self):
        """Classify the case and show the result (explore), the two-date comparison (compare),
        or, in predict mode, reveal. Returns the Assessment (None when the input has a problem)."""
        if self.mode.value == "predict":
            return self.reveal()
        a = self._classify(self.law_date)
        if a is None:
            return None
        b = None
        if self.mode.value == "compare":
            b = self._classify(self.compare_date)
            if b is None:
                return None
        self._clear_result()
        self.assessment, self.compared = a, b
        self._shown = self._inputs()
        self._render()
        return a

    def reveal(self):
        """Score the learner's predictions against the result and show both. With no
        prediction at all, ask for one first (returns None) rather than give every answer away."""
        if not answered(self.given_answers()):
            self._clear_result()
            self.result.value = ("<p><strong>Make a prediction first.</strong> Answer at least one question above, "
                                 "then press <strong>Reveal the result</strong>.</p>")
            self.live.say("Make a prediction first: answer at least one question, then press Reveal the result.")
            return None
        a = self._classify(self.law_date)
        if a is None:
            return None
        self._clear_result()
        self.assessment = a
        self._shown = self._inputs()
        self.marks = score(self.questions, self.given_answers(), a)
        self._render()
        return a

    def show_answers(self, show: bool = True) -> None:
        """Instructor mode: show what was held back from the room (or hide it again). The one
        button does both, so the keyboard focus stays on it."""
        self.revealed = show
        self._render()

    def hidden(self) -> bool:
        """True while instructor mode holds the answers back."""
        return self.instructor.value and not self.revealed

    def _title(self) -> str:
        """The case's name in a result heading: the library title (marked when edited), or 'your case'."""
        if self.mine:
            return self.kept[self.mine][0]
        lc = self.cases.get(self.loaded) if self.loaded else None
        if lc is None:
            return "your case"
        return lc.title if self._as_written(lc) else f"{lc.title} (edited)"

    def _as_written(self, lc) -> bool:
        return replace(Case.from_dict(self.case_dict()), id=None) == replace(lc.case, id=None)

    def _render(self) -> None:
        """Show the current result as the mode and instructor mode say: the verdict first,
        then the teaching point and the score, then whom to contact, the provisions, the
        reasons; and say it once in the live region, with whom to contact first."""
        a = self.assessment
        if a is None:
            return
        hide = self.hidden()
        self.show_button.layout.display = "" if self.instructor.value else "none"
        self.show_button.description = "Show the answers" if hide else "Hide the answers"
        if self.compared is not None:
            heading = escape(f"The same case under the law of {date_text(a.as_of)} and of {date_text(self.compared.as_of)}")
        else:
            heading = result_heading(a, self._title())
        if hide:
            held = "the score, " if self.marks is not None else ""
            self.result.value = (f"<section class=\"dmst-result dmst-held\" aria-label=\"{heading}\"><h3>{heading}</h3>"
                                 f"<p><strong>Hidden from the room (instructor mode):</strong> {held}the verdict, whom to "
                                 "contact, the provisions, the teaching point and the reasons. Press <strong>Show the "
                                 "answers</strong> when the room is ready.</p></section>")
            self.live.say(f"{unescape(heading)}: ready and hidden from the room (instructor mode). "
                            "Press Show the answers to show it.")
            return
        if self.compared is not None:
            self.result.value = compare_html(a, self.compared)
            self.live.say(f"Comparison of the law of {date_text(a.as_of)} and of {date_text(self.compared.as_of)} "
                            f"shown. {first_contact_text(a, self.law)}")
            return
        extra = self._teaching_html() + (score_html(self.marks) if self.marks is not None else "")
        self.result.value = assessment_html(a, title=self._title(), after_headline=extra)
        answers = "; ".join(f"{q} {ans}" if q.endswith("?") else f"{q}: {ans}" for q, ans, _ in headline(a)[:2])
        if self.marks is not None:
            right = sum(m.correct for m in self.marks)
            said = f"You scored {right} out of {len(self.marks)}, {law_of(a.as_of)}. {answers}."
        else:
            said = f"{unescape(heading)}: {answers}."
        self.live.say(f"{said} {first_contact_text(a, self.law)} The full result is below.")

    def _note(self, text: str) -> None:
        """A note shown next to the result and said once."""
        self.notice.value = f"<p><strong>{escape(text)}</strong></p>"
        self.live.say(text)

    def _teaching_html(self) -> str:
        """A library case's teaching point, shown only with its result (it would give answers
        away) and only while the case is as the library has it (an edit can change the lesson)."""
        lc = self.cases.get(self.loaded) if self.loaded else None
        if lc is None or not lc.teaching_point:
            return ""
        if not self._as_written(lc):
            return ("<p class=\"dmst-teaching\">You have edited this library case, so its teaching point is not shown. "
                    "Press <strong>Reset to the library version</strong> to see the case as written.</p>")
        return f"<p class=\"dmst-teaching\"><strong>Teaching point:</strong> {escape(lc.teaching_point)}</p>"


def first_contact_text(a, law: Law) -> str:
    """Whom to contact first, in words, for the live region: the first contact the rules name
    (with its number when a source confirms it), or what the result says when none is named."""
    if not a.notify:
        return no_call_text(a.minor)
    c = law.contacts[a.notify[0]]
    then = [law.contacts[cid].name for cid in a.notify[1:]]
    return (f"Contact first: {c.name}, {contact_number_text(c)}."
            + (f" Then: {'; '.join(then)}." if then else ""))


def score_html(marks: list[Mark]) -> str:
    """The score table: each question, the learner's answer, the result, and Right/Not quite in words."""
    right = sum(m.correct for m in marks)
    cell = "style=\"text-align:left;vertical-align:top;border:1px solid #767676;padding:.25em .5em\""
    rows = "".join(f"<tr><th scope=\"row\" {cell}>{escape(m.question)}</th><td {cell}>{escape(m.given)}</td>"
                   f"<td {cell}>{escape(m.expected)}</td><td {cell}><strong>{'Right' if m.correct else 'Not quite'}"
                   "</strong></td></tr>" for m in marks)
    return (f"<section aria-label=\"Your score\"><h3>Your score: {right} out of {len(marks)}</h3>"
            "<table style=\"border-collapse:collapse;width:100%\">"
            f"<caption style=\"{CAPTION}\">Each question: your answer, the result, and your mark</caption><thead><tr>"
            + "".join(f"<th scope=\"col\" {cell}>{h}</th>" for h in ("Question", "Your answer", "The result", "Mark"))
            + f"</tr></thead><tbody>{rows}</tbody></table></section>")


def _problem_text(p) -> str:
    """A CaseError problem in the builder's words: 'Person 2, name: …' rather than 'actors[1].name'."""
    field = p.field
    if field.startswith("actors["):
        index, _, rest = field[len("actors["):].partition("]")
        field = f"Person {int(index) + 1}" + (f", {rest.lstrip('.')}" if rest else "")
    return f"{field}: {p.message}"
