"""Tests for search.analytics: co-occurrence (PMI, LMI), DOT export, timelines, JLH significance.

Every corpus is a JSONL file indexed with `DictExtractor`, so each document's entities and
date are known and the expected figures below are worked out by hand in the comments.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import DictExtractor, fake_settings

from search.analytics.cooccurrence import Cooccurrence, cooccurrence, to_dot
from search.analytics.significance import significant
from search.analytics.timeline import timeline
from search.errors import QueryError
from search.index.indexer import build
from search.query.searcher import Searcher
from search.results import FacetCount

NAMES = {
    "Alice Smith": "PERSON", "Bob Jones": "PERSON", "Xavier Ruiz": "PERSON", "Ivy Chen": "PERSON",
    "Paris": "GPE", "Oslo": "GPE", "Rome": "GPE", "Madrid": "GPE", "Acme": "ORG",
    "Mikhail Khodorkovsky": "PERSON", "Baikal Finance Group": "ORG", "Baikal": "GPE",
}


def index_records(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    """Index records (one JSONL file, ids `news.jsonl#<id>`) with the fake extractor."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (corpus / "news.jsonl").write_text(lines, encoding="utf-8")
    index_dir = tmp_path / "index"
    build([corpus], index_dir, settings=fake_settings(batch_size=2),
          extractor=DictExtractor(NAMES))
    return index_dir


def doc(doc_id: str, text: str, date: str | None = None) -> dict[str, Any]:
    record = {"id": doc_id, "title": f"Report {doc_id}", "text": text}
    return record if date is None else {**record, "date": date}


# Co-occurrence
#
# N = 12 documents.  Alice Smith: d01-d04.  Paris: d01-d06.  Oslo: d01-d02.
# Acme: d03, d05, d06.  Bob Jones: d05-d08.  Rome: d07-d08.  d09-d12: no entities.

COOC = [
    doc("d01", "Alice Smith arrived in Paris. The weather was cold. Smith then left for Oslo."),
    doc("d02", "Alice Smith flew to Oslo. She had left Paris at dawn."),
    doc("d03", "Alice Smith spoke at Acme in Paris."),
    doc("d04", "In Paris, Alice Smith opened a school."),
    doc("d05", "Bob Jones visited Acme in Paris."),
    doc("d06", "Acme hired Bob Jones in Paris."),
    doc("d07", "Bob Jones moved to Rome."),
    doc("d08", "Bob Jones left Rome."),
    *(doc(f"d{n:02d}", "A quiet day with rain.") for n in range(9, 13)),
]


def pmi(n: int, n_ab: int, n_a: int, n_b: int) -> float:
    return math.log2(n * n_ab / (n_a * n_b))


@pytest.fixture
def cooc(tmp_path: Path) -> Iterator[Searcher]:
    with Searcher(index_records(tmp_path, COOC)) as s:
        yield s


def summary(pairs: tuple[Cooccurrence, ...]) -> list[tuple[str, str, int]]:
    return [(c.facet, c.value, c.count) for c in pairs]


def test_cooccurrence_counts_pmi_and_lmi_order(cooc: Searcher) -> None:
    pairs = cooccurrence(cooc, "person", "Alice Smith")
    # Paris: 4 of Alice's 4 documents, in 6 of 12: PMI log2(12·4/(4·6)) = 1, LMI 4.
    # Oslo: 2 of 4, in 2 of 12: PMI log2(12·2/(4·2)) = log2 3 ≈ 1.585, LMI ≈ 3.17.
    # Oslo has the higher PMI, Paris the higher LMI, and LMI decides the order.
    assert summary(pairs) == [("place", "Paris", 4), ("place", "Oslo", 2)]
    assert pairs[0].pmi == pytest.approx(1.0)
    assert pairs[1].pmi == pytest.approx(math.log2(3))
    assert pairs[1].pmi > pairs[0].pmi
    assert pairs[0].count * pairs[0].pmi > pairs[1].count * pairs[1].pmi


