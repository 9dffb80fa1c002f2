"""Tests for search.query.entity_why: each mention's fate, as `show --why` and the API give it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DictExtractor, fake_settings

from search.index.indexer import build
from search.query.searcher import Searcher

NAMES = {
    "Olaf Scholz": "PERSON", "Scholz": "PERSON", "Berlin": "GPE", "Reuter": "PERSON",
    "Ukrainian": "NORP", "Chelsea": "ORG", "Chelsea FC": "ORG",
}  # fmt: skip


@pytest.fixture
def small_index(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Scholz in Berlin\n\nUkrainian officials met Olaf Scholz in Berlin. Scholz left."
        " The talks ended, the ministry said. Reuter\n",
        encoding="utf-8",
    )
    for i in range(3):
        (docs / f"c{i}.txt").write_text(f"Match {i}\n\nChelsea won again.\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    build([docs], index_dir, settings=fake_settings(), extractor=DictExtractor(NAMES))
    return index_dir


def test_each_mention_says_what_it_became_and_why(small_index: Path) -> None:
    with Searcher(small_index) as s:
        doc = s.document("a.txt", why=True)
        assert doc.entities["person"] == ("Olaf Scholz",)
        fates = {(f.text, f.start): f for f in doc.why}
        by_text = {f.text: f for f in doc.why}
        assert by_text["Reuter"].value is None
        assert any("sign-off" in r for r in by_text["Reuter"].reasons)
        assert by_text["Ukrainian"].type is None
        scholz = [f for (text, _), f in fates.items() if text == "Scholz"]
        assert scholz and all(f.value == "Olaf Scholz" for f in scholz)
        assert any("surname of 'Olaf Scholz'" in r for r in scholz[0].reasons)
        assert s.document("a.txt").why == ()  # only when asked for


def test_the_users_overlay_still_wins_and_is_named(small_index: Path) -> None:
    with Searcher(small_index) as s:
        s.merge_entities("Berlin", "Berlin, Germany", facet="place")
    with Searcher(small_index) as s:
        doc = s.document("a.txt", why=True)
        assert doc.entities["place"] == ("Berlin, Germany",)
        berlin = [f for f in doc.why if f.text == "Berlin"]
        assert berlin and all(f.value == "Berlin, Germany" for f in berlin)
        assert any("overlay" in r for r in berlin[0].reasons)


@pytest.mark.slow
def test_seed_facets_exactly(seed_index: Path) -> None:
    with Searcher(seed_index) as s:
        (doc_id,) = [h.id for h in s.search("").hits]
        doc = s.document(doc_id, why=True)
        assert set(doc.entities["person"]) == {
            "Olaf Scholz", "Vladimir Putin", "Volodymyr Zelensky", "Xi Jinping"}
        assert {"AfD", "BSW"} <= set(doc.entities["org"])
        places = set(doc.entities["place"])
        assert not places & {"Syria", "Manchester", "Ukrainian"}
        assert "Bashar al-Assad" in doc.related and "Bashar al-Assad" not in doc.text
        assert s.search("Assad").total == 0  # teasers are no part of the searchable text
        assert {f.text for f in doc.why} >= {"Olaf Scholz", "AfD", "Ukrainian"}
