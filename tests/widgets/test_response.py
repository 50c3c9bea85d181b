"""The "what do I do now?" helper: contacts and numbers come from the data, decisions from classify."""
import re
from html import escape, unescape

import pytest

import dmst
from dmst.render import contact_page_text, date_text
from dmst.widgets.response import advice_by_date, advice_html, advise, build_cases, helper

LAW = dmst.load_law()
BROCHURE, CURRENT = LAW.presets["brochure"], LAW.presets["current"]
SEX = dict(commercial_sex=True, anything_of_value=True)


def test_minor_with_signs_of_commercial_sex_is_reported_to_the_careline_the_federal_offices_and_hotline():
    advice = advise(15, **SEX)
    assert advice.contact_ids == ("dcf_careline", "fbi", "us_attorney", "national_hotline")
    careline = advice.calls[0]
    assert careline.phone == LAW.contacts["dcf_careline"].phone
    # the citation in force on the advice's date, not the provision id
    assert careline.source == LAW.on(advice.as_of).provision("ct-17a-101b").citation


def test_danger_now_puts_911_first_and_hotline_last():
    advice = advise(15, danger_now=True, **SEX)
    assert advice.contact_ids[0] == "emergency_911"
    assert advice.calls[0].phone == LAW.contacts["emergency_911"].phone
    assert advice.contact_ids[-1] == "national_hotline"
    assert advice.calls[-1].text == LAW.contacts["national_hotline"].text


def test_federal_contacts_need_no_state_line_and_show_no_unconfirmed_number():
    advice = advise(16, **SEX)
    assert advice.contact_ids == ("dcf_careline", "fbi", "us_attorney", "national_hotline")
    for call in advice.calls[1:3]:
        c = LAW.contacts[call.contact_id]
        assert not c.confirmed and c.phone not in call.phone and c.url in call.phone


# The answers the issue found telling a reporter "no report": a child with a sign of abuse.
@pytest.mark.parametrize("age, answers", [
    (14, dict(controlled=True)), (15, dict(labor=True)), (16, dict(commercial_sex=True)),
    (15, dict(labor=True, controlled=True))])
def test_a_child_with_any_sign_is_reported_to_the_careline(age, answers):
    advice = advise(age, **answers)
    assert "dcf_careline" in advice.contact_ids
    html = advice_html(advice)
    assert "not a trafficking victim" not in html and "not a victim" not in html


def test_no_sign_at_all_still_tells_a_reporter_to_report_reasonable_suspicion():
    html = advice_html(advise(15))
    assert "If you have reasonable cause to suspect" in html and "report it to the DCF Careline" in html


def test_the_contacts_are_exactly_what_classify_names():
    answers = dict(arrested=True, **SEX)
    for when in (BROCHURE, CURRENT):
        expected = dmst.classify(build_cases(16, **answers)[0], when).notify
        assert advise(16, as_of=when, **answers).contact_ids == (*expected, "national_hotline")


def test_adult_gets_no_careline_call_and_says_why():
    advice = advise(19, **SEX)
    assert advice.contact_ids == ("national_hotline",)
    why = {s.rule: s.because for s in advice.not_called}
    assert why["notify_dcf_careline"].startswith("the person is 19, not a child")


def test_no_signs_gives_the_hotline_and_the_reasons_nothing_else_is_indicated():
    advice = advise(14)
    assert advice.contact_ids == ("national_hotline",)
    assert {s.rule for s in advice.not_called} >= {"notify_dcf_careline", "notify_federal"}
    assert all(s.citation for s in advice.reasons + advice.not_called)


def test_forced_labor_of_a_minor_is_reported_to_the_careline():
    advice = advise(16, labor=True, controlled=True)
    assert "dcf_careline" in advice.contact_ids
    assert any(s.rule == "labor_trafficking" for s in advice.reasons)


def test_signs_of_both_sex_and_labor_classify_both_without_duplicate_calls_or_false_misses():
    advice = advise(16, labor=True, controlled=True, **SEX)
    assert len(advice.assessments) == 2
    assert advice.contact_ids == ("dcf_careline", "fbi", "us_attorney", "national_hotline")
    assert "notify_federal" not in {s.rule for s in advice.not_called}
    assert len({s.rule for s in advice.not_called}) == len(advice.not_called)


def test_prostitution_finding_depends_on_the_date_and_is_shown_only_when_relevant():
    def standing(when):
        return next(s for s in advise(17, as_of=when, **SEX).reasons if s.rule == "ct_prostitution")
    assert standing(BROCHURE).conclusion != standing(CURRENT).conclusion
    assert all(s.rule != "ct_prostitution" for s in advise(17, labor=True, controlled=True).reasons)


def test_the_helper_does_not_ask_about_state_lines():
    assert "crossed_state_lines" not in helper().controls


def test_default_date_is_the_current_preset_not_today():
    assert advise(15).as_of == CURRENT


def test_bad_age_names_the_field():
    with pytest.raises(dmst.CaseError) as err:
        advise(-1)
    assert [p.field for p in err.value.problems] == ["age"]


