"""Exercises and grading: generate learner exercises from solutions, and grade returned notebooks.

checks.py      what exercise notebooks call: friendly checks, answers in the course's words
generate.py    `make exercises`: exercises/ from solutions/ with nbgrader's converter
collect.py     find what was handed in, who and which exercise each file claims to be; read it safely
score.py       an exercise's key; plan a submission as nbgrader does; score by nbgrader's rule
sandbox.py     run a submission's cells under bubblewrap: launch.py (trusted, as the grader) joins
launch.py      the limits and changes user, then supervisor.py (trusted, inside) starts
supervisor.py  runner.py, the learner's process, which runs the cells and takes the answers out as data
runner.py
limits.py      who learner code runs as; memory and process limits for a whole sandbox (cgroups)
checker.py     the checks and hidden tests, run on that data in a separate clean interpreter
grade.py       `dmst grade`: all of the above for a folder, never stopping on a bad file
results_folder.py  the only place the grader writes: no links followed, only its own files removed
naming.py      file names for records and pages, keyed by a hash of the exact learner id
text.py        text from submissions made safe for files, spreadsheets and terminals
csvread.py     the one way the tools read a CSV file (BOM or not, cell limits, errors by row and column)
learners.py    learner ids kept exact, and the ids that look alike listed for a person
gradebook.py   gradebook.csv, its statuses, read back; outputs.py writes it with the feedback
feedback.py    a learner's feedback page; summary.py what `dmst grade` and `dmst marks` print
marks.py       the manual-marking sheet and `dmst marks`
exercises.py   the course's exercises by id, title and points (for records)
item_analysis.py, class_report.py   `dmst report`: per-question statistics and report.html
export.py, roster.py   `dmst export`: Canvas and Moodle import files, and the roster they read
nbgrader_course.py   nbgrader's own autograde on the same submissions (tests and benchmark)
"""
