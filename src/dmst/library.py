"""The fictional case library: short vignettes with structured facts and the outcome the
law gives under each preset date (`data/cases.json`).

The expected outcomes were worked out from the law data by hand, not copied from
`classify`, so the library is an independent check on the rules: every case under every
preset is a test, and the simulator's predict-then-reveal uses `compare` to show a
learner where a prediction and the law part ways.

Each preset's expectation holds `trafficking_victim`, `trafficking_type`, `dmst`,
`ct_prostitution`, `notify` (contact ids, in the classifier's order), `actors` (every
actor's name -> the provision ids that may apply, in the classifier's order),
`minimums` (actor -> provision id -> mandatory minimum in months, for every provision
that carries one) and, optionally, `penalties` (actor -> provision id -> any of
`classification`, `maximum_months`, `life`, `fine_max_usd`).

Standard library only; pandas is imported inside `frame()`. The loaded data is shared:
treat it as read-only.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .assessment import Assessment
from .case import Case, CaseError
from .law import DATA_DIR, load_law

CASES_FILE = DATA_DIR / "cases.json"
ENTRY_FIELDS = ("id", "title", "vignette", "case", "teaching_point", "expected")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TRAFFICKING_TYPES = ("sex", "labor", None)
CT_PROSTITUTION = ("not_prosecutable", "presumed_coerced", "adult", None)
OUTCOME_FIELDS = ("trafficking_victim", "trafficking_type", "dmst", "ct_prostitution")
EXPECTED_FIELDS = (*OUTCOME_FIELDS, "notify", "actors", "minimums")
OPTIONAL_EXPECTED_FIELDS = ("penalties",)
PENALTY_FIELDS = ("classification", "maximum_months", "maximum_days", "life", "fine_max_usd")


class LibraryError(ValueError):
    """The case file breaks the rules; one line per problem, naming the case id and field."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class UnknownCaseError(LookupError):
    """`get` was asked for an id the library does not have."""


@dataclass(frozen=True)
class LibraryCase:
    id: str
    title: str
    vignette: str
    teaching_point: str
    case: Case
    expected: dict = field(hash=False)  # preset name -> expected outcome (see module docstring)


def cases() -> list[LibraryCase]:
    """Every library case, in file order (loaded once)."""
    return list(_cached())


def get(case_id: str) -> LibraryCase:
    """One case by id; UnknownCaseError names the id and lists the valid ones."""
    for lc in _cached():
        if lc.id == case_id:
            return lc
    valid = ", ".join(lc.id for lc in _cached())
    raise UnknownCaseError(f"no library case with id {case_id!r}; valid ids: {valid}")


@lru_cache(maxsize=1)
def _cached() -> tuple[LibraryCase, ...]:
    return tuple(load_cases())


