"""The rules. Each function encodes one provision and quotes, in its docstring, the
sentence it encodes (the Catala habit). `classify(case, as_of)` runs them in order and
returns an Assessment in which every conclusion, and every rule that did *not* apply,
names its provision, citation and the facts it used.

Numbers, ages, dates, classes and citations come from the law version in force on
`as_of` (see law.py); nothing legal is typed here but the logic. No pandas, no widgets.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .assessment import ActorProvision, ActorResult, Assessment, Step
from .case import CONDUCT, SEX_PURPOSES, Actor, Case
from .law import Law, LawOnDate, Provision, load_law

US_PERSONS = ("citizen", "permanent_resident")
NOTIFY_ORDER = ("dcf_careline", "fbi", "us_attorney", "dcf_arrest_notice")


def parse_as_of(value: object) -> date:
    """A date from `YYYY-MM-DD` (or a date); ValueError names the field and the format."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"field 'as_of': '{value}' is not a date YYYY-MM-DD") from None


def classify(case: Case | dict, as_of: date | str | None = None, law: Law | None = None) -> Assessment:
    """Classify one case under the law in force on `as_of` (default: today).

    Raises CaseError for an invalid case and ValueError for a date outside the model.
    """
    law = law or load_law()
    if not isinstance(case, Case):
        case = Case.from_dict(case)
    as_of = parse_as_of(as_of) if as_of is not None else date.today()
    r = _Reasoning(case, law, law.on(as_of))

    minor = rule_minor(r)
    csa = rule_commercial_sex_act(r)
    sex = rule_sex_trafficking(r, minor, csa)
    labor = rule_labor_trafficking(r)
    ffc_required = rule_means_required(r, minor)
    dmst = rule_dmst(r, minor, sex)
    standing = rule_ct_prostitution(r)
    victim = sex or labor
    notify = rule_notify(r, minor, sex, victim)
    facts = _Facts(minor=minor, csa=csa, sex=sex, labor=labor)
    actors = tuple(ActorResult(a.name, tuple(_actor_provisions(r, a, facts))) for a in case.actors)
    return Assessment(
        id=case.id, as_of=as_of, minor=minor, commercial_sex_act=csa,
        trafficking_type="sex" if sex else "labor" if labor else None,
        trafficking_victim=victim, dmst=dmst, force_fraud_coercion_required=ffc_required,
        ct_prostitution=standing, notify=notify, actors=actors,
        explanation=tuple(r.steps), not_applied=tuple(r.not_applied))


@dataclass(frozen=True)
class _Facts:
    minor: bool
    csa: bool
    sex: bool
    labor: bool


class _Reasoning:
    """Collects steps; `cite` gives the citation of the version in force (or any version)."""

    def __init__(self, case: Case, law: Law, on: LawOnDate):
        self.case, self.law, self.on = case, law, on
        self.steps: list[Step] = []
        self.not_applied: list[Step] = []

    def cite(self, pid: str, tier: str = "") -> str:
        version = self.on.provision(pid, tier) or self.law.first(pid)
        return version.citation

    def yes(self, rule, pid, conclusion, because, tier=""):
        self.steps.append(Step(rule, pid, self.cite(pid, tier), conclusion, because))

    def no(self, rule, pid, conclusion, because, tier=""):
        self.not_applied.append(Step(rule, pid, self.cite(pid, tier), conclusion, because))


# --- the person ----------------------------------------------------------------------

def rule_minor(r: _Reasoning) -> bool:
    """22 U.S.C. § 7102; 18 U.S.C. § 1591(a): a person who "has not attained the age of 18 years"."""
    limit, age = r.on.parameter("age_of_majority"), r.case.age
    if age < limit:
        r.yes("minor", "us-22-7102", "The young person is a minor.", f"age {age} is under {limit}")
        return True
    r.no("minor", "us-22-7102", "The person is not a minor.", f"age {age} is {limit} or over")
    return False


def rule_commercial_sex_act(r: _Reasoning) -> bool:
    """22 U.S.C. § 7102: "any sex act on account of which anything of value is given to or received by any person"."""
    c = r.case
    sexual = c.purpose in SEX_PURPOSES
    if sexual and c.anything_of_value:
        r.yes("commercial_sex_act", "us-22-7102", "This is a commercial sex act.",
              f"purpose is {_words(c.purpose)} and something of value was given, received or promised")
        return True
    why = (f"purpose is {_words(c.purpose)}, not a sex act" if not sexual
           else "nothing of value was given, received or promised on account of the act")
    r.no("commercial_sex_act", "us-22-7102", "No commercial sex act.", why)
    return False


