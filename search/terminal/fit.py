"""Fit: a page of results cut down to the lines a terminal has, so it never needs a pager.

A results page is measured as it would print at the terminal's width. When it is taller
than the screen, it loses, in this order: snippets per hit (down to one), facet values per
type (down to `MIN_FACETS`), then hits: `hits_that_fit` says how many hits per page the
shell should ask for, so that the page numbers stay true instead of hiding hits.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace

from rich.console import Console, RenderableType

from search.results import SearchResults
from search.terminal.render import THEME

View = Callable[[SearchResults], RenderableType]
"""How the shell lays out a page: results → renderable."""

MIN_FACETS = 2
"""Facet values per type kept however short the screen: fewer would not be a panel."""

def height(view: RenderableType, width: int) -> int:
    """How many lines a renderable takes at this width."""
    console = Console(
        file=io.StringIO(), width=width, theme=THEME, highlight=False, color_system=None
    )
    return len(console.render_lines(view, console.options, pad=False))


def trimmed(res: SearchResults, snippets: int, facets: int) -> SearchResults:
    """The same page with at most `snippets` per hit and `facets` values per type."""
    hits = tuple(replace(h, snippets=h.snippets[:snippets]) for h in res.hits)
    panel = {name: tuple(values[:facets]) for name, values in res.facets.items()}
    return replace(res, hits=hits, facets=panel)


def _ladder(res: SearchResults) -> list[tuple[int, int]]:
    """(snippets, facet values) from the richest layout to the leanest, one step at a time."""
    most_snippets = max((len(h.snippets) for h in res.hits), default=0)
    most_facets = max((len(v) for v in res.facets.values()), default=0)
    steps = [(snippets, most_facets) for snippets in range(most_snippets, 0, -1)]
    steps += [
        (min(1, most_snippets), facets)
        for facets in range(most_facets - 1, MIN_FACETS - 1, -1)
    ]
    return steps or [(most_snippets, most_facets)]


def fit(
    res: SearchResults, view: View, width: int, lines: int
) -> tuple[SearchResults, bool]:
    """The richest trimmed version of the page within `lines` at `width`, and whether it fits.

    When even the leanest does not fit, that leanest version is returned with False: the
    caller asks for fewer hits per page (`hits_that_fit`). Each step of the ladder is
    shorter than the one before, so a binary search finds the richest that fits in a few
    renders (each costs tens of milliseconds for a page of ten hits).
    """
    if height(view(res), width) <= lines:
        return res, True
    steps = _ladder(res)
    lean = trimmed(res, *steps[-1])
    if height(view(lean), width) > lines:
        return lean, False
    low, high = 0, len(steps) - 1  # steps[high] fits; find the first that does
    while low < high:
        middle = (low + high) // 2
        if height(view(trimmed(res, *steps[middle])), width) <= lines:
            high = middle
        else:
            low = middle + 1
    return trimmed(res, *steps[low]), True


def first_hits(res: SearchResults, count: int) -> SearchResults:
    """Page 1 of the same results with `count` hits per page (its first hits are these)."""
    return replace(
        res, hits=res.hits[:count], limit=count, pagecount=-(-res.total // count)
    )


def hits_that_fit(res: SearchResults, view: View, width: int, lines: int) -> int:
    """How many of the page's hits fit in the leanest layout (at least one)."""
    lean = trimmed(res, *_ladder(res)[-1])
    low, high = 1, max(1, len(lean.hits) - 1)
    while low < high:  # the most hits that fit: height grows with every hit
        middle = (low + high + 1) // 2
        if height(view(replace(lean, hits=lean.hits[:middle])), width) <= lines:
            low = middle
        else:
            high = middle - 1
    return low
