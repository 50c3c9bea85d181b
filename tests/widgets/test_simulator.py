"""The simulator driven headless: set widget values, press buttons, read the result panel.

Expected outcomes come from the case library (data/cases.json), phone numbers and names
from data/contacts.csv, dates from data/presets.csv: nothing legal is typed here.
"""
import re
from datetime import date, timedelta
from html import unescape

import ipywidgets as W
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dmst.library as library
from dmst import classify, load_law
from dmst.case import AGE_RANGE, BOOL_FIELDS, CONDUCT, PURPOSES, STATUSES
from dmst.render import contact_number_text, contact_page_text, date_text, headline, short_citation
from dmst.widgets.sim_predict import answered, provision_label
from dmst.widgets.simulator import BLANK, Simulator

LAW = load_law()
CASES = library.cases()
PRESETS = list(LAW.presets)


def text(html: str) -> str:
    """Visible text of an HTML fragment (style block dropped), whitespace collapsed."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def actor_table(html: str, name: str) -> str:
    """The text of one person's provisions table in the result panel."""
    start = html.index(f"<strong>{name}</strong></caption>")
    return text(html[start:html.index("</table>", start)])


def reach_text(c) -> str:
    """How the result panel says to reach a contact: its number, or (not confirmed) a link named for the page."""
    return contact_number_text(c) if c.confirmed else f"number not confirmed: find the current number on {contact_page_text(c)}"


@pytest.fixture(scope="module")
def sim():
    return Simulator()


def test_every_library_case_is_offered(sim):
    assert [v for _, v in sim.library.options][1:] == [c.id for c in CASES]


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("lc", CASES, ids=[c.id for c in CASES])
def test_library_case_result_panel_says_the_expected_outcome(sim, lc, preset):
    sim.mode.value = "explore"
    sim.law_date.preset.value = preset
    sim.library.value = ""
    sim.library.value = lc.id
    want = lc.expected[preset]
    html, shown = sim.result.value, text(sim.result.value)
    assert f"Result for {lc.title} under the law of {date_text(LAW.presets[preset])}" in shown
    assert f"Victim of trafficking? {'Yes' if want['trafficking_victim'] else 'No'}" in shown
    kind = {"sex": "Sex trafficking", "labor": "Labor trafficking", None: "No trafficking found on these facts"}[want["trafficking_type"]]
    assert f"Type of trafficking {kind}" in shown
    assert f"Domestic minor sex trafficking (the brochure's term)? {'Yes' if want['dmst'] else 'No'}" in shown
    a = sim.assessment
    assert a.ct_prostitution == want["ct_prostitution"]
    standing = next(s for s in (*a.explanation, *a.not_applied) if s.rule == "ct_prostitution")
    assert f"Standing under {standing.citation} {standing.conclusion}" in shown
    contacts = shown[shown.index("Whom to contact"):shown.index("At any time") if "At any time" in shown else None]
    for cid in want["notify"]:
        assert LAW.contacts[cid].name in contacts and reach_text(LAW.contacts[cid]) in contacts
    for cid in set(LAW.contacts) - set(want["notify"]) - {"emergency_911", "national_hotline"}:
        assert LAW.contacts[cid].name not in contacts
    for name, ids in want["actors"].items():
        if not ids:
            assert f"{name} : no provision in the course data applies" in shown
            continue
        table = actor_table(html, name)
        provisions = {p.id: p for actor in a.actors if actor.name == name for p in actor.provisions}
        assert sorted(provisions) == sorted(ids)
        assert table.count("Provision Class Prison term and fine") == 1
        for pid in ids:
            assert provisions[pid].citation in table and provisions[pid].classification in table
        for pid, months in want.get("minimums", {}).get(name, {}).items():
            years, rest = divmod(months, 12)
            assert (f"{years} year" if years else f"{rest} month") in table
    assert library.compare(lc, a, preset) == []


def test_age_17_to_18_changes_the_outcome(sim):
    lc = next(c for c in CASES if c.case.age == 17 and not c.case.force_fraud_or_coercion
              and c.expected["current"]["trafficking_victim"])
    sim.mode.value = "explore"
    sim.law_date.preset.value = "current"
    sim.library.value = lc.id
    assert "Victim of trafficking? Yes" in text(sim.result.value)
    sim.age.value = 18
    assert "The case has changed" in sim.notice.value and "The case has changed" in sim.live.text
    assert "Victim of trafficking? Yes" in text(sim.result.value)  # unchanged until the button is pressed
    sim.run_button.click()
    assert "Victim of trafficking? No" in text(sim.result.value)
    assert "The case has changed" not in sim.notice.value
    sim.reset_button.click()
    assert sim.age.value == 17 and "Victim of trafficking? Yes" in text(sim.result.value)


