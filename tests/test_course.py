"""dmst.course: the helpers the notebooks share read the law data, never type it."""
from __future__ import annotations

import base64
import re
from datetime import date
from html import unescape

import pytest

import dmst
from dmst import course, load_law, timeline
from dmst.render import date_text, months_text, period_text

LAW = load_law()
BROCHURE, CURRENT = LAW.presets["brochure"], LAW.presets["current"]


def test_when_reads_preset_names_iso_dates_and_defaults_to_current():
    assert course.when("brochure") == BROCHURE
    assert course.when(None) == CURRENT
    assert course.when("2016-10-01") == date(2016, 10, 1)
    with pytest.raises(ValueError, match="brochure"):
        course.when("last year")


def test_provision_table_keeps_the_order_of_ids_and_every_version_tier_by_tier():
    frame = course.provision_table(["ct-53a-82", "us-18-1591"], columns=("id", "citation", "in_force"))
    expected = [(v.id, v.citation, period_text(v.effective_from, v.effective_to))
                for pid in ("ct-53a-82", "us-18-1591")
                for v in sorted(LAW.versions(pid), key=lambda v: (v.tier, v.effective_from))]
    assert list(frame.itertuples(index=False, name=None)) == expected
    assert list(course.provision_table(["ct-53a-82"]).columns) == list(course.PROVISION_COLUMNS)
    assert "id" not in course.PROVISION_COLUMNS  # ids are for code, not for the tables learners read


def test_provision_table_as_of_keeps_only_versions_in_force():
    for day in (BROCHURE, CURRENT):
        frame = course.provision_table(as_of=day, columns=("id", "citation", "in_force"))
        in_force = [v for v in LAW.provisions if v.in_force(day)]
        assert sorted(zip(frame["id"], frame["in_force"])) == sorted(
            (v.id, period_text(v.effective_from, v.effective_to)) for v in in_force)


def test_provision_table_penalty_column_is_the_data_in_words():
    frame = course.provision_table(["us-18-1591-d"], columns=("penalty", "in_force"))
    versions = LAW.versions("us-18-1591-d")
    assert list(frame["penalty"]) == [f"up to {months_text(v.max_months)}; fine up to $250,000" for v in versions]
    assert frame["penalty"].nunique() == len(versions)  # the 2018 change shows


def test_provision_table_penalty_comes_from_the_class_when_the_section_sets_none():
    frame = course.provision_table(["ct-53a-192a"], as_of="current", columns=("penalty",))
    assert set(frame["penalty"]) == {"up to 25 years; fine up to $20,000"}  # class A felony, §§ 53a-35a, 53a-41


def test_provision_table_rejects_unknown_ids_and_columns():
    with pytest.raises(ValueError, match="us-18-9999"):
        course.provision_table(["us-18-9999"])
    with pytest.raises(ValueError, match="penalties"):
        course.provision_table(columns=("id", "penalties"))


def test_cite_gives_the_version_in_force_and_says_when_there_is_none():
    assert course.cite("us-18-1591", "brochure", tier="b2") == LAW.on(BROCHURE).provision("us-18-1591", "b2").citation
    start = date_text(LAW.first("ct-53a-83b").effective_from)
    with pytest.raises(ValueError, match=start):
        course.cite("ct-53a-83b", "brochure")
    with pytest.raises(ValueError, match="not a provision id"):
        course.cite("ct-0-0")


def test_brochure_vs_statute_shows_both_and_follows_the_date():
    old, new = (LAW.on(d).provision("us-18-1591-d") for d in (BROCHURE, CURRENT))
    then = unescape(course.brochure_vs_statute_html("us-18-1591-d", "brochure"))
    now = unescape(course.brochure_vs_statute_html("us-18-1591-d", "current"))
    for html, v in ((then, old), (now, new)):
        assert v.brochure_says in html and course.dates_in_words(v.summary) in html
        for src in v.sources:
            assert src.title in html and src.quote in html and src.url in html
        assert f"Confidence: {v.confidence}" in re.sub(r"<[^>]+>", "", html)
        assert months_text(v.max_months) in html
    assert course.dates_in_words(new.brochure_differs) in now
    assert course.dates_in_words(new.summary) not in then
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b", re.sub(r"<[^>]+>|<q>.*?</q>", "", now.split("<details")[0]))


def test_brochure_vs_statute_leaves_out_penalties_for_a_provision_without_one():
    html = course.brochure_vs_statute_html("ct-53a-82")
    statute = html.split("What differs")[0]
    assert "prison term" not in statute and "up to" not in statute and "fine" not in statute


def test_brochure_vs_statute_says_in_words_when_a_version_is_not_confirmed():
    html = unescape(course.brochure_vs_statute_html("ct-pa-11-180", "current"))
    assert "not confirmed: check before relying on it" in html


def test_content_note_reads_support_contacts_from_the_data():
    html = course.content_note().data
    for cid in ("national_hotline", "emergency_911"):
        c = LAW.contacts[cid]
        assert c.name in unescape(html) and c.phone in html
    assert LAW.contacts["national_hotline"].text in html


