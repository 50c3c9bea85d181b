"""The exercises: solutions/ is the single source, exercises/ is generated from it.

Covers drift (regenerate and compare bytes), leaks (no solution or hidden-test text, no
literal answer in a visible check), nbgrader structure, the metadata naming each exercise,
answers that follow from `dmst.classify` and the law data, full marks for the solutions,
answers typed between quotes, blank exercises that open with no verdicts and fail every check
with its friendly message, checks that work when the set-up cell was skipped, the "How to
hand it in" section, and, over every question, that the learner's check and `dmst grade`
agree: an answer the check calls right scores in full, one it calls wrong scores nothing, and
a check that sees only the form never says ✔. The check helpers themselves are tested in
test_checks.py.
"""
import ast
import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from dmst import classify, load_law
from dmst.grading.checks import (SAVED, STANDING_CHOICES, actor_provision, answer_hash, as_form, provision_ids,
                                 same_answer)
from dmst.grading.generate import EXERCISES, EXPECTED_FAILURE, KERNEL, NO_VERDICTS, SOLUTIONS, exercise_ids, generate

IDS = exercise_ids()
REGION = re.compile(r"^[ \t]*### BEGIN (SOLUTION|HIDDEN TESTS)[ \t]*\n(.*?)^[ \t]*### END \1", re.M | re.S)


def solution(ex: str):
    return nbformat.read(SOLUTIONS / ex / f"{ex}.ipynb", as_version=4)


def exercise(ex: str, folder: Path = EXERCISES):
    return nbformat.read(folder / ex / f"{ex}.ipynb", as_version=4)


