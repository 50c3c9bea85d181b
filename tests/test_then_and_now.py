"""Module 07's logic: dated changes read from the data, and the same cases under two dates."""
import re

import dmst
from dmst import timeline
from dmst.law import date_text

LAW = dmst.load_law()
BROCHURE, CURRENT = LAW.presets["brochure"], LAW.presets["current"]


def _change(pid):
    return next(c for c in timeline.changes(LAW) if c.provision == pid)


def test_every_version_boundary_after_the_model_start_is_one_change():
    boundaries = {(p.id, p.effective_from) for p in LAW.provisions if p.effective_from > LAW.model_start}
    boundaries |= {("", c.effective_from) for c in LAW.penalty_classes if c.effective_from > LAW.model_start}
    found = [(c.provision, c.date) for c in timeline.changes(LAW)]
    assert sorted(found, key=lambda x: (x[1], x[0])) == sorted(boundaries, key=lambda x: (x[1], x[0]))
    assert [c.date for c in timeline.changes(LAW)] == sorted(c.date for c in timeline.changes(LAW))


def test_class_and_penalty_changes_are_read_from_the_versions_and_their_classes():
    change = next(c for c in timeline.changes(LAW) if c.provision == "ct-53a-192a" and c.date.year == 2017)
    old = LAW.on(change.date.replace(day=1, month=9)).provision("ct-53a-192a")
    new = LAW.on(change.date).provision("ct-53a-192a")
    assert new.change.rstrip(".") in change.what
    assert f"{old.classification} → {new.classification}" in change.what
    assert "up to 20 years; fine up to $15,000 → up to 25 years; fine up to $20,000" in change.what


def test_the_dated_changes_of_the_issue_are_all_on_the_timeline():
    dates = {(c.date.isoformat(), c.citation.split("(")[0].strip()) for c in timeline.changes(LAW)}
    for day, citation in [("2013-10-01", "Conn. Gen. Stat. § 53a-192a"), ("2013-10-01", "Conn. Gen. Stat. § 53a-83"),
                          ("2015-05-29", "18 U.S.C. § 1591"), ("2015-10-01", "Conn. Gen. Stat. § 53a-192a"),
                          ("2017-10-01", "Conn. Gen. Stat. § 53a-83b"), ("2018-12-21", "18 U.S.C. § 1591"),
                          ("2021-07-01", "Conn. Gen. Stat. §§ 53a-36a, 53a-42"), ("2021-10-01", "Conn. Gen. Stat. § 53a-192a"),
                          ("2021-10-01", "Conn. Gen. Stat. §§ 53a-83, 53a-83a")]:
        assert (day, citation) in dates, (day, citation)


def test_a_class_change_is_a_change_of_every_offence_in_that_class():
    change = next(c for c in timeline.changes(LAW) if c.date.isoformat() == "2021-07-01")
    assert "up to 1 year" in change.what and "up to 364 days" in change.what and "§ 53a-192" in change.what


def test_a_change_shared_by_every_tier_is_said_once():
    assert _change("us-18-1591").what.count("advertisers") == 1
    assert _change("us-18-1591").what.count("buyers") == 1


def test_parameter_change_is_reported_with_old_and_new_values():
    old, new = sorted((p for p in LAW.parameters if p.name == "ct_prostitution_min_age"), key=lambda p: p.effective_from)
    assert f"{old.value} → {new.value}" in _change("ct-53a-82").what


def test_a_provision_new_after_the_model_start_shows_its_least_sure_confidence():
    change = _change("ct-53a-83b")
    first = [v for v in LAW.versions("ct-53a-83b") if v.effective_from == change.date]
    assert change.what.startswith("New felony")
    assert change.confidence == "medium" and {v.confidence for v in first} == {"high", "medium"}


def test_differences_name_the_prostitution_standing_only_when_there_is_commercial_sex():
    sex = {"age": 16, "purpose": "prostitution", "anything_of_value": True}
    then, now = dmst.classify(sex, BROCHURE), dmst.classify(sex, CURRENT)
    assert any("presumed coerced → cannot be prosecuted" in d for d in timeline.differences(then, now))
    labor = {"age": 16, "purpose": "labor", "force_fraud_or_coercion": True}
    words = timeline.differences(dmst.classify(labor, BROCHURE), dmst.classify(labor, CURRENT))
    assert not any("prostitution" in d for d in words)


def test_differences_name_new_provisions_and_penalty_changes_per_actor():
    case = {"age": 15, "purpose": "prostitution", "anything_of_value": True,
            "actors": [{"name": "K", "conduct": ["patronized"]}, {"name": "P", "conduct": ["obstructed"]}]}
    words = timeline.differences(dmst.classify(case, BROCHURE), dmst.classify(case, CURRENT))
    assert any(w.startswith("K: now Conn. Gen. Stat. § 53a-83b") for w in words)
    assert "P: 18 U.S.C. § 1591(d) up to 20 years, fine up to $250,000 → up to 25 years, fine up to $250,000" in words


def test_same_date_twice_has_no_differences():
    case = dmst.library.cases()[0].case
    assert timeline.differences(dmst.classify(case, CURRENT), dmst.classify(case, CURRENT)) == []


def test_compare_cases_has_one_row_per_library_case_and_says_changed_in_words():
    frame = timeline.compare_cases()
    assert list(frame["id"]) == [lc.id for lc in dmst.library.cases()]
    assert set(frame["changed"]) == {"CHANGED", "same"}
    assert ((frame["changed"] == "same") == (frame["what changed"] == "no change")).all()


def test_timeline_alt_text_names_every_change_with_dates_in_words():
    fig, alt = timeline.timeline_chart(LAW)
    for c in timeline.changes(LAW):
        assert f"{date_text(c.date)}, " in alt and c.citation in alt
    assert date_text(BROCHURE) in alt
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b", alt)


def test_the_timeline_chart_writes_dates_in_words_and_keeps_its_words_inside_the_picture():
    """Issue 16: no ISO date on the chart, and nothing cut at its edges (the title was cut at the
    left, "hanges in the course's ..."; long labels ran off the right)."""
    fig, _ = timeline.timeline_chart(LAW)
    fig.canvas.draw()
    box = fig.bbox
    texts = [t for t in (*fig.texts, *fig.axes[0].texts, fig.axes[0].title) if t.get_text().strip()]
    words = " ".join(t.get_text() for t in texts)
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b", words)
    assert f"Changes in the course's law data, {date_text(LAW.model_start)} to {date_text(CURRENT)}" in words
    outside = [t.get_text()[:40] for t in texts
               if (lambda e: e.x0 < box.x0 or e.x1 > box.x1 or e.y0 < box.y0 or e.y1 > box.y1)(t.get_window_extent())]
    assert outside == [], f"text outside the picture: {outside}"
    assert not re.search(r"(?<!\\)\$", words), "a bare $ starts matplotlib's math mode (a fine would be a formula)"
