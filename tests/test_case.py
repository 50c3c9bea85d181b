"""The input contract: every bad field is named with its allowed values, all at once."""
import pytest

from dmst import Case, CaseError
from dmst.case import CONDUCT, PURPOSES, STATUSES

GOOD = {"age": 15, "purpose": "prostitution"}


def problems(data):
    with pytest.raises(CaseError) as err:
        Case.from_dict(data)
    return [str(p) for p in err.value.problems]


def test_defaults():
    case = Case.from_dict(GOOD)
    assert (case.status, case.anything_of_value, case.force_fraud_or_coercion, case.crossed_state_lines,
            case.arrested_for_prostitution, case.actors, case.id) == ("unknown", False, False, False, False, (), None)


def test_round_trip_through_dict():
    data = {"id": "c1", "age": 16, "status": "citizen", "purpose": "labor", "anything_of_value": True,
            "force_fraud_or_coercion": True, "crossed_state_lines": False, "arrested_for_prostitution": False,
            "actors": [{"name": "A", "conduct": ["recruited", "coerced"]}]}
    assert Case.from_dict(data).to_dict() == data


@pytest.mark.parametrize("data, expected", [
    ({"purpose": "labor"}, "case: field 'age': is required: a whole number from 0 to 120"),
    ({"age": 121, "purpose": "labor"}, "case: field 'age': must be a whole number from 0 to 120; got 121"),
    ({"age": -1, "purpose": "labor"}, "field 'age': must be a whole number from 0 to 120; got -1"),
    ({"age": "15", "purpose": "labor"}, "field 'age': must be a whole number from 0 to 120; got '15'"),
    ({"age": 15.5, "purpose": "labor"}, "got 15.5"),
    ({"age": True, "purpose": "labor"}, "got True"),
    ({"age": 15}, "field 'purpose': is required: one of " + ", ".join(PURPOSES)),
    ({"age": 15, "purpose": "sex"}, "field 'purpose': must be one of " + ", ".join(PURPOSES) + "; got 'sex'"),
    ({**GOOD, "status": "alien"}, "field 'status': must be one of " + ", ".join(STATUSES) + "; got 'alien'"),
    ({**GOOD, "anything_of_value": "yes"}, "field 'anything_of_value': must be true or false; got 'yes'"),
    ({**GOOD, "crossed_state_lines": 1}, "field 'crossed_state_lines': must be true or false; got 1"),
    ({**GOOD, "colour": "red"}, "field 'colour': unknown field; allowed fields: id, age, status, purpose"),
    ({**GOOD, "id": 7}, "field 'id': must be a string; got 7"),
    ({**GOOD, "actors": "Rex"}, "field 'actors': must be a list of objects with fields name, conduct; got 'Rex'"),
    ({**GOOD, "actors": [{"conduct": []}]}, "field 'actors[0].name': is required: a non-empty string; got None"),
    ({**GOOD, "actors": [{"name": "R", "conduct": ["bribed"]}]}, "field 'actors[0].conduct': 'bribed' is not one of " + ", ".join(CONDUCT)),
    ({**GOOD, "actors": [{"name": "R", "role": "x"}]}, "field 'actors[0].role': unknown field; allowed fields: name, conduct"),
    ({**GOOD, "actors": [{"name": "R"}, {"name": "R"}]}, "field 'actors[1].name': 'R' is used by another actor"),
    ({**GOOD, "actors": [{"name": "R", "conduct": "recruited"}]}, "field 'actors[0].conduct': must be a list of"),
    ([1, 2], "case: field '(case)': must be a JSON object"),
])
def test_bad_field_is_named_with_allowed_values(data, expected):
    assert any(expected in line for line in problems(data)), problems(data)


def test_the_case_id_names_the_case():
    assert problems({"id": "maya", "age": 200, "purpose": "labor"})[0].startswith("case (id 'maya'): field 'age'")


def test_all_problems_at_once():
    assert len(problems({"age": "x", "purpose": "y", "status": "z", "extra": 1})) == 4


def test_conduct_that_is_not_a_word_is_named_not_a_crash():
    with pytest.raises(CaseError) as err:
        Case.from_dict({"age": 15, "purpose": "none", "actors": [{"name": "A", "conduct": [["x"], {"a": 1}, "recruited"]}]})
    assert [p.field for p in err.value.problems] == ["actors[0].conduct", "actors[0].conduct"]