def nbg(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_test(cell) -> bool:
    return cell.cell_type == "code" and nbg(cell).get("grade") and not nbg(cell).get("solution")


def is_manual(cell) -> bool:
    return cell.cell_type == "markdown" and nbg(cell).get("grade") and nbg(cell).get("solution")


def regions(source: str, kind: str) -> list[str]:
    return [body for k, body in REGION.findall(source) if k == kind]


def answers(ex: str) -> dict:
    """Question name -> the solution's answer, read from each `### BEGIN SOLUTION` region."""
    out = {}
    for cell in solution(ex).cells:
        if cell.cell_type == "code" and nbg(cell).get("solution"):
            for body in regions(cell.source, "SOLUTION"):
                for node in ast.parse(body).body:
                    out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def forms(ex: str) -> dict:
    """Question name -> the form its visible check names ("date", "contacts", ...)."""
    found = {}
    for cell in solution(ex).cells:
        if is_test(cell):
            (call,) = call_args(visible(cell.source), "check") + call_args(visible(cell.source), "check_form")
            found[nbg(cell)["grade_id"]] = ast.literal_eval(call.args[1])
    return found


def visible(source: str) -> str:
    return REGION.sub("", source)


def call_args(source: str, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == name]


def hint_of(call: ast.Call, name: str = "hint") -> str:
    return next((ast.literal_eval(k.value) for k in call.keywords if k.arg == name), "")


def stderr_of(cell) -> str:
    """What a cell wrote to stderr, its lines rejoined (messages are wrapped to fit the output box)."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("exercises")
    generate(SOLUTIONS, out)
    return out


def test_six_exercises_one_per_module_and_a_capstone():
    assert len(IDS) >= 6
    for prefix in ("ex01-", "ex02-", "ex03-", "ex04-", "ex05-"):
        assert any(i.startswith(prefix) for i in IDS), prefix
    assert any("capstone" in i for i in IDS)


def test_regenerating_gives_the_committed_exercises_byte_for_byte(regenerated):
    committed = sorted(p.relative_to(EXERCISES) for p in EXERCISES.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    fresh = sorted(p.relative_to(regenerated) for p in regenerated.rglob("*.ipynb"))
    assert committed == fresh, "exercises/ is out of date: run `make exercises` and commit"
    for rel in fresh:
        assert (regenerated / rel).read_bytes() == (EXERCISES / rel).read_bytes(), \
            f"exercises/{rel} differs from what solutions/ generates: run `make exercises` and commit"


@pytest.mark.parametrize("ex", IDS)
def test_exercise_holds_no_solution_or_hidden_test_text(ex):
    secret = []
    for cell in solution(ex).cells:
        for kind in ("SOLUTION", "HIDDEN TESTS"):
            for body in regions(cell.source, kind):
                secret += body.splitlines()
        if is_manual(cell) and "BEGIN SOLUTION" not in cell.source:
            secret += cell.source.splitlines()  # nbgrader replaces the whole written answer
    secret = {line.strip() for line in secret if len(line.strip()) >= 6}
    assert secret, "the solution has no solution or hidden-test text to protect"
    shown = set()
    for cell in exercise(ex).cells:
        shown.update(line.strip() for line in cell.source.splitlines())
        for out in cell.get("outputs", []):
            text = out.get("text", "") + out.get("evalue", "") + str(out.get("data", {}).get("text/plain", ""))
            shown.update(line.strip() for line in text.splitlines())
    assert not secret & shown, f"exercises/{ex} reveals: {sorted(secret & shown)}"
    assert not any("BEGIN HIDDEN TESTS" in c.source or "BEGIN SOLUTION" in c.source for c in exercise(ex).cells)


@pytest.mark.parametrize("ex", IDS)
def test_visible_checks_hold_no_literal_answer(ex):
    key, form = answers(ex), forms(ex)
    for cell in exercise(ex).cells:
        if not is_test(cell):
            continue
        q = nbg(cell)["grade_id"]
        value = as_form(key[q], form[q])
        typed = [] if form[q] == "standing" else [key[q]]   # a letter says nothing; its phrase would
        atoms = [*typed, value, *value] if isinstance(value, list) else [*typed, value]
        for tok in tokenize.generate_tokens(io.StringIO(cell.source).readline):
            if tok.type in (tokenize.STRING, tokenize.NUMBER) or tok.string in ("True", "False"):
                value = ast.literal_eval(tok.string)
                assert not any(same_answer(value, a) for a in atoms), f"{ex} {q}: check shows {tok.string}"
        for call in call_args(cell.source, "check") + call_args(cell.source, "check_form"):
            hint = (hint_of(call) + " " + hint_of(call, "see")).lower()
            for a in atoms:
                if isinstance(a, bool):
                    continue
                text = str(a).lower()
                assert not re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", hint) and text.replace("_", " ") not in hint, \
                    f"{ex} {q}: hint reveals {a!r}"


@pytest.mark.parametrize("ex", IDS)
def test_nbgrader_structure(ex):
    cells = solution(ex).cells
    ids = [nbg(c)["grade_id"] for c in cells if nbg(c)]
    assert len(ids) == len(set(ids)), f"{ex}: duplicate grade ids"
    tests = [c for c in cells if is_test(c)]
    manual = [c for c in cells if is_manual(c)]
    assert manual, f"{ex}: needs a manually graded written answer"
    assert any(regions(c.source, "HIDDEN TESTS") for c in tests), f"{ex}: needs a hidden test"
    for c in tests:
        assert nbg(c)["locked"] and nbg(c)["points"] > 0, f"{ex} {nbg(c)['grade_id']}"
    for c in manual:
        assert nbg(c)["points"] > 0
    questions = {nbg(c)["grade_id"] for c in tests}
    for c in cells:
        if c.cell_type == "code" and nbg(c).get("solution"):
            q = nbg(c)["grade_id"].removesuffix("_answer")
            assert q in questions, f"{ex}: answer cell {q} has no test cell"
            assert re.match(rf'{q} = ""  # type ', visible(c.source)), f"{ex} {q}: stub line missing"
    assert not any(EXPECTED_FAILURE in c.metadata.get("tags", []) for c in cells), "the tag belongs to exercises only"


@pytest.mark.parametrize("ex", IDS)
def test_every_answer_follows_from_classify_or_the_law_data(ex):
    """Evaluates each hidden test's expected value here, against the solution's answer and
    the visible check's hash, so a change to the law data shows exactly what to update."""
    law = load_law()
    key, form = answers(ex), forms(ex)
    for cell in solution(ex).cells:
        if not is_test(cell):
            continue
        q = nbg(cell)["grade_id"]
        hidden = "\n".join(regions(cell.source, "HIDDEN TESTS"))
        namespace = dict(classify=classify, law=law, AS_OF=law.presets["current"], BROCHURE=law.presets["brochure"],
                         actor_provision=actor_provision, provision_ids=provision_ids)
        (call,) = call_args(hidden, "check_value")
        expected_src = ast.get_source_segment(hidden, call.args[1])
        assert "classify(" in expected_src or "law." in expected_src, f"{ex} {q}: expected value must come from classify or the law data"
        tree = ast.parse(hidden)
        tree.body = [n for n in tree.body if not (isinstance(n, ast.Expr) and getattr(n.value.func, "id", "") == "check_value")]
        exec(compile(tree, ex, "exec"), namespace)
        expected = eval(expected_src, namespace)
        assert same_answer(as_form(key[q], form[q]), expected), \
            f"{ex} {q}: the solution says {key[q]!r} but the law data now gives {expected!r}; update the solution"
        for shown in call_args(visible(cell.source), "check"):
            stored = ast.literal_eval(shown.args[2])
            assert stored == answer_hash(q, expected), \
                f"{ex} {q}: the visible check's hash is stale; it should be {answer_hash(q, expected)!r}"


@pytest.mark.parametrize("ex", IDS)
def test_solution_scores_full_marks(ex, tmp_path):
    nb = solution(ex)
    for cell in nb.cells:
        cell.outputs = [] if cell.cell_type == "code" else None
        if cell.cell_type != "code":
            cell.pop("outputs")
    NotebookClient(nb, kernel_name=KERNEL, timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    failed = [nbg(c).get("grade_id", c.get("id")) for c in nb.cells
              if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert not failed, f"{ex}: these cells fail in the solution: {failed}"
    tests = [c for c in nb.cells if is_test(c)]
    assert all("✔" in "".join(o.get("text", "") for o in c.outputs) for c in tests)
    assert not [nbg(c)["grade_id"] for c in tests if stderr_of(c)], f"{ex}: a check fails in the solution"
    assert sum(nbg(c)["points"] for c in tests) > 0


@pytest.mark.parametrize("ex", IDS)
def test_an_exercise_opens_with_no_verdicts(ex):
    """No check output (no pink "no answer yet"), no run count on an answer or check cell."""
    for cell in exercise(ex).cells:
        if is_test(cell) or (cell.cell_type == "code" and nbg(cell).get("solution")):
            assert not cell.outputs and cell.execution_count is None, f"{ex} {nbg(cell)['grade_id']}"
        if is_test(cell):
            assert NO_VERDICTS in cell.metadata.get("tags", [])
        if cell.cell_type == "code" and nbg(cell).get("solution"):
            assert cell.source.startswith(f'{nbg(cell)["grade_id"].removesuffix("_answer")} = ""  # type ')


@pytest.mark.parametrize("ex", IDS)
def test_blank_exercise_fails_every_check_with_its_friendly_message(ex, regenerated, tmp_path):
    nb = exercise(ex, regenerated)
    NotebookClient(nb, kernel_name=KERNEL, timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell in nb.cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"{ex}: cell {cell.get('id')} shows an error (a traceback) in the blank exercise"
        if not is_test(cell):
            continue
        q = nbg(cell)["grade_id"]
        (call,) = call_args(cell.source, "check") + call_args(cell.source, "check_form")
        message = stderr_of(cell)
        assert message.startswith(f"✘ Question {q[1:]} has no answer yet: in its answer cell, type your answer "
                                  "between the two quotes"), message
        assert f"Hint: {hint_of(call)}" in message and f"Where to look: {hint_of(call, 'see')}" in message
        assert "Module" in hint_of(call, "see"), f"{ex} {q}: say where in the course to look"
        assert not any(o.output_type == "execute_result" for o in cell.outputs), f"{ex} {q}: a check shows a value"


@pytest.mark.parametrize("ex", IDS)
def test_checks_work_when_the_setup_cell_was_skipped(ex, tmp_path):
    """A learner who forgot the set-up cell and answered wrongly still gets a friendly message."""
    nb = exercise(ex)
    nb.cells = [c for c in nb.cells if nbg(c).get("grade_id") != "setup"]
    for cell in nb.cells:
        if cell.cell_type == "code" and nbg(cell).get("solution"):
            cell.source = f"{nbg(cell)['grade_id'].removesuffix('_answer')} = 'a wrong answer'"
    checks = [c for c in nb.cells if is_test(c)]
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or nbg(c).get("solution") or is_test(c)]
    NotebookClient(nb, kernel_name=KERNEL, timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell in checks:
        assert not [o for o in cell.outputs if o.output_type == "error"], f"{ex}: {cell.source[:60]}"
        shown = "".join(o.get("text", "") for o in cell.outputs)
        assert re.match(rf"[✘✔{SAVED}] Question \d", shown), f"{ex}: {shown}"
    assert any(stderr_of(c).startswith("✘ Question") for c in checks)


@pytest.mark.parametrize("ex", IDS)
def test_exercise_names_itself_and_ends_with_how_to_hand_it_in(ex):
    for folder in (SOLUTIONS, EXERCISES):
        nb = exercise(ex, folder)
        assert nb.metadata["dmst"] == {"exercise": ex}
        last = nb.cells[-1]
        assert last.cell_type == "markdown" and last.source.startswith("## How to hand it in")
        assert "File → Download" in last.source and f"{ex}.ipynb" in last.source and "Submit" in last.source


@pytest.mark.parametrize("ex", IDS)
def test_questions_ask_for_the_words_the_course_shows(ex):
    """No question, answer stub or message asks for an internal id; every answer stub says its form."""
    ids = re.compile(r"\b(contact|provision) ids?\b|_prosecutable|presumed_coerced|\b(us|ct)-\d|dcf_careline")
    for cell in exercise(ex).cells:
        shown = "".join(o.get("text", "") for o in cell.get("outputs", []))
        answer = cell.cell_type == "code" and nbg(cell).get("solution")
        for text in [shown] + ([cell.source] if cell.cell_type == "markdown" or answer else []):
            assert not ids.search(text), f"{ex}: {text[:80]}"
        if answer:
            assert re.match(r'q\d+ = ""  # type \S', cell.source), cell.source


@pytest.mark.parametrize("folder", [SOLUTIONS, EXERCISES], ids=["solutions", "exercises"])
def test_no_widget_state_or_volatile_metadata(folder):
    for path in folder.rglob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert "widgets" not in nb.metadata and "version" not in nb.metadata.get("language_info", {}), path
        assert all("execution" not in c.metadata for c in nb.cells), path


def test_a_letter_question_lists_the_options_the_check_reads():
    lettered = [ex for ex in IDS if "standing" in forms(ex).values()]
    assert lettered
    for ex in lettered:
        text = "\n".join(c.source for c in exercise(ex).cells if c.cell_type == "markdown")
        for letter, words in STANDING_CHOICES.items():
            assert f"- **{letter}**: {words}" in text, f"{ex}: option {letter} is not listed as the check reads it"


# --- the learner's check and the grader agree, question by question ------------------------

def _variants(value, form: str, expected) -> list:
    """Ways a learner may type the right answer `value` (the solution's words) in `form`, and
    near misses; `expected` is the hidden test's value (ids, an ISO date ...)."""
    from datetime import date, timedelta

    from dmst.render import date_text

    law = load_law()
    if form == "yes_no":
        flag = as_form(value, form) in (True, "True", "true")
        return [value, str(flag).lower(), "yes" if flag else "no", flag, str(not flag)]
    if form == "number":
        n = int(value)
        return [value, f" {n} ", n, str(n + 1)]
    if form == "date":
        day = date.fromisoformat(expected)
        return [value, day.isoformat(), f"{day:%B} {day.day}, {day.year}", f"{day.day} {day:%B} {day.year}",
                date_text(day + timedelta(days=1))]
    if form == "standing":
        letter = value
        other = next(k for k in STANDING_CHOICES if k != letter)
        return [value, letter.lower(), STANDING_CHOICES[letter], other]
    if form in ("contacts", "provisions"):
        items = as_form(value, form)
        full = [law.contacts[i].name for i in expected] if form == "contacts" else items
        variants = [value, ", ".join(reversed(items)), " and ".join(full) if len(full) == 2 else "; ".join(full),
                    list(items), ", ".join(items[:-1]) or "a wrong answer"]
        if form == "provisions":
            variants.append(", ".join(i.replace("§ ", "") for i in items))
        return variants
    return [value, f"  {value.upper()} ", "a wrong answer"]


def _check_verdict(source: str, q: str, value) -> str:
    """What the learner sees from a visible check cell: right (✔), saved (✎) or wrong (✘)."""
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        exec(compile(source, "<check>", "exec"), {"__name__": "__main__", q: value})
    if err.getvalue():
        assert err.getvalue().startswith("✘ ") and not out.getvalue(), err.getvalue()
        return "wrong"
    assert out.getvalue().startswith(("✔ ", f"{SAVED} ")), out.getvalue()
    return "right" if out.getvalue().startswith("✔") else "saved"


@pytest.fixture(scope="module")
def agreement(tmp_path_factory):
    """Every exercise handed in several times, each copy with other ways of typing each answer
    (and near misses), graded by `dmst grade`; with the verdict the visible check gave each."""
    import json

    from dmst.grading.grade import grade

    law = load_law()
    tmp = tmp_path_factory.mktemp("agreement")
    seen = {}
    for ex in IDS:
        key, form = answers(ex), forms(ex)
        expected = {}
        for cell in solution(ex).cells:
            if is_test(cell):
                q = nbg(cell)["grade_id"]
                hidden = "\n".join(regions(cell.source, "HIDDEN TESTS"))
                namespace = dict(classify=classify, law=law, AS_OF=law.presets["current"],
                                 BROCHURE=law.presets["brochure"], actor_provision=actor_provision,
                                 provision_ids=provision_ids)
                (call,) = call_args(hidden, "check_value")
                tree = ast.parse(hidden)
                tree.body = [n for n in tree.body if not (isinstance(n, ast.Expr) and getattr(n.value.func, "id", "") == "check_value")]
                exec(compile(tree, ex, "exec"), namespace)
                expected[q] = eval(ast.get_source_segment(hidden, call.args[1]), namespace)
        variants = {q: _variants(key[q], form[q], expected[q]) for q in key}
        checks = {nbg(c)["grade_id"]: c.source for c in exercise(ex).cells if is_test(c)}
        for n in range(max(map(len, variants.values()))):
            nb = json.loads((EXERCISES / ex / f"{ex}.ipynb").read_text())
            for cell in nb["cells"]:
                gid = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
                q = gid.removesuffix("_answer")
                if gid.endswith("_answer"):
                    value = variants[q][n % len(variants[q])]
                    cell["source"] = f"{q} = {value!r}"
                    seen[(f"v{n}", ex, q)] = (value, _check_verdict(checks[q], q, value))
            folder = tmp / "submitted" / f"v{n}" / ex
            folder.mkdir(parents=True)
            (folder / f"{ex}.ipynb").write_text(json.dumps(nb))
    import pandas as pd

    grade(tmp / "submitted", tmp / "results", progress=False)
    # what a grader reads: the gradebook `dmst grade` wrote
    frame = pd.read_csv(tmp / "results" / "gradebook.csv", keep_default_na=False, na_values=[""])
    return seen, frame


def test_the_check_and_the_grader_agree_on_every_question(agreement):
    seen, frame = agreement
    points = {(ex, nbg(c)["grade_id"]): nbg(c)["points"] for ex in IDS for c in solution(ex).cells if is_test(c)}
    assert (frame["status"] == "graded").all(), frame[["learner", "exercise", "status", "notes"]]
    disagree = []
    for (learner, ex, q), (value, verdict) in seen.items():
        row = frame[(frame.learner == learner) & (frame.exercise == ex)].iloc[0]
        scored = row[f"{ex}:{q}"]
        if verdict == "right" and scored != points[(ex, q)] or verdict == "wrong" and scored != 0:
            disagree.append((ex, q, value, verdict, scored))
    assert not disagree, disagree
    verdicts = {v for _, v in seen.values()}
    assert verdicts == {"right", "saved", "wrong"}, verdicts   # the variants reach every verdict


def test_a_check_that_sees_only_the_form_never_says_right(agreement):
    seen, _ = agreement
    form_only = {(ex, nbg(c)["grade_id"]) for ex in IDS for c in exercise(ex).cells
                 if is_test(c) and call_args(c.source, "check_form")}
    assert form_only
    for (_, ex, q), (value, verdict) in seen.items():
        if (ex, q) in form_only:
            assert verdict in ("saved", "wrong"), (ex, q, value, verdict)


def test_every_way_of_typing_the_right_answer_scores_in_full(agreement):
    """The solution's words, other forms of a date, a letter or its phrase, names in any order
    or in full: each is right for the grader (and, where the check can tell, for the check)."""
    seen, frame = agreement
    points = {(ex, nbg(c)["grade_id"]): nbg(c)["points"] for ex in IDS for c in solution(ex).cells if is_test(c)}
    for ex in IDS:
        key, form = answers(ex), forms(ex)
        for q in key:
            row = frame[(frame.learner == "v0") & (frame.exercise == ex)].iloc[0]
            assert row[f"{ex}:{q}"] == points[(ex, q)], (ex, q, key[q])
            if form[q] in ("date", "standing"):
                for n in (1, 2):
                    row = frame[(frame.learner == f"v{n}") & (frame.exercise == ex)].iloc[0]
                    assert row[f"{ex}:{q}"] == points[(ex, q)], (ex, q, seen[(f"v{n}", ex, q)])
