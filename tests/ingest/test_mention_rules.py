"""Tests for search.ingest.mention_rules: what one mention is, from its words and its place."""

from __future__ import annotations

import pytest

from search.ingest.document_entities import analyse_document
from search.ingest.entities import Mention
from search.ingest.mention_rules import (
    after_quantity,
    article_role,
    cut_trailing_scores,
    furniture_role,
    is_demonym,
    looks_like_person,
    not_a_person,
    title_before,
)


def at(text: str, mention: str) -> tuple[int, int]:
    start = text.index(mention)
    return start, start + len(mention)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Elena Bovina 1-6 6-1 6-4", "Elena Bovina"),
        ("Worcestershire 238", "Worcestershire"),
        ("A. Smith 5-68", "A. Smith"),
        ("Kansas City 1", "Kansas City 1"),  # one short number may be part of a name
        ("Channel 4", "Channel 4"),
        ("Euro 2004", "Euro 2004"),
        ("G8", "G8"),
    ],
)
def test_trailing_scores_are_cut_but_numbers_in_names_stay(raw: str, clean: str) -> None:
    assert cut_trailing_scores(raw) == clean


def test_agency_sign_off_after_the_last_sentence() -> None:
    text = "Soybean oil prices rose 3.7 pct in February, the ministry said. REUTER"
    assert furniture_role(text, *at(text, "REUTER")) == "sign-off"
    named = "Prices rose after talks with Vladimir Putin."
    assert furniture_role(named, *at(named, "Vladimir Putin")) is None
    unfinished = "Prices rose after talks with Putin"
    assert furniture_role(unfinished, *at(unfinished, "Putin")) is None


def test_byline_line() -> None:
    text = "Blair backs new rules\n\nBy Nick Assinder\nTony Blair said on Monday that rules change."
    assert furniture_role(text, *at(text, "Nick Assinder")) == "byline"
    assert furniture_role(text, *at(text, "Tony Blair")) is None


@pytest.mark.parametrize(
    ("text", "mention", "label", "article"),
    [
        ("Mike Leigh won an Oscar for the film.", "Oscar", "PERSON", "an"),
        ("She kept her Bafta, it was said.", "Bafta", "PERSON", "her"),
        ("Sales of the iPod rose.", "iPod", "ORG", None),  # organisations take "the"
        ("He bought an iPod in London.", "iPod", "ORG", "an"),
        ("The Bush administration said no.", "Bush", "PERSON", None),  # a modifier
        ("A BBC reporter said so.", "BBC", "ORG", None),
        ("Tony Blair said so.", "Tony Blair", "PERSON", None),
    ],
)
def test_determiners_show_things_not_people(
    text: str, mention: str, label: str, article: str | None
) -> None:
    assert article_role(text, *at(text, mention), label) == article


def test_titles_before_a_surname() -> None:
    text = "Lord Falconer and Mr. Hayes met Tony Blair."
    assert title_before(text, text.index("Falconer")) == "Lord"
    assert title_before(text, text.index("Hayes")) == "Mr"
    assert title_before(text, text.index("Tony")) is None


def test_shapes_of_names() -> None:
    assert looks_like_person("E Miller") and looks_like_person("G. Easterby")
    assert not looks_like_person("BBC News")
    assert not_a_person("G8") and not_a_person("GB")
    assert not_a_person("Madonna") is None and not_a_person("Tony Blair") is None
    # a lower-case word no name has, and a stock ticker, are no people
    assert not_a_person("Qtrly div") and not_a_person("RTRS.L")
    for name in ("Ludwig van Beethoven", "Rami al-Saadani", "Osama bin Laden", "Kengo wa Dondo"):
        assert not_a_person(name) is None


def test_demonyms_come_from_the_shipped_table() -> None:
    for word in ("Ukrainian", "Germans", "German", "Iraqis", "Dutch"):
        assert is_demonym(word), word
    for word in ("Germany", "Ukraine", "Djibouti", "Tony Blair"):
        assert not is_demonym(word), word


