"""Module 07's logic: dated changes read from the data, and the same cases under two dates."""
import dmst
from dmst import timeline

LAW = dmst.load_law()
BROCHURE, CURRENT = LAW.presets["brochure"], LAW.presets["current"]


def _change(pid):
    return next(c for c in timeline.changes(LAW) if c.provision == pid)


def test_every_version_boundary_after_the_model_start_is_one_change():
    boundaries = {(p.id, p.effective_from) for p in LAW.provisions if p.effective_from > LAW.model_start}
    found = [(c.provision, c.date) for c in timeline.changes(LAW)]
    assert sorted(found, key=lambda x: (x[1], x[0])) == sorted(boundaries, key=lambda x: (x[1], x[0]))
    assert [c.date for c in timeline.changes(LAW)] == sorted(c.date for c in timeline.changes(LAW))


def test_class_and_reach_changes_are_read_from_the_versions():
    old, new = (v for v in LAW.versions("ct-53a-192a"))
    change = _change("ct-53a-192a")
    assert change.date == new.effective_from
    assert f"{old.classification} → {new.classification}" in change.what
    for conduct in new.reaches - old.reaches:
        assert conduct.replace("_", " ") in change.what


def test_a_change_shared_by_every_tier_is_said_once():
    assert _change("us-18-1591").what.count("advertised") == 1


def test_parameter_change_is_reported_with_old_and_new_values():
    old, new = sorted((p for p in LAW.parameters if p.name == "ct_prostitution_min_age"), key=lambda p: p.effective_from)
    assert f"{old.value} → {new.value}" in _change("ct-53a-82").what


def test_a_provision_new_after_the_model_start_is_called_new_with_its_least_sure_confidence():
    change = _change("ct-53a-83b")
    assert change.what.startswith("new: ")
    assert change.confidence == "verify"


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
    assert "P: 18 U.S.C. § 1591(d) up to 20 years → up to 25 years" in words


def test_same_date_twice_has_no_differences():
    case = dmst.library.cases()[0].case
    assert timeline.differences(dmst.classify(case, CURRENT), dmst.classify(case, CURRENT)) == []


def test_compare_cases_has_one_row_per_library_case_and_says_changed_in_words():
    frame = timeline.compare_cases()
    assert list(frame["id"]) == [lc.id for lc in dmst.library.cases()]
    assert set(frame["changed"]) == {"CHANGED", "same"}
    assert ((frame["changed"] == "same") == (frame["what changed"] == "no change")).all()


def test_timeline_alt_text_names_every_change():
    fig, alt = timeline.timeline_chart(LAW)
    for c in timeline.changes(LAW):
        assert f"{c.date.isoformat()}, " in alt and c.citation in alt
    assert BROCHURE.isoformat() in alt
