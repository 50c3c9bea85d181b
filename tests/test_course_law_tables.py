"""The law tables of modules 02 and 05 (course.young_person_defences, reporting_versions): what a learner
reads in them follows the data, cites each provision once, and says what is not confirmed."""
from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import dmst
from dmst import course
from dmst.render import UNCONFIRMED, period_text

LAW = dmst.load_law()


def cells(html: str, tag: str = "td") -> list[str]:
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)]


def test_reporting_versions_have_a_row_for_each_change_of_the_duty_or_its_penalty():
    frame = course.reporting_versions()
    html = course.table_html(frame)
    assert cells(html, "th") == ["In force", "What changed", "Penalty for a mandated reporter who does not report",
                                 "How sure the course is"]
    duty, penalties = LAW.tier_versions("ct-17a-101b"), LAW.versions("ct-17a-101b-penalty")
    starts = sorted({v.effective_from for v in (*duty, *penalties)})
    assert len(frame) == len(starts) > len(duty)  # the penalty changed in 2013, the duty did not
    for start, following, row in zip(starts, [*starts[1:], None], frame.to_dict("records")):
        version = next(v for v in duty if v.in_force(start))
        penalty = next(p for p in penalties if p.in_force(start))
        assert row["in_force"] == period_text(start, following - timedelta(days=1) if following else None)
        assert row["change"] == (version.change if version.effective_from == start else penalty.change)
        assert row["penalty_for_not_reporting"] == penalty.summary
        weaker = "verify" if "verify" in (version.confidence, penalty.confidence) else \
            "medium" if "medium" in (version.confidence, penalty.confidence) else "high"
        assert row["how_sure"] == course.confidence_words(weaker)  # in words, never a bare level
    assert all(change.strip() for change in frame["change"])  # the first row says what it is, not "—"


def test_an_unconfirmed_penalty_is_shown_as_not_confirmed_in_the_current_version():
    current = course.reporting_versions().iloc[-1]
    assert current["in_force"].startswith("since ")
    assert current["how_sure"] == UNCONFIRMED
    assert "not confirmed" in current["change"]  # the move to § 17a-101o is worded as unconfirmed


def test_young_person_defences_show_each_citation_once():
    html = course.table_html(course.young_person_defences())
    row_text = " ".join(cells(html))
    for citation in course.young_person_defences()["citation"]:
        assert row_text.count(citation) == 1, citation
    assert row_text.count("P.A. 25-139") == 1



def test_lodging_duties_say_when_what_and_how_sure_in_words():
    """Module 05's table for hotel staff: three columns a person understands, no source titles
    (they are in the module's Sources table) and confidence as words."""
    frame = course.lodging_duties()
    html = course.table_html(frame)
    assert cells(html, "th") == ["In force", "What the law asks of the hotel, motel or inn", "How sure the course is"]
    versions = LAW.versions("ct-lodging")
    assert list(frame["in_force"]) == [period_text(v.effective_from, v.effective_to) for v in versions]
    assert list(frame["what_the_law_asks"]) == [v.summary for v in versions]
    assert list(frame["how_sure"]) == [course.confidence_words(v.confidence) for v in versions]
    assert not set(frame["how_sure"]) & {"high", "medium", "verify"}


def test_young_person_defences_say_how_sure_in_words():
    frame = course.young_person_defences()
    assert "confidence" not in frame.columns
    assert all(w in course.CONFIDENCE_WORDS.values() for w in frame["how_sure"])
    unconfirmed = frame[frame["citation"].str.startswith("P.A. 25-139")]
    assert list(unconfirmed["how_sure"]) == [UNCONFIRMED]
