"""Fixtures for the take-away tests: everything built once from the real notebooks and data, and a
copy of data/ that a test may change (helpers are in takeaway_support.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from takeaway_support import ROOT

from dmst.takeaways.build import build_all


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("handouts")
    build_all(out)
    return out


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ that a test may change; load it with load_law(path)."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder
