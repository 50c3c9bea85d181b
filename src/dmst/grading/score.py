"""Score one submission the way `nbgrader autograde` does, from the exercise's own cells.

The *key* of an exercise is built from its nbgrader source (`solutions/<ex>/<ex>.ipynb`, which
holds the hidden tests) and its release (`exercises/<ex>/<ex>.ipynb`, whose blank answer
cells are what "no response" means). A submission is first *planned* like nbgrader's
sanitising step: duplicated grade ids keep only their last copy, unknown (renamed) ids are
plain cells, every cell the key knows gets back its original type, points and flags, locked
cells get back their original source, and deleted grade cells are put back after the cell
that preceded them (nbgrader's `add_missing_cells`).

Then (grade.py) the plan's code cells run in the sandbox, with each test cell replaced by
"take the answers out here" (`learner_steps`); the exercise's own cells (`Key.program`) run
in the checker against those answers; and each grade cell is scored by nbgrader's rule
(`determine_grade`):

- an answer graded by hand scores 0 if unchanged from the release, else it needs manual
  grading; one that was deleted also needs manual grading (the learner may have written it
  elsewhere; nbgrader puts the cell back with a note, which also leaves it to a person);
- a test cell scores 0 if an output is an error or text on stderr before any result; a result
  that reads as a number from 0 to the cell's points is partial credit; otherwise full points.
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .checks import question_label

HIDDEN = "### BEGIN HIDDEN TESTS"
HINT_CHARS = 3000


class ExerciseError(Exception):
    """An exercise's source or release notebook is missing or not an nbgrader notebook."""


@dataclass(frozen=True)
class KeyCell:
    grade_id: str
    cell_type: str
    source: str            # locked cells: the original, hidden tests included; answers: the blank release text
    grade: bool
    solution: bool
    locked: bool
    points: float
    checksum: str
    hidden: bool           # holds hidden tests

    @property
    def kind(self) -> str:
        return "manual" if self.solution else "auto"


@dataclass
class Key:
    exercise: str
    cells: list[KeyCell]   # in the release's order
    digest: str            # changes whenever either notebook changes
    program: list[dict]    # the source's code cells for the checker: {"run": code} | {"test": id, "source": code}
    answer_names: list[str]  # the variables the answer cells set (q1, q2, ...)
    code_cells: int        # code cells in the release (the notebook time limit scales with it)
    release_markdown: frozenset  # the release's markdown cells, to tell text a learner added
    title: str = ""        # the release's heading ("Exercise 2: Victims, not criminals")
    texts: dict = field(default_factory=dict)   # grade id -> the question, short, as the release asks it
    labels: dict = field(default_factory=dict)  # grade id -> its name in the release ("Question 1", "Reflection")
    see: dict = field(default_factory=dict)     # grade id -> where in the course to look (the check's `see`)
    reads: dict = field(default_factory=dict)   # test grade id -> the answer names its check reads
    right: dict = field(default_factory=dict)   # answer name -> the solution's answer, where it is a plain value
    display_only: frozenset = frozenset()       # the release's own cells that only show a value (see learner_steps)

    @property
    def by_id(self) -> dict[str, KeyCell]:
        return {c.grade_id: c for c in self.cells}

    @property
    def questions(self) -> list[KeyCell]:
        return [c for c in self.cells if c.grade]

    @property
    def max_points(self) -> float:
        return sum(c.points for c in self.questions)


@dataclass
class PlanCell:
    cell_type: str
    source: str
    key: KeyCell | None = None   # the key cell this one stands for, if any
    missing: bool = False        # deleted from the submission and put back from the key


@dataclass
class Plan:
    cells: list[PlanCell]
    notes: list[str] = field(default_factory=list)
    restored: bool = False       # some locked/grade cell was edited, deleted, duplicated or renamed


