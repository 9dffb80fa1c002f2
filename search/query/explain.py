"""Explain: why a hit scored what it did, term by term and field by field.

BM25F sums one contribution per query term and field; this recomputes each contribution for
one document with the searcher's own weighting, so the parts add up to what ranking used
(up to the coordination bonus of the OR group, reported as the remainder).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import query as wq

from search.index.schema import TEXT_FIELDS
from search.query.ranking import FieldsTerm
from search.results import Explanation, TermScore

__all__ = ["Explanation", "TermScore", "explanation", "term_scores"]


def explanation(
    searcher: Any,
    q: Any,
    docnum: int,
    filtered: tuple[Any, Any] | None,
    shown: tuple[str, ...],
) -> Explanation:
    """The document's score for q within the filter and mask `filtered` (None: a filter
    that matches nothing), taken apart; `shown` describes the filters."""
    stored = searcher.stored_fields(docnum)
    score = 0.0
    if filtered is not None:
        allow, deny = filtered
        results = searcher.search(q, limit=None, filter=allow, mask=deny, terms=False)
        score = next((float(h.score) for h in results if h.docnum == docnum), 0.0)
    terms, missing = term_scores(searcher, q, stored["id"], docnum)
    return Explanation(
        stored["id"],
        stored.get("title", ""),
        score,
        tuple(terms),
        shown,
        tuple(missing),
    )


def term_scores(
    searcher: Any, q: Any, doc_id: str, docnum: int
) -> tuple[list[TermScore], list[str]]:
    """Each matching (field, term) of q in the document, and the text terms it lacks.

    A word sought in title and body is one BM25F unit (`FieldsTerm`): its score is split
    across the fields by their share of its weighted frequency. Any other term is scored by
    running it alone against this one document, so each figure is what ranking adds for it.
    """
    reader = searcher.reader()
    only = wq.Term("id", doc_id)
    parts: list[TermScore] = []
    missing: list[str] = []
    seen: set[tuple[str, str]] = set()
    for node in _units(q):
        if isinstance(node, FieldsTerm):
            text = node.subqueries[0].text
            shares = node.explain(searcher, docnum)
            for field, frequency, share in shares:
                df = int(reader.doc_frequency(field, text))
                parts.append(
                    TermScore(field, text, share, frequency, df, _boost(node, field))
                )
            if not shares:
                missing.append(text)
            continue
        try:
            found = node.existing_terms(reader, expand=True)
        except (AttributeError, NotImplementedError, TypeError):
            continue
        boost = float(getattr(node, "boost", 1.0))
        for field, raw in sorted(found):
            text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            if (field, text) in seen:
                continue
            seen.add((field, text))
            hits = searcher.search(
                wq.Term(field, text, boost=boost), filter=only, limit=1
            )
            if hits.scored_length():
                parts.append(
                    TermScore(
                        field,
                        text,
                        float(hits.score(0) or 0.0),
                        _frequency(reader.postings(field, raw), hits.docnum(0)),
                        int(reader.doc_frequency(field, raw)),
                        boost,
                    )
                )
            elif field in TEXT_FIELDS:
                missing.append(f"{field}:{text}")
    parts.sort(key=lambda t: -t.score)
    return parts, sorted(set(missing))


def _units(q: Any) -> Iterator[Any]:
    """The scoring units of a query: fielded words whole, other leaves one by one."""
    if isinstance(q, FieldsTerm) or q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _units(child)


def _boost(node: Any, field: str) -> float:
    weight = next((float(t.boost) for t in node.subqueries if t.fieldname == field), 1.0)
    return float(node.boost) * weight


def _frequency(matcher: Any, docnum: int) -> float:
    """How often the term occurs in the document (its weight in the postings)."""
    matcher.skip_to(docnum)
    return (
        float(matcher.weight())
        if matcher.is_active() and matcher.id() == docnum
        else 0.0
    )
