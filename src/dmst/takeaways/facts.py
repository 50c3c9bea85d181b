"""What the take-aways read from data/: the course's identity, the card's words, contacts,
brochure-vs-statute corrections and glossary terms, and which of them a module uses.

Nothing legal is typed here. The card's own words (what to do now, the signs to act on, the
titles) are course content kept in `data/takeaways.csv`; where they name a contact or a legal
number they hold a placeholder (`{contact:dcf_careline}`, `{parameter:age_of_majority}`) that
is filled from contacts.csv and parameters.csv when the card is made.

A contact's number is printed as a number to call only when the data marks it confirmed
(`Contact.confirmed`); otherwise the office is named with its official page and the words
"number not confirmed", so an unchecked number never reaches a card, handout or slide.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version as installed_version

from ..course import CONFIDENCE_MEANING
from ..law import Contact, Law, LawDataError
from .modules import Module, Section

PARTS = ("course_title", "card_title", "do_now", "sign")
SINGLE = ("course_title", "card_title")
PLACEHOLDER = re.compile(r"\{(\w+):([\w-]+)\}")
UNCONFIRMED = "number not confirmed"


@dataclass(frozen=True)
class Course:
    title: str
    version: str
    law_date: date              # the `current` preset: the law the take-aways reflect

    @property
    def law_date_text(self) -> str:
        return human_date(self.law_date)


@dataclass(frozen=True)
class CardText:
    title: str
    do_now: tuple[str, ...]     # markdown, placeholders filled
    signs: tuple[str, ...]


@dataclass(frozen=True)
class Correction:
    """Where the brochure and the statute differ, for one provision (version in force on `as_of`)."""
    citation: str
    title: str
    brochure_says: str
    differs: str
    confidence: str
    as_of: date

    @property
    def confidence_text(self) -> str:
        return f"{confidence_word(self.confidence)} ({CONFIDENCE_MEANING.get(self.confidence, 'see the course data')})"


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    say_instead: str


def confidence_word(level: str) -> str:
    """A confidence level as a reader says it: `verify` is "not confirmed"."""
    return "not confirmed" if level == "verify" else level


def human_date(day: date) -> str:
    """28 November 2026."""
    return f"{day.day} {day:%B %Y}"


def course(law: Law) -> Course:
    """Title (data/takeaways.csv), version (the installed package, from pyproject.toml) and
    the date of the law (data/presets.csv `current`)."""
    return Course(title=_takeaway_rows(law)["course_title"][0], version=installed_version("dmst"),
                  law_date=law.presets["current"])


def card_text(law: Law) -> CardText:
    rows = _takeaway_rows(law)
    fill = lambda text: fill_placeholders(text, law)  # noqa: E731
    return CardText(title=rows["card_title"][0], do_now=tuple(map(fill, rows["do_now"])),
                    signs=tuple(map(fill, rows["sign"])))


def phone_text(contact: Contact) -> str:
    """The number to call (and to text), or, when unconfirmed, where its current number is."""
    if not contact.confirmed:
        return f"{UNCONFIRMED}; official page: {contact.url}"
    return contact.phone + (f" (text {contact.text})" if contact.text else "")


def fill_placeholders(text: str, law: Law) -> str:
    """Replace `{contact:ID}` with the contact's name, in bold, and its number when confirmed;
    `{parameter:NAME}` with the value in force on the course's current date."""
    def one(m: re.Match) -> str:
        kind, key = m.groups()
        if kind == "contact":
            c = law.contacts[key]
            return f"**{c.name} ({c.phone})**" if c.confirmed else f"**{c.name}**"
        return str(law.on(law.presets["current"]).parameter(key))
    return PLACEHOLDER.sub(one, text)


def card_contacts(law: Law) -> list[Contact]:
    """The contacts anyone may call (`who_calls` names "anyone"), in the data's order; a duty of
    one profession only (the police's arrest notice) is left off a card for everyone."""
    return [c for c in law.contacts.values()
            if any(part.strip().startswith("anyone") for part in c.who_calls.split(";"))]