def test_datelines_name_the_town_the_story_came_from() -> None:
    from search.ingest.mention_rules import dateline_places, is_dateline

    text = "SQUASH - RESULTS .\n\nKHASAVYURT , Russia 1996-08-30\nRebels said on Friday ..."
    assert dateline_places(text) == [("KHASAVYURT", 20, 30)]
    assert is_dateline(text, 20, 30)
    assert dateline_places("T\n\nOn March 3 prices rose.") == []
    assert dateline_places("T\n\nPARIS (AFP) - Prices rose.") == [("PARIS", 3, 8)]


def test_a_place_with_a_score_beside_it_is_a_team() -> None:
    from search.ingest.mention_rules import plays_as_team

    text = "Surrey 320 and Leeds v Chelsea. Florida 5 Boston 3. Talks in Berlin ended."
    for name in ("Surrey", "Leeds", "Chelsea", "Florida", "Boston"):
        assert plays_as_team(text, *at(text, name)), name
    assert not plays_as_team(text, *at(text, "Berlin"))
    money = "Exports from Brazil 300 mln dlrs, and Japan 2012 figures."
    assert not plays_as_team(money, *at(money, "Brazil"))
    assert not plays_as_team(money, *at(money, "Japan"))


def test_a_name_ends_before_a_lower_case_word_that_joins_none() -> None:
    from search.ingest.mention_rules import name_before_lower_word

    assert name_before_lower_word("Associated Press news agency") == "Associated Press"
    assert name_before_lower_word("Ultimate Game of the year") == "Ultimate Game"
    # one word left is no name: a wire abbreviation, a currency
    assert name_before_lower_word("Oper shr") is None
    assert name_before_lower_word("French franc") is None
    for whole in ("Dar es Salaam", "Bank of England", "Labour party", "Cote d'Azur",
                  "Food and Drug Administration"):
        assert name_before_lower_word(whole) == whole


def test_a_name_after_a_quantity_is_its_unit_not_a_person() -> None:
    text = "It plans a 200 mln H.K. Dlr certificate of deposit, said Li Ka-shing."
    assert after_quantity(text, text.index("H.K.")) == "mln"
    assert after_quantity(text, text.index("Li Ka")) is None
    found = [Mention("H.K. Dlr", "PERSON", *at(text, "H.K. Dlr")),
             Mention("Li Ka-shing", "PERSON", *at(text, "Li Ka-shing"))]
    assert analyse_document(found, text=text).facets["person"] == ["Li Ka-shing"]
    money = "Japan lent 50 mln U.S. Dlrs to Brazil."
    found = [Mention(n, "GPE", *at(money, n)) for n in ("Japan", "U.S. Dlrs", "Brazil")]
    assert analyse_document(found, text=money).facets["place"] == ["Japan", "Brazil"]
    # a year or an age is no quantity of anything
    assert after_quantity("In 1987 Paul Volcker left.", len("In 1987 ")) is None
    # a figure before a currency's name is a price (Reuters-21578)
    price = "The stock rose 12 H.K. Dlrs to 62 dlrs, said Li Ka-shing."
    assert after_quantity(price, price.index("H.K."), "H.K. Dlrs") == "12"
    found = [Mention("H.K. Dlrs", "PERSON", *at(price, "H.K. Dlrs")),
             Mention("Li Ka-shing", "PERSON", *at(price, "Li Ka-shing"))]
    assert analyse_document(found, text=price).facets["person"] == ["Li Ka-shing"]
    # but a figure before a person is a seed or a rank ("2 Andre Agassi", "1. Li Yuan")
    assert after_quantity("2 Andre Agassi ( U.S. )", 2, "Andre Agassi") is None
    assert after_quantity("Results :\n1. Li Yuan ( China ) 2:10.22", 13, "Li Yuan") is None