def rule_sex_trafficking(r: _Reasoning, minor: bool, csa: bool) -> bool:
    """22 U.S.C. § 7102 ("severe forms of trafficking in persons"): sex trafficking "in which a
    commercial sex act is induced by force, fraud, or coercion, or in which the person induced to
    perform such act has not attained 18 years of age"."""
    ffc = r.case.force_fraud_or_coercion
    if csa and (minor or ffc):
        why = ("a commercial sex act involving a person under 18" if minor
               else "a commercial sex act induced by force, fraud or coercion")
        r.yes("sex_trafficking", "us-22-7102", "The person is a victim of sex trafficking.", why)
        return True
    why = ("there is no commercial sex act" if not csa
           else "the person is 18 or over and no force, fraud or coercion was used")
    r.no("sex_trafficking", "us-22-7102", "Not sex trafficking.", why)
    return False


def rule_labor_trafficking(r: _Reasoning) -> bool:
    """22 U.S.C. § 7102: labor trafficking is obtaining "a person for labor or services, through
    the use of force, fraud, or coercion for the purpose of subjection to involuntary servitude"."""
    c = r.case
    held = [a.name for a in c.actors if "held_in_servitude" in a.conduct]
    if c.purpose == "labor" and (c.force_fraud_or_coercion or held):
        why = "purpose is labor, " + ("obtained by force, fraud or coercion" if c.force_fraud_or_coercion
                                      else f"and {', '.join(held)} held the person in servitude")
        r.yes("labor_trafficking", "us-22-7102", "The person is a victim of labor trafficking.", why)
        return True
    why = (f"purpose is {_words(c.purpose)}, not labor" if c.purpose != "labor"
           else "purpose is labor but no force, fraud or coercion was used and no one held the person in servitude")
    r.no("labor_trafficking", "us-22-7102", "Not labor trafficking.", why)
    return False


def rule_means_required(r: _Reasoning, minor: bool) -> bool:
    """22 U.S.C. § 7102: for a person under 18 the "means" (force, fraud or coercion) need not be shown."""
    if minor:
        r.yes("force_fraud_coercion_required", "us-22-7102",
              "Force, fraud or coercion does not have to be proven for sex trafficking.", f"the person is {r.case.age}, under 18")
        return False
    r.yes("force_fraud_coercion_required", "us-22-7102",
          "Force, fraud or coercion must be proven for sex trafficking.", f"the person is {r.case.age}, an adult")
    return True


def rule_dmst(r: _Reasoning, minor: bool, sex: bool) -> bool:
    """The brochure's "domestic minor sex trafficking": a U.S. citizen or lawful permanent resident
    under 18 trafficked for sex (22 U.S.C. § 7102's terms; DMST itself is not a statutory term)."""
    status = r.case.status
    if minor and sex and status in US_PERSONS:
        r.yes("dmst", "us-22-7102", "Domestic minor sex trafficking (today: child sex trafficking).",
              f"a minor who is a {_words(status)}, trafficked for sex")
        return True
    if not (minor and sex):
        why = "the person is not a minor" if not minor else "the person is not trafficked for sex"
    elif status == "unknown":
        why = "citizenship or residence is unknown; the child is still a victim of child sex trafficking"
    else:
        why = "not a U.S. citizen or permanent resident; the child is still a victim of child sex trafficking"
    r.no("dmst", "us-22-7102", "Not 'domestic minor sex trafficking' in the brochure's sense.", why)
    return False


def rule_ct_prostitution(r: _Reasoning) -> str:
    """Conn. Gen. Stat. § 53a-82, as in force on the date: the minimum age to be guilty of
    prostitution (16 from 2010-10-01, 18 from 2016-10-01) and, while it was 16, the presumption
    that a 16- or 17-year-old was coerced."""
    age, min_age = r.case.age, r.on.parameter("ct_prostitution_min_age")
    majority = r.on.parameter("age_of_majority")
    when = r.on.as_of.isoformat()
    if age < min_age:
        r.yes("ct_prostitution", "ct-53a-82", "Cannot be prosecuted for prostitution in Connecticut.",
              f"age {age} is under {min_age}, the minimum age to be guilty of prostitution on {when}")
        return "not_prosecutable"
    if age < majority:
        r.yes("ct_prostitution", "ct-53a-82", "Presumed to have been coerced into prostitution by another person.",
              f"age {age} is {min_age} or over but under {majority} on {when}")
        return "presumed_coerced"
    r.yes("ct_prostitution", "ct-53a-82", "Treated as an adult under the prostitution statute.",
          f"age {age} is {majority} or over")
    return "adult"


