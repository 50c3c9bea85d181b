"""dmst: U.S. federal and Connecticut child sex trafficking law as dated, cited data, and an
explainable case classifier. Training material, not legal advice; the law changes.

The public API a notebook uses::

    from dmst import load_law, Case, classify, library, Simulator
    a = classify({"age": 15, "purpose": "prostitution", "anything_of_value": True}, "2012-06-01")

Heavy libraries (pandas, ipywidgets) are imported only when a table or widget is asked for.
"""
from .assessment import Assessment, Step
from .case import Actor, Case, CaseError
from .law import Law, LawDataError, load_law
from .rules import classify, parse_as_of

DISCLAIMER = ("This is training, not legal advice. The law changes: check the current statute, "
              "and ask your agency's counsel about a real case.")

__all__ = ["Actor", "Assessment", "Case", "CaseError", "DISCLAIMER", "Law", "LawDataError", "Step",
           "Simulator", "classify", "library", "load_law", "parse_as_of"]


def __getattr__(name):
    # Imported on first use so `import dmst` stays fast (no pandas, no ipywidgets).
    import importlib
    if name == "library":
        return importlib.import_module(f"{__name__}.library")
    if name == "Simulator":
        return importlib.import_module(f"{__name__}.widgets.simulator").Simulator
    raise AttributeError(f"module 'dmst' has no attribute {name!r}")
