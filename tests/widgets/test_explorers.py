"""The module explorers show what `classify` concludes, and the widgets re-render on change."""
from __future__ import annotations

from html import unescape

import pytest

from dmst import classify, load_law
from dmst.course import date_heading
from dmst.render import date_text, step
from dmst.widgets import explorers

LAW = load_law()
BROCHURE, CURRENT = LAW.presets["brochure"], LAW.presets["current"]
MAJORITY = LAW.on(CURRENT).parameter("age_of_majority")
UNDER = LAW.on(CURRENT).parameter("us_1591_b1_under_age")


def text(html: str) -> str:
    return unescape(html)


# --- 01 ----------------------------------------------------------------------------------

def test_definition_actions_are_what_the_definition_reaches():
    assert set(explorers.definition_actions()) == set(LAW.on(CURRENT).provision("us-22-7102").reaches)


@pytest.mark.parametrize("age", [MAJORITY - 1, MAJORITY])
def test_definition_html_shows_the_rules_conclusions(age):
    html = text(explorers.definition_html(age, action="provided"))
    a = classify(explorers.definition_case(age, "citizen", "prostitution", True, False, "provided"), CURRENT)
    for rule in ("force_fraud_coercion_required", "commercial_sex_act", "sex_trafficking", "dmst"):
        s = step(a, rule)
        assert s.conclusion in html and s.because in html
    assert ("The person is a victim of sex trafficking." in html) is (age < MAJORITY)


def test_definition_html_status_changes_only_the_dmst_answer():
    citizen = classify(explorers.definition_case(15, "citizen", "prostitution", True, False, "recruited"), CURRENT)
    other = classify(explorers.definition_case(15, "other", "prostitution", True, False, "recruited"), CURRENT)
    assert citizen.trafficking_victim and other.trafficking_victim
    html = text(explorers.definition_html(15, status="other"))
    assert step(other, "dmst").because in html and citizen.dmst and not other.dmst


def test_definition_html_full_result_adds_the_whole_assessment():
    a = classify(explorers.definition_case(15, "citizen", "prostitution", True, False, "recruited"), CURRENT)
    full = explorers.definition_html(15, full_result=True)
    assert "See the full result" in full and "See the full result" not in explorers.definition_html(15)
    assert step(a, "notify_dcf_careline").conclusion in text(full)


def test_definition_html_says_when_an_action_is_not_listed_or_absent():
    assert "not one of the actions" in explorers.definition_html(15, action="patronized")
    assert "No one did any of the listed actions" in explorers.definition_html(15, action="none")


# --- 02 ----------------------------------------------------------------------------------

def test_key_dates_come_from_the_data():
    dates = explorers.key_dates()
    assert {LAW.model_start, BROCHURE, CURRENT} <= set(dates)
    assert {v.effective_from for v in LAW.versions("ct-53a-82")} <= set(dates)
    assert dates == sorted(dates)


def test_standing_grid_is_classify_in_words():
    grid = explorers.standing_grid(ages=range(14, 20))
    for day in explorers.key_dates():
        for age in range(14, 20):
            expected = explorers.STANDING_WORDS[classify(explorers.standing_case(age), day).ct_prostitution]
            assert grid.loc[age, date_heading(day)] == expected


def test_standing_changes_for_a_16_year_old_between_the_brochure_and_now():
    then = LAW.on(BROCHURE).parameter("ct_prostitution_min_age")
    age = then  # the youngest age the brochure-era statute could treat as guilty
    assert explorers.standing(age, BROCHURE).ct_prostitution == "presumed_coerced"
    assert explorers.standing(age, CURRENT).ct_prostitution == "not_prosecutable"
    html = text(explorers.standing_html(age, BROCHURE))
    assert step(explorers.standing(age, BROCHURE), "ct_prostitution").because in html
    assert date_text(LAW.on(BROCHURE).provision("ct-53a-82").effective_from) in html


# --- 03 ----------------------------------------------------------------------------------

def test_sentencing_conduct_is_what_federal_provisions_reach():
    reached = set().union(*(v.reaches for v in LAW.provisions if v.jurisdiction == "US"))
    assert set(explorers.sentencing_conduct()) == reached
    assert "promoted" not in explorers.sentencing_conduct()  # a Connecticut-only term


def test_sentencing_html_buyer_before_and_after_2015():
    then = text(explorers.sentencing_html(15, conduct="patronized", as_of="brochure"))
    now = text(explorers.sentencing_html(15, conduct="patronized", as_of="current"))
    b2 = LAW.on(CURRENT).provision("us-18-1591", "b2")
    assert "No provision" in then and "did not reach" in then
    assert b2.citation in now and "10 years" in now


def test_sentencing_html_jurisdiction_filter():
    federal = text(explorers.sentencing_html(15, conduct="patronized", as_of="brochure"))
    state = text(explorers.sentencing_html(15, conduct="patronized", as_of="brochure", jurisdiction="CT"))
    ct_83 = LAW.on(BROCHURE).provision("ct-53a-83")
    assert ct_83.citation in state and ct_83.citation not in federal


@pytest.mark.parametrize("day", [BROCHURE, CURRENT])
def test_minimum_grid_follows_the_1591_tiers(day):
    grid = explorers.minimum_grid(as_of=day)
    on = LAW.on(day)
    b1, b2 = on.provision("us-18-1591", "b1").citation, on.provision("us-18-1591", "b2").citation
    for age, row in grid.iterrows():
        plain, forced = row
        assert b1 in forced
        if age < UNDER:
            assert b1 in plain
        elif age < MAJORITY:
            assert b2 in plain
        else:
            assert plain == "does not apply"


# --- the thin widgets ---------------------------------------------------------------------

@pytest.mark.parametrize("build, control, value", [
    (explorers.definition_explorer, "age", MAJORITY + 2),
    (explorers.standing_explorer, "as_of", CURRENT),
    (explorers.sentencing_explorer, "conduct", "obstructed"),
])
def test_widgets_re_render_when_a_control_changes(build, control, value):
    box = build()
    before = box.result.value
    assert before  # rendered at once, before any change
    box.controls[control].value = value
    assert box.result.value != before
    args = {name: c.value for name, c in box.controls.items()}
    render = {explorers.definition_explorer: explorers.definition_html,
              explorers.standing_explorer: explorers.standing_html,
              explorers.sentencing_explorer: explorers.sentencing_html}[build]
    extra = {"full_result": True} if build is explorers.definition_explorer else {}
    assert box.result.value == render(**args, **extra)


def test_standing_explorer_menu_offers_the_key_dates():
    box = explorers.standing_explorer()
    assert [v for _, v in box.controls["as_of"].options] == explorers.key_dates()
