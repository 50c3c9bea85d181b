"""Loading and validating the law tables: every rule of the data is enforced with a clear message."""
import csv
import shutil
from datetime import date, timedelta

import pytest

from dmst.law import DATA_DIR, LawDataError, load_law


@pytest.fixture
def data_copy(tmp_path):
    for name in ("provisions", "penalty_classes", "parameters", "contacts", "sources", "glossary", "presets"):
        shutil.copy(DATA_DIR / f"{name}.csv", tmp_path / f"{name}.csv")
    return tmp_path


def _edit(path, row_index, **changes):
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    rows[row_index].update(changes)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, rows[0].keys(), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_project_data_loads():
    law = load_law()
    assert law.model_start == date(2010, 10, 1)
    assert {"us-18-1591", "us-18-1591-d", "us-18-1584", "ct-53a-82", "ct-53a-83", "ct-53a-86",
            "ct-53a-192", "ct-53a-192a", "ct-54-36p", "us-22-7102", "ct-pa-11-180"} <= set(law.ids)
    assert {"dcf_careline", "fbi", "us_attorney", "dcf_arrest_notice", "emergency_911",
            "national_hotline"} <= set(law.contacts)
    assert set(law.presets) == {"brochure", "current"}


@pytest.mark.parametrize("field, value, expected", [
    ("citation", "", "row 2: field 'citation' is required"),
    ("sources", "", "row 2: field 'sources' is required: source ids from sources.csv"),
    ("sources", "usc-18-1591;no-such-source", "row 2: field 'sources': 'no-such-source' is not a source id in sources.csv"),
    ("confidence", "maybe", "row 2: field 'confidence': 'maybe' is not one of high, medium, verify"),
    ("confidence", "", "row 2: field 'confidence' is required; allowed: high, medium, verify"),
    ("effective_from", "", "row 2: field 'effective_from' is required"),
    ("effective_from", "2010-13-01", "row 2: field 'effective_from': '2010-13-01' is not a date"),
    ("jurisdiction", "NY", "row 2: field 'jurisdiction': 'NY' is not one of US, CT"),
    ("max_months", "ten", "row 2: field 'max_months': 'ten' is not a whole number"),
    ("max_days", "-3", "row 2: field 'max_days': '-3' is not a whole number"),
    ("reaches", "recruited;bribed", "row 2: field 'reaches': 'bribed' is not one of"),
    ("effective_to", "2001-01-01", "row 2: field 'effective_to': 2001-01-01 is before effective_from"),
])
def test_bad_provision_row_is_named(data_copy, field, value, expected):
    _edit(data_copy / "provisions.csv", 0, **{field: value})
    with pytest.raises(LawDataError) as err:
        load_law(data_copy)
    assert "provisions.csv: " + expected in str(err.value)


def test_overlapping_versions_are_rejected(data_copy):
    rows = list(csv.DictReader(open(data_copy / "provisions.csv", encoding="utf-8")))
    index = next(i for i, r in enumerate(rows) if r["id"] == "ct-53a-82" and r["effective_to"])
    _edit(data_copy / "provisions.csv", index, effective_to="2016-10-01")
    with pytest.raises(LawDataError, match="versions of ct-53a-82 overlap: 2010-10-01 to 2016-10-01 and from 2016-10-01"):
        load_law(data_copy)


def test_parameter_must_name_a_known_provision(data_copy):
    _edit(data_copy / "parameters.csv", 0, provision_id="us-99-1")
    with pytest.raises(LawDataError, match="parameters.csv: row 2: field 'provision_id': 'us-99-1' is not a provision id"):
        load_law(data_copy)


def test_missing_file_is_named(data_copy):
    (data_copy / "contacts.csv").unlink()
    with pytest.raises(LawDataError, match="contacts.csv: cannot be read"):
        load_law(data_copy)


