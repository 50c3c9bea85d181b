"""The checks that exercise notebooks call: print a tick, or raise a plain-language
`AssertionError` that says what to do next and gives a hint.

A *visible* check sits in the learner's notebook, so it must not reveal the answer: it
compares a salted hash of the learner's answer with a stored hash (`check`), or only the
form of the answer (`check_form`). The *hidden* tests (in solutions/ only) compare with
the value `dmst.classify` or the law data gives (`check_value`), so an exercise stays
right when the law data changes and a stale visible hash is caught by the tests.

Answers are compared forgivingly (`normalise`): case, spaces, hyphens and underscores in
text do not matter ("presumed coerced" == "presumed_coerced"), "yes"/"no" count as
True/False, "120" counts as 120, and the order of a list does not matter.
"""
from __future__ import annotations

import hashlib
import re

_YES = {"true", "yes"}
_NO = {"false", "no"}
FORMS = {
    "yes_no": "True or False",
    "number": "a whole number",
    "list": 'a list in square brackets, for example ["a", "b"]',
    "text": 'a word or phrase in quotes, for example "adult"',
}


def normalise(value):
    """The comparable form of an answer (see the module docstring)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted((normalise(v) for v in value), key=repr))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    if re.fullmatch(r"[0-9]+", text):
        return int(text)
    return re.sub(r"[^0-9a-z]", "", text)


def same_answer(a, b) -> bool:
    """Do two answers agree once normalised? (By repr, so True is not 1.)"""
    return repr(normalise(a)) == repr(normalise(b))


def answer_hash(question: str, value) -> str:
    """The hash a visible check stores for `value` as the answer to `question`."""
    return hashlib.sha256(f"{question}:{normalise(value)!r}".encode()).hexdigest()[:16]


def check(question: str, answer, expected_hash: str, hint: str) -> None:
    """Visible check: is `answer` right? Compares hashes, so the answer is not shown."""
    __tracebackhide__ = True
    _need_answer(question, answer, hint)
    if answer_hash(question, answer) != expected_hash:
        raise AssertionError(f"✘ {question} is not right yet. Hint: {hint}")
    print(f"✔ {question} is right.")


def check_form(question: str, answer, form: str, hint: str) -> None:
    """Visible check of the form only (True/False, number, list, text); the answer itself is
    scored by a hidden test when the exercise is graded."""
    __tracebackhide__ = True
    _need_answer(question, answer, hint)
    if not _has_form(answer, form):
        raise AssertionError(f"✘ {question} should be {FORMS[form]}. Hint: {hint}")
    print(f"✔ {question} has the right form ({FORMS[form]}). It is scored when you hand the exercise in.")


def check_value(question: str, answer, expected, hint: str) -> None:
    """Hidden test: compare with the value computed from `dmst.classify` or the law data."""
    __tracebackhide__ = True
    _need_answer(question, answer, hint)
    if not same_answer(answer, expected):
        raise AssertionError(f"✘ {question} is not right. Hint: {hint}")
    print(f"✔ {question} is right.")


def actor_provision(assessment, actor: str, provision_id: str):
    """The ActorProvision for `provision_id` that may apply to `actor`, or None."""
    for result in assessment.actors:
        if result.name == actor:
            return next((p for p in result.provisions if p.id == provision_id), None)
    raise KeyError(f"no actor named {actor!r} in this assessment")


def provision_ids(assessment, actor: str) -> list[str]:
    """Ids of every provision that may apply to `actor`."""
    for result in assessment.actors:
        if result.name == actor:
            return [p.id for p in result.provisions]
    raise KeyError(f"no actor named {actor!r} in this assessment")


def _need_answer(question: str, answer, hint: str) -> None:
    __tracebackhide__ = True
    if answer is None or answer is Ellipsis:
        raise AssertionError(f"✘ {question} has no answer yet. Replace None with your answer, run that "
                             f"cell, then run this check again. Hint: {hint}")


def _has_form(answer, form: str) -> bool:
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}; got {form!r}")
    value = normalise(answer)
    return {"yes_no": isinstance(value, bool),
            "number": isinstance(value, int) and not isinstance(value, bool),
            "list": isinstance(answer, (list, tuple, set)),
            "text": isinstance(answer, str) and bool(value)}[form]
