"""The law as data: load and validate dated provision versions, penalty classes,
parameters, contacts and the sources they rest on.

One row of `data/provisions.csv` is one *version* of one provision (or of one penalty
tier of it), in force from `effective_from` to `effective_to` (inclusive; empty = still
in force). Rules never hold legal numbers themselves: they ask `Law.on(date)` for the
version in force and read its citation, class and penalties (the OpenFisca idea of
dated parameters with a reference).

Evidence is data too: `data/sources.csv` has one row per source read (title, publisher,
URL, date read, a short verbatim quote). Every provision version, penalty class,
parameter and contact names the source ids it rests on, and loading refuses a `high`
row that no official source supports: that is what keeps a figure nobody has read in
the statute from being shown as settled law.

A provision's prison term and fine come from its own row where the statute section sets
them (a mandatory minimum, a federal maximum) and otherwise from its class in
`data/penalty_classes.csv` (Conn. Gen. Stat. §§ 53a-35a, 53a-36, 53a-41, 53a-42;
18 U.S.C. § 3571) as in force on the date.

Only the standard library is used here, so `import dmst` stays fast; `Law.table()` is
the door to pandas for notebooks.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from .case import CONDUCT

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(day: date) -> str:
    """A date as a reader says it: date(2026, 11, 28) -> '28 Nov 2026' (whatever the locale). Every
    face, and every reason the rules give, writes dates this way (never 2026-11-28)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
JURISDICTIONS = ("US", "CT")
CONFIDENCE = ("high", "medium", "verify")
TABLES = ("provisions", "penalty_classes", "parameters", "contacts", "sources", "glossary", "presets")
# What kind of document a source is. A `high` legal row needs one of LEGAL_KINDS behind it;
# a `high` contact needs LEGAL_KINDS or the agency's own page (AGENCY).
# A "bill" is a bill's file copy as the legislature printed it: it quotes the statute as it then stood.
# "jury-instructions" are a state judiciary's own criminal jury instructions: they quote the statute as in
# force for crimes committed on the dates they name.
LEGAL_KINDS = ("statute", "act", "bill", "olr-summary", "olr-bill-analysis", "us-code", "us-code-note", "public-law",
               "jury-instructions")
AGENCY = "agency"
SOURCE_KINDS = (*LEGAL_KINDS, AGENCY, "court", "crs", "secondary", "brochure")
_NOTHING: frozenset = frozenset()
# Classifications that carry no prison term or fine of their own (no penalty_classes row).
NON_PENAL = ("", "definition", "duty", "forfeiture")


class LawDataError(ValueError):
    """A data file breaks the rules; the message has one line per problem (file, row, field)."""


@dataclass(frozen=True)
class Source:
    """One source read: what it is, where it is, when it was read, and a verbatim quote."""
    id: str
    title: str
    publisher: str
    url: str
    kind: str
    retrieved: date
    quote: str

    @property
    def official(self) -> bool:
        """Statute or act text, the legislature's own summaries, the U.S. Code and its notes."""
        return self.kind in LEGAL_KINDS


def lowest_confidence(*levels: str) -> str:
    """The least certain of several confidence levels ("verify" beats "medium" beats "high")."""
    return max(levels, key=CONFIDENCE.index)


