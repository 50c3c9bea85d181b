"""The pins live in requirements.txt; environment.yml (Binder) must list exactly the same."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines):
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().lstrip("-").strip()
        m = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([^\s]+)", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_requirements_are_all_pinned():
    lines = [l.split("#", 1)[0].strip() for l in (ROOT / "requirements.txt").read_text().splitlines()]
    unpinned = [l for l in lines if l and "==" not in l]
    assert not unpinned, f"requirements.txt lines without an exact pin: {unpinned}"


def test_environment_yml_matches_requirements():
    local = _pins((ROOT / "requirements.txt").read_text().splitlines())
    binder = _pins((ROOT / "environment.yml").read_text().splitlines())
    assert binder == local, (
        "environment.yml and requirements.txt disagree: "
        f"only in requirements: {sorted(set(local.items()) - set(binder.items()))}; "
        f"only in environment.yml: {sorted(set(binder.items()) - set(local.items()))}")


def test_environment_yml_installs_the_package_and_python_matches_pyproject():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*-\s*-e \.\s*$", text, re.M), "environment.yml must pip-install the dmst package (-e .)"
    py = re.search(r"python=(\d+)\.(\d+)", text)
    floor = re.search(r'requires-python = ">=(\d+)\.(\d+)"', (ROOT / "pyproject.toml").read_text())
    assert py and floor and tuple(map(int, py.groups())) >= tuple(map(int, floor.groups()))
