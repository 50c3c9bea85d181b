"""What a learner's kernel says instead of a Python traceback when a cell runs before the cell
that sets the page up (a later cell run first, or any cell after the kernel was restarted or shut
down after a pause): a sentence saying what to do.

`make lab` and Binder's `start` point PYTHONSTARTUP at jupyter-config/learner/kernel_startup.py,
which IPython runs in every kernel the learner's JupyterLab starts; it calls `use_course_messages`.
Kernels started elsewhere (nbval, the grader, `make instructor`) keep Python's own messages.
"""
from __future__ import annotations

# Not "the set-up cell": a page's first cells carry their own titles (module 00's is its content note).
SETUP_FIRST = ("This cell needs the cells above it, which have not run yet. Choose Run \u25b8 Run All Above "
               "Selected Cell, then run this cell again. If you typed an answer in this cell, check its "
               "spelling too, and keep the quotes around it.")


def _name_error(_shell, _etype, _value, _tb, tb_offset=None) -> None:
    """Shows the words as the cell's output; the cell still counts as failed, so Run All stops here."""
    from IPython.display import display

    display({"text/plain": SETUP_FIRST, "text/markdown": f"**{SETUP_FIRST}**"}, raw=True)


def use_course_messages(shell=None) -> None:
    """Show SETUP_FIRST, and no traceback, for a NameError in this IPython kernel (nothing outside IPython)."""
    if shell is None:
        from IPython import get_ipython
        shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NameError,), _name_error)
