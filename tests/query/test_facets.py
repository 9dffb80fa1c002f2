"""Tests for search.query.facets: per-document entity values and their counts over result sets."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import NEWS_NAMES, DictExtractor, fake_settings
from whoosh import index as whoosh_index

from search.index import facet_base
from search.index.facet_cache import CACHE_FORMAT
from search.index.indexer import build
from search.ingest.normalize import OTHER
from search.query.facets import FacetTable
from search.query.searcher import Searcher
from search.results import FacetCount

FACETS = ("person", "place", "org")


def index_texts(tmp_path: Path, texts: dict[str, str], batch_size: int = 2) -> Path:
    """Index {file name: body} (each file titled after its name) with the news names."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, body in texts.items():
        (corpus / name).write_text(f"{name}\n\n{body}\n", encoding="utf-8")
    index_dir = tmp_path / f"index-{batch_size}"
    build([corpus], index_dir, settings=fake_settings(batch_size=batch_size),
          extractor=DictExtractor(NEWS_NAMES))
    return index_dir


@contextmanager
def table(index_dir: Path) -> Iterator[tuple[FacetTable, dict[str, int]]]:
    """The facet table of an index and each document id's docnum."""
    with whoosh_index.open_dir(str(index_dir)).reader() as reader:
        docnums = {reader.stored_fields(n)["id"]: n for n in reader.all_doc_ids()}
        yield FacetTable(reader, FACETS), docnums


def test_spellings_differing_in_case_count_as_one_value_shown_as_most_used(tmp_path: Path) -> None:
    index_dir = index_texts(tmp_path, {
        "a.txt": "NATO ministers met.", "b.txt": "Nato leaders met.", "c.txt": "Nato said so.",
    })
    with table(index_dir) as (facets, docnums):
        assert facets.counts(None, None)["org"] == (FacetCount("Nato", 3),)
        # every document shows the corpus-wide display form, whatever its own spelling
        assert facets.entities(docnums["a.txt"])["org"] == ("Nato",)
        assert facets.columns["org"].lookup("nato") == "Nato"
        assert facets.columns["org"].lookup("N A T O") is None


def test_spellings_differing_in_accents_count_as_one_value(tmp_path: Path) -> None:
    names = {"Zelénsky": "PERSON", "Zelensky": "PERSON"}
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, body in {"a.txt": "Zelensky spoke.", "b.txt": "Zelénsky spoke.", "c.txt": "Zelénsky left."}.items():
        (corpus / name).write_text(f"{name}\n\n{body}\n", encoding="utf-8")
    build([corpus], tmp_path / "index", settings=fake_settings(), extractor=DictExtractor(names))
    with table(tmp_path / "index") as (facets, _):
        assert facets.counts(None, None)["person"] == (FacetCount("Zelénsky", 3),)


def test_headline_capitals_never_win_over_a_mixed_case_form(tmp_path: Path) -> None:
    index_dir = index_texts(tmp_path, {
        "a.txt": "Shares fell in LONDON.", "b.txt": "Rain in LONDON today.", "c.txt": "A day in London.",
    })
    with table(index_dir) as (facets, docnums):
        assert facets.counts(None, None)["place"] == (FacetCount("London", 3),)
        assert facets.entities(docnums["a.txt"])["place"] == ("London",)


def test_a_value_counts_once_per_document(tmp_path: Path) -> None:
    index_dir = index_texts(tmp_path, {"a.txt": "Berlin, Berlin and Berlin again.", "b.txt": "Berlin."})
    with table(index_dir) as (facets, _):
        assert facets.counts(None, None)["place"] == (FacetCount("Berlin", 2),)


def test_counts_cover_the_given_documents_most_frequent_first_then_by_name(tmp_path: Path) -> None:
    index_dir = index_texts(tmp_path, {
        "a.txt": "Kyiv and Berlin.", "b.txt": "Berlin and Moscow.", "c.txt": "Berlin, Kyiv, London.",
    })
    with table(index_dir) as (facets, docnums):
        everything = facets.counts(None, None)["place"]
        assert everything == (FacetCount("Berlin", 3), FacetCount("Kyiv", 2),
                              FacetCount("London", 1), FacetCount("Moscow", 1))
        some = facets.counts([docnums["a.txt"], docnums["b.txt"]], None)["place"]
        assert some == (FacetCount("Berlin", 2), FacetCount("Kyiv", 1), FacetCount("Moscow", 1))
        assert facets.counts(None, 2)["place"] == everything[:2]
        assert facets.counts([], None) == {"person": (), "place": (), "org": ()}
        assert set(facets.counts(None, None, ["place"])) == {"place"}


