"""The fictional case library: every case under every preset is a test of `classify`,
and the file itself is validated (ids, provision ids, language)."""
import copy
import csv
import json
import re

import pytest

import dmst
import dmst.library as library
from dmst.law import DATA_DIR

LAW = dmst.load_law()
CASES = library.cases()

RULED_OUT = re.compile(r"prostitute|hooker|whore|pimp|child porn", re.IGNORECASE)


@pytest.mark.parametrize("lc,preset", [pytest.param(lc, preset, id=f"{lc.id}@{preset}")
                                       for lc in CASES for preset in LAW.presets])
def test_case_outcome_matches_the_law(lc, preset):
    assessment = dmst.classify(lc.case, LAW.presets[preset])
    assert library.compare(lc, assessment, preset) == []


def test_compare_reports_each_difference_in_words():
    lc = library.get("age-16-online-ad")
    wrong_date = dmst.classify(lc.case, LAW.presets["current"])
    diffs = library.compare(lc, wrong_date, "brochure")
    assert any("expectation is for 2012-06-01" in d for d in diffs)
    assert 'ct_prostitution: expected "presumed_coerced", got "not_prosecutable"' in diffs


def test_compare_names_actor_and_provision_differences():
    lc = library.get("age-13-recruiter-and-buyer")
    older = dmst.Case.from_dict({**lc.case.to_dict(), "age": 15})
    diffs = library.compare(lc, dmst.classify(older, LAW.presets["current"]), "current")
    assert "actor 'Dell': us-18-1591 mandatory minimum: expected 180 months, got 120 months" in diffs
    assert 'actor \'Ken\': ct-53a-83b classification: expected "class A felony", got "class B felony"' in diffs


def test_compare_rejects_an_unknown_preset():
    lc = CASES[0]
    with pytest.raises(ValueError, match="preset must be one of brochure, current"):
        library.compare(lc, dmst.classify(lc.case, LAW.presets["current"]), "tomorrow")


def test_get_returns_the_case_by_id():
    assert library.get("crossed-state-lines").case.crossed_state_lines is True


def test_get_unknown_id_names_it_and_lists_valid_ids():
    with pytest.raises(library.UnknownCaseError) as info:
        library.get("no-such-case")
    message = str(info.value)
    assert "'no-such-case'" in message
    assert all(lc.id in message for lc in CASES)


def test_at_least_twenty_cases_with_unique_ids():
    ids = [lc.id for lc in CASES]
    assert len(ids) >= 20
    assert len(set(ids)) == len(ids)


def test_every_expected_provision_id_is_in_the_provisions_table():
    with open(DATA_DIR / "provisions.csv", newline="", encoding="utf-8") as f:
        known = {row["id"] for row in csv.DictReader(f)}
    used = {pid for lc in CASES for want in lc.expected.values()
            for ids in want["actors"].values() for pid in ids}
    assert used and used <= known


def test_every_preset_and_every_provision_used_in_the_engine_order():
    order = ["us-18-1591", "us-18-1591-d", "us-18-1584", "us-18-1589", "ct-53a-192a", "ct-53a-192",
             "ct-53a-86", "ct-53a-83", "ct-53a-83b", "ct-53a-196i", "ct-54-36p"]
    for lc in CASES:
        assert set(lc.expected) == set(LAW.presets), lc.id
        for want in lc.expected.values():
            for ids in want["actors"].values():
                assert ids == sorted(ids, key=order.index), lc.id


@pytest.mark.parametrize("lc", CASES, ids=[lc.id for lc in CASES])
def test_text_avoids_ruled_out_language(lc):
    for text in (lc.title, lc.vignette, lc.teaching_point):
        assert not RULED_OUT.search(text), f"{lc.id}: {text}"
    assert 2 <= len(re.findall(r"[.!?](\s|$)", lc.vignette)) <= 4, f"{lc.id}: vignette should be 2-4 sentences"


def test_frame_has_one_row_per_case():
    df = library.frame()
    assert list(df["id"]) == [lc.id for lc in CASES]
    assert {"title", "age", "purpose", "brochure_victim", "current_type", "current_ct_prostitution"} <= set(df.columns)


def _write(tmp_path, cases):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"about": "test", "cases": cases}), encoding="utf-8")
    return path


def _raw_cases():
    return json.loads((DATA_DIR / "cases.json").read_text(encoding="utf-8"))["cases"]


