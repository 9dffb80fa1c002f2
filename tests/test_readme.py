"""The README's module API section, run as the doctest it is: every `>>>` line against an
index of seeds/, each output compared with what the README shows (as sqlite-utils tests its
documentation)."""

from __future__ import annotations

import doctest
import io
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

README = ROOT / "README.md"


def _section(title: str) -> tuple[str, int]:
    """The README's text under a heading, code fences blanked (an output ends at one), and
    the line it starts on (0-based, for failure reports)."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"### {title}\n")
    end = text.index("\n## ", start)
    lines = text[start:end].splitlines()
    blanked = "\n".join("" if line.startswith("```") else line for line in lines) + "\n"
    return blanked, text.count("\n", 0, start)


@pytest.mark.slow
def test_the_module_api_section_runs_as_shown(
    seed_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section, first_line = _section("The module API")
    test = doctest.DocTestParser().get_doctest(
        section, {}, "README.md: The module API", str(README), first_line
    )
    assert len(test.examples) >= 20, "the section lost its examples"
    # the layout the section assumes: seeds/ here, and its index already built (with the
    # real model), so that search.build only checks what changed
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copytree(seed_index, tmp_path / "index")
    monkeypatch.chdir(tmp_path)
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    result = runner.run(test, out=report.write)
    assert result.failed == 0, report.getvalue()


def test_the_readme_section_is_found_and_names_only_public_names() -> None:
    import search

    section, _ = _section("The module API")
    for name in ("search.build", "search.open", "search.search", "search.hits",
                 "search.cooccurrence", "search.timeline", "search.significant"):
        assert name in section
        assert name.split(".")[1] in search.__all__
