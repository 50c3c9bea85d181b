import re
"""The course helpers appended for modules 04 and the instructor guide: federal and
Connecticut side by side, one case's provisions under two dates, and module timings."""
import json

import pytest

import dmst
from dmst import course

LAW = dmst.load_law()


def test_side_by_side_puts_each_provision_under_its_jurisdiction_and_conduct():
    frame = course.side_by_side("current").set_index("conduct")
    assert "18 U.S.C. § 1591" in frame.loc["patronized", "federal"]
    assert "§ 53a-83b" in frame.loc["patronized", "Connecticut"]
    assert frame.loc["held in servitude", "Connecticut"] == "nothing in the data"
    assert not frame.apply(lambda col: col.str.contains("7102")).any().any()  # definitions are not crimes


def test_side_by_side_follows_the_date():
    then = course.side_by_side("brochure").set_index("conduct")
    now = course.side_by_side("current").set_index("conduct")
    assert then.loc["patronized", "federal"] == "nothing in the data"
    assert now.loc["patronized", "federal"] != "nothing in the data"
    assert "recruited" in now.index and then.loc["recruited", "Connecticut"] == "nothing in the data"


def test_side_by_side_labels_tiers_when_one_citation_has_two_penalties():
    cell = course.side_by_side("current").set_index("conduct").loc["promoted", "Connecticut"]
    assert "§ 53a-86 (minor)" in cell and "§ 53a-86 (adult)" in cell


def test_actors_by_date_matches_classify_for_each_date():
    case = {"age": 16, "purpose": "prostitution", "anything_of_value": True,
            "actors": [{"name": "K", "conduct": ["patronized"]}]}
    frame = course.actors_by_date(case)
    for preset in ("brochure", "current"):
        rows = frame[frame["law of"] == LAW.presets[preset]]
        expected = [p.citation for a in dmst.classify(case, LAW.presets[preset]).actors for p in a.provisions]
        assert list(rows["citation"]) == expected and set(rows["actor"]) == {"K"}


def test_actors_by_date_for_several_ages_leads_with_the_age():
    case = {"age": 30, "purpose": "prostitution", "anything_of_value": True,
            "actors": [{"name": "K", "conduct": ["patronized"]}]}
    frame = course.actors_by_date(case, ages=(14, 16))
    assert list(frame.columns[:2]) == ["age", "law of"] and frame.attrs["merge"] == ["age", "law of", "actor"]
    for age in (14, 16):
        rows = frame[(frame["age"] == age) & (frame["law of"] == LAW.presets["current"])]
        expected = [p.citation for a in dmst.classify({**case, "age": age}, LAW.presets["current"]).actors
                    for p in a.provisions]
        assert list(rows["citation"]) == expected


def _module(tmp_path, name, header):
    (tmp_path / name).write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": header}]}))


def test_module_times_reads_title_minutes_objectives_and_sections(tmp_path):
    _module(tmp_path, "01-x.ipynb", "# 01 · X\n\n**Learning objectives.** You will be able to:\n\n"
            "1. do one thing;\n2. do another,\n   over two lines.\n\n**Estimated time: 15 minutes**\n\n"
            "| Section | Time |\n|---|---|\n| 1. First | 5 min |\n| 2. Second | 10 min |\n")
    _module(tmp_path, "notes.ipynb", "# not a module")
    row = course.module_times(tmp_path).iloc[0]
    assert len(course.module_times(tmp_path)) == 1
    assert (row["module"], row["title"], row["minutes"]) == ("01", "01 · X", 15)
    assert row["objectives"] == "(1) do one thing. (2) do another, over two lines."
    assert row["sections"] == "1. First (5 min); 2. Second (10 min)"


def test_module_times_of_the_course_add_up_section_by_section():
    for _, row in course.module_times().iterrows():
        minutes = [int(part.rsplit("(", 1)[1].split()[0]) for part in row["sections"].split("; ")]
        assert sum(minutes) == row["minutes"], row["notebook"]


@pytest.mark.parametrize("as_of", ["brochure", "current"])
def test_side_by_side_lists_only_crimes_in_force(as_of):
    text = " ".join(course.side_by_side(as_of)[["federal", "Connecticut"]].to_numpy().ravel())
    day = course.when(as_of)
    gone = [v for v in LAW.provisions if not v.in_force(day) and v.reaches
            and not any(w.citation == v.citation and w.in_force(day) for w in LAW.provisions)]
    assert not [v.citation for v in gone if re.search(re.escape(v.citation) + r"(?![\w(-])", text)]
