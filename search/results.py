"""Result types: plain frozen data that outlives the searcher and turns into JSON.

A `SearchResults` holds one page of `Hit`s, facet counts over the whole result set
(`FacetCount`) and, per hit, snippet `Fragment`s whose match spans are character offsets
into the fragment text (no markup: the renderer decides how to show them).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]
"""A half-open [start, end) character range."""

# JSON escapes U+0000-U+001F itself; these would otherwise reach a terminal raw: DEL and the
# C1 controls, bidi and zero-width marks, line separators and lone surrogates.
_UNSAFE_IN_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ud800-\udfff]"
)


def json_line(obj: Any) -> str:
    """obj as one line of JSON: the data exactly, yet safe to print to a terminal.

    Beyond the control characters JSON escapes, every character that could steer a terminal
    or hide text is written as a \\u escape, which any JSON reader turns back into it.
    """
    text = json.dumps(obj, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of document text around matches; `spans` index into `text`."""

    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class FacetCount:
    """One facet value and how many documents of the result set carry it."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked document of a result page."""

    rank: int
    id: str
    title: str
    path: str
    score: float
    date: str | None = None
    source: str | None = None
    url: str | None = None
    snippets: tuple[Fragment, ...] = ()
    entities: dict[str, tuple[str, ...]] = field(default_factory=dict)
    docnum: int = field(default=-1, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["docnum"]
        data["snippets"] = [
            {"text": f.text, "spans": [list(s) for s in f.spans]} for f in self.snippets
        ]
        data["entities"] = {k: list(v) for k, v in self.entities.items()}
        return data


@dataclass(frozen=True, slots=True)
class SearchResults:
    """A page of hits for a query, with facets over every match."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetCount, ...]]
    page: int
    pagecount: int
    pagelen: int
    elapsed: float
    corrected: str | None = None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    excluded: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "score"
    partial: bool = False
    """The time limit stopped matching: `total` and the facets count what was found by then."""
    entities_pending: int = 0
    """Documents of the index still waiting for entities: facets count the others only."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "partial": self.partial,
            "entities_pending": self.entities_pending,
            "page": self.page,
            "pagecount": self.pagecount,
            "pagelen": self.pagelen,
            "elapsed": round(self.elapsed, 6),
            "corrected": self.corrected,
            "sort": self.sort,
            "filters": {k: list(v) for k, v in self.filters.items()},
            "excluded": {k: list(v) for k, v in self.excluded.items()},
            "hits": [h.to_dict() for h in self.hits],
            "facets": {
                name: [{"value": c.value, "count": c.count} for c in counts]
                for name, counts in self.facets.items()
            },
        }


@dataclass(frozen=True, slots=True)
class Skip:
    """A file or record that was not indexed, and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What one indexing run did."""

    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: tuple[Skip, ...] = ()
    documents: int = 0
    elapsed: float = 0.0
    entities: bool = True
    entities_added: int = 0
    """Documents that got their entities in this run."""
    entities_pending: int = 0
    """Documents still waiting for entities when the run returned (0 once complete)."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skipped"] = [
            {"path": s.path, "line": s.line, "reason": s.reason} for s in self.skipped
        ]
        return data


@dataclass(frozen=True, slots=True)
class IndexInfo:
    """A description of an index on disk."""

    path: str
    documents: int
    schema_version: int
    model: str
    entities: bool
    fields: tuple[str, ...]
    facets: dict[str, int]
    size_bytes: int
    last_modified: str | None
    entities_pending: int = 0
    """Documents searchable by their text but still waiting for entities (0 when complete)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A whole indexed document, as `search show` and `:open` display it."""

    id: str
    title: str
    path: str
    text: str
    date: str | None = None
    source: str | None = None
    url: str | None = None
    entities: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["entities"] = {k: list(v) for k, v in self.entities.items()}
        return data