def test_date_from_brochure_to_current_changes_standing_of_a_17_year_old(sim):
    lc = next(c for c in CASES if c.expected["brochure"]["ct_prostitution"] != c.expected["current"]["ct_prostitution"])
    sim.mode.value = "explore"
    sim.law_date.preset.value = "brochure"
    sim.library.value = lc.id
    before = next(s for s in sim.assessment.explanation if s.rule == "ct_prostitution").conclusion
    sim.law_date.preset.value = "current"
    sim.run_button.click()
    after = next(s for s in sim.assessment.explanation if s.rule == "ct_prostitution").conclusion
    assert before != after and after in text(sim.result.value) and before not in text(sim.result.value)


def test_free_date_is_limited_to_the_model_and_says_so(sim):
    sim.law_date.preset.value = "other"
    assert not sim.law_date.picker.disabled
    too_early = LAW.model_start - timedelta(days=1)
    sim.law_date.picker.value = too_early
    assert sim.law_date.picker.value == LAW.model_start
    note = text(sim.law_date.note.value)
    assert f"{date_text(too_early)} is outside the law this course models" in note
    sim.law_date.picker.value = date(2016, 10, 1)
    assert "outside" not in sim.law_date.note.value
    sim.law_date.picker.value = None
    assert "Choose a date" in sim.law_date.note.value
    sim.mode.value = "explore"
    sim.run()
    assert "Please fix this first" in sim.result.value and "Choose a date" in sim.result.value
    sim.law_date.preset.value = "brochure"
    assert sim.law_date.picker.disabled and sim.law_date.picker.value == LAW.presets["brochure"]


def test_actors_are_added_and_removed_and_bad_names_explained():
    sim = Simulator()
    sim.new_actor.value = "<b>Zed</b>"
    sim.add_button.click()
    row = sim.actor_rows[-1]
    row.conduct.value = {"recruited"}
    sim.run_button.click()
    assert "&lt;b&gt;Zed&lt;/b&gt;" in sim.result.value and "<b>Zed</b>" not in sim.result.value
    assert sim.add_actor("<b>Zed</b>") is None and "no one else in the case has" in sim.notice.value
    assert "no one else in the case has" in sim.live.text
    assert sim.add_actor("   ") is None
    row.name.value = ""
    sim.run_button.click()
    assert "Person 1, name" in text(sim.result.value)
    assert row.remove.description == "Remove person 1" and row.conduct.names[0] == "person 1: recruited"
    row.remove.click()
    assert sim.actor_rows == [] and sim.actor_box.children == ()
    sim.run_button.click()
    assert "No people (actors) were added" in text(sim.result.value)


def test_compare_mode_shows_both_dates_and_marks_changes(sim):
    lc = next(c for c in CASES if c.expected["brochure"]["actors"] != c.expected["current"]["actors"])
    sim.library.value = ""
    sim.law_date.preset.value, sim.compare_date.preset.value = "current", "brochure"
    sim.mode.value = "compare"
    sim.library.value = lc.id
    shown = text(sim.result.value)
    b, c = (date_text(LAW.presets[p]) for p in ("brochure", "current"))
    assert f"Law of {b}" in shown and f"Law of {c}" in shown
    assert f"The same case under the law of {c} and of {b}" in shown  # the law in force first, then the one compared
    assert "Changed" in shown and "dmst-changed" in sim.result.value


def test_predict_then_reveal_scores_the_answers(sim):
    lc = CASES[0]
    sim.mode.value = "predict"
    sim.law_date.preset.value = "current"
    sim.library.value = ""
    sim.library.value = lc.id
    assert "Reveal the result" in sim.result.value and "Victim of trafficking" not in sim.result.value
    assert lc.teaching_point not in unescape(sim.result.value)
    want = lc.expected["current"]
    sim.answer("victim", want["trafficking_victim"])
    sim.answer("type", want["trafficking_type"] or "none")
    sim.answer("means", not want["trafficking_victim"] or lc.case.age >= 18)
    sim.answer("standing", want["ct_prostitution"])
    sim.answer("contacts", set(want["notify"]))
    a = classify(lc.case, LAW.presets["current"])
    assert {p.id for x in a.actors for p in x.provisions} == {pid for ids in want["actors"].values() for pid in ids}
    sim.answer("statutes", {provision_label(p.citation, p.title) for x in a.actors for p in x.provisions})
    sim.reveal_button.click()
    n = len(sim.questions)
    assert f"Your score: {n} out of {n}" in text(sim.result.value)
    assert "Victim of trafficking?" in text(sim.result.value) and lc.teaching_point in unescape(sim.result.value)
    assert f"You scored {n} out of {n}" in sim.live.text
    sim.answer("victim", not want["trafficking_victim"])
    sim.reveal()
    assert f"Your score: {n - 1} out of {n}" in text(sim.result.value)
    assert "Not quite" in sim.result.value


