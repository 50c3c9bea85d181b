"""Without Chromium the browser tests fail under CI=true (they must run there) and skip elsewhere."""
from pathlib import Path

from browser_support import CHROMIUM, missing_chromium


def test_missing_chromium_fails_under_ci_and_says_how_to_get_it(tmp_path):
    action, reason = missing_chromium(tmp_path / "no-chromium", {"CI": "true"})
    assert action == "fail" and ".ci/run installs it" in reason


def test_missing_chromium_skips_outside_ci(tmp_path):
    assert missing_chromium(tmp_path / "no-chromium", {})[0] == "skip"
    assert missing_chromium(tmp_path / "no-chromium", {"CI": "false"})[0] == "skip"


def test_present_chromium_runs(tmp_path):
    fake = tmp_path / "chromium"
    fake.touch()
    assert missing_chromium(fake, {"CI": "true"}) is None
    assert CHROMIUM == Path("/usr/bin/chromium")
