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
from functools import lru_cache

from .assessment import ActorProvision, ActorResult, Assessment, Step
from .case import CONDUCT, SEX_PURPOSES, Actor, Case
from .law import Law, LawOnDate, Provision, date_text, load_law

US_PERSONS = ("citizen", "permanent_resident")
NOTIFY_ORDER = ("dcf_careline", "fbi", "us_attorney", "ncmec", "dcf_arrest_notice")


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
    notify = rule_notify(r, minor, sex, labor)
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
    """Collects steps, each citing the version in force (or the first version) of its provision."""

    def __init__(self, case: Case, law: Law, on: LawOnDate):
        self.case, self.law, self.on = case, law, on
        self.steps: list[Step] = []
        self.not_applied: list[Step] = []

    def _step(self, rule, pid, conclusion, because, tier, citation, confidence) -> Step:
        if pid:
            citation, confidence = self.on.cited(pid, tier)
        return Step(rule, pid, citation, conclusion, because, confidence)

    def yes(self, rule, pid, conclusion, because, tier="", citation="", confidence="high"):
        self.steps.append(self._step(rule, pid, conclusion, because, tier, citation, confidence))

    def no(self, rule, pid, conclusion, because, tier="", citation="", confidence="high"):
        self.not_applied.append(self._step(rule, pid, conclusion, because, tier, citation, confidence))


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
              f"the purpose is {_words(c.purpose)} and something of value was given, received or promised")
        return True
    why = (_purpose_not(c.purpose, "a sex act") if not sexual
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
        why = "the purpose is labor, " + ("obtained by force, fraud or coercion" if c.force_fraud_or_coercion
                                      else f"and {', '.join(held)} held the person in servitude")
        r.yes("labor_trafficking", "us-22-7102", "The person is a victim of labor trafficking.", why)
        return True
    why = (_purpose_not(c.purpose, "labor") if c.purpose != "labor"
           else "the purpose is labor but no force, fraud or coercion was used and no one held the person in servitude")
    r.no("labor_trafficking", "us-22-7102", "Not labor trafficking.", why)
    return False


def rule_means_required(r: _Reasoning, minor: bool) -> bool:
    """22 U.S.C. § 7102 ("severe forms of trafficking in persons"): (A) sex trafficking "in which a
    commercial sex act is induced by force, fraud, or coercion, or in which the person induced to
    perform such act has not attained 18 years of age"; (B) labor or services "through the use of
    force, fraud, or coercion" — limb (B) has no age exception."""
    age = r.case.age
    if r.case.purpose == "labor":
        r.yes("force_fraud_coercion_required", "us-22-7102",
              "Force, fraud or coercion must be proven for labor trafficking, at any age.",
              f"the person is {age}, but the labor-trafficking limb of the definition has no age exception: "
              "only the sex-trafficking limb drops force, fraud or coercion for a person under 18")
        return True
    if minor:
        r.yes("force_fraud_coercion_required", "us-22-7102",
              "Force, fraud or coercion does not have to be proven for sex trafficking.",
              f"the person is {age}, under 18: the sex-trafficking limb of the definition covers a person "
              "under 18 with no force, fraud or coercion")
        return False
    r.yes("force_fraud_coercion_required", "us-22-7102",
          "Force, fraud or coercion must be proven for sex trafficking.",
          f"the person is {age}, an adult: the sex-trafficking limb drops force, fraud or coercion only for a person under 18")
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


def rule_ct_prostitution(r: _Reasoning) -> str | None:
    """Conn. Gen. Stat. § 53a-82, as in force on the date: the minimum age to be guilty of
    prostitution (16 from 2010-10-01, 18 from 2016-10-01) and, while it was 16, the presumption
    that a 16- or 17-year-old was coerced. None when the case is not about prostitution."""
    c = r.case
    if c.purpose != "prostitution" and not c.arrested_for_prostitution:
        r.no("ct_prostitution", "ct-53a-82", "The prostitution statute is not in question.",
             _purpose_not(c.purpose, "prostitution") + ", and no one was arrested for prostitution")
        return None
    age, min_age = c.age, r.on.parameter("ct_prostitution_min_age")
    majority = r.on.parameter("age_of_majority")
    when = date_text(r.on.as_of)
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


# Conduct by anyone in the case that is itself a sign of abuse of a child.
ABUSE_CONDUCT = ("sexually_abused", "kidnapped", "held_in_servitude", "compelled_by_force", "coerced")
NO_TRIGGER = "No statutory trigger found on these answers."
# Said as the reason, so the "not indicated" line is not circular and still says to report.
REPORT_ANYWAY = ("none of the signs of abuse the rules look for is in these answers; if you have reasonable "
                 "cause to suspect abuse, report")


def abuse_signs(case: Case, labor: bool) -> list[str]:
    """The facts that are signs of abuse or exploitation of a child, in words (empty: none)."""
    signs = []
    if case.purpose == "pornography":
        # Connecticut's statutes say "child sexual abuse material" since P.A. 24-118 (data: ct-csam-term).
        signs.append("sexual images of the child (child sexual abuse material)"
                     + (" for something of value" if case.anything_of_value else ""))
    elif case.purpose in SEX_PURPOSES:
        signs.append(f"signs of {_words(case.purpose)}" + (" for something of value" if case.anything_of_value else ""))
    if case.arrested_for_prostitution:
        signs.append("an arrest for prostitution")
    if case.force_fraud_or_coercion:
        signs.append("force, fraud or coercion")
    if labor:
        signs.append("labor trafficking")
    for a in case.actors:
        if a.conduct & set(ABUSE_CONDUCT):
            signs.append(f"{a.name} {_list(a.conduct & frozenset(ABUSE_CONDUCT))}")
    return signs


def rule_notify(r: _Reasoning, minor: bool, sex: bool, labor: bool) -> tuple[str, ...]:
    """Whom to contact. Conn. Gen. Stat. §§ 17a-101a–101c and 46b-120: a mandated reporter who has
    "reasonable cause to suspect" that a child is abused (which includes sexual exploitation; the
    duty is not limited to abuse by caregivers) reports to DCF or the police; federal: child trafficking is a federal crime with no state line needed
    (§ 1591 reaches conduct "in or affecting interstate or foreign commerce"); P.A. 11-180: police
    notify DCF of the arrest of a 16- or 17-year-old for prostitution."""
    c, contacts, out = r.case, r.law.contacts, []

    def call(cid, pid, because):
        out.append(cid)
        r.yes(f"notify_{cid}", pid, f"Contact {contacts[cid].name}.", because)

    signs = abuse_signs(c, labor)
    if minor and signs:
        call("dcf_careline", "ct-17a-101b",
             f"a child under 18 with signs of abuse or exploitation ({'; '.join(signs)}): a mandated reporter reports "
             "reasonable cause to suspect abuse, abuse includes sexual exploitation, and the duty is not limited to abuse "
             "by parents or caregivers")
    elif minor:
        r.no("notify_dcf_careline", "ct-17a-101b", NO_TRIGGER, REPORT_ANYWAY)
    else:
        r.no("notify_dcf_careline", "ct-17a-101b", "The DCF Careline takes reports about children.",
             f"the person is {c.age}, not a child; the national hotline takes calls about adults")

    if minor and (sex or labor):
        pid = "us-18-1591" if sex else "us-18-1589"
        kind = "sex" if sex else "labor"
        why = (f"a child who is a victim of {kind} trafficking: a federal crime. No state line has to be crossed: "
               "federal law reaches conduct in or affecting interstate commerce (a phone, a website, a hotel, money)")
        for cid in ("fbi", "us_attorney"):
            call(cid, pid, why)
    elif minor:
        r.no("notify_federal", "us-18-1591", "No federal trigger found on these answers.",
             "these answers do not show a child trafficked for sex or labor; if you learn that something of value "
             "was exchanged, or of force, fraud or coercion, call")
    else:
        r.no("notify_federal", "us-18-1591", "No call to the FBI or U.S. Attorney named by the rules.",
             f"the person is {c.age}, not a child; the national hotline takes calls about adults")

    advertised = [a.name for a in c.actors if "advertised" in a.conduct]
    if minor and (c.purpose == "pornography" or advertised):
        what = "sexual images of a child (child sexual abuse material)" if c.purpose == "pornography" else f"{', '.join(advertised)} advertised the child"
        out.append("ncmec")
        r.yes("notify_ncmec", "", f"Contact {contacts['ncmec'].name}.",
              f"{what}: the CyberTipline takes reports of child sex trafficking and of child sexual exploitation online",
              citation=contacts["ncmec"].source, confidence=contacts["ncmec"].confidence)

    notice = r.on.provision("ct-pa-11-180")
    if not c.arrested_for_prostitution:
        r.no("notify_dcf_arrest_notice", "ct-pa-11-180", "The police's arrest notice to DCF does not apply.",
             "no one was arrested for prostitution")
    elif notice is None:
        first = r.law.first("ct-pa-11-180")
        r.no("notify_dcf_arrest_notice", "ct-pa-11-180", "The police's arrest notice to DCF did not exist on this date.",
             f"the 2011 act was not in force on {date_text(r.on.as_of)} (in force from {date_text(first.effective_from)})"
             + ("; report the child to the DCF Careline" if minor else ""))
    elif not r.on.parameter("dcf_arrest_notice_min_age") <= c.age < r.on.parameter("age_of_majority"):
        low, majority = r.on.parameter("dcf_arrest_notice_min_age"), r.on.parameter("age_of_majority")
        r.no("notify_dcf_arrest_notice", "ct-pa-11-180", "The police's arrest notice to DCF does not apply on these facts.",
             f"the notice is for the arrest of a person aged {low} to {majority - 1}; the person is {c.age}"
             + ("; report the child to the DCF Careline" if minor else ""))
    else:
        call("dcf_arrest_notice", "ct-pa-11-180",
             f"police arrested a {c.age}-year-old for prostitution: the police must notify DCF")
    return tuple(cid for cid in NOTIFY_ORDER if cid in out)


# --- the actors ----------------------------------------------------------------------

def _actor_provisions(r: _Reasoning, actor: Actor, f: _Facts) -> list[ActorProvision]:
    found: list[ActorProvision] = []
    for rule in ACTOR_RULES:
        version = rule(r, actor, f, found)
        if version is not None:
            found.append(_penalty(r, version))
    return found


def us_1591(r, actor, f, found):
    """18 U.S.C. § 1591(a): whoever knowingly, "in or affecting interstate or foreign commerce",
    "recruits, entices, harbors, transports, provides, obtains, [advertises,] maintains[, patronizes,
    or solicits]" a person, or "benefits, financially or by receiving anything of value" from such a
    venture, "knowing, or, except where the act constituting the violation of paragraph (1) is
    advertising, in reckless disregard of the fact" that force, fraud or coercion will be used or the
    person is under 18, and will be caused to engage in a commercial sex act. (b)(1): not less than
    15 years if by force, fraud or coercion or the person was under 14; (b)(2): not less than 10 years
    if 14 through 17; up to life in both. (c): with "a reasonable opportunity to observe" the person,
    knowledge of age need not be proven."""
    tier = "b1" if (r.case.age < r.on.parameter("us_1591_b1_under_age") or r.case.force_fraud_or_coercion) else "b2"
    notes = [_1591_tier_reason(r, tier)]
    if "advertised" in actor.conduct and "advertised" in _reach_of(r, "us-18-1591", tier):
        notes.append("advertising counts only when done knowingly, not in reckless disregard (§ 1591(a))")
    if f.minor:
        notes.append("where the defendant had a reasonable opportunity to observe the person, knowledge "
                     "of age need not be proven (§ 1591(c))")
    return _reaching(r, actor, "us_1591", "us-18-1591", tier, f.sex, "there is no sex trafficking", "; ".join(notes))


def _reach_of(r, pid, tier=""):
    version = r.on.provision(pid, tier)
    return version.reaches if version else frozenset()


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


def _life_tier(actor) -> str:
    """§§ 1584 and 1589: life "if the violation includes kidnapping or an attempt to kidnap, aggravated
    sexual abuse or the attempt to commit aggravated sexual abuse" (or death results, or an attempt
    to kill: facts the course does not model)."""
    return "aggravated" if actor.conduct & {"kidnapped", "sexually_abused"} else "base"


def us_1584(r, actor, f, found):
    """18 U.S.C. § 1584: whoever "knowingly and willfully holds to involuntary servitude or sells into
    any condition of involuntary servitude"; obstruction is punished the same."""
    holders = [a for a in r.case.actors if "held_in_servitude" in a.conduct]
    if "held_in_servitude" in actor.conduct:
        tier = _life_tier(actor)
        extra = "with kidnapping or aggravated sexual abuse: up to life" if tier == "aggravated" else ""
        return _reaching(r, actor, "us_1584", "us-18-1584", tier, True, "", extra)
    return _reaching(r, actor, "us_1584", "us-18-1584", "base", bool(holders), "no one held the person in servitude")


def us_1589(r, actor, f, found):
    """18 U.S.C. § 1589(a): whoever "knowingly provides or obtains the labor or services of a person"
    by force, threats of force, physical restraint, serious harm, abuse of legal process, or a scheme
    to make the person believe they would suffer serious harm; (b): whoever "knowingly benefits,
    financially or by receiving anything of value, from participation in a venture" that did so."""
    tier = _life_tier(actor)
    extra = "with kidnapping or aggravated sexual abuse: up to life" if tier == "aggravated" else ""
    return _reaching(r, actor, "us_1589", "us-18-1589", tier, f.labor,
                     "there is no labor obtained by force, threats, serious harm or servitude", extra)


def ct_53a_192a(r, actor, f, found):
    """Conn. Gen. Stat. § 53a-192a, one tier per subdivision, each dated by the act that made it
    (tiers "", "minor" and "sex_trafficking" in the data):
    (a)(1) compelling or inducing a person to engage in sexual contact with third persons (prostitution)
    or to provide labor, by coercion (to 2013) or by force, fraud or coercion (P.A. 13-166);
    (a)(2) the same for a person under 18 with no means needed (P.A. 15-195);
    (a)(3) "otherwise [knowingly] commits an act that constitutes sex trafficking": "the recruitment,
    harboring, transportation or provision of a person for the purpose of engaging in sexual conduct
    with another person" for a fee (P.A. 17-32) or "in exchange for anything of value" (P.A. 21-103)."""
    purpose = r.case.purpose
    exploited = (purpose == "prostitution" and f.csa) or purpose == "labor"
    if actor.conduct & _ever_reached(r, "ct-53a-192a", ""):
        return _reaching(r, actor, "ct_53a_192a", "ct-53a-192a", "", exploited,
                         "no one was compelled or induced into prostitution or labor ("
                         + ("the case names no purpose)" if purpose == "none" else f"the purpose is {_words(purpose)})"))
    if actor.conduct & _ever_reached(r, "ct-53a-192a", "minor") and f.minor and f.csa:
        return _reaching(r, actor, "ct_53a_192a", "ct-53a-192a", "minor", True, "")
    return _reaching(r, actor, "ct_53a_192a", "ct-53a-192a", "sex_trafficking", f.csa,
                     "there is no sexual conduct in exchange for something of value")


def _ever_reached(r, pid, tier) -> frozenset:
    return r.law.ever_reaches(pid, tier)


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
    """Conn. Gen. Stat. §§ 53a-83, 53a-83a: whoever pays or agrees to pay "a fee" (from 2021-10-01
    "anything of value") for sexual conduct; retitled "soliciting sexual acts" by P.A. 21-102. From
    2013-10-01 to 2017-09-30 a class C felony tier (P.A. 13-166) when the buyer "knew or reasonably
    should have known" the person was under 18 or a trafficking victim; P.A. 17-32 moved the minor
    part to § 53a-83b. It is no defense that the person under 18 cannot be prosecuted because of age."""
    felony = f.minor or f.sex
    tier = "felony" if felony and r.on.provision("ct-53a-83", "felony") else ""
    notes = []
    if tier == "felony":
        victim = "under 18" if f.minor else "a trafficking victim"
        notes.append(f"class C felony if the buyer knew or reasonably should have known the person was {victim}")
    if f.minor:
        notes.append("no defense that the minor cannot be prosecuted because of age")
    return _reaching(r, actor, "ct_53a_83", "ct-53a-83", tier, f.csa and r.case.purpose == "prostitution",
                     "there is no prostitution (a sex act for something of value)", "; ".join(notes))


def ct_53a_83b(r, actor, f, found):
    """Conn. Gen. Stat. § 53a-83b (P.A. 17-32): commercial sexual abuse of a minor; class A felony when
    the minor "has not attained fifteen years of age", class B otherwise."""
    if r.on.provision("ct-53a-83b", "15_to_17") is None:
        tier = "15_to_17"
    else:
        tier = "under_15" if r.case.age < r.on.parameter("ct_53a_83b_class_a_under_age") else "15_to_17"
    return _reaching(r, actor, "ct_53a_83b", "ct-53a-83b", tier, f.minor and f.csa,
                     "there is no commercial sex act with a person under 18")


def ct_53a_196i(r, actor, f, found):
    """Conn. Gen. Stat. § 53a-196i (P.A. 12-141): commercial sexual exploitation of a minor, when a
    person "knowingly purchases advertising space for an advertisement for a commercial sex act that
    includes a depiction of a minor"."""
    return _reaching(r, actor, "ct_53a_196i", "ct-53a-196i", "", f.minor and f.csa,
                     "there is no commercial sex act with a person under 18 to advertise",
                     "if the advertisement depicted the minor and the advertiser bought the advertising space")


def ct_54_36p(r, actor, f, found):
    """Conn. Gen. Stat. § 54-36p: forfeiture of money and property used in violating the trafficking
    laws (and, from 2016-10-01, in patronizing)."""
    if any(p.id == "ct-53a-192a" for p in found):
        version = r.on.provision("ct-54-36p")
        trafficking = next(p for p in found if p.id == "ct-53a-192a")
        r.yes("ct_54_36p", "ct-54-36p", f"{actor.name}: {version.citation} ({version.title}) may apply.",
              f"{actor.name} may have violated the trafficking statute ({trafficking.citation})")
        return version
    return _reaching(r, actor, "ct_54_36p", "ct-54-36p", "", f.csa,
                     "there is no commercial sex act", quiet_when_unreached=True)


ACTOR_RULES = (us_1591, us_1591_d, us_1584, us_1589, ct_53a_192a, ct_53a_192, ct_53a_86, ct_53a_83, ct_53a_83b,
               ct_53a_196i, ct_54_36p)


def _reaching(r: _Reasoning, actor: Actor, rule: str, pid: str, tier: str, condition: bool,
              why_not: str, extra: str = "", quiet_when_unreached: bool = False) -> Provision | None:
    """The common shape of an actor rule: the provision (tier) reaches some of the actor's conduct
    in the version in force and the case-level condition holds. Says why not otherwise, including
    when another version of the tier would reach the conduct (with that version's caveat)."""
    ever = actor.conduct & r.law.ever_reaches(pid, tier)
    if not ever:
        return None
    all_versions = r.law.tier_versions(pid, tier)
    version = r.on.provision(pid, tier)
    cite_name = version.citation if version else all_versions[0].citation
    if version is None:
        starts = min(v.effective_from for v in all_versions)
        ended = max((v.effective_to for v in all_versions if v.effective_to), default=None)
        span = f"in force from {date_text(starts)}" + (f" to {date_text(ended)}" if ended and ended < r.on.as_of else "")
        r.no(rule, pid, f"{actor.name}: {cite_name} does not apply.",
             f"it was not in force on {date_text(r.on.as_of)} ({span})", tier)
        return None
    now = actor.conduct & version.reaches
    if not now:
        when = ", ".join(period for _, period in sorted({(v.effective_from, v.period)
                                                         for v in all_versions if v.reaches & ever}))
        caveat = f"; {version.caveat}" if version.caveat else ""
        r.no(rule, pid, f"{actor.name}: {cite_name} does not apply.",
             f"on {date_text(r.on.as_of)} it did not reach {_list(ever)}; it does in the version in force {when}{caveat}", tier)
        return None
    if not condition:
        if not quiet_when_unreached:
            r.no(rule, pid, f"{actor.name}: {cite_name} does not apply.", why_not, tier)
        return None
    because = f"{actor.name} {_list(now)}" + (f"; {extra}" if extra else "")
    r.yes(rule, pid, f"{actor.name}: {cite_name} ({version.title}) may apply.", because, tier)
    return version


def _penalty(r: _Reasoning, v: Provision) -> ActorProvision:
    pen = r.on.penalty(v)
    return ActorProvision(id=v.id, citation=v.citation, title=v.title, classification=v.classification,
                          mandatory_minimum_months=pen.mandatory_minimum_months, maximum_months=pen.maximum_months,
                          maximum_days=pen.maximum_days, life=pen.life, fine_max_usd=pen.fine_max_usd,
                          confidence=pen.confidence)


_WORDS = {"permanent_resident": "lawful permanent resident", "erotic_dancing": "erotic dancing",
          "benefited": "benefited from the venture", "patronized": "paid for or solicited a sex act",
          "coerced": "coerced the person", "compelled_by_force": "compelled the person by force or intimidation",
          "promoted": "promoted (advanced or profited from) the person's prostitution",
          "held_in_servitude": "held the person in servitude", "sexually_abused": "sexually abused the person",
          "obstructed": "obstructed enforcement", "advertised": "advertised the person"}


def _purpose_not(purpose: str, what: str) -> str:
    """'the purpose is labor, not a sex act'; a case with no purpose (the value "none") says so in words."""
    return f"the case names no purpose, so not {what}" if purpose == "none" else f"the purpose is {_words(purpose)}, not {what}"


def _words(value: str) -> str:
    return _WORDS.get(value, value.replace("_", " "))


@lru_cache(maxsize=4096)
def _list(conduct: frozenset) -> str:
    return ", ".join(_words(c) for c in CONDUCT if c in conduct)
