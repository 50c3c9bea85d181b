"""course.table: the one way a learner sees a table, and the course helpers that feed it."""
from __future__ import annotations

import re
from datetime import date
from html import unescape

import pandas as pd
import pytest

import dmst
from dmst import course, library, timeline
from dmst.render import date_text, short_citation

LAW = dmst.load_law()
BROCHURE, CURRENT = LAW.presets["brochure"], LAW.presets["current"]


def cells(html: str, tag: str = "td") -> list[str]:
    """The visible text of every <td> (or <th>) in order."""
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)]


def test_labels_are_words_and_there_is_no_index():
    frame = pd.DataFrame({"in_force": ["since 1 Oct 2010"], "who_calls": ["anyone"], "brand_new_column": [1]},
                         index=[7])
    html = course.table_html(frame, caption="A test table")
    assert cells(html, "th") == ["In force", "Who calls", "Brand new column"]
    assert cells(html) == ["since 1 Oct 2010", "anyone", "1"]  # no index cell "7"
    assert course.table_html(frame, labels={"who_calls": "Who should call"}, caption="t").count("Who should call") == 1


def test_a_named_index_becomes_a_labelled_column():
    frame = pd.DataFrame({"x": [1, 2]}, index=pd.Index([15, 16], name="age"))
    html = course.table_html(frame, caption="t")
    assert cells(html, "th") == ["Age", "X"] and cells(html) == ["15", "1", "16", "2"]


@pytest.mark.parametrize("value, text", [
    (True, "yes"), (False, "no"), (None, "—"), (float("nan"), "—"), (pd.NaT, "—"), (pd.NA, "—"), ("", "—"),
    (date(2026, 11, 28), "28 Nov 2026"), (pd.Timestamp("2012-06-01"), "1 Jun 2012"), (12.0, "12"),
    (["recruited", "held_in_servitude"], "recruited, held in servitude"), (frozenset({"b", "a"}), "a, b"),
    ("compelled_by_force", "compelled by force"), ("see 18 U.S.C. § 1591; a_b in prose", "see 18 U.S.C. § 1591; a_b in prose"),
])
def test_cells_say_values_in_words(value, text):
    assert course.cell_text(value) == text


def test_numpy_booleans_from_a_frame_are_words_too():
    frame = LAW.table("contacts")[["name", "in_brochure"]]
    assert set(cells(course.table_html(frame, caption="t"))[1::2]) == {"yes", "no"}


def test_text_is_left_aligned_and_wrapped_inline():
    html = course.table_html(pd.DataFrame({"summary": ["A long sentence " * 20]}), caption="t")
    assert "<style" not in html  # JupyterLab drops <style> from untrusted outputs; inline styles survive
    td = re.search(r"<td[^>]*>", html).group(0)
    assert "text-align:left" in td and "vertical-align:top" in td
    assert "overflow-wrap:break-word" in re.search(r"<table[^>]*>", html).group(0)
    assert "…" not in html and ("A long sentence " * 20).strip() in unescape(html)


def test_phone_numbers_do_not_break_at_their_hyphens():
    html = course.table_html(course.contacts_table(["dcf_careline"], columns=["name", "phone"]))
    assert re.search(r"<td[^>]*white-space:nowrap[^>]*>1-800", html)


def test_citations_are_short_with_the_full_one_a_click_away():
    full = LAW.first("us-22-7102").citation
    html = course.table_html(pd.DataFrame({"citation": [full, "18 U.S.C. § 1584(a)"]}), caption="t")
    short = short_citation(full)
    assert short != full and f"<summary>{short}</summary>" in unescape(html) and full in unescape(html)
    assert "<details" not in html.split("18 U.S.C. § 1584(a)")[0].rsplit("<td", 1)[1]  # no details when nothing is shorter


def test_ids_are_refused_and_unknown_columns_named():
    frame = course.provision_table(["us-18-1584"], columns=("id", "citation"))
    with pytest.raises(ValueError, match="ids"):
        course.table_html(frame)
    with pytest.raises(ValueError, match="'nope'"):
        course.table_html(frame, ["citation", "nope"])
    assert "us-18-1584" not in course.table_html(frame, ["citation"])


