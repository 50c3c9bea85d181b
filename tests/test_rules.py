"""The rules at their boundaries (ages and effective dates) and every provision version.

`TRIGGERS` gives, for each provision (and tier), facts that make it apply; the per-version
test classifies them on the first and last day of every version in data/provisions.csv and
checks that the citation, class and penalties come from that row.
"""
import csv
from datetime import date, timedelta

import pytest

from dmst import classify, load_law
from dmst.law import DATA_DIR

BROCHURE, CURRENT = date(2012, 6, 1), load_law().presets["current"]


def case(age=15, purpose="prostitution", value=True, **kw):
    actors = kw.pop("actors", {})
    return {"age": age, "purpose": purpose, "anything_of_value": value, **kw,
            "actors": [{"name": n, "conduct": c} for n, c in actors.items()]}


def provisions_of(assessment, name="A"):
    return {p.id: p for a in assessment.actors if a.name == name for p in a.provisions}


def steps(assessment, pid):
    return [s for s in assessment.explanation if s.provision == pid]


# Facts that make each provision (tier) apply; the actor is always named "A".
TRIGGERS = {
    ("us-22-7102", ""): case(15),
    ("us-18-1591", "b1"): case(13, actors={"A": ["recruited"]}),
    ("us-18-1591", "b2"): case(15, actors={"A": ["recruited"]}),
    ("us-18-1591-d", ""): case(15, actors={"A": ["obstructed"]}),
    ("us-18-1584", "base"): case(15, "labor", actors={"A": ["held_in_servitude"]}),
    ("us-18-1584", "aggravated"): case(15, "labor", actors={"A": ["held_in_servitude", "kidnapped"]}),
    ("us-18-1589", "base"): case(15, "labor", force_fraud_or_coercion=True, actors={"A": ["obtained"]}),
    ("us-18-1589", "aggravated"): case(15, "labor", force_fraud_or_coercion=True, actors={"A": ["obtained", "kidnapped"]}),
    ("ct-53a-82", ""): case(16),
    ("ct-pa-11-180", ""): case(16, arrested_for_prostitution=True),
    ("ct-17a-101b", ""): case(16),
    ("ct-53a-192a", ""): case(20, "labor", force_fraud_or_coercion=True, actors={"A": ["coerced"]}),
    ("ct-53a-192a", "minor"): case(15, actors={"A": ["promoted"]}),
    ("ct-53a-192a", "sex_trafficking"): case(20, actors={"A": ["transported"]}),
    ("ct-53a-192", "base"): case(20, "labor", actors={"A": ["coerced"]}),
    ("ct-53a-86", "minor"): case(15, actors={"A": ["promoted"]}),
    ("ct-53a-86", "adult"): case(22, force_fraud_or_coercion=True, actors={"A": ["compelled_by_force"]}),
    ("ct-53a-83", ""): case(22, actors={"A": ["patronized"]}),
    ("ct-53a-83", "felony"): case(16, actors={"A": ["patronized"]}),
    ("ct-53a-83b", "15_to_17"): case(16, actors={"A": ["patronized"]}),
    ("ct-53a-83b", "under_15"): case(14, actors={"A": ["patronized"]}),
    ("ct-53a-196i", ""): case(16, actors={"A": ["advertised"]}),
    ("ct-54-36p", ""): case(22, actors={"A": ["patronized", "coerced"]}),
}

# Provisions the course shows but no rule applies (no case fact selects them): what the law asks of
# hotels, P.A. 25-139's defence for a trafficked minor charged with a misdemeanor, the statutes' term
# for sexual images of a child, the penalty for a mandated reporter who does not report. A rule must
# never cite them.
SHOWN_NOT_APPLIED = {("ct-lodging", ""), ("ct-pa-25-139", ""), ("ct-csam-term", ""), ("ct-17a-101b-penalty", "")}

ALL_ROWS = list(csv.DictReader(open(DATA_DIR / "provisions.csv", encoding="utf-8")))
ROWS = [r for r in ALL_ROWS if (r["id"], r["tier"]) not in SHOWN_NOT_APPLIED]


def test_every_provision_tier_has_a_trigger():
    assert {(r["id"], r["tier"]) for r in ROWS} == set(TRIGGERS)
    assert SHOWN_NOT_APPLIED <= {(r["id"], r["tier"]) for r in ALL_ROWS}


def test_no_rule_cites_a_provision_it_does_not_apply():
    from dmst.library import cases
    shown = {pid for pid, _ in SHOWN_NOT_APPLIED}
    for c in cases():
        for day in (BROCHURE, CURRENT):
            a = classify(c.case, day)
            cited = {s.provision for s in (*a.explanation, *a.not_applied)}
            assert not cited & shown, (c.id, day, cited & shown)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['id']}[{r['tier']}]@{r['effective_from']}" for r in ROWS])