def rule_notify(r: _Reasoning, minor: bool, sex: bool, victim: bool) -> tuple[str, ...]:
    """Whom to contact (brochure; Conn. Gen. Stat. §§ 17a-101a-101b; P.A. 11-180)."""
    c, contacts, out = r.case, r.law.contacts, []

    def call(cid, pid, because):
        out.append(cid)
        r.yes(f"notify_{cid}", pid, f"Contact {contacts[cid].name}: {contacts[cid].phone}.", because)

    if minor and victim:
        call("dcf_careline", "ct-17a-101b", "a minor who is a trafficking victim (suspected child abuse: mandated reporters report within 12 hours)")
    else:
        r.no("notify_dcf_careline", "ct-17a-101b", "No trafficking report to the DCF Careline on these facts.",
             "the person is not a minor" if not minor else "the minor is not a trafficking victim on these facts")
    if minor and sex and c.crossed_state_lines:
        for cid in ("fbi", "us_attorney"):
            call(cid, "us-18-1591", "a minor trafficked for sex across state lines (a federal crime)")
    else:
        why = ("no minor trafficked for sex" if not (minor and sex) else "no state line was crossed")
        r.no("notify_federal", "us-18-1591", "No call to the FBI or U.S. Attorney on these facts.", why)
    notice = r.on.provision("ct-pa-11-180")
    if minor and c.arrested_for_prostitution and notice:
        call("dcf_arrest_notice", "ct-pa-11-180", "a minor was arrested for prostitution: DCF must be notified")
    elif minor and c.arrested_for_prostitution:
        first = r.law.first("ct-pa-11-180")
        r.no("notify_dcf_arrest_notice", "ct-pa-11-180", "No statutory arrest notice to DCF on this date.",
             f"P.A. 11-180 was not yet in force on {r.on.as_of} (in force from {first.effective_from})")
    else:
        r.no("notify_dcf_arrest_notice", "ct-pa-11-180", "No arrest notice to DCF.",
             "the person is not a minor" if not minor else "the minor was not arrested for prostitution")
    return tuple(cid for cid in NOTIFY_ORDER if cid in out)


# --- the actors ----------------------------------------------------------------------

def _actor_provisions(r: _Reasoning, actor: Actor, f: _Facts) -> list[ActorProvision]:
    found: list[ActorProvision] = []
    for rule in ACTOR_RULES:
        version = rule(r, actor, f, found)
        if version is not None:
            found.append(_penalty(version))
    return found


def us_1591(r, actor, f, found):
    """18 U.S.C. § 1591(a): whoever knowingly "recruits, entices, harbors, transports, provides,
    obtains, [advertises,] maintains[, patronizes, or solicits]" a person, or "benefits, financially or
    by receiving anything of value" from such a venture, knowing the person is under 18 (or that force,
    fraud or coercion will be used) and will be caused to engage in a commercial sex act.
    (b)(1): not less than 15 years if by force, fraud or coercion or the person was under 14;
    (b)(2): not less than 10 years if 14 through 17. Up to life in both."""
    tier = "b1" if (r.case.age < r.on.parameter("us_1591_b1_under_age") or r.case.force_fraud_or_coercion) else "b2"
    return _reaching(r, actor, "us_1591", "us-18-1591", tier, f.sex, "there is no sex trafficking",
                     _1591_tier_reason(r, tier))


def _1591_tier_reason(r, tier):
    if tier == "b2":
        return f"the person was {r.case.age} (14 through 17): 10-year minimum"
    if r.case.age < r.on.parameter("us_1591_b1_under_age"):
        return f"the person was {r.case.age}, under 14: 15-year minimum"
    return "force, fraud or coercion was used: 15-year minimum"