def load_cases(path: Path | str = CASES_FILE) -> list[LibraryCase]:
    """Read and validate a case file; LibraryError lists every problem found."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LibraryError([f"{path}: case file not found"]) from None
    except json.JSONDecodeError as e:
        raise LibraryError([f"{path.name}: not valid JSON: {e}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("about"), str) or not isinstance(data.get("cases"), list):
        raise LibraryError([f"{path.name}: must be an object with 'about' (text) and 'cases' (a list)"])
    law = load_law()
    problems: list[str] = []
    out: list[LibraryCase] = []
    seen: set[str] = set()
    for i, entry in enumerate(data["cases"]):
        lc = _entry(entry, i, f"{path.name}: case", law, problems, seen)
        if lc is not None:
            out.append(lc)
    if problems:
        raise LibraryError(problems)
    return out


def _entry(entry, i, prefix, law, problems, seen) -> LibraryCase | None:
    if not isinstance(entry, dict):
        problems.append(f"{prefix} [{i}]: must be an object with fields {', '.join(ENTRY_FIELDS)}")
        return None
    cid = entry.get("id")
    if not isinstance(cid, str) or not ID_PATTERN.match(cid):
        problems.append(f"{prefix} [{i}]: field 'id': must be kebab-case text like 'age-15-boyfriend'; got {cid!r}")
        return None
    where = f"{prefix} '{cid}'"
    start = len(problems)
    if cid in seen:
        problems.append(f"{where}: field 'id': used by another case; ids must be unique")
    seen.add(cid)
    for key in entry:
        if key not in ENTRY_FIELDS:
            problems.append(f"{where}: field '{key}': unknown field; allowed fields: {', '.join(ENTRY_FIELDS)}")
    for key in ("title", "vignette", "teaching_point"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problems.append(f"{where}: field '{key}': is required: non-empty text")
    case = _case(entry.get("case"), cid, where, problems)
    expected = entry.get("expected")
    if not isinstance(expected, dict) or set(expected) != set(law.presets):
        problems.append(f"{where}: field 'expected': must be an object with one key per preset: {', '.join(law.presets)}")
    elif case is not None:
        for preset, outcome in expected.items():
            _outcome(outcome, f"{where}: field 'expected.{preset}", case, law, problems)
    if len(problems) > start or case is None:
        return None
    return LibraryCase(id=cid, title=entry["title"], vignette=entry["vignette"],
                       teaching_point=entry["teaching_point"], case=case, expected=expected)


def _case(raw, cid, where, problems) -> Case | None:
    if isinstance(raw, dict) and "id" not in raw:
        raw = {**raw, "id": cid}
    elif isinstance(raw, dict) and raw["id"] != cid:
        problems.append(f"{where}: field 'case.id': must be the case's own id '{cid}' or left out; got {raw['id']!r}")
        return None
    try:
        return Case.from_dict(raw)
    except CaseError as e:
        problems.extend(f"{where}: field 'case.{p.field}': {p.message}" if p.field != "(case)"
                        else f"{where}: field 'case': {p.message}" for p in e.problems)
        return None


def _outcome(outcome, where, case, law, problems) -> None:
    """Check one preset's expectation: known fields, allowed values, names and provision ids."""
    def bad(path, message):
        problems.append(f"{where}{path}': {message}")

    if not isinstance(outcome, dict):
        bad("", f"must be an object with fields {', '.join(EXPECTED_FIELDS)}")
        return
    for key in outcome:
        if key not in EXPECTED_FIELDS + OPTIONAL_EXPECTED_FIELDS:
            bad(f".{key}", f"unknown field; allowed fields: {', '.join(EXPECTED_FIELDS + OPTIONAL_EXPECTED_FIELDS)}")
    for key in EXPECTED_FIELDS:
        if key not in outcome:
            bad(f".{key}", "is required")
    for key in ("trafficking_victim", "dmst"):
        if key in outcome and not isinstance(outcome[key], bool):
            bad(f".{key}", f"must be true or false; got {outcome[key]!r}")
    if "trafficking_type" in outcome and outcome["trafficking_type"] not in TRAFFICKING_TYPES:
        bad(".trafficking_type", f"must be one of sex, labor, null; got {outcome['trafficking_type']!r}")
    if "ct_prostitution" in outcome and outcome["ct_prostitution"] not in CT_PROSTITUTION:
        bad(".ct_prostitution", f"must be one of {', '.join(str(v) for v in CT_PROSTITUTION[:-1])} or null; "
                                f"got {outcome['ct_prostitution']!r}")
    notify = outcome.get("notify", [])
    if not isinstance(notify, list) or any(c not in law.contacts for c in notify):
        bad(".notify", f"must be a list of contact ids from: {', '.join(law.contacts)}; got {notify!r}")
    names = [a.name for a in case.actors]
    actors = outcome.get("actors", {})
    if not isinstance(actors, dict) or sorted(actors) != sorted(names):
        bad(".actors", f"must name every actor in the case exactly once ({', '.join(names) or 'none'}); "
                       f"got {', '.join(actors) if isinstance(actors, dict) else repr(actors)}")
        return
    for name, ids in actors.items():
        if not isinstance(ids, list) or any(pid not in law.ids for pid in ids):
            bad(f".actors.{name}", f"must be a list of provision ids from: {', '.join(law.ids)}; got {ids!r}")
    for key, allowed in (("minimums", None), ("penalties", PENALTY_FIELDS)):
        per_actor = outcome.get(key, {})
        if not isinstance(per_actor, dict):
            bad(f".{key}", "must be an object: actor name -> provision id -> value")
            continue
        for name, by_id in per_actor.items():
            if name not in actors:
                bad(f".{key}.{name}", f"is not an actor in this case ({', '.join(names) or 'none'})")
                continue
            if not isinstance(by_id, dict):
                bad(f".{key}.{name}", "must be an object: provision id -> value")
                continue
            for pid, value in by_id.items():
                if pid not in actors[name]:
                    bad(f".{key}.{name}.{pid}", f"is not in the provisions expected for {name}")
                elif allowed is None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
                    bad(f".{key}.{name}.{pid}", f"must be a whole number of months; got {value!r}")
                elif allowed is not None and (not isinstance(value, dict) or set(value) - set(allowed)):
                    bad(f".{key}.{name}.{pid}", f"must be an object with any of: {', '.join(allowed)}; got {value!r}")