def test_teaching_point_only_for_the_case_as_written(sim):
    lc = next(c for c in CASES if c.teaching_point)
    sim.mode.value = "explore"
    sim.library.value = ""
    sim.library.value = lc.id
    assert lc.teaching_point in unescape(sim.result.value)
    sim.age.value = 30 if lc.case.age < 30 else 10
    sim.run()
    assert lc.teaching_point not in unescape(sim.result.value) and "edited this library case" in sim.result.value
    sim.reset()
    assert lc.teaching_point in unescape(sim.result.value)
    sim.library.value = ""
    assert sim.given_answers()["victim"] is None


def test_opens_on_the_current_law_and_compares_with_the_brochure():
    sim = Simulator()
    assert sim.law_date.picker.value == LAW.presets["current"] and sim.law_date.preset.value == "current"
    assert sim.compare_date.picker.value == LAW.presets["brochure"]


def test_every_question_names_the_date_it_is_judged_by(sim):
    sim.mode.value = "predict"
    for preset in PRESETS:
        sim.law_date.preset.value = preset
        when = f"Under the law of {date_text(LAW.presets[preset])}: "
        for q in sim.questions:
            assert sim.answers[q.key].description == when + q.text
        assert f"under the law of {date_text(LAW.presets[preset])}" in sim.predict_heading.value
    sim.library.value = ""
    sim.library.value = CASES[0].id
    sim.answer("victim", True)
    sim.reveal()
    assert all(m.question.startswith(when) for m in score_marks(sim))


def score_marks(sim):
    from dmst.widgets.sim_predict import score
    return score(sim.questions, sim.given_answers(), sim.assessment)


def test_build_your_own_case_starts_empty():
    sim = Simulator()
    sim.library.value = next(c.id for c in CASES if c.case.actors and any(getattr(c.case, f) for f in BOOL_FIELDS))
    assert sim.actor_rows
    sim.new_actor.value = "half-typed"
    sim.library.value = ""
    assert sim.actor_rows == [] and sim.actor_box.children == () and sim.new_actor.value == ""
    assert not any(box.value for box in sim.flags.values())
    assert (sim.age.value, sim.status.value, sim.purpose.value) == (BLANK["age"], BLANK["status"], BLANK["purpose"])
    assert sim.vignette.value == "" and sim.loaded is None and sim.assessment is None
    assert "Show result" in sim.result.value


def held_back(sim, lc) -> list[str]:
    """What would give the answer away for `lc` if it were on the screen now."""
    a, shown = sim.assessment, text(sim.result.value + sim.notice.value + sim.live.text)
    found = [w for w in ("Victim of trafficking?", "Whom to contact", "Why not?", "Your score") if w in shown]
    found += [LAW.contacts[c].phone for c in a.notify if LAW.contacts[c].phone in shown]
    found += [p.citation for x in a.actors for p in x.provisions if p.citation in shown]
    found += [LAW.contacts[c].name for c in a.notify if LAW.contacts[c].name in shown]
    found += ["teaching point"] if lc.teaching_point and lc.teaching_point in unescape(sim.result.value) else []
    return found


@pytest.mark.parametrize("mode", ["explore", "compare", "predict"])
def test_instructor_mode_holds_back_every_answer_until_shown_in_every_mode(mode):
    lc = next(c for c in CASES if c.teaching_point and c.expected["current"]["notify"] and c.case.actors)
    sim = Simulator()
    sim.mode.value = mode
    sim.instructor.value = True
    sim.library.value = lc.id
    if mode == "predict":
        sim.answer("victim", True)
    sim.run()
    assert sim.hidden() and sim.show_button.layout.display == ""
    assert held_back(sim, lc) == [], f"{mode}: shown to the room before the instructor chose to"
    assert "Hidden from the room" in sim.result.value and date_text(LAW.presets["current"]) in text(sim.result.value)
    sim.show_button.click()
    assert not sim.hidden() and sim.show_button.description == "Hide the answers"
    shown = held_back(sim, lc)
    assert ("Your score" in shown) is (mode == "predict")
    assert "Victim of trafficking?" in shown and "Whom to contact" in shown
    if mode != "compare":
        assert "teaching point" in shown and "Why not?" in shown
    sim.show_button.click()
    assert sim.hidden() and held_back(sim, lc) == []  # the same button hides it again
    sim.show_button.click()
    sim.instructor.value = False
    sim.instructor.value = True
    assert held_back(sim, lc) == []  # turning it back on hides the shown result again
    sim.instructor.value = False
    assert held_back(sim, lc) != [] and sim.show_button.layout.display == "none"


def test_instructor_checkbox_stays_in_every_mode(sim):
    for mode in ("explore", "compare", "predict"):
        sim.mode.value = mode
        assert sim.instructor.layout.display in (None, "")


