"""Predict, then reveal: the questions a learner answers before seeing a result, and the score.

Plain data and functions (no widgets), so tests and the simulator share them. The right
answer to each question is read from the Assessment that `classify` returned; nothing
here decides a legal question. Option lists come from the data: the contacts, and the
provisions in force on the date of the law, labelled as the result labels them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

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


def provision_label(citation: str, title: str) -> str:
    """How a provision is offered and marked in predict mode: its citation and title exactly
    as the result and the person's table show them ('Conn. Gen. Stat. § 53a-192a(a)(2):
    Trafficking in persons'). Both come from the law data through the assessment."""
    return f"{citation}: {title}"


def statute_options(law: Law, day: date) -> tuple[tuple[str, str], ...]:
    """One option per tier in force on `day` of each provision someone can be charged under,
    labelled by its citation and title; tiers that read the same are one option. The value is
    the label itself, so the answer read from an assessment (`ActorProvision.citation`,
    `.title`) matches it exactly."""
    labels = [provision_label(v.citation, v.title) for v in law.provisions if v.in_force(day) and _charges(law, v.id)]
    return tuple((label, label) for label in dict.fromkeys(labels))


def _charges(law: Law, pid: str) -> bool:
    """A provision someone can be charged under: some version reaches conduct, none is a definition."""
    versions = law.versions(pid)
    return any(v.reaches for v in versions) and all(v.classification != "definition" for v in versions)


def questions(law: Law, day: date) -> tuple[Question, ...]:
    """The questions for the law of `day`, with contact and statute options drawn from the data."""
    contacts = tuple((c.name, cid) for cid, c in law.contacts.items() if cid not in ALWAYS_CONTACTS)
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
        Question("statutes", "Which provisions may apply to someone in the case? (tick all that apply)",
                 statute_options(law, day), provided, many=True),
    )


def provided(a: Assessment) -> frozenset:
    """The provisions that may apply to someone in the case, labelled as the result shows them."""
    return frozenset(provision_label(p.citation, p.title) for actor in a.actors for p in actor.provisions)


def answered(answers: dict[str, object]) -> bool:
    """Whether the learner predicted anything at all (a tick-all question counts when something is ticked)."""
    return any(v not in (None, frozenset(), set(), ()) for v in answers.values())


def question_text(q: Question, day: date) -> str:
    """A question as the learner reads it, with the date of the law it is judged by:
    'Under the law of 28 Nov 2026: Is the young person a victim of trafficking?'."""
    return f"{law_of(day, start=True)}: {q.text}"


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
