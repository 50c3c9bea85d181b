"""render.py: what a learner reads. Values come from the data and the Assessment, never typed here."""
import dataclasses
import re
from html import escape
from html.parser import HTMLParser

import pytest

from dmst import classify, load_law
from dmst.assessment import ActorProvision
from dmst.render import (term_text, ALWAYS_CONTACTS, HEADLINE_CAPTION, NO_CALL_ADULT, NO_CALL_NAMED, UNCONFIRMED, assessment_html,
                         assessment_text, compare_html, contact_number_text, contact_page_text, date_text, fine_text, maximum_text, minimum_text,
                         months_text, penalty_text, short_citation)

LAW = load_law()
BROCHURE, CURRENT = LAW.presets["brochure"], LAW.presets["current"]


def case(**over):
    base = {"id": "t-1", "age": 17, "status": "citizen", "purpose": "prostitution", "anything_of_value": True,
            "actors": [{"name": "Rae", "conduct": ["recruited"]}, {"name": "Bo", "conduct": ["patronized"]}]}
    base.update(over)
    return base


class _Checker(HTMLParser):
    """Collects visible text and checks that elements are closed in order."""
    VOID = {"br", "meta", "img", "input", "hr"}

    def __init__(self):
        super().__init__()
        self.stack, self.text, self.in_style = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.text.append(data)


def visible(html: str) -> str:
    p = _Checker()
    p.feed(html)
    p.close()
    assert p.stack == [], f"unclosed elements {p.stack}"
    return " ".join(" ".join(p.text).split())


@pytest.mark.parametrize("months, text", [(120, "10 years"), (12, "1 year"), (18, "1 year 6 months"),
                                          (6, "6 months"), (1, "1 month"), (0, "0 months"),
                                          (None, "not in the course data")])
def test_months_are_shown_as_years_and_months(months, text):
    assert months_text(months) == text


def test_penalty_texts_say_life_and_missing_values_in_words():
    life = ActorProvision("x", "c", "t", "felony", 180, None, None, True, 250000, "high")
    plain = ActorProvision("y", "c", "t", "misdemeanor", None, 12, None, False, None, "high")
    days = ActorProvision("z", "c", "t", "misdemeanor", None, None, 364, False, 2000, "medium")
    assert (minimum_text(life), maximum_text(life), fine_text(life)) == ("15 years", "life", "up to $250,000")
    assert (minimum_text(plain), maximum_text(plain), fine_text(plain)) == \
        ("none in the course data", "1 year", "not in the course data")
    assert maximum_text(days) == "364 days"


def test_penalty_text_says_when_a_figure_is_not_confirmed():
    law = load_law()
    on = law.on(CURRENT)
    notice = on.provision("ct-pa-11-180")
    assert notice.confidence == "verify"
    promoting = on.penalty(on.provision("ct-53a-86", "minor"))
    assert penalty_text(promoting) == "at least 9 months (mandatory), up to 20 years; fine up to $15,000"
    unsure = dataclasses.replace(promoting, confidence="verify")
    assert penalty_text(unsure).endswith(UNCONFIRMED)


def test_an_unconfirmed_number_is_never_shown_as_a_number_to_call():
    a = classify(case(age=15), CURRENT)
    html, text = assessment_html(a), assessment_text(a)
    for cid in ("fbi", "us_attorney"):
        c = LAW.contacts[cid]
        assert cid in a.notify and not c.confirmed
        assert c.phone not in html and c.phone not in text
        assert contact_number_text(c) == f"number not confirmed: find the current number at {c.url}"
        assert c.url in html and c.name.replace("'", "&#x27;") in html


def test_a_step_resting_on_an_unconfirmed_version_says_so():
    a = classify(case(age=16, arrested_for_prostitution=True), CURRENT)
    notice = next(s for s in a.explanation if s.rule == "notify_dcf_arrest_notice")
    assert notice.confidence == "verify"
    assert f"Source: {notice.citation} ({UNCONFIRMED})" in visible(assessment_html(a))


