"""Tests for the module API as scripts use it: every hit, ids not document numbers, one name
per option, and the analytics as plain data."""

from __future__ import annotations

import inspect
import json
import re
import warnings
from pathlib import Path

import pytest
from conftest import NEWS_IDS

import search
from search.query.searcher import Searcher


def test_hits_gives_every_match_in_rank_order(news_index: Path) -> None:
    with search.open(news_index) as s:
        page = s.search("summit OR talks", limit=100)
        every = list(s.hits("summit OR talks"))
        assert page.total == 7 and [h.id for h in every] == [h.id for h in page.hits]
        assert [h.rank for h in every] == list(range(1, 8))
        assert [h.score for h in every] == [h.score for h in page.hits]
        # no snippets unless asked for: they cost the most
        assert all(h.snippets == () for h in every)
        assert all(h.snippets for h in s.hits("summit", snippets=1))
        assert {h.id for h in s.hits()} == set(NEWS_IDS)


def test_hits_is_lazy_and_honours_sort_and_filters(news_index: Path) -> None:
    with search.open(news_index) as s:
        first = next(s.hits("summit", sort="date"))
        assert (first.id, first.date) == ("wires.jsonl#w3", "2024-09-01")
        dates = [h.date for h in s.hits("summit", sort="date")]
        assert dates == ["2024-09-01", "2024-05-20", "2024-02-10", "2023-11-11"]
        kept = [h.id for h in s.hits("summit", where={"place": "Kyiv"})]
        assert kept == ["wires.jsonl#w2"]
        assert [h.id for h in s.hits("summit", exclude={"place": ["Kyiv", "Ukraine"]})] == [
            "wires.jsonl#w3"]
        assert list(s.hits("summit", where={"place": "Atlantis"})) == []
        # refused at the call, not at the first hit
        with pytest.raises(search.QueryError, match="unknown sort 'title'"):
            s.hits("summit", sort="title")
        with pytest.raises(search.QueryError, match="unknown facet 'colour'"):
            s.hits("summit", where={"colour": "red"})


def test_hits_without_a_searcher(news_index: Path) -> None:
    ids = [h.id for h in search.hits("summit", index=news_index, sort="date")]
    assert ids == ["wires.jsonl#w3", "wires.jsonl#w2", "wires.jsonl#w1", "wires.jsonl#w4"]


def test_matching_gives_ids(news_index: Path) -> None:
    with search.open(news_index) as s:
        assert s.matching("summit", exclude={"place": "Kyiv"}) == {
            "wires.jsonl#w1", "wires.jsonl#w3", "wires.jsonl#w4"}
        assert s.matching("") == NEWS_IDS


def test_no_document_numbers_in_public_signatures() -> None:
    for name, method in inspect.getmembers(Searcher, inspect.isfunction):
        if name.startswith("_"):
            continue
        signature = inspect.signature(method)
        assert "docnum" not in signature.parameters, name
        # no document numbers out either: no collection of ints
        assert not re.search(r"\[int\b|\bint\]", str(signature.return_annotation)), name
    assert "docnum" not in {f.name for f in search.Hit.__dataclass_fields__.values()}


def test_limit_is_the_one_name_for_hits_per_page(news_index: Path) -> None:
    with search.open(news_index) as s:
        res = s.search("summit", limit=3)
        assert (len(res.hits), res.limit, res.to_dict()["limit"]) == (3, 3, 3)
        assert "pagelen" not in res.to_dict()
        with pytest.warns(DeprecationWarning, match="pagelen= is now limit=") as caught:
            old = s.search("summit", pagelen=2)
        assert caught[0].filename == __file__  # the warning names the caller's line
        assert len(old.hits) == 2
        with pytest.warns(DeprecationWarning, match="is now SearchResults.limit"):
            assert old.pagelen == 2
        with pytest.warns(DeprecationWarning):
            assert len(s.more_like("wires.jsonl#w1", pagelen=1).hits) == 1
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            s.search("summit", limit=2)  # the new name warns about nothing


def test_analytics_through_the_package(news_index: Path) -> None:
    with search.open(news_index) as s:
        pairs = search.cooccurrence(s, "org", "Nato", min_count=2)
        assert {(p.facet, p.value, p.count) for p in pairs} == {
            ("place", "Kyiv", 2), ("place", "Ukraine", 2)}
        assert isinstance(pairs[0], search.Cooccurrence)
        assert pairs[0].to_dict()["value"] == pairs[0].value and pairs[0].to_dict()["doc_id"]
        line = search.timeline(s, query="summit", by="year")
        assert isinstance(line, search.Timeline)
        assert [(b["period"], b["count"]) for b in line.to_dict()["buckets"]] == [
            ("2023", 1), ("2024", 3)]
        top = line.to_dict()["buckets"][1]["top"]
        assert top[0] == {"value": "Nato", "count": 3}
        rising = search.significant(s, query="summit OR kyiv", min_count=2)
        assert {r.value for r in rising} >= {"Nato"}
        assert all(isinstance(r, search.Significant) for r in rising)
        why = s.explain("wires.jsonl#w1", "summit london")
        data = why.to_dict()
        assert isinstance(why, search.Explanation) and data["doc_id"] == "wires.jsonl#w1"
        assert data["score"] == pytest.approx(sum(t["score"] for t in data["terms"])
                                              + data["remainder"])
        assert {t["term"] for t in data["terms"]} >= {"summit", "london"}
        like = s.more_like("wires.jsonl#w1", limit=3)
        assert like.hits and "wires.jsonl#w1" not in {h.id for h in like.hits}
        for value in (pairs, line, rising, why, like):
            items = value if isinstance(value, tuple) else (value,)
            json.dumps([item.to_dict() for item in items])