def test_disclaimer_is_the_package_disclaimer():
    html = unescape(course.disclaimer().data)
    assert dmst.DISCLAIMER in html and date_text(CURRENT) in html


def test_contacts_table_and_glossary_follow_the_requested_order():
    assert list(course.contacts_table(["fbi", "emergency_911"])["name"]) == [LAW.contacts["fbi"].name,
                                                                             LAW.contacts["emergency_911"].name]
    assert list(course.glossary(["survivor", "forfeiture"])["term"]) == ["survivor", "forfeiture"]


def test_parameter_table_lists_every_dated_value():
    frame = course.parameter_table("ct_prostitution_min_age")
    params = [p for p in LAW.parameters if p.name == "ct_prostitution_min_age"]
    assert list(frame["value"]) == [f"{p.value} {p.unit}" for p in params]
    assert frame["in_force"].iloc[-1].startswith("since ")
    assert set(frame["parameter"]) == {params[0].label.capitalize()}
    with pytest.raises(ValueError):
        course.parameter_table("no_such_parameter")


def test_sources_lists_every_version_with_source_and_confidence():
    frame = course.sources(["ct-53a-192a"])
    versions = sorted(LAW.versions("ct-53a-192a"), key=lambda v: (v.tier, v.effective_from))
    assert list(frame["source"]) == [v.source for v in versions]
    assert list(frame["confidence"]) == [v.confidence for v in versions]


IDS = ["us-18-1591", "us-18-1591-d", "us-18-1584"]


@pytest.mark.parametrize("day", [BROCHURE, CURRENT])
def test_penalty_chart_has_short_alt_text_and_every_bar_s_numbers_in_a_table(day):
    fig, alt = course.penalty_chart(IDS, day)
    bars = [v for pid in IDS for v in LAW.versions(pid) if v.in_force(day)]
    assert date_text(day) in alt and len(alt) <= course.ALT_MAX and course.NUMBERS in alt
    numbers = course.penalty_numbers(IDS, day)
    assert list(numbers["penalty"]) == [course.penalty_text(LAW.on(day).penalty(v)) for v in bars]
    assert list(numbers["provision_label"]) == [v.citation for v in bars]
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [v.citation for v in bars]
    html = course.show_penalty_chart(IDS, day).data
    img_alt = re.search(r'<img [^>]*alt="([^"]*)"', html).group(1)
    assert len(img_alt) <= course.ALT_MAX
    details = html.split("<details>", 1)[1]
    assert details.startswith(f"<summary>{course.NUMBERS}</summary>") and "<table" in details and "<caption" in details
    for v in bars:
        assert course.penalty_text(LAW.on(day).penalty(v)).replace("$", "") in unescape(details).replace("$", "")


def test_penalty_chart_labels_tiers_that_share_a_citation():
    labels = list(course.penalty_numbers(["ct-53a-86"], "current")["provision_label"])
    assert any("(minor)" in x for x in labels) and any("(adult)" in x for x in labels)


def test_penalty_chart_has_a_bar_for_every_connecticut_felony_in_force():
    ids = ["ct-53a-192a", "ct-53a-86", "ct-53a-83b"]
    fig, _ = course.penalty_chart(ids, "current")
    bars = [v for pid in ids for v in LAW.versions(pid) if v.in_force(CURRENT)]
    assert len(fig.axes[0].patches) >= len(bars)
    terms = " ".join(course.penalty_numbers(ids, "current")["penalty"])
    assert "no prison term" not in terms and "up to 25 years" in terms and "up to 20 years" in terms


def test_a_long_alt_text_goes_next_to_the_chart_in_words():
    fig, alt = timeline.timeline_chart(LAW)
    assert len(alt) > course.ALT_MAX   # the timeline's own alt text names every change
    html = course.figure_html(fig, alt)
    img_alt = unescape(re.search(r'<img [^>]*alt="([^"]*)"', html).group(1))
    assert len(img_alt) <= course.ALT_MAX and "under the chart" in img_alt
    details = unescape(html.split("<details>", 1)[1])
    for c in timeline.changes(LAW):
        assert c.citation in details and date_text(c.date) in details
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b", unescape(html.split("base64,")[0] + details))


def test_penalty_chart_without_terms_says_so():
    with pytest.raises(ValueError, match="no|none"):
        course.penalty_chart(["ct-53a-82"])


def test_figure_html_is_a_png_image_with_escaped_alt_text():
    fig, _ = course.penalty_chart(IDS)
    html = course.figure_html(fig, 'Chart of "terms" & more')
    assert 'alt="Chart of &quot;terms&quot; &amp; more"' in html
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(data).startswith(b"\x89PNG")
    again = course.figure_html(course.penalty_chart(IDS)[0], "x")
    assert re.search(r'base64,([^"]+)', again).group(1) == data  # reproducible: no software stamp
