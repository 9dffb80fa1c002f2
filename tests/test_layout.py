"""The package's shape: stages as subpackages, Whoosh only where the index is read or written,
and no module grown past one responsibility's size."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "search"
STAGES = ("ingest", "index", "query", "analytics", "terminal", "cli")
MODULES = sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_every_stage_is_a_subpackage_and_the_top_level_is_small() -> None:
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "results.py", "errors.py", "config.py", "files.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_whoosh_is_imported_only_by_the_index_and_query_stages(path: Path) -> None:
    stage = path.relative_to(PACKAGE).parts[0]
    uses_whoosh = any(name.split(".")[0] == "whoosh" for name in _imports(path))
    assert not uses_whoosh or stage in ("index", "query"), f"{path} imports whoosh"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"{path.relative_to(PACKAGE)} has {lines} lines: split it by responsibility"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_what_it_is_for(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if path.name == "__init__.py" and not tree.body:
        pytest.fail(f"{path.relative_to(PACKAGE)} is empty: say what the stage takes in and gives out")
    assert ast.get_docstring(tree), f"{path.relative_to(PACKAGE)} has no module docstring"
