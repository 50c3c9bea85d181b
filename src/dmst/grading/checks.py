"""The checks that exercise notebooks call: print a tick, or a short, friendly message that says
what is wrong, gives the hint and says where in the course to look.

A failed check writes its message to stderr and raises nothing: a learner sees the message
(no traceback, file path or Python name), "Run All" goes on to the next question, and nbgrader
and `dmst grade` both score a test cell that wrote to stderr 0 (nbgrader's rule).

A check cell names its question (`check("q1", ...)`) and reads the answer from the notebook
itself, so a learner who has not run the answer cell gets "no answer yet", not a Python error;
and it imports what it needs, so it works even when the set-up cell was skipped.

A *visible* check sits in the learner's notebook, so it must not reveal the answer: it
compares a salted hash of the learner's answer with a stored hash (`check`), or only the
form of the answer (`check_form`). The *hidden* tests (in solutions/ only) compare with the
value `dmst.classify` or the law data gives (`check_value`), so an exercise stays right when
the law data changes, and a stale visible hash is caught by the tests.

Answers are compared forgivingly (`normalise`): case, spaces and punctuation in text do not
matter, "yes"/"no" count as True/False, "120" counts as 120, the order of a list does not
matter, and the words the course shows stand for its internal ids: a contact's name as the
contacts table shows it ("DCF Careline"), a statute as the course cites it ("18 U.S.C. §
1591", "§ 53a-83b", with or without the § sign) and the standing phrases ("presumed
coerced"). Names and citations are read from the law data, never typed here; the ids
themselves are still accepted, so an answer that scored before still scores.
"""
from __future__ import annotations

import hashlib
import re
import sys
import textwrap
from datetime import date
from functools import lru_cache

_YES = {"true", "yes"}
_NO = {"false", "no"}
# How Conn. Gen. Stat. § 53a-82 treats a young person (Assessment.ct_prostitution), in the words
# the course's modules and simulator use; the first phrase of each is the one questions ask for.
STANDING_WORDS = {
    "not_prosecutable": ("cannot be prosecuted", "cannot be prosecuted for prostitution", "can't be prosecuted",
                         "cannot be guilty", "cannot be guilty of prostitution", "not prosecutable"),
    "presumed_coerced": ("presumed coerced", "presumed to have been coerced", "is presumed to have been coerced"),
    "adult": ("treated as an adult", "adult"),
}
FORMS = {
    "yes_no": "True or False, without quotes",
    "number": "a whole number, for example 12",
    "text": 'words in quotes, for example "my answer"',
    "date": 'a date in quotes, written "YYYY-MM-DD"',
    "standing": "one of " + ", ".join(f'"{w[0]}"' for w in STANDING_WORDS.values()) + ", in quotes",
    "contact": "a contact's name as the contacts table shows it, in quotes",
    "contacts": ('contacts\' names as the contacts table shows them, each in quotes, inside square brackets, '
                 'for example ["first name", "second name"]'),
    "provisions": ('statutes as the course cites them, each in quotes, inside square brackets, '
                   'for example ["18 U.S.C. § 0000", "§ 00a-00"]'),
}
LISTS = ("contacts", "provisions")
WIDTH = 76              # characters per line of a message
_MISSING = object()


class _Failed(Exception):
    """Raised inside a check to stop it; the check prints the message to stderr."""


class Unreadable:
    """Stands for an answer the grader could not take out of a notebook as plain data."""

    def __init__(self, why: str):
        self.why = why

    def __repr__(self):
        return "<an answer the grader could not read>"


def question_label(question: str) -> str:
    """"q3" -> "Question 3"; other names are shown as they are, with a capital."""
    found = re.fullmatch(r"q(\d+)", question)
    return f"Question {found.group(1)}" if found else question[:1].upper() + question[1:].replace("_", " ")


# --- the checks a notebook calls ----------------------------------------------------------

def check(question: str, form: str, expected_hash: str, hint: str, see: str = "") -> None:
    """Visible check: is the answer to `question` right? Compares hashes, so the answer is not shown."""
    _known(form)
    frame = sys._getframe(1)

    def judge():
        answer = _answer(question, form, hint, see, frame)
        if answer_hash(question, _as_form(answer, form)) != expected_hash:
            _fail(f"{question_label(question)} is not right yet.", hint, see)
        return f"✔ {question_label(question)} is right."
    _report(question, judge, hint, see)


def check_form(question: str, form: str, hint: str, see: str = "") -> None:
    """Visible check of the form only; the answer itself is scored by a hidden test when graded."""
    _known(form)
    frame = sys._getframe(1)

    def judge():
        _answer(question, form, hint, see, frame)
        return (f"✔ {question_label(question)} is in the right form ({FORMS[form]}). "
                "It is scored when you hand the exercise in.")
    _report(question, judge, hint, see)


