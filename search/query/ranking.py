"""Ranking: how matching documents are scored, and pseudo-relevance feedback.

`weighting()` is the scoring model every searcher uses (BM25 with Robertson-Spärck Jones idf)
and `fielded()` regroups a parsed query so that each word is scored once over title and body
together, BM25F-style, instead of once per field and summed. `expansion_query` widens a query
with the words that best characterise its top hits (RM3). The defaults were chosen on two test
collections (`search eval`; see README, "Ranking quality").
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from whoosh import matching, scoring
from whoosh import query as wq

from search.index.analysis import index_term, iter_words
from search.index.schema import TEXT_FIELDS, TITLE_BOOST

K1 = 1.2
"""BM25 term-frequency saturation: how much a second, third... occurrence still adds."""

B = 0.6
"""BM25 length normalisation: 0 ignores a field's length, 1 divides by it fully. 0.6 did a
little better than the usual 0.75 on both test collections (README, 'Ranking quality')."""

FEEDBACK_DOCS = 10
"""Top hits read for pseudo-relevance feedback (RM3's fbDocs)."""

FEEDBACK_TERMS = 20
"""Expansion words added (RM3's fbTerms)."""

ORIGINAL_WEIGHT = 0.7
"""Share of the expanded query's weight kept by the user's own words (RM3's lambda). These
three did best of fbDocs 5/10, fbTerms 10/20, lambda 0.5/0.7 over both test collections."""


class BM25(scoring.BM25F):  # type: ignore[misc]
    """Whoosh's BM25F with the idf of Robertson and Spärck Jones, as Lucene computes it.

    idf = ln(1 + (N - n + 0.5) / (n + 0.5)) for a term in n of N documents (Robertson & Zaragoza,
    "The Probabilistic Relevance Framework: BM25 and Beyond", 2009, eq. 3.3, plus 1 inside the
    log so that it is never negative). Whoosh's own, ln(N / (n + 1)) + 1, flattens the
    difference between rare and common words, so common words weigh too much.
    """

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return rsj_idf(parent.doc_frequency(fieldname, text), parent.doc_count_all())


def weighting(k1: float = K1, b: float = B) -> Any:
    """The scoring model searchers use."""
    return BM25(B=b, K1=k1)


def rsj_idf(n: int, total: int) -> float:
    """Robertson-Spärck Jones idf of a word in n of total documents, kept positive."""
    return math.log(1 + (total - n + 0.5) / (n + 0.5))


def field_frequency(
    tf: float, weight: float, length: float, avg: float, b: float
) -> float:
    """One field's share of BM25F's pseudo-frequency: its weighted, length-normalised tf."""
    return weight * tf / (1 - b + b * length / avg)


def bm25f(idf: float, frequency: float, k1: float) -> float:
    """BM25F: the fields' summed pseudo-frequency saturated once (Robertson, Zaragoza &
    Taylor, "Simple BM25 extension to multiple weighted fields", CIKM 2004)."""
    return idf * frequency * (k1 + 1) / (frequency + k1) if frequency > 0 else 0.0


@dataclass(frozen=True, slots=True)
class _Field:
    """What scoring one field of a `FieldsTerm` needs."""

    name: str
    weight: float
    b: float
    avg: float
    matcher: Any


class FieldsTerm(wq.CompoundQuery):  # type: ignore[misc]
    """One word sought in several text fields (`Term`s whose boosts are field weights) and
    scored once by `bm25f`: each field's frequency is length-normalised and weighted, and
    the sum is saturated once. So a word in both title and body is not counted twice over,
    while a word in the title alone still outweighs the same word in the body alone.

    Not an `Or`, so that Whoosh's normalisation does not merge it into the query around it.
    """

    JOINT = " | "
    intersect_merge = False

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        model = context.weighting if context is not None else searcher.weighting
        if not isinstance(model, scoring.BM25F):  # another model: score fields apart
            return wq.Or(self.subqueries, boost=self.boost).matcher(searcher, context)
        fields = self._fields(searcher, model, context)
        active = [f.matcher for f in fields if f.matcher.is_active()]
        if not active:
            return matching.NullMatcher()
        union = active[0]
        for m in active[1:]:
            union = matching.UnionMatcher(union, m)
        idf = self._idf(searcher) * self.boost
        return _BM25FMatcher(union, fields, searcher.reader(), idf, model.K1)

    def explain(self, searcher: Any, docnum: int) -> list[tuple[str, float, float]]:
        """(field, frequency, share of the score) for each field of this word in one
        document; the shares add up to what the document scores for the word."""
        model = searcher.weighting
        reader = searcher.reader()
        parts = []
        for f in self._fields(searcher, model, None):
            f.matcher.skip_to(docnum)
            if f.matcher.is_active() and f.matcher.id() == docnum:
                tf = f.matcher.weight()
                length = reader.doc_field_length(docnum, f.name, 1)
                parts.append(
                    (f.name, tf, field_frequency(tf, f.weight, length, f.avg, f.b))
                )
        total = sum(share for _, _, share in parts)
        score = bm25f(self._idf(searcher) * self.boost, total, model.K1)
        return [(name, tf, score * share / total) for name, tf, share in parts]

    def _idf(self, searcher: Any) -> float:
        # the documents holding the word in any field: at least those of its commonest field
        parent = searcher.get_parent()
        text = self.subqueries[0].text
        df = max(parent.doc_frequency(q.fieldname, text) for q in self.subqueries)
        return rsj_idf(df, parent.doc_count_all())

    def _fields(self, searcher: Any, model: Any, context: Any) -> list[_Field]:
        parent = searcher.get_parent()
        return [
            _Field(
                q.fieldname,
                q.boost,
                model._field_B.get(q.fieldname, model.B),
                parent.avg_field_length(q.fieldname) or 1,
                # unboosted, so that weight() is the term's frequency
                wq.Term(q.fieldname, q.text).matcher(searcher, context),
            )
            for q in self.subqueries
        ]


class _BM25FMatcher(matching.WrappingMatcher):  # type: ignore[misc]
    """Walks the union of a word's field postings; scores each document by `bm25f`."""

    def __init__(
        self, child: Any, fields: list[_Field], reader: Any, idf: float, k1: float
    ) -> None:
        super().__init__(child)
        self._fields, self._reader, self._idf, self._k1 = fields, reader, idf, k1

    def _replacement(self, newchild: Any) -> Any:
        return _BM25FMatcher(newchild, self._fields, self._reader, self._idf, self._k1)

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self._idf * (self._k1 + 1)

    def score(self) -> float:
        docnum = self.child.id()
        frequency = 0.0
        for f in self._fields:
            m = f.matcher
            if m.is_active() and m.id() == docnum:
                length = self._reader.doc_field_length(docnum, f.name, 1)
                frequency += field_frequency(m.weight(), f.weight, length, f.avg, f.b)
        return bm25f(self._idf, frequency, self._k1)


def fielded(q: Any) -> Any:
    """q with each OR of one word's title and body terms turned into a `FieldsTerm`."""
    if isinstance(q, wq.Or):
        subs = [fielded(s) for s in q.subqueries]
        words: dict[str, list[Any]] = {}
        rest = []
        for s in subs:
            if isinstance(s, wq.Term) and s.fieldname in TEXT_FIELDS:
                words.setdefault(s.text, []).append(s)
            else:
                rest.append(s)
        grouped = [_word_unit(terms) for terms in words.values()]
        return wq.Or(grouped + rest, boost=q.boost, minmatch=q.minmatch, scale=q.scale)
    if isinstance(q, FieldsTerm) or q.is_leaf():
        return q
    return q.apply(fielded)


def _word_unit(terms: list[Any]) -> Any:
    """One word's field terms as a `FieldsTerm`; a user's boost (word^3) scales the whole
    word, while the field weights stay what they are (the parser multiplies them together)."""
    first = terms[0]
    factor = first.boost / (TITLE_BOOST if first.fieldname == "title" else 1.0)
    if factor != 1.0:
        terms = [wq.Term(t.fieldname, t.text, boost=t.boost / factor) for t in terms]
    return FieldsTerm(terms, boost=factor)


def like_query(searcher: Any, docnum: int, terms: int = 15) -> Any:
    """A document's most distinctive words as a query: more like this one."""
    stored = searcher.stored_fields(docnum)
    text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
    key_terms = searcher.key_terms_from_text("body", text, numterms=terms)
    return wq.Or(
        [wq.Term("body", term, boost=max(weight, 0.01)) for term, weight in key_terms]
    )


def expansion_query(
    searcher: Any,
    q: Any,
    docs: int = FEEDBACK_DOCS,
    terms: int = FEEDBACK_TERMS,
    original: float = ORIGINAL_WEIGHT,
    *,
    allow: Any = None,
    deny: Any = None,
) -> Any:
    """q widened by RM3 (Lavrenko & Croft, 2001; Abdul-Jaleel et al., UMass at TREC 2004).

    The feedback model weighs each word by its share of each top document's words times that
    document's share of the top scores; its best `terms` words join the query with weight
    1 - `original` against `original` for the query itself. A purely textual query (an OR of
    words) may then match documents with expansion words only; any other keeps its matches.
    The top documents are those the user's filters let through (`allow`, `deny`: Whoosh
    filter and mask queries).
    """
    top = searcher.search(q, limit=docs, filter=allow, mask=deny, terms=False)
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
