"""Tests for facet ties: values on as many documents are ordered by their mentions."""

from __future__ import annotations

from pathlib import Path

from conftest import NEWS_NAMES, DictExtractor, fake_settings
from whoosh import index as whoosh_index

from search.index.facet_base import FacetBase, split_mentions
from search.index.indexer import build
from search.ingest.document_entities import count_document, normalize_document
from search.ingest.entities import Mention
from search.query.facets import FacetTable
from search.query.searcher import Searcher
from search.results import FacetCount

TEXTS = {
    # Moscow once in each document, London three times in one: tied on documents
    "a.txt": "London, London and London again; Moscow too.",
    "b.txt": "Moscow and Berlin. Kyiv.",
    "c.txt": "London and Berlin, and Kyiv, Kyiv, Kyiv, Kyiv.",
}


def _index(tmp_path: Path, texts: dict[str, str] = TEXTS) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, body in texts.items():
        (corpus / name).write_text(f"{name}\n\n{body}\n", encoding="utf-8")
    build([corpus], tmp_path / "index", settings=fake_settings(),
          extractor=DictExtractor(NEWS_NAMES))
    return tmp_path / "index"


def test_documents_first_then_mentions_then_name(tmp_path: Path) -> None:
    with Searcher(_index(tmp_path)) as s:
        places = s.facet_counts("place", None)["place"]
        # every value is on two documents; Kyiv has 5 mentions, London 4, Berlin and Moscow 2
        assert places == (FacetCount("Kyiv", 2), FacetCount("London", 2),
                          FacetCount("Berlin", 2), FacetCount("Moscow", 2))
        # a result set's facets (counted with numpy) break ties the same way
        res = s.search("berlin OR moscow OR london OR kyiv", facet_limit=2)
        assert res.facets["place"] == places[:2]


def test_the_order_is_by_mentions_over_the_index_not_alphabetical(tmp_path: Path) -> None:
    index_dir = _index(tmp_path, {"a.txt": "Moscow. Berlin, Berlin, Berlin."})
    with Searcher(index_dir) as s:
        assert [c.value for c in s.facet_counts("place")["place"]] == ["Berlin", "Moscow"]
        assert [c.value for c in s.search("moscow").facets["place"]] == ["Berlin", "Moscow"]


def test_a_merged_value_counts_the_mentions_of_what_was_merged(tmp_path: Path) -> None:
    with Searcher(_index(tmp_path)) as s:
        s.merge_entities("Moscow", "Berlin", "place")
        # Berlin now on all three documents, then Kyiv (5 mentions) before London (4)
        assert s.facet_counts("place")["place"] == (
            FacetCount("Berlin", 3), FacetCount("Kyiv", 2), FacetCount("London", 2))
        column = s.facets.columns["place"]
        assert column.mentions[column.keys["berlin"]] == 4


def test_the_index_keeps_mentions_beside_each_value_and_older_indexes_still_read(
    tmp_path: Path,
) -> None:
    with whoosh_index.open_dir(str(_index(tmp_path))).reader() as reader:
        base = FacetBase.read(reader, "place")
        assert {base.display[v]: base.mentions[v] for v in range(len(base.display))} == {
            "London": 4, "Moscow": 2, "Berlin": 2, "Kyiv": 5}
        assert FacetTable(reader, ("place",)).columns["place"].mentions == base.mentions
    assert split_mentions("Vladimir Putin\t11") == ("Vladimir Putin", 11)
    # a key column written before mentions were counted: one mention per document
    assert split_mentions("Vladimir Putin") == ("Vladimir Putin", 1)
    assert split_mentions("Room\t101b") == ("Room\t101b", 1)


def test_normalising_counts_the_mentions_of_each_value() -> None:
    text = "Vladimir Putin met Olaf Scholz. Putin said Putin would talk. Scholz agreed."
    found = DictExtractor(NEWS_NAMES).extract([text])
    mentions: list[Mention] = next(iter(found))
    counted = count_document(mentions)
    assert counted["person"] == {"Vladimir Putin": 3, "Olaf Scholz": 2}
    assert normalize_document(mentions)["person"] == ["Vladimir Putin", "Olaf Scholz"]