def test_a_broken_case_is_named_with_its_field(tmp_path):
    entry = copy.deepcopy(_raw_cases()[0])
    entry["case"]["age"] = "thirteen"
    entry["case"]["colour"] = "red"
    with pytest.raises(library.LibraryError) as info:
        library.load_cases(_write(tmp_path, [entry]))
    problems = info.value.problems
    assert f"cases.json: case '{entry['id']}': field 'case.age': must be a whole number from 0 to 120; got 'thirteen'" in problems
    assert any(f"case '{entry['id']}': field 'case.colour': unknown field" in p for p in problems)


def test_a_broken_expectation_is_named_with_its_field(tmp_path):
    entry = copy.deepcopy(_raw_cases()[0])
    entry["expected"]["current"]["actors"]["Dell"].append("ct-99-999")
    entry["expected"]["brochure"]["ct_prostitution"] = "guilty"
    del entry["expected"]["brochure"]["notify"]
    with pytest.raises(library.LibraryError) as info:
        library.load_cases(_write(tmp_path, [entry]))
    text = str(info.value)
    assert f"case '{entry['id']}': field 'expected.current.actors.Dell': must be a list of provision ids" in text
    assert f"case '{entry['id']}': field 'expected.brochure.ct_prostitution': must be one of" in text
    assert f"case '{entry['id']}': field 'expected.brochure.notify': is required" in text


def test_a_missing_or_malformed_file_is_a_library_error(tmp_path):
    with pytest.raises(library.LibraryError, match="case file not found"):
        library.load_cases(tmp_path / "absent.json")
    bad = tmp_path / "cases.json"
    bad.write_text('{"cases": [', encoding="utf-8")
    with pytest.raises(library.LibraryError, match="cases.json: not valid JSON"):
        library.load_cases(bad)


def test_duplicate_ids_and_missing_actors_are_errors(tmp_path):
    first = _raw_cases()[0]
    second = copy.deepcopy(first)
    del second["expected"]["brochure"]["actors"]["Ken"]
    with pytest.raises(library.LibraryError) as info:
        library.load_cases(_write(tmp_path, [first, second]))
    text = str(info.value)
    assert f"case '{first['id']}': field 'id': used by another case" in text
    assert "field 'expected.brochure.actors': must name every actor in the case exactly once (Dell, Ken)" in text


def test_library_import_stays_free_of_pandas():
    import subprocess
    import sys
    code = "import sys, dmst.library as l; l.cases(); print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("lc", CASES, ids=[lc.id for lc in CASES])
def test_one_citation_per_provision_tier_in_every_face(lc):
    """Issue 16: a person's table, the reasons, the text and HTML results and the provision-level
    heading (what predict mode ticks) name each provision tier the same way on the same date."""
    from dmst.render import assessment_html, assessment_text

    for day in LAW.presets.values():
        on = LAW.on(day)
        a = dmst.classify(lc.case, day)
        html, text = assessment_html(a), assessment_text(a)
        for actor in a.actors:
            for p in actor.provisions:
                version = next(v for v in LAW.versions(p.id) if v.in_force(day) and v.citation == p.citation)
                assert (p.citation, p.title) == (version.citation, version.title)
                said = [s for s in a.explanation if s.provision == p.id and s.conclusion.startswith(f"{actor.name}: ")]
                assert said and all(s.citation == p.citation for s in said), (actor.name, p.id, said)
                assert all(f"{p.citation} ({p.title})" in s.conclusion for s in said if "may apply" in s.conclusion)
                assert f"{p.citation} ({p.title})" in text
                heading, title = on.heading(p.id)
                assert title == p.title
                section = heading.split("§")[-1].strip().split(",")[0].split(" ")[0]
                assert section in p.citation, (heading, p.citation)
        for s in (*a.explanation, *a.not_applied):
            if s.provision:
                assert s.citation == on.cited(s.provision, _tier_of(s, a, on))[0] or s.citation in {
                    v.citation for v in LAW.versions(s.provision)}


def _tier_of(step, assessment, on):
    """The tier whose citation a step carries (a step names its provision, not its tier)."""
    for v in LAW.versions(step.provision):
        if v.citation == step.citation:
            return v.tier
    return ""


def test_the_obstruction_provision_has_its_own_title():
    obstruction = LAW.heading("us-18-1591-d")
    assert obstruction[0] == "18 U.S.C. § 1591(d)"
    assert obstruction[1] != LAW.heading("us-18-1591")[1]
