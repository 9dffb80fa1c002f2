"""Result types: plain frozen data that outlives the searcher and turns into JSON.

A `SearchResults` holds one page of `Hit`s, facet counts over the whole result set
(`FacetCount`) and, per hit, snippet `Fragment`s whose match spans are character offsets
into the fragment text (no markup: the renderer decides how to show them). The analytics
answer with `Cooccurrence`, `Significant`, `Timeline` and `Explanation` (of `TermScore`s).
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]
"""A half-open [start, end) character range."""

# JSON escapes U+0000-U+001F itself; these would otherwise reach a terminal raw: DEL and the
# C1 controls, bidi and zero-width marks, line separators and lone surrogates.
_UNSAFE_IN_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)


def json_line(obj: Any) -> str:
    """obj as one line of JSON: the data exactly, yet safe to print to a terminal.

    Beyond the control characters JSON escapes, every character that could steer a terminal
    or hide text is written as a \\u escape, which any JSON reader turns back into it.
    """
    text = json.dumps(obj, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code > 0xFFFF:  # JSON escapes only 16-bit units: a surrogate pair, as json.dumps does
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of document text around matches; `spans` index into `text`."""

    text: str
    spans: tuple[Span, ...] = ()
    page: int | None = None
    """The page the fragment starts on, for paged documents (PDF); None otherwise."""


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
    duplicates: tuple[str, ...] = ()
    """Ids of the matching copies of this story folded into this hit, best-ranked first."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["duplicates"] = list(self.duplicates)
        data["snippets"] = [
            {"text": f.text, "spans": [list(s) for s in f.spans]}
            | ({} if f.page is None else {"page": f.page})
            for f in self.snippets
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
    limit: int
    """Hits per page: the `limit=` of the search, `--limit` on the command line."""
    elapsed: float
    corrected: str | None = None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    excluded: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "score"
    partial: bool = False
    """The time limit stopped matching: `total` and the facets count what was found by then."""
    entities_pending: int = 0
    """Documents of the index still waiting for entities: facets count the others only."""
    stories: int = -1
    """How many stories the `total` documents tell (copies of one story counted once);
    -1 when not known."""
    collapsed: bool = False
    """Copies were folded into one hit per story: pages and facets count stories."""

    @property
    def pagelen(self) -> int:
        """The old name of `limit`."""
        warnings.warn(
            "SearchResults.pagelen is now SearchResults.limit",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.limit

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "stories": self.stories,
            "collapsed": self.collapsed,
            "partial": self.partial,
            "entities_pending": self.entities_pending,
            "page": self.page,
            "pagecount": self.pagecount,
            "limit": self.limit,
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
class Duplicate:
    """One copy of a story, with what tells it from the document it is compared with:
    headline, date, source, length, and how much of the text they share."""

    id: str
    title: str
    date: str | None
    source: str | None
    words: int
    resemblance: float
    """Shared share of both texts' 5-word shingles (Jaccard), 1.0 for the same text."""
    containment: float
    """Share of the shorter text's shingles found in the longer (1.0: a cut of it)."""
    same_text: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DuplicateCluster:
    """The copies of one story in the index, the first the one the others are compared with."""

    size: int
    members: tuple[Duplicate, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"size": self.size, "members": [m.to_dict() for m in self.members]}


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
    ignored: int = 0
    """Files and folders a root's `.searchignore` left out (on purpose: not skips)."""
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
    entities_failed: str | None = None
    """Why the last entity phase run in the background (`build(wait=False)`, the REPL)
    stopped before it was done, with a hint; None when it did not."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class MentionFate:
    """What one entity mention of a document became, and why (`show --why`).

    `type` and `value` are what it shows as (None: it shows nowhere); `reasons` are the
    steps that led there, from the document's own normalisation, the corpus-level decisions
    and the user's overlay, in that order.
    """

    text: str
    label: str
    start: int
    type: str | None
    value: str | None
    reasons: tuple[str, ...] = ()


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
    sender: str | None = None
    recipients: str | None = None
    related: str = ""
    """Page furniture cut from the end (related-story teasers, footer): not the article."""
    why: tuple[MentionFate, ...] = ()
    """Each entity mention's fate, when asked for (`Searcher.document(id, why=True)`)."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["entities"] = {k: list(v) for k, v in self.entities.items()}
        data["why"] = [
            {**asdict(fate), "reasons": list(fate.reasons)} for fate in self.why
        ]
        return data


# -- what the analytics answer ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cooccurrence:
    """An entity seen in the same documents as the one asked about."""

    facet: str
    value: str
    count: int
    pmi: float
    sentence: str | None = None
    doc_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Significant:
    """An entity over-represented in a result set compared with the whole index."""

    facet: str
    value: str
    count: int
    total: int
    background: int
    background_total: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class TimelineBucket:
    """One period of a timeline: its documents, and its top entities when among the busiest."""

    period: str
    count: int
    busiest: bool
    top: tuple[FacetCount, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["top"] = [asdict(c) for c in self.top]
        return data


@dataclass(frozen=True, slots=True)
class Timeline:
    """A result set's documents per period (`by`), empty periods included."""

    by: str
    buckets: tuple[TimelineBucket, ...]
    undated: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "buckets": [b.to_dict() for b in self.buckets],
            "undated": self.undated,
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class TermScore:
    """One query term's contribution in one field of one document."""

    field: str
    term: str
    score: float
    frequency: float
    doc_frequency: int
    boost: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Explanation:
    """A hit's score taken apart."""

    doc_id: str
    title: str
    score: float
    terms: tuple[TermScore, ...]
    filters: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def remainder(self) -> float:
        """What the terms do not account for: the bonus for matching more of the words."""
        return self.score - sum(t.score for t in self.terms)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "score": self.score,
            "terms": [t.to_dict() for t in self.terms],
            "remainder": self.remainder,
            "filters": list(self.filters),
            "missing": list(self.missing),
        }