def checksum(source: str, cell_type: str, grade: bool, solution: bool, locked: bool, grade_id: str,
             points: float) -> str:
    """nbgrader's cell checksum (nbgrader.utils.compute_checksum), from the same fields."""
    m = hashlib.md5()
    for part in (source, cell_type, str(grade), str(solution), str(locked), grade_id):
        m.update(part.encode("utf-8", "surrogatepass"))
    if grade:
        m.update(str(float(points)).encode("utf-8"))
    return m.hexdigest()


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(part if isinstance(part, str) else str(part) for part in source)
    return source if isinstance(source, str) else str(source)


def _meta(cell: dict) -> dict:
    """A cell's nbgrader metadata; a grade id that is not text (a list, a number) counts as none,
    so such a cell is an ordinary cell and the exercise's own is put back in its place."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nb = meta.get("nbgrader") if isinstance(meta, dict) else None
    if not isinstance(nb, dict):
        return {}
    if "grade_id" in nb and not isinstance(nb["grade_id"], str):
        nb = {k: v for k, v in nb.items() if k != "grade_id"}
    return nb


def load_key(exercise: str, solutions_dir: Path, release_dir: Path) -> Key:
    paths = [Path(solutions_dir) / exercise / f"{exercise}.ipynb", Path(release_dir) / exercise / f"{exercise}.ipynb"]
    notebooks = []
    for path in paths:
        try:
            raw = path.read_bytes()
            notebooks.append(json.loads(raw))
        except (OSError, ValueError) as exc:
            raise ExerciseError(f"{path}: cannot be read as a notebook ({exc})") from exc
    source_nb, release_nb = notebooks
    originals = {_meta(c)["grade_id"]: _source(c) for c in source_nb.get("cells", []) if _meta(c).get("grade_id")}
    cells = []
    for cell in release_nb.get("cells", []):
        meta = _meta(cell)
        gid = meta.get("grade_id")
        if not gid or not (meta.get("grade") or meta.get("solution") or meta.get("locked")):
            continue
        grade, solution, locked = bool(meta.get("grade")), bool(meta.get("solution")), bool(meta.get("locked"))
        points = float(meta.get("points", 0) or 0)
        release_source = _source(cell)
        source = originals.get(gid, release_source) if locked else release_source
        cells.append(KeyCell(gid, cell.get("cell_type", "code"), source, grade, solution, locked, points,
                             checksum(release_source, cell.get("cell_type", "code"), grade, solution, locked, gid, points),
                             HIDDEN in source))
    if not any(c.grade for c in cells):
        raise ExerciseError(f"{paths[1]}: has no graded cells (is it an nbgrader release notebook?)")
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()
    program, names = _program(source_nb)
    code_cells = sum(1 for c in release_nb.get("cells", []) if c.get("cell_type") == "code")
    markdown = frozenset(_source(c).strip() for c in release_nb.get("cells", []) if c.get("cell_type") == "markdown")
    reads = {c.grade_id: _names_read(c.source, names) for c in cells if c.grade and not c.solution}
    sets = {_meta(c)["grade_id"]: _assigned(_source(c)) for c in source_nb.get("cells", [])
            if c.get("cell_type") == "code" and _meta(c).get("solution") and _meta(c).get("grade_id")}
    asked = _questions(release_nb, reads, sets)
    return Key(exercise, cells, digest, program, names, code_cells, markdown, exercise_title(release_nb) or exercise,
               {g: text for g, (_, text) in asked.items()},
               {g: label or question_label(g) for g, (label, _) in asked.items()},
               {c.grade_id: _see(c.source) for c in cells if c.grade and not c.solution}, reads,
               _right_answers(source_nb), _display_only(release_nb))


def exercise_title(nb: dict) -> str:
    """The first "# heading" of a notebook's first markdown cells ("" if it has none)."""
    for cell in nb.get("cells", [])[:3]:
        if cell.get("cell_type") == "markdown":
            found = re.search(r"^#\s+(.+?)\s*$", _source(cell), re.M)
            if found:
                return found.group(1)
    return ""


