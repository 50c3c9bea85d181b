"""Completion records from the gradebook, and `dmst verify`: genuine codes pass, forged ones fail."""
from __future__ import annotations

import csv
import re
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from takeaway_support import PYTHON_TEXT, colour_pixels, flat, pdf_pages, render, screenshot

from dmst.cli import main
from dmst.grading.results_folder import ResultsFolder
from dmst.takeaways import codes
from dmst.takeaways.records import file_name

COLUMNS = ["learner", "exercise", "status", "total", "max", "needs_manual_grading", "notes", "file"]


def gradebook(folder: Path, rows) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "gradebook.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for learner, exercise, total, maximum, manual in rows:
            w.writerow([learner, exercise, "graded", total, maximum, manual, "", f"{learner}/{exercise}"])
    return folder


CLASS = [("Ana", "ex01-defining-the-crime", 9, 10, ""), ("Ana", "ex06-capstone", 8.5, 10, ""),
         ("Ben", "ex01-defining-the-crime", 4, 10, ""), ("Ben", "ex06-capstone", 5, 10, ""),
         ("Cy", "ex01-defining-the-crime", 10, 10, "reflection"), ("Cy", "ex06-capstone", 10, 10, ""),
         ("Dee Jay", "ex01-defining-the-crime", 2, 10, ""), ("Dee Jay", "ex01-defining-the-crime", 10, 10, ""),
         ("Dee Jay", "ex06-capstone", 6, 10, "")]


REQUIRE = ["--require", "ex01-defining-the-crime,ex06-capstone"]


def issue(results: Path, *extra, date="2026-12-01") -> str:
    assert main(["records", str(results), "--date", date, *REQUIRE, *extra]) == 0
    return ledger(results)


def ledger(results: Path) -> dict:
    with ResultsFolder(results, create=False) as folder:
        return {e["record"]["learner"]: e["code"] for e in codes.issued(folder)}


def test_records_only_for_learners_who_met_the_pass_mark(tmp_path, capsys):
    results = gradebook(tmp_path / "results", CLASS)
    issued = issue(results)
    out = capsys.readouterr().out
    assert set(issued) == {"Ana", "Dee Jay"}          # Dee Jay's better resubmission counts: 16 of 20
    assert "Ben: 45% is below the pass mark of 70%" in out
    assert "Cy: awaiting a grader's manual marks for ex01-defining-the-crime" in out
    assert sorted(p.name for p in (results / "records").glob("*.pdf")) == sorted(f"{file_name(n)}.pdf" for n in issued)


def test_record_pdf_says_who_what_when_and_the_code(tmp_path):
    results = gradebook(tmp_path / "results", CLASS)
    issued = issue(results, "--names", str(_names(tmp_path)))
    pdf = results / "records" / f"{file_name('Ana')}.pdf"
    text = flat(" ".join(pdf_pages(pdf)))
    from importlib.metadata import version
    for expected in ("Ana Example", "Child sex trafficking law: U.S. federal and Connecticut", f"Version {version('dmst')}",
                     "Exercise 1: Defining the crime", "Module 01 · Defining the crime", "9 of 10",
                     "Exercise 6: Capstone case", "Modules 01 to 05", "8.5 of 10", "17.5 of 20 points (87.5%)",
                     "The pass mark is 70%", "Date issued: 1 December 2026", issued["Ana"]):
        assert expected in text, expected
    assert not PYTHON_TEXT.search(text)
    assert colour_pixels(render(pdf, 0, 1)) == 0
    screenshot(pdf, "completion-record.png")


def _names(tmp_path: Path) -> Path:
    path = tmp_path / "names.csv"
    path.write_text("learner,name\nAna,Ana Example\n", encoding="utf-8")
    return path


def test_manual_marks_count_once_merged(tmp_path):
    results = gradebook(tmp_path / "results", CLASS)
    assert "Cy" not in issue(results)
    merged = [(l, e, t, m, "") for l, e, t, m, _ in CLASS]   # the grader's marks are now in `total`
    gradebook(results, merged)
    assert "Cy" in issue(results)


def test_pass_mark_is_configurable(tmp_path):
    results = gradebook(tmp_path / "results", CLASS)
    assert "Ben" in issue(results, "--pass-mark", "45")
    assert "Ben" not in issue(gradebook(tmp_path / "other", CLASS), "--pass-mark", "46")