def us_1591_d(r, actor, f, found):
    """18 U.S.C. § 1591(d): whoever "obstructs, attempts to obstruct, or in any way interferes with or
    prevents the enforcement of this section"."""
    return _reaching(r, actor, "us_1591_d", "us-18-1591-d", "", f.sex, "there is no sex trafficking to obstruct the enforcement of")


def us_1584(r, actor, f, found):
    """18 U.S.C. § 1584: whoever "knowingly and willfully holds to involuntary servitude or sells into
    any condition of involuntary servitude"; life "if the violation includes kidnapping ... or aggravated
    sexual abuse or the attempt". Obstruction is punished the same."""
    holders = [a for a in r.case.actors if "held_in_servitude" in a.conduct]
    tier = "aggravated" if actor.conduct & {"kidnapped", "sexually_abused"} and "held_in_servitude" in actor.conduct else "base"
    extra = "with kidnapping or aggravated sexual abuse: up to life" if tier == "aggravated" else ""
    if "held_in_servitude" in actor.conduct:
        return _reaching(r, actor, "us_1584", "us-18-1584", tier, True, "", extra)
    return _reaching(r, actor, "us_1584", "us-18-1584", "base", bool(holders), "no one held the person in servitude")


def ct_53a_192a(r, actor, f, found):
    """Conn. Gen. Stat. § 53a-192a. Brochure era: compelling or inducing a person by coercion "to engage
    in prostitution or to provide labor or other services". From 2017-10-01 (as the 2022 text reads):
    (a)(1) by force, fraud or coercion; (a)(2) a person under 18, no coercion needed; (a)(3) recruiting,
    harboring, transporting or providing a person for sexual conduct for anything of value."""
    version = r.on.provision("ct-53a-192a")
    wide = version is not None and "recruited" in version.reaches
    purpose = r.case.purpose
    if wide:
        ok = (f.csa or purpose == "labor") and (bool(actor.conduct & {"coerced", "compelled_by_force"}) or f.csa)
        why_not = "there is no commercial sex act and no coerced labor"
    else:
        ok = purpose in ("prostitution", "labor")
        why_not = f"purpose is {_words(purpose)}, not prostitution or labor"
    return _reaching(r, actor, "ct_53a_192a", "ct-53a-192a", "", ok, why_not)


def ct_53a_192(r, actor, f, found):
    """Conn. Gen. Stat. § 53a-192: coercion, compelling or inducing a person "by means of instilling in
    such other person a fear" of a crime, an accusation, exposure or official action. A class A
    misdemeanor (a class D felony if the threat is to commit a felony)."""
    return _reaching(r, actor, "ct_53a_192", "ct-53a-192", "base", True, "")


def ct_53a_86(r, actor, f, found):
    """Conn. Gen. Stat. § 53a-86: knowingly "compels a person by force or intimidation to engage in
    prostitution, or profits from such coercive conduct by another", or "advances or profits from prostitution of a person less than eighteen years old";
    a 9-month mandatory minimum when the person is under 18. No defense that the minor cannot be
    prosecuted because of age."""
    prostitution = r.case.purpose == "prostitution" and f.csa
    tier = "minor" if f.minor else "adult"
    forcers = [a.name for a in r.case.actors if "compelled_by_force" in a.conduct and a is not actor]
    if "promoted" in actor.conduct and "compelled_by_force" not in actor.conduct and not f.minor and not forcers:
        r.no("ct_53a_86", "ct-53a-86", f"{actor.name}: § 53a-86 does not apply.",
             f"promoting the prostitution of a person {r.case.age} years old is not first-degree promoting "
             "(that needs a person under 18, force or intimidation, or profiting from another's use of force)")
        return None
    if f.minor:
        extra = "the person is under 18: 9-month mandatory minimum; no defense that the minor cannot be prosecuted because of age"
    elif "compelled_by_force" not in actor.conduct:
        extra = f"profited from coercive conduct by {', '.join(forcers)}"
    else:
        extra = ""
    return _reaching(r, actor, "ct_53a_86", "ct-53a-86", tier, prostitution,
                     "there is no prostitution (a sex act for something of value)", extra)


def ct_53a_83(r, actor, f, found):
    """Conn. Gen. Stat. §§ 53a-83, 53a-83a: whoever "pays or agrees to pay a fee" for sexual conduct;
    it is no defense that the person under 18 cannot be prosecuted because of age."""
    extra = "no defense that the minor cannot be prosecuted because of age" if f.minor else ""
    return _reaching(r, actor, "ct_53a_83", "ct-53a-83", "", f.csa and r.case.purpose == "prostitution",
                     "there is no prostitution (a sex act for something of value)", extra)


