"""`dmst grade` against `nbgrader autograde` on the same synthetic submissions, and its growth.

Builds submissions from the real exercises (solutions/ and exercises/): correct (the
solution's answers, in the course's words), partial (every other answer right), blank (the
release as handed out) and broken (answers that raise or do not parse), in equal shares.
Times `dmst grade` (sandboxed learner cells, answers checked in a separate interpreter) and
`nbgrader autograde` (tests in the learner's kernel) on the same set in the same run and
checks that every score agrees; then times `dmst grade` alone on 10, 100 and 400 submissions.
Wall-clock seconds are the figure a grader waits for; CPU seconds (of each grader's processes,
together) are printed beside them because this machine is shared, and other work changes wall
time between the two runs far more than it changes CPU time.
Run: `.venv/bin/python -m benchmarks grading` (DMST_BENCH_N changes the compared set's size).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SOLUTIONS, EXERCISES = PROJECT / "solutions", PROJECT / "exercises"
KINDS = ("correct", "partial", "blank", "broken")


def _answers(exercise: str) -> dict[str, str]:
    nb = json.loads((SOLUTIONS / exercise / f"{exercise}.ipynb").read_text())
    out = {}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            src = "".join(cell["source"])
            out[meta["grade_id"]] = re.sub(r"^\s*### (BEGIN|END) SOLUTION\s*\n?", "", src, flags=re.M)
    return out


def build(folder: Path, n: int) -> list[tuple[str, str, Path]]:
    exercises = sorted(p.name for p in EXERCISES.iterdir() if (p / f"{p.name}.ipynb").is_file())
    made = []
    for i in range(n):
        ex, kind = exercises[i % len(exercises)], KINDS[(i // len(exercises)) % len(KINDS)]
        nb = json.loads((EXERCISES / ex / f"{ex}.ipynb").read_text())
        right = _answers(ex)
        k = 0
        for cell in nb["cells"]:
            gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if gid not in right:
                continue
            k += 1
            if kind == "correct" or (kind == "partial" and k % 2):
                cell["source"] = right[gid]
            elif kind == "broken" and cell["cell_type"] == "code":
                cell["source"] = "answer = (" if k % 2 else "raise RuntimeError('broken on purpose')"
        learner = f"learner{i:04d}"
        path = folder / learner / ex / f"{ex}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(nb))
        made.append((learner, ex, path))
    return made


def time_dmst(folder: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `dmst grade` run."""
    from dmst.grading.nbgrader_course import children_cpu
    started, used = time.monotonic(), children_cpu()
    subprocess.run([sys.executable, "-m", "dmst", "grade", str(folder), "--out", str(out), "--no-progress"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started, children_cpu() - used


def main() -> None:
    from dmst.grading.nbgrader_course import autograde
    import pandas as pd
    n = int(os.environ.get("DMST_BENCH_N", "100"))
    with tempfile.TemporaryDirectory(prefix="dmst-bench-") as tmp:
        tmp = Path(tmp)
        subs = build(tmp / "submitted", n)
        ours_s, ours_cpu = time_dmst(tmp / "submitted", tmp / "results")
        cpu: list[float] = []
        theirs, theirs_s = autograde(SOLUTIONS, subs, tmp / "course", cpu=cpu)
        frame = pd.read_csv(tmp / "results" / "gradebook.csv", dtype={"needs_manual_grading": str})
        frame = frame.fillna({"needs_manual_grading": ""})
        differ = 0
        for (learner, ex), scores in theirs.items():
            row = frame[(frame.learner == learner) & (frame.exercise == ex)].iloc[0]
            for gid, score in scores.items():
                same = (gid in str(row["needs_manual_grading"]).split()) if score is None else row[f"{ex}:{gid}"] == score
                differ += not same
        print(f"{'grader':<22}{'submissions':>12}{'seconds':>10}{'per notebook':>14}{'CPU seconds':>13}")
        print(f"{'dmst grade (bwrap)':<22}{n:>12}{ours_s:>10.1f}{ours_s / n:>14.2f}{ours_cpu:>13.1f}")
        print(f"{'nbgrader autograde':<22}{n:>12}{theirs_s:>10.1f}{theirs_s / n:>14.2f}{cpu[0]:>13.1f}")
        print(f"speed-up: {theirs_s / ours_s:.1f}x (CPU: {cpu[0] / ours_cpu:.1f}x)   scores compared: {len(theirs)} "
              f"notebooks, {'all equal' if differ == 0 and len(theirs) == n else f'{differ} differ'}")
        print(f"\n{'dmst grade growth':<22}{'submissions':>12}{'seconds':>10}{'per notebook':>14}")
        for size in (10, 100, 400):
            folder = tmp / f"grow{size}"
            build(folder, size)
            s, _ = time_dmst(folder, tmp / f"out{size}")
            print(f"{'':<22}{size:>12}{s:>10.1f}{s / size:>14.2f}")
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