def check_value(question: str, expected, hint: str, see: str = "") -> None:
    """Hidden test: compare with the value computed from `dmst.classify` or the law data."""
    frame = sys._getframe(1)

    def judge():
        if not same_answer(_answer(question, None, hint, see, frame), expected):
            _fail(f"{question_label(question)} is not right.", hint, see)
        return f"✔ {question_label(question)} is right."
    _report(question, judge, hint, see)


def _report(question: str, judge, hint: str, see: str) -> None:
    """Print the tick `judge` returns, or its message on stderr."""
    try:
        print(judge())
    except _Failed as failed:
        _show(failed)
    except Exception:  # noqa: BLE001 - the learner's answer is an object that broke while being read
        try:
            _fail(f"The check could not read your answer to {question_label(question)}. Answers are numbers, "
                  "words in quotes, True or False, or lists of these.", hint, see)
        except _Failed as failed:
            _show(failed)


def _answer(question: str, form: str | None, hint: str, see: str, frame):
    """The learner's answer to `question`, read from the notebook (the caller's globals);
    stops with a friendly message if there is none or it is not in the right form."""
    label = question_label(question)
    answer = frame.f_globals.get(question, _MISSING)
    if answer is _MISSING:
        _fail(f"{label} has no answer yet: run its answer cell (click it, then press Shift+Enter), "
              "then run this check again.", hint, see)
    if answer is None or answer is Ellipsis:
        _fail(f"{label} has no answer yet: in its answer cell, replace None with your answer"
              f"{f' ({FORMS[form]})' if form else ''}, run that cell, then run this check again.", hint, see)
    if isinstance(answer, Unreadable):
        _fail(f"The grader could not read your answer to {label}: {answer.why}. "
              "Answers are numbers, words in quotes, True or False, or lists of these.", hint, see)
    problem = form and _form_problem(answer, form)
    if problem:
        _fail(f"{label} needs {FORMS[form]}. {problem}", hint, see)
    return answer