def test_every_version_applies_with_its_own_citation_and_penalty(row):
    law = load_law()
    first = date.fromisoformat(row["effective_from"])
    last = date.fromisoformat(row["effective_to"]) if row["effective_to"] else CURRENT
    for day in (first, last):
        a = classify(TRIGGERS[(row["id"], row["tier"])], day)
        actor = provisions_of(a)
        if row["id"] in actor:
            p = actor[row["id"]]
            assert (p.citation, p.title, p.classification) == (row["citation"], row["title"], row["classification"])
            assert p.mandatory_minimum_months == (int(row["min_months"]) if row["min_months"] else None)
            cls = law.on(day).penalty_class(row["classification"])
            own = row["life"] == "true" or row["max_months"] or row["max_days"]
            term = row if own or cls is None else {"max_months": cls.max_months, "max_days": cls.max_days,
                                                   "life": "true" if cls.life else "false"}
            assert p.maximum_months == (int(term["max_months"]) if term["max_months"] else None)
            assert p.maximum_days == (int(term["max_days"]) if term["max_days"] else None)
            assert p.life == (term["life"] == "true")
            fine = int(row["fine_max_usd"]) if row["fine_max_usd"] else (cls.fine_max_usd if cls else None)
            assert p.fine_max_usd == fine
            assert p.confidence in ("high", "medium", "verify")
        else:
            assert any(s.citation == row["citation"] for s in steps(a, row["id"])), (row["id"], day, a.explanation)


# --- ages ---------------------------------------------------------------------------

@pytest.mark.parametrize("age, minor", [(17, True), (18, False)])
def test_minor_boundary_17_18(age, minor):
    a = classify(case(age), CURRENT)
    assert a.minor is minor
    assert a.trafficking_victim is minor  # no force, fraud or coercion: only a minor is a victim
    assert a.force_fraud_coercion_required is (not minor)


@pytest.mark.parametrize("age", [9, 15, 17, 18, 40])
def test_labor_trafficking_needs_force_fraud_or_coercion_at_every_age(age):
    a = classify(case(age, "labor"), CURRENT)
    assert a.force_fraud_coercion_required is True
    step = next(s for s in a.explanation if s.rule == "force_fraud_coercion_required")
    assert "labor trafficking" in step.conclusion and "no age exception" in step.because


def test_the_means_explanation_names_the_sex_trafficking_limb_for_a_minor():
    a = classify(case(15), CURRENT)
    step = next(s for s in a.explanation if s.rule == "force_fraud_coercion_required")
    assert a.force_fraud_coercion_required is False
    assert "for sex trafficking" in step.conclusion and "sex-trafficking limb" in step.because


@pytest.mark.parametrize("age, months, citation", [(13, 180, "(b)(1)"), (14, 120, "(b)(2)"), (17, 120, "(b)(2)")])
def test_1591_minimum_by_age_13_14(age, months, citation):
    p = provisions_of(classify(case(age, actors={"A": ["benefited"]}), BROCHURE))["us-18-1591"]
    assert p.mandatory_minimum_months == months and p.life and p.maximum_months is None
    assert p.citation.endswith(citation)


def test_1591_fifteen_years_at_any_age_with_force_fraud_or_coercion():
    p = provisions_of(classify(case(16, force_fraud_or_coercion=True, actors={"A": ["harbored"]}), CURRENT))["us-18-1591"]
    assert p.mandatory_minimum_months == 180


def test_1591_reaches_an_adult_only_with_force_fraud_or_coercion():
    assert "us-18-1591" not in provisions_of(classify(case(19, actors={"A": ["recruited"]}), CURRENT))
    assert "us-18-1591" in provisions_of(classify(case(19, force_fraud_or_coercion=True, actors={"A": ["recruited"]}), CURRENT))


@pytest.mark.parametrize("age, on, standing", [
    (15, BROCHURE, "not_prosecutable"), (16, BROCHURE, "presumed_coerced"), (17, BROCHURE, "presumed_coerced"),
    (18, BROCHURE, "adult"), (15, CURRENT, "not_prosecutable"), (16, CURRENT, "not_prosecutable"),
    (17, CURRENT, "not_prosecutable"), (18, CURRENT, "adult"),
])
def test_ct_53a_82_by_age_and_date(age, on, standing):
    assert classify(case(age), on).ct_prostitution == standing


