"""Tests for search.query.parsing: the query language, read against a small indexed corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NEWS_NAMES, DictExtractor, fake_settings, write_news
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from search.errors import QueryError
from search.index.indexer import build
from search.index.schema import build_schema
from search.query.parsing import QueryParser, plain_text, straighten_quotes
from search.query.searcher import Searcher


@pytest.fixture
def searcher(news_index: Path) -> Iterator[Searcher]:
    with Searcher(news_index) as s:
        yield s


@pytest.fixture
def parser() -> QueryParser:
    return QueryParser(build_schema(), ("person", "place", "org"))


def found(s: Searcher, query: str, plain: bool = False) -> set[str]:
    return {h.id for h in s.search(query, limit=100, plain=plain, suggest=False).hits}


WIRES = {"wires.jsonl#w1", "wires.jsonl#w2", "wires.jsonl#w3", "wires.jsonl#w4"}


def test_phrase_needs_the_words_in_order(searcher: Searcher) -> None:
    assert found(searcher, '"olaf scholz"') == {"scholz-putin.txt", "zelensky-berlin.txt"}
    assert found(searcher, '"scholz olaf"') == set()
    assert found(searcher, '"air defence"') == {"zelensky-berlin.txt", "wires.jsonl#w1"}
    assert found(searcher, '"defence air"') == set()


def test_prefix_matches_word_starts(searcher: Searcher) -> None:
    assert found(searcher, "zel*") == {"zelensky-berlin.txt"}
    assert found(searcher, "summ*") == WIRES
    assert found(searcher, "pyth*") == {"python.md"}


def test_boolean_operators(searcher: Searcher) -> None:
    assert found(searcher, "summit AND london") == {"wires.jsonl#w1"}
    assert found(searcher, "python OR markets") == {"python.md", "market-report.txt"}
    assert found(searcher, "summit AND NOT kyiv") == WIRES - {"wires.jsonl#w2"}
    assert found(searcher, "(kyiv OR london) AND summit") == {"wires.jsonl#w1", "wires.jsonl#w2"}


def test_bare_not_excludes_instead_of_adding_everything_else(searcher: Searcher) -> None:
    assert found(searcher, "summit NOT kyiv") == WIRES - {"wires.jsonl#w2"}
    assert found(searcher, "summit NOT kyiv NOT ukraine") == {"wires.jsonl#w3"}
    assert found(searcher, "summit NOT (kyiv OR london)") == {"wires.jsonl#w3", "wires.jsonl#w4"}
    assert "python.md" in found(searcher, "NOT summit")


def test_several_words_rank_documents_with_more_of_them_first(searcher: Searcher) -> None:
    hits = searcher.search("summit london", suggest=False).hits
    assert hits[0].id == "wires.jsonl#w1"  # the only one with both words
    assert {h.id for h in hits} == WIRES | {"market-report.txt", "python.md"}


def test_field_queries(searcher: Searcher) -> None:
    assert found(searcher, "title:python") == {"python.md"}
    assert found(searcher, "title:summit") == {"wires.jsonl#w1", "wires.jsonl#w4"}
    assert found(searcher, "body:python") == {"python.md"}
    assert found(searcher, "person:zelensky") == {"zelensky-berlin.txt"}
    assert found(searcher, "place:kyiv") == {"scholz-putin.txt", "wires.jsonl#w2"}
    assert found(searcher, "org:kremlin") == {"scholz-putin.txt", "zelensky-berlin.txt"}
    assert found(searcher, "source:wire") == WIRES
    assert found(searcher, "id:python.md") == {"python.md"}
    assert found(searcher, "person:(putin OR zelensky)") == {"scholz-putin.txt", "zelensky-berlin.txt"}


def test_field_names_are_case_insensitive(searcher: Searcher) -> None:
    assert found(searcher, "Title:python") == found(searcher, "title:python") == {"python.md"}
    assert found(searcher, "PERSON:scholz") == found(searcher, "person:scholz")


@pytest.mark.parametrize("alias, field", [
    ("people", "person"), ("who", "person"), ("places", "place"), ("where", "place"),
    ("location", "place"), ("organisation", "org"), ("company", "org"), ("text", "body"),
])
def test_field_aliases_mean_the_field(searcher: Searcher, alias: str, field: str) -> None:
    word = {"person": "scholz", "place": "london", "org": "nato", "body": "python"}[field]
    expected = found(searcher, f"{field}:{word}")
    assert expected
    assert found(searcher, f"{alias}:{word}") == expected


def test_date_year_and_month_ranges(searcher: Searcher) -> None:
    assert found(searcher, "date:2024") == {"wires.jsonl#w1", "wires.jsonl#w2", "wires.jsonl#w3"}
    assert found(searcher, "date:2023") == {"wires.jsonl#w4"}
    assert found(searcher, "date:[2024-01 to 2024-06]") == {"wires.jsonl#w1", "wires.jsonl#w2"}
    assert found(searcher, "date:[2024-01 TO 2024-06]") == {"wires.jsonl#w1", "wires.jsonl#w2"}
    assert found(searcher, "date:2024-05") == {"wires.jsonl#w2"}
    assert found(searcher, "date:[2024-06 to]") == {"wires.jsonl#w3"}
    assert found(searcher, "summit date:2024") == {"wires.jsonl#w1", "wires.jsonl#w2", "wires.jsonl#w3"}


def test_unknown_field_is_an_error_naming_it_with_a_hint(searcher: Searcher) -> None:
    with pytest.raises(QueryError) as info:
        searcher.search("colour:red summit")
    error = info.value
    assert "'colour'" in error.message and error.query == "colour:red summit"
    for field in ("title", "body", "person", "place", "org", "date"):
        assert field in error.hint
    assert '"colour: ..."' in error.hint
    # quoted, it is just text
    assert found(searcher, '"colour: red" summit') == WIRES


@pytest.mark.parametrize(("query", "message", "hint"), [
    ("title:(", "the bracket after title: in the query 'title:(' is never closed",
     "put the words to find in title between brackets: title:(some words)"),
    ("summit title:(nato talks", "the bracket after title: in the query 'summit title:(nato",
     "close it: summit title:(nato talks)"),
    ("person:(olaf (scholz)", "the bracket after person:", "close it: person:(olaf (scholz))"),
    ("Title:)", "a ')' follows Title: in the query 'Title:)', with no '(' to open it",
     "write Title:word, or Title:(several words) in brackets"),
])
def test_an_unclosed_bracket_after_a_field_is_an_error_naming_it(
    searcher: Searcher, query: str, message: str, hint: str
) -> None:
    with pytest.raises(QueryError) as info:
        searcher.search(query)
    assert info.value.message.startswith(message) and info.value.hint == hint
    assert info.value.query == query


def test_a_closed_bracket_after_a_field_still_searches_that_field(searcher: Searcher) -> None:
    assert found(searcher, "title:(nato summit)")
    assert found(searcher, "title:(nato summit)") == found(searcher, "title:nato OR title:summit")
    assert found(searcher, 'title:("nato (" summit)') == found(searcher, 'title:"nato" OR title:summit')


@pytest.mark.parametrize("query", [
    '"', "'", "(", ")", "[", "]", "{", "}", '"olaf scholz', 'olaf scholz"', "((summit",
    "summit)", "[summit", "summit]", "date:[2024", "date:[2024-01 to", "date:", "person:",
    'person:"vladimir', "title:(", "AND", "OR OR", "NOT", "summit AND", "^", "~", "*", "?",
    "summit^", "date:2024-13", "date:notadate", '"" ()', "\\", "summit:", "\x00",
])
def test_malformed_queries_never_raise_anything_but_query_error(searcher: Searcher, query: str) -> None:
    try:
        res = searcher.search(query)
    except QueryError as error:
        assert error.hint
    else:
        assert res.total >= 0


def test_plain_text_drops_all_syntax(parser: QueryParser) -> None:
    text = 'What is AND (this): "odd" text?'
    assert plain_text(text) == "What is and this odd text"
    assert plain_text("person:putin OR title:[a TO b]") == "person putin or title a to b"
    assert plain_text('"()":*') == ""
    assert isinstance(parser.parse('":*"', plain=True), wq.Every)


def test_plain_mode_reads_odd_text_as_words(searcher: Searcher) -> None:
    assert found(searcher, 'What is AND (this): "odd" text?', plain=True) == {"odd-text.txt"}
    # no unknown-field error in plain mode: "colour:" is just a word
    assert found(searcher, "colour: summit", plain=True) == WIRES


def test_entity_clause_beside_free_words_is_required(searcher: Searcher) -> None:
    # "talks" alone is in six documents; only one of them has Putin among its people
    assert len(found(searcher, "talks")) == 6
    assert found(searcher, "person:putin talks") == {"scholz-putin.txt"}
    assert found(searcher, "talks person:putin") == {"scholz-putin.txt"}
    assert found(searcher, "place:london talked") == {"wires.jsonl#w1", "market-report.txt", "python.md"}
    # an explicit OR keeps the user's meaning
    assert found(searcher, "person:putin OR python") == {"scholz-putin.txt", "python.md"}


def test_empty_query_is_every_document(parser: QueryParser, searcher: Searcher) -> None:
    assert isinstance(parser.parse("   "), wq.Every)
    assert searcher.search("").total == 9


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """The news index once for the module, for property tests that run many queries."""
    base = tmp_path_factory.mktemp("querying")
    build([write_news(base / "news")], base / "index", settings=fake_settings(),
          extractor=DictExtractor(NEWS_NAMES))
    with Searcher(base / "index") as s:
        yield s


SYNTAX = ['"', "'", "(", ")", "[", "]", "{", "}", ":", "*", "?", "^", "~", "\\", "/", "-", "+",
          " AND ", " OR ", " NOT ", " TO ", "person:", "date:", "title:", "who:", "id:", "2024",
          "2024-01", "summit", "kyiv", "putin", " ", "<", ">", "=", "!", "colour:"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=400,
          deadline=None)
@given(st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join) | st.text(max_size=30))
def test_any_query_gives_results_or_a_query_error(shared: Searcher, query: str) -> None:
    try:
        res = shared.search(query)
    except QueryError as error:
        assert error.message and error.hint
    else:
        assert 0 <= len(res.hits) <= res.total <= 9
    res = shared.search(query, plain=True)  # plain mode never refuses a query
    assert res.total <= 9


@pytest.mark.parametrize("curly", [
    "“olaf scholz”", "„olaf scholz“", "«olaf scholz»", "”olaf scholz”", "＂olaf scholz＂",
])
def test_typographic_double_quotes_make_a_phrase(searcher: Searcher, curly: str) -> None:
    phrase = found(searcher, '"olaf scholz"')
    assert phrase == {"scholz-putin.txt", "zelensky-berlin.txt"}
    assert found(searcher, curly) == phrase
    # the words in the other order are no phrase, whatever the quotes
    assert found(searcher, curly.replace("olaf scholz", "scholz olaf")) == set()


def test_typographic_quotes_in_entity_clauses(searcher: Searcher) -> None:
    straight = found(searcher, 'person:"Vladimir Putin"')
    assert straight == {"scholz-putin.txt"}
    assert found(searcher, "person:“Vladimir Putin”") == straight
    assert found(searcher, "person:“Putin Vladimir”") == found(searcher, 'person:"Putin Vladimir"')
    # a quoted field name is text, as with straight quotes: not an unknown field
    assert found(searcher, "“colour: red”") == found(searcher, '"colour: red"')


def test_apostrophes_inside_words_stay_apostrophes(searcher: Searcher) -> None:
    assert straighten_quotes("O’Brien don’t ‘Putin’s talks’") == "O’Brien don’t 'Putin’s talks'"
    assert found(searcher, "Putin’s spokesman") == found(searcher, "Putin's spokesman")
    assert found(searcher, "‘kremlin’") == found(searcher, "'kremlin'") == {"scholz-putin.txt",
                                                                          "zelensky-berlin.txt"}


def test_did_you_mean_reads_typographic_quotes(searcher: Searcher) -> None:
    # the misspelt word is corrected; the phrase is left alone, as with straight quotes
    res = searcher.search("“olaf scholz” AND kremlinn")
    assert res.total == 0 and res.corrected == '"olaf scholz" AND kremlin'
    assert searcher.search(res.corrected).total == 2


def test_less_and_greater_than_exclude_the_period_they_name(tmp_path: Path) -> None:
    """Whoosh counts `date:<1987` as up to the end of 1987; a reader means before it."""
    import json

    import search
    from search.config import Settings

    days = ["1986-12-31", "1987-01-01", "1987-03-01", "1987-03-02", "1988-01-01"]
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(
        "\n".join(
            json.dumps({"id": str(i), "title": f"Oil {i}", "text": f"Oil price report {i}.", "date": d})
            for i, d in enumerate(days)
        ),
        encoding="utf-8",
    )
    search.build([corpus], tmp_path / "ix", settings=Settings(entities=False))
    with search.open(tmp_path / "ix") as s:
        def dates(q: str) -> list[str | None]:
            return sorted(h.date for h in s.hits(q) if h.date)

        assert dates("date:<1987") == ["1986-12-31"]
        assert dates("date:>1987") == ["1988-01-01"]
        assert dates("date:>1987-03-01") == ["1987-03-02", "1988-01-01"]
        assert dates("date:>=1987-03-01") == ["1987-03-01", "1987-03-02", "1988-01-01"]
        assert dates("date:<=1987") == days[:4]
        assert dates("date:[1987 TO 1988]") == days[1:]
