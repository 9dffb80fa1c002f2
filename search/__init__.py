"""search: full-text search for folders of news articles, with entity facets.

    >>> import search
    >>> search.build("seeds", "index")            # IndexStats(indexed=1, ...)
    >>> with search.open("index") as s:
    ...     results = s.search("putin", where={"place": ["Ukraine"]})
    >>> search.search("scholz", index="index").total

Whoosh and spaCy are imported only when an index is opened or built, so importing this
package stays cheap.
"""

from __future__ import annotations

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
    FacetCount,
    Fragment,
    Hit,
    IndexInfo,
    IndexStats,
    SearchResults,
    Skip,
    StoredDocument,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from search.index.indexer import Progress
    from search.query.searcher import Filters, Searcher

__all__ = [
    "CorpusError",
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
    "Settings",
    "Skip",
    "StoredDocument",
    "build",
    "open",
    "search",
]

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
