"""Tests for search.query.ranking: BM25F over title and body, its idf, and RM3 feedback."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import query as wq

from search.config import Settings
from search.index.indexer import build
from search.index.schema import TEXT_FIELDS, TITLE_BOOST
from search.query.ranking import K1, FieldsTerm, fielded, rsj_idf
from search.query.searcher import Searcher

# Every title is two words and every body three (after stopwords), so that each document's
# fields have exactly the average length and BM25's length normalisation is 1.
RECORDS = [
    {"id": "both", "title": "Volcano report", "text": "Ash from the volcano fell."},
    {"id": "title", "title": "Volcano news", "text": "Ash fell overnight."},
    {"id": "body", "title": "Weather report", "text": "The volcano rumbled loudly."},
    {"id": "none", "title": "Market report", "text": "Shares fell sharply."},
]


@pytest.fixture
def searcher(tmp_path: Path) -> Iterator[Searcher]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [json.dumps(r) for r in RECORDS]
    (corpus / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build([corpus], tmp_path / "index", settings=Settings(entities=False))
    with Searcher(tmp_path / "index") as s:
        yield s


def scores(searcher: Searcher, query: str) -> dict[str, float]:
    hits = searcher.search(query, plain=True, limit=10).hits
    return {h.id.removeprefix("news.jsonl#"): h.score for h in hits}


def test_rsj_idf_is_lucenes_and_never_negative() -> None:
    assert rsj_idf(1, 4) == pytest.approx(math.log(1 + 3.5 / 1.5))
    assert rsj_idf(4, 4) == pytest.approx(math.log(1 + 0.5 / 4.5))
    assert rsj_idf(4, 4) > 0


def test_a_word_is_scored_once_over_both_fields(searcher: Searcher) -> None:
    # "volcano": title of 2 documents, body of 2, in 3 documents; df is taken as the larger
    idf = rsj_idf(2, 4)

    def bm25f(tf: float) -> float:
        return idf * tf * (K1 + 1) / (tf + K1)

    got = scores(searcher, "volcano")
    assert got["both"] == pytest.approx(bm25f(TITLE_BOOST * 1 + 1))
    assert got["title"] == pytest.approx(bm25f(TITLE_BOOST * 1))
    assert got["body"] == pytest.approx(bm25f(1))
    assert "none" not in got
    # saturated once: less than the title and body scores added up
    assert got["both"] < got["title"] + got["body"]
    assert list(got) == ["both", "title", "body"]


def test_explain_splits_a_words_score_by_field(searcher: Searcher) -> None:
    word = searcher.parse("volcano", plain=True).subqueries[0]
    parts = word.explain(searcher._searcher, searcher._docnum("news.jsonl#both"))
    score = scores(searcher, "volcano")["both"]
    # title: weight 2 x tf 1, body: 1 x 1, each of average length; shares 2/3 and 1/3
    assert [(f, tf) for f, tf, _ in parts] == [("title", 1.0), ("body", 1.0)]
    assert [share for _, _, share in parts] == pytest.approx([score * 2 / 3, score / 3])


def test_fielded_groups_each_words_fields_and_keeps_the_rest(
    searcher: Searcher,
) -> None:
    q = searcher.parse('ash "fell overnight" NOT market', plain=False)
    groups = [leaf for leaf in _walk(q) if isinstance(leaf, FieldsTerm)]
    assert sorted(g.subqueries[0].text for g in groups) == ["ash", "market"]
    for g in groups:
        assert {t.fieldname for t in g.subqueries} == set(TEXT_FIELDS)
    assert any(isinstance(node, wq.Phrase) for node in _walk(q))
    assert any(isinstance(node, wq.Not) for node in _walk(q))
    # idempotent, and a lone term is left alone
    assert fielded(q) == q
    assert fielded(wq.Term("body", "ash")) == wq.Term("body", "ash")


def test_the_or_groups_bonus_survives_regrouping() -> None:
    q = wq.Or(
        [wq.Term("title", "a"), wq.Term("body", "a"), wq.Term("body", "b")], scale=0.9
    )
    regrouped = fielded(q)
    assert isinstance(regrouped, wq.Or) and regrouped.scale == 0.9
    assert [len(s.subqueries) for s in regrouped.subqueries] == [2, 1]


def test_feedback_keeps_required_clauses(searcher: Searcher) -> None:
    hits = searcher.search("volcano AND news", expand=True).hits
    # expansion words (ash, fell...) may reorder, never add documents an AND excludes
    assert [h.id.removeprefix("news.jsonl#") for h in hits] == ["title"]


def _walk(q: wq.Query) -> list[wq.Query]:
    out = [q]
    for child in q.children():
        out.extend(_walk(child))
    return out
