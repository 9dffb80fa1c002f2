"""Tests for search.terminal.lexer: how the line is coloured as it is typed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from prompt_toolkit.document import Document

from search.terminal.lexer import QueryLexer, tokens


def kinds(line: str) -> list[tuple[str, str]]:
    """The styled pieces of a line, as (kind, text), unstyled text left out."""
    return [(style.removeprefix("class:query."), text)
            for style, text, *_ in tokens(line) if style]


@given(st.text(alphabet=st.sampled_from(list('ab :+-"()*AND OR person place title 3')),
               max_size=40))
def test_tokens_join_back_into_the_line(line: str) -> None:
    assert "".join(text for _, text, *_ in tokens(line)) == line


@given(st.text(max_size=60))
def test_any_text_joins_back(line: str) -> None:
    assert "".join(text for _, text, *_ in tokens(line)) == line


def test_query_parts() -> None:
    assert kinds('person:putin war "peace talks" AND title:(kyiv OR moscow*)') == [
        ("entity", "person:putin"),
        ("phrase", '"peace talks"'),
        ("operator", "AND"),
        ("field", "title:"),
        ("syntax", "("),
        ("operator", "OR"),
        ("syntax", "*"),
        ("syntax", ")"),
    ]


def test_entity_clauses_with_quotes_and_aliases() -> None:
    assert kinds('place:"New York" who:blair org:"unfinished') == [
        ("entity", 'place:"New York"'),
        ("entity", "who:blair"),
        ("entity", 'org:"unfinished'),
    ]


def test_lower_case_operators_are_words() -> None:
    assert kinds("war and peace or not") == []
    assert kinds("war NOT peace") == [("operator", "NOT")]


def test_filter_lines() -> None:
    assert kinds('+person:"Vladimir Putin" -place:New York +3 -12') == [
        ("filter", '+person:"Vladimir Putin"'),
        ("filter", "-place:New York"),
        ("pick", "+3"),
        ("pick", "-12"),
    ]


def test_commands() -> None:
    assert tokens(":open 3") == [("class:query.command", ":open"), ("", " 3")]
    assert tokens("  :q") == [("class:query.command", "  :q")]
    assert kinds('word :open "x"') == [("phrase", '"x"')]


def test_query_lexer_uses_the_index_facets() -> None:
    lexer = QueryLexer(facets=("topic",))
    line = lexer.lex_document(Document("topic:ai person:x\nsecond"))
    assert line(0) == [("class:query.entity", "topic:ai"), ("", " "),
                       ("class:query.field", "person:"), ("", "x")]
    assert line(1) == [("", "second")]
    assert line(5) == []
