"""Tests for search.query.overlay and the Searcher's entity corrections: merge, drop, forget.

The overlay is applied when the facet table is built, so facet counts, filters, hits'
entities and completion values all change at once, without re-indexing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DictExtractor, fake_settings

from search.errors import QueryError, SearchError
from search.index.indexer import build
from search.query.overlay import (
    ANY_FACET,
    OVERLAY_FILE,
    Overlay,
    load_overlay,
    save_overlay,
)
from search.query.searcher import Searcher
from search.results import FacetCount

NAMES = {"Bombay": "GPE", "Mumbai": "GPE", "Spain": "GPE", "Burma": "GPE",
         "PARIS HILTON": "FAC", "Paris Hilton": "PERSON", "Acme": "ORG"}
RECORDS = [
    {"id": "h1", "title": "Match", "text": "Bombay beat Spain."},
    {"id": "h2", "title": "Weather", "text": "Rain in Bombay."},
    {"id": "h3", "title": "Vote", "text": "Mumbai voted."},
    {"id": "h4", "title": "Trade", "text": "Mumbai and Spain trade."},
    {"id": "h5", "title": "Asia", "text": "Burma news from Acme."},
    {"id": "h6", "title": "Names", "text": "Bombay, or Mumbai, won."},
    {"id": "j1", "title": "Visit", "text": "Paris Hilton arrived."},
    {"id": "j2", "title": "Hotel", "text": "News from the PARIS HILTON today."},
]


def ids(n: int) -> str:
    return f"news.jsonl#{RECORDS[n]['id']}"


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS),
                                       encoding="utf-8")
    build([corpus], tmp_path / "index", settings=fake_settings(), extractor=DictExtractor(NAMES))
    return tmp_path / "index"


@pytest.fixture
def searcher(index_dir: Path) -> Iterator[Searcher]:
    with Searcher(index_dir) as s:
        yield s


def places(s: Searcher) -> dict[str, int]:
    return {c.value: c.count for c in s.facet_counts("place", limit=None)["place"]}


def found(s: Searcher, **where: str | list[str]) -> set[str]:
    return {h.id for h in s.search(where=where, limit=50).hits}


BEFORE = {"Bombay": 3, "Mumbai": 3, "Spain": 2, "Burma": 1, "PARIS HILTON": 1}


def test_merge_folds_one_value_into_another_in_counts_and_filters(searcher: Searcher) -> None:
    assert places(searcher) == BEFORE
    assert found(searcher, place=["Mumbai"]) == {ids(2), ids(3), ids(5)}
    searcher.merge_entities("Bombay", "Mumbai")
    # h6 names both: it counts once
    assert places(searcher) == {"Mumbai": 5, "Spain": 2, "Burma": 1, "PARIS HILTON": 1}
    assert found(searcher, place=["Mumbai"]) == {ids(n) for n in (0, 1, 2, 3, 5)}
    assert found(searcher, place="bombay") == found(searcher, place=["Mumbai"])
    res = searcher.search("spain")
    assert res.facets["place"] == (FacetCount("Mumbai", 2), FacetCount("Spain", 2))
    assert {h.id: h.entities["place"] for h in res.hits}[ids(0)] == ("Mumbai", "Spain")
    assert searcher.document(ids(5)).entities["place"] == ("Mumbai",)
    assert [c.value for c in searcher.entity_values("place", "mum")] == ["Mumbai"]
    assert searcher.entity_values("place", "bom") == []


def test_merge_into_a_value_the_index_does_not_have(searcher: Searcher) -> None:
    searcher.merge_entities("Burma", "Myanmar")
    assert places(searcher)["Myanmar"] == 1 and "Burma" not in places(searcher)
    assert found(searcher, place="Myanmar") == {ids(4)}
    assert searcher.document(ids(4)).entities["place"] == ("Myanmar",)


def test_the_users_spelling_of_the_target_wins(searcher: Searcher) -> None:
    searcher.merge_entities("Bombay", "MUMBAI")
    assert places(searcher) == {"MUMBAI": 5, "Spain": 2, "Burma": 1, "PARIS HILTON": 1}


def test_merges_chain(searcher: Searcher) -> None:
    searcher.merge_entities("Bombay", "Mumbai")
    searcher.merge_entities("Mumbai", "Greater Mumbai")
    assert places(searcher)["Greater Mumbai"] == 5
    assert found(searcher, place="Bombay") == {ids(n) for n in (0, 1, 2, 3, 5)}


def test_drop_hides_a_value_from_facets(searcher: Searcher) -> None:
    searcher.drop_entity("burma")
    assert places(searcher) == {k: v for k, v in BEFORE.items() if k != "Burma"}
    assert searcher.search("news").facets["place"] == (FacetCount("PARIS HILTON", 1),)
    assert searcher.document(ids(4)).entities == {"person": (), "place": (), "org": ("Acme",)}
    assert searcher.entity_values("place", "bur") == []


def test_a_facet_named_limits_the_correction_to_it(searcher: Searcher) -> None:
    # "Paris Hilton" the person and the "PARIS HILTON" hotel share a key but not a facet
    searcher.drop_entity("Paris Hilton", facet="person")
    assert searcher.facet_counts("person")["person"] == ()
    assert places(searcher)["PARIS HILTON"] == 1
    searcher.forget_entity("Paris Hilton")
    searcher.drop_entity("Paris Hilton")  # every facet
    assert searcher.facet_counts("person")["person"] == ()
    assert "PARIS HILTON" not in places(searcher)
    with pytest.raises(QueryError, match="unknown facet 'colour'") as exc:
        searcher.merge_entities("Bombay", "Mumbai", facet="colour")
    assert "person, place, org" in exc.value.hint
    assert searcher.entity_overlay() == [("drop", ANY_FACET, "paris hilton", "")]


def test_forget_undoes_every_correction_of_a_value(searcher: Searcher) -> None:
    searcher.merge_entities("Bombay", "Mumbai")
    searcher.drop_entity("Burma")
    assert searcher.forget_entity("BOMBAY") is True
    assert searcher.forget_entity("Bombay") is False
    assert places(searcher) == {k: v for k, v in BEFORE.items() if k != "Burma"}
    assert searcher.forget_entity("Burma") is True
    assert places(searcher) == BEFORE
    assert searcher.entity_overlay() == []


def test_a_merge_of_two_spellings_of_one_value_is_refused(searcher: Searcher) -> None:
    with pytest.raises(SearchError, match="already one value") as exc:
        searcher.merge_entities("Bombay", "BOMBAY")
    assert "case or accents" in exc.value.hint
    assert not (searcher.index_dir / OVERLAY_FILE).exists()


def test_corrections_persist_beside_the_index(index_dir: Path) -> None:
    with Searcher(index_dir) as s:
        s.merge_entities("Bombay", "Mumbai", facet="place")
        s.drop_entity("Burma")
    assert (index_dir / OVERLAY_FILE).is_file()
    with Searcher(index_dir) as s:
        assert s.entity_overlay() == [("merge", "place", "bombay", "Mumbai"),
                                      ("drop", ANY_FACET, "burma", "")]
        assert places(s) == {"Mumbai": 5, "Spain": 2, "PARIS HILTON": 1}
        assert s.forget_entity("Bombay") is True
    with Searcher(index_dir) as s:
        assert places(s) == {k: v for k, v in BEFORE.items() if k != "Burma"}
    # re-indexing keeps the corrections
    build([index_dir.parent / "corpus"], index_dir, settings=fake_settings(),
          extractor=DictExtractor(NAMES), rebuild=True)
    with Searcher(index_dir) as s:
        assert "Burma" not in places(s)


@pytest.mark.parametrize("content", ["{oops", '{"merges": "Bombay"}', "[]",
                                     '{"drops": {"*": 3}}'])
def test_a_damaged_overlay_file_is_an_error_with_a_hint(index_dir: Path, content: str) -> None:
    path = index_dir / OVERLAY_FILE
    path.write_text(content, encoding="utf-8")
    with Searcher(index_dir) as s:
        with pytest.raises(SearchError, match="cannot read the entity overlay") as exc:
            s.search("spain")
        assert exc.value.hint == f"fix or delete {path} (it only holds :merge and :drop corrections)"
        with pytest.raises(SearchError, match="cannot read the entity overlay"):
            s.merge_entities("Bombay", "Mumbai")
    assert path.read_text(encoding="utf-8") == content  # never overwritten


def test_overlay_round_trips_through_json(tmp_path: Path) -> None:
    overlay = Overlay()
    overlay.merge("U.S.", "United States")
    overlay.merge("Bombay", "Mumbai", "place")
    overlay.drop("He", "person")
    overlay.drop("It")
    save_overlay(tmp_path, overlay)
    again = load_overlay(tmp_path)
    assert again == overlay
    assert again.merges_for("place") == {"u.s.": "United States", "bombay": "Mumbai"}
    assert again.merges_for("org") == {"u.s.": "United States"}
    assert again.drops_for("person") == {"he", "it"}
    assert again.drops_for("place") == {"it"}
    assert load_overlay(tmp_path / "elsewhere") == Overlay()