@dataclass(frozen=True)
class Provision:
    """One version (and penalty tier) of a provision. `min_months` is a *mandatory* minimum;
    `max_months` / `max_days` / `fine_max_usd` are set only where the section itself sets them
    (otherwise the class's figures apply: `LawOnDate.penalty`). `change` says in words what this
    version changed from the one before; `caveat` is shown wherever a result relies on what this
    version does not reach."""
    id: str
    tier: str
    jurisdiction: str
    citation: str
    title: str
    summary: str
    brochure_says: str
    brochure_differs: str
    classification: str
    min_months: int | None
    max_months: int | None
    max_days: int | None
    life: bool
    fine_max_usd: int | None
    reaches: frozenset
    effective_from: date
    effective_to: date | None
    sources: tuple[Source, ...]
    confidence: str
    change: str
    caveat: str
    notes: str

    @property
    def source(self) -> str:
        """The sources' titles, for a reader."""
        return "; ".join(s.title for s in self.sources)

    @property
    def confirmed(self) -> bool:
        """Read in an official source (confidence high or medium); `verify` rows are not settled law."""
        return self.confidence != "verify"

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def period(self) -> str:
        """When the version is in force, in words: '1 Oct 2010 to 30 Sep 2016', '1 Oct 2016 to now'."""
        return f"{date_text(self.effective_from)} to {date_text(self.effective_to) if self.effective_to else 'now'}"


@dataclass(frozen=True)
class PenaltyClass:
    """The prison term and fine of one class of offence, as in force from/to a date."""
    classification: str
    jurisdiction: str
    citation: str
    max_months: int | None
    max_days: int | None
    life: bool
    fine_max_usd: int | None
    effective_from: date
    effective_to: date | None
    sources: tuple[Source, ...]
    confidence: str
    notes: str

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Penalty:
    """The penalty of one provision version on one date: its own figures, else its class's."""
    mandatory_minimum_months: int | None
    maximum_months: int | None
    maximum_days: int | None
    life: bool
    fine_max_usd: int | None
    confidence: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    value: int
    unit: str
    provision_id: str
    effective_from: date
    effective_to: date | None
    reference: str
    sources: tuple[Source, ...]
    confidence: str

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Contact:
    """Whom to call. `url` is the office's own page, where its current number is kept. `duty` is the
    provision id of the duty the contact stands for ("" when none): a contact is never more confirmed
    than that duty as in force on the review date (checked on loading)."""
    id: str
    name: str
    phone: str
    text: str
    url: str
    when: str
    who_calls: str
    in_brochure: bool
    duty: str
    sources: tuple[Source, ...]
    confidence: str

    @property
    def confirmed(self) -> bool:
        """Confirmed in an official source: safe to show as a number to call."""
        return self.confidence == "high"

    @property
    def source(self) -> str:
        return "; ".join(s.title for s in self.sources)


_SECTION = re.compile(r"^(?P<code>.*?)§§?\s*(?P<section>[0-9][0-9A-Za-z.-]*)")


def section_citation(citations) -> str:
    """The one citation for a provision whose versions or tiers cite it differently: the part all
    their citations share, up to a whole section number and without subdivisions or glosses
    ('18 U.S.C. § 1591(a), (b)(1)' and '... (b)(2)' -> '18 U.S.C. § 1591'). A provision whose
    versions all cite the same thing keeps it whole ('18 U.S.C. § 1591(d)'). When the shared part ends
    in no whole section number, the first citation's first section ('§§ 53a-83, 53a-83a' and
    '§ 53a-83' -> '§ 53a-83'). Loading refuses a provision whose citations name different first sections."""
    distinct = list(dict.fromkeys(citations))
    if len(distinct) == 1:
        return distinct[0]
    shared = re.split(r"[(;]", os.path.commonprefix(distinct))[0].rstrip(" ,")
    whole = re.search(r"[0-9][0-9A-Za-z.-]*$", shared) and all(
        re.match(re.escape(shared) + r"(?![0-9A-Za-z.-])", c) for c in distinct)
    if whole:
        return re.sub(r"§§ (\S+)$", r"§ \1", shared)
    m = _SECTION.match(distinct[0])
    return f"{m['code']}§ {m['section']}" if m else distinct[0]


