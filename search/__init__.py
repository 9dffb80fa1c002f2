"""search: full-text search for folders of news articles, with entity facets.

    import search
    search.build("seeds", "index")                # IndexStats(indexed=1, ...)
    with search.open("index") as s:               # a Searcher
        results = s.search("putin", where={"place": ["Ukraine"]}, limit=5)
        for hit in s.hits("putin", sort="date"):  # every match, lazily
            ...
        pairs = search.cooccurrence(s, "person", "Vladimir Putin")
    search.search("scholz", index="index").total

The README's "The module API" shows each call with its output (a test runs it). Whoosh and
spaCy are imported only when an index is opened or built, and the analytics and `Searcher`
on first use, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from search.config import Settings
from search.errors import (
    CorpusError,
    IndexDamagedError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    ModelError,
    QueryError,
    SearchError,
)
from search.results import (
    Cooccurrence,
    Duplicate,
    DuplicateCluster,
    Explanation,
    FacetCount,
    Fragment,
    Hit,
    IndexInfo,
    IndexStats,
    SearchResults,
    Significant,
    Skip,
    StoredDocument,
    TermScore,
    Timeline,
    TimelineBucket,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from search.analytics.cooccurrence import cooccurrence
    from search.analytics.significance import significant
    from search.analytics.timeline import timeline
    from search.index.indexer import Progress
    from search.query.searcher import Filters, Searcher

__all__ = [
    "Cooccurrence",
    "CorpusError",
    "Duplicate",
    "DuplicateCluster",
    "Explanation",
    "FacetCount",
    "Fragment",
    "Hit",
    "IndexDamagedError",
    "IndexInfo",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexStats",
    "IndexVersionError",
    "ModelError",
    "QueryError",
    "SearchError",
    "SearchResults",
    "Searcher",
    "Settings",
    "Significant",
    "Skip",
    "StoredDocument",
    "TermScore",
    "Timeline",
    "TimelineBucket",
    "build",
    "cooccurrence",
    "hits",
    "open",
    "search",
    "significant",
    "timeline",
]

_LAZY = {
    "Searcher": "search.query.searcher",
    "cooccurrence": "search.analytics.cooccurrence",
    "significant": "search.analytics.significance",
    "timeline": "search.analytics.timeline",
}
"""Public names whose modules import Whoosh: loaded on first use (PEP 562)."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

__version__ = "0.1.0"


def build(
    paths: Sequence[Path | str] | Path | str | None = None,
    index_dir: Path | str | None = None,
    *,
    rebuild: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    wait: bool = True,
) -> IndexStats:
    """Index the documents under paths (default ./seeds) into index_dir (default ./index).

    Returns when the entities are in too; with wait=False as soon as every document is
    searchable by its text (the entities follow in a thread the program waits for at exit).
    """
    from search.index.indexer import build as _build

    if isinstance(paths, (str, Path)):
        paths = [paths]
    return _build(
        paths, index_dir, rebuild=rebuild, settings=settings, progress=progress, wait=wait
    )


def open(
    index_dir: Path | str | None = None, settings: Settings | None = None
) -> Searcher:
    """Open an index for searching; use the result as a context manager."""
    from search.query.searcher import Searcher

    return Searcher(index_dir, settings)


def search(
    query: str = "",
    *,
    index: Path | str | None = None,
    where: Filters | None = None,
    **options: Any,
) -> SearchResults:
    """Open the index, run one query, close it: for one-off use."""
    with open(index) as searcher:
        return searcher.search(query, where=where, **options)


def hits(
    query: str = "",
    *,
    index: Path | str | None = None,
    where: Filters | None = None,
    **options: Any,
) -> Iterator[Hit]:
    """Every hit of one query, lazily (`Searcher.hits`): the index opens on the first hit
    asked for and closes when the loop ends."""
    with open(index) as searcher:
        yield from searcher.hits(query, where=where, **options)
