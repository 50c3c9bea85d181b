"""The law tables of modules 02 and 05 (course.young_person_defences, reporting_versions): what a learner
reads in them follows the data, cites each provision once, and says what is not confirmed."""
from __future__ import annotations

import re
from html import unescape

import dmst
from dmst import course
from dmst.render import UNCONFIRMED, period_text

LAW = dmst.load_law()


def cells(html: str, tag: str = "td") -> list[str]:
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)]


def test_reporting_versions_show_the_penalty_in_force_during_each_version():
    frame = course.reporting_versions()
    html = course.table_html(frame)
    assert cells(html, "th") == ["In force", "What changed", "Penalty for not reporting", "Confidence"]
    duty = LAW.tier_versions("ct-17a-101b")
    penalties = LAW.versions("ct-17a-101b-penalty")
    assert len(frame) == len(duty)
    for version, text in zip(duty, frame["penalty_for_not_reporting"]):
        during = [p for p in penalties if p.effective_from <= (version.effective_to or p.effective_from)
                  and (p.effective_to is None or p.effective_to >= version.effective_from)]
        assert during, version.period
        for p in during:
            assert p.summary in text
            if len(during) > 1:  # each one says when it applied
                assert period_text(p.effective_from, p.effective_to)[1:] in text
        assert (UNCONFIRMED in text) == any(p.confidence == "verify" for p in during)
    assert all(change.strip() for change in frame["change"])  # the first version says what it is, not "—"


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

