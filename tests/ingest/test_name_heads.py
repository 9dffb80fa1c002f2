"""Tests for search.ingest.name_heads: what a name's last word says it is."""

from __future__ import annotations

from search.ingest.name_heads import (
    is_bloc,
    is_club,
    is_currency,
    is_event,
    is_money_measure,
    is_rating,
    is_rating_here,
)


def test_a_clubs_last_word() -> None:
    assert is_club("Leeds United") and is_club("Bristol Rovers")
    assert not is_club("Kansas City") and not is_club("United States")


def test_a_measure_of_the_money_supply() -> None:
    for name in ("M-1", "M3", "M0", "M-2A"):
        assert is_money_measure(name), name
    for name in ("M-5", "M16", "MG", "M-1 Corp"):
        assert not is_money_measure(name), name


def test_a_group_of_countries() -> None:
    for name in ("Third World", "Arab World", "Soviet Bloc", "Eastern Bloc"):
        assert is_bloc(name), name
    # a firm, a show or a theme park: another word before "World"
    for name in ("Sea World", "Oil World", "King World", "World", "Walt Disney World"):
        assert not is_bloc(name), name


def test_credit_ratings() -> None:
    assert is_rating("BBB") and is_rating("Baa3") and is_rating("AA-")
    assert not is_rating("AAA") and not is_rating("BBC") and not is_rating("CCC")


def test_events_awards_and_market_figures() -> None:
    assert is_event("Academy Awards") and is_event("Davis Cup")
    assert is_event("London Interbank Offered Rate")
    # laws, accords and plans (Reuters-21578), but not bodies named as programmes
    for name in ("Financial Services Act", "Louvre Accord", "Baker Plan"):
        assert is_event(name), name
    for name in ("World Food Programme", "World Food Program", "Nuclear Threat Initiative",
                 "Warsaw Pact"):
        assert not is_event(name), name
    assert not is_event("Awards") and not is_event("Bank of England")


def test_a_currency_by_its_last_word() -> None:
    for name in ("U.S. Dollar", "Hong Kong Dollar", "Australian Dollars", "Deutsche Mark"):
        assert is_currency(name), name
    # one word says nothing ("Dollar Thrifty" is a firm); the word must be written as a name's
    for name in ("Dollar", "Dollar Thrifty", "Bank of England", "the Hong Kong dollar"):
        assert not is_currency(name), name


def test_a_top_rating_is_a_rating_only_beside_a_word_about_ratings() -> None:
    # Reuters-21578; "AAA" is also the American Automobile Association
    for text in ("The issue is rated a top-flight AAA by Moody's Investors Service Inc.",
                 "S and P said it affirmed the AAA senior debt of the bank.",
                 "NIS assigned an AAA rating to Financial Securities Assurance Inc."):
        start = text.index("AAA")
        assert is_rating_here("AAA", text, start, start + 3), text
    text = "The AAA said motorists would drive more this summer."
    assert not is_rating_here("AAA", text, 4, 7)
    assert is_rating_here("BBB", text, 4, 7)  # never an acronym in news
    assert not is_rating_here("BBC", "The BBC rated it highly.", 4, 7)
    # "rates" as a verb, not as a noun; any case
    text = "Standard and Poor's Corp rates them AA."
    assert is_rating_here("AA", text, 36, 38)
    text = "The AA said insurance rates for young drivers rose."
    assert not is_rating_here("AA", text, 4, 6)
    text = "Rated AAA by Moody's, the issue sold out."
    assert is_rating_here("AAA", text, 6, 9)
