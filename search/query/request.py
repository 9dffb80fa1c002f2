"""Request: what a query asks for, checked, and the plain values its answer is made of.

In: the options of `Searcher.search` and friends. Out: a frozen `Request` (refused with a
QueryError when it is not a page, a sort or a facet count), the `View` of one reader
generation the pipeline reads, and filters and stored dates as plain values.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from search.errors import QueryError
from search.query import collapse as folding
from search.query.facets import FacetTable
from search.query.parsing import QueryParser

__all__ = [
    "SORTS",
    "Filters",
    "Request",
    "View",
    "describe_filters",
    "normalise_filters",
    "renamed",
    "stored_date",
    "validate",
]

Filters = Mapping[str, Sequence[str] | str]
SORTS = ("score", "date")


@dataclass(frozen=True)
class View:
    """What the stages read: one Whoosh searcher (a reader generation) and its facets.

    `table` is called only by the stages that need the facet table, which loads on first use.
    """

    searcher: Any
    parser: QueryParser
    facet_names: tuple[str, ...]
    table: Callable[[], FacetTable]
    time_limit: float
    stories: Callable[[], folding.Stories] = lambda: folding.Stories({}, ())
    entities: bool = True
    """False for an index built without entities (`--no-entities`)."""


@dataclass(frozen=True)
class Request:
    """One page of one query: what to keep, which page, how to sort, what to add."""

    query: str
    where: Filters | None = None
    exclude: Filters | None = None
    page: int = 1
    limit: int = 10
    """Hits per page."""
    sort: str = "score"
    facet_limit: int | None = 10
    snippets: int = 3
    suggest: bool = True
    every: bool = False
    collapse: bool = True  # copies folded into their best-ranked one; facets count stories


def renamed(limit: int, pagelen: int | None) -> int:
    """`limit`, or the value given by its old name `pagelen=` (with a DeprecationWarning)."""
    if pagelen is None:
        return limit
    warnings.warn(
        "pagelen= is now limit=, as --limit on the command line",
        DeprecationWarning,
        stacklevel=4,
    )
    return pagelen


def validate(request: Request) -> None:
    """Refuse options that are not a page, a sort or a facet count, naming the query."""
    query = request.query
    if request.sort not in SORTS:
        raise QueryError(
            f"unknown sort {request.sort!r}",
            hint=f"sort by one of: {', '.join(SORTS)}",
            query=query,
        )
    if request.facet_limit is not None and request.facet_limit < 0:
        raise QueryError(
            f"facet_limit {request.facet_limit} is negative",
            hint="ask for 0 (no facets), a positive number, or None (every value)",
            query=query,
        )
    if request.page < 1 or request.limit < 1:
        raise QueryError(
            f"page {request.page} of {request.limit} per page is not a page",
            hint="pages and page lengths start at 1",
            query=query,
        )


def stored_date(value: Any) -> str | None:
    """A stored datetime as an ISO day."""
    if value is None:
        return None
    try:
        return str(value.date().isoformat())
    except AttributeError:
        return str(value)


def describe_filters(where: Filters | None, exclude: Filters | None) -> tuple[str, ...]:
    """Filters as query syntax, for explanations: `+person:"Olaf Scholz"`."""
    shown = [f'+{f}:"{v}"' for f, vs in normalise_filters(where).items() for v in vs]
    shown += [f'-{f}:"{v}"' for f, vs in normalise_filters(exclude).items() for v in vs]
    return tuple(shown)


def normalise_filters(chosen: Filters | None) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for facet, values in (chosen or {}).items():
        out[facet] = (values,) if isinstance(values, str) else tuple(values)
    return out
