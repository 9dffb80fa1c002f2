"""Tests for search.ingest.name_heads: what a name's last word says it is."""

from __future__ import annotations

from search.ingest.name_heads import is_club, is_currency, is_event, is_rating


def test_a_clubs_last_word() -> None:
    assert is_club("Leeds United") and is_club("Bristol Rovers")
    assert not is_club("Kansas City") and not is_club("United States")


def test_credit_ratings() -> None:
    assert is_rating("BBB") and is_rating("Baa3") and is_rating("AA-")
    assert not is_rating("AAA") and not is_rating("BBC") and not is_rating("CCC")


def test_events_awards_and_market_figures() -> None:
    assert is_event("Academy Awards") and is_event("Davis Cup")
    assert is_event("London Interbank Offered Rate")
    assert not is_event("Awards") and not is_event("Bank of England")


def test_a_currency_by_its_last_word() -> None:
    for name in ("U.S. Dollar", "Hong Kong Dollar", "Australian Dollars", "Deutsche Mark"):
        assert is_currency(name), name
    # one word says nothing ("Dollar Thrifty" is a firm); the word must be written as a name's
    for name in ("Dollar", "Dollar Thrifty", "Bank of England", "the Hong Kong dollar"):
        assert not is_currency(name), name