def test_html_headline_answers_in_words_with_citations():
    a = classify(case(), BROCHURE)
    text = visible(assessment_html(a))
    standing = next(s for s in a.explanation if s.rule == "ct_prostitution")
    assert "Victim of trafficking? Yes" in text
    assert "Type of trafficking Sex trafficking" in text
    assert "Domestic minor sex trafficking (the brochure's term)? Yes" in text
    assert f"Standing under {standing.citation} {standing.conclusion}" in text
    assert f"Result for case t-1 under the law of {date_text(BROCHURE)}" in text
    assert visible(assessment_html(a, title="Bo and Rae")).startswith(f"Result for Bo and Rae under the law of {date_text(BROCHURE)}")


def test_html_lists_contacts_with_numbers_from_the_data():
    a = classify(case(crossed_state_lines=True), BROCHURE)
    html = assessment_html(a)
    assert set(a.notify) >= {"dcf_careline", "fbi"}
    for cid in (*a.notify, *ALWAYS_CONTACTS):
        c = LAW.contacts[cid]
        assert contact_number_text(c).split(";")[0].replace("'", "&#x27;") in html or c.url in html
        assert c.name.replace("'", "&#x27;") in html
    assert 'href="tel:18008422288"' in html


def test_html_shows_each_actors_provisions_with_penalties():
    a = classify(case(age=15), CURRENT)
    text = visible(assessment_html(a))
    for actor in a.actors:
        assert actor.name in text
        for p in actor.provisions:
            assert p.citation in text and p.classification in text
    us = next(p for p in a.actors[0].provisions if p.id == "us-18-1591")
    assert months_text(us.mandatory_minimum_months) in text and "life" in text


def test_every_conclusion_has_its_reason_and_citation_and_why_not_lists_the_rest():
    a = classify(case(), BROCHURE)
    html = assessment_html(a)
    text = visible(html)
    for s in a.explanation:
        assert f"{s.conclusion} Because {s.because}. Source: {short_citation(s.citation)}" in text
        assert s.citation in text  # the full citation, a click away
    assert "<code>" not in html  # no provision ids for a learner
    assert f"Why not? ({len(a.not_applied)} rules did not apply)" in text
    for s in a.not_applied:
        assert f"{s.conclusion} Because {s.because}." in text
    assert html.count("<details>") == len(a.explanation) + 1


def test_no_provision_id_is_shown():
    a = classify(case(age=15), CURRENT)
    for html in (assessment_html(a), compare_html(classify(case(age=15), BROCHURE), a)):
        shown = visible(html)
        assert not any(p.id in shown for actor in a.actors for p in actor.provisions)
        assert not any(s.provision in shown for s in (*a.explanation, *a.not_applied) if s.provision)


def test_user_entered_names_and_ids_are_escaped():
    evil = "<img src=x onerror=alert(1)>"
    a = classify(case(id="<b>id</b>", actors=[{"name": evil, "conduct": ["recruited"]}]), CURRENT)
    for html in (assessment_html(a), compare_html(a, a)):
        assert evil not in html and "<b>id</b>" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        visible(html)


def test_no_actor_and_no_contact_are_said_plainly():
    a = classify({"age": 30, "purpose": "none"}, CURRENT)
    text = visible(assessment_html(a))
    assert "No people (actors) were added" in text
    assert NO_CALL_ADULT in text and NO_CALL_NAMED not in text
    child = visible(assessment_html(classify({"age": 15, "purpose": "labor"}, CURRENT)))
    assert NO_CALL_NAMED in child  # a child: never "do not report"


def test_contacts_can_be_supplied():
    a = classify(case(), BROCHURE)
    html = assessment_html(a, contacts={})
    contacts = html[html.index("Whom to contact"):html.index("The people in the case")]
    assert LAW.contacts["dcf_careline"].phone not in contacts and "<li>dcf_careline</li>" in contacts