def test_projector_layout_shows_the_case_in_words_beside_the_result():
    lc = next(c for c in CASES if len(c.case.actors) > 1)
    sim = Simulator(layout="projector")
    assert "dmst-projector" in sim.widget._dom_classes and "dmst-simulator" in sim.widget._dom_classes
    sim.library.value = lc.id
    summary = text(sim.summary.value)
    assert f"{lc.case.age} years old" in summary
    for actor in lc.case.actors:
        assert actor.name in summary
    assert sim.editor.layout.display == "none"
    sim.edit.value = True
    assert sim.editor.layout.display == ""
    sim.age.value = lc.case.age + 1
    assert f"{lc.case.age + 1} years old" in text(sim.summary.value)
    sim.library.value = ""
    assert sim.edit.value and "no one yet" in text(sim.summary.value)
    columns = sim.widget.children[-1]
    assert "minmax" in columns.layout.grid_template_columns and len(columns.children) == 2


def test_layout_must_be_one_the_simulator_has():
    with pytest.raises(ValueError, match="notebook, projector"):
        Simulator(layout="poster")


def test_the_focus_outline_is_at_least_2px_with_3_to_1_contrast():
    from dmst.widgets.style import FOCUS, FOCUS_CSS

    width = int(re.search(r":focus-visible\{outline:(\d+)px solid", FOCUS_CSS).group(1))
    assert width >= 2 and FOCUS in FOCUS_CSS

    def luminance(hex_colour):
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    assert (1.05) / (luminance(FOCUS) + 0.05) >= 3  # against the white page
    style = Simulator().widget.children[0].value
    assert FOCUS_CSS in style and "dmst-widget" in Simulator().widget._dom_classes


def test_every_control_has_its_own_name_and_no_icon():
    """What a screen reader says for each control: a name, never the same as another's unless
    it is an answer inside a named group, the person's name on a person's controls, no icon."""
    import ipywidgets as W

    from dmst.widgets.accessible import Choice, TextBox

    sim = Simulator(layout="projector")
    sim.library.value = next(c.id for c in CASES if len(c.case.actors) > 1)
    controls = [w for w in walk(sim.widget) if isinstance(w, (W.ValueWidget, W.Button, Choice, TextBox))
                and not isinstance(w, (W.HTML, W.Label))]
    assert len(controls) > 30
    names = [w.description.strip() for w in controls]
    assert all(names) and len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert all(not w.icon for w in controls if isinstance(w, W.Button))
    for row in sim.actor_rows:
        who = row.name.value
        assert row.conduct.description == f"What {who} did (tick all that apply)"
        assert row.conduct.names == [f"{who}: {label.lower()}" for label in row.conduct.labels]
        assert row.remove.description == f"Remove {who}" and row.name.description == f"Person {row.number}: name"
    choices = [w for w in controls if isinstance(w, Choice)]
    assert {sim.mode, *sim.answers.values()} <= set(choices)


EDITS = st.one_of(
    st.tuples(st.just("age"), st.integers(AGE_RANGE[0] - 5, AGE_RANGE[1] + 5)),
    st.tuples(st.just("status"), st.sampled_from(STATUSES)),
    st.tuples(st.just("purpose"), st.sampled_from(PURPOSES)),
    st.tuples(st.just("flag"), st.sampled_from(BOOL_FIELDS)),
    st.tuples(st.just("add"), st.text(max_size=8)),
    st.tuples(st.just("remove"), st.integers(0, 3)),
    st.tuples(st.just("conduct"), st.tuples(st.integers(0, 3), st.sampled_from(CONDUCT))),
    st.tuples(st.just("rename"), st.tuples(st.integers(0, 3), st.text(max_size=6))),
    st.tuples(st.just("preset"), st.sampled_from([*PRESETS, "other"])),
    st.tuples(st.just("date"), st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2040, 12, 31)))),
    st.tuples(st.just("mode"), st.sampled_from(["explore", "compare", "predict"])),
    st.tuples(st.just("instructor"), st.booleans()),
    st.tuples(st.just("load"), st.sampled_from(["", *[c.id for c in CASES]])),
    st.tuples(st.just("reset"), st.none()),
    st.tuples(st.just("run"), st.none()),
    st.tuples(st.just("answer"), st.sampled_from(["victim", "type", "contacts"])),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDITS, max_size=25))
