"""The checks that exercise notebooks call: print a tick, or a short, friendly message that says
what is wrong, gives the hint and says where in the course to look.

A failed check writes its message to stderr and raises nothing: a learner sees the message
(no traceback, file path or Python name), "Run All" goes on to the next question, and nbgrader
and `dmst grade` both score a test cell that wrote to stderr 0 (nbgrader's rule).

A check cell names its question (`check("q1", ...)`) and reads the answer from the notebook
itself, so a learner who has not run the answer cell gets "no answer yet", not a Python error;
and it imports what it needs, so it works even when the set-up cell was skipped.

**Answers are typed between the quotes** the answer cell already holds (`q2 = ""`): a number
("180"), True or False (or yes/no), a letter from listed options ("B"), a date in any of the
course's forms ("1 Oct 2016", "October 1, 2016", "2016-10-01"), words, or several names
separated by commas ("DCF Careline, FBI, U.S. Attorney"). `FORMS` says each form in words;
`as_form` turns what was typed into the answer for that form, in the visible check and the
hidden test alike, so the two cannot read one answer differently.

A *visible* check sits in the learner's notebook, so it must not reveal the answer: it
compares a salted hash of the learner's answer with a stored hash (`check`: ✔ means right),
or only the form of the answer (`check_form`: it never shows ✔; it says the answer is saved
and is checked when graded). The *hidden* tests (in solutions/ only) compare with the value
`dmst.classify` or the law data gives (`check_value`), so an exercise stays right when the
law data changes, and a stale visible hash is caught by the tests.

Answers are compared forgivingly (`normalise`): case, spaces and punctuation in text do not
matter, "yes"/"no" count as True/False, "120" counts as 120, a date in any of the course's
forms is the same date, the order of a list does not matter, and the words the course shows
stand for its internal ids: a contact's name as the contacts table shows it ("Connecticut DCF
Careline") or its short name ("DCF Careline", "FBI", "U.S. Attorney"), a confirmed phone
number ("911"), a statute as the course cites it ("18 U.S.C. § 1591", "§ 53a-83b", with or
without the § sign) and the standing phrases ("presumed coerced"). Names and citations are read
from the law data, never typed here; the ids themselves are still accepted, so an answer that
scored before still scores.
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
# the course's modules and simulator use; the first phrase of each is the one questions ask for,
# and the letters of STANDING_CHOICES are the options a question lists.
STANDING_WORDS = {
    "not_prosecutable": ("cannot be prosecuted", "cannot be prosecuted for prostitution", "can't be prosecuted",
                         "cannot be guilty", "cannot be guilty of prostitution", "not prosecutable"),
    "presumed_coerced": ("presumed coerced", "presumed to have been coerced", "is presumed to have been coerced"),
    "adult": ("treated as an adult", "adult"),
}
STANDING_CHOICES = {letter: words[0] for letter, words in zip("ABC", STANDING_WORDS.values())}
FORMS = {
    "yes_no": "True or False",
    "number": "a whole number, for example 12",
    "text": "words",
    "date": "a date, for example 1 Oct 2016",
    "standing": "the letter of one of the options, " + ", ".join(f"{k} ({v})" for k, v in STANDING_CHOICES.items()),
    "contact": "a contact's short name from the contacts table",
    "contacts": "contacts' short names from the contacts table, separated by commas",
    "provisions": "statutes as the course cites them, separated by commas, for example § 1591, § 53a-83",
}
LISTS = ("contacts", "provisions")
WIDTH = 76              # characters per line of a message
MAX_ANSWER_CHARS = 2000  # longest answer read: no question needs more, and a longer one only costs time
_MISSING = object()
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


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
    """Visible check: is the answer to `question` right? Compares hashes, so the answer is not shown.
    ✔ only when it is right."""
    _known(form)
    frame = sys._getframe(1)

    def judge():
        answer = _answer(question, form, hint, see, frame)
        if answer_hash(question, answer) != expected_hash:
            _fail(f"{question_label(question)} is not right yet.", hint, see)
        return f"✔ {question_label(question)} is right."
    _report(question, judge, hint, see)


SAVED = "✎"   # how a form-only check begins: never ✔, which means right


def check_form(question: str, form: str, hint: str, see: str = "") -> None:
    """Visible check of the form only; the answer itself is scored by a hidden test when graded,
    so this never shows ✔: it says the answer is saved and will be checked when graded."""
    _known(form)
    frame = sys._getframe(1)

    def judge():
        _answer(question, form, hint, see, frame)
        return (f"{SAVED} {question_label(question)}: your answer is saved. Whether it is right is checked "
                "when your exercise is graded; this check looks only at its form.")
    _report(question, judge, hint, see)


def check_value(question: str, expected, hint: str, see: str = "", form: str | None = None) -> None:
    """Hidden test: compare with the value computed from `dmst.classify` or the law data. With
    `form` (as the visible check of the same question names it), the answer is read in that form
    first (`as_form`), exactly as the visible check reads it."""
    if form is not None:
        _known(form)
    frame = sys._getframe(1)

    def judge():
        if not same_answer(_answer(question, form, hint, see, frame), expected):
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
            _fail(f"The check could not read your answer to {question_label(question)}. Type your answer "
                  "between the two quotes in its answer cell.", hint, see)
        except _Failed as failed:
            _show(failed)


def _answer(question: str, form: str | None, hint: str, see: str, frame):
    """The learner's answer to `question`, read from the notebook (the caller's globals) and in
    `form` (`as_form`); stops with a friendly message if there is none or it is not in that form."""
    label = question_label(question)
    answer = frame.f_globals.get(question, _MISSING)
    if answer is _MISSING:
        _fail(f"{label} has no answer yet. If its answer cell shows an error, your answer has lost its quotes: "
              "put it back between the two quotes, then run that cell (Shift+Enter) and this check again. If you "
              "have not run the answer cell yet, click it and press Shift+Enter first.", hint, see)
    if answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip()):
        _fail(f"{label} has no answer yet: in its answer cell, type your answer between the two quotes"
              f"{f' ({FORMS[form]})' if form else ''}, run that cell, then run this check again.", hint, see)
    if isinstance(answer, Unreadable):
        _fail(f"The grader could not read your answer to {label}: {answer.why}. "
              "Type your answer between the two quotes in its answer cell.", hint, see)
    if _text_length(answer) > MAX_ANSWER_CHARS:
        _fail(f"{label}: your answer is longer than {MAX_ANSWER_CHARS:,} characters, which no answer needs. "
              "Type a short answer between the two quotes in its answer cell.", hint, see)
    if form is None:
        return answer
    value = as_form(answer, form)
    problem = _form_problem(value, form)
    if problem:
        _fail(f"{label} needs {FORMS[form]}, typed between the quotes. {problem}", hint, see)
    return value


def _text_length(answer) -> int:
    """Characters of text in an answer (words, or a list of them): what reading it costs."""
    if isinstance(answer, str):
        return len(answer)
    if isinstance(answer, (list, tuple, set, frozenset)):
        return sum(len(item) for item in answer if isinstance(item, str))
    return 0


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


# --- reading what was typed ---------------------------------------------------------------

def as_form(answer, form: str | None):
    """What the learner typed, as the answer of `form`: several names separated by commas (or
    "and", or on separate lines) become a list where a list is asked for, one name a list of one;
    a contact's confirmed phone number stands for the contact; a letter stands for its option
    where options are listed (STANDING_CHOICES). Anything else is returned as it is (`normalise`
    does the rest)."""
    if form in LISTS:
        items = [answer] if isinstance(answer, str) else answer
        if isinstance(items, (list, tuple, set, frozenset)):
            items = [piece for item in items for piece in (_split(item) if isinstance(item, str) else [item])]
            return [_phone_contact(i) for i in items] if form == "contacts" else items
        return answer
    if form == "contact" and isinstance(answer, str):
        return _phone_contact(answer)
    if form == "standing" and isinstance(answer, str):
        letter = answer.strip().rstrip(".):").upper()
        return STANDING_CHOICES.get(letter, answer)
    return answer


def _split(text: str) -> list[str]:
    """'DCF Careline, FBI and U.S. Attorney' -> three names; a piece that starts with "(" stays
    with the one before ('§ 1591(a), (b)(1)' is one citation).

    Names are separated by a comma, a semicolon, a line break, or "and" or "&" between spaces
    ("&" not inside brackets: the next bracket after it is not ")"). The text is read as words,
    spaces and separators in one pass, so the time grows with its length, never its square (a
    regular expression that looks ahead or backtracks over spaces did not)."""
    tokens = _TOKENS.findall(text.strip())
    closing = [False] * len(tokens)       # whether the next bracket after token n is ")"
    after = False
    for n in range(len(tokens) - 1, -1, -1):
        closing[n] = after
        bracket = _BRACKET.search(tokens[n])
        if bracket:
            after = bracket.group() == ")"
    raw, current, separators = [], [], set()
    for n, token in enumerate(tokens):
        # "and" or "&" between spaces, unless those before it go with a separator just before them
        spaced = (1 < n < len(tokens) - 1 and n - 2 not in separators and _SPACES.fullmatch(tokens[n - 1])
                  and tokens[n + 1].isspace())
        if token in ",;\n" or (spaced and (token == "and" or token == "&" and not closing[n])):
            separators.add(n)
            raw.append("".join(current))
            current = []
        else:
            current.append(token)
    raw.append("".join(current))
    pieces = []
    for piece in raw:
        piece = re.sub(r"^(?:and|&)\s+", "", piece.strip())
        if pieces and piece.startswith("("):
            pieces[-1] += ", " + piece
        elif piece:
            pieces.append(piece)
    return pieces


_TOKENS = re.compile(r"[,;\n]|[^\S\n]+|[^\s,;]+")   # a separator, a run of spaces (not a line break), or a word
_SPACES = re.compile(r"[^\S\n]+")
_BRACKET = re.compile(r"[()]")


def _phone_contact(item):
    if isinstance(item, str):
        digits = re.sub(r"\D", "", item)
        if digits and re.fullmatch(r"[\d\s()+-]+", item.strip()):
            return _vocabulary().phones.get(digits, item)
    return item


def parse_date(text: str) -> date | None:
    """A date written in one of the course's forms ("1 Oct 2016", "1 October 2016", "October 1,
    2016", "Oct. 1 2016", "2016-10-01", "10/1/2016"), or None."""
    text = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", " ".join(str(text).replace(",", " ").replace(".", " ").split()).casefold())
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if found:
        year, month, day = map(int, found.groups())
    elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
        month, day, year = map(int, text.split("/"))
    else:
        found = (re.fullmatch(r"(?P<day>\d{1,2}) (?P<month>[a-z]+) (?P<year>\d{4})", text)
                 or re.fullmatch(r"(?P<month>[a-z]+) (?P<day>\d{1,2}) (?P<year>\d{4})", text))
        months = [m for m in _MONTHS if found and len(found["month"]) >= 3 and m.startswith(found["month"])]
        if not months:
            return None
        year, month, day = int(found["year"]), _MONTHS.index(months[0]) + 1, int(found["day"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _form_problem(answer, form: str) -> str | None:
    """Why `answer` (already `as_form`) is not in `form`, in words; None if it is."""
    value = normalise(answer)
    if form == "yes_no":
        return None if isinstance(value, bool) else f"Your answer is {_describe(answer)}."
    if form == "number":
        return None if isinstance(value, int) and not isinstance(value, bool) else f"Your answer is {_describe(answer)}."
    if form in ("text", "date", "standing", "contact"):
        if not isinstance(answer, str) or not _clean(answer):
            return f"Your answer is {_describe(answer)}."
        if form == "date" and parse_date(answer) is None:
            return f"{_quote(answer)} is not a date written as the course writes dates (1 Oct 2016)."
        if form == "standing" and value not in _vocabulary().standing:
            return f"{_quote(answer)} is not one of the options."
        if form == "contact" and value not in _vocabulary().contacts:
            return f"{_quote(answer)} is not a contact in the table."
        return None
    if not isinstance(answer, (list, tuple, set, frozenset)) or not answer:
        return f"Your answer is {_describe(answer)}."
    known = _vocabulary().contacts if form == "contacts" else _vocabulary().provisions
    what = "a contact in the table" if form == "contacts" else "a statute the course covers"
    for item in answer:
        if not isinstance(item, str):
            return f"One item is {_describe(item)}."
        if normalise(item) not in known:
            return f"{_quote(item)} is not {what}."
    return None


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
    if re.fullmatch(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+", text):
        return int(text.replace(",", ""))
    day = parse_date(text)
    if day is not None:  # every form of a date is the same date (its ISO form, cleaned: 20161001)
        return _clean(day.isoformat())
    return _vocabulary().canonical(_clean(text))


def same_answer(a, b) -> bool:
    """Do two answers agree once normalised? (By repr, so True is not 1.) Words given where the
    expected answer is a list count as a list: one name, or several separated by commas."""
    if isinstance(a, str) and isinstance(b, (list, tuple, set, frozenset)):
        a = _split(a)
    return repr(normalise(a)) == repr(normalise(b))


def answer_hash(question: str, value) -> str:
    """The hash a visible check stores for `value` as the answer to `question`."""
    return hashlib.sha256(f"{question}:{normalise(value)!r}".encode()).hexdigest()[:16]


def _clean(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).strip().casefold())


class _Vocabulary:
    """The words that stand for an id: cleaned alias -> cleaned id, read from the law data."""

    def __init__(self, aliases: dict[str, str], sections: frozenset, contacts: frozenset, provisions: frozenset,
                 standing: frozenset, phones: dict[str, str]):
        self.aliases, self.sections = aliases, sections
        self.contacts, self.provisions, self.standing = contacts, provisions, standing
        self.phones = phones  # digits of a confirmed number -> the contact's id

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

    from ..course import contact_short_name

    for c in law.contacts.values():
        for form in _name_forms(c.name) | {c.id, contact_short_name(c.name)}:
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
    numbers: dict[str, set[str]] = {}
    for c in law.contacts.values():
        if c.confirmed and c.phone:
            numbers.setdefault(re.sub(r"\D", "", c.phone), set()).add(c.id)
    phones = {digits: next(iter(found)) for digits, found in numbers.items() if len(found) == 1}
    return _Vocabulary(aliases, frozenset(k for k in section_keys if k in aliases),
                       frozenset(ids["contacts"]), frozenset(ids["provisions"]), frozenset(ids["standing"]), phones)


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
