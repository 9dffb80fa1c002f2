"""Tests for search.query.searcher: filters, sorting, paging, facets, snippets, did-you-mean."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    BBC,
    BBC_MISSING,
    NEWS_IDS,
    NEWS_NAMES,
    DictExtractor,
    bbc_sample,
    fake_settings,
)

from search.config import Settings
from search.errors import QueryError
from search.index.analysis import fold, index_term
from search.index.indexer import build
from search.query.searcher import Searcher
from search.results import FacetCount, SearchResults


@pytest.fixture
def searcher(news_index: Path) -> Iterator[Searcher]:
    with Searcher(news_index) as s:
        yield s


def ids(res: SearchResults) -> list[str]:
    return [h.id for h in res.hits]


def span_texts(res: SearchResults) -> list[str]:
    return [f.text[s:e] for h in res.hits for f in h.snippets for s, e in f.spans]


# Filters


def test_values_of_one_facet_are_alternatives(searcher: Searcher) -> None:
    res = searcher.search(where={"person": ["Volodymyr Zelénsky", "Vladimir Putin"]})
    assert set(ids(res)) == {"zelensky-berlin.txt", "scholz-putin.txt"}
    assert res.filters == {"person": ("Volodymyr Zelénsky", "Vladimir Putin")}


def test_facets_are_combined_with_and(searcher: Searcher) -> None:
    assert set(ids(searcher.search(where={"person": ["Olaf Scholz"]}))) == {
        "scholz-putin.txt", "zelensky-berlin.txt"}
    res = searcher.search(where={"person": ["Olaf Scholz"], "place": ["Berlin"]})
    assert ids(res) == ["zelensky-berlin.txt"]


def test_filter_values_ignore_case_and_accents(searcher: Searcher) -> None:
    assert ids(searcher.search(where={"person": "volodymyr zelensky"})) == ["zelensky-berlin.txt"]
    assert len(searcher.search(where={"org": "NATO"}).hits) == 4


def test_filters_combine_with_the_query(searcher: Searcher) -> None:
    assert set(ids(searcher.search("summit", where={"place": ["London", "Kyiv"]}))) == {
        "wires.jsonl#w1", "wires.jsonl#w2"}


def test_exclude_drops_documents_with_any_of_the_values(searcher: Searcher) -> None:
    assert ids(searcher.search("summit", exclude={"org": ["Nato"]})) == ["wires.jsonl#w4"]
    res = searcher.search("summit", exclude={"place": ["Kyiv", "London"]})
    assert set(ids(res)) == {"wires.jsonl#w3", "wires.jsonl#w4"}
    assert res.excluded == {"place": ("Kyiv", "London")}
    both = searcher.search(where={"org": "Nato"}, exclude={"place": "Kyiv"})
    assert set(ids(both)) == {"wires.jsonl#w1", "wires.jsonl#w3"}  # scholz-putin.txt names Kyiv


def test_unknown_facet_is_a_query_error_with_the_facets_listed(searcher: Searcher) -> None:
    for call in (lambda: searcher.search(where={"colour": ["red"]}),
                 lambda: searcher.facet_counts("colour")):
        with pytest.raises(QueryError) as info:
            call()
        assert "colour" in info.value.message
        assert "person" in info.value.hint and "org" in info.value.hint


# Order and pages


def test_sort_by_date_puts_newest_first_and_undated_last(searcher: Searcher) -> None:
    res = searcher.search("summit", sort="date")
    assert ids(res) == ["wires.jsonl#w3", "wires.jsonl#w2", "wires.jsonl#w1", "wires.jsonl#w4"]
    assert [h.date for h in res.hits] == ["2024-09-01", "2024-05-20", "2024-02-10", "2023-11-11"]
    assert res.sort == "date"
    everything = searcher.search("", sort="date", limit=20).hits
    dates = [h.date for h in everything]
    assert dates[:4] == ["2024-09-01", "2024-05-20", "2024-02-10", "2023-11-11"]
    assert dates[4:] == [None] * 5


def test_sorted_hits_do_not_show_sort_keys_as_scores(searcher: Searcher) -> None:
    for res in (searcher.search("summit", sort="date"), searcher.search("")):
        assert all(0.0 <= h.score < 100 for h in res.hits)


def test_score_order_is_by_descending_score(searcher: Searcher) -> None:
    scores = [h.score for h in searcher.search("summit talks kyiv").hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_unknown_sort_and_bad_page_are_query_errors(searcher: Searcher) -> None:
    with pytest.raises(QueryError, match="sort"):
        searcher.search("summit", sort="title")
    for page, pagelen in ((0, 10), (1, 0)):
        with pytest.raises(QueryError):
            searcher.search("summit", page=page, limit=pagelen)


def test_pages_partition_the_results(searcher: Searcher) -> None:
    pages = [searcher.search("", page=n, limit=4) for n in (1, 2, 3)]
    assert [p.pagecount for p in pages] == [3, 3, 3]
    assert [p.total for p in pages] == [9, 9, 9]
    assert [len(p.hits) for p in pages] == [4, 4, 1]
    assert [h.rank for p in pages for h in p.hits] == list(range(1, 10))
    assert {h.id for p in pages for h in p.hits} == NEWS_IDS
    assert not set(ids(pages[0])) & set(ids(pages[1]))
    beyond = searcher.search("", page=4, limit=4)
    assert beyond.hits == () and beyond.total == 9


def test_ranked_pages_continue_where_the_last_stopped(searcher: Searcher) -> None:
    whole = ids(searcher.search("talks summit", limit=20))
    paged = [i for n in (1, 2, 3) for i in ids(searcher.search("talks summit", page=n, limit=3))]
    assert paged == whole


# Entities


def test_person_queries_by_surname_and_full_name(searcher: Searcher) -> None:
    assert ids(searcher.search("person:putin")) == ["scholz-putin.txt"]
    assert ids(searcher.search('person:"vladimir putin"')) == ["scholz-putin.txt"]
    assert ids(searcher.search("person:vladimir")) == ["scholz-putin.txt"]


def test_facets_show_the_display_form(searcher: Searcher) -> None:
    res = searcher.search("summit")
    assert res.facets["org"] == (FacetCount("Nato", 3),)
    assert res.facets["place"][0] == FacetCount("Ukraine", 2)
    assert "London" in {c.value for c in res.facets["place"]}
    assert searcher.search("summit", facet_limit=0).facets == {}
    assert all(len(v) <= 1 for v in searcher.search("", facet_limit=1).facets.values())


def test_hit_carries_its_entities(searcher: Searcher) -> None:
    (hit,) = searcher.search("id:scholz-putin.txt").hits
    assert hit.entities == {
        "person": ("Olaf Scholz", "Vladimir Putin"),
        "place": ("Ukraine", "Kyiv", "Moscow"),
        "org": ("Nato", "Kremlin"),
    }


# Snippets


def test_snippets_hold_one_to_three_fragments_with_matched_words(searcher: Searcher) -> None:
    res = searcher.search("summit talks")
    assert res.hits
    for hit in res.hits:
        assert 1 <= len(hit.snippets) <= 3
        for frag in hit.snippets:
            assert frag.spans
            for s, e in frag.spans:
                assert index_term(frag.text[s:e]) in {"summit", "talk"}


def test_snippet_spans_of_a_phrase_query(searcher: Searcher) -> None:
    res = searcher.search('"air defence"')
    assert set(ids(res)) == {"zelensky-berlin.txt", "wires.jsonl#w1"}
    for hit in res.hits:
        words = [f.text[s:e] for f in hit.snippets for s, e in f.spans]
        assert words == ["air", "defence"]


def test_snippet_spans_of_an_entity_only_query(searcher: Searcher) -> None:
    res = searcher.search("person:putin")
    assert sorted(set(span_texts(res))) == ["Putin", "Putin's"]
    res = searcher.search("person:zelensky")
    assert set(span_texts(res)) == {"Zelénsky", "Zelénsky's"}


def test_filter_values_are_highlighted(searcher: Searcher) -> None:
    res = searcher.search(where={"place": "Berlin"})
    assert set(span_texts(res)) == {"Berlin"}


def test_snippet_count_can_be_limited(searcher: Searcher) -> None:
    (hit,) = searcher.search("id:scholz-putin.txt", snippets=1).hits
    assert len(hit.snippets) == 1
    (hit,) = searcher.search("id:scholz-putin.txt", snippets=0).hits
    assert hit.snippets == ()


# Did you mean


@pytest.mark.parametrize("typo, fixed", [("scholtz", "scholz"), ("ukriane", "ukraine"),
                                          ("sumit", "summit")])
def test_misspelled_word_gets_a_correction_that_finds_more(
    searcher: Searcher, typo: str, fixed: str
) -> None:
    res = searcher.search(typo)
    assert res.total == 0
    assert res.corrected == fixed
    assert searcher.search(res.corrected).total > 0


def test_correction_keeps_the_rest_of_the_query(searcher: Searcher) -> None:
    res = searcher.search("person:scholz ukriane")
    assert res.corrected == "person:scholz ukraine"
    assert searcher.search(res.corrected).total == 1


def test_no_correction_when_asked_not_to_or_when_words_are_known(searcher: Searcher) -> None:
    assert searcher.search("scholtz", suggest=False).corrected is None
    assert searcher.search("scholtz", plain=True).corrected is None
    assert searcher.search("python").corrected is None
    assert searcher.search("xqzvw").corrected is None


# Documents, lifecycle, plain data


def test_document_by_id(searcher: Searcher) -> None:
    doc = searcher.document("wires.jsonl#w2")
    assert (doc.title, doc.date, doc.source) == ("Allies pledge support", "2024-05-20", "Wire")
    assert doc.text == "NATO ministers pledged more support for Kyiv after the summit."
    assert doc.entities["org"] == ("Nato",) and doc.entities["place"] == ("Kyiv",)
    assert doc.path == "wires.jsonl"
    json.dumps(doc.to_dict())


def test_unknown_document_id_is_a_query_error(searcher: Searcher) -> None:
    with pytest.raises(QueryError) as info:
        searcher.document("nope.txt")
    assert "nope.txt" in info.value.message and info.value.hint


def test_refresh_sees_documents_added_by_an_incremental_build(
    searcher: Searcher, news_dir: Path, news_index: Path
) -> None:
    assert searcher.search("volcano").total == 0
    (news_dir / "volcano.txt").write_text("Volcano erupts\n\nAsh over Berlin.\n", encoding="utf-8")
    build([news_dir], news_index, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    assert searcher.search("volcano").total == 0  # a searcher sees one generation
    assert searcher.refresh() is True
    assert ids(searcher.search("volcano")) == ["volcano.txt"]
    assert searcher.search(where={"place": "Berlin"}).total == 2
    assert searcher.refresh() is False


def test_results_outlive_the_searcher_and_are_json(news_index: Path) -> None:
    with Searcher(news_index) as s:
        res = s.search("summit", limit=2)
        doc = s.document("python.md")
    (hit,) = [h for h in res.hits if h.id == "wires.jsonl#w1"]
    assert hit.title == "Nato summit opens" and hit.snippets[0].spans
    assert hit.entities["org"] == ("Nato",)
    assert doc.title == "Python tips"
    data = json.loads(json.dumps(res.to_dict()))
    assert data["total"] == 4 and data["pagecount"] == 2 and len(data["hits"]) == 2
    assert "docnum" not in data["hits"][0]
    assert data["hits"][0]["snippets"][0]["spans"]
    assert data["facets"]["org"] == [{"value": "Nato", "count": 3}]


def test_info_describes_the_index(searcher: Searcher, news_index: Path) -> None:
    info = searcher.info()
    assert info.documents == searcher.doc_count() == 9
    assert info.model == "fake:dict" and info.entities
    # Scholz, Putin and Zelénsky are linked to their full names
    assert info.facets == {"person": 4, "place": 5, "org": 2}
    assert "body" in info.fields and info.size_bytes > 0 and info.last_modified
    json.dumps(info.to_dict())


def test_entity_values_complete_on_any_word(searcher: Searcher) -> None:
    assert [c.value for c in searcher.entity_values("person", "zel")] == ["Volodymyr Zelénsky"]
    assert [c.value for c in searcher.entity_values("person", "vlad")] == ["Vladimir Putin"]
    assert searcher.entity_values("org", "")[0] == FacetCount("Nato", 4)


# BBC sample: invariants over 200 real articles


@pytest.fixture
def bbc(bbc_index: Path) -> Iterator[Searcher]:
    with Searcher(bbc_index) as s:
        yield s


def test_bbc_facet_counts_agree_with_filtering(bbc: Searcher) -> None:
    for query in ("", "election", "market"):
        for collapse in (False, True):
            res = bbc.search(query, collapse=collapse)
            assert res.total > 0
            for facet, counts in res.facets.items():
                for fc in counts[:4]:
                    kept = bbc.search(query, where={facet: fc.value}, collapse=collapse)
                    # collapsed, facets count stories; else documents
                    found = kept.stories if collapse else kept.total
                    assert found == fc.count, (query, fc, collapse)


def test_bbc_entity_filter_is_a_subset_of_the_word_search(bbc: Searcher) -> None:
    filtered = {h.id for h in bbc.search(where={"person": "Tony Blair"}, limit=200).hits}
    words = {h.id for h in bbc.search("blair", limit=200).hits}
    assert filtered and filtered <= words


def test_bbc_snippets_mark_only_query_words(bbc: Searcher) -> None:
    res = bbc.search("blair election", limit=20)
    assert res.total > 20 and res.pagecount > 1
    for hit in res.hits:
        assert 1 <= len(hit.snippets) <= 3
        for frag in hit.snippets:
            for s, e in frag.spans:
                assert index_term(frag.text[s:e]) in {"blair", "elect"}


def test_bbc_pages_do_not_repeat(bbc: Searcher) -> None:
    first, second = (bbc.search("government", page=n, limit=10) for n in (1, 2))
    assert first.pagecount == second.pagecount >= 2
    assert not set(ids(first)) & set(ids(second))
    assert min(h.score for h in first.hits) >= max(h.score for h in second.hits)


@pytest.mark.parametrize("typo, fixed", [
    ("parliment", "parliament"), ("olympcs", "olympics"), ("govermment", "government"),
])
def test_bbc_did_you_mean(bbc: Searcher, typo: str, fixed: str) -> None:
    res = bbc.search(typo)
    assert res.corrected == fixed  # a word, not a stem or a possessive
    assert bbc.search(res.corrected).total > res.total


@pytest.mark.slow
def test_bbc_with_the_real_model(tmp_path: Path) -> None:
    if not BBC.is_dir():
        pytest.skip(BBC_MISSING)
    corpus = bbc_sample(tmp_path / "bbc", 12)
    stats = build([corpus], tmp_path / "index", settings=Settings())
    assert stats.indexed == 60 and not stats.skipped
    with Searcher(tmp_path / "index") as s:
        people = {c.value for c in s.facet_counts("person", None)["person"]}
        assert "Tony Blair" in people
        assert not any(v.isupper() and len(v) > 4 for v in people)  # no headline capitals
        blair = s.search(where={"person": "Tony Blair"})
        assert blair.total >= 1
        assert {"Tony Blair"} <= set(blair.hits[0].entities["person"])
        assert s.search("person:blair").total >= blair.total


# The seeds, with the real model


@pytest.mark.slow
def test_seed_person_queries_find_the_article(seed_index: Path) -> None:
    with Searcher(seed_index) as s:
        (doc_id,) = [h.id for h in s.search("").hits]
        for query in ("person:putin", 'person:"vladimir putin"', "person:scholz", "putin"):
            assert [h.id for h in s.search(query).hits] == [doc_id], query
        assert s.search('person:"olaf putin"').total == 0


@pytest.mark.slow
def test_seed_facets_and_snippets(seed_index: Path) -> None:
    with Searcher(seed_index) as s:
        res = s.search("person:putin", facet_limit=None)
        people = {c.value for c in res.facets["person"]}
        assert {"Vladimir Putin", "Olaf Scholz"} <= people
        assert "Putin" not in people  # the surname is linked to the full name
        places = {c.value for c in res.facets["place"]}
        assert {"Ukraine", "Germany", "Kyiv"} <= places
        assert {fold(t).replace("’", "'").removesuffix("'s") for t in span_texts(res)} == {"putin"}
        res = s.search('person:"vladimir putin"')
        assert {fold(t).replace("’", "'").removesuffix("'s") for t in span_texts(res)} == {
            "putin", "vladimir"}


def test_sort_by_date_puts_undated_hits_last_in_relevance_order(news_index: Path) -> None:
    with Searcher(news_index) as s:
        by_score = s.search("talks OR berlin OR summit", limit=20).hits
        by_date = s.search("talks OR berlin OR summit", sort="date", limit=20).hits
        dated = [h.date for h in by_date if h.date]
        assert dated == sorted(dated, reverse=True)
        assert [h.date for h in by_date] == dated + [None] * (len(by_date) - len(dated))
        undated_by_score = [h.id for h in by_score if not h.date]
        assert [h.id for h in by_date if not h.date] == undated_by_score
        assert len(undated_by_score) >= 2
