"""Exercises and grading: generate learner exercises from solutions, and grade returned notebooks.

checks.py      what exercise notebooks call: friendly checks, answers in the course's words
generate.py    `make exercises`: exercises/ from solutions/ with nbgrader's converter
collect.py     find what was handed in, and who and which exercise each file claims to be
score.py       an exercise's key; plan a submission as nbgrader does; score by nbgrader's rule
sandbox.py     run a submission's cells under bubblewrap: supervisor.py (trusted) starts
runner.py      the learner's process, which runs the cells and takes the answers out as data
checker.py     the checks and hidden tests, run on that data in a separate clean interpreter
grade.py       `dmst grade`: all of the above for a folder, never stopping on a bad file
report.py      records, gradebook.csv, feedback HTML, the summary
marks.py       the manual-marking sheet and `dmst marks`
nbgrader_course.py   nbgrader's own autograde on the same submissions (tests and benchmark)
"""
