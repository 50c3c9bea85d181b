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
    assert cells(html, "th") == ["In force", "What changed", "Penalty for not reporting", "Confidence"]
    duty, penalties = LAW.tier_versions("ct-17a-101b"), LAW.versions("ct-17a-101b-penalty")
    starts = sorted({v.effective_from for v in (*duty, *penalties)})
    assert len(frame) == len(starts) > len(duty)  # the penalty changed in 2013, the duty did not
    for start, following, row in zip(starts, [*starts[1:], None], frame.to_dict("records")):
        version = next(v for v in duty if v.in_force(start))
        penalty = next(p for p in penalties if p.in_force(start))
        assert row["in_force"] == period_text(start, following - timedelta(days=1) if following else None)
        assert row["change"] == (version.change if version.effective_from == start else penalty.change)
        assert penalty.summary in row["penalty_for_not_reporting"]
        assert (UNCONFIRMED in row["penalty_for_not_reporting"]) == (penalty.confidence == "verify")
        assert row["confidence"] == version.confidence
    assert all(change.strip() for change in frame["change"])  # the first row says what it is, not "—"


def test_an_unconfirmed_penalty_is_shown_as_not_confirmed_in_the_current_version():
    current = course.reporting_versions().iloc[-1]
    assert current["in_force"].startswith("since ")
    assert UNCONFIRMED in current["penalty_for_not_reporting"]
    assert "not confirmed" in current["change"]  # the move to § 17a-101o is worded as unconfirmed


def test_young_person_defences_show_each_citation_once():
    html = course.table_html(course.young_person_defences())
    row_text = " ".join(cells(html))
    for citation in course.young_person_defences()["citation"]:
        assert row_text.count(citation) == 1, citation
    assert row_text.count("P.A. 25-139") == 1