def test_compare_marks_changed_rows_in_words():
    a, b = classify(case(), BROCHURE), classify(case(), CURRENT)
    html = compare_html(a, b)
    text = visible(html)
    assert f"Law of {date_text(BROCHURE)}" in text and f"Law of {date_text(CURRENT)}" in text
    rows = [r for r in html.split("<tr")[2:]]
    changed = [r for r in rows if "Changed</strong>" in r]
    assert all('class="dmst-changed"' in r for r in changed)
    assert all('dmst-changed' not in r for r in rows if r not in changed)
    assert all("Changed</strong>" in r for r in changed)
    standing = next(r for r in rows if "Standing under the prostitution statute" in r)
    assert standing in changed  # 17-year-old: presumed coerced in 2012, not prosecutable now
    bo = next(r for r in rows if "Bo: 18 U.S.C. § 1591" in r)
    assert "does not apply" in bo and bo in changed  # buyers reached only since 2015
    assert f"{len(changed)} of {len(rows)} rows changed." in text


def test_compare_with_itself_changes_nothing():
    a = classify(case(), CURRENT)
    assert "Changed</strong>" not in compare_html(a, a)
    assert "0 of" in compare_html(a, a)


def test_text_has_everything_the_html_has():
    a = classify(case(crossed_state_lines=True, age=15), CURRENT)
    text = assessment_text(a)
    assert "Victim of trafficking? Yes" in text and "Type of trafficking: Sex trafficking" in text
    for cid in a.notify:
        assert contact_number_text(LAW.contacts[cid]) in text
    for actor in a.actors:
        for p in actor.provisions:
            assert f"{p.citation} ({p.title}): {p.classification}" in text
    for s in (*a.explanation, *a.not_applied):
        assert f"{s.conclusion} Because {s.because}. [{s.citation}]" in text
    assert "<li>" not in text and "&lt;" not in text


def test_term_text():
    assert term_text(120, None, True) == "at least 10 years (mandatory), up to life"
    assert term_text(9, 120, False) == "at least 9 months (mandatory), up to 10 years"
    assert term_text(None, 12, False) == "up to 1 year"
    assert term_text(None, None, False) == "no prison term in the course data"
    assert term_text(None, None, False, 364) == "up to 364 days"


def test_every_table_of_a_result_says_what_it_is():
    """Issue 19: the result panels' tables have captions (the headline, each person's provisions,
    the comparison of two dates)."""
    a, b = classify(case(), BROCHURE), classify(case(), CURRENT)
    for html in (assessment_html(a), compare_html(a, b)):
        tables = re.findall(r"<table\b.*?</table>", html, re.S)
        assert tables and all(re.search(r"<caption[^>]*>[^<]{10,}", t) for t in tables), html[:300]
    captions = [visible(c) for c in re.findall(r"<caption[^>]*>(.*?)</caption>", assessment_html(a), re.S)]
    assert captions == [HEADLINE_CAPTION, "Provisions that may apply to Rae", "Provisions that may apply to Bo"]
    assert (f"Each answer under the law of {date_text(BROCHURE)} and of {date_text(CURRENT)}, and whether it changed"
            in visible(compare_html(a, b)))


def test_an_unconfirmed_number_links_to_its_page_by_name_not_by_address():
    """Issue 16: "FBI New Haven's contact page", not https://www.fbi.gov/... as the link's words."""
    html = assessment_html(classify(case(age=15), CURRENT))
    unconfirmed = [c for c in LAW.contacts.values() if not c.confirmed]
    assert unconfirmed
    for c in unconfirmed:
        words = contact_page_text(c)
        assert "http" not in words and "/" not in words and re.search(r"\b(?:contact page|website)\b", words)
    assert contact_page_text(LAW.contacts["fbi"]) == "FBI New Haven's contact page"
    for cid in ("fbi", "us_attorney"):
        c = LAW.contacts[cid]
        link = re.search(rf'<a href="{re.escape(c.url)}"([^>]*)>([^<]*)</a>', html)
        assert link and link.group(2) == escape(contact_page_text(c)) and 'target="_blank"' in link.group(1)
    assert not re.search(r">\s*https?://", html), "an address shown as words"