def test_html_lists_numbers_reasons_and_citations():
    advice = advise(15, danger_now=True, **SEX)
    html = advice_html(advice)
    for call in advice.calls:
        c = LAW.contacts[call.contact_id]
        if c.confirmed:
            assert call.phone in html
        else:  # a link named for the page with the current number, never the bare address as its words
            link = re.search(rf'<a href="{re.escape(c.url)}"[^>]*>([^<]*)</a>', html)
            assert link and link.group(1) == escape(contact_page_text(c)) and "http" not in link.group(1)
            assert c.phone not in html
    assert LAW.on(advice.as_of).provision("ct-17a-101b").citation in html
    assert "not legal advice" in html
    assert html.index(LAW.contacts["emergency_911"].name) < html.index(LAW.contacts["dcf_careline"].name)


def test_frames_have_one_row_per_call_and_reject_unknown_names():
    advice = advise(15, **SEX)
    assert list(advice.to_frame()["contact_id"]) == list(advice.contact_ids)
    assert len(advice.to_frame("reasons")) == len(advice.reasons)
    with pytest.raises(ValueError, match="calls, reasons, not_called"):
        advice.to_frame("everything")


def test_widget_updates_the_advice_when_an_answer_changes():
    box = helper()
    careline = LAW.contacts["dcf_careline"].phone
    assert careline not in box.result.value
    box.controls["commercial_sex"].value = True
    box.controls["anything_of_value"].value = True
    assert careline in box.result.value
    box.controls["age"].value = "30"
    assert careline not in box.result.value


def test_each_change_of_advice_is_said_once_with_whom_to_contact_first():
    box = helper()
    assert box.live.text == "" and box.live.said == 0  # nothing said before anyone changed anything
    box.controls["danger_now"].value = True
    said = box.live.text
    assert box.live.said == 1
    assert said.startswith(f"Advice for age 15, under the law of {date_text(CURRENT)}: contact first: "
                           f"{LAW.contacts['emergency_911'].name}, {LAW.contacts['emergency_911'].phone}.")
    box.controls["commercial_sex"].value = True
    box.controls["anything_of_value"].value = True
    assert box.live.said == 3
    then = box.live.text.split("Then: ")[1]
    assert then.index(LAW.contacts["dcf_careline"].name) < then.index(LAW.contacts["national_hotline"].name)


@pytest.mark.parametrize("typed, used, says", [
    ("150", 120, "150 is more than 120"), ("", 0, "No age typed: the advice below is for age 0"),
    ("-4", 0, "-4 is less than 0"), ("fifteen", 17, "'fifteen' is not a whole number of years"),
    (" 16 ", 16, ""), ("120", 120, "")])
def test_the_age_box_says_when_it_uses_another_age_than_the_one_typed(typed, used, says):
    box = helper()
    box.controls["age"].value = "17"
    box.controls["age"].value = typed
    assert box.controls["age"].value == typed  # what was typed stays in the box
    assert f"Advice for age {used}," in box.live.text
    if says:
        assert says in unescape(box.note.value) and says in box.live.text
    else:
        assert box.note.value == ""


def test_advice_by_date_shows_the_same_answers_under_each_date():
    frame = advice_by_date(17, **SEX)
    assert len(frame) == 2 and date_text(BROCHURE) in frame["law of"][0] and date_text(CURRENT) in frame["law of"][1]
    for (_, row), day in zip(frame.iterrows(), (BROCHURE, CURRENT)):
        advice = advise(17, as_of=day, **SEX)
        finding = next(s for s in advice.reasons if s.rule == "ct_prostitution")
        assert row["contact, in this order"] == "; ".join(c.name for c in advice.calls)
        assert row["prostitution statute"] == f"{finding.conclusion} ({finding.citation})"
    assert advice_by_date(17, labor=True, controlled=True)["prostitution statute"].tolist() == ["—", "—"]


def test_the_advice_table_names_the_page_of_an_unconfirmed_number_not_its_address():
    from dmst import course

    advice = advise(15, **SEX)
    html = course.table_html(advice.to_frame(), ["name", "phone", "why", "source"], caption="Advice")
    fbi = LAW.contacts["fbi"]
    assert f">{escape(contact_page_text(fbi))}</a>" in html and f'href="{fbi.url}"' in html
    assert not re.search(r">[^<]*https?://", html), "an address shown as words in the table"


def test_the_age_box_is_marked_invalid_while_what_was_typed_is_not_the_age_used():
    box = helper()
    age = box.controls["age"]
    assert not age.invalid
    age.value = "ab"
    assert age.invalid and "not a whole number" in box.live.text
    age.value = "16"
    assert not age.invalid


def test_each_source_in_the_advice_is_named_with_its_reason():
    """Several reasons cite 22 U.S.C. § 7102: each citation button is named with its own reason."""
    html = advice_html(advise(15, commercial_sex=True, anything_of_value=True))
    names = [unescape(n) for n in re.findall(r'<summary(?: aria-label="([^"]*)")?>', html)]
    assert len(names) > 1 and all(names) and len(set(names)) == len(names), names
