"""Name heads: what a name's own last word (or its whole shape) says it is.

In: a cleaned name (and, for a rating, the text around it). Out: whether it is an award or
event, a currency, a sports club, a group of countries, a credit rating or a measure of
the money supply, whatever the model tagged it. Used by `search.ingest.name_shapes` (ratings
by `search.ingest.document_entities`); `CURRENCY_WORDS` also by `search.ingest.mention_rules`
(a figure before a currency).
"""

from __future__ import annotations

import re

_RATING = re.compile(r"^(?:BBB|BB|B|Baa|Ba)[123+-]?$|^(?:AAA|AA|A)[123+-]$")


def is_rating(value: str) -> bool:
    """A credit rating ("BBB", "Baa3", "AA-"): the model tags them as organisations."""
    return _RATING.match(value) is not None


_MONEY_MEASURE = re.compile(r"^M-?[0-4][A-Z]?$")


def is_money_measure(value: str) -> bool:
    """A measure of the money supply ("M-1", "M3", "M0"): economic news has the model tag
    them as organisations."""
    return _MONEY_MEASURE.match(value) is not None


_TOP_RATING = re.compile(r"^(?:AAA|AA|A|Aaa|Aa)$")
_RATING_WORDS = re.compile(
    r"\b(?:rated|ratings?|affirm\w*|upgrad\w*|downgrad\w*"
    r"|rates[ \t]+(?:it|them|the|all|a|an|its|this|these|those)\b)",
    re.IGNORECASE,
)  # "rates" only as a verb: "Standard and Poor's rates it AA", not "insurance rates rose"
RATING_WINDOW = 40
"""Characters on each side of a top rating searched for a word about ratings."""


def is_rating_here(value: str, text: str, start: int, end: int) -> bool:
    """A credit rating, including the top ones that are also acronyms ("AAA", the American
    Automobile Association): those only with a word about ratings beside them ("rated a
    top-flight AAA by", "affirmed the AAA senior debt", "an AAA rating")."""
    if is_rating(value):
        return True
    if not _TOP_RATING.match(value):
        return False
    near = text[max(0, start - RATING_WINDOW) : end + RATING_WINDOW]
    return _RATING_WORDS.search(near) is not None


CURRENCY_WORDS = frozenset(
    {"dlr", "dlrs", "dollar", "dollars", "yen", "franc", "francs", "mark", "marks", "pound",
     "pounds", "stg", "lira", "lire", "peso", "pesos", "rupee", "rupees", "euro", "euros",
     "yuan", "rouble", "roubles", "ruble", "rubles", "krona", "kronor", "krone", "kroner",
     "rand", "riyal", "riyals", "ringgit", "baht", "shekel", "shekels", "dinar", "dinars",
     "guilder", "guilders", "schilling", "schillings", "peseta", "pesetas", "cents"}
)  # fmt: skip
"""Currencies' last words: a name ending so right after a figure is a price's currency, and
a name ending so is one anyway (`is_currency`), for some only after a country's word."""
SHARED_CURRENCY_WORDS = frozenset({"rand", "dollar", "dollars", "yuan"})
"""Currency words that also end names of places, firms and bodies ("East Rand", "Ingersoll
Rand", "Family Dollar", "Executive Yuan"): a currency only after a country's name or
nationality word ("South African Rand", "U.S. Dollar", "New Taiwan Dollar")."""


def is_currency(value: str) -> bool:
    """Whether a name of several words ends in a currency's word ("Deutsche Mark", "U.S.
    Dollar"); the caller checks `SHARED_CURRENCY_WORDS` and that no person was tagged
    ("Ezra Pound")."""
    words = value.split()
    return len(words) > 1 and words[-1][0].isupper() and words[-1].casefold() in CURRENCY_WORDS


CLUB_WORDS = frozenset({"united", "rovers", "athletic", "albion", "wanderers", "hotspur", "fc", "afc"})
"""Last words that make a place name a sports club ("Leeds United"), never a place."""


def is_club(value: str) -> bool:
    """Whether a name tagged as a place is a sports club by its last word."""
    words = value.split()
    return len(words) > 1 and words[-1].casefold() in CLUB_WORDS


EVENT_HEADS = frozenset(
    {"award", "awards", "prize", "prizes", "cup", "championship", "championships", "games",
     "olympics", "show", "festival", "trophy", "globe", "globes", "marathon", "tournament",
     "prix", "open", "league", "tour", "series", "final", "finals", "rate", "rates",
     "index", "indices", "act", "acts", "accord", "accords", "plan"}
)  # fmt: skip
"""Last words that make a name an award, a competition, an event, a market's figure, a law,
an accord or a plan ("Academy Awards", "Davis Cup", "Consumer Electronics Show", "London
Interbank Offered Rate", "Straits Times Industrial Index", "Financial Services Act",
"Louvre Accord", "Baker Plan"): not an organisation, person or place. Not "Programme" or
"Initiative", which name bodies too ("World Food Program", "Nuclear Threat Initiative"),
nor "Pact" ("Warsaw Pact")."""


def is_event(value: str) -> bool:
    """Whether a name of several words is an award, competition, event, a market's index or
    rate, a law, a plan or a programme by its last word."""
    words = value.split()
    return len(words) > 1 and words[-1].casefold() in EVENT_HEADS and words[-1][0].isupper()


BLOC_HEADS = frozenset({"world", "bloc"})
BLOC_WORDS = frozenset(
    {"first", "second", "third", "fourth", "western", "eastern", "northern", "southern",
     "east", "west", "free", "developing", "developed", "industrialised", "industrialized",
     "communist", "socialist", "muslim", "islamic", "arab", "soviet"}
)  # fmt: skip
"""Words before "World" or "Bloc" that make it a group of countries ("Third World", "Arab
World", "Soviet Bloc"), where one before "World" names a firm or a show ("Sea World",
"King World", "Oil World")."""


def is_bloc(value: str) -> bool:
    """Whether a name of two words is a group of countries: one of `BLOC_WORDS` before
    "World" or "Bloc" ("Third World", "Eastern Bloc")."""
    words = value.split()
    return len(words) == 2 and words[1].casefold() in BLOC_HEADS and (
        words[0].casefold() in BLOC_WORDS
    )
