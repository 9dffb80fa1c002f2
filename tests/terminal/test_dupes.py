"""Tests for search.terminal.dupes and the "+N similar" of search.terminal.render: the REPL
on real BBC articles and edited copies of them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import APPLE_COPIES, write_copies
from rich.console import Console

from search.config import Settings
from search.index.indexer import build
from search.query.searcher import Searcher
from search.terminal import render
from search.terminal.commands import Output, Shell


@pytest.fixture
def shell(tmp_path: Path) -> Iterator[Shell]:
    corpus = write_copies(tmp_path / "corpus")
    build([corpus], tmp_path / "index", settings=Settings(entities=False))
    with Searcher(tmp_path / "index") as searcher:
        yield Shell(searcher, pagelen=5)


def text(out: Output, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, theme=render.THEME, highlight=False)
    console.print(out.renderable)
    value = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in value.splitlines())


def test_results_show_each_story_once_with_its_copies_counted(shell: Shell) -> None:
    shown = text(shell.handle("mac mini apple"))
    assert "stories (" in shown and "documents)" in shown
    assert "+3 similar" in shown
    assert sum(shown.count(i) for i in APPLE_COPIES) == 1


def test_similar_lists_the_copies_and_what_differs(shell: Shell) -> None:
    shell.handle("mac mini apple")
    out = shell.handle(":similar 1")
    shown = text(out)
    assert out.data is not None
    listed = {row["id"] for row in out.data["similar"]} | {out.data["id"]}
    assert listed == APPLE_COPIES
    assert "(cut: 100%)" in shown  # the first take is all inside the whole
    assert "Apple bets on cheap Mac to lure iPod fans" in shown  # the new headline
    assert "has no copy" in text(shell.handle(":similar edwards.txt"))


def test_all_shows_every_copy_and_folds_them_again(shell: Shell) -> None:
    shell.handle("mac mini apple")
    every = text(shell.handle(":all on"))
    assert "+3 similar" not in every and sum(every.count(i) for i in APPLE_COPIES) == 4
    again = text(shell.handle(":all"))
    assert "+3 similar" in again
    refused = shell.handle(":all maybe")
    assert refused.error and "'maybe' is not on or off" in text(refused)


def test_dupes_lists_the_largest_stories(shell: Shell) -> None:
    out = shell.handle(":dupes")
    assert out.data is not None
    assert [c["size"] for c in out.data["clusters"]] == [4, 2]
    assert "4 copies" in text(out) and "same text" in text(out)
