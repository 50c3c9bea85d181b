"""Where the browser tests find Chromium, how they start it, and what they do when it is missing.

A plain module (not conftest.py) so tests can import it whatever other conftest files exist.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def missing_chromium(path: Path, environ) -> tuple[str, str] | None:
    """None when Chromium is there; else ("fail" under CI=true, where it must run, or "skip") and why."""
    if path.exists():
        return None
    reason = f"{path} is missing: the browser tests need Debian's chromium; .ci/run installs it (apt-get install chromium)."
    return ("fail" if environ.get("CI") == "true" else "skip"), reason


# Playwright's sync API refuses to start a driver while another runs in the same thread, and
# pytest-xdist can put the browser tests' session-wide browser and the grading pages' browser on
# one worker. So every browser in a test process comes from one shared driver, started for the
# first user and stopped when the last one is done.
_driver = {"playwright": None, "users": 0}


@contextmanager
def launched_chromium(path: Path = CHROMIUM):
    """Chromium (headless, CHROMIUM_ARGS) on this process's one Playwright driver; closed on exit."""
    if _driver["playwright"] is None:
        from playwright.sync_api import sync_playwright

        _driver["playwright"] = sync_playwright().start()
    _driver["users"] += 1
    try:
        browser = _driver["playwright"].chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        _driver["users"] -= 1
        if _driver["users"] == 0:
            _driver["playwright"].stop()
            _driver["playwright"] = None