def test_cooccurrence_min_count_filters_rare_pairs(cooc: Searcher) -> None:
    # Acme is with Alice only in d03 (1 document): dropped at the default min_count of 2.
    # Kept at 1, with PMI log2(12·1/(4·3)) = 0, so LMI 0 puts it last.
    pairs = cooccurrence(cooc, "person", "Alice Smith", min_count=1)
    assert summary(pairs) == [("place", "Paris", 4), ("place", "Oslo", 2), ("org", "Acme", 1)]
    assert pairs[2].pmi == pytest.approx(pmi(12, 1, 4, 3)) == pytest.approx(0.0)
    assert summary(cooccurrence(cooc, "person", "Alice Smith", min_count=3)) == [
        ("place", "Paris", 4)]
    assert cooccurrence(cooc, "person", "Alice Smith", min_count=5) == ()


def test_cooccurrence_never_lists_the_entity_itself_and_covers_every_facet(cooc: Searcher) -> None:
    pairs = cooccurrence(cooc, "place", "paris")  # the value as typed: any case
    # n(Paris) = 6.  Alice 4 of 4 → log2(12·4/(6·4)) = 1, LMI 4; Acme 3 of 3 → 1, LMI 3;
    # Oslo 2 of 2 → 1, LMI 2; Bob Jones 2 of 4 → log2(12·2/(6·4)) = 0, LMI 0.
    assert summary(pairs) == [("person", "Alice Smith", 4), ("org", "Acme", 3),
                              ("place", "Oslo", 2), ("person", "Bob Jones", 2)]
    assert [c.pmi for c in pairs] == pytest.approx([1.0, 1.0, 1.0, 0.0])
    assert summary(cooccurrence(cooc, "place", "Paris", of="person")) == [
        ("person", "Alice Smith", 4), ("person", "Bob Jones", 2)]
    assert summary(cooccurrence(cooc, "place", "Paris", limit=2)) == summary(pairs)[:2]


def test_cooccurrence_within_results_counts_there_against_the_whole_index(cooc: Searcher) -> None:
    # "paris" matches d01-d06; Bob Jones is in two of them (d05, d06), so n(a) = 2, while
    # N = 12 and n(b) stay the index's: Acme log2(12·2/(2·3)) = 2, Paris log2(12·2/(2·6)) = 1;
    # Rome (d07, d08) is outside the results.
    pairs = cooccurrence(cooc, "person", "Bob Jones", query="paris")
    assert summary(pairs) == [("org", "Acme", 2), ("place", "Paris", 2)]
    assert [c.pmi for c in pairs] == pytest.approx([2.0, 1.0])
    # without the query: n(a) = 4, Rome log2(12·2/(4·2)), Acme log2(12·2/(4·3)), Paris 0
    assert [(c.value, c.pmi) for c in cooccurrence(cooc, "person", "Bob Jones")] == [
        ("Rome", pytest.approx(math.log2(3))), ("Acme", pytest.approx(1.0)),
        ("Paris", pytest.approx(0.0))]
    # a filter scopes the same way: Acme's documents hold one of Alice's (d03) only
    assert cooccurrence(cooc, "person", "Alice Smith", where={"org": "Acme"}) == ()
    scoped = cooccurrence(cooc, "person", "Alice Smith", where={"org": "Acme"}, min_count=1)
    # n(a) = 1: Acme log2(12·1/(1·3)) = 2, Paris log2(12·1/(1·6)) = 1
    assert summary(scoped) == [("org", "Acme", 1), ("place", "Paris", 1)]
    assert [c.pmi for c in scoped] == pytest.approx([2.0, 1.0])