class LawOnDate:
    """The law in force on one date: the versions rules read. Built once per date (cached)."""

    def __init__(self, law: "Law", as_of: date):
        self.law = law
        self.as_of = as_of
        self._versions = {(p.id, p.tier): p for p in law.provisions if p.in_force(as_of)}
        self._params = {p.name: p for p in law.parameters if p.in_force(as_of)}
        self._classes = {c.classification: c for c in law.penalty_classes if c.in_force(as_of)}
        self._penalties: dict[tuple, Penalty] = {}
        self._cited: dict[tuple, tuple[str, str]] = {}

    def provision(self, pid: str, tier: str = "") -> Provision | None:
        """The version of `pid` (and tier) in force on this date, or None if none is."""
        return self._versions.get((pid, tier))

    def cited(self, pid: str, tier: str = "") -> tuple[str, str]:
        """(citation, confidence) of the version a step about `pid` cites: the one in force, or
        the first when none is. Kept per date, because every result cites the same few."""
        key = (pid, tier)
        if key not in self._cited:
            v = self._versions.get(key) or self.law.first(pid)
            self._cited[key] = (v.citation, v.confidence)
        return self._cited[key]

    def heading(self, pid: str) -> tuple[str, str]:
        """(citation, title) of provision `pid` as a whole on this date: what a face that names the
        provision rather than one of its tiers shows (the simulator's predict mode). Its citation is the
        section every tier's citation names (see `section_citation`); its title the one in force (or the
        latest when no version is)."""
        versions = [v for v in self.law.versions(pid) if v.in_force(self.as_of)] or list(self.law.versions(pid))
        return self.law.heading(pid)[0], versions[-1].title

    def parameter(self, name: str) -> int:
        return self._params[name].value

    def penalty_class(self, classification: str) -> PenaltyClass | None:
        return self._classes.get(classification)

    def penalty(self, p: Provision) -> Penalty:
        """`p`'s term and fine on this date: the section's own figures where it sets them, else
        its class's (a section that sets life or a maximum overrides the class's term)."""
        key = (p.id, p.tier, p.effective_from)
        if key not in self._penalties:
            self._penalties[key] = self._penalty(p)
        return self._penalties[key]

    def _penalty(self, p: Provision) -> Penalty:
        cls = self.penalty_class(p.classification)
        own_term = p.life or p.max_months is not None or p.max_days is not None
        term_from = p if own_term or cls is None else cls
        fine = p.fine_max_usd if p.fine_max_usd is not None else (cls.fine_max_usd if cls else None)
        used = [p] + ([cls] if cls is not None and (term_from is cls or p.fine_max_usd is None) else [])
        return Penalty(mandatory_minimum_months=p.min_months, maximum_months=term_from.max_months,
                       maximum_days=term_from.max_days, life=term_from.life, fine_max_usd=fine,
                       confidence=lowest_confidence(*(u.confidence for u in used)),
                       sources=tuple(dict.fromkeys(src for u in used for src in u.sources)))


