"""Thin ipywidgets faces over `dmst.classify`: the scenario simulator and the module explorers.

Import the submodule you need (`dmst.widgets.simulator`, `dmst.widgets.explorers`,
`dmst.widgets.response`); nothing here decides a legal question.
"""
