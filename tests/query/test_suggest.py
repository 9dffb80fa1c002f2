"""Tests for search.query.suggest: did-you-mean for entity clauses, from the facet values."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DictExtractor, fake_settings

from search.index.indexer import build
from search.query.searcher import Searcher
from search.query.suggest import correct_entities, nearest_value

NAMES = {"Tony Blair": "PERSON", "Blair": "PERSON", "Tony Blaine": "PERSON",
         "Gordon Brown": "PERSON", "London": "GPE", "Londonderry": "GPE"}
TEXTS = {
    "a.txt": "Tony Blair spoke in London. Blair said the sirens blare all night.",
    "b.txt": "Tony Blair and Gordon Brown met in London.",
    "c.txt": "Tony Blair flew to Londonderry.",
    "d.txt": "Tony Blaine, a painter, lives in London.",
}


@pytest.fixture
def searcher(tmp_path: Path) -> Searcher:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, body in TEXTS.items():
        (corpus / name).write_text(f"{name}\n\n{body}\n", encoding="utf-8")
    build([corpus], tmp_path / "index", settings=fake_settings(), extractor=DictExtractor(NAMES))
    return Searcher(tmp_path / "index")


def test_a_misspelt_entity_gets_the_value_it_meant(searcher: Searcher) -> None:
    # "blare" is a word of the corpus, so the word speller has nothing to say: the values do
    res = searcher.search("person:blare")
    assert res.total == 0 and res.corrected == 'person:"Tony Blair"'
    assert searcher.search(res.corrected).total == 3
    # the field's other names, typographic quotes and the rest of the query are kept
    assert searcher.search("who:“tony blare” london").corrected == 'who:"Tony Blair" london'
    assert searcher.search('person:"gordon browne"').corrected == 'person:"Gordon Brown"'


def test_the_closest_value_wins_then_the_most_frequent(searcher: Searcher) -> None:
    column = searcher.facets.columns["person"]
    live = searcher.facets.live
    # "blare" is two edits from both Blair and Blaine: Tony Blair is on more documents
    assert nearest_value(column, live, "blare") == "Tony Blair"
    # one edit from Blaine, two from Blair: the closer one, as Blair is not ten times as
    # frequent (each edit weighs a tenfold frequency)
    assert nearest_value(column, live, "blane") == "Tony Blaine"
    assert nearest_value(column, live, "zzzzzz") is None


def test_a_clause_that_names_a_value_is_left_alone(searcher: Searcher) -> None:
    columns, live = searcher.facets.columns, searcher.facets.live
    assert correct_entities("person:blair", columns, live) is None
    assert correct_entities('person:"tony blair"', columns, live) is None
    assert correct_entities("place:lond*", columns, live) is None  # a pattern, not a name
    assert correct_entities("blare", columns, live) is None  # no entity clause
    assert correct_entities("colour:blare", columns, live) is None  # not a facet
    assert correct_entities("place:londn", columns, live) == 'place:"London"'


def test_no_suggestion_when_the_query_finds_enough(searcher: Searcher) -> None:
    assert searcher.search("person:blair").corrected is None
    assert searcher.search("person:blare OR london").corrected is None


def test_as_a_filter_only_a_whole_value_counts_as_named(searcher: Searcher) -> None:
    column, live = searcher.facets.columns["person"], searcher.facets.live
    assert nearest_value(column, live, "brown") is None  # a word of Gordon Brown: a clause
    assert nearest_value(column, live, "brown", exact=True) == "Gordon Brown"
    assert nearest_value(column, live, "gordon brown", exact=True) is None


def test_edit_distance_counts_a_swap_as_one_edit() -> None:
    from search.query.suggest import _distance

    assert _distance("kiyv", "kyiv", 2) == 1
    assert _distance("blare", "blair", 2) == 2
    assert _distance("london", "london", 2) == 0
    assert _distance("moscow", "kremlin", 2) == 3  # past the most asked about: most + 1


def test_an_edit_weighs_a_tenfold_frequency() -> None:
    from search.query.facets import FacetColumn

    def column(blairs: int) -> FacetColumn:
        docs = [(0,)] * blairs + [(1,)]
        return FacetColumn(docs, ["Tony Blair", "Clare Short"],
                           {"tony blair": 0, "clare short": 1})

    # "blare" is one edit from Clare, two from Blair
    assert nearest_value(column(12), range(13), "blare") == "Tony Blair"
    assert nearest_value(column(5), range(6), "blare") == "Clare Short"
