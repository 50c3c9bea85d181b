"""Exercises and grading: generate learner exercises from solutions, and grade returned notebooks."""
