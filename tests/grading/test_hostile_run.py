"""Issue 14's attacks, one case each, in one `dmst grade` run driven as a grader runs it (a
subprocess, as root where the test machine is root, with the real sandbox): files that used to
stop the run (class 1), names that erased another learner's row (2), code that read what the
host's root can read (3) or used more than the sandbox's limits (4), names that forged the
printed summary (6), and the degraded cases (7). The output-folder attacks (5), the empty folder,
an interrupted run and the records read back are in test_results_folder.py.

Every case asserts the safe outcome: the run finishes with the documented exit code, every file
has a row, the honest learners' scores are what a clean run gives them, the submissions and a
foreign folder are byte-identical afterwards, and nothing from outside the sandbox (/etc/shadow,
a planted secret, text a learner's object composed) appears in any output.
"""
import hashlib
import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dmst.grading import limits, naming
from dmst.grading.collect import MAX_BYTES, name_text
from dmst.grading.text import from_spreadsheet, safe_text

from conftest import EXERCISES, SOLUTIONS, correct, feedback_page, release, submission, write

CELL_LIMIT = 5
HONEST = {"ann": correct(), "ben": submission(q1='q1 = "A"', q2="q2 = len(law.ids)")}
ROOT = os.geteuid() == 0


def tree_digest(folder: Path) -> str:
    """Names, kinds and bytes of everything under `folder` (a huge file by its size and dates,
    a pipe or link by what it is), without following links or opening pipes."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        h.update(os.fsencode(path.relative_to(folder)) + f"{stat.S_IFMT(info.st_mode)}".encode())
        if stat.S_ISLNK(info.st_mode):
            h.update(os.fsencode(os.readlink(path)))
        elif stat.S_ISREG(info.st_mode):
            if info.st_size <= 64 * 1024 * 1024:
                h.update(path.read_bytes())
            else:
                h.update(f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}".encode())
    return h.hexdigest()


def probe(code: str) -> dict:
    """q1 is right only if `code` runs without error: a point on q1 is a leak or a limit not held."""
    body = "\n".join("    " + line for line in code.splitlines())
    return submission(q1=f"try:\n{body}\n    q1 = 'B'\nexcept BaseException:\n    q1 = 'X'", q2="q2 = len(law.ids)")


def grade_cmd(sub: Path, out: Path, *extra) -> list[str]:
    return [sys.executable, "-m", "dmst", "grade", str(sub), "--out", str(out), "--exercises-dir", str(EXERCISES),
            "--solutions-dir", str(SOLUTIONS), "--timeout-cell", str(CELL_LIMIT), "--no-progress", *extra]


def read_book(out: Path) -> pd.DataFrame:
    """The gradebook, with text columns as they were before the spreadsheet apostrophe."""
    frame = pd.read_csv(out / "gradebook.csv", keep_default_na=False, na_values=[""],
                        dtype={"learner": str, "file": str, "notes": str, "needs_manual_grading": str})
    frame[["needs_manual_grading", "notes"]] = frame[["needs_manual_grading", "notes"]].fillna("")
    for column in ("learner", "file"):
        frame[column] = frame[column].fillna("").map(from_spreadsheet)
    return frame


def cases(secret: Path, foreign: Path) -> dict[str, object]:
    """file name -> notebook (dict), text, or a callable that makes the file (a pipe, a sparse file)."""
    bad_id = correct()
    bad_id["cells"][3]["metadata"]["nbgrader"]["grade_id"] = ["q1"]       # a grade id that is a list
    odd = correct()
    odd["cells"] += [1, "text", None, {"cell_type": ["code"], "source": 5, "metadata": {"nbgrader": "x"}}]
    many = submission(q1='q1 = "B"')
    many["cells"] = many["cells"][:3] + [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [],
                                          "execution_count": None}] * 20_000 + many["cells"][3:]
    ann_lee_hash = hashlib.sha256(b"Ann Lee").hexdigest()[:8]              # the old sanitised form of "Ann Lee"
    return {
        **{f"{name}__sample.ipynb": nb for name, nb in HONEST.items()},
        # class 1: one file used to stop the whole run
        "badgid__sample.ipynb": bad_id,
        "oddcells__sample.ipynb": odd,
        "manycells__sample.ipynb": many,
        "pipe__sample.ipynb": lambda path: os.mkfifo(path),
        "sparse__sample.ipynb": lambda path: os.truncate(_touch(path), 10 ** 12),       # 1 TB, nothing on disk
        "big__sample.ipynb": json.dumps(correct()) + " " * (MAX_BYTES + 10),           # valid JSON, over the limit
        ("L" * 200) + "__sample.ipynb": correct(),                                      # a name near 255 bytes
        ("F" * 240) + "/sample.ipynb": correct(),
        # class 2: names that would share a record or a feedback page
        "Ann Lee/sample.ipynb": correct(),
        f"Ann_Lee-{ann_lee_hash}__sample.ipynb": release(),
        "unknown__sample.ipynb": correct(),
        "notes.ipynb": correct(),                                        # whose? nobody's: learner ""
        # class 3: reading the host as the host's root could
        "shadow__sample.ipynb": probe("assert open('/etc/shadow').read()"),
        "secret__sample.ipynb": probe(f"assert open({str(secret)!r}).read()"),
        "leaky__sample.ipynb": submission(q1=(
            "class Leak:\n    def __repr__(self):\n        return 'LEAKMARKER-REPR'\n"
            "Leak.__name__ = Leak.__qualname__ = 'LEAKMARKER-TYPE-NAME'\n"
            "class Raises:\n    def __iter__(self):\n        raise ValueError('LEAKMARKER-ERROR')\n"
            "Raises.__name__ = 'LEAKMARKER-TYPE-2'\n"
            "q1 = Leak()"), q2="q2 = Raises()"),
        "foreign__sample.ipynb": probe(f"import os\nos.listdir({str(foreign)!r})"),
        # class 4: limits that must hold for the sandbox as a whole
        "rootfs__sample.ipynb": probe("open('/planted-by-a-learner', 'w').write('x')"),
        "devdir__sample.ipynb": probe("open('/dev/planted-by-a-learner', 'w').write('x')"),
        "shm__sample.ipynb": probe("open('/dev/shm/planted', 'wb').write(b'x' * (100 << 20))"),
        "tmp__sample.ipynb": probe("open('/tmp/planted-by-a-learner', 'w').write('x')"),
        "forkbomb__sample.ipynb": submission(q1=(
            "import os, time\nstarted = 0\ntry:\n    for _ in range(400):\n        if os.fork() == 0:\n"
            "            time.sleep(30)\n            os._exit(0)\n        started += 1\nexcept OSError:\n    pass\n"
            "q1 = 'B' if started >= 300 else 'A'"), q2="q2 = len(law.ids)"),
        "threads__sample.ipynb": submission(q1=(
            "import threading, time\nstarted = 0\ntry:\n    for _ in range(400):\n"
            "        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n        started += 1\n"
            "except RuntimeError:\n    pass\nq1 = 'B' if started >= 300 else 'A'"), q2="q2 = len(law.ids)"),
        "memory__sample.ipynb": submission(q1=(
            "import os, time\nchildren = []\nfor _ in range(3):\n    pid = os.fork()\n    if pid == 0:\n"
            "        block = b'\\x01' * (1200 << 20)\n        time.sleep(8)\n        os._exit(0)\n"
            "    children.append(pid)\nfor pid in children:\n    os.waitpid(pid, 0)\nq1 = 'A'"), q2="q2 = len(law.ids)"),
        # class 6: names that would forge what is printed
        "esc\x1b[2J\x1b[Hred__sample.ipynb": "{not json",
        "nl\nFAKE 99 files: 99 graded.\n__sample.ipynb": "{not json",
        "bidi\u202egnp.__sample.ipynb": "{not json",
        ".\x1b[2J\x1b[H.ipynb": correct(),                                 # hidden: listed as skipped
        # class 7: degraded cases
        "npfake__sample.ipynb": submission(q1=(
            "class int64:\n    shape = ()\n    def item(self):\n        return 10 ** 400\n"
            "int64.__module__ = 'numpy'\nq1 = int64()"), q2="q2 = len(law.ids)"),
        "@ann__sample.ipynb": correct(),
        "-ben__sample.ipynb": correct(),
        "html__sample.ipynb": submission(q1="q1 = '<script>alert(1)</script><img src=x onerror=alert(2)>'",
                                         q3="<script>alert(3)</script>"),
    }


def _touch(path: Path) -> Path:
    path.touch()
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hardened")
    sub, out, foreign = root / "submitted", root / "results", root / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("a file outside the submissions that nothing may touch\n")
    secret = Path(sys.prefix) / f"dmst-planted-secret-{secrets.token_hex(4)}"   # inside a folder the sandbox binds
    token = "HOSTSECRET-" + secrets.token_hex(16)
    secret.write_text(token)
    os.chmod(secret, 0o600)
    try:
        sub.mkdir()
        for name, content in cases(secret, foreign).items():
            path = sub / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(content):
                content(path)
            else:
                path.write_text(content if isinstance(content, str) else json.dumps(content))
        (sub / "link__sample.ipynb").symlink_to(foreign / "keep.txt")
        clean_sub, clean_out = root / "clean", root / "clean-results"
        for name, nb in HONEST.items():
            write(clean_sub, f"{name}__sample.ipynb", nb)
        clean = subprocess.run(grade_cmd(clean_sub, clean_out), capture_output=True, text=True, timeout=600)
        assert clean.returncode == 0, clean.stderr
        before = {"sub": tree_digest(sub), "foreign": tree_digest(foreign)}
        done = subprocess.run(grade_cmd(sub, out), capture_output=True, timeout=1800)
        after = {"sub": tree_digest(sub), "foreign": tree_digest(foreign)}
    finally:
        secret.unlink()
    outputs = {"stdout": done.stdout, "stderr": done.stderr}
    outputs.update({str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    book = read_book(out)
    return {"done": done, "stdout": done.stdout.decode("utf-8", "replace"), "book": book.set_index("file"),
            "clean": read_book(clean_out).set_index("learner"), "before": before, "after": after, "out": out,
            "sub": sub, "token": token, "outputs": outputs}


def row(run, file):
    return run["book"].loc[file]


def test_the_run_finishes_with_exit_1_and_a_row_for_every_file(run):
    assert run["done"].returncode == 1, run["done"].stderr.decode()[-3000:]
    assert b"Traceback" not in run["done"].stderr
    handed_in = [p for p in run["sub"].rglob("*") if not p.is_dir() and not p.name.startswith(".")]
    assert len(run["book"]) == len(handed_in)
    assert set(run["book"].index) == {safe_text("/".join(name_text(part) for part in p.relative_to(run["sub"]).parts))
                                      for p in handed_in}


def test_honest_learners_score_as_in_a_clean_run(run):
    for learner in HONEST:
        mine, clean = row(run, f"{learner}__sample.ipynb"), run["clean"].loc[learner]
        for column in [c for c in run["clean"].columns if c.startswith("sample:")] + ["total", "status"]:
            assert mine[column] == clean[column] or (mine[column] != mine[column] and clean[column] != clean[column]), \
                (learner, column)


def test_submissions_and_foreign_files_are_unchanged(run):
    assert run["after"] == run["before"]


def test_nothing_from_outside_the_sandbox_reaches_any_output(run):
    shadow = [line for line in Path("/etc/shadow").read_text().splitlines() if len(line) > 12] if ROOT else []
    for name, data in run["outputs"].items():
        text = data.decode("utf-8", "replace")
        assert run["token"] not in text, f"the planted secret reached {name}"
        assert "LEAKMARKER" not in text, f"text a learner's object composed reached {name}"
        for line in shadow:
            assert line not in text, f"/etc/shadow reached {name}"


# --- class 1: one file never stops the run --------------------------------------------------

@pytest.mark.parametrize("file, status, words", [
    ("pipe__sample.ipynb", "not_a_file", "named pipe"),
    ("sparse__sample.ipynb", "too_large", "the file is 931.3 GiB, more than the 20 MiB a notebook may be"),
    ("big__sample.ipynb", "too_large", "more than the 20 MiB"),
    ("link__sample.ipynb", "symlink", "not followed"),
])
def test_files_that_are_not_notebooks_to_read_get_a_row(run, file, status, words):
    r = row(run, file)
    assert r["status"] == status and words in r["notes"] and r["taken"] == "no"


def test_cells_with_odd_metadata_are_graded(run):
    assert row(run, "badgid__sample.ipynb")["status"] == "graded"          # an ordinary cell: its answer still counts
    assert row(run, "badgid__sample.ipynb")["total"] == 4
    assert row(run, "oddcells__sample.ipynb")["status"] == "graded"
    assert row(run, "oddcells__sample.ipynb")["total"] == 4
    assert row(run, "manycells__sample.ipynb")["status"] in ("graded", "notebook_timeout", "output_limit")


def test_long_names_get_bounded_record_names(run):
    assert row(run, ("L" * 200) + "__sample.ipynb")["total"] == 4
    assert row(run, ("F" * 240) + "/sample.ipynb")["total"] == 4
    for path in run["out"].rglob("*"):
        assert len(path.name.encode()) <= 80, path.name


# --- class 2: distinct learners never share a row or a page ---------------------------------

def test_a_learner_named_like_another_learners_file_keeps_both_rows(run):
    ann, mimic = row(run, "Ann Lee/sample.ipynb"), row(run, next(f for f in run["book"].index if f.startswith("Ann_Lee-")))
    assert ann["total"] == 4 and mimic["total"] == 0
    pages = {feedback_page(run["out"], "Ann Lee"), feedback_page(run["out"], mimic["learner"])}
    assert len(pages) == 2 and all(p.exists() for p in pages)
    assert "4 of 6 points" in feedback_page(run["out"], "Ann Lee").read_text()


def test_unknown_and_a_stray_notebook_do_not_share_a_page(run):
    assert row(run, "unknown__sample.ipynb")["total"] == 4
    assert row(run, "notes.ipynb")["status"] == "unrecognised_file"
    assert feedback_page(run["out"], "unknown") != feedback_page(run["out"], "")
    assert feedback_page(run["out"], "unknown").exists() and feedback_page(run["out"], "").exists()


# --- class 3: the sandbox reads nothing a stranger could not ---------------------------------

@pytest.mark.parametrize("file", ["shadow__sample.ipynb", "secret__sample.ipynb", "foreign__sample.ipynb"])
def test_learner_code_cannot_read_what_a_stranger_could_not(run, file):
    r = row(run, file)
    assert r["sample:test_q1"] == 0, f"{file}: the read succeeded inside the sandbox"
    assert r["sample:test_q2"] == 2


def test_messages_about_an_answer_are_the_graders_own_words(run):
    html = feedback_page(run["out"], "leaky").read_text()
    assert "it is not a number, words, True/False or a list" in html
    r = row(run, "leaky__sample.ipynb")
    assert r["sample:test_q1"] == 0 and r["sample:test_q2"] == 0


# --- class 4: limits hold for the sandbox as a whole ----------------------------------------

@pytest.mark.parametrize("file", ["rootfs__sample.ipynb", "devdir__sample.ipynb", "shm__sample.ipynb",
                                  "tmp__sample.ipynb"])
def test_nothing_is_writable_but_the_stated_folder(run, file):
    assert row(run, file)["sample:test_q1"] == 0, f"{file}: wrote outside its 64 MiB folder"
    assert not Path("/planted-by-a-learner").exists() and not Path("/tmp/planted-by-a-learner").exists()


@pytest.mark.parametrize("file", ["forkbomb__sample.ipynb", "threads__sample.ipynb"])
def test_processes_are_bounded_for_the_whole_sandbox(run, file):
    r = row(run, file)
    assert r["sample:test_q1"] == 0, f"{file}: started 300 or more processes or threads"
    if not isinstance(limits.detect(), limits.NoCgroup):
        assert r["status"] == "process_limit" and f"more than {limits.PIDS} processes" in r["notes"]


def test_memory_is_bounded_for_the_whole_sandbox(run):
    r = row(run, "memory__sample.ipynb")
    if not isinstance(limits.detect(), limits.NoCgroup):
        assert r["status"] == "memory_limit" and "3 GiB of memory" in r["notes"]
    assert r["taken"] == "yes"


# --- class 6: what is printed cannot be forged -----------------------------------------------

def test_names_are_printed_escaped_one_line_per_file(run):
    out = run["stdout"]
    assert "\x1b" not in out and "\u202e" not in out
    assert not any(line.startswith("FAKE") for line in out.splitlines())
    assert "esc\\x1b[2J\\x1b[Hred__sample.ipynb" in out
    assert "nl\\nFAKE 99 files: 99 graded.\\n__sample.ipynb" in out
    assert "bidi\\u202egnp.__sample.ipynb" in out
    assert "Skipped (hidden or linked): .\\x1b[2J\\x1b[H.ipynb" in out


# --- class 7: degraded cases ---------------------------------------------------------------

def test_an_answer_whose_value_overflows_is_wrong_for_its_question_only(run):
    r = row(run, "npfake__sample.ipynb")
    assert r["status"] == "graded" and r["sample:test_q1"] == 0 and r["sample:test_q2"] == 2
    assert "a number too large to be an answer" in feedback_page(run["out"], "npfake").read_text()


def test_learner_ids_a_spreadsheet_would_read_as_formulas(run):
    text = (run["out"] / "gradebook.csv").read_text()
    assert "\n'@ann,sample,graded," in text and "\n'-ben,sample,graded," in text
    assert row(run, "@ann__sample.ipynb")["total"] == 4


def test_text_from_an_answer_cannot_run_in_the_feedback(run):
    html = feedback_page(run["out"], "html").read_text()
    assert "<script>" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "default-src 'none'" in html


def test_record_names_are_keyed_by_the_exact_id(run):
    records = {p.stem for p in (run["out"] / "results").glob("*.json")}
    assert naming.record_id("Ann Lee", "sample") in records
    assert len(records) == len(run["book"])
