"""Tests for search.query.snippets: which words are marked and which fragments are chosen."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.index.analysis import index_term
from search.query.snippets import (
    FRAGMENT_CHARS,
    TermMatcher,
    highlight,
    make_snippets,
    match_spans,
)
from search.results import Fragment

TALK = TermMatcher(terms=frozenset({"talk"}))  # a stem, as the index holds it
PUTIN = TermMatcher(words=frozenset({"putin"}))  # a folded entity word


def marked(frag: Fragment) -> list[str]:
    return [frag.text[s:e] for s, e in frag.spans]


@pytest.mark.parametrize("word", ["talks", "Talked", "TALKING", "talk"])
def test_text_terms_match_every_inflection(word: str) -> None:
    assert index_term(word) == "talk"
    assert TALK.matches(word)


@pytest.mark.parametrize("word", ["stalk", "talkative", "tall"])
def test_text_terms_do_not_match_other_words(word: str) -> None:
    assert not TALK.matches(word)


@pytest.mark.parametrize("word", ["Putin", "PUTIN", "Putin's", "Putin’s"])
def test_entity_words_match_case_and_possessive_forms(word: str) -> None:
    assert PUTIN.matches(word)


def test_entity_words_match_accented_forms_but_not_longer_words() -> None:
    zelensky = TermMatcher(words=frozenset({"zelensky"}))
    assert zelensky.matches("Zelénsky") and zelensky.matches("ZELENSKY")
    assert not PUTIN.matches("Putinism") and not PUTIN.matches("Rasputin")


def test_empty_matcher_marks_nothing() -> None:
    assert not TermMatcher()
    assert match_spans("Putin talks", TermMatcher()) == []
    assert highlight("Putin talks", TermMatcher()) == ()


def test_highlight_gives_the_spans_of_matched_words() -> None:
    title = "Scholz talks to Putin; Putin's aide talked back"
    both = TermMatcher(TALK.terms, PUTIN.words)
    assert [title[s:e] for s, e in highlight(title, both)] == ["talks", "Putin", "Putin's", "talked"]


def test_no_match_gives_the_opening_sentence_unmarked() -> None:
    assert make_snippets("No match here. Second sentence.", PUTIN) == (Fragment("No match here."),)
    assert make_snippets("", PUTIN) == ()
    assert make_snippets("Putin spoke.", PUTIN, limit=0) == ()


ARTICLE = (
    "The weather was fine in the capital. Markets were calm.\n\n"
    "Leaders talked for an hour, and Putin said the talks were useful. "
    "Nothing else was reported. Analysts were cautious.\n\n"
    "Putin left at noon. The talks resume next week. A spokesman declined to comment."
)


def test_best_sentences_are_chosen_and_shown_in_text_order() -> None:
    both = TermMatcher(TALK.terms, PUTIN.words)
    frags = make_snippets(ARTICLE, both, limit=2)
    # the sentence with both kinds of match and the most matches, then the next best
    assert [f.text for f in frags] == [
        "Leaders talked for an hour, and Putin said the talks were useful.",
        "Putin left at noon.",
    ]
    assert [marked(f) for f in frags] == [["talked", "Putin", "talks"], ["Putin"]]
    assert len(make_snippets(ARTICLE, both, limit=3)) == 3
    assert len(make_snippets(ARTICLE, both)) == 3


def test_every_span_marks_a_matched_word_inside_its_fragment() -> None:
    both = TermMatcher(TALK.terms, PUTIN.words)
    for frag in make_snippets(ARTICLE, both, limit=5):
        assert frag.spans
        for s, e in frag.spans:
            assert 0 <= s < e <= len(frag.text)
            assert both.matches(frag.text[s:e])


def test_long_sentence_is_clipped_around_the_match_with_ellipses() -> None:
    text = "Intro. " + "word " * 150 + "then the talks began " + "filler " * 100 + "end."
    (frag,) = make_snippets(text, TALK)
    assert frag.text.startswith("…") and frag.text.endswith("…")
    assert len(frag.text) <= FRAGMENT_CHARS + 2
    assert marked(frag) == ["talks"]
    assert frag.text[1:].split()[0] == "word"  # cut at a word boundary, not mid-word


def test_fragment_starting_a_sentence_has_no_leading_ellipsis() -> None:
    (frag,) = make_snippets("Markets fell. Putin spoke at length.", PUTIN)
    assert frag.text == "Putin spoke at length."
    assert frag.spans == ((0, 5),)


def test_match_offsets_follow_unicode_text() -> None:
    text = "Zelénsky’s allies — and Putin’s — met in Kyïv."
    spans = match_spans(text, TermMatcher(words=frozenset({"zelensky", "putin", "kyiv"})))
    assert [text[s:e] for s, e, _ in spans] == ["Zelénsky’s", "Putin’s", "Kyïv"]


PIECES = ["Putin", "Putin's", "talks", "talked", "Zelénsky", "summit", "the", "*Python*", "U.S.",
          " ", " ", " ", ". ", "\n", "\n\n", "! ", "…", "—", "“", "”", "x" * 30]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(st.lists(st.sampled_from(PIECES), max_size=120).map("".join),
       st.integers(min_value=1, max_value=4), st.integers(min_value=20, max_value=120))
def test_fragments_are_pieces_of_the_text_with_spans_on_matched_words(
    text: str, limit: int, width: int
) -> None:
    matcher = TermMatcher(TALK.terms, PUTIN.words)
    frags = make_snippets(text, matcher, limit=limit, width=width)
    assert len(frags) <= limit
    assert bool(frags) == bool(text.strip())
    for frag in frags:
        assert frag.text.strip() and frag.text.removeprefix("…").removesuffix("…") in text
        assert len(frag.text) <= width + 2
        ends = [0]
        for s, e in frag.spans:
            assert ends[-1] <= s < e <= len(frag.text)
            assert matcher.matches(frag.text[s:e])
            ends.append(e)
