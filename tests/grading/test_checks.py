"""The check helpers exercise notebooks call: friendly messages, forms, and answers in the
words the course shows (read from the law data) as well as the old internal ids."""
import re

import pytest

from dmst import load_law
from dmst.grading import checks
from dmst.grading.checks import Unreadable, answer_hash, normalise, same_answer

PYTHON_WORDS = re.compile(r"Traceback|Error\b|NameError|AssertionError|\.py\b|File \"|q\d\b|None\b(?! with)")


def run(call: str, **answers):
    """Run a check call as a notebook cell would (answers are the notebook's variables); (stdout, stderr)."""
    import contextlib
    import io
    out, err = io.StringIO(), io.StringIO()
    namespace = {"check": checks.check, "check_form": checks.check_form, "check_value": checks.check_value, **answers}
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        exec(call, namespace)
    message = err.getvalue()
    assert all(len(line) <= checks.WIDTH for line in message.splitlines() if " " in line), message
    return out.getvalue(), " ".join(message.split()) + ("\n" if message else "")   # lines rejoined


def test_a_right_answer_gets_a_tick_and_nothing_on_stderr():
    out, err = run(f'check("q1", "text", "{answer_hash("q1", "labor")}", hint="What is Hu made to do?")', q1="Labor")
    assert out == "✔ Question 1 is right.\n" and err == ""


@pytest.mark.parametrize("answers, words", [
    ({"q1": "sex"}, "Question 1 is not right yet."),
    ({}, "Question 1 has no answer yet. If its answer cell shows an error, your answer has lost its quotes"),
    ({"q1": None}, "Question 1 has no answer yet: in its answer cell, type your answer between the two quotes"),
    ({"q1": ""}, "Question 1 has no answer yet: in its answer cell, type your answer between the two quotes"),
    ({"q1": "  "}, "Question 1 has no answer yet"),
    ({"q1": 12}, "Question 1 needs words, typed between the quotes"),
    ({"q1": Unreadable("it is a function or a type, not a value")}, "could not read your answer to Question 1"),
])
def test_a_wrong_or_missing_answer_gets_a_short_friendly_message(answers, words):
    out, err = run(f'check("q1", "text", "{answer_hash("q1", "labor")}", hint="What is Hu made to do?", '
                   'see="Module 05, section 1")', **answers)
    assert out == ""
    assert err.startswith("✘ ") and words in err
    assert "Hint: What is Hu made to do?" in err and "Where to look: Module 05, section 1" in err
    assert not PYTHON_WORDS.search(err), err


def test_a_check_works_when_the_setup_cell_was_skipped():
    """A check cell imports what it needs, and an answer cell that was not run is "no answer yet"."""
    source = 'from dmst.grading.checks import check_form\ncheck_form("q3", "yes_no", hint="h")'
    out, err = run(source)
    assert "Question 3 has no answer yet" in err and out == ""
    out, err = run(source, q3="yes")
    assert out.startswith("✎ Question 3: your answer is saved") and "checked when your exercise is graded" in out
    assert err == ""


@pytest.mark.parametrize("form, answer, problem", [
    ("yes_no", "maybe", "Question 1 needs True or False"),
    ("number", "ten", "needs a whole number"),
    ("date", "1 Octobre", "is not a date written as the course writes dates (1 Oct 2016)"),
    ("date", "2016-02-30", "is not a date"),
    ("standing", "guilty", "is not one of the options"),
    ("standing", "D", "is not one of the options"),
    ("contact", "the police chief", "is not a contact in the table"),
    ("contacts", ["DCF Careline", "my manager"], "“my manager” is not a contact in the table"),
    ("contacts", [], "needs contacts' short names"),
    ("contacts", "DCF Careline, the principal", "“the principal” is not a contact in the table"),
    ("provisions", ["§ 53a-83b", "§ 9999"], "“§ 9999” is not a statute the course covers"),
])
def test_the_form_is_checked_and_named_in_words(form, answer, problem):
    _, err = run(f'check_form("q1", "{form}", hint="h")', q1=answer)
    assert problem in err


def test_an_unknown_form_is_an_error_for_the_author():
    with pytest.raises(ValueError, match="form must be one of"):
        run('check_form("q1", "colour", hint="h")', q1="red")