@pytest.mark.parametrize("age, cls", [(14, "class A felony"), (15, "class B felony"), (17, "class B felony")])
def test_53a_83b_class_by_age(age, cls):
    assert provisions_of(classify(case(age, actors={"A": ["patronized"]}), CURRENT))["ct-53a-83b"].classification == cls


def test_53a_86_minimum_only_for_a_minor():
    assert provisions_of(classify(case(17, actors={"A": ["promoted"]}), CURRENT))["ct-53a-86"].mandatory_minimum_months == 9
    adult = classify(case(18, actors={"A": ["promoted"]}), CURRENT)
    assert "ct-53a-86" not in provisions_of(adult)
    assert any(s.rule == "ct_53a_86" and "18 years old" in s.because for s in adult.not_applied)


# --- dates --------------------------------------------------------------------------

@pytest.mark.parametrize("day, applies", [(date(2015, 5, 28), False), (date(2015, 5, 29), True)])
def test_1591_reaches_buyers_from_2015_05_29(day, applies):
    a = classify(case(15, actors={"A": ["patronized"]}), day)
    assert ("us-18-1591" in provisions_of(a)) is applies
    if not applies:
        why = [s for s in a.not_applied if s.rule == "us_1591"]
        assert why and "29 May 2015" in why[0].because


@pytest.mark.parametrize("day, standing", [(date(2016, 9, 30), "presumed_coerced"), (date(2016, 10, 1), "not_prosecutable")])
def test_53a_82_changes_on_2016_10_01(day, standing):
    assert classify(case(16), day).ct_prostitution == standing


@pytest.mark.parametrize("day, cls, buyer_felony", [(date(2017, 9, 30), "class B felony", False), (date(2017, 10, 1), "class A felony", True)])
def test_2017_10_01_changes(day, cls, buyer_felony):
    a = classify(case(16, "labor", force_fraud_or_coercion=True, actors={"A": ["coerced"]}), day)
    assert provisions_of(a)["ct-53a-192a"].classification == cls
    b = classify(case(16, actors={"B": ["patronized"]}), day)
    assert ("ct-53a-83b" in provisions_of(b, "B")) is buyer_felony
    if not buyer_felony:
        assert any(s.rule == "ct_53a_83b" and "not in force" in s.because for s in b.not_applied)


@pytest.mark.parametrize("day, tier_citation", [
    (BROCHURE, None), (date(2015, 9, 30), None), (date(2015, 10, 1), "(a)(2)"), (CURRENT, "(a)(2)")])
def test_53a_192a_reaches_a_recruiter_of_a_minor_without_coercion_from_2015_10_01(day, tier_citation):
    p = provisions_of(classify(case(15, actors={"A": ["recruited"]}), day)).get("ct-53a-192a")
    assert (p.citation.endswith(tier_citation) if p else None) == (tier_citation and True)


@pytest.mark.parametrize("day, cls", [(date(2013, 9, 30), None), (date(2013, 10, 1), "class B felony"), (date(2017, 10, 1), "class A felony")])
def test_53a_192a_force_counts_from_2013(day, cls):
    p = provisions_of(classify(case(20, "labor", force_fraud_or_coercion=True, actors={"A": ["compelled_by_force"]}), day))
    assert (p["ct-53a-192a"].classification if "ct-53a-192a" in p else None) == cls


@pytest.mark.parametrize("day, tier_cls", [(date(2013, 9, 30), "class A misdemeanor"), (date(2013, 10, 1), "class C felony"),
                                           (date(2017, 9, 30), "class C felony"), (date(2017, 10, 1), "class A misdemeanor")])
def test_53a_83_felony_tier_from_2013_to_2017(day, tier_cls):
    assert provisions_of(classify(case(16, actors={"A": ["patronized"]}), day))["ct-53a-83"].classification == tier_cls


@pytest.mark.parametrize("day, title", [(date(2021, 9, 30), "Patronizing a prostitute"), (date(2021, 10, 1), "Soliciting sexual acts")])
def test_53a_83_retitled_2021_10_01(day, title):
    assert provisions_of(classify(case(22, actors={"A": ["patronized"]}), day))["ct-53a-83"].title == title


@pytest.mark.parametrize("day, months, days", [(date(2021, 6, 30), 12, None), (date(2021, 7, 1), None, 364)])
def test_class_a_misdemeanor_capped_at_364_days(day, months, days):
    p = provisions_of(classify(case(22, actors={"A": ["patronized"]}), day))["ct-53a-83"]
    assert (p.maximum_months, p.maximum_days, p.fine_max_usd) == (months, days, 2000)


