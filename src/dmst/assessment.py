"""What `classify` returns: conclusions, each with its rule, provision and reasons.

The dataclasses' fields, in order, are the CLI's JSON contract (see README): the CLI hands
them to orjson, which writes dataclasses as objects field by field, and `to_dict` gives the
same shape for Python callers (a test keeps the two equal). `to_frame` is for notebooks.
Step and ActorProvision are plain slotted dataclasses, not frozen ones: a batch of 10,000
cases makes some 150,000 steps, and a frozen dataclass takes four times as long to build.
Treat them as read-only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class Step:
    """One conclusion (or one rule that did not apply) and the facts it used.

    `provision` is the provision id it rests on, or "" for advice that rests on the contacts
    data alone (then `citation` names that source). `confidence` is the cited version's
    ("verify": not confirmed in an official source, and every face says so)."""
    rule: str
    provision: str
    citation: str
    conclusion: str
    because: str
    confidence: str = "high"

    def to_dict(self) -> dict:
        return {"rule": self.rule, "provision": self.provision, "citation": self.citation,
                "conclusion": self.conclusion, "because": self.because, "confidence": self.confidence}


@dataclass(slots=True)
class ActorProvision:
    """A provision that may apply to one actor, with the penalty of the tier the facts select.

    The maximum is `life`, or `maximum_months`, or `maximum_days` (terms the statute gives in
    days, such as 364), or none of them when the sources give no term. `confidence` is the
    lowest of the provision version's and its penalty class's."""
    id: str
    citation: str
    title: str
    classification: str
    mandatory_minimum_months: int | None
    maximum_months: int | None
    maximum_days: int | None
    life: bool
    fine_max_usd: int | None
    confidence: str

    def to_dict(self) -> dict:
        return {"id": self.id, "citation": self.citation, "title": self.title, "classification": self.classification,
                "mandatory_minimum_months": self.mandatory_minimum_months, "maximum_months": self.maximum_months,
                "maximum_days": self.maximum_days, "life": self.life, "fine_max_usd": self.fine_max_usd,
                "confidence": self.confidence}


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
    ct_prostitution: str | None
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
                                columns=["actor", "id", "citation", "title", "classification", "mandatory_minimum_months",
                                         "maximum_months", "maximum_days", "life", "fine_max_usd", "confidence"])
        if which not in ("explanation", "not_applied"):
            raise ValueError(f"which must be one of explanation, not_applied, actors; got {which!r}")
        return pd.DataFrame([s.to_dict() for s in getattr(self, which)],
                            columns=["rule", "provision", "citation", "conclusion", "because", "confidence"])