def test_verify_accepts_a_genuine_code_in_any_reasonable_spelling(tmp_path, capsys):
    results = gradebook(tmp_path / "results", CLASS)
    code = issue(results)["Ana"]
    capsys.readouterr()
    for spelling in (code, code.lower(), code.replace("-", " "), code.replace("0", "O").replace("1", "l")):
        assert main(["verify", spelling, "--results", str(results)]) == 0
        out = capsys.readouterr().out
        assert out.startswith("GENUINE") and "ex06-capstone: 8.5 of 10" in out


def test_verify_rejects_a_forged_code(tmp_path, capsys):
    results = gradebook(tmp_path / "results", CLASS)
    code = issue(results)["Ana"]
    chars = code.replace("-", "")
    forged = ("1" if chars[-1] != "1" else "2")
    forged = f"{chars[:5]}-{chars[5:9]}{forged}"
    assert main(["verify", forged, "--results", str(results)]) == 1
    assert "NOT GENUINE: no record with code" in capsys.readouterr().out


def test_verify_rejects_an_edited_ledger_and_a_changed_gradebook(tmp_path, capsys):
    results = gradebook(tmp_path / "results", CLASS)
    codes_now = issue(results)
    ledger = results / codes.LEDGER
    entries = [json.loads(line) for line in ledger.read_text().splitlines()]
    for e in entries:                                  # someone gives Dee Jay full marks in the ledger
        if e["record"]["learner"] == "Dee Jay":
            e["record"]["scores"][1][1] = 10.0
    ledger.write_text("".join(json.dumps(e) + "\n" for e in entries))
    assert main(["verify", codes_now["Dee Jay"], "--results", str(results)]) == 1
    assert "has been altered" in capsys.readouterr().out
    gradebook(results, [r for r in CLASS if r[0] != "Ana"] + [("Ana", "ex01-defining-the-crime", 9, 10, ""),
                                                               ("Ana", "ex06-capstone", 7, 10, "")])
    assert main(["verify", codes_now["Ana"], "--results", str(results)]) == 1
    assert "scores have changed" in capsys.readouterr().out


def test_a_code_from_another_results_folder_is_rejected(tmp_path, capsys):
    first = gradebook(tmp_path / "first", CLASS)
    second = gradebook(tmp_path / "second", CLASS)
    code = issue(first)["Ana"]
    issue(second)                                      # same gradebook, another secret
    assert main(["verify", code, "--results", str(second)]) == 1


def test_the_key_is_private_and_reused(tmp_path):
    results = gradebook(tmp_path / "results", CLASS)
    first = issue(results)
    mode = stat.S_IMODE(os.stat(results / codes.KEY_FILE).st_mode)
    assert mode == 0o600
    assert issue(results) == first                     # same key, same content: same codes, no duplicates
    assert len(ledger(results)) == len(first)
    assert (results / codes.LEDGER).read_text().count("\n") == len(first)


