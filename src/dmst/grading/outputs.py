"""Write what a grading run gives people, from the per-file records and the hand marks: every
learner's feedback page, then the gradebook. Used by `dmst grade` and `dmst marks`."""
from __future__ import annotations

from . import feedback, gradebook, naming
from .marks import SHEET
from .results_folder import MANIFEST, ResultsFolder


def write_outputs(folder: ResultsFolder, records: list[dict], marks: dict, show_answers: bool = False) -> list[dict]:
    """Feedback and gradebook; returns the records with the marks merged."""
    marked = [gradebook.with_marks(r, marks) for r in records]
    by_learner: dict[str, list[dict]] = {}
    for rec in marked:
        by_learner.setdefault(rec["learner"], []).append(rec)
    names = feedback_names(list(by_learner))
    for learner, recs in by_learner.items():
        folder.write(f"feedback/{names[learner]}.html",
                     feedback.page(learner, recs, show_answers).encode("utf-8", "backslashreplace"))
    folder.remove_stale("feedback", {f"{name}.html" for name in names.values()})
    # UTF-8 with a byte-order mark, like every CSV the course writes: Excel then reads it as UTF-8.
    folder.write(gradebook.GRADEBOOK,
                 gradebook.csv_text(gradebook.frame(marked)).encode("utf-8-sig", "backslashreplace"))
    return marked


def feedback_names(learners: list[str]) -> dict[str, str]:
    """learner -> the name of their feedback page (without .html), for learners in the run's order."""
    return dict(zip(learners, naming.unique([naming.learner_file(learner) for learner in learners])))


def files_written(learners: list[str], record_ids: list[str]) -> list[str]:
    """Every file a grading run of these learners and records writes in the results folder."""
    return ([gradebook.GRADEBOOK, SHEET, MANIFEST] + [f"results/{rid}.json" for rid in record_ids]
            + [f"feedback/{name}.html" for name in feedback_names(list(dict.fromkeys(learners))).values()])
