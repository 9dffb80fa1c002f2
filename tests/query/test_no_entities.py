"""Tests for search.query.no_entities: entity clauses and filters on an index without
entities are refused with a hint, not answered with 0 hits in silence."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DictExtractor, fake_settings, index_text

from search.errors import QueryError
from search.index.indexer import build
from search.query.searcher import Searcher


@pytest.fixture
def bare_index(tmp_path: Path, news_dir: Path) -> Path:
    index_text(news_dir, tmp_path / "bare")
    return tmp_path / "bare"


@pytest.mark.parametrize(
    ("query", "options", "named"),
    [
        ("person:putin", {}, "the query 'person:putin'"),
        ("talks person:putin", {}, "the query 'talks person:putin'"),
        ("talks NOT place:kyiv", {}, "the query 'talks NOT place:kyiv'"),
        ("talks", {"where": {"person": "Vladimir Putin"}}, "the filter person=Vladimir Putin"),
        ("talks", {"exclude": {"org": ["Nato", "EU"]}}, "the filter org=Nato, EU"),
    ],
)
def test_an_entity_clause_on_an_index_built_without_entities_says_so(
    bare_index: Path, query: str, options: dict[str, object], named: str
) -> None:
    with Searcher(bare_index) as s:
        assert s.search("putin").total > 0  # the words are there, only the facets are not
        with pytest.raises(QueryError) as info:
            s.search(query, **options)  # type: ignore[arg-type]
        with pytest.raises(QueryError):
            s.matching(query, **options)  # type: ignore[arg-type]
    error = info.value
    assert error.message.startswith(f"{named} cannot match: this index has no entities")
    assert "built without entities (--no-entities)" in error.message
    assert "search index --rebuild" in error.hint


def test_an_empty_filter_is_no_filter_there_as_anywhere(bare_index: Path) -> None:
    with Searcher(bare_index) as s:
        assert s.search("talks", where={"person": [""], "org": []}).total == s.search("talks").total


def test_the_hint_offers_the_name_as_words(bare_index: Path) -> None:
    with Searcher(bare_index) as s, pytest.raises(QueryError) as info:
        s.search('person:"vladimir putin"')
    assert info.value.hint.endswith("to filter by person, or search the name as words: vladimir putin")


def test_an_index_whose_documents_yielded_no_entity_says_so_too(
    tmp_path: Path, news_dir: Path
) -> None:
    build([news_dir], tmp_path / "ix", settings=fake_settings(), extractor=DictExtractor({"Zzyzx Qwerty": "PERSON"}))
    with Searcher(tmp_path / "ix") as s, pytest.raises(QueryError) as info:
        s.search("", where={"place": "Kyiv"})
    assert "no entities were found in its documents" in info.value.message


def test_an_index_with_entities_answers_entity_clauses_as_before(news_index: Path) -> None:
    with Searcher(news_index) as s:
        assert s.search("person:putin").total > 0
        assert s.search("person:nobodyatall").total == 0  # a value it lacks: no error
        assert s.search("", where={"person": "Nobody At All"}).total == 0