def test_cooccurrence_inside_a_query_for_the_entity_is_not_all_zero(cooc: Searcher) -> None:
    # A query for the entity itself keeps all of its documents: the same association as
    # over the whole index, not PMI 0 for every row as when the results were the background.
    everywhere = cooccurrence(cooc, "person", "Alice Smith")
    for query in ('person:"Alice Smith"', "smith", "alice OR smith"):
        pairs = cooccurrence(cooc, "person", "Alice Smith", query=query)
        assert [(c.value, c.count) for c in pairs] == [(c.value, c.count) for c in everywhere]
        assert [c.pmi for c in pairs] == pytest.approx([1.0, math.log2(3)]), query
    filtered = cooccurrence(cooc, "person", "Alice Smith", where={"person": "Alice Smith"})
    assert [c.pmi for c in filtered] == pytest.approx([1.0, math.log2(3)])


def test_cooccurrence_example_sentence_names_both_entities(cooc: Searcher) -> None:
    paris, oslo = cooccurrence(cooc, "person", "Alice Smith")
    assert paris.sentence == "Alice Smith arrived in Paris."
    assert paris.doc_id == "news.jsonl#d01"
    # the surname alone stands for the full name
    assert oslo.sentence == "Smith then left for Oslo."
    assert oslo.doc_id == "news.jsonl#d01"
    for c in cooccurrence(cooc, "place", "Paris", min_count=1):
        if c.sentence is not None:
            assert "Paris" in c.sentence
            assert c.value.split()[-1] in c.sentence


def test_cooccurrence_quotes_only_sentences_that_name_both(tmp_path: Path) -> None:
    records = [
        doc("e1", "Menatep, a group through which Mr Khodorkovsky controls Yukos, objected. "
                  "Baikal Finance Group won the auction."),
        doc("e2", "Baikal Finance Group was unknown. Mikhail Khodorkovsky said nothing. "
                  "Baikal Finance Group, Baikal's pride, paid."),
        doc("e3", "Mikhail Khodorkovsky said Baikal Finance Group was a front. Baikal lies east."),
        doc("e4", "Lake Baikal. Khodorkovsky was not there, nor was Baikal Finance Group."),
        doc("e5", "Mikhail Khodorkovsky flew over Baikal in 2003."),
    ]
    with Searcher(index_records(tmp_path, records)) as s:
        pairs = {c.value: c for c in cooccurrence(s, "person", "Mikhail Khodorkovsky")}
        # an organisation's last word ("group") does not stand for it; a person's surname does
        assert pairs["Baikal Finance Group"].sentence == (
            "Mikhail Khodorkovsky said Baikal Finance Group was a front.")
        assert pairs["Baikal Finance Group"].doc_id == "news.jsonl#e3"
        # the place inside the organisation's name is not the place: e5 is the first to name it
        assert pairs["Baikal"].sentence == "Mikhail Khodorkovsky flew over Baikal in 2003."
        # "Baikal" inside "Baikal Finance Group" is one name, not both: e2's third sentence
        # names the place apart ("Baikal's pride") and is the first that names both
        by_org = {c.value: c for c in cooccurrence(s, "org", "Baikal Finance Group")}
        assert by_org["Baikal"].sentence == "Baikal Finance Group, Baikal's pride, paid."


def test_cooccurrence_without_a_shared_sentence_has_no_example(cooc: Searcher) -> None:
    # Oslo and Paris share d01 and d02 but never one sentence.
    by_value = {c.value: c for c in cooccurrence(cooc, "place", "Oslo")}
    assert set(by_value) == {"Alice Smith", "Paris"}
    assert by_value["Paris"].sentence is None and by_value["Paris"].doc_id is None
    assert by_value["Alice Smith"].sentence == "Smith then left for Oslo."


def test_cooccurrence_unknown_facet_or_value_is_a_query_error_with_a_hint(cooc: Searcher) -> None:
    with pytest.raises(QueryError, match="unknown facet 'colour'") as bad_facet:
        cooccurrence(cooc, "colour", "Red")
    assert "person" in bad_facet.value.hint
    with pytest.raises(QueryError, match="no person called 'Carol King'") as bad_value:
        cooccurrence(cooc, "person", "Carol King")
    assert ":facets person" in bad_value.value.hint