def ct_53a_83b(r, actor, f, found):
    """Conn. Gen. Stat. § 53a-83b (P.A. 17-32): commercial sexual abuse of a minor; class A felony when
    the person is under 15, class B otherwise."""
    if r.on.provision("ct-53a-83b", "15_to_17") is None:
        tier = "15_to_17"
    else:
        tier = "under_15" if r.case.age < r.on.parameter("ct_53a_83b_class_a_under_age") else "15_to_17"
    return _reaching(r, actor, "ct_53a_83b", "ct-53a-83b", tier, f.minor and f.csa,
                     "there is no commercial sex act with a person under 18")


def ct_54_36p(r, actor, f, found):
    """Conn. Gen. Stat. § 54-36p: forfeiture of money and property used in violating the trafficking
    laws (and, from 2016-10-01, in patronizing)."""
    if any(p.id == "ct-53a-192a" for p in found):
        r.yes("ct_54_36p", "ct-54-36p", f"{actor.name}: forfeiture under § 54-36p may apply.",
              f"{actor.name} may have violated the trafficking statute (§ 53a-192a)")
        return r.on.provision("ct-54-36p")
    return _reaching(r, actor, "ct_54_36p", "ct-54-36p", "", f.csa,
                     "there is no commercial sex act", quiet_when_unreached=True)


ACTOR_RULES = (us_1591, us_1591_d, us_1584, ct_53a_192a, ct_53a_192, ct_53a_86, ct_53a_83, ct_53a_83b, ct_54_36p)


def _reaching(r: _Reasoning, actor: Actor, rule: str, pid: str, tier: str, condition: bool,
              why_not: str, extra: str = "", quiet_when_unreached: bool = False) -> Provision | None:
    """The common shape of an actor rule: the provision reaches some of the actor's conduct
    (in the version in force) and the case-level condition holds. Says why not otherwise,
    including when a different version of the provision would reach the conduct."""
    all_versions = r.law.versions(pid)
    ever = actor.conduct & frozenset().union(*(v.reaches for v in all_versions))
    if not ever:
        return None
    version = r.on.provision(pid, tier)
    cite_name = version.citation if version else all_versions[0].citation
    if version is None:
        starts = min(v.effective_from for v in all_versions)
        r.no(rule, pid, f"{actor.name}: {cite_name} does not apply.",
             f"it was not in force on {r.on.as_of} (in force from {starts})", tier)
        return None
    now = actor.conduct & version.reaches
    if not now:
        when = ", ".join(sorted({v.period for v in all_versions if v.reaches & ever}))
        r.no(rule, pid, f"{actor.name}: {cite_name} does not apply.",
             f"on {r.on.as_of} it did not reach {_list(ever)}; it does in the version in force {when}", tier)
        return None
    if not condition:
        if not quiet_when_unreached:
            r.no(rule, pid, f"{actor.name}: {cite_name} does not apply.", why_not, tier)
        return None
    because = f"{actor.name} {_list(now)}" + (f"; {extra}" if extra else "")
    r.yes(rule, pid, f"{actor.name}: {cite_name} ({version.title}) may apply.", because, tier)
    return version


def _penalty(v: Provision) -> ActorProvision:
    return ActorProvision(id=v.id, citation=v.citation, title=v.title, classification=v.classification,
                          mandatory_minimum_months=v.min_months, maximum_months=v.max_months,
                          life=v.life, fine_max_usd=v.fine_max_usd)


_WORDS = {"permanent_resident": "lawful permanent resident", "erotic_dancing": "erotic dancing",
          "benefited": "benefited from the venture", "patronized": "paid for or solicited a sex act",
          "coerced": "coerced the person", "compelled_by_force": "compelled the person by force or intimidation",
          "promoted": "promoted (advanced or profited from) the person's prostitution",
          "held_in_servitude": "held the person in servitude", "sexually_abused": "sexually abused the person",
          "obstructed": "obstructed enforcement", "advertised": "advertised the person"}


def _words(value: str) -> str:
    return _WORDS.get(value, value.replace("_", " "))


def _list(conduct) -> str:
    return ", ".join(_words(c) for c in CONDUCT if c in conduct)