@pytest.mark.parametrize("batch_size", [1, 2, 100])
def test_values_stay_with_their_documents_across_segments(tmp_path: Path, batch_size: int) -> None:
    # Documents without any place (or any person) make segments that have no column for that
    # facet; the documents after them must still get their own values.
    texts = {
        "a.txt": "Putin spoke.", "b.txt": "Nothing here.", "c.txt": "Kyiv and Nato.",
        "d.txt": "Olaf Scholz in Berlin.", "e.txt": "Quiet day.", "f.txt": "Moscow.",
    }
    index_dir = index_texts(tmp_path, texts, batch_size)
    expected = {
        "a.txt": {"person": ("Putin",), "place": (), "org": ()},
        "b.txt": {"person": (), "place": (), "org": ()},
        "c.txt": {"person": (), "place": ("Kyiv",), "org": ("Nato",)},
        "d.txt": {"person": ("Olaf Scholz",), "place": ("Berlin",), "org": ()},
        "e.txt": {"person": (), "place": (), "org": ()},
        "f.txt": {"person": (), "place": ("Moscow",), "org": ()},
    }
    with table(index_dir) as (facets, docnums):
        assert {doc_id: facets.entities(n) for doc_id, n in docnums.items()} == expected
    with Searcher(index_dir) as s:
        assert {h.id: h.entities for h in s.search("", limit=10).hits} == expected
        assert [h.id for h in s.search(where={"place": "Moscow"}).hits] == ["f.txt"]
        assert s.search("quiet").hits[0].entities == expected["e.txt"]


def test_search_facets_count_every_match_not_only_the_page(news_index: Path) -> None:
    with Searcher(news_index) as s:
        res = s.search("summit", limit=1)
        assert res.total == 4 and len(res.hits) == 1
        org = {c.value: c.count for c in res.facets["org"]}
        assert org == {"Nato": 3}  # w1, w2 (as NATO) and w3; w4 has no organisation
        place = {c.value: c.count for c in res.facets["place"]}
        assert place == {"London": 1, "Kyiv": 1, "Ukraine": 2}
        assert res.facets == s.search("summit", limit=10, page=1).facets


