"""Common words out of the facets: one-word names the corpus mostly writes as plain words.

In: `CorpusLinks`, each facet's keys, and the index's document frequencies of words in
running text. Out: dropped, with the counts as the reason, the one-word names whose word the
corpus mostly uses as a plain word ("Mobile", "Home"), whatever the model tagged them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from search.index.analysis import index_term
from search.index.entity_names import CorpusLinks

__all__ = ["COMMON_SHARE", "DocFreq", "drop_common"]

COMMON_SHARE = 0.3
"""A one-word name whose word occurs in running text this much more often than in names is a
common word ("Mobile", "Home"): named in fewer than this share of the documents using it."""
COMMON_MIN_DOCS = 5
"""Too few documents to call a word common."""

DocFreq = Callable[[str], int]
"""How many documents' running text holds a word (as the index's analyzer reads it)."""


def drop_common(
    out: CorpusLinks,
    docs: Mapping[str, Mapping[str, Counter[str]]],
    facets: Sequence[str],
    doc_freq: DocFreq,
) -> None:
    """Drop one-word names whose word the corpus mostly uses as a plain word."""
    named: Counter[str] = Counter()  # term → documents naming it (within any name)
    for rows in out.rows.values():
        for values in rows:
            terms = {index_term(w) for v in values for w in v.split()}
            named.update(t for t in terms if t)
    for facet in facets:
        for key in docs[facet]:
            if " " in key:
                continue
            term = index_term(key)
            if not term:
                continue
            used = doc_freq(term)
            if used >= COMMON_MIN_DOCS and named[term] < COMMON_SHARE * used:
                why = (
                    f"a common word: {key!r} is in {used} documents' text, "
                    f"in names in only {named[term]}"
                )
                out.decide(facet, key, None, why)