class Law:
    """Every provision version, parameter, contact and preset, validated."""

    def __init__(self, provisions, penalty_classes, parameters, contacts, sources, presets, data_dir: Path):
        self.provisions: tuple[Provision, ...] = tuple(provisions)
        self.penalty_classes: tuple[PenaltyClass, ...] = tuple(penalty_classes)
        self.sources: dict[str, Source] = dict(sources)
        self.parameters: tuple[Parameter, ...] = tuple(parameters)
        self.contacts: dict[str, Contact] = {c.id: c for c in contacts}
        self.presets: dict[str, date] = dict(presets)
        self.data_dir = data_dir
        self.model_start: date = min(p.effective_from for p in self.provisions)
        by_id: dict[str, list[Provision]] = {}
        for p in self.provisions:
            by_id.setdefault(p.id, []).append(p)
        self._by_id = {pid: tuple(sorted(vs, key=lambda p: (p.effective_from, p.tier))) for pid, vs in by_id.items()}
        self._tiers = {(p.id, p.tier): tuple(v for v in self._by_id[p.id] if v.tier == p.tier) for p in self.provisions}
        self._reach = {key: frozenset().union(*(v.reaches for v in vs)) for key, vs in self._tiers.items()}

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def versions(self, pid: str) -> tuple[Provision, ...]:
        """All versions and tiers of one provision, oldest first."""
        return self._by_id.get(pid, ())

    def tier_versions(self, pid: str, tier: str = "") -> tuple[Provision, ...]:
        """The versions of one tier of a provision, oldest first."""
        return self._tiers.get((pid, tier), ())

    def ever_reaches(self, pid: str, tier: str = "") -> frozenset:
        """The conduct some version of the tier reaches (any date)."""
        return self._reach.get((pid, tier), _NOTHING)

    def heading(self, pid: str) -> tuple[str, str]:
        """(citation, title) of provision `pid` as a whole: the section its tiers share, and the latest
        title. `LawOnDate.heading` gives the title in force on a date."""
        versions = self.versions(pid)
        return section_citation(v.citation for v in versions), versions[-1].title

    def first(self, pid: str) -> Provision:
        """Any version of `pid` (for its citation and title when none is in force)."""
        return self.versions(pid)[0]

    @lru_cache(maxsize=256)
    def on(self, as_of: date) -> LawOnDate:
        if as_of < self.model_start:
            raise ValueError(f"law before {self.model_start.isoformat()} is not modelled; choose {self.model_start.isoformat()} or later")
        return LawOnDate(self, as_of)

    def table(self, name: str = "provisions"):
        """A data table as a pandas DataFrame, with dates parsed (pandas is imported here only)."""
        if name not in TABLES:
            raise ValueError(f"table must be one of {', '.join(TABLES)}; got {name!r}")
        import pandas as pd

        frame = pd.read_csv(self.data_dir / f"{name}.csv", dtype=str, keep_default_na=False)
        for col in ("effective_from", "effective_to", "date", "retrieved"):
            if col in frame:
                frame[col] = pd.to_datetime(frame[col].replace("", None))
        for col in ("min_months", "max_months", "max_days", "fine_max_usd", "value"):
            if col in frame:
                frame[col] = pd.to_numeric(frame[col].replace("", None)).astype("Int64")
        for col in ("life", "in_brochure"):
            if col in frame:
                frame[col] = frame[col] == "true"
        return frame


@lru_cache(maxsize=8)
def load_law(data_dir: str | Path | None = None) -> Law:
    """Load and validate every law table in `data_dir` (default: the project's data/)."""
    folder = Path(data_dir) if data_dir else DATA_DIR
    problems: list[str] = []
    sources = {s.id: s for s in _read(folder / "sources.csv", Source, problems, _source_checks)}
    cited = _Cited(sources)
    provisions = _read(folder / "provisions.csv", Provision, problems, cited.wrap(_provision_checks, LEGAL_KINDS))
    classes = _read(folder / "penalty_classes.csv", PenaltyClass, problems, cited.wrap(_class_checks, LEGAL_KINDS))
    parameters = _read(folder / "parameters.csv", Parameter, problems, cited.wrap(_parameter_checks, LEGAL_KINDS))
    contacts = _read(folder / "contacts.csv", Contact, problems, cited.wrap(_contact_checks, (*LEGAL_KINDS, AGENCY)))
    presets = [(r["name"], _date(r, "date", folder / "presets.csv", i, problems))
               for i, r in enumerate(_rows(folder / "presets.csv", problems), start=2)]
    _check_overlaps(folder / "provisions.csv", provisions, lambda p: (p.id, p.tier), problems)
    _check_overlaps(folder / "penalty_classes.csv", classes, lambda c: (c.classification,), problems)
    _check_overlaps(folder / "parameters.csv", parameters, lambda p: (p.name,), problems)
    _check_classes_cover(folder, provisions, classes, problems)
    _check_sections(folder, provisions, problems)
    review = dict(presets).get("current")
    if review:
        _check_review_date(folder, sources.values(), review, problems)
        _check_contact_duties(folder, contacts, provisions, review, problems)
    known = {(r.get("id") or "").strip() for r in _rows(folder / "provisions.csv", [])}
    for i, r in enumerate(_rows(folder / "parameters.csv", []), start=2):
        pid = (r.get("provision_id") or "").strip()
        if pid and pid not in known:
            problems.append(f"{folder / 'parameters.csv'}: row {i}: field 'provision_id': '{pid}' is not a provision id in provisions.csv")
    if not provisions and not problems:
        problems.append(f"{folder / 'provisions.csv'}: no provisions")
    if problems:
        raise LawDataError("\n".join(problems))
    return Law(provisions, classes, parameters, contacts, sources, presets, folder)