def test_corpus_wide_counts_follow_deletions(tmp_path: Path) -> None:
    index_dir = index_texts(tmp_path, {"a.txt": "Kyiv.", "b.txt": "Kyiv and Berlin."})
    (tmp_path / "corpus" / "b.txt").unlink()
    build([tmp_path / "corpus"], index_dir, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    with Searcher(index_dir) as s:
        assert s.facet_counts("place")["place"] == (FacetCount("Kyiv", 1),)


# The facet base cache: one numpy archive per index generation, data only


def cache_files(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.glob("facets-*"))


@pytest.fixture
def base_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The facets whose base table is read from the index (not from the cache) from now on."""
    calls: list[str] = []
    original = facet_base.read_rows

    def counting(reader: object, facet: str, *rest: object) -> list[list[str]]:
        if facet != OTHER:  # the non-entity column is read with the facets, not counted
            calls.append(facet)
        return original(reader, facet, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(facet_base, "read_rows", counting)
    return calls


def generation(index_dir: Path) -> int:
    with whoosh_index.open_dir(str(index_dir)).reader() as reader:
        return int(reader.generation())


def test_indexing_leaves_a_cache_that_searchers_read_instead_of_the_index(
    tmp_path: Path, base_reads: list[str]
) -> None:
    index_dir = index_texts(tmp_path, {"a.txt": "Kyiv and Nato.", "b.txt": "Putin in Kyiv."})
    assert cache_files(index_dir) == [f"facets-v{CACHE_FORMAT}-{generation(index_dir)}.npz"]
    assert base_reads == FACETS_READ_BY_INDEXER
    base_reads.clear()
    for _ in range(2):
        with Searcher(index_dir) as s:
            assert s.facet_counts("place")["place"] == (FacetCount("Kyiv", 2),)
    assert base_reads == []


FACETS_READ_BY_INDEXER = list(FACETS)
"""The indexer warms the cache at the end of a run: one read per facet."""


def test_a_missing_cache_is_rebuilt_once(tmp_path: Path, base_reads: list[str]) -> None:
    index_dir = index_texts(tmp_path, {"a.txt": "Kyiv and Nato.", "b.txt": "Putin in Kyiv."})
    (cache,) = cache_files(index_dir)
    (index_dir / cache).unlink()
    base_reads.clear()
    with Searcher(index_dir) as s:
        assert s.facet_counts("org")["org"] == (FacetCount("Nato", 1),)
    assert base_reads == list(FACETS)
    assert cache_files(index_dir) == [cache]
    with Searcher(index_dir) as s:
        assert s.facet_counts("person")["person"] == (FacetCount("Putin", 1),)
    assert base_reads == list(FACETS)


def test_a_new_generation_gets_a_new_cache_and_the_old_one_goes(
    tmp_path: Path, base_reads: list[str]
) -> None:
    index_dir = index_texts(tmp_path, {"a.txt": "Kyiv.", "b.txt": "Berlin."})
    before = generation(index_dir)
    with Searcher(index_dir) as s:
        assert s.facet_counts("place")["place"] == (FacetCount("Berlin", 1), FacetCount("Kyiv", 1))
        (tmp_path / "corpus" / "c.txt").write_text("c.txt\n\nKyiv again.\n", encoding="utf-8")
        build([tmp_path / "corpus"], index_dir, settings=fake_settings(batch_size=2),
              extractor=DictExtractor(NEWS_NAMES))
        after = generation(index_dir)
        assert after > before
        assert cache_files(index_dir) == [f"facets-v{CACHE_FORMAT}-{after}.npz"]
        base_reads.clear()
        assert s.refresh()
        assert s.facet_counts("place")["place"] == (FacetCount("Kyiv", 2), FacetCount("Berlin", 1))
    with Searcher(index_dir) as s:
        assert s.facet_counts("place")["place"][0] == FacetCount("Kyiv", 2)
    assert base_reads == []


def crafted_archive(arrays: dict[str, object]) -> bytes:
    import io

    import numpy as np

    out = io.BytesIO()
    np.savez(out, **arrays)  # type: ignore[arg-type]
    return out.getvalue()


def other_index_cache() -> bytes:
    import json

    import numpy as np

    head = {"format": CACHE_FORMAT, "facets": list(FACETS),
            "tables": [{"keys": {"x": 0}, "forms": [{"X": 1}], "display": ["X"], "surnames": []}
                       for _ in FACETS]}
    arrays: dict[str, object] = {"head": np.frombuffer(json.dumps(head).encode(), np.uint8)}
    for i in range(len(FACETS)):
        arrays[f"lengths{i}"] = np.array([1, 1, 1], np.int32)  # three documents, not two
        arrays[f"ids{i}"] = np.array([0, 0, 0], np.int32)
    return crafted_archive(arrays)


def out_of_range_ids() -> bytes:
    import json

    import numpy as np

    head = {"format": CACHE_FORMAT, "facets": list(FACETS),
            "tables": [{"keys": {"x": 0}, "forms": [{"X": 1}], "display": ["X"], "surnames": []}
                       for _ in FACETS]}
    arrays: dict[str, object] = {"head": np.frombuffer(json.dumps(head).encode(), np.uint8)}
    for i in range(len(FACETS)):
        arrays[f"lengths{i}"] = np.array([1, 1], np.int32)
        arrays[f"ids{i}"] = np.array([0, 7], np.int32)  # value 7 does not exist
    return crafted_archive(arrays)


@pytest.mark.parametrize(
    "content",
    [b"", b"not an archive", b"PK\x03\x04garbage", pickle.dumps({"person": "stale"}),
     crafted_archive({"head": __import__("numpy").array([{"a": 1}], dtype=object)}),
     other_index_cache(), out_of_range_ids()],
    ids=["empty", "text", "truncated-zip", "a-pickle", "object-array", "other-size",
         "out-of-range"],
)
def test_a_damaged_or_stale_cache_is_ignored_and_rewritten(
    tmp_path: Path, base_reads: list[str], content: bytes
) -> None:
    index_dir = index_texts(tmp_path, {"a.txt": "Kyiv and Nato.", "b.txt": "Putin in Kyiv."})
    (cache,) = cache_files(index_dir)
    (index_dir / cache).write_bytes(content)
    base_reads.clear()
    with Searcher(index_dir) as s:
        assert s.facet_counts("place")["place"] == (FacetCount("Kyiv", 2),)
        assert s.search("putin").hits[0].entities["person"] == ("Putin",)
    assert base_reads == list(FACETS)
    base_reads.clear()
    with Searcher(index_dir) as s:  # rewritten, and read next time
        assert s.facet_counts("place")["place"] == (FacetCount("Kyiv", 2),)
    assert base_reads == []


def test_a_crafted_pickle_in_the_index_folder_never_runs(
    tmp_path: Path, base_reads: list[str]
) -> None:
    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (open, (str(tmp_path / "pwned"), "w"))

    index_dir = index_texts(tmp_path, {"a.txt": "Kyiv and Nato.", "b.txt": "Putin in Kyiv."})
    gen = generation(index_dir)
    for name in cache_files(index_dir):
        (index_dir / name).unlink()
    for name in (f"facets-v2-{gen}.pickle", f"facets-v{CACHE_FORMAT}-{gen}.npz"):
        (index_dir / name).write_bytes(pickle.dumps(Payload()))
    with Searcher(index_dir) as s:
        assert s.search("kyiv").total == 2
        assert s.facet_counts("place")["place"] == (FacetCount("Kyiv", 2),)
    assert not (tmp_path / "pwned").exists()
    assert cache_files(index_dir) == [f"facets-v{CACHE_FORMAT}-{gen}.npz"]  # the pickle went


# Corpus-wide surname linking

BLAIRS = {"Tony Blair": "PERSON", "Cherie Blair": "PERSON", "Blair": "PERSON",
          "Acme Holdings": "ORG", "Holdings": "ORG"}


def index_blairs(tmp_path: Path, tony: int, cherie: int) -> Path:
    """tony documents name Tony Blair, cherie name Cherie Blair, and two say only 'Blair'."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {f"tony{i}.txt": "Tony Blair spoke." for i in range(tony)}
    texts |= {f"cherie{i}.txt": "Cherie Blair spoke." for i in range(cherie)}
    texts |= {"bare1.txt": "Blair said no.", "bare2.txt": "Blair and Holdings."}
    texts["both.txt"] = "Acme Holdings and Tony Blair."
    for name, body in texts.items():
        (corpus / name).write_text(f"{name}\n\n{body}\n", encoding="utf-8")
    build([corpus], tmp_path / "index", settings=fake_settings(), extractor=DictExtractor(BLAIRS))
    return tmp_path / "index"


def test_a_bare_surname_links_to_the_full_name_with_80_percent_of_the_mentions(
    tmp_path: Path,
) -> None:
    # Tony Blair in 3 + both.txt = 4 documents, Cherie Blair in 1: 4 of 5 is exactly 80%.
    index_dir = index_blairs(tmp_path, tony=3, cherie=1)
    with Searcher(index_dir) as s:
        assert s.facet_counts("person")["person"] == (FacetCount("Tony Blair", 6),
                                                      FacetCount("Cherie Blair", 1))
        assert s.document("bare1.txt").entities["person"] == ("Tony Blair",)
        found = {h.id for h in s.search(where={"person": "Tony Blair"}, limit=20).hits}
        assert found == {"tony0.txt", "tony1.txt", "tony2.txt", "both.txt", "bare1.txt",
                         "bare2.txt"}
        assert sorted(s.facets.columns["person"].keys_for("Tony Blair")) == ["blair", "tony blair"]
        # "Holdings" alone is as used as "Acme Holdings": not a fragment of it
        assert s.facet_counts("org")["org"] == (FacetCount("Acme Holdings", 1),
                                                FacetCount("Holdings", 1))


def test_a_bare_surname_below_80_percent_is_ambiguous_and_not_shown(tmp_path: Path) -> None:
    # Tony Blair in 4 documents, Cherie Blair in 2: 4 of 6 is 67%, so "Blair" is ambiguous.
    index_dir = index_blairs(tmp_path, tony=3, cherie=2)
    with Searcher(index_dir) as s:
        assert s.facet_counts("person")["person"] == (
            FacetCount("Tony Blair", 4), FacetCount("Cherie Blair", 2))
        assert s.document("bare1.txt").entities["person"] == ()
        assert s.search(where={"person": "Tony Blair"}, limit=20).total == 4
        assert s.facets.columns["person"].keys_for("Tony Blair") == ["tony blair"]


def test_surname_linking_gives_way_to_the_users_overlay(tmp_path: Path) -> None:
    index_dir = index_blairs(tmp_path, tony=3, cherie=1)
    with Searcher(index_dir) as s:
        s.merge_entities("Blair", "Cherie Blair", facet="person")
        assert s.facet_counts("person")["person"] == (FacetCount("Tony Blair", 4),
                                                      FacetCount("Cherie Blair", 3))
        assert s.forget_entity("Blair")
        s.drop_entity("Blair", facet="person")
        assert s.facet_counts("person")["person"] == (FacetCount("Tony Blair", 4),
                                                      FacetCount("Cherie Blair", 1))
        assert s.document("bare1.txt").entities["person"] == ()


def test_an_entity_query_finds_what_its_facet_counts(tmp_path: Path) -> None:
    # the two documents that only say "Blair" count as Tony Blair: the query finds them too
    index_dir = index_blairs(tmp_path, tony=3, cherie=1)
    with Searcher(index_dir) as s:
        by_query = {h.id for h in s.search('person:"Tony Blair"', limit=50).hits}
        by_filter = {h.id for h in s.search(where={"person": "Tony Blair"}, limit=50).hits}
        assert by_query == by_filter and {"bare1.txt", "bare2.txt"} <= by_query
        assert "cherie0.txt" not in by_query
        s.merge_entities("Cherie Blair", "Tony Blair", facet="person")
        assert "cherie0.txt" in {h.id for h in s.search('person:"Tony Blair"', limit=50).hits}