def _known(form: str) -> None:
    """A mistake in the exercise itself, which its author must see."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}; got {form!r}")


def _fail(what: str, hint: str, see: str) -> None:
    lines = [f"✘ {what}"]
    if hint:
        lines.append(f"Hint: {hint}")
    if see:
        lines.append(f"Where to look: {see}")
    # Jupyter shows this in a fixed-width box that breaks long lines mid-word: break them between words
    raise _Failed("\n".join(textwrap.fill(line, WIDTH, break_long_words=False) for line in lines))


def _show(failed: _Failed) -> None:
    sys.stdout.flush()
    print(str(failed), file=sys.stderr, flush=True)


def _form_problem(answer, form: str) -> str | None:
    """Why `answer` is not in `form`, in words; None if it is."""
    value = normalise(answer)
    if form == "yes_no":
        return None if isinstance(value, bool) else f"Your answer is {_describe(answer)}."
    if form == "number":
        return None if isinstance(value, int) and not isinstance(value, bool) else f"Your answer is {_describe(answer)}."
    if form in ("text", "date", "standing", "contact"):
        if not isinstance(answer, str) or not _clean(answer):
            return f"Your answer is {_describe(answer)}."
        if form == "date":
            try:
                date.fromisoformat(answer.strip())
            except ValueError:
                return f"{_quote(answer)} is not a date written YYYY-MM-DD."
        if form == "standing" and value not in _vocabulary().standing:
            return f"{_quote(answer)} is not one of those phrases."
        if form == "contact" and value not in _vocabulary().contacts:
            return f"{_quote(answer)} is not a contact in the table."
        return None
    items = _as_form(answer, form)
    if not isinstance(items, (list, tuple, set, frozenset)) or not items:
        return f"Your answer is {_describe(answer)}."
    known = _vocabulary().contacts if form == "contacts" else _vocabulary().provisions
    what = "a contact in the table" if form == "contacts" else "a statute the course covers"
    for item in items:
        if not isinstance(item, str):
            return f"One item is {_describe(item)}."
        if normalise(item) not in known:
            return f"{_quote(item)} is not {what}."
    return None


def _as_form(answer, form: str | None):
    """A single name where a list is asked for counts as a list of one."""
    return [answer] if form in LISTS and isinstance(answer, str) else answer


def _describe(value) -> str:
    if isinstance(value, bool):
        return "True or False"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"the words {_quote(value)}" if _clean(value) else "empty"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    if isinstance(value, dict):
        return "a dictionary"
    return "something other than a number, words, True/False or a list"


def _quote(text: str) -> str:
    text = " ".join(str(text).split())
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”"


# --- comparing answers ----------------------------------------------------------------------

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
    return _vocabulary().canonical(_clean(text))


def same_answer(a, b) -> bool:
    """Do two answers agree once normalised? (By repr, so True is not 1.) A single name given
    where the expected answer is a list counts as a list of one."""
    if isinstance(a, str) and isinstance(b, (list, tuple, set, frozenset)):
        a = [a]
    return repr(normalise(a)) == repr(normalise(b))


def answer_hash(question: str, value) -> str:
    """The hash a visible check stores for `value` as the answer to `question`."""
    return hashlib.sha256(f"{question}:{normalise(value)!r}".encode()).hexdigest()[:16]


def _clean(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).strip().casefold())


class _Vocabulary:
    """The words that stand for an id: cleaned alias -> cleaned id, read from the law data."""

    def __init__(self, aliases: dict[str, str], sections: frozenset, contacts: frozenset, provisions: frozenset,
                 standing: frozenset):
        self.aliases, self.sections = aliases, sections
        self.contacts, self.provisions, self.standing = contacts, provisions, standing

    def canonical(self, key: str) -> str:
        if key in self.aliases:
            return self.aliases[key]
        # "CGS 53a-83b", "USC 1591": letters before a section number (no digits) are forgiven
        found = re.fullmatch(r"[a-z]+(\d.*)", key)
        if found and found.group(1) in self.sections:
            return self.aliases[found.group(1)]
        return key


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    from .. import load_law

    law = load_law()
    claims: dict[str, set[str]] = {}

    def claim(text: str, some_id: str) -> None:
        if _clean(text):
            claims.setdefault(_clean(text), set()).add(some_id)

    for c in law.contacts.values():
        for form in _name_forms(c.name) | {c.id}:
            claim(form, c.id)
    section_keys = set()
    for p in law.provisions:
        forms, sections = _citation_forms(p.citation)
        section_keys.update(_clean(s) for s in sections)
        for form in forms | {p.id, p.title}:
            claim(form, p.id)
    for sid, words in STANDING_WORDS.items():
        for word in (sid, *words):
            claim(word, sid)
    aliases = {}
    for key, ids in claims.items():
        if len(ids) == 1:
            aliases[key] = _clean(next(iter(ids)))
        else:  # shared by a section and its subsection (us-18-1591, us-18-1591-d): the section's
            parents = [i for i in ids if all(j == i or j.startswith(i + "-") for j in ids)]
            if parents:
                aliases[key] = _clean(parents[0])
    ids = {"contacts": {_clean(c) for c in law.contacts}, "provisions": {_clean(p.id) for p in law.provisions},
           "standing": {_clean(s) for s in STANDING_WORDS}}
    for group in ids.values():
        aliases.update({i: i for i in group})
    return _Vocabulary(aliases, frozenset(k for k in section_keys if k in aliases),
                       frozenset(ids["contacts"]), frozenset(ids["provisions"]), frozenset(ids["standing"]))


def _name_forms(name: str) -> set[str]:
    """A contact's name, without its parenthesis, before its comma, its last two or more words
    ("Connecticut DCF Careline" -> "DCF Careline"), the part before "for" or "of" ("U.S.
    Attorney's Office for ..." -> "U.S. Attorney's Office") and a leading acronym ("FBI")."""
    base = re.sub(r"\s*\([^)]*\)", "", name).strip()
    core = base.split(",")[0].strip()
    words = core.split()
    forms = {name, base, core} | {" ".join(words[i:]) for i in range(1, len(words) - 1)}
    forms.add(re.split(r"\s+(?:for|of)\s+", core, maxsplit=1)[0])
    if words and re.fullmatch(r"[A-Z]{2,}", words[0]):
        forms.add(words[0])
    return forms


_SECTION = re.compile(r"(\d+[0-9a-z]*(?:-\d+[0-9a-z]*)?)((?:\([0-9a-z]+\))*)", re.I)


def _citation_forms(citation: str) -> tuple[set[str], set[str]]:
    """(ways to write a citation, its section numbers): "18 U.S.C. § 1591(a), (b)(1)" gives
    "18 U.S.C. § 1591", "§ 1591", "1591(a)", ...; "§§ 53a-83, 53a-83a" gives both sections."""
    forms, sections = {citation}, set()
    head, sign, rest = citation.partition("§")
    if not sign:
        return forms, sections
    prefix = head.strip()
    for part in rest.lstrip("§ ").split(","):
        found = _SECTION.match(part.strip())
        if not found:
            continue
        section, subsections = found.groups()
        first = re.match(r"\([0-9a-z]+\)", subsections, re.I)
        for s in {section} | ({section + first.group(0)} if first else set()):
            sections.add(s)
            forms.update({s, f"§ {s}", f"{prefix} § {s}"})
    return forms, sections


# --- helpers the hidden tests use -------------------------------------------------------------

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