def _takeaway_rows(law: Law) -> dict[str, list[str]]:
    path = law.data_dir / "takeaways.csv"
    problems: list[str] = []
    rows: dict[str, list[str]] = {p: [] for p in PARTS}
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = list(csv.DictReader(f))
    except OSError as exc:
        raise LawDataError(f"{path}: cannot be read ({exc.strerror})") from None
    for line, row in enumerate(reader, start=2):
        part, text = (row.get("part") or "").strip(), (row.get("text") or "").strip()
        if part not in PARTS:
            problems.append(f"{path}: row {line}: field 'part': '{part}' is not one of {', '.join(PARTS)}")
            continue
        if not text:
            problems.append(f"{path}: row {line}: field 'text' is required")
            continue
        for kind, key in PLACEHOLDER.findall(text):
            if kind == "contact" and key not in law.contacts:
                problems.append(f"{path}: row {line}: field 'text': '{{contact:{key}}}': '{key}' is not a contact id in contacts.csv")
            elif kind == "parameter" and key not in {p.name for p in law.parameters}:
                problems.append(f"{path}: row {line}: field 'text': '{{parameter:{key}}}': '{key}' is not a parameter in parameters.csv")
            elif kind not in ("contact", "parameter"):
                problems.append(f"{path}: row {line}: field 'text': placeholder '{{{kind}:{key}}}' must be {{contact:ID}} or {{parameter:NAME}}")
        rows[part].append(text)
    for part in PARTS:
        if not rows[part]:
            problems.append(f"{path}: no row with part '{part}'")
        elif part in SINGLE and len(rows[part]) > 1:
            problems.append(f"{path}: part '{part}' must have one row, not {len(rows[part])}")
    if problems:
        raise LawDataError("\n".join(problems))
    return rows


# --- what one module uses -------------------------------------------------------------------

def _id_pattern(ids) -> re.Pattern:
    alternatives = "|".join(map(re.escape, sorted(ids, key=len, reverse=True)))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def cite_ids(markdown: str, law: Law) -> str:
    """Provision ids in notebook text (`us-18-1591`, with or without code marks) replaced by
    their citations, so a printed page never shows an id."""
    pattern = _id_pattern(law.ids)

    def one(m: re.Match) -> str:
        return law.first(m.group(2)).citation.split(' ("')[0]
    return re.sub(rf"(`?){pattern.pattern}\1", one, markdown)


def provisions_taught(module: Module, law: Law) -> list[str]:
    """The provisions whose brochure-vs-statute panel the module shows; for a module that shows
    none, the provisions its "Sources" part names (in code or output); else any it names."""
    known = set(law.ids)
    panels = [pid for _, source, _ in module.code
              for pid in re.findall(r"brochure\w*\(\s*[\"']([\w-]+)[\"']", source) if pid in known]
    if panels:
        return list(dict.fromkeys(panels))
    pattern = _id_pattern(known)
    sources = [pid for part, source, output in module.code if part.lower().startswith("sources")
               for pid in pattern.findall(source + "\n" + output)]
    if sources:
        return list(dict.fromkeys(sources))
    return list(dict.fromkeys(pid for _, source, output in module.code for pid in pattern.findall(source + "\n" + output)))


def corrections(ids, law: Law) -> list[Correction]:
    """The brochure-vs-statute difference of each provision, as recorded on the version in force
    on the course's current date (the latest version if none is); provisions with none are left out."""
    day = law.presets["current"]
    out = []
    for pid in ids:
        versions = law.versions(pid)
        in_force = [v for v in versions if v.in_force(day)]
        v = in_force[0] if in_force else versions[-1]
        if v.brochure_differs:
            out.append(Correction(v.citation, v.title, v.brochure_says, v.brochure_differs, v.confidence,
                                  day if in_force else v.effective_from))
    return out


def contacts_used(module: Module, law: Law) -> list[Contact]:
    """Contacts the module names, in the data's order: by id in its code, or by a name (name_forms)
    in its text or in what its cells show."""
    text = module.markdown + "\n" + "\n".join(output for _, _, output in module.code)
    code = "\n".join(source for _, source, _ in module.code)
    return [c for c in law.contacts.values()
            if re.search(rf"[\"']{re.escape(c.id)}[\"']", code) or names_in(c, law, text)]


def names_in(contact: Contact, law: Law, text: str) -> bool:
    """Whether `text` names the contact by one of its name_forms."""
    return any(re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text, re.I) for form in name_forms(contact, law))


