"""Works and products written like names: the evidence one document gives against a name.

The model tags a film, an album or a games console as a person, a place or a firm, and the
label it gives them (WORK_OF_ART, PRODUCT) is rarer than the mistake. But news introduces a
work by the noun for its kind ("the comedy Sideways", "the biopic 'Ray'", "the Lord of the
Rings trilogy") and a product by its maker's possessive ("Apple's iTunes", "Microsoft's
Xbox"). One such mention proves little: "Southern's Georgia Power" is a subsidiary, and a
name after "Sony's" may be a unit. So a document only flags the names it writes so
(`Analysis.named_as_thing`), and the lists of names it writes (`Analysis.listed`); the
corpus decides from the share of a name's documents that write it so, or list it with two
of the works it drops (`search.index.thing_names`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from search.ingest.entity_items import Item
from search.ingest.mention_rules import POSSESSIVE_AFTER, is_demonym
from search.ingest.normalize import OTHER

WORK_NOUNS = frozenset(
    {"film", "movie", "comedy", "drama", "thriller", "musical", "biopic", "epic",
     "documentary", "sitcom", "cartoon", "animation", "album", "novel", "console", "handheld",
     "handset", "browser", "sequel", "blockbuster", "trilogy", "franchise", "programme",
     "soap"}
)  # fmt: skip
"""Nouns for a kind of work or product, as written right before its title ("the film
Sideways"). Nouns that also come before people or firms ("hit", "show", "player", "game",
"single", "release", "play") are left out, and so are plurals, which a clause follows
("films Disney made")."""

AFTER_NOUNS = frozenset({"trilogy", "franchise", "sequel", "sequels"})
"""Nouns for a kind of work written right after its title, as a compound ("the Lord of the
Rings trilogy"). Not those that follow a work's maker, star, subject or team as often ("a
Mike Leigh film", "the Howard Hughes biopic", "Nintendo games", "the Sony console", "the
Arsenal game", "the Frost programme")."""

_NOUN_BEFORE = re.compile(r"\b([a-z]+)[ \t]+[\"“‘']?$")
_NOUN_AFTER = re.compile(r"[\"”’']?[ \t]+([a-z]+)\b")
_POSSESSIVE_BEFORE = re.compile(r"['’]s?[ \t]+$")


def kind_noun(text: str, start: int, end: int) -> str | None:
    """The work's or product's noun written right before `start` or after `end`, if any."""
    found = _NOUN_BEFORE.search(text, max(0, start - 30), start)
    if found and found.group(1) in WORK_NOUNS:
        return found.group(1)
    found = _NOUN_AFTER.match(text, end)
    return found.group(1) if found and found.group(1) in AFTER_NOUNS else None


def flag_things(items: Sequence[Item], text: str, org: str | None) -> set[str]:
    """The keys of the values this document writes as a work or product: with its kind's
    noun (before it, or one of `AFTER_NOUNS` after it), or (one word, an organisation) after
    another organisation's possessive. Each such mention's fate says so."""
    owners = {
        item.fate.start + len(item.fate.text): item for item in items if item.facet == org
    }
    flagged: set[str] = set()
    for item in items:
        # a name the mention was linked to is not the one written ("the biopic Ray" is
        # Ray Charles's life, not Ray Charles)
        if item.facet == OTHER or item.value.casefold() not in item.fate.text.casefold():
            continue
        noun = kind_noun(text, item.fate.start, item.fate.start + len(item.fate.text))
        if noun is not None:
            flagged.add(item.key)
            item.fate.steps.append(f"written with {noun!r}, as a work or product is")
            continue
        if item.facet != org or len(item.words) != 1:
            continue
        mark = _POSSESSIVE_BEFORE.search(text, max(0, item.fate.start - 4), item.fate.start)
        owner = owners.get(mark.start()) if mark else None
        if owner is not None and owner.key != item.key:
            flagged.add(item.key)
            item.fate.steps.append(f"written after {owner.value!r}'s, as a product is")
    return flagged


_LIST_GAP = re.compile(
    r"[ \t]*(?:,|,?[ \t]+(?:and|or))[ \t]+(?:(?:the|The)[ \t]+)?"
    r"(?:(?:[A-Za-z][a-z]*[ \t]+)?(?:" + "|".join(sorted(WORK_NOUNS)) + r")[ \t]+)?"
)
"""What separates the names of a list: a comma, "and" or "or", then perhaps "the", and
perhaps a work's noun with one word before it ("Finding Neverland, The Motorcycle Diaries
and British film Vera Drake", "wine comedy Sideways, factual drama Finding Neverland").
Any other words end the list: "Sideways, set in California" lists no California."""


def name_lists(items: Sequence[Item], text: str) -> list[list[Item]]:
    """The lists of two or more names written here, in text order, for the corpus to drop
    the names listed with its works (`search.index.thing_names`): a list names things of one
    kind, and a title the model took for a firm is listed with other titles ("up against
    Eternal Sunshine of the Spotless Mind, Finding Neverland, The Motorcycle Diaries and
    British film Vera Drake"). A maker before its product ("Sony's PlayStation") is in no
    list, and the names written as people are left for the corpus to skip."""
    named = sorted(
        (i for i in items if i.value.casefold() in i.fate.text.casefold()
         and not (i.facet == OTHER and is_demonym(i.value))),
        key=lambda i: i.fate.start,
    )
    lists: list[list[Item]] = []
    for item in named:
        end = item.fate.start + len(item.fate.text)
        if POSSESSIVE_AFTER.match(text, end):
            lists.append([])  # a maker's name ends the list before it
            continue
        last = lists[-1][-1] if lists and lists[-1] else None
        if last is not None and _LIST_GAP.fullmatch(
            text, last.fate.start + len(last.fate.text), item.fate.start
        ):
            lists[-1].append(item)
        else:
            lists.append([item])
    return [members for members in lists if len(members) > 1]
