"""Tests for search.terminal.fit: results pages cut to the terminal instead of paged."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from search.query.searcher import Searcher
from search.terminal import render
from search.terminal.commands import Output, Shell


@pytest.fixture
def shell(bbc_index: Path) -> Iterator[Shell]:
    with Searcher(bbc_index) as searcher:
        yield Shell(searcher, pagelen=10)


def lines(out: Output, width: int) -> list[str]:
    c = Console(file=io.StringIO(), width=width, theme=render.THEME, color_system=None)
    c.print(out.renderable)
    return c.file.getvalue().splitlines()  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("width", [80, 150])
@pytest.mark.parametrize("height", [24, 40])
def test_a_page_fits_the_terminal(shell: Shell, width: int, height: int) -> None:
    whole = lines(shell.handle("government"), width)
    assert len(whole) > height  # ten hits with three snippets and facets do not fit
    shell.screen = (width, height)
    started = time.perf_counter()
    fitted = shell.handle("government")
    elapsed = time.perf_counter() - started
    shown = lines(fitted, width)
    assert len(shown) <= height
    res = shell.state.results
    assert res is not None and res.hits and res.total > len(res.hits)
    assert all(len(h.snippets) >= 1 for h in res.hits)  # one snippet kept per hit
    assert any("1. " in line for line in shown) and ":next for page 2" in shown[-1]
    # the numbered panel matches what +N picks
    assert len(shell.state.picks) == sum(len(v) for v in res.facets.values())
    assert elapsed < 5  # generous: a few renders, not a search per layout


def test_snippets_and_facets_go_before_hits(shell: Shell) -> None:
    shell.screen = (150, 60)
    shell.handle("government")
    res = shell.state.results
    assert res is not None and len(res.hits) == 10  # a tall terminal keeps every hit
    shell.screen = (80, 24)
    shell.handle("government")
    res = shell.state.results
    assert res is not None and len(res.hits) < 10
    assert all(len(h.snippets) == 1 for h in res.hits)  # snippets went first


def test_fewer_hits_per_page_keep_every_hit_reachable(shell: Shell) -> None:
    shell.screen = (80, 20)
    shell.handle("minister")
    res = shell.state.results
    assert res is not None and 1 <= len(res.hits) < 10
    per_page = len(res.hits)
    assert res.pagecount == -(-res.total // per_page)
    ranks = [h.rank for h in res.hits]
    while shell.state.page < res.pagecount:
        shell.handle(":next")
        res = shell.state.results
        assert res is not None
        ranks += [h.rank for h in res.hits]
    assert ranks == list(range(1, res.total + 1))
    shell.handle(":page 1")
    assert [h.rank for h in shell.state.results.hits] == list(range(1, per_page + 1))  # type: ignore[union-attr]


def test_pipe_and_pager_on_print_pages_whole(shell: Shell) -> None:
    shell.handle("government")
    assert shell.state.results is not None and len(shell.state.results.hits) == 10
    assert max(len(h.snippets) for h in shell.state.results.hits) > 1
    shell.screen = (80, 24)
    shell.handle(":pager on")  # the pager will take long pages: nothing cut
    shell.handle("government")
    assert len(shell.state.results.hits) == 10  # type: ignore[union-attr]


def test_less_shows_the_page_uncut(shell: Shell) -> None:
    shell.screen = (80, 24)
    fitted = shell.handle("government")
    res = shell.state.results
    assert res is not None and len(res.hits) < 10 and fitted.whole is not None
    paged = shell.handle(":less")
    assert paged.paged
    shown = lines(paged, 80)
    assert len(shown) > 24 and any(line.startswith(" 10. ") for line in shown)
    assert lines(fitted, 80) != shown