def compare(library_case: LibraryCase, assessment: Assessment, preset: str) -> list[str]:
    """What differs between the library's expectation under `preset` and `assessment`,
    one plain sentence per difference; an empty list when they agree."""
    if preset not in library_case.expected:
        raise ValueError(f"preset must be one of {', '.join(library_case.expected)}; got {preset!r}")
    want = library_case.expected[preset]
    out: list[str] = []
    preset_date = load_law().presets.get(preset)
    if preset_date is not None and assessment.as_of != preset_date:
        out.append(f"the assessment is for {assessment.as_of}, but the '{preset}' expectation is for {preset_date}")
    got = assessment.to_dict()
    for key in OUTCOME_FIELDS:
        if got[key] != want[key]:
            out.append(f"{key}: expected {_show(want[key])}, got {_show(got[key])}")
    if got["notify"] != want["notify"]:
        out.append(f"notify: expected {_show(want['notify'])}, got {_show(got['notify'])}")
    actual = {a.name: a.provisions for a in assessment.actors}
    for name in [*want["actors"], *[n for n in actual if n not in want["actors"]]]:
        out.extend(_compare_actor(name, want, actual))
    return out


def _compare_actor(name, want, actual) -> list[str]:
    if name not in actual:
        return [f"actor '{name}': expected in the assessment, but it is missing"]
    if name not in want["actors"]:
        return [f"actor '{name}': in the assessment, but not expected"]
    expected_ids, found = want["actors"][name], actual[name]
    found_ids = [p.id for p in found]
    out = [f"actor '{name}': expected {pid} to apply, but it did not" for pid in expected_ids if pid not in found_ids]
    out += [f"actor '{name}': {pid} applied, but was not expected" for pid in found_ids if pid not in expected_ids]
    if not out and found_ids != expected_ids:
        out.append(f"actor '{name}': provisions in the order {found_ids}, expected {expected_ids}")
    minimums = want["minimums"].get(name, {})
    penalties = want.get("penalties", {}).get(name, {})
    for p in found:
        if p.id not in expected_ids:
            continue
        if p.mandatory_minimum_months != minimums.get(p.id):
            out.append(f"actor '{name}': {p.id} mandatory minimum: expected {_months(minimums.get(p.id))}, "
                       f"got {_months(p.mandatory_minimum_months)}")
        for key, value in penalties.get(p.id, {}).items():
            if getattr(p, key) != value:
                out.append(f"actor '{name}': {p.id} {key}: expected {_show(value)}, got {_show(getattr(p, key))}")
    return out


def _show(value) -> str:
    return json.dumps(value)


def _months(value) -> str:
    return "none" if value is None else f"{value} months"


def frame():
    """One row per case: id, title, age, purpose and, per preset, the expected victim,
    trafficking type and Connecticut prostitution standing (for notebooks)."""
    import pandas as pd

    rows = []
    for lc in cases():
        row = {"id": lc.id, "title": lc.title, "age": lc.case.age, "purpose": lc.case.purpose}
        for preset, want in lc.expected.items():
            row[f"{preset}_victim"] = want["trafficking_victim"]
            row[f"{preset}_type"] = want["trafficking_type"]
            row[f"{preset}_ct_prostitution"] = want["ct_prostitution"]
        rows.append(row)
    return pd.DataFrame(rows)