def test_every_problem_is_reported_at_once(data_copy):
    _edit(data_copy / "provisions.csv", 0, citation="", confidence="sure")
    with pytest.raises(LawDataError) as err:
        load_law(data_copy)
    assert len(str(err.value).splitlines()) == 2


def test_law_before_the_model_is_refused():
    with pytest.raises(ValueError, match="law before 2010-10-01 is not modelled"):
        load_law().on(date(2010, 9, 30))


def test_exactly_one_version_of_each_provision_tier_in_force_on_any_date():
    law = load_law()
    keys = {(p.id, p.tier) for p in law.provisions}
    boundaries = sorted({p.effective_from for p in law.provisions} | {p.effective_to for p in law.provisions if p.effective_to})
    for day in boundaries:
        on = law.on(day)
        for pid, tier in keys:
            in_force = [p for p in law.versions(pid) if p.tier == tier and p.in_force(day)]
            assert len(in_force) <= 1
            assert on.provision(pid, tier) == (in_force[0] if in_force else None)


def test_table_reads_with_pandas_types():
    frame = load_law().table("provisions")
    assert str(frame["effective_from"].dtype).startswith("datetime64")
    assert frame.loc[frame["id"] == "ct-53a-86", "min_months"].dropna().tolist() == [9]
    assert frame["life"].dtype == bool
    with pytest.raises(ValueError, match="table must be one of provisions, penalty_classes, parameters"):
        load_law().table("statutes")


def test_brochure_and_statute_both_recorded_where_they_differ():
    law = load_law()
    coercion = law.versions("ct-53a-192")[0]
    assert "class A felony" in coercion.brochure_says
    assert coercion.classification == "class A misdemeanor"
    assert "wrong" in coercion.brochure_differs


def _first_row(path, **match):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    return next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items()))


def test_every_row_of_every_law_table_rests_on_known_sources():
    law = load_law()
    rows = [*law.provisions, *law.penalty_classes, *law.parameters, *law.contacts.values()]
    assert rows and all(row.sources for row in rows)
    assert all(s.id in law.sources for row in rows for s in row.sources)


def test_high_rows_rest_on_an_official_source():
    law = load_law()
    legal = [*law.provisions, *law.penalty_classes, *law.parameters]
    for row in legal:
        if row.confidence == "high":
            assert any(s.official for s in row.sources), row
    for contact in law.contacts.values():
        if contact.confidence == "high":
            assert any(s.official or s.kind == "agency" for s in contact.sources), contact


def test_a_high_row_citing_only_secondary_sources_is_refused(data_copy):
    rows = list(csv.DictReader(open(data_copy / "sources.csv", encoding="utf-8")))
    secondary = next(r["id"] for r in rows if r["kind"] == "secondary")
    index = _first_row(data_copy / "provisions.csv", confidence="high")
    _edit(data_copy / "provisions.csv", index, sources=secondary)
    with pytest.raises(LawDataError, match=r"field 'confidence': 'high' needs an official source .* cites only secondary"):
        load_law(data_copy)


def test_a_high_contact_may_rest_on_the_agency_page_but_not_on_the_brochure(data_copy):
    rows = list(csv.DictReader(open(data_copy / "sources.csv", encoding="utf-8")))
    agency = next(r["id"] for r in rows if r["kind"] == "agency")
    brochure = next(r["id"] for r in rows if r["kind"] == "brochure")
    _edit(data_copy / "contacts.csv", 0, sources=agency, confidence="high")
    load_law(data_copy)
    load_law.cache_clear()
    _edit(data_copy / "contacts.csv", 0, sources=brochure, confidence="high")
    with pytest.raises(LawDataError, match=r"contacts.csv: row 2: field 'confidence': 'high' needs an official source"):
        load_law(data_copy)