def test_random_edits_never_raise_and_always_say_something(sim, edits):
    for kind, arg in edits:
        rows = sim.actor_rows
        if kind == "age":
            sim.age.value = arg
        elif kind == "status":
            sim.status.value = arg
        elif kind == "purpose":
            sim.purpose.value = arg
        elif kind == "flag":
            sim.flags[arg].value = not sim.flags[arg].value
        elif kind == "add":
            sim.new_actor.value = arg
            sim.add_button.click()
        elif kind == "remove" and rows:
            rows[arg % len(rows)].remove.click()
        elif kind == "conduct" and rows:
            box = rows[arg[0] % len(rows)].conduct
            box.value = box.value ^ {arg[1]}
        elif kind == "rename" and rows:
            rows[arg[0] % len(rows)].name.value = arg[1]
        elif kind == "preset":
            sim.law_date.preset.value = arg
        elif kind == "date":
            sim.law_date.picker.value = arg
        elif kind == "mode":
            sim.mode.value = arg
        elif kind == "instructor":
            sim.instructor.value = arg
        elif kind == "load":
            sim.library.value = arg
        elif kind == "reset":
            sim.reset_button.click()
        elif kind == "run":
            sim.run_button.click() if sim.mode.value != "predict" else sim.reveal_button.click()
        elif kind == "answer":
            sim.answer(arg, True if arg == "victim" else "sex" if arg == "type" else {"dcf_careline"})
        assert AGE_RANGE[0] <= sim.age.value <= AGE_RANGE[1]
        d = sim.law_date.picker.value
        assert d is None or LAW.model_start <= d <= max(LAW.presets.values())
    result = sim.run()
    shown = text(sim.result.value)
    assert shown
    if result is not None:
        assert result == classify(sim.case_dict(), sim.law_date.value())
        if sim.hidden():
            assert "Hidden from the room" in shown and "Your score" not in shown and "Teaching point" not in shown
        elif sim.mode.value == "predict":
            assert "Your score" in shown
        assert sim.live.text  # every result is said
    elif sim.mode.value == "predict" and not answered(sim.given_answers()):
        assert "Make a prediction first" in shown and "Make a prediction first" in sim.live.text
    else:
        assert "Please fix this first" in shown and "Please fix this first" in sim.live.text


def test_predict_has_an_answer_for_a_case_not_about_prostitution_and_shows_no_unconfirmed_number():
    from dmst.widgets.sim_predict import NOT_IN_QUESTION, questions, score

    qs = questions(LAW, LAW.presets["current"])
    standing = next(q for q in qs if q.key == "standing")
    a = classify({"age": 15, "purpose": "labor", "force_fraud_or_coercion": True}, LAW.presets["current"])
    assert standing.answer(a) == NOT_IN_QUESTION
    marks = {m.question: m.correct for m in score(qs, {"standing": NOT_IN_QUESTION}, a)}
    assert any(ok for text, ok in marks.items() if "prostitution statute" in text)
    assert not score(qs, {}, a)[3].correct  # unanswered is not right
    contacts = next(q for q in qs if q.key == "contacts")
    assert not any(c.phone in label for label, _ in contacts.options for c in LAW.contacts.values() if not c.confirmed)


def test_enter_in_the_new_persons_name_adds_the_person():
    sim = Simulator()
    sim.new_actor.value = "Dell"
    sim.new_actor._handle_custom_msg({"event": "submit"}, [])  # what the text box sends on Enter
    assert [r.name.value for r in sim.actor_rows] == ["Dell"] and sim.new_actor.value == ""
    assert "Dell added to the case as person 1" in sim.live.text
    sim.new_actor._handle_custom_msg({"event": "submit"}, [])  # Enter in the empty box: refused, in words
    assert len(sim.actor_rows) == 1 and "Give the new person a name" in sim.notice.value


def test_reveal_with_no_prediction_asks_for_one_first():
    lc = next(c for c in CASES if c.teaching_point)
    sim = Simulator()
    sim.mode.value = "predict"
    sim.library.value = lc.id
    assert sim.reveal() is None and sim.assessment is None
    shown = text(sim.result.value)
    assert "Make a prediction first" in shown and "Make a prediction first" in sim.live.text
    assert "Your score" not in shown and "Victim of trafficking?" not in shown and lc.teaching_point not in shown
    sim.answer("victim", False)  # "No" is a prediction
    assert sim.reveal() is not None and "Your score: " in text(sim.result.value)


@pytest.mark.parametrize("preset", PRESETS)
def test_predict_offers_each_provision_as_the_result_and_the_persons_table_cite_it(preset):
    """Over every library case: each provision that may apply is a predict option, with the
    citation and title the person's table and the reasons show; ticking exactly those scores."""
    from dmst.widgets.sim_predict import provided

    sim = Simulator()
    sim.law_date.preset.value = preset
    sim.mode.value = "predict"
    statutes = sim.answers["statutes"]
    for lc in CASES:
        sim.library.value = ""
        sim.library.value = lc.id
        a = classify(lc.case, LAW.presets[preset])
        offered = [label for label, _ in statutes.options]
        assert len(offered) == len(set(offered))
        sim.answer("statutes", provided(a))
        sim.answer("victim", a.trafficking_victim)
        assert sim.reveal() == a
        html = sim.result.value
        mark = next(m for m in score_marks(sim) if "provisions may apply" in m.question)
        assert mark.correct, f"{lc.id}: {mark}"
        for actor in a.actors:
            for p in actor.provisions:
                label = provision_label(p.citation, p.title)
                assert label in offered, f"{lc.id} ({preset}): {label} is not offered"
                table = actor_table(html, actor.name)
                assert p.citation in table and p.title in table
                assert any(s.citation == p.citation and s.conclusion.startswith(f"{actor.name}:")
                           for s in a.explanation), f"{lc.id}: no reason cites {p.citation} for {actor.name}"
                assert label in mark.expected