@pytest.mark.parametrize("pid, tier_age, months, fine", [
    ("ct-53a-86", 16, 240, 15000), ("ct-53a-83b", 16, 240, 15000), ("ct-53a-83b", 14, 300, 20000)])
def test_connecticut_felony_terms_and_fines_come_from_the_class(pid, tier_age, months, fine):
    conduct = "promoted" if pid == "ct-53a-86" else "patronized"
    p = provisions_of(classify(case(tier_age, actors={"A": [conduct]}), CURRENT))[pid]
    assert (p.maximum_months, p.fine_max_usd) == (months, fine)


def test_federal_felonies_carry_the_section_3571_fine():
    p = provisions_of(classify(case(15, actors={"A": ["recruited"]}), CURRENT))["us-18-1591"]
    assert p.fine_max_usd == 250000 and p.life


@pytest.mark.parametrize("day, applies", [(date(2012, 9, 30), False), (date(2012, 10, 1), True)])
def test_53a_196i_advertising_a_minor_from_2012_10_01(day, applies):
    assert ("ct-53a-196i" in provisions_of(classify(case(16, actors={"A": ["advertised"]}), day))) is applies


def test_1589_reaches_forced_labor_without_servitude():
    a = classify(case(16, "labor", force_fraud_or_coercion=True, actors={"A": ["obtained"]}), CURRENT)
    assert "us-18-1589" in provisions_of(a) and "us-18-1584" not in provisions_of(a)
    assert a.trafficking_type == "labor"


def test_advertiser_mens_rea_and_1591c_in_the_explanation():
    a = classify(case(16, actors={"A": ["advertised"]}), CURRENT)
    step = next(s for s in a.explanation if s.rule == "us_1591")
    assert "advertising counts only when done knowingly" in step.because
    assert "reasonable opportunity to observe" in step.because


def test_pre_2015_buyer_is_hedged_with_jungers():
    a = classify(case(15, actors={"A": ["patronized"]}), BROCHURE)
    why = next(s for s in a.not_applied if s.rule == "us_1591")
    assert "Jungers" in why.because and "29 May 2015" in why.because


@pytest.mark.parametrize("day, months", [(date(2018, 12, 20), 240), (date(2018, 12, 21), 300)])
def test_1591_d_maximum_raised_2018_12_21(day, months):
    assert provisions_of(classify(case(15, actors={"A": ["obstructed"]}), day))["us-18-1591-d"].maximum_months == months


@pytest.mark.parametrize("day, notified", [(date(2011, 9, 30), False), (date(2011, 10, 1), True)])
def test_pa_11_180_arrest_notice_from_its_date(day, notified):
    assert ("dcf_arrest_notice" in classify(case(16, arrested_for_prostitution=True), day).notify) is notified


def test_law_before_2010_10_01_is_not_modelled():
    with pytest.raises(ValueError, match="law before 2010-10-01 is not modelled"):
        classify(case(15), "2010-09-30")


# --- other conclusions ----------------------------------------------------------------

def test_labor_trafficking_needs_force_or_servitude():
    assert classify(case(15, "labor"), CURRENT).trafficking_type is None
    assert classify(case(15, "labor", force_fraud_or_coercion=True), CURRENT).trafficking_type == "labor"
    assert classify(case(15, "labor", actors={"A": ["held_in_servitude"]}), CURRENT).trafficking_type == "labor"


@pytest.mark.parametrize("status, dmst", [("citizen", True), ("permanent_resident", True), ("other", False), ("unknown", False)])
def test_dmst_needs_citizen_or_permanent_resident_but_every_child_is_a_victim(status, dmst):
    a = classify(case(15, status=status), CURRENT)
    assert a.dmst is dmst and a.trafficking_victim and a.trafficking_type == "sex"


def test_nothing_of_value_is_no_commercial_sex_act():
    a = classify(case(15, value=False), CURRENT)
    assert not a.commercial_sex_act and not a.trafficking_victim
    assert any(s.rule == "commercial_sex_act" and "nothing of value" in s.because for s in a.not_applied)


@pytest.mark.parametrize("crossed", [False, True])
def test_federal_contacts_for_any_child_trafficking_victim_with_no_state_line_needed(crossed):
    for facts in (case(15, crossed_state_lines=crossed), case(15, "labor", force_fraud_or_coercion=True, crossed_state_lines=crossed)):
        a = classify(facts, CURRENT)
        assert a.notify[:3] == ("dcf_careline", "fbi", "us_attorney")
        why = next(s for s in a.explanation if s.rule == "notify_fbi")
        assert "No state line has to be crossed" in why.because
    assert classify(case(25, crossed_state_lines=True, force_fraud_or_coercion=True), CURRENT).notify == ()