def test_repeated_values_are_merged_under_the_same_values_to_their_left():
    frame = pd.DataFrame({"a": ["x", "x", "x", "y"], "b": ["p", "p", "q", "q"], "c": [1, 2, 3, 4]})
    html = course.table_html(frame, merge=["a", "b"], caption="t")
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1])
    assert [cells(r) for r in rows] == [["x", "p", "1"], ["2"], ["q", "3"], ["y", "q", "4"]]
    assert 'rowspan="3"' in rows[0] and 'rowspan="2"' in rows[0]


def test_caption_and_merge_come_from_the_frame_unless_given():
    frame = course.presets_table()
    assert date_text(LAW.model_start) in course.table_html(frame)
    assert "<caption" not in course.table_html(frame, caption="")
    sources = course.table_html(course.sources(["ct-53a-82"]))
    assert sources.count("Conn. Gen. Stat. § 53a-82") == 1 and 'rowspan="2"' in sources


def test_user_text_is_escaped():
    html = course.table_html([{"name": "<b>Zed</b>"}], caption="t")
    assert "<b>Zed</b>" not in html and "&lt;b&gt;Zed&lt;/b&gt;" in html


def test_table_is_a_display_object_with_the_same_html():
    frame = course.confidence_table()
    assert course.table(frame).data == course.table_html(frame)


def test_glossary_and_contacts_carry_no_ids():
    assert "provision_id" not in course.glossary().columns
    assert "id" not in course.contacts_table().columns
    assert list(course.contacts_table(confidence="verify")["name"]) == [
        c.name for c in LAW.contacts.values() if c.confidence == "verify"]


def test_confidence_counts_add_up_to_the_versions_in_force():
    frame = course.confidence_counts("current")
    assert frame.iloc[:, 1].sum() == sum(v.in_force(CURRENT) for v in LAW.provisions)
    assert set(frame["confidence"]) <= set(course.CONFIDENCE_MEANING)


def test_compare_versions_lines_up_each_date():
    frame = course.compare_versions("ct-53a-192a")
    old, new = course.version("ct-53a-192a", "brochure"), course.version("ct-53a-192a", "current")
    assert list(frame.columns) == ["version", course.date_heading(BROCHURE), course.date_heading(CURRENT)]
    by_row = frame.set_index("version")
    assert by_row.loc["Class"].tolist() == [old.classification, new.classification]
    assert by_row.loc["Confidence"].tolist() == [old.confidence, new.confidence]


def test_date_heading_names_a_preset_and_any_other_date():
    assert course.date_heading(CURRENT).startswith(f"Law of {date_text(CURRENT)} (")
    assert course.date_heading(date(2016, 10, 1)) == "Law of 1 Oct 2016"


def test_no_term_table_lists_only_provisions_without_a_prison_term():
    ids = ["ct-53a-192a", "ct-53a-86", "us-18-1591", "ct-53a-82", "ct-54-36p"]
    frame = course.no_term_table(ids, "current")
    on = LAW.on(CURRENT)
    expected = [v.citation for pid in ids for v in LAW.versions(pid) if v.in_force(CURRENT)
                and (lambda p: p.maximum_months is None and p.maximum_days is None and not p.life)(on.penalty(v))]
    assert list(frame["citation"]) == expected
    assert set(expected) == {LAW.first("ct-53a-82").citation, LAW.first("ct-54-36p").citation}  # felonies take their class's term


def test_reasons_are_classify_s_steps_filtered():
    case = {"age": 16, "purpose": "prostitution", "anything_of_value": True}
    frame = course.reasons(case, "current", rule="notify_dcf_careline")
    step = next(s for s in dmst.classify(case, CURRENT).explanation if s.rule == "notify_dcf_careline")
    assert frame.to_dict("records") == [{"citation": step.citation, "conclusion": step.conclusion, "because": step.because}]
    with pytest.raises(ValueError, match="explanation or not_applied"):
        course.reasons(case, which="everything")