def test_the_provisions_offered_follow_the_date_of_the_law():
    sim = Simulator()
    statutes = sim.answers["statutes"]
    now = {label for label, _ in statutes.options}
    kept = next(label for label in now if "1591(a), (b)(1)" in label)
    sim.answer("statutes", {kept, next(label for label in now if "53a-83b" in label)})
    sim.law_date.preset.value = "brochure"
    then = {label for label, _ in statutes.options}
    day = LAW.presets["brochure"]
    assert then == {f"{v.citation}: {v.title}" for v in LAW.provisions if v.in_force(day)
                    and any(x.reaches for x in LAW.versions(v.id)) and v.classification != "definition"}
    assert not any("53a-83b" in label for label in then)  # not yet in force in 2012
    assert statutes.value == {kept}  # what is still offered stays ticked


@pytest.mark.parametrize("mode", ["explore", "compare", "predict"])
def test_the_kiosk_keeps_every_answer_back_whatever_case_is_chosen(mode):
    """Arrowing through the library loads one case after another: none shows or says a verdict."""
    sim = Simulator(layout="projector", instructor=True)
    sim.mode.value = mode
    for lc in CASES:
        sim.library.value = lc.id
        if mode == "predict":
            sim.answer("victim", True)
            sim.reveal()
        assert sim.hidden()
        assert held_back(sim, lc) == [], f"{mode}, {lc.id}: shown to the room"
        assert "Victim of trafficking" not in sim.live.text and "Contact first" not in sim.live.text


def test_the_result_puts_the_verdict_then_the_teaching_point_and_score_before_the_details():
    lc = next(c for c in CASES if c.teaching_point and c.case.actors)
    sim = Simulator()
    sim.mode.value = "predict"
    sim.library.value = lc.id
    sim.answer("victim", True)
    sim.reveal()
    html = unescape(sim.result.value)
    order = [html.index(s) for s in ("Victim of trafficking?", "Teaching point:", "Your score:", "Whom to contact",
                                     "The people in the case", "Why: each conclusion")]
    assert order == sorted(order)


def test_each_result_is_said_once_with_whom_to_contact_first():
    from dmst.render import no_call_text

    sim = Simulator()
    for lc in CASES:
        said = sim.live.said
        sim.library.value = lc.id
        a = sim.assessment
        assert sim.live.said == said + 1, f"{lc.id}: said {sim.live.said - said} times"
        if a.notify:
            first = LAW.contacts[a.notify[0]]
            assert f"Contact first: {first.name}, {contact_number_text(first)}." in sim.live.text
        else:
            assert no_call_text(a.minor) in sim.live.text
        assert f"Victim of trafficking? {'Yes' if a.trafficking_victim else 'No'}" in sim.live.text


def test_choice_keeps_its_value_and_the_front_ends_index_in_step():
    from dmst.widgets.accessible import Choice
    from traitlets import TraitError

    one = Choice([("Yes", True), ("No", False)], description="Q?")
    assert one.value is None and one.index == []
    one.index = [1]  # the front end ticked "No"
    assert one.value is False
    one.value = True
    assert one.index == [0]
    with pytest.raises(TraitError, match="Q\\?"):
        one.value = "maybe"
    many = Choice([("A", "a"), ("B", "b"), ("C", "c")], many=True)
    many.index = [2, 0]
    assert many.value == {"a", "c"}
    many.set_options([("C", "c"), ("D", "d")])
    assert many.value == {"c"} and many.index == [0] and many.labels == ["C", "D"]


