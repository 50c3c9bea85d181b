"""Property-based tests over the whole input space: classify never crashes and its
conclusions hold together (e.g. a minor in a commercial sex act is always a victim)."""
import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from dmst import Case, CaseError, classify, load_law
from dmst.case import CONDUCT, PURPOSES, SEX_PURPOSES, STATUSES

LAW = load_law()
START, END = LAW.model_start, date(2030, 12, 31)

actors = st.lists(
    st.builds(lambda n, c: {"name": n, "conduct": sorted(c)},
              st.text(min_size=1, max_size=12).filter(str.strip), st.sets(st.sampled_from(CONDUCT))),
    max_size=4, unique_by=lambda a: a["name"])
cases = st.fixed_dictionaries({
    "age": st.integers(0, 120), "purpose": st.sampled_from(PURPOSES)}, optional={
    "id": st.text(max_size=10), "status": st.sampled_from(STATUSES), "anything_of_value": st.booleans(),
    "force_fraud_or_coercion": st.booleans(), "crossed_state_lines": st.booleans(),
    "arrested_for_prostitution": st.booleans(), "actors": actors})
dates = st.dates(START, END)
CONTRACT = {"id", "as_of", "minor", "commercial_sex_act", "trafficking_type", "trafficking_victim", "dmst",
            "force_fraud_coercion_required", "ct_prostitution", "notify", "actors", "explanation", "not_applied"}


@settings(max_examples=400, deadline=None)
@given(cases, dates)
def test_invariants(data, day):
    a = classify(data, day)
    c = Case.from_dict(data)
    minor = c.age < 18
    assert a.minor is minor
    if minor and c.purpose in SEX_PURPOSES and c.anything_of_value:
        assert a.trafficking_victim and a.trafficking_type == "sex"  # the brochure's REMEMBER box
    if not minor and not c.force_fraud_or_coercion and not any("held_in_servitude" in x.conduct for x in c.actors):
        assert not a.trafficking_victim
    assert a.force_fraud_coercion_required is (c.purpose == "labor" or not minor)
    assert a.dmst == (a.trafficking_type == "sex" and minor and c.status in ("citizen", "permanent_resident"))
    assert a.trafficking_victim == (a.trafficking_type is not None)
    if minor and a.trafficking_victim:
        assert {"dcf_careline", "fbi", "us_attorney"} <= set(a.notify)
    assert set(a.notify) <= set(LAW.contacts)
    if c.purpose != "prostitution" and not c.arrested_for_prostitution:
        assert a.ct_prostitution is None
    else:
        assert (a.ct_prostitution == "adult") == (not minor)
        if minor and day >= date(2016, 10, 1):
            assert a.ct_prostitution == "not_prosecutable"
    for s in a.explanation + a.not_applied:
        assert (s.provision in LAW.ids or s.provision == "") and s.citation and s.conclusion and s.because
        assert "not a victim" not in s.because and "not a trafficking victim" not in s.because
    named = {x.name for x in c.actors}
    assert [r.name for r in a.actors] == [x.name for x in c.actors]
    for r in a.actors:
        for p in r.provisions:
            assert p.id in LAW.ids
            assert any(s.provision == p.id and s.conclusion.startswith(f"{r.name}:") for s in a.explanation)
            assert (p.maximum_months is None) or not p.life
    assert named >= {r.name for r in a.actors}
    out = a.to_dict()
    assert set(out) == CONTRACT
    json.dumps(out)


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(
                        st.sampled_from(["age", "purpose", "status", "actors", "name", "conduct", "anything_of_value", "x"]),
                        kids, max_size=5), max_leaves=12))
def test_any_json_is_a_case_or_a_named_error(data):
    try:
        Case.from_dict(data)
    except CaseError as err:
        assert err.problems and all("field '" in str(p) for p in err.problems)


@settings(max_examples=100, deadline=None)
@given(cases, dates)
def test_same_case_same_answer(data, day):
    assert classify(data, day) == classify(data, day)


@settings(max_examples=100, deadline=None)
@given(cases, st.dates(date(2021, 10, 1), END))
def test_law_settled_since_last_change(data, day):
    """No provision, class or parameter version starts after 2026-10-01 (P.A. 26-98's hotel registration),
    so any later date gives the same answer. (A new version in the data must move this date.)"""
    last = date(2026, 10, 1)
    assert max(p.effective_from for p in (*LAW.provisions, *LAW.penalty_classes, *LAW.parameters)) == last
    a, b = classify(data, day), classify(data, last)
    assert a.to_dict() | {"as_of": None, "explanation": None, "not_applied": None} == \
        b.to_dict() | {"as_of": None, "explanation": None, "not_applied": None}


ABUSE_CONDUCT = {"sexually_abused", "kidnapped", "held_in_servitude", "compelled_by_force", "coerced"}


@settings(max_examples=400, deadline=None)
@given(cases, dates)
def test_every_child_with_any_sign_of_abuse_is_reported_to_the_careline(data, day):
    """The one thing the course must never do is tell a reporter not to report a child with a sign
    of abuse or exploitation: any sex purpose (with or without value), an arrest for prostitution,
    force, fraud or coercion, labor trafficking, or anyone who abused, kidnapped, held in servitude,
    compelled or coerced the child."""
    c = Case.from_dict(data)
    a = classify(c, day)
    sign = (c.purpose in SEX_PURPOSES or c.arrested_for_prostitution or c.force_fraud_or_coercion
            or a.trafficking_type == "labor" or any(x.conduct & ABUSE_CONDUCT for x in c.actors))
    if c.age < 18:
        assert ("dcf_careline" in a.notify) is bool(sign)
        if not sign:
            assert any("if you have reasonable cause to suspect abuse, report" in s.because
                       for s in a.not_applied if s.rule == "notify_dcf_careline")
    else:
        assert "dcf_careline" not in a.notify
