"""Tests for search.terminal.console: piped or redirected output is a paragraph per line.

capsys stands in for a pipe: what the CLI prints there must keep each snippet, sentence and
table row on one line with no trailing blanks, so that grep and cut see whole lines.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from conftest import NEWS_NAMES, DictExtractor, fake_settings
from rich.text import Text

from search import cli
from search.index.indexer import build
from search.query.searcher import Searcher
from search.terminal.commands import Shell
from search.terminal.console import LineFile, Reading, make_console
from search.terminal.pipe import run_pipe

LONG = (
    "The committee published its findings on Tuesday after a long inquiry into tsunami aid "
    "that heard from charities, ministers, engineers and dozens of survivors across the coast "
    "of the Indian Ocean, and it asked for a permanent fund."
)


@pytest.fixture
def long_index(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "aid.txt").write_text(f"Tsunami aid inquiry reports\n\n{LONG}\n", encoding="utf-8")
    (corpus / "other.txt").write_text("Markets\n\nShares closed flat in London.\n", encoding="utf-8")
    index = tmp_path / "index"
    build([corpus], index, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    return index


def test_piped_query_prints_a_paragraph_per_line(
    long_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["query", "tsunami aid", "--index", str(long_index)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert f"     {LONG}" in lines  # the whole sentence on one line, under its hit
    assert all(line == line.rstrip() for line in lines)  # no padding
    assert max(map(len, lines)) > 200


def test_piped_info_show_and_index_summary_are_not_wrapped(
    long_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["show", "aid.txt", "--index", str(long_index)]) == 0
    assert LONG in capsys.readouterr().out.splitlines()
    assert cli.main(["info", "--index", str(long_index)]) == 0
    info = capsys.readouterr().out.splitlines()
    assert info[0].split() == ["index", str(long_index)]
    assert all(line == line.rstrip() for line in info)
    corpus = tmp_path / "corpus"
    assert cli.main(["index", str(corpus), "--index", str(tmp_path / "ix2"), "--no-entities"]) == 0
    summary = capsys.readouterr().out.splitlines()
    assert summary[0].startswith("indexed 2, unchanged 0, removed 0, skipped 0  ·  2 documents")
    assert summary[0].endswith(" s")  # one line, timing included


def test_pipe_mode_opens_documents_unwrapped(long_index: Path) -> None:
    sink = io.StringIO()
    console = make_console(file=sink)
    with Searcher(long_index) as searcher:
        assert run_pipe(Shell(searcher), ["tsunami", ":open 1"], console, False, sink) == 0
    lines = sink.getvalue().splitlines()
    assert lines.count(LONG) == 1 and f"     {LONG}" in lines
    assert all(line == line.rstrip() for line in lines)


def test_a_terminal_still_wraps_to_its_width() -> None:
    sink = io.StringIO()
    console = make_console(file=sink, force_terminal=True, width=60, color_system=None)
    console.print(Reading(Text(LONG), 40))
    lines = sink.getvalue().splitlines()
    assert len(lines) > 3 and max(map(len, lines)) <= 40


def test_line_file_strips_blanks_before_each_newline_only() -> None:
    sink = io.StringIO()
    f = LineFile(sink)
    f.write("a  b   \nc \x1b[0m")
    f.write("  \n  d  ")
    f.flush()
    assert sink.getvalue() == "a  b\nc\x1b[0m\n  d"


def test_colours_override_the_theme() -> None:
    console = make_console(file=io.StringIO(), colours={"match": "bold red"})
    assert str(console.get_style("search.match")) == "bold red"
    assert str(console.get_style("search.title")) == "bold"
    assert sys.stdout  # the default console writes to stdout
