"""Issue 15, driven through the CLI as a grader uses it: a class of five is graded, a hand mark is
merged, then `dmst report` (item analysis: CSV and HTML), `dmst export --to canvas|moodle` (with
and without a roster, and a bad roster), the feedback a learner reads, and the summaries that
`dmst grade` and `dmst marks` print."""
import csv
import io
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dmst.grading import item_analysis

from conftest import EXERCISES, SOLUTIONS, feedback_page, submission, write

# Five learners on the sample exercise: q1 (a letter, 1 point, and a hidden check "not A", 1 point),
# q2 (a whole number, 2 points, 1 for any whole number) and q3 (written, 2 points, marked by hand).
CLASS = {
    "ann": dict(q1='q1 = "B"', q2="q2 = len(law.ids)", q3="Call the hotline first: it is the agreed first step."),
    "ben": dict(q1='q1 = "A"', q2="q2 = len(law.ids)"),
    "cy": dict(q1='q1 = "C"', q2="q2 = 3"),
    "dee": dict(q1='q1 = "B"', q2="q2 = 3"),
    "eve": dict(q1='q1 = "A"', q2="q2 = 'ten'", q3="I would call my manager."),
}
SECOND = {"ann": "answer = 42", "ben": "answer = 41", "cy": "answer = 41", "dee": "answer = 40"}


