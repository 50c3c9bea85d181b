"""Loading and validating the law tables: every rule of the data is enforced with a clear message."""
import csv
import shutil
from datetime import date

import pytest

from dmst.law import DATA_DIR, LawDataError, load_law


@pytest.fixture
def data_copy(tmp_path):
    for name in ("provisions", "parameters", "contacts", "glossary", "presets"):
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
    ("source", "", "row 2: field 'source' is required"),
    ("confidence", "maybe", "row 2: field 'confidence': 'maybe' is not one of high, medium, verify"),
    ("confidence", "", "row 2: field 'confidence' is required; allowed: high, medium, verify"),
    ("effective_from", "", "row 2: field 'effective_from' is required"),
    ("effective_from", "2010-13-01", "row 2: field 'effective_from': '2010-13-01' is not a date"),
    ("jurisdiction", "NY", "row 2: field 'jurisdiction': 'NY' is not one of US, CT"),
    ("max_months", "ten", "row 2: field 'max_months': 'ten' is not a whole number"),
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
    with pytest.raises(ValueError, match="table must be one of provisions, parameters"):
        load_law().table("statutes")


def test_brochure_and_statute_both_recorded_where_they_differ():
    law = load_law()
    coercion = law.versions("ct-53a-192")[0]
    assert "class A felony" in coercion.brochure_says
    assert coercion.classification == "class A misdemeanor"
    assert "wrong" in coercion.brochure_differs