# DOT export

_DOT_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|(--|[{}\[\];,=])|([A-Za-z_][\w.]*|-?\d+(?:\.\d+)?))')


def parse_dot(text: str) -> tuple[str, dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """A strict reader for the DOT subset to_dot writes: (graph name, nodes, edges)."""
    tokens: list[str] = []
    pos = 0
    while pos < len(text.rstrip()):
        m = _DOT_TOKEN.match(text, pos)
        assert m is not None and m.end() > pos, f"cannot read DOT at {text[pos:pos + 20]!r}"
        tokens.append(m.group().strip())
        pos = m.end()

    def unquote(token: str) -> str:
        if token.startswith('"'):
            return re.sub(r"\\(.)", r"\1", token[1:-1])
        return token

    def attrs(i: int) -> tuple[dict[str, str], int]:
        out: dict[str, str] = {}
        if tokens[i] != "[":
            return out, i
        i += 1
        while tokens[i] != "]":
            key, eq, value = tokens[i:i + 3]
            assert eq == "=" and value not in "[]{};,="
            out[key] = unquote(value)
            i += 3
            if tokens[i] == ",":
                i += 1
        return out, i + 1

    assert tokens[0] == "graph" and tokens[2] == "{" and tokens[-1] == "}"
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str, dict[str, str]]] = []
    i = 3
    while tokens[i] != "}":
        a = unquote(tokens[i])
        if tokens[i + 1] == "--":
            b = unquote(tokens[i + 2])
            found, i = attrs(i + 3)
            edges.append((a, b, found))
        else:
            nodes[a], i = attrs(i + 1)
        assert tokens[i] == ";"
        i += 1
    return tokens[1], nodes, edges


def test_to_dot_is_an_undirected_graph_of_the_pairs(cooc: Searcher) -> None:
    pairs = cooccurrence(cooc, "person", "Alice Smith")
    name, nodes, edges = parse_dot(to_dot("person", "Alice Smith", pairs))
    assert name == "cooccurrence"
    assert set(nodes) == {"Alice Smith", "Paris", "Oslo"}
    assert nodes["Alice Smith"] == {"shape": "box", "style": "bold"}
    assert nodes["Paris"] == {"tooltip": "place"}
    assert [(a, b, e["label"]) for a, b, e in edges] == [
        ("Alice Smith", "Paris", "4"), ("Alice Smith", "Oslo", "2")]
    # pen width grows with PMI: 1 + 1 for Paris, 1 + log2 3 for Oslo
    assert [e["penwidth"] for _, _, e in edges] == ["2.0", "2.6"]


def test_to_dot_escapes_quotes_and_backslashes_in_names() -> None:
    pairs = [Cooccurrence("org", 'The "Shard" Ltd', 3, -0.5),
             Cooccurrence("place", "C:\\Temp", 2, 0.2)]
    text = to_dot("person", 'Dwayne "The Rock" Johnson', pairs)
    assert '"Dwayne \\"The Rock\\" Johnson"' in text
    _, nodes, edges = parse_dot(text)
    assert set(nodes) == {'Dwayne "The Rock" Johnson', 'The "Shard" Ltd', "C:\\Temp"}
    assert [(b, e["penwidth"]) for _, b, e in edges] == [('The "Shard" Ltd', "1.0"),
                                                        ("C:\\Temp", "1.2")]
    assert parse_dot(to_dot("person", "Nobody", []))[1:] == ({"Nobody": {"shape": "box",
                                                                          "style": "bold"}}, [])


# Timeline
#
# 2023-12-31 is a Sunday (ISO week 2023-W52); 2024-01-01 a Monday (2024-W01); 2024-12-30 a
# Monday whose ISO week is 2025-W01.