def test_the_age_box_says_next_to_it_when_it_uses_another_age_than_the_one_typed():
    """Issue 16: 150 became 120 silently. The note sits beside the box (as module 05's helper's
    does) and is said in the live region; an age in range clears it."""
    sim = Simulator()
    row = next(w for w in sim.widget.children if isinstance(w, W.HBox) and sim.age in w.children)
    assert row.children == (sim.age, sim.age.note)
    low, high = AGE_RANGE
    sim.age.value = 150
    assert sim.age.value == high
    said = f"Age: 150 is more than {high}, the oldest age the course takes; the case uses {high}."
    assert text(sim.age.note.value) == said and sim.live.text == said
    sim.age.value = 130  # the age used stays 120, so there is no change of value: still said, with the new number
    assert sim.age.value == high and "Age: 130 is more than" in text(sim.age.note.value) and "Age: 130" in sim.live.text
    sim.age.value = -3
    assert sim.age.value == low and text(sim.age.note.value) == f"Age: -3 is less than {low}; the case uses {low}."
    sim.age.value = 16
    assert sim.age.note.value == "" and sim.live.text == "Age: 16."  # what was said last no longer holds
    sim.age.value = 17
    assert sim.live.text == "Age: 16."  # nothing more to say
    assert sim.case_dict()["age"] == 17


def test_a_refused_age_after_a_result_is_said_with_the_case_having_changed():
    sim = Simulator()
    sim.library.value = CASES[0].id
    sim.age.value = 200
    assert sim.live.text.startswith(f"Age: 200 is more than {AGE_RANGE[1]}") and "The case has changed" in sim.live.text
    assert sim.run().minor is False  # 120: an adult


def test_every_table_of_a_result_and_of_the_score_has_a_caption():
    sim = Simulator()
    sim.mode.value = "predict"
    sim.library.value = CASES[0].id
    sim.answer("victim", True)
    sim.reveal()
    tables = re.findall(r"<table\b.*?</table>", sim.result.value, re.S)
    assert len(tables) >= 3  # the headline, each person's provisions, the score
    captions = [re.search(r"<caption[^>]*>(.*?)</caption>", t, re.S) for t in tables]
    assert all(captions), "a table without a caption"
    words = [text(c.group(1)) for c in captions]
    assert "Each question: your answer, the result, and your mark" in words
    for actor in sim.assessment.actors:
        if actor.provisions:
            assert f"Provisions that may apply to {actor.name}" in words


def test_a_case_the_learner_built_is_kept_when_they_choose_another_and_comes_back_as_it_was():
    sim = Simulator()
    first, second = CASES[0], CASES[1]
    sim.age.value = 16
    sim.flags["anything_of_value"].value = True
    sim.new_actor.value = "Dell"
    sim.add_button.click()
    sim.actor_rows[0].conduct.value = frozenset({"recruited"})
    built = sim.case_dict()
    sim.library.value = first.id        # the arrow keys pass through every case like this
    assert sim.library.value == first.id and sim.age.value == first.case.age
    assert [label for label, _ in sim.library.options][:2] == ["Build your own case", "My case 1"]
    assert "kept in the case library as \u201cMy case 1\u201d" in sim.kept_note.value
    assert sim.live.text.startswith("Your case is kept in the case library as \u201cMy case 1\u201d.")
    sim.library.value = second.id       # a library case left as written is not kept
    assert [label for label, _ in sim.library.options].count("My case 1") == 1 and len(sim.kept) == 1
    sim.library.value = "mine-1"
    assert sim.case_dict() == built and "My case 1" in sim.vignette.value
    # Said as a library case is: its result, with its name.
    assert sim.live.text.startswith(f"Result for My case 1 under the law of {date_text(LAW.presets['current'])}: ")
    assert "<h3>Result for My case 1 under the law of" in sim.result.value
    sim.age.value = 17                  # edited again: the same entry keeps the new version
    sim.library.value = second.id
    sim.library.value = "mine-1"
    assert sim.case_dict() == built | {"age": 17} and len(sim.kept) == 1


def test_an_edited_library_case_is_kept_as_the_learner_s_and_the_library_s_stays_as_written():
    sim = Simulator()
    lc, other = CASES[0], CASES[1]
    sim.library.value = lc.id
    sim.age.value = lc.case.age + 1
    edited = {k: v for k, v in sim.case_dict().items() if k != "id"}
    sim.library.value = other.id
    label, key = next((label, key) for label, key in sim.library.options if key.startswith("mine-"))
    assert label == f"My case 1 (edited from {lc.title})"
    sim.library.value = lc.id
    assert sim.age.value == lc.case.age   # the library's case, as written
    sim.library.value = key
    assert sim.case_dict() == edited and sim.reset_button.disabled


def walk(w):
    yield w
    for child in getattr(w, "children", ()):
        yield from walk(child)


@pytest.mark.parametrize("layout", ["notebook", "projector"])
def test_the_second_date_comes_right_after_the_mode_that_shows_it(layout):
    """Tab and reading order follow the widget tree: "Compare with the law as of" must come after the mode group."""
    sim = Simulator(layout=layout)
    order = list(walk(sim.widget))
    assert order.index(sim.mode) < order.index(sim.compare_date.preset) < order.index(sim.run_button)