def test_finding_by_date_gives_one_row_per_preset():
    frame = course.finding_by_date("arrested-at-17", "ct_prostitution")
    case = library.get("arrested-at-17").case
    assert len(frame) == len(LAW.presets)
    for (_, row), day in zip(frame.iterrows(), LAW.presets.values()):
        step = next(s for s in dmst.classify(case, day).explanation if s.rule == "ct_prostitution")
        assert (row["conclusion"], row["citation"]) == (step.conclusion, step.citation)


def test_then_and_now_has_a_card_per_case_and_says_changed_in_words():
    html = course.then_and_now_html()
    compared = timeline.compare_cases()
    changed = int((compared["changed"] == "CHANGED").sum())
    assert html.count('class="dmst-card"') == len(library.cases())
    assert f"Cases that changed ({changed})" in html
    assert f"Cases that came out the same ({len(compared) - changed})" in html
    assert html.count("<strong>Changed</strong>") == changed
    for lc in library.cases():
        assert unescape(html).count(lc.title) == 1


def test_what_changed_and_compare_dates_name_both_dates():
    shown = unescape(course.compare_dates("hotel-trafficker-and-guest").data)
    assert date_text(BROCHURE) in shown and date_text(CURRENT) in shown
    case = library.get("hotel-trafficker-and-guest").case
    for sentence in timeline.differences(dmst.classify(case, BROCHURE), dmst.classify(case, CURRENT)):
        assert sentence in unescape(course.what_changed("hotel-trafficker-and-guest").data)


def test_changes_table_filters_by_confidence_without_ids():
    frame = course.changes_table(confidence="verify")
    assert set(frame["confidence"]) == {"verify"} and "provision" not in frame.columns
    assert len(course.changes_table()) == len(timeline.changes())


def test_a_table_without_a_caption_is_refused_and_every_helper_gives_one():
    with pytest.raises(ValueError, match="caption"):
        course.table_html(pd.DataFrame({"x": [1]}))
    helpers = [course.presets_table(), course.contacts_table(), course.contacts_table(confidence="verify"),
               course.glossary(), course.sources(["ct-53a-82"]), course.provision_table(["us-18-1591"]),
               course.provision_table(["us-18-1591"], as_of="current"), course.parameter_table("ct_prostitution_min_age"),
               course.confidence_table(), course.confidence_counts(), course.compare_versions("ct-53a-192a"),
               course.no_term_table(["ct-53a-82"]), course.side_by_side(), course.changes_table(),
               course.reasons({"age": 16, "purpose": "prostitution"}), course.finding_by_date("arrested-at-17", "ct_prostitution"),
               course.actors_by_date({"age": 15, "purpose": "prostitution", "anything_of_value": True,
                                      "actors": [{"name": "Vic", "conduct": ["recruited"]}]})]
    for frame in helpers:
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", course.table_html(frame)).group(1)
        assert len(caption) > 15 and not re.search(r"\d{4}-\d\d-\d\d", caption), caption


def test_an_unconfirmed_number_is_a_link_named_for_the_office_not_an_address():
    fbi = LAW.contacts["fbi"]
    assert fbi.confidence == "verify"  # the case this test is about
    html = course.table_html(course.contacts_table(["fbi", "dcf_careline"], columns=["name", "phone"]))
    link = re.search(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert link.group(1) == fbi.url and "FBI New Haven" in link.group(2) and "http" not in link.group(2)
    assert unescape(html).count(fbi.url) == 1 and fbi.phone not in html  # the address only in the link
    phone_cells = re.findall(r"<td[^>]*>(?:[^<]|<(?!/td))*</td>", html)
    assert any("nowrap" in c and LAW.contacts["dcf_careline"].phone in c for c in phone_cells)
    assert not any("nowrap" in c and "not confirmed" in c for c in phone_cells)  # words wrap


@pytest.mark.parametrize("cid, short", [("fbi", "FBI"), ("us_attorney", "U.S. Attorney"), ("dcf_careline", "DCF Careline"),
                                        ("ncmec", "NCMEC"), ("dcf_arrest_notice", "DCF notice"),
                                        ("emergency_911", "Emergency services")])
def test_contacts_have_the_short_names_the_course_uses(cid, short):
    assert course.contact_short_name(LAW.contacts[cid].name) == short
    assert course.contacts_table([cid], columns=["short"])["short"].tolist() == [short]
