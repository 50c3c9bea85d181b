"""Where the browser tests find Chromium, how they start it, and what they do when it is missing.

A plain module (not conftest.py) so tests can import it whatever other conftest files exist.
"""
from __future__ import annotations

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
