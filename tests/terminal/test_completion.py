"""Tests for search.terminal.completion: `suggest` is a pure function of the text before the cursor."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from search.query.searcher import Searcher
from search.results import FacetCount
from search.terminal.commands import command_completions, command_names
from search.terminal.completion import (
    EntityValues,
    QueryCompleter,
    Suggestion,
    Vocabulary,
    quote,
    suggest,
)

VALUES = {
    "person": [FacetCount("Tony Blair", 165), FacetCount("Vladimir Putin", 15),
               FacetCount("Tony Blackburn", 16), FacetCount("Cherie Blair", 4),
               FacetCount("Volodymyr Zelénsky", 2), FacetCount("Paul O'Neill", 1)],
    "place": [FacetCount("Moscow", 9), FacetCount("New York", 7), FacetCount("Mostar", 1)],
    "org": [FacetCount("Nato", 4)],
}
CALLS: list[tuple[str, str]] = []


def lookup(facet: str, prefix: str) -> Sequence[FacetCount]:
    CALLS.append((facet, prefix))
    return VALUES_LOOKUP(facet, prefix)


VALUES_LOOKUP = EntityValues(lambda facet: VALUES[facet])

VOCAB = Vocabulary(
    commands=command_names(),
    arguments=command_completions(),
    fields=("title", "body", "person", "place", "org", "date", "source"),
    facets=("person", "place", "org"),
    lookup=lookup,
    hits=[(11, "Brown names 16 March for Budget"), (12, "Brown ally rejects Budget spree")],
    saved=("putin-calls", "nato-summit", "blair"),
)


def texts(before: str, vocab: Vocabulary = VOCAB) -> list[str]:
    return [s.text for s in suggest(before, vocab)]


def test_entity_values_after_a_field_match_any_word_by_prefix() -> None:
    assert suggest("person:put", VOCAB) == [
        Suggestion('"Vladimir Putin"', 3, "Vladimir Putin", "15 docs")]
    assert texts("person:bla") == ['"Tony Blair"', '"Tony Blackburn"', '"Cherie Blair"']
    assert texts("person:TONY") == ['"Tony Blair"', '"Tony Blackburn"']
    assert texts("person:zele") == ['"Volodymyr Zelénsky"']  # accents fold
    assert texts("org:n") == ["Nato"]  # one word: no quotes
    assert suggest("org:n", VOCAB)[0].meta == "4 docs"
    assert texts("person:o'n") == texts("person:o’n") == ['"Paul O\'Neill"']  # quote styles


def test_values_in_the_middle_of_a_query_and_after_a_bracket() -> None:
    assert texts("war AND place:mos") == ["Moscow", "Mostar"]
    assert texts("(place:mos") == ["Moscow", "Mostar"]
    assert texts("war place:") == ["Moscow", '"New York"', "Mostar"]
    assert texts("xplace:mos") == []  # not a field: part of a word


def test_a_quoted_value_is_replaced_from_its_opening_quote() -> None:
    [s] = suggest('person:"vladimir p', VOCAB)
    assert (s.text, s.replace) == ('"Vladimir Putin"', len('"vladimir p'))
    assert texts('place:"new y') == ['"New York"']
    assert texts('place:"New York" war') == []


def test_aliases_of_facets() -> None:
    assert texts("who:put") == ['"Vladimir Putin"']
    assert texts("+people:put") == ['"Vladimir Putin"']


def test_filter_lines_complete_unquoted_values_with_spaces() -> None:
    [s] = suggest("+person:Vladimir Pu", VOCAB)
    assert (s.text, s.replace) == ('"Vladimir Putin"', len("Vladimir Pu"))
    assert texts('+person:"Tony Blair" -place:mos') == ["Moscow", "Mostar"]
    assert texts("+3 -place:New Y") == ['"New York"']


def test_no_values_for_fields_that_are_not_facets() -> None:
    CALLS.clear()
    assert texts("title:bud") == [] and texts("date:20") == []
    assert CALLS == []
    assert texts("person:put", Vocabulary(facets=("person",))) == []  # no look-up


def test_field_names() -> None:
    assert suggest("pe", VOCAB) == [Suggestion("person:", 2, "person:", "field")]
    assert texts("war pl") == ["place:"]
    assert texts("person") == ["person:"]
    assert texts("war ") == [] and texts("") == []


def test_plus_and_minus_offer_only_facets() -> None:
    assert texts("+") == ["person:", "place:", "org:"]
    assert texts("-pl") == ["place:"]
    assert suggest("-pl", VOCAB)[0].meta == "filter"
    assert texts("+ti") == []


def test_commands_and_their_arguments() -> None:
    assert ":open" in texts(":") and ":quit" in texts(":")
    assert ":o" not in texts(":")  # aliases work but are not offered
    assert texts(":ex") == [":explain", ":export", ":export-session"]
    assert texts(":sort ") == ["date", "score"]
    assert texts(":sort d") == ["date"]
    assert texts(":facets p") == ["person", "place"]
    assert texts(":clear o") == ["org"]
    assert texts(":help op") == [":open"]
    assert texts(":facets person ") == []
    assert texts(":export ") == []


def test_hit_numbers_with_their_titles() -> None:
    assert suggest(":open ", VOCAB) == [
        Suggestion("11", 0, "11", "Brown names 16 March for Budget"),
        Suggestion("12", 0, "12", "Brown ally rejects Budget spree")]
    assert texts(":more 12") == ["12"]
    assert texts(":o 1") == ["11", "12"]  # aliases complete like their command
    assert texts(":entities 11 ") == []


def test_limit() -> None:
    assert len(suggest("person:", VOCAB, limit=2)) == 2


def test_quote() -> None:
    assert quote("Putin") == "Putin"
    assert quote("O'Neill") == "O'Neill"
    assert quote("Vladimir Putin") == '"Vladimir Putin"'
    assert quote('The "Rock"') == '"The Rock"'
    assert quote("AT&T") == '"AT&T"'


def test_entity_values_reads_each_facet_once() -> None:
    reads: list[str] = []

    def all_values(facet: str) -> list[FacetCount]:
        reads.append(facet)
        return VALUES[facet]

    values = EntityValues(all_values)
    assert [fc.value for fc in values("place", "")] == ["Moscow", "New York", "Mostar"]
    assert [fc.value for fc in values("place", "york")] == ["New York"]
    assert [fc.value for fc in values("place", "new yo")] == ["New York"]
    assert values("place", "ork") == []
    assert reads == ["place"]


def test_completer_on_a_real_index(news_index: Path) -> None:
    with Searcher(news_index) as searcher:
        vocab = Vocabulary(
            commands=command_names(), arguments=command_completions(),
            fields=("title", "body", *searcher.facet_names), facets=searcher.facet_names,
            lookup=EntityValues.of(searcher))
        completer = QueryCompleter(lambda: vocab)
        text = "war person:sch"
        found = list(completer.get_completions(Document(text), CompleteEvent()))
        assert [(c.text, c.start_position, c.display_meta_text) for c in found] == [
            ('"Olaf Scholz"', -3, "2 docs")]
        found = list(completer.get_completions(Document("place:K"), CompleteEvent()))
        assert [c.text for c in found] == ["Kyiv"]
        found = list(completer.get_completions(Document("who:zelé"), CompleteEvent()))
        assert [c.text for c in found] == ['"Volodymyr Zelénsky"']


@pytest.mark.parametrize("before", ["person:", "person:v", 'person:"v', "+person:V P", "pl"])
def test_applying_a_suggestion_gives_a_complete_clause(before: str) -> None:
    for s in suggest(before, VOCAB):
        after = before[: len(before) - s.replace] + s.text
        assert after.count('"') % 2 == 0, after
        assert after.startswith(before[: len(before) - s.replace])


def test_cooc_completes_the_entity_facet_then_its_values() -> None:
    assert texts(":cooc ") == ["person:", "place:", "org:"]
    assert texts(":cooc p") == ["person:", "place:"]
    assert texts(":cooc org:") == ["Nato"]
    assert suggest(":cooc org:na", VOCAB) == [Suggestion("Nato", 2, "Nato", "4 docs")]
    assert texts(":cooc person:bla") == ['"Tony Blair"', '"Tony Blackburn"', '"Cherie Blair"']
    assert suggest(':cooc person:"Tony Bl', VOCAB)[0] == Suggestion(
        '"Tony Blair"', len('"Tony Bl'), "Tony Blair", "165 docs")
    assert texts(":cooc people:put") == ['"Vladimir Putin"']  # facet aliases work too
    assert texts(":cooc colour:re") == []
    assert texts(':cooc person:"Tony Blair" ') == []  # the type and count are not completed


def test_run_and_watch_complete_saved_search_names() -> None:
    assert texts(":run ") == ["putin-calls", "nato-summit", "blair"]
    assert texts(":run n") == ["nato-summit"]
    assert texts(":watch p") == ["putin-calls"]
    assert texts(":run nato-summit ") == []


def test_saved_names_follow_the_file(news_index: Path) -> None:
    from search.analytics.saved import SavedSearch, save_search
    from search.terminal.repl import SavedNames

    names = SavedNames(news_index)
    assert names() == []
    with Searcher(news_index) as searcher:
        save_search(searcher, SavedSearch("summits", "summit"))
        assert names() == ["summits"]
        save_search(searcher, SavedSearch("allies", "allies"))
    import os
    path = news_index / "saved-searches.json"
    later = path.stat().st_mtime_ns + 1_000_000
    os.utime(path, ns=(later, later))  # a coarse clock must not hide the change
    assert names() == ["allies", "summits"]


def test_entity_values_are_read_again_when_the_facets_change() -> None:
    """Values completed while entities were still being added must not stay empty."""
    tables: list[list[FacetCount]] = [[]]
    values = EntityValues(lambda facet: tables[-1], version=lambda: tables[-1])
    assert values("person", "put") == []
    tables.append([FacetCount("Vladimir Putin", 1)])
    assert [fc.value for fc in values("person", "put")] == ["Vladimir Putin"]
