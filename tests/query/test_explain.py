"""Tests for search.query.explain and Searcher.explain: a hit's score taken apart by field and term.

Each contribution is checked against the public API (the same field:term searched alone), the
total against the score `Searcher.search` gave the hit, and the parts against the total where
no coordination bonus comes between them (an AND query).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DictExtractor, fake_settings

from search.errors import QueryError
from search.index.indexer import build
from search.index.schema import TITLE_BOOST
from search.query.explain import Explanation
from search.query.searcher import Searcher

RECORDS = [
    {"id": "x1", "title": "Summit talks",
     "text": "The summit talks went on. Leaders talked about trade at the summit."},
    {"id": "x2", "title": "Trade news", "text": "Trade ministers met at the summit."},
    {"id": "x3", "title": "Rain", "text": "Rain fell on Rome all week."},
    {"id": "x4", "title": "Markets", "text": "Shares in Rome fell as trade slowed."},
]


@pytest.fixture
def searcher(tmp_path: Path) -> Iterator[Searcher]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS),
                                       encoding="utf-8")
    build([corpus], tmp_path / "index", settings=fake_settings(batch_size=2),
          extractor=DictExtractor({"Rome": "GPE"}))
    with Searcher(tmp_path / "index") as s:
        yield s


def alone(searcher: Searcher, field: str, term: str, boost: float, doc_id: str) -> float:
    """The score a document gets for one field:term searched on its own."""
    hits = {h.id: h.score for h in searcher.search(f"{field}:{term}^{boost}", limit=50).hits}
    return hits[doc_id]


def parts(e: Explanation) -> set[tuple[str, str]]:
    return {(t.field, t.term) for t in e.terms}


def word_alone(searcher: Searcher, word: str, doc_id: str) -> float:
    """The score a document gets for one word searched on its own (title and body)."""
    return {h.id: h.score for h in searcher.search(word, limit=50).hits}[doc_id]


def test_each_words_field_shares_add_up_to_what_the_word_scores_alone(
    searcher: Searcher,
) -> None:
    # BM25F scores a word once over title and body; explain splits that score by field
    for hit in searcher.search("summit trade").hits:
        e = searcher.explain(hit.id, "summit trade")
        assert e.terms
        for word in {t.term for t in e.terms}:
            shares = [t for t in e.terms if t.term == word]
            assert sum(t.score for t in shares) == pytest.approx(
                word_alone(searcher, word, hit.id)
            )
            for t in shares:
                assert t.boost == (TITLE_BOOST if t.field == "title" else 1.0)


def test_the_total_is_the_hits_score(searcher: Searcher) -> None:
    hits = searcher.search("summit trade").hits
    assert [h.id for h in hits] == ["news.jsonl#x1", "news.jsonl#x2", "news.jsonl#x4"]
    for hit in hits:
        e = searcher.explain(hit.id, "summit trade")
        assert e.score == pytest.approx(hit.score)
        assert e.remainder == pytest.approx(e.score - sum(t.score for t in e.terms))


def test_without_a_coordination_bonus_the_parts_add_up_to_the_score(searcher: Searcher) -> None:
    # AND sums its parts as they are: nothing is left for the remainder to hold
    for hit in searcher.search("summit AND trade").hits:
        e = searcher.explain(hit.id, "summit AND trade")
        assert e.score == pytest.approx(hit.score)
        assert sum(t.score for t in e.terms) == pytest.approx(e.score)
        assert e.remainder == pytest.approx(0.0, abs=1e-9)


def test_a_lone_word_has_nothing_left_over(searcher: Searcher) -> None:
    # "rome" is in no title: one field, one word, no coordination at all
    for hit in searcher.search("rome").hits:
        e = searcher.explain(hit.id, "rome")
        assert parts(e) == {("body", "rome")}
        assert e.score == pytest.approx(hit.score) == pytest.approx(e.terms[0].score)
        assert e.remainder == pytest.approx(0.0)


def test_parts_are_per_field_with_frequencies_and_largest_first(searcher: Searcher) -> None:
    e = searcher.explain("news.jsonl#x1", "summit trade")
    assert (e.doc_id, e.title) == ("news.jsonl#x1", "Summit talks")
    assert parts(e) == {("body", "summit"), ("title", "summit"), ("body", "trade")}
    by_part = {(t.field, t.term): t for t in e.terms}
    assert by_part["body", "summit"].frequency == 2.0  # twice in x1's body
    assert by_part["body", "summit"].doc_frequency == 2  # x1 and x2
    assert by_part["body", "trade"].frequency == 1.0
    assert by_part["body", "trade"].doc_frequency == 3  # x1, x2, x4
    assert by_part["title", "summit"].doc_frequency == 1
    assert [t.score for t in e.terms] == sorted((t.score for t in e.terms), reverse=True)


def test_query_boosts_are_carried_into_the_parts(searcher: Searcher) -> None:
    plain = searcher.explain("news.jsonl#x4", "trade")
    boosted = searcher.explain("news.jsonl#x4", "trade^3 summit")
    by_part = {(t.field, t.term): t for t in boosted.terms}
    assert by_part["body", "trade"].boost == 3.0
    # a boost multiplies the word's idf, so its whole score
    assert by_part["body", "trade"].score == pytest.approx(3 * plain.terms[0].score)


def test_words_the_document_lacks_are_listed_as_missing(searcher: Searcher) -> None:
    assert searcher.explain("news.jsonl#x1", "summit trade").missing == ()
    none = searcher.explain("news.jsonl#x3", "summit trade")
    assert (none.score, none.terms) == (0.0, ())
    assert none.missing == ("summit", "trade")
    e = searcher.explain("news.jsonl#x1", "summit zebra")
    assert e.missing == ("zebra",)
    assert parts(e) == {("body", "summit"), ("title", "summit")}


def test_patterns_and_phrases_are_explained_by_the_words_they_match(searcher: Searcher) -> None:
    prefix = searcher.explain("news.jsonl#x2", "summ*")
    assert parts(prefix) == {("body", "summit")}
    assert prefix.missing == ("title:summit",)
    phrase = searcher.explain("news.jsonl#x1", '"summit talks"')
    hit = searcher.search('"summit talks"').hits[0]
    assert hit.id == "news.jsonl#x1"
    assert phrase.score == pytest.approx(hit.score)
    assert {("body", "summit"), ("body", "talk")} <= parts(phrase)


def test_filters_are_listed_and_a_filtered_out_document_scores_nothing(searcher: Searcher) -> None:
    e = searcher.explain("news.jsonl#x4", "trade", where={"place": "Rome"},
                         exclude={"place": ["Paris", "Oslo"]})
    assert e.filters == ('+place:"Rome"', '-place:"Paris"', '-place:"Oslo"')
    assert e.score == pytest.approx(searcher.search("trade", where={"place": "Rome"}).hits[0].score)
    outside = searcher.explain("news.jsonl#x1", "trade", where={"place": "Rome"})
    assert outside.score == 0.0
    assert parts(outside) == {("body", "trade")}  # still shows what the words would give
    excluded = searcher.explain("news.jsonl#x4", "trade", exclude={"place": "Rome"})
    assert excluded.filters == ('-place:"Rome"',)
    assert excluded.score == 0.0  # not a hit of that search
    assert parts(excluded) == {("body", "trade")}


def test_an_unknown_document_or_a_bad_query_is_a_query_error(searcher: Searcher) -> None:
    with pytest.raises(QueryError, match="no document with id 'nope'") as exc:
        searcher.explain("nope", "summit")
    assert "--json" in exc.value.hint
    with pytest.raises(QueryError, match="unknown field 'colour'"):
        searcher.explain("news.jsonl#x1", "colour:red")
