"""The input contract: a fictional case and the people (actors) in it.

`Case.from_dict` is the only way in from JSON or widgets. It checks every field and
collects *all* problems, each naming the case, the field and the allowed values, so a
user sees everything wrong at once instead of a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("citizen", "permanent_resident", "other", "unknown")
PURPOSES = ("prostitution", "pornography", "erotic_dancing", "labor", "none")
SEX_PURPOSES = ("prostitution", "pornography", "erotic_dancing")
CONDUCT = (
    "recruited", "harbored", "transported", "provided", "obtained", "maintained",
    "advertised", "benefited", "patronized", "coerced", "compelled_by_force",
    "promoted", "held_in_servitude", "kidnapped", "sexually_abused", "obstructed",
)
_CONDUCT = frozenset(CONDUCT)  # for membership tests; CONDUCT keeps the order
AGE_RANGE = (0, 120)
BOOL_FIELDS = ("anything_of_value", "force_fraud_or_coercion", "crossed_state_lines",
               "arrested_for_prostitution")
FIELDS = ("id", "age", "status", "purpose", *BOOL_FIELDS, "actors")
ACTOR_FIELDS = ("name", "conduct")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, which field, and what is allowed."""
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: field '{self.field}': {self.message}"


class CaseError(ValueError):
    """Raised with every problem found; str() gives one line per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Actor:
    name: str
    conduct: frozenset[str] = frozenset()

    def to_dict(self) -> dict:
        return {"name": self.name, "conduct": [c for c in CONDUCT if c in self.conduct]}


@dataclass(frozen=True)
class Case:
    age: int
    purpose: str
    status: str = "unknown"
    anything_of_value: bool = False
    force_fraud_or_coercion: bool = False
    crossed_state_lines: bool = False
    arrested_for_prostitution: bool = False
    actors: tuple[Actor, ...] = field(default_factory=tuple)
    id: str | None = None

    @classmethod
    def from_dict(cls, data: object, where: str = "case") -> "Case":
        """Validate a JSON-like mapping; raise CaseError listing every problem."""
        problems: list[Problem] = []
        if not isinstance(data, dict):
            raise CaseError([Problem(where, "(case)", f"must be a JSON object with fields {', '.join(FIELDS)}; got {_show(data)}")])
        if isinstance(data.get("id"), str) and data["id"]:
            where = f"{where} (id '{data['id']}')"
        for key in data:
            if key not in FIELDS:
                problems.append(Problem(where, str(key), f"unknown field; allowed fields: {', '.join(FIELDS)}"))
        case_id = data.get("id")
        if case_id is not None and not isinstance(case_id, str):
            problems.append(Problem(where, "id", f"must be a string; got {_show(case_id)}"))
        age = data.get("age")
        lo, hi = AGE_RANGE
        if "age" not in data:
            problems.append(Problem(where, "age", f"is required: a whole number from {lo} to {hi}"))
        elif isinstance(age, bool) or not isinstance(age, int) or not lo <= age <= hi:
            problems.append(Problem(where, "age", f"must be a whole number from {lo} to {hi}; got {_show(age)}"))
        status = data.get("status", "unknown")
        if status not in STATUSES:
            problems.append(Problem(where, "status", f"must be one of {', '.join(STATUSES)}; got {_show(status)}"))
        purpose = data.get("purpose")
        if "purpose" not in data:
            problems.append(Problem(where, "purpose", f"is required: one of {', '.join(PURPOSES)}"))
        elif purpose not in PURPOSES:
            problems.append(Problem(where, "purpose", f"must be one of {', '.join(PURPOSES)}; got {_show(purpose)}"))
        flags = {}
        for name in BOOL_FIELDS:
            value = data.get(name, False)
            if not isinstance(value, bool):
                problems.append(Problem(where, name, f"must be true or false; got {_show(value)}"))
            flags[name] = value is True
        actors = _actors(data.get("actors", []), where, problems)
        if problems:
            raise CaseError(problems)
        return cls(age=age, purpose=purpose, status=status, actors=actors, id=case_id, **flags)

    def to_dict(self) -> dict:
        out = {"id": self.id} if self.id is not None else {}
        out.update(age=self.age, status=self.status, purpose=self.purpose,
                   **{name: getattr(self, name) for name in BOOL_FIELDS},
                   actors=[a.to_dict() for a in self.actors])
        return out


def _actors(raw: object, where: str, problems: list[Problem]) -> tuple[Actor, ...]:
    if not isinstance(raw, list):
        problems.append(Problem(where, "actors", f"must be a list of objects with fields {', '.join(ACTOR_FIELDS)}; got {_show(raw)}"))
        return ()
    actors, seen = [], set()
    for i, item in enumerate(raw):
        label = f"actors[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(where, label, f"must be an object with fields {', '.join(ACTOR_FIELDS)}; got {_show(item)}"))
            continue
        for key in item:
            if key not in ACTOR_FIELDS:
                problems.append(Problem(where, f"{label}.{key}", f"unknown field; allowed fields: {', '.join(ACTOR_FIELDS)}"))
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(where, f"{label}.name", f"is required: a non-empty string; got {_show(name)}"))
        elif name in seen:
            problems.append(Problem(where, f"{label}.name", f"'{name}' is used by another actor; each actor needs a different name"))
        else:
            seen.add(name)
        conduct = item.get("conduct", [])
        if not isinstance(conduct, list):
            problems.append(Problem(where, f"{label}.conduct", f"must be a list of: {', '.join(CONDUCT)}; got {_show(conduct)}"))
            conduct = []
        bad = [c for c in conduct if not (isinstance(c, str) and c in _CONDUCT)]
        for c in bad:
            problems.append(Problem(where, f"{label}.conduct", f"{_show(c)} is not one of {', '.join(CONDUCT)}"))
        if isinstance(name, str):
            actors.append(Actor(name=name, conduct=frozenset(c for c in conduct if isinstance(c, str) and c in _CONDUCT)))
    return tuple(actors)


def _show(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."