class _Cited:
    """Resolves a row's `sources` field (ids separated by ';') and enforces the evidence rule:
    every row names at least one known source, and a `high` row at least one of `official`."""

    def __init__(self, sources: dict[str, Source]):
        self.sources = sources

    def wrap(self, checks, official: tuple[str, ...]):
        def checked(path, line, row, problems):
            values = checks(path, line, row, problems)
            values["sources"] = self.resolve(path, line, row, values.get("confidence"), official, problems)
            return values
        return checked

    def resolve(self, path, line, row, confidence, official, problems) -> tuple[Source, ...]:
        ids = [i.strip() for i in (row.get("sources") or "").split(";") if i.strip()]
        if not ids:
            problems.append(f"{path}: row {line}: field 'sources' is required: source ids from sources.csv, separated by ';'")
            return ()
        unknown = [i for i in ids if i not in self.sources]
        for i in unknown:
            problems.append(f"{path}: row {line}: field 'sources': '{i}' is not a source id in sources.csv")
        found = tuple(self.sources[i] for i in ids if i in self.sources)
        if confidence == "high" and not unknown and not any(s.kind in official for s in found):
            problems.append(f"{path}: row {line}: field 'confidence': 'high' needs an official source "
                                 f"(kind {', '.join(official)}); the row cites only {', '.join(s.kind for s in found)}")
        return found


# --- reading and validation -------------------------------------------------------

def _rows(path: Path, problems: list[str]) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror})")
        return []


def _read(path, cls, problems, checks):
    out = []
    names = [f.name for f in fields(cls)]
    for line, row in enumerate(_rows(path, problems), start=2):
        missing = [n for n in names if n not in row]
        if missing:
            problems.append(f"{path}: missing column(s) {', '.join(missing)}")
            return []
        before = len(problems)
        values = checks(path, line, row, problems)
        if len(problems) == before:
            out.append(cls(**values))
    return out


def _need(path, line, row, name, problems, allowed=None):
    value = (row.get(name) or "").strip()
    if not value:
        problems.append(f"{path}: row {line}: field '{name}' is required" + (f"; allowed: {', '.join(allowed)}" if allowed else ""))
    elif allowed and value not in allowed:
        problems.append(f"{path}: row {line}: field '{name}': '{value}' is not one of {', '.join(allowed)}")
    return value


def _date(row, name, path, line, problems, required=True):
    value = (row.get(name) or "").strip()
    if not value:
        if required:
            problems.append(f"{path}: row {line}: field '{name}' is required: a date YYYY-MM-DD")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{path}: row {line}: field '{name}': '{value}' is not a date YYYY-MM-DD")
        return None


