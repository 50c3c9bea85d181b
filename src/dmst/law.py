"""The law as data: load and validate dated provision versions, parameters and contacts.

One row of `data/provisions.csv` is one *version* of one provision (or of one penalty
tier of it), in force from `effective_from` to `effective_to` (inclusive; empty = still
in force). Rules never hold legal numbers themselves: they ask `Law.on(date)` for the
version in force and read its citation, class and penalties (the OpenFisca idea of
dated parameters with a reference).

Only the standard library is used here, so `import dmst` stays fast; `Law.table()` is
the door to pandas for notebooks.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from pathlib import Path

from .case import CONDUCT

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
JURISDICTIONS = ("US", "CT")
CONFIDENCE = ("high", "medium", "verify")
TABLES = ("provisions", "parameters", "contacts", "glossary", "presets")


class LawDataError(ValueError):
    """A data file breaks the rules; the message has one line per problem (file, row, field)."""


@dataclass(frozen=True)
class Provision:
    """One version (and penalty tier) of a provision. `min_months` is a *mandatory* minimum."""
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
    life: bool
    fine_max_usd: int | None
    reaches: frozenset
    effective_from: date
    effective_to: date | None
    source: str
    confidence: str
    notes: str

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def period(self) -> str:
        return f"{self.effective_from.isoformat()} to {self.effective_to.isoformat() if self.effective_to else 'now'}"


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
    confidence: str

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    phone: str
    text: str
    when: str
    who_calls: str
    in_brochure: bool
    source: str
    confidence: str

    @property
    def confirmed(self) -> bool:
        """Confirmed in an official source: safe to show as a number to call."""
        return self.confidence == "high"


class LawOnDate:
    """The law in force on one date: the versions rules read. Built once per date (cached)."""

    def __init__(self, law: "Law", as_of: date):
        self.law = law
        self.as_of = as_of
        self._versions = {(p.id, p.tier): p for p in law.provisions if p.in_force(as_of)}
        self._params = {p.name: p for p in law.parameters if p.in_force(as_of)}

    def provision(self, pid: str, tier: str = "") -> Provision | None:
        """The version of `pid` (and tier) in force on this date, or None if none is."""
        return self._versions.get((pid, tier))

    def parameter(self, name: str) -> int:
        return self._params[name].value


class Law:
    """Every provision version, parameter, contact and preset, validated."""

    def __init__(self, provisions, parameters, contacts, presets, data_dir: Path):
        self.provisions: tuple[Provision, ...] = tuple(provisions)
        self.parameters: tuple[Parameter, ...] = tuple(parameters)
        self.contacts: dict[str, Contact] = {c.id: c for c in contacts}
        self.presets: dict[str, date] = dict(presets)
        self.data_dir = data_dir
        self.model_start: date = min(p.effective_from for p in self.provisions)
        self._by_id: dict[str, list[Provision]] = {}
        for p in self.provisions:
            self._by_id.setdefault(p.id, []).append(p)

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def versions(self, pid: str) -> list[Provision]:
        """All versions and tiers of one provision, oldest first."""
        return sorted(self._by_id.get(pid, []), key=lambda p: (p.effective_from, p.tier))

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
        for col in ("effective_from", "effective_to", "date"):
            if col in frame:
                frame[col] = pd.to_datetime(frame[col].replace("", None))
        for col in ("min_months", "max_months", "fine_max_usd", "value"):
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
    provisions = _read(folder / "provisions.csv", Provision, problems, _provision_checks)
    parameters = _read(folder / "parameters.csv", Parameter, problems, _parameter_checks)
    contacts = _read(folder / "contacts.csv", Contact, problems, _contact_checks)
    presets = [(r["name"], _date(r, "date", folder / "presets.csv", i, problems))
               for i, r in enumerate(_rows(folder / "presets.csv", problems), start=2)]
    _check_overlaps(folder / "provisions.csv", provisions, lambda p: (p.id, p.tier), problems)
    _check_overlaps(folder / "parameters.csv", parameters, lambda p: (p.name,), problems)
    known = {(r.get("id") or "").strip() for r in _rows(folder / "provisions.csv", [])}
    for i, r in enumerate(_rows(folder / "parameters.csv", []), start=2):
        pid = (r.get("provision_id") or "").strip()
        if pid and pid not in known:
            problems.append(f"{folder / 'parameters.csv'}: row {i}: field 'provision_id': '{pid}' is not a provision id in provisions.csv")
    if not provisions and not problems:
        problems.append(f"{folder / 'provisions.csv'}: no provisions")
    if problems:
        raise LawDataError("\n".join(problems))
    return Law(provisions, parameters, contacts, presets, folder)


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


def _provision_checks(path, line, row, problems):
    values = {k: (row[k] or "").strip() for k in ("id", "tier", "citation", "title", "summary", "brochure_says",
                                                    "brochure_differs", "classification", "source", "notes")}
    for name in ("id", "citation", "title", "summary", "source"):
        _need(path, line, row, name, problems)
    values["jurisdiction"] = _need(path, line, row, "jurisdiction", problems, JURISDICTIONS)
    values["confidence"] = _need(path, line, row, "confidence", problems, CONFIDENCE)
    for name in ("min_months", "max_months", "fine_max_usd"):
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
    if values["life"] and values["max_months"] is not None:
        problems.append(f"{path}: row {line}: field 'max_months': must be empty when life is true")
    return values


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
    values = {k: (row[k] or "").strip() for k in ("id", "name", "phone", "text", "when", "who_calls", "source")}
    for name in ("id", "name", "phone", "when", "source"):
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