# The answers the issue found telling a reporter not to call: each is a child with a sign of abuse.
SIGNS = {
    "threatened or controlled, no purpose": case(14, "none", value=False, force_fraud_or_coercion=True),
    "signs of forced work": case(15, "labor", value=False, force_fraud_or_coercion=True),
    "commercial sex but nothing of value ticked": case(16, value=False),
    "pornography, nothing of value": case(12, "pornography", value=False),
    "a person who sexually abused the child": case(13, "none", value=False, actors={"A": ["sexually_abused"]}),
    "kidnapped": case(10, "none", value=False, actors={"A": ["kidnapped"]}),
    "arrested for prostitution": case(17, "none", value=False, arrested_for_prostitution=True),
}


@pytest.mark.parametrize("name", SIGNS)
@pytest.mark.parametrize("day", [BROCHURE, CURRENT])
def test_a_child_with_any_sign_of_abuse_is_reported_to_the_careline(name, day):
    a = classify(SIGNS[name], day)
    assert "dcf_careline" in a.notify
    why = next(s for s in a.explanation if s.rule == "notify_dcf_careline")
    assert "reasonable cause to suspect" in why.because


def test_no_trigger_never_says_the_child_is_not_a_victim():
    a = classify(case(15, "labor", value=False), CURRENT)  # a teenager's job, nothing else
    assert "dcf_careline" not in a.notify
    words = " ".join(f"{s.conclusion} {s.because}" for s in a.not_applied if s.rule.startswith("notify_"))
    assert "if you have reasonable cause to suspect abuse, report" in words
    assert "not a victim" not in words and "not a trafficking victim" not in words


@pytest.mark.parametrize("facts, expected", [
    (case(15, "pornography"), True), (case(16, actors={"A": ["advertised"]}), True),
    (case(16), False), (case(19, "pornography", force_fraud_or_coercion=True), False),
])
def test_ncmec_for_a_child_in_images_or_advertised(facts, expected):
    assert ("ncmec" in classify(facts, CURRENT).notify) is expected


@pytest.mark.parametrize("age, notice", [(15, False), (16, True), (17, True), (18, False)])
def test_arrest_notice_only_for_16_and_17(age, notice):
    a = classify(case(age, arrested_for_prostitution=True), date(2012, 6, 1))
    assert ("dcf_arrest_notice" in a.notify) is notice


def test_arrest_notice_after_2016_is_shown_as_not_confirmed():
    a = classify(case(16, arrested_for_prostitution=True), CURRENT)
    step = next(s for s in a.explanation if s.rule == "notify_dcf_arrest_notice")
    assert step.confidence == "verify"


@pytest.mark.parametrize("purpose, arrested, expected", [
    ("labor", False, None), ("none", False, None), ("pornography", False, None),
    ("none", True, "not_prosecutable"), ("prostitution", False, "not_prosecutable"),
])
def test_prostitution_standing_is_null_when_the_case_is_not_about_prostitution(purpose, arrested, expected):
    assert classify(case(15, purpose, arrested_for_prostitution=arrested), CURRENT).ct_prostitution == expected


def test_1584_life_with_kidnapping_or_sexual_abuse():
    for extra in ("kidnapped", "sexually_abused"):
        p = provisions_of(classify(case(15, "labor", actors={"A": ["held_in_servitude", extra]}), CURRENT))["us-18-1584"]
        assert p.life and p.maximum_months is None


def test_every_conclusion_cites_a_provision_in_the_data_or_a_contact_source():
    law = load_law()
    a = classify(case(15, crossed_state_lines=True, arrested_for_prostitution=True,
                      actors={"A": list(__import__("dmst").case.CONDUCT)}), CURRENT)
    sources = {c.source for c in law.contacts.values()}
    for s in a.explanation + a.not_applied:
        assert (s.provision in law.ids or (s.provision == "" and s.citation in sources)) and s.citation and s.because


def test_reasons_write_dates_as_the_course_does_never_iso():
    """'on 1 Jun 2012', not 'on 2012-06-01': every conclusion and reason of every library case on
    every preset date (the rules' own words and the data's caveats alike)."""
    import re

    from dmst import library

    law = load_law()
    found = {text for lc in library.cases() for day in law.presets.values()
             for s in (lambda a: a.explanation + a.not_applied)(classify(lc.case, day))
             for text in (s.conclusion, s.because) if re.search(r"\b\d{4}-\d\d-\d\d\b", text)}
    assert not found, sorted(found)[:3]