def _questions(release_nb: dict, reads: dict[str, list[str]], sets: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    """grade id -> (its label, the question it scores, short). A written answer's question is the
    text before it; a check's, the text before the answer cell of the first answer it reads (or,
    if it reads none, before the answer cell before it). `sets`: grade id -> the names an answer
    cell sets in the solution (the release's may only say "YOUR CODE HERE")."""
    found, by_name, last, asked = {}, {}, "", ""
    for cell in release_nb.get("cells", []):
        meta, kind = _meta(cell), cell.get("cell_type")
        if kind == "markdown" and not meta.get("solution"):
            last = _source(cell)
        elif meta.get("solution"):
            asked = last
            if kind == "code":
                names = sets.get(meta.get("grade_id"), []) or _assigned(_source(cell))
                by_name.update({name: short_text(asked) for name in names})
            if meta.get("grade") and meta.get("grade_id"):
                found[meta["grade_id"]] = short_text(asked)
        elif meta.get("grade") and meta.get("grade_id"):
            names = [n for n in reads.get(meta["grade_id"], []) if n in by_name]
            found[meta["grade_id"]] = by_name[names[0]] if names else short_text(asked or last)
    return found


def _assigned(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


LABEL = re.compile(r"^\*\*([^*]{1,40}?)\.?\*\*\s*(?:\([^)]{0,80}\))?\s*[:.]?\s*")


def short_text(markdown: str, limit: int = 240) -> tuple[str, str]:
    """(the question's label, the question in a line): no headings, label ("**Question 1** (1
    point):") or markup; its first question (up to "?"), else its first sentence, else its words
    up to `limit` characters."""
    lines = [line for line in markdown.splitlines() if not line.lstrip().startswith("#")]
    text = " ".join(" ".join(lines).split())
    label = LABEL.match(text)
    if label:
        text = text[label.end():]
    return (label.group(1).strip() if label else ""), _first_part(text, limit)


def _first_part(text: str, limit: int) -> str:
    """The sentences up to and including the first question, or as many sentences as fit."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "").replace("__", "").replace("`", "")
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text)
    asking = next((i for i, sentence in enumerate(sentences) if sentence.endswith("?")), None)
    if asking is not None:
        for start in range(asking + 1):
            part = " ".join(sentences[start:asking + 1])
            if len(part) <= limit:
                return part
    kept = ""
    for sentence in sentences:
        if len(f"{kept} {sentence}".strip()) > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit].rsplit(" ", 1)[0] + " …"


def _right_answers(source_nb: dict) -> dict:
    """answer name -> the value the solution's answer cell gives it, where that is a plain value
    written out (`q1 = 16`, `q6 = ["DCF Careline"]`); computed answers are left out."""
    right = {}
    for cell in source_nb.get("cells", []):
        if cell.get("cell_type") != "code" or not _meta(cell).get("solution"):
            continue
        solution = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", _source(cell), re.S)
        try:
            tree = ast.parse(solution.group(1) if solution else _source(cell))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    right[node.targets[0].id] = ast.literal_eval(node.value)
                except (ValueError, SyntaxError, TypeError):
                    right.pop(node.targets[0].id, None)
    return right


def _display_only(release_nb: dict) -> frozenset:
    """The release's ungraded code cells that are one expression (`course.table(...)`): all they do
    is show a value, which the sandbox discards."""
    found = set()
    for cell in release_nb.get("cells", []):
        meta = _meta(cell)
        if cell.get("cell_type") != "code" or meta.get("grade_id"):
            continue
        try:
            tree = ast.parse(_source(cell))
        except SyntaxError:
            continue
        if len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr):
            found.add(_source(cell).strip())
    return frozenset(found)


def _see(source: str) -> str:
    """Where a check says to look in the course (its `see="..."`), "" if it names none."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "see" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                    return keyword.value.value
    return ""


def _names_read(source: str, names: list[str]) -> list[str]:
    """The answer names a check reads: used as a name, or named in quotes (check("q1", ...))."""
    used = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", source))
    return [n for n in names if n in used]


def _program(source_nb: dict) -> tuple[list[dict], list[str]]:
    """The checker's cells (every code cell of the source but the answers, up to the last test)
    and the names the answer cells assign."""
    program, names = [], []
    for cell in source_nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        meta, source = _meta(cell), _source(cell)
        if meta.get("solution"):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            names += [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
        elif meta.get("grade"):
            program.append({"test": meta["grade_id"], "source": source})
        else:
            program.append({"run": source})
    while program and "test" not in program[-1]:
        program.pop()
    return program, list(dict.fromkeys(names))


def plan(nb: dict, key: Key) -> Plan:
    """The cells to run for this submission, with the key's originals restored (see module doc)."""
    by_id = key.by_id
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
    notes, restored = [], False
    seen: set[str] = set()
    ids: list[str | None] = [None] * len(cells)
    for i in range(len(cells) - 1, -1, -1):  # nbgrader keeps the last copy of a duplicated id
        meta = _meta(cells[i])
        gid = meta.get("grade_id")
        if not gid or not (meta.get("grade") or meta.get("solution") or meta.get("locked")):
            continue
        if gid in seen:
            notes.append(f"grade id {gid!r} appears more than once: only the last copy counts")
            restored = True
            continue
        seen.add(gid)
        ids[i] = gid
    out: list[PlanCell] = []
    for cell, gid in zip(cells, ids):
        cell_type = cell.get("cell_type") if cell.get("cell_type") in ("code", "markdown", "raw") else "raw"
        if gid is not None and gid not in by_id:
            notes.append(f"grade id {gid!r} is not in the exercise (renamed?): run as an ordinary cell")
            restored = True
            gid = None
        if gid is None:
            out.append(PlanCell(cell_type, _source(cell)))
            continue
        original = by_id[gid]
        source = _source(cell)
        if original.locked and (source != original.source or cell_type != original.cell_type):
            if source.strip() != _without_hidden(original.source).strip() or cell_type != original.cell_type:
                notes.append(f"locked cell {gid!r} was changed: the original was used")
                restored = True
            source = original.source
        elif cell_type != original.cell_type:
            notes.append(f"cell {gid!r} had its type changed: the original type was used")
            restored = True
        out.append(PlanCell(original.cell_type, source, original))
    present = {c.key.grade_id for c in out if c.key}
    for k, original in enumerate(key.cells):
        if original.grade_id in present or not original.grade:
            continue
        notes.append(f"cell {original.grade_id!r} was missing: the original was put back")
        restored = True
        earlier = {c.grade_id for c in key.cells[:k]}
        at = max((j + 1 for j, c in enumerate(out) if c.key and c.key.grade_id in earlier), default=0)
        out.insert(at, PlanCell(original.cell_type, original.source, original, missing=True))
        present.add(original.grade_id)
    return Plan(out, list(dict.fromkeys(notes)), restored)


def _without_hidden(source: str) -> str:
    """A test cell as the release shows it: nbgrader's ClearHiddenTests drops the hidden region."""
    kept, hiding = [], False
    for line in source.splitlines():
        if line.strip().startswith("### BEGIN HIDDEN TESTS"):
            hiding = True
        elif line.strip().startswith("### END HIDDEN TESTS"):
            hiding = False
        elif not hiding:
            kept.append(line)
    return "\n".join(kept)


def is_test(cell: PlanCell) -> bool:
    """A cell scored by its outputs (nbgrader's autograder test), run by the checker."""
    return cell.key is not None and cell.key.grade and not cell.key.solution and cell.cell_type == "code"


def learner_steps(the_plan: Plan, key: Key) -> tuple[list[dict], dict[int, str]]:
    """The sandbox's job: each code cell of the plan up to the last test, with every test cell
    replaced by "take the answers out here"; and which step stands for which test.

    A cell the learner left exactly as the release has it, that is one expression showing a value
    (a course table), is left out: everything a cell shows is discarded in the sandbox, so running
    it changes no answer, and skipping it spares each notebook loading pandas for nothing (a
    third of its time). A cell the learner changed always runs."""
    steps, tests = [], {}
    last = max((i for i, c in enumerate(the_plan.cells) if is_test(c)), default=-1)
    for cell in the_plan.cells[:last + 1]:
        if is_test(cell):
            tests[len(steps)] = cell.key.grade_id
            steps.append({"answers": key.answer_names})
        elif cell.cell_type == "code" and not (cell.key is None and cell.source.strip() in key.display_only):
            steps.append({"source": cell.source})
    return steps, tests


def matches(nb: dict, key: Key) -> bool:
    """Whether a notebook is (a copy of) this exercise: it holds at least one of the key's grade ids."""
    ids = {c.grade_id for c in key.cells}
    return any(_meta(c).get("grade_id") in ids for c in nb.get("cells", []) if isinstance(c, dict))


def grade_cell(cell: PlanCell, outputs: list[dict] | None, answer_names: list[str] = ()) -> dict:
    """One question's result: nbgrader's determine_grade, plus a plain-language hint. `outputs`
    are the checker's for a test cell, None if the test was not reached."""
    k = cell.key
    row = {"id": k.grade_id, "max": k.points, "kind": k.kind, "hidden": k.hidden}
    if k.solution:
        row["answer"] = cell.source
        if cell.missing:
            return {**row, "points": None, "result": "needs_manual", "answer": "",
                    "hint": "The answer cell was deleted: your instructor reads the notebook."}
        same = checksum(cell.source, cell.cell_type, k.grade, k.solution, k.locked, k.grade_id, k.points) == k.checksum
        if same:
            return {**row, "points": 0.0, "result": "no_response", "hint": "No answer was written."}
        return {**row, "points": None, "result": "needs_manual", "hint": "Awaiting grading by hand."}
    if cell.cell_type != "code":
        return {**row, "points": None, "result": "needs_manual", "hint": "Awaiting grading by hand."}
    if outputs is None:
        return {**row, "points": 0.0, "result": "not_run",
                "hint": "This check did not run: the notebook stopped before it (time limit or crash)."}
    for out in outputs:
        if out.get("output_type") == "error":
            return {**row, "points": 0.0, "result": "failed", "hint": _hint(out, k.grade_id, answer_names)}
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = str(out.get("text", "")).strip()  # the checker's own output: a check's message, or a warning
            return {**row, "points": 0.0, "result": "failed",
                    "hint": _lines(_unwrap(text), HINT_CHARS) if text.startswith("✘")
                    else "This check wrote an error message, so it counts as not passed."}
        if out.get("output_type") == "execute_result":
            return {**row, **_partial(str(out.get("text", "")), k.points)}
    return {**row, "points": k.points, "result": "passed", "hint": ""}


def _partial(text: str, max_points: float) -> dict:
    try:
        value = float(text)
    except ValueError:
        return {"points": max_points, "result": "passed", "hint": ""}
    if value != value or value < 0:  # NaN or negative: nbgrader gives full points for a "strange" value
        return {"points": max_points, "result": "passed", "hint": ""}
    if value > max_points:
        return {"points": 0.0, "result": "failed", "hint": "This check reported more points than the question is worth."}
    result = "passed" if value == max_points else "partial"
    return {"points": value, "result": result, "hint": "" if result == "passed" else "Part of this answer is right."}


def _lines(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a line's end, never inside a sentence."""
    kept = []
    for line in text.splitlines():
        if sum(len(k) + 1 for k in kept) + len(line) > limit:
            break
        kept.append(line)
    return "\n".join(kept)


def _unwrap(message: str) -> str:
    """A check's message with the lines it was wrapped into joined again (one line per part)."""
    return re.sub(r"\n(?!✘ |Hint: |Where to look: )", " ", message)


def _hint(error: dict, grade_id: str, answer_names) -> str:
    """What a learner may read about a failed check: the message of a check (the exercise's own
    words), or a plain sentence; never anything else an error says, which could quote test code."""
    name, message = error.get("ename", ""), str(error.get("evalue", "")).strip()
    if name == "AssertionError":
        return message[:HINT_CHARS] if message else "This check did not pass."
    if name == "TimeLimit":
        return "This check took too long with this answer."
    if name == "NameError" and error.get("name") in answer_names:
        return (f"{question_label(error['name'])} has no answer: its answer cell was not run, "
                "stopped with an error, or the name it sets was changed.")
    return "This check could not use the answer: it may not be in the form the question asks for."