@pytest.mark.parametrize("field, value, expected", [
    ("kind", "blog", "row 2: field 'kind': 'blog' is not one of statute, act"),
    ("quote", "", "row 2: field 'quote' is required"),
    ("retrieved", "yesterday", "row 2: field 'retrieved': 'yesterday' is not a date"),
])
def test_bad_source_row_is_named(data_copy, field, value, expected):
    _edit(data_copy / "sources.csv", 0, **{field: value})
    with pytest.raises(LawDataError) as err:
        load_law(data_copy)
    assert "sources.csv: " + expected in str(err.value)


def test_a_penal_classification_needs_a_class_row_on_every_day(data_copy):
    index = _first_row(data_copy / "penalty_classes.csv", classification="class C felony")
    _edit(data_copy / "penalty_classes.csv", index, effective_from="2014-01-01")
    with pytest.raises(LawDataError, match=r"no 'class C felony' row of penalty_classes.csv is in force on"):
        load_law(data_copy)
    load_law.cache_clear()
    index = _first_row(data_copy / "provisions.csv", classification="class A felony")
    _edit(data_copy / "provisions.csv", index, classification="class Z felony")
    with pytest.raises(LawDataError, match=r"'class Z felony' is not in penalty_classes.csv"):
        load_law(data_copy)


def test_a_term_is_given_in_months_or_in_days_not_both(data_copy):
    index = _first_row(data_copy / "penalty_classes.csv", classification="class A misdemeanor")
    _edit(data_copy / "penalty_classes.csv", index, max_months="12", max_days="364")
    with pytest.raises(LawDataError, match="field 'max_days': give the maximum in months or in days, not both"):
        load_law(data_copy)


def test_penalty_takes_the_sections_own_figures_and_the_class_for_the_rest():
    law = load_law()
    promoting = law.on(date(2026, 11, 28)).provision("ct-53a-86", "minor")
    pen = law.on(date(2026, 11, 28)).penalty(promoting)
    cls = law.on(date(2026, 11, 28)).penalty_class("class B felony")
    assert pen.mandatory_minimum_months == promoting.min_months == 9
    assert (pen.maximum_months, pen.fine_max_usd) == (cls.max_months, cls.fine_max_usd)
    federal = law.on(date(2026, 11, 28)).provision("us-18-1591-d")
    fed = law.on(date(2026, 11, 28)).penalty(federal)
    assert fed.maximum_months == federal.max_months
    assert fed.fine_max_usd == law.on(date(2026, 11, 28)).penalty_class("federal felony").fine_max_usd


def test_every_source_read_is_cited_by_some_row():
    law = load_law()
    rows = [*law.provisions, *law.penalty_classes, *law.parameters, *law.contacts.values()]
    cited = {s.id for row in rows for s in row.sources}
    assert set(law.sources) == cited


def _copy_data(tmp_path):
    import shutil
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def _edit_row(path, row_id, **changes):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    for r in rows:
        if r.get("id", r.get("name")) == row_id:
            r.update(changes)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_loading_refuses_a_source_read_after_the_review_date(tmp_path):
    folder = _copy_data(tmp_path)
    review = load_law().presets["current"]
    later = date.fromordinal(review.toordinal() + 1).isoformat()
    _edit_row(folder / "sources.csv", "dmst-brochure", retrieved=later)
    with pytest.raises(LawDataError, match=r"dmst-brochure: field 'retrieved': .* is after the review date"):
        load_law(folder)


def test_no_source_is_read_after_the_review_date():
    law = load_law()
    assert max(s.retrieved for s in law.sources.values()) <= law.presets["current"]


def test_a_contact_is_never_more_confirmed_than_its_duty(tmp_path):
    law = load_law()
    notice = law.contacts["dcf_arrest_notice"]
    assert notice.duty == "ct-pa-11-180" and notice.confidence == "verify" and not notice.confirmed
    folder = _copy_data(tmp_path)
    _edit_row(folder / "contacts.csv", "dcf_arrest_notice", confidence="high")
    with pytest.raises(LawDataError, match=r"dcf_arrest_notice: field 'confidence': 'high' is more confirmed than the duty"):
        load_law(folder)
    _edit_row(folder / "contacts.csv", "dcf_arrest_notice", confidence="verify", duty="no-such-provision")
    with pytest.raises(LawDataError, match=r"field 'duty': 'no-such-provision' is not a provision id"):
        load_law(folder)


