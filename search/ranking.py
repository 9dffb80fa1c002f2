"""Ranking: how matching documents are scored, and pseudo-relevance feedback.

`weighting()` is the scoring model every searcher uses: BM25 per field (title and body, each
with its own length statistics), summed with the title's query-time boost. `expansion_query`
widens a query with the words that best characterise its top hits (RM3). The defaults were
chosen on two test collections (`search eval`; see README, "Ranking quality").
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from whoosh import query as wq
from whoosh import scoring

from search.analysis import index_term, iter_words
from search.schema import TEXT_FIELDS, TITLE_BOOST

K1 = 1.2
"""BM25 term-frequency saturation: how much a second, third... occurrence still adds."""

B = 0.75
"""BM25 length normalisation: 0 ignores a field's length, 1 divides by it fully."""

FEEDBACK_DOCS = 10
"""Top hits read for pseudo-relevance feedback (RM3's fbDocs; Anserini's default)."""

FEEDBACK_TERMS = 10
"""Expansion words added (RM3's fbTerms; Anserini's default)."""

ORIGINAL_WEIGHT = 0.5
"""Share of the expanded query's weight kept by the user's own words (RM3's lambda)."""


class BM25(scoring.BM25F):  # type: ignore[misc]
    """Whoosh's BM25F with the idf of Robertson and Spärck Jones, as Lucene computes it.

    idf = ln(1 + (N - n + 0.5) / (n + 0.5)) for a term in n of N documents (Robertson & Zaragoza,
    "The Probabilistic Relevance Framework: BM25 and Beyond", 2009, eq. 3.3, plus 1 inside the
    log so that it is never negative). Whoosh's own, ln(N / (n + 1)) + 1, flattens the
    difference between rare and common words, so common words weigh too much.
    """

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return math.log(1 + (total - n + 0.5) / (n + 0.5))


def weighting(k1: float = K1, b: float = B) -> Any:
    """The scoring model searchers use."""
    return BM25(B=b, K1=k1)


def expansion_query(
    searcher: Any,
    q: Any,
    docs: int = FEEDBACK_DOCS,
    terms: int = FEEDBACK_TERMS,
    original: float = ORIGINAL_WEIGHT,
) -> Any:
    """q widened by RM3 (Lavrenko & Croft, 2001; Abdul-Jaleel et al., UMass at TREC 2004).

    The feedback model weighs each word by its share of each top document's words times that
    document's share of the top scores; its best `terms` words join the query with weight
    1 - `original` against `original` for the query itself. A purely textual query (an OR of
    words) may then match documents with expansion words only; any other keeps its matches.
    """
    top = searcher.search(q, limit=docs, terms=False)
    total = sum(hit.score for hit in top)
    if not top or total <= 0:
        return q
    model: Counter[str] = Counter()
    for hit in top:
        stored = hit.fields()
        words = [
            term
            for field in TEXT_FIELDS
            for _, _, word in iter_words(stored.get(field) or "")
            if (term := index_term(word)) is not None
        ]
        share = hit.score / total
        for term, count in Counter(words).items():
            model[term] += share * count / len(words)
    best = model.most_common(terms)
    mass = sum(weight for _, weight in best)
    own = {
        text
        for field, text in q.iter_all_terms()
        if field in TEXT_FIELDS and isinstance(text, str)
    }
    if not best or mass <= 0:
        return q
    # the expansion carries (1 - original) / original times the weight of the user's words
    scale = max(len(own), 1) * (1 - original) / original / mass
    added = wq.Or(
        [
            wq.Or(
                [
                    wq.Term("title", term, boost=weight * scale * TITLE_BOOST),
                    wq.Term("body", term, boost=weight * scale),
                ]
            )
            for term, weight in best
        ]
    )
    if isinstance(q, wq.Or):
        return wq.Or([q, added])
    return wq.AndMaybe(q, added)
