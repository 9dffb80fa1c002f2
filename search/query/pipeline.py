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
from collections.abc import Iterator
from typing import Any

from whoosh import collectors, sorting
from whoosh import query as wq

from search.errors import QueryError
from search.index.enricher import count_pending
from search.index.schema import TEXT_FIELDS, key_field
from search.ingest.normalize import facet_key
from search.query import collapse as folding
from search.query.facets import FacetTable
from search.query.limits import Deadline, all_matches
from search.query.no_entities import require_entities
from search.query.parsing import correct
from search.query.request import (
    Filters,
    Request,
    View,
    normalise_filters,
    stored_date,
)
from search.query.snippets import (
    LATE_SCAN_CHARS,
    SCAN_CHARS,
    TermMatcher,
    make_snippets,
)
from search.query.suggest import correct_entities
from search.results import Hit, SearchResults

SUGGEST_MAX_WORDS = 12
"""Longer queries get no did-you-mean: correcting each word costs a scan of the vocabulary."""

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
        extra = [wq.Term(key_field(t), k) for t, k in column.terms_for(q.fieldname, value)]
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
        if any(facet_key(v) for v in values):  # an empty filter filters nothing, anywhere
            require_entities(view, f"the filter {facet}={', '.join(values)}", facet, values)
        column = view.table().columns[facet]
        for picked in [[v] for v in values] if every else [values]:
            pairs = {p for v in picked if facet_key(v) for p in column.terms_for(facet, v)}
            terms = [wq.Term(key_field(t), key) for t, key in sorted(pairs)]
            if terms:
                groups.append(wq.Or(terms))
    if not groups:
        return None
    return wq.And(groups) if positive else wq.Or(groups)


# -- match ---------------------------------------------------------------------------------


def collect(
    view: View, q: Any, limit: int, kwargs: dict[str, Any], started: float, story: Any = None
) -> tuple[Any, set[int], bool]:
    """The top `limit` matches (stories, given `story`) and the set of all, in the time limit.

    When time is up, matching stops and what was found so far is returned, flagged
    partial (True): a query that would read the whole index answers in time anyway.
    """
    deadline = started + view.time_limit
    collector = Deadline(folding.story_collector(view.searcher, limit, kwargs, story), deadline)
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
    pagelen = request.limit
    results, docset, partial, found, groups = folding.top_stories(lambda top, story: collect(
        view, q, top, kwargs, started, story), request.page * pagelen, view.stories(), request.collapse, "sortedby" in kwargs)
    total = len(docset)
    stories_told = folding.told(found, total)
    scores = {results.docnum(i): i for i in range(results.scored_length())}
    terms = matcher(view, q, request.where)
    table = view.table()
    deadline = started + view.time_limit
    first = (request.page - 1) * pagelen
    hits = [
        make_hit(
            view,
            table,
            terms,
            docnum,
            place + 1,
            # sorted by a field, Whoosh reports the sort key where the score would be
            0.0 if "sortedby" in kwargs else float(results.score(scores[docnum])),
            request.snippets,
            deadline=deadline,
            duplicates=folding.best_first(view.searcher, q, copies, request.sort),
        )
        for place, (docnum, copies) in enumerate(groups[first : first + pagelen], first)
    ]
    limit = request.facet_limit
    several = [g for g in found.values() if len(g) > 1] if request.collapse else []  # once each
    facets = table.counts(docset, limit, stories=several) if limit != 0 else {}
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
        corrected = _entities_corrected(view, corrected or query, total, allow, deny) or corrected
    return SearchResults(
        query=query,
        total=total,
        hits=tuple(hits),
        facets=facets,
        page=request.page,
        pagecount=max(1, math.ceil((stories_told if request.collapse else total) / pagelen)),
        limit=pagelen,
        elapsed=time.perf_counter() - started,
        corrected=corrected,
        filters=normalise_filters(request.where),
        excluded=normalise_filters(request.exclude),
        sort=request.sort,
        partial=partial,
        stories=stories_told,
        collapsed=request.collapse,
        entities_pending=count_pending(view.searcher),
    )


def _entities_corrected(
    view: View, query: str, total: int, allow: Any, deny: Any
) -> str | None:
    """The query with misspelt entity clauses corrected from the facet values, if that
    finds more than `total` documents."""
    table = view.table()
    corrected = correct_entities(query, table.columns, table.live)
    if corrected is None:
        return None
    try:
        q = as_facets(view, view.parser.parse(corrected))
    except QueryError:
        return None
    found = len(view.searcher.search(q, limit=1, filter=allow, mask=deny))
    return corrected if found > total else None


def make_hit(
    view: View,
    table: FacetTable,
    terms: TermMatcher,
    docnum: int,
    rank: int,
    score: float,
    snippets: int,
    deadline: float | None = None,
    duplicates: tuple[str, ...] = (),
) -> Hit:
    """The frozen hit for one matching document: stored fields, snippets, entities, copies.

    Past the deadline, snippets come from a document's first lines: the time limit holds
    for a page of huge documents too.
    """
    stored = view.searcher.stored_fields(docnum)
    late = deadline is not None and time.perf_counter() >= deadline
    return Hit(
        rank=rank,
        id=stored["id"],
        title=stored.get("title") or stored["id"],
        path=stored.get("path", ""),
        score=score,
        date=stored_date(stored.get("date")),
        source=stored.get("source"),
        url=stored.get("url"),
        snippets=make_snippets(
            stored.get("body", ""),
            terms,
            snippets,
            scan=LATE_SCAN_CHARS if late else SCAN_CHARS,
            deadline=deadline,
        ),
        entities=table.entities(docnum),
        duplicates=duplicates,
    )


def every_hit(view: View, q: Any, request: Request) -> Iterator[Hit]:
    """Every match of a query in rank order, each hit built only when it is asked for.

    One pass ranks every match now (document numbers and scores: a few bytes each, no time
    limit, since a script asked for all of them), so that a bad filter is refused at the
    call; stored fields, snippets and entities are read hit by hit as the caller iterates.
    """
    allow, deny, none = filters(view, request.where, request.exclude, request.every)
    if none:
        return iter(())
    kwargs: dict[str, Any] = {"filter": allow, "mask": deny, "terms": False}
    kwargs.update(_sorting(view, q, request.sort))
    results = view.searcher.search(q, limit=None, **kwargs)
    ranked = [
        (results.docnum(i), 0.0 if "sortedby" in kwargs else float(results.score(i)))
        for i in range(results.scored_length())
    ]
    terms = matcher(view, q, request.where) if request.snippets else TermMatcher()
    table = view.table()
    return (
        make_hit(view, table, terms, docnum, rank, score, request.snippets)
        for rank, (docnum, score) in enumerate(ranked, 1)
    )