TIMELINE = [
    doc("t1", "Alice Smith in Paris.", "2024-01-01"),
    doc("t2", "Alice Smith again in Paris.", "2024-01-03"),
    doc("t3", "Alice Smith in Rome.", "2024-01-08"),
    doc("t4", "Bob Jones in Rome.", "2024-02-10"),
    doc("t5", "Bob Jones spoke.", "2024-02-10"),
    doc("t6", "Acme results.", "2024-03-31"),
    doc("t7", "New year in Paris.", "2023-12-31"),
    doc("t8", "A winter note.", "2024-12-30"),
    doc("t9", "Undated news from Paris."),
    doc("t10", "Undated notes."),
]


@pytest.fixture
def dated(tmp_path: Path) -> Iterator[Searcher]:
    with Searcher(index_records(tmp_path, TIMELINE)) as s:
        yield s


def counts(tl: Any) -> dict[str, int]:
    """The periods that have documents (the timeline also lists the empty ones between)."""
    return {b.period: b.count for b in tl.buckets if b.count}


def test_timeline_by_month_counts_documents_and_undated_apart(dated: Searcher) -> None:
    tl = timeline(dated)
    assert tl.by == "month"
    assert counts(tl) == {"2023-12": 1, "2024-01": 3, "2024-02": 2, "2024-03": 1, "2024-12": 1}
    periods = [b.period for b in tl.buckets]
    assert periods == ["2023-12", *(f"2024-{m:02d}" for m in range(1, 13))]  # gaps shown
    assert {b.period for b in tl.buckets if not b.count} == set(periods) - set(counts(tl))
    assert tl.undated == 2
    assert tl.total == 10 == sum(counts(tl).values()) + tl.undated


def test_timeline_by_week_day_and_year(dated: Searcher) -> None:
    assert counts(timeline(dated, by="week")) == {
        "2023-W52": 1, "2024-W01": 2, "2024-W02": 1, "2024-W06": 2, "2024-W13": 1, "2025-W01": 1}
    assert counts(timeline(dated, by="day")) == {
        "2023-12-31": 1, "2024-01-01": 1, "2024-01-03": 1, "2024-01-08": 1, "2024-02-10": 2,
        "2024-03-31": 1, "2024-12-30": 1}
    by_year = timeline(dated, by="year")
    assert counts(by_year) == {"2023": 1, "2024": 7}
    assert len(timeline(dated, by="day").buckets) == (date(2024, 12, 30) - date(2023, 12, 31)).days + 1
    assert by_year.undated == 2


def test_timeline_flags_the_busiest_periods(dated: Searcher) -> None:
    tl = timeline(dated, busiest=2)
    assert [b.period for b in tl.buckets if b.busiest] == ["2024-01", "2024-02"]
    assert [b.period for b in timeline(dated, busiest=1).buckets if b.busiest] == ["2024-01"]
    assert not any(b.busiest for b in timeline(dated, busiest=0).buckets)


def test_timeline_bucket_lists_its_top_entities_across_facets(dated: Searcher) -> None:
    buckets = {b.period: b for b in timeline(dated).buckets}
    # January: Alice Smith in t1-t3, Paris in t1-t2, Rome in t3
    assert buckets["2024-01"].top == (FacetCount("Alice Smith", 3), FacetCount("Paris", 2),
                                      FacetCount("Rome", 1))
    assert buckets["2024-02"].top == (FacetCount("Bob Jones", 2), FacetCount("Rome", 1))
    assert buckets["2024-12"].top == ()
    assert {b.period: b.top for b in timeline(dated, top=1).buckets}["2024-01"] == (
        FacetCount("Alice Smith", 3),)


