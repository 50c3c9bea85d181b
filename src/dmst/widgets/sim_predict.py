"""Predict, then reveal: the questions a learner answers before seeing a result, and the score.

Plain data and functions (no widgets), so tests and the simulator share them. The right
answer to each question is read from the Assessment that `classify` returned; nothing
here decides a legal question. Option lists come from the data (contacts, provisions).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from datetime import date

from ..assessment import Assessment
from ..law import Law
from ..render import ALWAYS_CONTACTS, law_of


# The answer to the prostitution-statute question when the case is not about prostitution
# (the assessment's null), kept apart from None, which means "not answered".
NOT_IN_QUESTION = "not_in_question"


@dataclass(frozen=True)
class Question:
    """One question: its key, its wording, its options as (label, value), and how to read
    the right answer from an Assessment. `many=True` means several options may be ticked."""
    key: str
    text: str
    options: tuple[tuple[str, object], ...]
    answer: Callable[[Assessment], object]
    many: bool = False


@dataclass(frozen=True)
class Mark:
    """The learner's answer to one question next to the result, in words."""
    question: str
    given: str
    expected: str
    correct: bool


def questions(law: Law) -> tuple[Question, ...]:
    """The questions, with contact and statute options drawn from the data."""
    contacts = tuple((c.name, cid) for cid, c in law.contacts.items() if cid not in ALWAYS_CONTACTS)
    statutes = tuple((f"{law.versions(pid)[-1].citation}: {law.versions(pid)[-1].title}", pid)
                     for pid in law.ids if _charges(law, pid))
    yes_no = (("Yes", True), ("No", False))
    return (
        Question("victim", "Is the young person a victim of trafficking?", yes_no, lambda a: a.trafficking_victim),
        Question("type", "What kind of trafficking?",
                 (("Sex trafficking", "sex"), ("Labor trafficking", "labor"), ("Neither", "none")),
                 lambda a: a.trafficking_type or "none"),
        Question("means", "Must force, fraud or coercion be proven?", yes_no,
                 lambda a: a.force_fraud_coercion_required),
        Question("standing", "Under Connecticut's prostitution statute, the young person…",
                 (("cannot be prosecuted for prostitution", "not_prosecutable"),
                  ("is presumed to have been coerced", "presumed_coerced"),
                  ("is treated as an adult", "adult"),
                  ("(not in question: the case is not about prostitution)", NOT_IN_QUESTION)),
                 lambda a: a.ct_prostitution or NOT_IN_QUESTION),
        Question("contacts", "Whom should be contacted? (tick all that apply)", contacts,
                 lambda a: frozenset(a.notify), many=True),
        Question("statutes", "Which provisions may apply to someone in the case? (tick all that apply)", statutes,
                 lambda a: frozenset(p.id for actor in a.actors for p in actor.provisions), many=True),
    )


def question_text(q: Question, day: date) -> str:
    """A question as the learner reads it, with the date of the law it is judged by:
    'Under the law of 28 Nov 2026: Is the young person a victim of trafficking?'."""
    return f"{law_of(day, start=True)}: {q.text}"


def _charges(law: Law, pid: str) -> bool:
    """A provision someone can be charged under: it reaches conduct and is not a definition."""
    versions = law.versions(pid)
    return any(v.reaches for v in versions) and all(v.classification != "definition" for v in versions)


def score(qs: tuple[Question, ...], answers: dict[str, object], assessment: Assessment) -> list[Mark]:
    """Compare each answer with the assessment; an unanswered question (None) is marked wrong.
    Each mark names the date of the law it was judged by."""
    marks = []
    for q in qs:
        expected = q.answer(assessment)
        given = answers.get(q.key)
        if q.many:
            given = frozenset(given or ())
        marks.append(Mark(question_text(q, assessment.as_of), _label(q, given), _label(q, expected), given == expected))
    return marks


def _label(q: Question, value: object) -> str:
    names = dict((v, label) for label, v in q.options)
    if q.many:
        chosen = [label for label, v in q.options if v in value]
        chosen += sorted(str(v) for v in value if v not in names)
        return "; ".join(chosen) or "none"
    return names.get(value, "no answer")
