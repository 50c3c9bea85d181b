"""Pins: requirements.txt is what the course needs to run (learners, Binder) and environment.yml
(Binder) lists exactly the same; requirements-dev.txt adds the instructor, grading and test tools.
Each package is pinned once, and nothing a learner's notebook imports needs a development pin."""
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def _lines(name):
    return [l.split("#", 1)[0].strip() for l in (ROOT / name).read_text().splitlines()]


def _pins(lines):
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().lstrip("-").strip()
        m = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([^\s]+)", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_requirements_are_all_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        unpinned = [l for l in _lines(name) if l and "==" not in l and l != "-r requirements.txt"]
        assert not unpinned, f"{name} lines without an exact pin: {unpinned}"


def test_dev_requirements_build_on_the_course_and_pin_each_package_once():
    dev = _lines("requirements-dev.txt")
    assert "-r requirements.txt" in dev, "requirements-dev.txt must start from the course's pins"
    both = set(_pins(dev)) & set(_pins(_lines("requirements.txt")))
    assert not both, f"pinned in both requirements files (pin each once): {sorted(both)}"
    assert "requirements-dev.txt" in (ROOT / "Makefile").read_text(), "make must install the dev pins"


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


# Import names of packages only requirements-dev.txt installs (Binder does not have them).
DEV_ONLY = {"fpdf", "nbgrader", "tqdm", "pytest", "xdist", "nbval", "hypothesis", "playwright",
            "axe_playwright_python", "pypdf", "pypdfium2"}


def _module_file(module: str) -> Path | None:
    base = SRC / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _imports(path: Path, module: str):
    """Every module named by an import anywhere in the file (inside functions too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module
            yield name
            yield from (f"{name}.{a.name}" for a in node.names)


def _notebook_imports():
    import json
    names = set()
    for nb in list((ROOT / "notebooks").glob("*.ipynb")) + list((ROOT / "exercises").glob("*/*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                names |= set(re.findall(r"^\s*from (dmst[\w.]*) import", source, re.M))
                names |= set(re.findall(r"^\s*import (dmst[\w.]*)", source, re.M))
    return names


def test_what_learners_run_needs_no_development_package():
    entry = _notebook_imports()
    assert "dmst.course" in entry or "dmst" in entry, entry
    seen, todo, external = set(), list(entry), {}
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _module_file(module)
        if path is None:
            continue
        for name in _imports(path, module):
            top = name.split(".")[0]
            if top == "dmst":
                todo.append(name)
            else:
                external.setdefault(top, module)
    needs_dev = {top: module for top, module in external.items() if top in DEV_ONLY}
    assert not needs_dev, ("modules the course's notebooks import need packages that only "
                           f"requirements-dev.txt installs (Binder lacks them): {needs_dev}")
    assert "pandas" in external and "ipywidgets" in external  # the walk really reached the faces
