"""Errors a user can see, each carrying a hint that says what to do next.

SearchError
├── CorpusError        a path to index does not exist or cannot be read
├── ModelError         the spaCy pipeline named in the settings cannot be loaded
├── ClusterError       the Dask cluster for the entity phase cannot be reached or used
├── QueryError         a query that cannot be read; the hint says what to type
└── IndexError_        base of everything about the index on disk
    ├── IndexNotFoundError   no index at that folder yet
    ├── IndexVersionError    built by an incompatible version or model
    ├── IndexLockedError     another writer holds the lock
    └── IndexDamagedError    files are missing or truncated
"""

from __future__ import annotations


class SearchError(Exception):
    """Base class: a message naming the thing that went wrong, and a hint.

    `str()` is the message alone, so that a caller printing the message and then the hint,
    as the CLI and the REPL do, shows the hint once; an uncaught error's traceback still
    shows the hint, as a note.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if hint:
            self.add_note(f"hint: {hint}")

    def __str__(self) -> str:
        return self.message


class CorpusError(SearchError):
    """A path given to index does not exist or is not readable."""


class ModelError(SearchError):
    """The NLP model cannot be loaded."""


class ClusterError(SearchError):
    """The Dask cluster named by --cluster or SEARCH_CLUSTER cannot be reached or used."""


class QueryError(SearchError):
    """A query that cannot be parsed or run."""

    def __init__(self, message: str, hint: str = "", query: str = "") -> None:
        super().__init__(message, hint)
        self.query = query


class IndexError_(SearchError):  # the underscore avoids shadowing the builtin
    """Something about the index folder."""


class IndexNotFoundError(IndexError_):
    """There is no index in the folder."""


class IndexVersionError(IndexError_):
    """The index was built by an incompatible schema version or NLP model."""


class IndexLockedError(IndexError_):
    """Another process is writing to the index."""


class IndexDamagedError(IndexError_):
    """Index files are missing, truncated or unreadable."""