def test_timeline_covers_only_the_matching_documents(dated: Searcher) -> None:
    tl = timeline(dated, query="paris")  # t1, t2, t7 and the undated t9
    assert counts(tl) == {"2023-12": 1, "2024-01": 2}
    assert (tl.undated, tl.total) == (1, 4)
    filtered = timeline(dated, where={"person": "Bob Jones"}, by="day")
    assert counts(filtered) == {"2024-02-10": 2}
    assert counts(timeline(dated, exclude={"place": "Paris"}, by="year")) == {"2024": 5}
    empty = timeline(dated, query="zebra")
    assert (empty.buckets, empty.undated, empty.total) == ((), 0, 0)


def test_timeline_rejects_an_unknown_period(dated: Searcher) -> None:
    with pytest.raises(QueryError, match="cannot group by 'fortnight'") as exc:
        timeline(dated, by="fortnight")
    assert exc.value.hint == "use one of: day, week, month, year"


# Significant entities
#
# N = 12; "election" matches e1-e4.  Xavier Ruiz: e1-e3 only.  Madrid: e1, e2 and 3 others.
# Acme: e1, e2 and 4 others.  Ivy Chen: e4 only.

SIGNIFICANT = [
    doc("e1", "Election day: Xavier Ruiz voted in Madrid. Acme closed early."),
    doc("e2", "Xavier Ruiz won the election in Madrid; Acme staff cheered."),
    doc("e3", "After the election Xavier Ruiz thanked voters."),
    doc("e4", "Ivy Chen observed the election."),
    *(doc(f"m{n}", "Rain in Madrid.") for n in range(1, 4)),
    *(doc(f"a{n}", "Acme shares rose.") for n in range(1, 5)),
    doc("q1", "A quiet day."),
]


@pytest.fixture
def voting(tmp_path: Path) -> Iterator[Searcher]:
    with Searcher(index_records(tmp_path, SIGNIFICANT)) as s:
        yield s


def jlh(n: int, fg: int, bg_n: int, bg: int) -> float:
    p_fg, p_bg = n / fg, bg_n / bg
    return (p_fg - p_bg) * (p_fg / p_bg)


def test_significant_ranks_concentrated_entities_above_spread_ones(voting: Searcher) -> None:
    found = significant(voting, query="election")
    # Xavier Ruiz: 3/4 vs 3/12 → (0.75 - 0.25) · 3 = 1.5
    # Madrid: 2/4 vs 5/12 → (1/12) · 1.2 = 0.1
    # Acme: 2/4 vs 6/12: no rise, so not listed; Ivy Chen: 1 document < min_count
    assert [(s.facet, s.value) for s in found] == [("person", "Xavier Ruiz"), ("place", "Madrid")]
    xavier, madrid = found
    assert (xavier.count, xavier.total, xavier.background, xavier.background_total) == (3, 4, 3, 12)
    assert xavier.score == pytest.approx(1.5) == pytest.approx(jlh(3, 4, 3, 12))
    assert (madrid.count, madrid.background) == (2, 5)
    assert madrid.score == pytest.approx(0.1) == pytest.approx(jlh(2, 4, 5, 12))


def test_significant_min_count_and_limit(voting: Searcher) -> None:
    found = significant(voting, query="election", min_count=1)
    # Ivy Chen: 1/4 vs 1/12 → (1/6) · 3 = 0.5
    assert [(s.value, round(s.score, 6)) for s in found] == [
        ("Xavier Ruiz", 1.5), ("Ivy Chen", 0.5), ("Madrid", 0.1)]
    assert [s.value for s in significant(voting, query="election", min_count=1, limit=1)] == [
        "Xavier Ruiz"]


def test_significant_is_empty_when_nothing_stands_out(voting: Searcher) -> None:
    assert significant(voting) == ()  # the whole index is its own background
    assert significant(voting, query="zebra") == ()
    # restricted by a filter: Madrid's documents (e1, e2, m1-m3) make Xavier 2/5 vs 3/12
    by_place = significant(voting, where={"place": "Madrid"})
    assert [s.value for s in by_place] == ["Madrid", "Xavier Ruiz"]
    assert by_place[1].score == pytest.approx(jlh(2, 5, 3, 12))