def name_forms(contact: Contact, law: Law) -> set[str]:
    """The ways a text names a contact: its name; without its parenthesis ("NCMEC CyberTipline");
    the part before " for " ("U.S. Attorney's Office"); with a possessive ("NCMEC's CyberTipline");
    without a leading place ("DCF Careline"); a leading acronym no other contact's name has ("FBI");
    a confirmed number of three digits ("911")."""
    base = re.sub(r"\s*\([^)]*\)", "", contact.name).strip()
    forms = {contact.name, base, re.split(r"\s+for\s+", base, maxsplit=1)[0]}
    words = base.split()
    if len(words) > 2 and words[0] in ("Connecticut", "National", "U.S."):
        forms.add(" ".join(words[1:]))
    if words and re.fullmatch(r"[A-Z]{2,}", words[0]):
        forms.add(f"{words[0]}'s {' '.join(words[1:])}".strip())
        others = [c.name for c in law.contacts.values() if c.id != contact.id]
        if not any(re.search(rf"\b{words[0]}\b", name) for name in others):
            forms.add(words[0])
    if contact.confirmed and re.fullmatch(r"\d{3}", contact.phone):
        forms.add(contact.phone)
    return {f for f in forms if len(f) >= 3}


def glossary(law: Law) -> list[dict]:
    with open(law.data_dir / "glossary.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def terms_used(module: Module, law: Law) -> list[Term]:
    """Glossary terms the module names in its code (a glossary call) or uses in its text. A term
    with a qualifier in brackets ("coercion (Connecticut)") counts by its bare word only in a
    module that teaches the provision it belongs to; an abbreviation in brackets ("(DMST)")
    counts as another name for the term."""
    code = "\n".join(source for _, source, _ in module.code)
    text = module.markdown
    taught = set(provisions_taught(module, law))
    out = []
    for row in glossary(law):
        term = row["term"].strip()
        if re.search(rf"[\"']{re.escape(term)}[\"']", code):
            out.append(_term(row))
            continue
        forms = [term]
        bracket = re.match(r"(.+?)\s*\((.+)\)$", term)
        if bracket:
            base, inside = bracket.groups()
            if inside.isupper():
                forms += [base, inside]
            elif row.get("provision_id") in taught:
                forms.append(base)
        forms = [f.strip() for form in forms for f in form.split(" / ")]
        if any(re.search(rf"(?<!\w){re.escape(f)}", text, re.I) for f in forms):
            out.append(_term(row))
    return out


def _term(row: dict) -> Term:
    return Term(row["term"].strip(), row["definition"].strip(), (row.get("say_instead") or "").strip())


# --- what a question of the course rests on ---------------------------------------------------

_SECTION_NUMBER = re.compile(r"§§?\s*(\d+[a-z]?(?:-\d+[a-z]?)*)")


def provisions_cited(text: str, law: Law) -> list[str]:
    """The provisions a text names, by id or by section number ("§ 1591", "§ 53a-82"), in the data's order."""
    named = {n for n in _SECTION_NUMBER.findall(text)}
    ids = set(_id_pattern(law.ids).findall(text))
    return [pid for pid in law.ids
            if pid in ids or any(n in named for v in law.versions(pid) for n in _SECTION_NUMBER.findall(v.citation)[:1])]


def closest(text: str, pids, law: Law) -> list[str]:
    """Of these provisions, those whose data shares the most words (of five letters or more) with
    the text, at least two; [] when none does."""
    def words(t: str) -> set[str]:
        return set(re.findall(r"[a-z]{5,}", t.lower()))
    wanted = words(text)
    scores = {pid: len(wanted & words(data_text([pid], [], law))) for pid in pids}
    best = max(scores.values(), default=0)
    return [pid for pid, score in scores.items() if score == best] if best >= 2 else []


def section_text(section: Section) -> str:
    """Everything a module section shows or runs, as one text (to find the provisions it cites)."""
    return "\n".join(part.text + "\n" + part.source for part in section.parts)


def data_text(pids, contacts, law: Law) -> str:
    """What the data says of these provisions (every version: citation, title, summary, brochure text,
    what changed, dates, parameters) and contacts (name, number, when), as one text."""
    out = []
    for pid in pids:
        for v in law.versions(pid):
            out += [v.citation, v.title, v.summary, v.brochure_says, v.brochure_differs, v.change, v.caveat,
                    v.effective_from.isoformat(), v.effective_to.isoformat() if v.effective_to else ""]
        out += [f"{p.label} {p.value}" for p in law.parameters if p.provision_id == pid]
    out += [f"{c.name} {c.phone} {c.when}" for c in contacts]
    return "\n".join(out)


def numbers(text: str) -> set[str]:
    """The numbers a text states: ages, years, sections, acts ("16", "2015", "114-22", "911")."""
    return set(re.findall(r"(?<![\w.])\d+(?:-\d+)*(?![\w])", text))
