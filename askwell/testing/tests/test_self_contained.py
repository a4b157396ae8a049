"""The suite and the benchmarks need nothing outside the checkout but what
they name: the full corpora through one setting (ASKWELL_SHARED_DATA), no
test module imported by anything but pytest."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from askwell.paths import BASE_DIR
from askwell.testing import medquad_sample
from askwell.testing.datasets import BLNS, MEDQUAD_SAMPLE, naughty_strings

# A path built to a folder beside the checkout, the way tests used to reach
# ../shared/data: parents[4] of a test file, or "shared" joined to a path.
OUTSIDE = re.compile(r"""parents\[4\]|/ ["']shared["']|\.\./shared""")
# Files that name such a folder without reading the real one, and why.
ALLOWED = {
    # It builds a shared/data folder of its own beside a temporary checkout,
    # holding the carried MedQuAD sample, because the README's import command
    # names ../shared/data/medquad.tar.gz.
    "askwell/demo/tests/test_readme_commands.py",
}


def _python_files(*folders: str) -> list[Path]:
    return sorted(
        path
        for folder in folders
        for path in (BASE_DIR / folder).rglob("*.py")
        if ".venv" not in path.parts
    )


def test_no_test_reaches_outside_the_checkout():
    # given
    tests = [BASE_DIR / "conftest.py"] + [
        path
        for path in _python_files("askwell")
        if "tests" in path.parts or path.name == "conftest.py"
    ]

    # when
    found = [
        f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()}"
        for path in tests
        if path != Path(__file__) and str(path.relative_to(BASE_DIR)) not in ALLOWED
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OUTSIDE.search(line)
    ]

    # then
    assert found == []


def test_benchmarks_import_no_test_module():
    # given
    imports = {
        f"{path.relative_to(BASE_DIR)}: {node.module}"
        for path in _python_files("bench")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module
    } | {
        f"{path.relative_to(BASE_DIR)}: {alias.name}"
        for path in _python_files("bench")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import)
        for alias in node.names
    }

    # then
    assert [line for line in sorted(imports) if ".tests" in line] == []


def test_the_carried_data_is_there_with_its_licences():
    # then
    assert len(naughty_strings()) == 515
    assert (BLNS.parent / "blns.LICENSE").read_text().startswith("The MIT License")
    licence = (MEDQUAD_SAMPLE / "LICENSE.txt").read_text(encoding="utf-8")
    assert licence.startswith("Attribution 4.0 International")
    assert all((MEDQUAD_SAMPLE / name).is_file() for name in medquad_sample.FILES)
    readme = (BLNS.parent / "README.md").read_text()
    assert "CC BY 4.0" in readme
    assert "MIT" in readme