def test_one_provision_id_is_one_section(tmp_path):
    folder = _copy_data(tmp_path)
    rows = list(csv.DictReader(open(folder / "provisions.csv", encoding="utf-8")))
    first = next(i for i, r in enumerate(rows) if r["id"] == "ct-53a-83b")
    rows[first]["citation"] = "Conn. Gen. Stat. § 53a-83c"
    with open(folder / "provisions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(LawDataError, match=r"ct-53a-83b: field 'citation': its versions cite different sections"):
        load_law(folder)


@pytest.mark.parametrize("citations,heading", [
    (["18 U.S.C. § 1591(a), (b)(1)", "18 U.S.C. § 1591(a), (b)(2)"], "18 U.S.C. § 1591"),
    (["Conn. Gen. Stat. § 53a-192a", "Conn. Gen. Stat. § 53a-192a(a)(3)"], "Conn. Gen. Stat. § 53a-192a"),
    (["Conn. Gen. Stat. §§ 53a-83, 53a-83a", "Conn. Gen. Stat. § 53a-83"], "Conn. Gen. Stat. § 53a-83"),
    (["Conn. Gen. Stat. § 53a-83b", "Conn. Gen. Stat. § 53a-83b(c)"], "Conn. Gen. Stat. § 53a-83b"),
    (["18 U.S.C. § 1591(d)"], "18 U.S.C. § 1591(d)"),
    (["Conn. Gen. Stat. §§ 17a-101a to 17a-101c; § 46b-120", "Conn. Gen. Stat. §§ 17a-101a to 17a-101c, 17a-101o; § 46b-120"],
     "Conn. Gen. Stat. §§ 17a-101a to 17a-101c"),
])
def test_section_citation(citations, heading):
    from dmst.law import section_citation
    assert section_citation(citations) == heading


def test_jury_instructions_are_official_and_raise_rows_they_fully_support():
    law = load_law()
    assert law.sources["ctjud-ji-6-12-2"].official
    v2013 = next(v for v in law.versions("ct-53a-192a") if v.effective_from == date(2013, 10, 1))
    assert v2013.confidence == "high" and "ctjud-ji-6-12-2" in {s.id for s in v2013.sources}
    coercion = law.versions("ct-53a-192")[0]
    assert coercion.confidence == "medium" and "ctjud-ji-6-12-1" in {s.id for s in coercion.sources}


def test_the_2013_wording_of_53a_192a_is_confirmed_only_until_pa_16_71():
    """P.A. 16-71, § 12 amended § 53a-192a from 1 Oct 2016 and its text was not read: no `high`
    version of the section (any tier) may be in force across that day."""
    law = load_law()
    across = [v for v in law.versions("ct-53a-192a") if v.in_force(date(2016, 9, 30)) and v.in_force(date(2016, 10, 1))]
    assert across == []
    after = [v for v in law.versions("ct-53a-192a") if v.effective_from == date(2016, 10, 1)]
    assert {v.tier for v in after} == {"", "minor"} and all(v.confidence != "high" for v in after)


def test_the_penalty_for_not_reporting_has_a_version_on_every_day():
    """Module 05 shows, for each version of the reporting duty, the penalty in force while it was:
    the penalty's versions run without a gap from the start of the model, and are still in force."""
    law = load_law()
    penalties = law.versions("ct-17a-101b-penalty")
    assert penalties[0].effective_from == law.model_start and penalties[-1].effective_to is None
    for before, after in zip(penalties, penalties[1:]):
        assert after.effective_from == before.effective_to + timedelta(days=1)
