"""nbgrader's view of this course: `solutions/` is the source, `exercises/` the release.

`make exercises` (python -m dmst.grading.generate) runs nbgrader's own generate_assignment
with this configuration, then executes the blank exercises so they are committed with
outputs. `nbgrader generate_assignment <exercise>` from this folder also works; it
writes an unexecuted copy and a gradebook.db.
"""
c = get_config()  # noqa: F821 (provided by nbgrader's config loader)

c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# A learner replaces `q1 = None  # your answer`, the line kept above each solution region,
# so the region leaves nothing behind (nbgrader's default stub would raise an error).
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