@pytest.mark.parametrize("argv, message", [
    (["records", "{results}/nowhere"], "nowhere: no such folder"),
    (["records", "{results}", "--pass-mark", "120"], "--pass-mark: 120 is not a percentage"),
    (["records", "{results}", "--date", "1 Dec"], "--date: '1 Dec' is not a date YYYY-MM-DD"),
    (["verify", "ABC", "--results", "{results}"], "'ABC' is not a verification code"),
    (["verify", "7KQ2M-XR4TD", "--results", "{results}/nowhere"], "nowhere: no such folder"),
    (["verify", "7KQ2M-XR4TD", "--results", "{results}"], "no completion records were issued"),
])
def test_bad_input_exits_2_with_a_clear_message(tmp_path, capsys, argv, message):
    results = gradebook(tmp_path / "results", CLASS)
    assert main([a.format(results=results) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_gradebook_without_the_needed_columns_is_named(tmp_path, capsys):
    results = tmp_path / "results"
    results.mkdir()
    (results / "gradebook.csv").write_text("learner,exercise,score\nAna,ex01,3\n")
    assert main(["records", str(results)]) == 2
    assert "missing column(s) status, total, max" in capsys.readouterr().err


def test_the_installed_command_verifies(tmp_path):
    results = gradebook(tmp_path / "results", CLASS)
    code = issue(results)["Ana"]
    dmst = Path(sys.executable).parent / "dmst"
    ok = subprocess.run([str(dmst), "verify", code, "--results", str(results)], capture_output=True, text=True)
    bad = subprocess.run([str(dmst), "verify", "00000-00000", "--results", str(results)], capture_output=True, text=True)
    assert (ok.returncode, bad.returncode) == (0, 1), ok.stderr + bad.stderr


FIXTURES = Path(__file__).parents[1] / "grading" / "fixtures" / "exercises"   # exercises "sample" and "second"
SET = [("Ann", "sample", 6, 6, ""),                        # handed in the one exercise the instructor set
       ("Ben", "sample", 3, 6, ""), ("Ben", "second", 3, 3, ""),
       ("Cy", "second", 3, 3, "")]


def records_run(results, *extra):
    return main(["records", str(results), "--exercises-dir", str(FIXTURES), "--date", "2026-12-01", *extra])


def test_records_cover_the_required_exercises_only(tmp_path, capsys):
    results = gradebook(tmp_path / "results", SET)
    assert records_run(results, "--require", "sample") == 0
    out = capsys.readouterr().out
    assert set(ledger(results)) == {"Ann"}
    assert "Ann: " in out and "(100%)" in out and "exercises sample" in out
    assert "Ben: 50% is below the pass mark of 70%" in out
    assert "Cy: has not handed in sample" in out
    with ResultsFolder(results, create=False) as folder:
        [entry] = codes.issued(folder)
    assert entry["record"]["scores"] == [["sample", 6.0, 6.0]] and entry["record"]["points_offered"] == 6.0


def test_by_default_every_exercise_of_the_course_is_required(tmp_path, capsys):
    results = gradebook(tmp_path / "results", SET)
    assert records_run(results) == 0
    out = capsys.readouterr().out
    assert not ledger(results)
    assert "Ann: has not handed in second" in out
    assert "Ben: 66.7% is below the pass mark of 70%" in out          # 6 of 9 over both exercises


def test_an_unknown_required_exercise_names_the_allowed_ones(tmp_path, capsys):
    results = gradebook(tmp_path / "results", SET)
    assert records_run(results, "--require", "sample,ex99") == 2
    err = capsys.readouterr().err
    assert "--require: 'ex99' is not an exercise of this course; the exercises are sample, second" in err


def test_without_names_it_warns_once_that_ids_are_printed_as_names(tmp_path, capsys):
    results = gradebook(tmp_path / "results", SET + [("Dee", "sample", 6, 6, "")])
    assert records_run(results, "--require", "sample") == 0
    assert capsys.readouterr().err.count("no --names file was given") == 1
    assert records_run(results, "--require", "sample", "--names", str(_names(tmp_path))) == 0
    assert "no --names" not in capsys.readouterr().err


def test_a_code_typed_with_a_space_verifies(tmp_path, capsys):
    results = gradebook(tmp_path / "results", SET)
    assert records_run(results, "--require", "sample") == 0
    code = ledger(results)["Ann"]
    capsys.readouterr()
    assert main(["verify", *code.split("-"), "--results", str(results)]) == 0
    assert capsys.readouterr().out.startswith("GENUINE")


# --- what the coordinator's walkthrough found -------------------------------------------------

BOOK = ["learner", "exercise", "status", "total", "max", "needs_manual_grading", "taken", "hand_marks", "notes", "file"]


def full_gradebook(folder: Path, rows) -> Path:
    """A gradebook with every column dmst grade writes: (learner, exercise, status, total, max, taken, file)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "gradebook.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(BOOK)
        for learner, exercise, status, total, maximum, was_taken, file in rows:
            w.writerow([learner, exercise, status, total, maximum, "", was_taken, "", "", file])
    return folder


def test_the_percentage_shown_is_the_one_the_pass_mark_is_compared_with(tmp_path, capsys):
    # 348 of 500 is 69.6%: not passed, and never shown as "70%"; 349.8 of 500 is 69.96%, shown as
    # 70% and so passed; 349.7 of 500 is 69.94%, shown as 69.9% and not passed.
    rows = [("Low", "sample", 348, 500, ""), ("Edge", "sample", 349.8, 500, ""), ("Near", "sample", 349.7, 500, "")]
    results = gradebook(tmp_path / "results", rows)
    assert records_run(results, "--require", "sample") == 0
    out = capsys.readouterr().out
    assert "Low: 69.6% is below the pass mark of 70%" in out
    assert "Near: 69.9% is below the pass mark of 70%" in out
    assert set(ledger(results)) == {"Edge"}
    assert re.search(r"Edge: \S+ \(70%\)", out)
    text = flat(" ".join(pdf_pages(results / "records" / f"{file_name('Edge')}.pdf")))
    assert "349.8 of 500 points (70%). The pass mark is 70%." in text
    assert main(["verify", ledger(results)["Edge"], "--results", str(results)]) == 0
    assert "(70%)" in capsys.readouterr().out
    for line in re.findall(r"^  \S+: .*$", out, re.M):           # every figure on screen agrees with its outcome
        shown = float(re.search(r"(\d+(?:\.\d)?)%", line).group(1))
        assert (shown >= 70) == ("below" not in line), line


def test_a_file_that_could_not_be_graded_is_not_called_not_handed_in(tmp_path, capsys):
    results = full_gradebook(tmp_path / "results", [
        ("Gus", "sample", "graded", 6, 6, "yes", "Gus/sample.ipynb"),
        ("Gus", "second", "invalid_notebook", 0, 3, "no", "Gus/second.ipynb"),
        ("Fay", "sample", "graded", 6, 6, "yes", "Fay/sample.ipynb")])
    assert records_run(results) == 0
    out = capsys.readouterr().out
    gus = next(line for line in out.splitlines() if line.startswith("  Gus:"))
    assert "has not handed in" not in gus
    assert "handed in second (Gus/second.ipynb: status invalid_notebook, the file is not a notebook)" in gus
    assert "could not be graded" in gus
    assert "Fay: has not handed in second" in out                   # truly missing is still said so


def test_records_issued_earlier_are_not_replaced_by_different_ones(tmp_path, capsys):
    results = gradebook(tmp_path / "results", CLASS)
    first = issue(results)
    pdfs = {p.name: p.read_bytes() for p in (results / "records").glob("*.pdf")}
    entries = (results / codes.LEDGER).read_text()
    capsys.readouterr()
    assert main(["records", str(results), "--date", "2026-12-01", "--require", "ex01-defining-the-crime"]) == 2
    err = capsys.readouterr().err
    assert "Nothing was written" in err and "Traceback" not in err
    for name in pdfs:
        assert name in err
    assert {p.name: p.read_bytes() for p in (results / "records").glob("*.pdf")} == pdfs
    assert (results / codes.LEDGER).read_text() == entries
    assert issue(results) == first                                    # the same records again: fine
    assert issue(results, date="2026-12-05") == first                 # another day, the same records: kept
    assert {p.name: p.read_bytes() for p in (results / "records").glob("*.pdf")} == pdfs
    assert "Ana: " in (out := capsys.readouterr().out) and "unchanged since it was issued on 2026-12-01" in out
    changed = [(l, e, t - 1 if l == "Ana" else t, m, manual) for l, e, t, m, manual in CLASS]
    gradebook(results, changed)                                       # Ana's score changes: refused
    assert main(["records", str(results), "--date", "2026-12-05", *REQUIRE]) == 2
    assert f"{file_name('Ana')}.pdf" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (results / "records").glob("*.pdf")} == pdfs
    gradebook(results, CLASS)
    earlier = results / "records" / "issued-2026-12-01"
    earlier.mkdir()
    for name in pdfs:
        (results / "records" / name).rename(earlier / name)
    assert main(["records", str(results), "--date", "2026-12-02", "--require", "ex01-defining-the-crime"]) == 0
    assert {p.name: p.read_bytes() for p in earlier.glob("*.pdf")} == pdfs
    assert set(first) <= set(ledger(results))


def test_the_record_prints_clean_with_no_band_of_ink(tmp_path):
    results = gradebook(tmp_path / "results", CLASS)
    issue(results)
    page = render(results / "records" / f"{file_name('Ana')}.pdf", 0, 1).convert("L")
    width, height = page.size
    edge = round(0.25 * 72)          # a quarter inch, where printers do not print
    dark = page.point(lambda v: 255 if v < 128 else 0)
    assert dark.crop((0, 0, width, edge)).getbbox() is None
    assert dark.crop((0, height - edge, width, height)).getbbox() is None
    inked = [sum(1 for x in range(width) if dark.getpixel((x, y))) > width / 3 for y in range(height)]
    bands = [y for y in range(height - 3) if all(inked[y:y + 4])]      # 4 pt or more of solid ink across
    assert not bands, f"a band of ink across the page at {bands[0]} pt from the top"