@pytest.mark.parametrize("words, old_id", [
    ("presumed coerced", "presumed_coerced"), ("Presumed  Coerced", "presumed_coerced"),
    ("cannot be prosecuted", "not_prosecutable"), ("treated as an adult", "adult"),
    ("DCF Careline", "dcf_careline"), ("Connecticut DCF Careline", "dcf_careline"), ("dcf careline", "dcf_careline"),
    ("FBI", "fbi"), ("U.S. Attorney's Office", "us_attorney"), ("Emergency services", "emergency_911"),
    ("18 U.S.C. § 1591", "us-18-1591"), ("18 USC 1591", "us-18-1591"), ("§ 1591", "us-18-1591"),
    ("§ 1591(d)", "us-18-1591-d"), ("§ 53a-83b", "ct-53a-83b"), ("53a-83b", "ct-53a-83b"),
    ("CGS 53a-83b", "ct-53a-83b"), ("Conn. Gen. Stat. § 53a-83b", "ct-53a-83b"), ("§ 53a-83a", "ct-53a-83"),
])
def test_the_words_the_course_shows_stand_for_its_ids(words, old_id):
    assert same_answer(words, old_id)
    assert answer_hash("q1", words) == answer_hash("q1", old_id)


def test_an_answer_that_scored_before_still_scores():
    """Hashes of the old ids are unchanged, so visible checks written for them still pass."""
    assert answer_hash("q6", ["dcf_careline", "fbi", "us_attorney"]) == "a6ee46fe413431a7"
    assert answer_hash("q3", "presumed_coerced") == "06319f478a22fe96"
    assert same_answer(["us-18-1591", "ct-53a-83", "ct-53a-83b", "ct-54-36p"],
                       ["18 U.S.C. § 1591", "§ 53a-83", "§ 53a-83b", "§ 54-36p"])


def test_names_and_citations_come_from_the_law_data():
    law = load_law()
    for contact in law.contacts.values():
        assert normalise(contact.name) == normalise(contact.id), contact.name
    for provision in law.provisions:
        if "§" in provision.citation:
            assert normalise(provision.citation) == normalise(provision.id), provision.citation


def test_other_answers_are_compared_forgivingly():
    assert normalise(["fbi", "DCF_careline"]) == normalise(("dcf_careline", "fbi"))
    assert normalise("yes") is True and normalise("No") is False and normalise("120") == 120 == normalise(120.0)
    assert not same_answer(True, 1) and same_answer("True", True)
    assert same_answer("DCF Careline", ["dcf_careline"])            # one name where a list is asked for
    assert not same_answer("§ 1591", "us-18-1591-d") and not same_answer("1591", "us-18-1591")
    assert answer_hash("q1", 120) != answer_hash("q2", 120)


def test_a_hidden_test_compares_with_the_expected_value():
    out, err = run('check_value("q4", 120, hint="h")', q4=9)
    assert "✘ Question 4 is not right." in err and out == ""
    out, err = run('check_value("q5", True, hint="h")', q5=1)
    assert "not right" in err
    out, err = run('check_value("q6", ["dcf_careline", "fbi"], hint="h")', q6=["FBI", "DCF Careline"])
    assert out == "✔ Question 6 is right.\n" and err == ""


def test_an_answer_that_breaks_when_read_gets_a_message_not_a_traceback():
    class Broken:
        def __str__(self):
            raise RuntimeError("boom")
    out, err = run('check_value("q1", "labor", hint="h")', q1=Broken())
    assert "could not read your answer to Question 1" in err and out == ""


def test_a_form_only_check_never_shows_a_tick():
    """✔ means right: a check that can see only the form says the answer is saved, for a right
    answer and a wrong one alike."""
    for answer in ("cannot be prosecuted", "treated as an adult", "A", "c"):
        out, err = run('check_form("q4", "standing", hint="h")', q4=answer)
        assert "✔" not in out and out.startswith("✎ Question 4: your answer is saved") and err == ""


@pytest.mark.parametrize("typed", ["1 Oct 2016", "October 1, 2016", "2016-10-01", "1 October 2016", "Oct. 1, 2016",
                                   "10/1/2016", " 1st October 2016 "])
