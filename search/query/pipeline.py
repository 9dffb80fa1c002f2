"""Query pipeline: a parsed query goes down the stages once and comes out as a result page.

rewrite (entity clauses also match the keys their facets count) → filters (where/exclude as
Whoosh filter and mask) → match (time-limited collection of the top hits and of every
match) → facets (counted over every match) → snippets (per hit) → suggestions (did-you-mean
for near-empty results). In: a `View` of one reader generation and a `Request`. Out: frozen
`SearchResults`; no Whoosh object leaves here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import collectors, sorting
from whoosh import query as wq

from search.errors import QueryError
from search.index.enricher import count_pending
from search.index.schema import TEXT_FIELDS, key_field
from search.ingest.normalize import facet_key
from search.query.facets import FacetTable
from search.query.limits import Deadline, all_matches
from search.query.parsing import QueryParser, correct
from search.query.snippets import TermMatcher, make_snippets
from search.results import Hit, SearchResults

Filters = Mapping[str, Sequence[str] | str]
SORTS = ("score", "date")
SUGGEST_MAX_WORDS = 12
"""Longer queries get no did-you-mean: correcting each word costs a scan of the vocabulary."""


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


@dataclass(frozen=True)
class Request:
    """One page of one query: what to keep, which page, how to sort, what to add."""

    query: str
    where: Filters | None = None
    exclude: Filters | None = None
    page: int = 1
    pagelen: int = 10
    sort: str = "score"
    facet_limit: int | None = 10
    snippets: int = 3
    suggest: bool = True
    every: bool = False


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
    if request.page < 1 or request.pagelen < 1:
        raise QueryError(
            f"page {request.page} of {request.pagelen} per page is not a page",
            hint="pages and page lengths start at 1",
            query=query,
        )


# -- rewrite -------------------------------------------------------------------------------


def as_facets(view: View, q: Any) -> Any:
    """Entity clauses also match the keys the facets count as that value.

    `person:"tony blair"` searches the words of the values as indexed; a document that
    only says "Blair" (linked to Tony Blair corpus-wide) or a value the user merged into
    it holds other words, yet the facet panel counts it. Adding those keys keeps the
    query, the facet counts and `where` filters in agreement.
    """
    if isinstance(q, (wq.Term, wq.Phrase)) and q.fieldname in view.facet_names:
        words = q.words if isinstance(q, wq.Phrase) else [q.text]
        column = view.table().columns[q.fieldname]
        value = " ".join(str(w) for w in words)
        if facet_key(value) not in column.keys:
            return q
        keys = column.keys_for(value)
        extra = [wq.Term(key_field(q.fieldname), k) for k in keys]
        return wq.Or([q, *extra], boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda child: as_facets(view, child))


# -- filters -------------------------------------------------------------------------------


def filters(
    view: View, where: Filters | None, exclude: Filters | None, every: bool = False
) -> tuple[Any, Any, bool]:
    """The Whoosh filter and mask for where/exclude, and whether the filter matches nothing
    (Whoosh reads a filter that matches nothing as no filter at all)."""
    allow = _filter(view, where, positive=True, every=every)
    deny = _filter(view, exclude, positive=False)
    none = allow is not None and next(view.searcher.docs_for_query(allow), -1) < 0
    return allow, deny, none


def _filter(view: View, chosen: Filters | None, positive: bool, every: bool = False) -> Any:
    """OR within a facet (AND with `every`), AND across facets (a mask: any of them)."""
    if not chosen:
        return None
    groups = []
    for facet, values in chosen.items():
        if facet not in view.facet_names:
            raise QueryError(
                f"unknown facet {facet!r}",
                hint=f"filter on one of: {', '.join(view.facet_names)}",
            )
        if isinstance(values, str):
            values = [values]
        column = view.table().columns[facet]
        for picked in [[v] for v in values] if every else [values]:
            keys = {k for v in picked if facet_key(v) for k in column.keys_for(v)}
            terms = [wq.Term(key_field(facet), key) for key in sorted(keys)]
            if terms:
                groups.append(wq.Or(terms))
    if not groups:
        return None
    return wq.And(groups) if positive else wq.Or(groups)


# -- match ---------------------------------------------------------------------------------


def collect(
    view: View, q: Any, limit: int, kwargs: dict[str, Any], started: float
) -> tuple[Any, set[int], bool]:
    """The top `limit` matches and the set of all of them, as far as the time limit goes.

    When time is up, matching stops and what was found so far is returned, flagged
    partial (True): a query that would read the whole index answers in time anyway.
    """
    deadline = started + view.time_limit
    collector = Deadline(view.searcher.collector(limit=limit, **kwargs), deadline)
    try:
        view.searcher.search_with_collector(q, collector)
    except collectors.TimeLimit:
        return collector.results(), collector.seen, True
    results = collector.results()
    # every match, not just the top ones: a second pass unless the collector kept them all
    docset: set[int] = set()
    for n, docnum in enumerate(all_matches(collector.child)):
        if n % 256 == 0 and time.perf_counter() > deadline:
            return results, docset | collector.seen, True
        docset.add(docnum)
    return results, docset, False


def _sorting(view: View, q: Any, sort: str) -> dict[str, Any]:
    if sort == "date":
        # Newest first, undated last (they hold the column's maximum), and among equal
        # dates, or none, the most relevant first.
        undated = 2 ** view.searcher.schema["date"].bits - 1
        by_date = sorting.TranslateFacet(
            lambda key: (key == undated, -key), sorting.FieldFacet("date")
        )
        return {"sortedby": sorting.MultiFacet([by_date, sorting.ScoreFacet()])}
    if isinstance(q, wq.Every):
        return {"sortedby": "id"}
    return {}


# -- snippets ------------------------------------------------------------------------------


def matcher(view: View, q: Any, where: Filters | None) -> TermMatcher:
    """The indexed words a query matches, and the entity words its filters name."""
    terms: set[str] = set()
    words: set[str] = set()
    try:
        # Leaf by leaf: Whoosh's existing_terms reuses its `fieldname` argument as a loop
        # variable, so on a tree it skips every leaf in another field than the first term's.
        reader = view.searcher.reader()
        found: set[tuple[str, Any]] = set()
        for leaf in q.leaves():
            found |= leaf.existing_terms(reader, expand=True)
    except (AttributeError, NotImplementedError, TypeError):
        # Some query types cannot expand against a reader; highlight what they name.
        found = set(q.terms()) if hasattr(q, "terms") else set()
    for field, text in found:
        value = text.decode("utf-8") if isinstance(text, bytes) else str(text)
        if field in TEXT_FIELDS:
            terms.add(value)
        elif field in view.facet_names:
            words.add(value)
    for values in (where or {}).values():
        for value in [values] if isinstance(values, str) else values:
            words.update(facet_key(value).split())
    return TermMatcher(frozenset(terms), frozenset(words))


# -- the whole run -------------------------------------------------------------------------


def run(
    view: View, q: Any, request: Request, started: float, mask: Any = None
) -> SearchResults:
    """Filter, match, count facets, snippet and suggest: one page of results."""
    allow, deny, none = filters(view, request.where, request.exclude, request.every)
    if none:
        q = wq.NullQuery
    if mask is not None:
        deny = mask if deny is None else wq.Or([deny, mask])
    kwargs: dict[str, Any] = {"filter": allow, "mask": deny, "terms": False}
    kwargs.update(_sorting(view, q, request.sort))
    pagelen = request.pagelen
    results, docset, partial = collect(view, q, request.page * pagelen, kwargs, started)
    total = len(docset)
    terms = matcher(view, q, request.where)
    table = view.table()
    hits = []
    first = (request.page - 1) * pagelen
    for rank in range(first, min(first + pagelen, results.scored_length())):
        docnum = results.docnum(rank)
        stored = view.searcher.stored_fields(docnum)
        hits.append(
            Hit(
                rank=rank + 1,
                id=stored["id"],
                title=stored.get("title") or stored["id"],
                path=stored.get("path", ""),
                # sorted by a field, Whoosh reports the sort key where the score would be
                score=0.0 if "sortedby" in kwargs else float(results.score(rank)),
                date=stored_date(stored.get("date")),
                source=stored.get("source"),
                url=stored.get("url"),
                snippets=make_snippets(stored.get("body", ""), terms, request.snippets),
                entities=table.entities(docnum),
                docnum=docnum,
            )
        )
    limit = request.facet_limit
    facets = table.counts(docset, limit) if limit != 0 else {}
    query = request.query
    corrected = None
    if (
        request.suggest
        and total < 3
        and query.strip()
        and not partial
        and len(query.split()) <= SUGGEST_MAX_WORDS
    ):
        corrected = correct(view.searcher, view.parser, query, total, allow, deny)
    return SearchResults(
        query=query,
        total=total,
        hits=tuple(hits),
        facets=facets,
        page=request.page,
        pagecount=max(1, math.ceil(total / pagelen)),
        pagelen=pagelen,
        elapsed=time.perf_counter() - started,
        corrected=corrected,
        filters=normalise_filters(request.where),
        excluded=normalise_filters(request.exclude),
        sort=request.sort,
        partial=partial,
        entities_pending=count_pending(view.searcher),
    )


def stored_date(value: Any) -> str | None:
    """A stored datetime as an ISO day."""
    if value is None:
        return None
    try:
        return str(value.date().isoformat())
    except AttributeError:
        return str(value)


def normalise_filters(chosen: Filters | None) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for facet, values in (chosen or {}).items():
        out[facet] = (values,) if isinstance(values, str) else tuple(values)
    return out
