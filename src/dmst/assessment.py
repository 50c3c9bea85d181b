"""What `classify` returns: conclusions, each with its rule, provision and reasons.

`to_dict` is the CLI's JSON shape (see README); `to_frame` is for notebooks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Step:
    """One conclusion (or one rule that did not apply) and the facts it used."""
    rule: str
    provision: str
    citation: str
    conclusion: str
    because: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "provision": self.provision, "citation": self.citation,
                "conclusion": self.conclusion, "because": self.because}


@dataclass(frozen=True)
class ActorProvision:
    """A provision that may apply to one actor, with the penalty of the tier the facts select."""
    id: str
    citation: str
    title: str
    classification: str
    mandatory_minimum_months: int | None
    maximum_months: int | None
    life: bool
    fine_max_usd: int | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ActorResult:
    name: str
    provisions: tuple[ActorProvision, ...]

    def to_dict(self) -> dict:
        return {"name": self.name, "provisions": [p.to_dict() for p in self.provisions]}


@dataclass(frozen=True)
class Assessment:
    id: str | None
    as_of: date
    minor: bool
    commercial_sex_act: bool
    trafficking_type: str | None
    trafficking_victim: bool
    dmst: bool
    force_fraud_coercion_required: bool
    ct_prostitution: str
    notify: tuple[str, ...]
    actors: tuple[ActorResult, ...]
    explanation: tuple[Step, ...] = field(default_factory=tuple)
    not_applied: tuple[Step, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {
            "id": self.id, "as_of": self.as_of.isoformat(), "minor": self.minor,
            "commercial_sex_act": self.commercial_sex_act, "trafficking_type": self.trafficking_type,
            "trafficking_victim": self.trafficking_victim, "dmst": self.dmst,
            "force_fraud_coercion_required": self.force_fraud_coercion_required,
            "ct_prostitution": self.ct_prostitution, "notify": list(self.notify),
            "actors": [a.to_dict() for a in self.actors],
            "explanation": [s.to_dict() for s in self.explanation],
            "not_applied": [s.to_dict() for s in self.not_applied],
        }

    def to_frame(self, which: str = "explanation"):
        """The explanation (or `not_applied`, or `actors`) as a pandas DataFrame."""
        import pandas as pd

        if which == "actors":
            return pd.DataFrame([{"actor": a.name, **p.to_dict()} for a in self.actors for p in a.provisions],
                                columns=["actor", "id", "citation", "title", "classification",
                                         "mandatory_minimum_months", "maximum_months", "life", "fine_max_usd"])
        if which not in ("explanation", "not_applied"):
            raise ValueError(f"which must be one of explanation, not_applied, actors; got {which!r}")
        return pd.DataFrame([s.to_dict() for s in getattr(self, which)],
                            columns=["rule", "provision", "citation", "conclusion", "because"])