def dmst(*args):
    return subprocess.run([sys.executable, "-m", "dmst", *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("class")
    sub, out = tmp / "submitted", tmp / "results"
    for learner, answers in CLASS.items():
        write(sub, f"{learner}/sample.ipynb", submission(**answers))
    for learner, answer in SECOND.items():
        write(sub, f"{learner}/second.ipynb", submission("second", answer_cell=answer))
    first = dmst("grade", sub, "--out", out, "--exercises-dir", EXERCISES, "--solutions-dir", SOLUTIONS,
                 "--no-progress")
    assert first.returncode == 0, first.stderr
    sheet = out / "manual-marking.csv"
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
    for row in rows:
        if row["learner"] == "ann":
            row["mark"], row["comment"] = "2", "Clear and right."
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_text(text.getvalue(), encoding="utf-8")
    marks = dmst("marks", out)
    assert marks.returncode == 0, marks.stderr
    report = dmst("report", out)
    assert report.returncode == 0, report.stderr
    book = pd.read_csv(out / "gradebook.csv", keep_default_na=False, na_values=[""])
    return {"sub": sub, "out": out, "grade": first, "marks": marks, "report": report, "book": book, "tmp": tmp}


# --- dmst grade's and dmst marks's summaries ------------------------------------------------

def test_the_summary_reads_as_a_sentence_and_a_table(graded):
    out = graded["grade"].stdout
    assert out.splitlines()[0] == "9 files: 9 graded."
    assert "Exercise" in out and "What happened" in out and "Automatic points (mean)" in out
    line = next(line for line in out.splitlines() if line.startswith("Sample exercise (grading tests)"))
    # automatic points only: ann 4, ben 2, cy 2, dee 3, eve 0 -> 2.2 of 4; two written answers await a mark
    assert re.search(r"\s5\s+5 graded\s+2\.2 of 4\s+2$", line), line


def test_marks_prints_the_updated_summary(graded):
    out = graded["marks"].stdout
    assert "Merged 1 mark" in out and "9 files: 9 graded." in out
    line = next(line for line in out.splitlines() if line.startswith("Sample exercise (grading tests)"))
    assert re.search(r"2\.2 of 4\s+1$", line), line        # hand marks do not change the automatic mean


# --- dmst report: item analysis ------------------------------------------------------------

def analysis(graded) -> pd.DataFrame:
    frame = pd.read_csv(graded["out"] / "item-analysis.csv", keep_default_na=False, na_values=[""])
    assert list(frame.columns) == ["exercise", "question", "learners", "share_right", "discrimination",
                                   "common_wrong_answers"]
    return frame.set_index(["exercise", "question"])


def test_share_right_and_learners_per_question(graded):
    frame = analysis(graded)
    assert frame.loc[("sample", "test_q1"), "share_right"] == pytest.approx(2 / 5)
    assert frame.loc[("sample", "test_q2"), "share_right"] == pytest.approx(2 / 5)
    assert frame.loc[("sample", "test_q1_hidden"), "share_right"] == pytest.approx(3 / 5)
    assert frame.loc[("sample", "q3"), "learners"] == 4               # eve's written answer awaits its mark
    assert frame.loc[("sample", "q3"), "share_right"] == pytest.approx(1 / 4)
    assert frame.loc[("second", "test_answer"), "share_right"] == pytest.approx(1 / 4)


def test_discrimination_is_the_point_biserial_correlation_with_the_rest_of_the_exercise(graded):
    frame, book = analysis(graded), graded["book"]
    sample = book[(book.exercise == "sample") & (book.taken == "yes")]
    for question, maximum in (("test_q1", 1), ("test_q2", 2), ("test_q1_hidden", 1)):
        right = (sample[f"sample:{question}"] == maximum).astype(float).to_numpy()
        rest = (sample["total"] - sample[f"sample:{question}"]).to_numpy()
        expected = np.corrcoef(right, rest)[0, 1]                        # Pearson on a 0/1 variable
        assert frame.loc[("sample", question), "discrimination"] == pytest.approx(expected, abs=1e-3)
    assert frame.loc[("second", "test_answer"), "discrimination"] != frame.loc[("second", "test_answer"),
                                                                               "discrimination"]  # one exercise total: undefined


def test_common_wrong_answers_as_the_learners_wrote_them(graded):
    frame = analysis(graded)
    assert frame.loc[("sample", "test_q1"), "common_wrong_answers"] == "“A” (2); “C” (1)"
    assert frame.loc[("sample", "test_q2"), "common_wrong_answers"] == "“3” (2); “ten” (1)"
    assert frame.loc[("second", "test_answer"), "common_wrong_answers"] == "“41” (2); “40” (1)"


def test_the_report_page_names_questions_flags_them_and_shows_the_totals(graded):
    html = (graded["out"] / "report.html").read_text()
    assert "<h2>Sample exercise (grading tests)</h2>" in html and "<h2>Second sample exercise</h2>" in html
    assert "Which letter is right: A, B or C?" in html                 # questions by label and text
    assert "test_q1" not in html and "test_answer" not in html          # never an id alone
    assert 'alt="Share of learners with full points, per question: Q1 40%, Q2 40%, Q3 25%, Q1 60%."' in html
    # Five learners (four on the second exercise): too few to call a question hard or to judge
    # whether it tells stronger learners from weaker ones; the page says so and flags nothing.
    assert "Questions to look at" not in html
    sample, second = html.split("<h2>Second sample exercise</h2>")
    assert "With 5 learners, the class is too small for these figures to single out a question" in sample
    assert "With 4 learners, the class is too small" in second
    assert "1 of 4 (25%)" in second and "too few learners to tell" in second
    assert "Discrimination</th>" not in html
    assert "1 still awaits a hand mark" in html and "Totals of 5 learners out of 6 points" in html
    assert "default-src 'none'" in html and "<script" not in html
    assert "Wrote" in graded["report"].stdout and "report.html" in graded["report"].stdout


def test_report_needs_a_finished_grading_run(tmp_path):
    done = dmst("report", tmp_path)
    assert done.returncode == 2 and "run `dmst grade` first" in done.stderr and "Traceback" not in done.stderr


# --- dmst export ---------------------------------------------------------------------------

def roster(tmp_path, text, name="roster.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_canvas_export_with_a_roster(graded, tmp_path):
    people = roster(tmp_path, "learner,name,sis_user_id,sis_login_id,section,email\n"
                              "ann,\"Lee, Ann\",S1,alee,Morning,ann@example.org\n"
                              "ben,\"Roe, Ben\",S2,broe,Morning,ben@example.org\n"
                              "cy,\"=Cy, Formula\",S3,cy,Evening,cy@example.org\n"
                              "dee,\"Doe, Dee\",S4,ddoe,Evening,dee@example.org\n"
                              "fay,\"Fox, Fay\",S6,ffox,Evening,fay@example.org\n")
    target = tmp_path / "canvas.csv"
    done = dmst("export", graded["out"], "--to", "canvas", "--roster", people, "--out", target)
    assert done.returncode == 0, done.stderr
    rows = read_csv(target)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Sample exercise (grading tests)",
                       "Second sample exercise"]
    assert rows[1] == ["Points Possible", "", "", "", "", "6", "3"]
    assert rows[2] == ["Lee, Ann", "", "S1", "alee", "Morning", "6", "3"]
    assert rows[4][0] == "'=Cy, Formula"                                # a formula is shown as text
    assert rows[6] == ["Fox, Fay", "", "S6", "ffox", "Evening", "", ""]  # in the roster, handed in nothing
    assert len(rows) == 7
    assert "not in the roster, so not exported: eve" in done.stdout
    assert "handed in nothing (rows with empty scores): fay" in done.stdout
    assert "awaits a hand mark" not in done.stdout                    # eve's, and eve is not exported


def test_canvas_export_without_a_roster_says_the_ids_fill_the_id_columns(graded):
    done = dmst("export", graded["out"], "--to", "canvas")
    assert done.returncode == 0, done.stderr
    rows = read_csv(graded["out"] / "canvas-import.csv")
    assert rows[2][:4] == ["ann", "", "ann", "ann"] and [r[0] for r in rows[2:]] == ["ann", "ben", "cy", "dee", "eve"]
    assert "the learner ids (folder or file names) fill the SIS User ID and SIS Login ID columns" in done.stdout
    assert "1 score still awaits a hand mark for a written answer and is exported as it stands" in done.stdout


def test_canvas_export_says_the_assignment_names_canvas_must_have(graded, tmp_path):
    done = dmst("export", graded["out"], "--to", "canvas")
    assert done.returncode == 0, done.stderr
    headings = read_csv(graded["out"] / "canvas-import.csv")[0][5:]
    assert headings == ["Sample exercise (grading tests)", "Second sample exercise"]
    note = next(line for line in done.stdout.splitlines() if "assignment of exactly that name" in line)
    assert "name the Canvas assignments " + ", ".join(f'"{h}"' for h in headings) in note
    assert "makes a new assignment for a column whose name it does not know" in note
    moodle = dmst("export", graded["out"], "--to", "moodle", "--out", tmp_path / "m.csv")
    assert "Canvas" not in moodle.stdout


def test_moodle_export_by_email_or_id_number(graded, tmp_path):
    people = roster(tmp_path, "learner,email\nann,ann@example.org\nben,ben@example.org\ncy,cy@example.org\n"
                              "dee,dee@example.org\neve,eve@example.org\n")
    done = dmst("export", graded["out"], "--to", "moodle", "--roster", people, "--out", tmp_path / "m.csv")
    assert done.returncode == 0, done.stderr
    rows = read_csv(tmp_path / "m.csv")
    assert rows[0] == ["Email address", "Sample exercise (grading tests)", "Second sample exercise"]
    assert rows[1] == ["ann@example.org", "6", "3"] and rows[5] == ["eve@example.org", "0", ""]
    assert 'map "Email address" to "Email address"' in done.stdout
    plain = dmst("export", graded["out"], "--to", "moodle", "--out", tmp_path / "ids.csv")
    assert read_csv(tmp_path / "ids.csv")[0][0] == "ID number" and read_csv(tmp_path / "ids.csv")[1][0] == "ann"
    assert plain.returncode == 0


@pytest.mark.parametrize("text, problem", [
    ("learner,name\nann,Ann\nann,Ann again\n", "row 3, column learner: 'ann' is listed already (row 2)"),
    ("learner,email\nann,not-an-email\n", "row 2, column email: 'not-an-email' is not an email address"),
    ("learner,phone\nann,123\n", "row 1: unknown column(s) 'phone'"),
    ("name\nAnn\n", "no column 'learner'"),
])
def test_a_bad_roster_is_named_by_row_and_column_and_nothing_is_written(graded, tmp_path, text, problem):
    target = tmp_path / "never.csv"
    done = dmst("export", graded["out"], "--to", "canvas", "--roster", roster(tmp_path, text), "--out", target)
    assert done.returncode == 2 and problem in done.stderr and "Traceback" not in done.stderr
    assert not target.exists()


def test_an_unknown_format_is_named_with_the_allowed_ones(graded):
    done = dmst("export", graded["out"], "--to", "blackboard")
    assert done.returncode == 2 and "canvas" in done.stderr and "moodle" in done.stderr


# --- feedback a learner can act on ---------------------------------------------------------

def test_feedback_shows_each_question_the_answer_as_written_and_the_hint_once(graded):
    html = feedback_page(graded["out"], "cy").read_text()
    assert "<h2>Sample exercise (grading tests)</h2>" in html and "<h2>Second sample exercise</h2>" in html
    assert "<strong>2 of 6 points</strong>" in html
    assert "Which letter is right: A, B or C?" in html
    assert '<span class="answer">C</span>' in html and '<span class="answer">3</span>' in html
    assert html.count("The answer is a number between 40 and 45.") == 1     # the check and its hidden test said it
    assert "Where to look:</span> Section 2 of the second sample" in html
    for leak in ("HIDDEN-CODE-MARKER", "check_value", "assert q1", "6 * 7", "The answer:</span>"):
        assert leak not in html


def test_feedback_says_what_awaits_a_hand_mark_and_shows_the_mark(graded):
    eve = feedback_page(graded["out"], "eve").read_text()
    assert "0 of 6 points</strong> so far: 2 more points await your instructor's mark" in eve
    assert "I would call my manager." in eve
    ann = feedback_page(graded["out"], "ann").read_text()
    assert "including 2 marked by your instructor" in ann and "Clear and right." in ann


def test_show_answers_adds_the_right_answer_only_where_it_was_missed(graded, tmp_path):
    out = tmp_path / "with-answers"
    done = dmst("grade", graded["sub"], "--out", out, "--exercises-dir", EXERCISES, "--solutions-dir", SOLUTIONS,
                "--no-progress", "--show-answers")
    assert done.returncode == 0, done.stderr
    cy = feedback_page(out, "cy").read_text()
    assert '<span class="label">The answer:</span> B' in cy and '<span class="label">The answer:</span> 42' in cy
    ann = feedback_page(out, "ann").read_text()
    assert "The answer:</span>" not in ann.split("Second sample exercise")[1]   # ann got 42: nothing to show


def _summary(learners: int, right: int, discrimination: float) -> "item_analysis.ExerciseSummary":
    item = item_analysis.Item("ex", "q1", "Question 1", "Which age?", "Module 01, section 2", "auto", 1,
                              learners, right / learners, discrimination)
    return item_analysis.ExerciseSummary("ex", "Exercise 1", 1, [1.0] * right + [0.0] * (learners - right), 0, [item])


@pytest.mark.parametrize("learners, right, discrimination, flagged, not_flagged", [
    (8, 1, 0.05, [], ["few learners got it right", "no more likely"]),
    (12, 3, 0.05, ["few learners got it right: only 3 of 12 (25%) had full points. Look at: Module 01, section 2."],
     ["no more likely"]),
    (40, 30, 0.05, ["learners who did well on the rest of the exercise were no more likely to get this one right"],
     ["few learners got it right"]),
    (40, 30, 0.45, [], ["few learners got it right", "no more likely"]),
])
def test_flags_are_in_words_and_only_where_the_class_is_large_enough(learners, right, discrimination, flagged,
                                                                       not_flagged):
    from dmst.grading import class_report

    html = class_report.page([_summary(learners, right, discrimination)])
    looked_at = html.split("Questions to look at")[1].split("Every question")[0] if flagged else ""
    for words in flagged:
        assert words in looked_at
    if not flagged:
        assert "Questions to look at" not in html
    for words in not_flagged:
        assert words not in html
    assert "discrimination 0" not in html                      # a flag never reads as a bare statistic
    small = f"With {learners} learners, the class is too small"
    assert (small in html) == (learners < class_report.FEW_FOR_DISCRIMINATION)