def test_a_date_in_any_of_the_course_s_forms_is_the_same_date(typed):
    expected = "2016-10-01"
    out, err = run(f'check("q2", "date", "{answer_hash("q2", expected)}", hint="h")', q2=typed)
    assert out == "✔ Question 2 is right.\n" and err == ""
    out, err = run(f'check_value("q2", "{expected}", hint="h", form="date")', q2=typed)
    assert out == "✔ Question 2 is right.\n" and err == ""


@pytest.mark.parametrize("typed", ["DCF Careline, FBI, U.S. Attorney", "fbi, dcf careline and u.s. attorney",
                                   "U.S. Attorney's Office; Connecticut DCF Careline; FBI New Haven field office",
                                   "DCF Careline\nFBI\nU.S. Attorney", ["DCF Careline", "FBI, U.S. Attorney"],
                                   "DCF Careline, FBI, U.S. Attorney, "])
def test_several_contacts_are_words_separated_by_commas_with_short_names(typed):
    expected = ["dcf_careline", "fbi", "us_attorney"]
    for call in (f'check("q6", "contacts", "{answer_hash("q6", expected)}", hint="h")',
                 f'check_value("q6", {expected!r}, hint="h", form="contacts")'):
        out, err = run(call, q6=typed)
        assert out == "✔ Question 6 is right.\n" and err == "", (call, err)
    _, err = run(f'check("q6", "contacts", "{answer_hash("q6", expected)}", hint="h")', q6="DCF Careline, FBI")
    assert "not right yet" in err


def test_a_letter_stands_for_its_option():
    assert checks.STANDING_CHOICES == {"A": "cannot be prosecuted", "B": "presumed coerced", "C": "treated as an adult"}
    for typed in ("B", "b", "B.", "presumed coerced", "Presumed to have been coerced"):
        out, err = run(f'check("q3", "standing", "{answer_hash("q3", "presumed_coerced")}", hint="h")', q3=typed)
        assert out == "✔ Question 3 is right.\n", typed
        out, err = run('check_value("q3", "presumed_coerced", hint="h", form="standing")', q3=typed)
        assert out == "✔ Question 3 is right.\n", typed
    _, err = run(f'check("q3", "standing", "{answer_hash("q3", "presumed_coerced")}", hint="h")', q3="A")
    assert "not right yet" in err


@pytest.mark.parametrize("typed, value", [("180", 180), (" 1,000 ", 1000), ("True", True), ("yes", True), ("false", False)])
def test_numbers_and_true_or_false_typed_between_quotes_count(typed, value):
    assert normalise(typed) == value
    form = "number" if isinstance(value, int) and not isinstance(value, bool) else "yes_no"
    out, _ = run(f'check("q1", "{form}", "{answer_hash("q1", value)}", hint="h")', q1=typed)
    assert out == "✔ Question 1 is right.\n"


def test_a_statute_list_may_be_typed_with_commas():
    expected = ["us-18-1591", "ct-53a-83", "ct-53a-83b", "ct-54-36p"]
    for typed in ("18 U.S.C. § 1591, § 53a-83, § 53a-83b, § 54-36p", "54-36p, 53a-83b and 53a-83, § 1591"):
        out, err = run(f'check_value("q3", {expected!r}, hint="h", form="provisions")', q3=typed)
        assert out == "✔ Question 3 is right.\n", (typed, err)


def test_a_confirmed_phone_number_stands_for_its_contact_unless_two_share_it():
    assert normalise(checks.as_form("911, FBI", "contacts")) == normalise(["emergency_911", "fbi"])
    contacts = load_law().contacts.values()
    holders = {}
    for c in contacts:
        if c.phone:
            holders.setdefault(c.phone, []).append(c)
    for phone, found in holders.items():
        confirmed = [c.id for c in found if c.confirmed]
        # a number stands for a contact only when exactly one confirmed contact has it
        expected = confirmed[0] if len(confirmed) == 1 else phone
        assert checks.as_form(phone, "contact") == expected, (phone, [c.id for c in found])
    assert any(not c.confirmed and c.phone for c in contacts)  # an unconfirmed number is in the data, and stays as typed
