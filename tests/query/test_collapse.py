"""Tests for search.query.collapse and the searcher's collapse: one hit per story, pages of
stories, story counts, facets and analytics counting stories, the copies API."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import APPLE_COPIES, DictExtractor, write_copies

from search.analytics.timeline import timeline
from search.config import Settings
from search.index.indexer import build
from search.query.collapse import Stories, fold
from search.query.searcher import Searcher

NAMES = {"Apple": "ORG", "Steve Jobs": "PERSON", "Mac": "ORG", "iPod": "ORG"}


@pytest.fixture
def copies_index(tmp_path: Path) -> Path:
    corpus = write_copies(tmp_path / "corpus")
    build([corpus], tmp_path / "index", extractor=DictExtractor(NAMES))
    return tmp_path / "index"


def test_fold_keeps_rank_order_and_lists_copies_best_first() -> None:
    stories = Stories({3: 0, 7: 0, 9: 0, 4: 1, 5: 1}, ((3, 7, 9), (4, 5)))
    groups = fold([7, 1, 3, 4, 2], stories, stories.found({1, 2, 3, 4, 5, 7, 9}))
    assert groups == [(7, [3, 9]), (1, []), (4, [5]), (2, [])]
    assert stories.count({1, 3, 4, 5, 7}, 5) == 3
    assert stories.extras({3, 7, 4}, leaders=[7]) == [3]
    assert stories.copies == 3


def test_a_story_shows_once_with_its_copies(copies_index: Path) -> None:
    with Searcher(copies_index) as s:
        res = s.search("apple ipod mac")
        assert res.collapsed and res.total == 5 and res.stories == 2
        apple = next(h for h in res.hits if h.id in APPLE_COPIES)
        assert {apple.id, *apple.duplicates} == APPLE_COPIES
        ranked = [h.id for h in s.search("apple ipod mac", collapse=False).hits]
        assert list(apple.duplicates) == [i for i in ranked if i in APPLE_COPIES][1:]
        assert "itunes.txt" in {h.id for h in res.hits}  # same topic, another story
        every = s.search("apple ipod mac", collapse=False)
        assert not every.collapsed and len(every.hits) == 5
        assert all(not h.duplicates for h in every.hits)
        assert apple.to_dict()["duplicates"] == list(apple.duplicates)


def test_pages_hold_stories_and_never_repeat_one(copies_index: Path) -> None:
    with Searcher(copies_index) as s:
        res = s.search("", limit=2)
        assert (res.total, res.stories, res.pagecount) == (8, 4, 2)
        seen: list[str] = []
        for page in (1, 2):
            hits = s.search("", limit=2, page=page).hits
            seen += [i for h in hits for i in (h.id, *h.duplicates)]
        assert sorted(seen) == sorted(set(seen)) and len(seen) == 8


def test_facets_and_analytics_count_stories_unless_asked_for_copies(copies_index: Path) -> None:
    with Searcher(copies_index) as s:
        stories = {fc.value: fc.count for fc in s.search("").facets["org"]}
        copies = {fc.value: fc.count for fc in s.search("", collapse=False).facets["org"]}
        assert copies["Apple"] == 5 and stories["Apple"] == 2
        assert len(s.matching("apple")) == 2
        assert timeline(s, query="pension").undated == 1
        s.collapse = False
        assert len(s.matching("apple")) == 5
        assert timeline(s, query="pension").undated == 2


def test_similar_says_what_differs_and_more_like_this_skips_copies(copies_index: Path) -> None:
    with Searcher(copies_index) as s:
        rows = {d.id: d for d in s.copies.similar("apple.txt")}
        assert set(rows) == APPLE_COPIES - {"apple.txt"}
        first = rows["apple-first.txt"]
        assert first.containment == 1.0 and first.resemblance < 0.5 and first.words < 200
        assert rows["apple-update.txt"].title != "Apple unveils low-cost 'Mac mini'"
        assert s.copies.similar("pension.txt")[0].same_text
        assert s.copies.similar("edwards.txt") == ()
        like = {h.id for h in s.more_like("apple.txt", limit=20).hits}
        assert not like & APPLE_COPIES and "itunes.txt" in like
        largest = s.copies.largest()
        assert [c.size for c in largest] == [4, 2]
        assert {m.id for m in largest[0].members} == APPLE_COPIES


def test_an_index_without_cluster_file_collapses_nothing(copies_index: Path) -> None:
    (copies_index / "search-dupes.json").unlink()
    with Searcher(copies_index) as s:
        res = s.search("apple")
        assert res.total == res.stories == len(res.hits)


def test_setting_collapse_off_shows_every_copy(copies_index: Path) -> None:
    with Searcher(copies_index, Settings(collapse=False)) as s:
        assert len(s.search("apple").hits) == 5


def test_an_open_searcher_folds_copies_indexed_after_it_opened(tmp_path: Path) -> None:
    corpus = write_copies(tmp_path / "corpus")
    (corpus / "pension-again.txt").rename(tmp_path / "later.txt")
    build([corpus], tmp_path / "index", extractor=DictExtractor(NAMES))
    with Searcher(tmp_path / "index") as s:
        assert s.search("pension").stories == 1 and not s.search("pension").hits[0].duplicates
        (tmp_path / "later.txt").rename(corpus / "pension-again.txt")
        build([corpus], tmp_path / "index", extractor=DictExtractor(NAMES))
        assert s.refresh()
        res = s.search("pension")
        assert (res.total, res.stories, len(res.hits)) == (2, 1, 1)
        assert len(res.hits[0].duplicates) == 1


def test_the_best_ranked_copy_leads_whatever_the_page_length_or_sort(copies_index: Path) -> None:
    with Searcher(copies_index) as s:
        every = [h.id for h in s.search("apple ipod mac", collapse=False, limit=20).hits]
        best = next(i for i in every if i in APPLE_COPIES)
        for pagelen in (1, 2, 10):
            hits = s.search("apple ipod mac", limit=pagelen).hits
            assert best in [h.id for h in hits]
        first = s.search("apple ipod mac", limit=1)
        assert first.pagecount == 2 and first.hits[0].id == every[0]
        by_date = s.search("apple", sort="date")
        assert len(by_date.hits) == by_date.stories == 2
        assert {i for h in by_date.hits for i in (h.id, *h.duplicates)} >= APPLE_COPIES