def test_a_date_outside_the_course_is_said_with_the_date_used():
    sim = Simulator()
    sim.law_date.preset.value = "other"
    sim.law_date.picker.value = date(2009, 6, 1)
    used = date_text(LAW.model_start)
    assert sim.law_date.picker.value == LAW.model_start
    assert sim.live.text.startswith(f"Law as of: 1 Jun 2009 is outside the law this course models ({used} to ")
    assert sim.live.text.endswith(f"Using {used}.")
    said = sim.live.said
    sim.law_date.picker.value = date(2008, 1, 1)   # the date used stays the same: still said
    assert sim.live.said == said + 1 and "1 Jan 2008 is outside" in sim.live.text


def test_reset_can_be_pressed_only_when_a_library_case_was_edited():
    sim = Simulator()
    assert sim.reset_button.disabled
    lc = CASES[0]
    sim.library.value = lc.id
    assert sim.reset_button.disabled          # as written: nothing to reset
    sim.age.value = lc.case.age + 1
    assert not sim.reset_button.disabled
    sim.age.value = lc.case.age               # edited back: nothing to reset again
    assert sim.reset_button.disabled
    sim.age.value = lc.case.age + 1
    sim.reset_button.click()
    assert sim.age.value == lc.case.age and sim.reset_button.disabled


def test_choosing_a_mode_says_it_and_where_its_controls_are():
    sim = Simulator()
    sim.mode.value = "predict"
    assert sim.live.text == "Predict, then reveal: answer the questions below, then press Reveal the result."
    sim.mode.value = "compare"
    assert sim.live.text.startswith("Compare two dates: choose the second date in \u201cCompare with the law as of\u201d")
    sim.mode.value = "explore"
    assert sim.live.text.startswith("Explore: press Show result")


def disclosure_names(html: str) -> list[str]:
    """What a screen reader calls each <summary> of a result: its aria-label, else its text."""
    return [unescape(label or re.sub(r"<[^>]+>", "", body)).strip()
            for label, body in re.findall(r'<summary(?: aria-label="([^"]*)")?>(.*?)</summary>', html, re.S)]


@pytest.mark.parametrize("lc", CASES, ids=[c.id for c in CASES])
def test_each_disclosure_in_a_result_has_its_own_name_in_words(lc):
    sim = Simulator()
    sim.library.value = lc.id
    names = disclosure_names(sim.result.value)
    assert names and len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert all(n[0].isalnum() for n in names), names   # words first, no symbol
    a = classify(lc.case, LAW.presets["current"])
    rows = sim.result.value.split("</table>")[0]   # the headline table: each citation is named with its row
    for question, _answer, s in headline(a):
        if s and short_citation(s.citation) != s.citation:
            assert f"{question}: {short_citation(s.citation)}" in disclosure_names(rows)


def test_no_label_gets_the_title_null():
    """ipywidgets 8 writes a tooltip of None onto the label as the title "null", which a screen reader reads."""
    from dmst.widgets.response import helper

    sim = Simulator(layout="projector")
    sim.library.value = next(c.id for c in CASES if len(c.case.actors) > 1)
    sim.add_actor("Rae")
    for root in (sim.widget, helper()):
        untitled = [w.description for w in walk(root) if isinstance(w, W.widgets.widget_description.DescriptionWidget) and w.tooltip is None]
        assert untitled == []


def test_a_refused_new_name_marks_the_box_invalid_until_a_name_that_can_be_added_is_typed():
    sim = Simulator()
    sim.add_button.click()
    assert sim.new_actor.invalid and "Give the new person a name" in sim.live.text
    sim.new_actor.value = "Dell"
    assert not sim.new_actor.invalid
    sim.add_button.click()
    sim.new_actor.value = "Dell"     # already in the case
    sim.add_button.click()
    assert sim.new_actor.invalid
    sim.new_actor.value = "Rae"
    assert not sim.new_actor.invalid


def test_a_result_made_from_what_is_in_the_form_is_not_called_out_of_date(sim):
    """The learner walkthrough: a date typed, Show result, and the note "The case has changed" stayed,
    because the date box reported its date again after the result was made from it. The note is for a
    form that differs from what the result was made from, and goes when the edit is undone."""
    from datetime import date

    sim.mode.value = "explore"
    sim.library.value = CASES[0].id
    sim.law_date.preset.value = "other"
    sim.law_date.picker.value = date(2015, 3, 15)
    sim.run_button.click()
    assert "15 Mar 2015" in text(sim.result.value)
    sim._edited({"owner": sim.law_date.picker, "name": "value"})   # the box says its date again
    assert sim.notice.value == "" and "The case has changed" not in sim.live.text
    sim.law_date.picker.value = date(2016, 3, 15)
    assert "The case has changed" in sim.notice.value
    sim.law_date.picker.value = date(2015, 3, 15)                     # back to the date of the result
    assert sim.notice.value == ""