def _int(row, name, path, line, problems):
    value = (row.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit():
        problems.append(f"{path}: row {line}: field '{name}': '{value}' is not a whole number (or empty)")
        return None
    return int(value)


def _bool(row, name, path, line, problems):
    value = (row.get(name) or "").strip()
    if value not in ("", "true", "false"):
        problems.append(f"{path}: row {line}: field '{name}': '{value}' is not one of true, false (or empty)")
    return value == "true"


def _source_checks(path, line, row, problems):
    values = {k: (row[k] or "").strip() for k in ("id", "title", "publisher", "url", "quote")}
    for name in ("id", "title", "publisher", "url", "quote"):
        _need(path, line, row, name, problems)
    values["kind"] = _need(path, line, row, "kind", problems, SOURCE_KINDS)
    values["retrieved"] = _date(row, "retrieved", path, line, problems)
    return values


def _provision_checks(path, line, row, problems):
    values = {k: (row[k] or "").strip() for k in ("id", "tier", "citation", "title", "summary", "brochure_says",
                                                    "brochure_differs", "classification", "change", "caveat", "notes")}
    for name in ("id", "citation", "title", "summary"):
        _need(path, line, row, name, problems)
    values["jurisdiction"] = _need(path, line, row, "jurisdiction", problems, JURISDICTIONS)
    values["confidence"] = _need(path, line, row, "confidence", problems, CONFIDENCE)
    for name in ("min_months", "max_months", "max_days", "fine_max_usd"):
        values[name] = _int(row, name, path, line, problems)
    values["life"] = _bool(row, "life", path, line, problems)
    reaches = [c for c in (row.get("reaches") or "").split(";") if c.strip()]
    for c in reaches:
        if c.strip() not in CONDUCT:
            problems.append(f"{path}: row {line}: field 'reaches': '{c}' is not one of {', '.join(CONDUCT)}")
    values["reaches"] = frozenset(c.strip() for c in reaches)
    values["effective_from"] = _date(row, "effective_from", path, line, problems)
    values["effective_to"] = _date(row, "effective_to", path, line, problems, required=False)
    if values["effective_from"] and values["effective_to"] and values["effective_to"] < values["effective_from"]:
        problems.append(f"{path}: row {line}: field 'effective_to': {values['effective_to']} is before effective_from {values['effective_from']}")
    _check_term(path, line, values, problems)
    return values


def _check_term(path, line, values, problems):
    if values["life"] and (values["max_months"] is not None or values["max_days"] is not None):
        problems.append(f"{path}: row {line}: field 'max_months': must be empty when life is true (and max_days too)")
    if values["max_months"] is not None and values["max_days"] is not None:
        problems.append(f"{path}: row {line}: field 'max_days': give the maximum in months or in days, not both")


def _class_checks(path, line, row, problems):
    values = {k: (row[k] or "").strip() for k in ("classification", "citation", "notes")}
    _need(path, line, row, "classification", problems)
    _need(path, line, row, "citation", problems)
    values["jurisdiction"] = _need(path, line, row, "jurisdiction", problems, JURISDICTIONS)
    values["confidence"] = _need(path, line, row, "confidence", problems, CONFIDENCE)
    for name in ("max_months", "max_days", "fine_max_usd"):
        values[name] = _int(row, name, path, line, problems)
    values["life"] = _bool(row, "life", path, line, problems)
    values["effective_from"] = _date(row, "effective_from", path, line, problems)
    values["effective_to"] = _date(row, "effective_to", path, line, problems, required=False)
    _check_term(path, line, values, problems)
    return values


def _check_classes_cover(folder: Path, provisions, classes, problems):
    """Every penal classification a provision version uses has a class row on each of its days."""
    by_name: dict[str, list[PenaltyClass]] = {}
    for c in classes:
        by_name.setdefault(c.classification, []).append(c)
    for p in provisions:
        if p.classification in NON_PENAL:
            continue
        rows = sorted(by_name.get(p.classification, []), key=lambda c: c.effective_from)
        if not rows:
            problems.append(f"{folder / 'provisions.csv'}: {p.id} {p.tier}".rstrip() + f" from {p.effective_from}: field "
                            f"'classification': '{p.classification}' is not in penalty_classes.csv "
                            f"(or use one of: {', '.join(repr(n) for n in NON_PENAL)})")
            continue
        day, end = p.effective_from, p.effective_to or date.max
        while day <= end:
            cover = next((c for c in rows if c.in_force(day)), None)
            if cover is None:
                problems.append(f"{folder / 'provisions.csv'}: {p.id} {p.tier}".rstrip() + f" from {p.effective_from}: "
                                f"no '{p.classification}' row of penalty_classes.csv is in force on {day}")
                break
            if cover.effective_to is None or cover.effective_to >= end:
                break
            day = cover.effective_to + timedelta(days=1)


def _check_sections(folder: Path, provisions, problems):
    """Every version and tier of one provision cites the same section, so that the provision has one
    citation (`section_citation`) and no face names it differently from another."""
    by_id: dict[str, set] = {}
    for p in provisions:
        m = _SECTION.match(p.citation)
        by_id.setdefault(p.id, set()).add(m["section"] if m else p.citation)
    for pid, sections in by_id.items():
        if len(sections) > 1:
            problems.append(f"{folder / 'provisions.csv'}: {pid}: field 'citation': its versions cite different sections "
                            f"({', '.join(sorted(sections))}); one provision id is one section")


def _check_review_date(folder: Path, sources, review: date, problems):
    """The review date (presets.csv, `current`) is the day the data was last checked: no source can
    have been read after it."""
    for s in sources:
        if s.retrieved > review:
            problems.append(f"{folder / 'sources.csv'}: {s.id}: field 'retrieved': {s.retrieved} is after the review "
                            f"date {review} (presets.csv, current): set the review date to the day the data was last checked")


def _check_contact_duties(folder: Path, contacts, provisions, review: date, problems):
    """A contact is never more confirmed than the duty it stands for, as in force on the review date
    (or its latest version, when none is in force then)."""
    by_id: dict[str, list[Provision]] = {}
    for p in provisions:
        by_id.setdefault(p.id, []).append(p)
    for c in contacts:
        if not c.duty:
            continue
        versions = by_id.get(c.duty)
        if not versions:
            problems.append(f"{folder / 'contacts.csv'}: {c.id}: field 'duty': '{c.duty}' is not a provision id in provisions.csv")
            continue
        now = [v for v in versions if v.in_force(review)] or [max(versions, key=lambda v: v.effective_from)]
        duty_level = lowest_confidence(*(v.confidence for v in now))
        if CONFIDENCE.index(c.confidence) < CONFIDENCE.index(duty_level):
            problems.append(f"{folder / 'contacts.csv'}: {c.id}: field 'confidence': '{c.confidence}' is more confirmed than "
                            f"the duty it stands for ({c.duty}: '{duty_level}' on {review}); use '{duty_level}' or lower")


def _parameter_checks(path, line, row, problems):
    values = {k: (row[k] or "").strip() for k in ("name", "label", "unit", "provision_id", "reference")}
    for name in ("name", "label", "provision_id", "reference"):
        _need(path, line, row, name, problems)
    values["value"] = _int(row, "value", path, line, problems)
    if values["value"] is None:
        problems.append(f"{path}: row {line}: field 'value' is required: a whole number")
    values["confidence"] = _need(path, line, row, "confidence", problems, CONFIDENCE)
    values["effective_from"] = _date(row, "effective_from", path, line, problems)
    values["effective_to"] = _date(row, "effective_to", path, line, problems, required=False)
    return values


def _contact_checks(path, line, row, problems):
    values = {k: (row[k] or "").strip() for k in ("id", "name", "phone", "text", "url", "when", "who_calls", "duty")}
    for name in ("id", "name", "phone", "url", "when"):
        _need(path, line, row, name, problems)
    values["in_brochure"] = _bool(row, "in_brochure", path, line, problems)
    values["confidence"] = _need(path, line, row, "confidence", problems, CONFIDENCE)
    return values


def _check_overlaps(path, items, key, problems):
    groups: dict[tuple, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    for k, versions in groups.items():
        versions.sort(key=lambda v: v.effective_from)
        for a, b in zip(versions, versions[1:]):
            if a.effective_to is None or a.effective_to >= b.effective_from:
                problems.append(f"{path}: versions of {' / '.join(x for x in k if x)} overlap: "
                                f"{a.effective_from} to {a.effective_to or 'open'} and from {b.effective_from}")
