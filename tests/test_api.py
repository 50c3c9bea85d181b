"""The public API a notebook uses, and the promise that `import dmst` stays light."""
import subprocess
import sys

import dmst


def test_import_does_not_load_heavy_libraries():
    code = "import sys, dmst; print(sorted(m for m in ('pandas', 'ipywidgets', 'matplotlib', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_public_names():
    for name in ("load_law", "Case", "classify", "CaseError", "DISCLAIMER", "library", "Simulator"):
        assert hasattr(dmst, name)
    from dmst.widgets.simulator import Simulator
    assert dmst.Simulator is Simulator
    assert "not legal advice" in dmst.DISCLAIMER


def test_assessment_frames():
    a = dmst.classify({"age": 15, "purpose": "prostitution", "anything_of_value": True,
                       "actors": [{"name": "R", "conduct": ["recruited"]}]}, "2026-11-28")
    steps = a.to_frame()
    assert list(steps.columns) == ["rule", "provision", "citation", "conclusion", "because", "confidence"]
    assert len(steps) == len(a.explanation)
    actors = a.to_frame("actors")
    assert actors.loc[0, "actor"] == "R" and actors.loc[0, "id"] == "us-18-1591"
    assert len(a.to_frame("not_applied")) == len(a.not_applied)
