"""Works and products out of the facets: what one document flags (`search.ingest.things`),
what the corpus decides (`search.index.thing_names`), and the two joined by an index build.

Sentences are BBC News's (2004-05); the dictionary tagger tags them as spaCy md does, a
film or a console as a firm or a person.
"""

from __future__ import annotations

from pathlib import Path

from conftest import DictExtractor, fake_settings
from test_entity_links import shown
from test_org_names import linked

from search.index.facet_base import parse_key_line
from search.index.indexer import build
from search.ingest.document_entities import analyse_document
from search.ingest.normalize import OTHER
from search.query.searcher import Searcher

CONSOLE = "Sales of Microsoft's Xbox had been well ahead of forecasts, said Microsoft."
FILM = "The comedy Sideways was named best film, with Vera Drake second."
LABOUR = "Voters backed Blair's Labour, and the BBC's Reuters feed said so."


def analysed(text: str, names: dict[str, str]) -> tuple[frozenset[str], dict[str, list[str]]]:
    found = next(DictExtractor(names).extract([text]))
    analysis = analyse_document(found, text=text)
    return analysis.named_as_thing, analysis.facets


def test_a_document_flags_a_product_after_its_makers_possessive() -> None:
    things, facets = analysed(CONSOLE, {"Microsoft": "ORG", "Xbox": "ORG"})
    assert things == {"Xbox"}
    # the flag is evidence only: the document still lists the name
    assert facets["org"] == ["Microsoft", "Xbox"]


def test_a_document_flags_a_work_after_its_kinds_noun() -> None:
    things, facets = analysed(FILM, {"Sideways": "ORG", "Vera Drake": "PERSON"})
    assert things == {"Sideways"}
    assert facets["person"] == ["Vera Drake"]
    # or before one, as a compound; but not a noun that follows a work's maker, subject or
    # team, nor a plural before a clause
    text = ("The Lord of the Rings trilogy ended, as did a Mike Leigh film, the Howard Hughes "
            "biopic, the Arsenal game and the films Disney made.")
    names = {"Rings": "ORG", "Mike Leigh": "PERSON", "Howard Hughes": "PERSON",
             "Arsenal": "ORG", "Disney": "ORG"}
    things, _ = analysed(text, names)
    assert things == {"Rings"}


def test_a_persons_possessive_or_a_firm_after_another_flags_nothing_alone() -> None:
    # a party after its leader's name; a news agency after another firm, flagged once
    # (the corpus needs a share of documents, below)
    things, _ = analysed(LABOUR, {"Blair": "PERSON", "Labour": "ORG", "BBC": "ORG",
                                  "Reuters": "ORG"})
    assert things == {"Reuters"}


def test_a_name_linked_from_the_work_is_not_flagged() -> None:
    text = "Jamie Foxx plays Ray Charles. The biopic Ray opens on Friday."
    things, facets = analysed(text, {"Jamie Foxx": "PERSON", "Ray Charles": "PERSON",
                                     "Ray": "PERSON"})
    assert "Ray Charles" in facets["person"]
    assert not things


NOMINEES = ("It is up against Eternal Sunshine of the Spotless Mind, Finding Neverland, "
            "The Motorcycle Diaries and British film Vera Drake, which has 11 nominations.")


def test_a_document_gives_its_lists_of_names() -> None:
    names = {"Finding Neverland": "ORG", "The Motorcycle Diaries": "ORG",
             "British": "NORP", "Vera Drake": "PERSON"}
    found = next(DictExtractor(names).extract([NOMINEES]))
    analysis = analyse_document(found, text=NOMINEES)
    # only the one written with its kind's noun is flagged here; the corpus decides on
    # the others from the works they are listed with, in every document
    assert analysis.named_as_thing == {"Vera Drake"}
    assert analysis.listed == {"Finding Neverland": 0, "Motorcycle Diaries": 0, "Vera Drake": 0}
    # words other than a work's noun end a list, and so does a sentence, or a maker's name
    for text, names in [
        ("The film Sideways, set in California, won.", {"Sideways": "ORG", "California": "GPE"}),
        ("The film Vera Drake won. Finding Neverland lost.",
         {"Vera Drake": "PERSON", "Finding Neverland": "ORG"}),
        ("Sales of Microsoft's Xbox, Sony's PSP and Nintendo's GameCube rose.",
         {"Microsoft": "ORG", "Xbox": "ORG", "Sony": "ORG", "PSP": "ORG", "Nintendo": "ORG",
          "GameCube": "ORG"}),
    ]:
        found = next(DictExtractor(names).extract([text]))
        assert analyse_document(found, text=text).listed == {}, text
    # a work the model tagged as one is in the list too
    text = "Winners included Million Dollar Baby, The Motorcycle Diaries and Lost in Translation."
    found = next(DictExtractor({"Million Dollar Baby": "WORK_OF_ART", "The Motorcycle Diaries": "ORG",
                                "Lost in Translation": "WORK_OF_ART"}).extract([text]))
    assert analyse_document(found, text=text).listed == {
        "Motorcycle Diaries": 0, "Million Dollar Baby": 0, "Lost in Translation": 0}
    # the list is given under the form the document shows ("eBay", written once "Ebay")
    text = "The movie Shrek 2, Ebay and Amazon were searched most. eBay said eBay users grew."
    found = next(DictExtractor({"Shrek 2": "ORG", "Ebay": "ORG", "Amazon": "ORG",
                                "eBay": "ORG"}).extract([text]))
    assert analyse_document(found, text=text).listed == {"eBay": 0, "Shrek 2": 0, "Amazon": 0}


def test_the_corpus_drops_a_name_listed_with_two_of_its_works() -> None:
    films = [{"org": ["Sideways"]}] * 5 + [{"person": ["Vera Drake"]}] * 5
    films += [{"org": ["Finding Neverland"]}] * 10 + [{"person": ["Imelda Staunton"]}] * 3
    things = {"sideways": 3, "vera drake": 3, "finding neverland": 1}
    lists = [{"finding neverland": False, "sideways": True},
             {"finding neverland": False, "vera drake": True},
             {"finding neverland": True, "vera drake": False},  # written so: counted once
             *[{"imelda staunton": False, "vera drake": False, "sideways": False}] * 3]
    links = linked(films, things=things, lists=lists)
    assert [v for vs in shown(links, "org") for v in vs] == []
    assert "listed with ones ('Sideways', 'Vera Drake'), in 3 of its 10" in (
        links.reasons["org"]["finding neverland"])
    # the actress listed with her films is no work
    assert shown(links, "person")[-1] == ["imelda staunton"]
    # one work beside it is not enough: a service is listed with the products it competes
    # with ("Apple's iTunes, Napster and RealNetworks")
    again = {"finding neverland": True, "sideways": False}
    alone = linked(films, things=things, lists=[lists[0], lists[0], again])
    assert shown(alone, "org")[10] == ["finding neverland"]
    # names typed `other` are no works here: that type holds competitions and laws too, and
    # a body is listed with them ("the FA, the Premier League and the Football League")
    fa = [{"org": ["FA"]}] * 12 + [{OTHER: ["Premier League", "Football League"]}] * 3
    leagues = [{"fa": False, "premier league": False, "football league": False}] * 3
    assert shown(linked(films + fa, things=things, lists=leagues), "org")[23] == ["fa"]


def test_the_corpus_drops_a_name_enough_of_its_documents_write_as_a_thing() -> None:
    docs = [{"org": ["iTunes", "Apple"]}] * 10 + [{"person": ["Vera Drake"]}] * 5
    links = linked(docs, things={"itunes": 3, "vera drake": 3})
    assert shown(links, "org")[0] == ["apple"]
    assert shown(links, "person")[-1] == []
    assert "3 of its 10 documents" in links.reasons["org"]["itunes"]
    # a share of its documents is needed: 3 in 25 is below it ("Southern's Georgia Power")
    more = [{"org": ["iTunes", "Apple"]}] * 25
    assert shown(linked(more, things={"itunes": 3}), "org")[0] == ["itunes", "apple"]
    # and so are three documents: two of three are a coincidence ("Commodore games")
    kept = linked(docs, things={"itunes": 2, "vera drake": 2})
    assert shown(kept, "org")[0] == ["itunes", "apple"]
    assert shown(kept, "person")[-1] == ["vera drake"]
    assert shown(linked(docs, things={"apple": 1}), "org")[0] == ["itunes", "apple"]


def test_the_key_column_carries_the_flag_and_the_index_drops_the_product(
    tmp_path: Path,
) -> None:
    assert parse_key_line("Xbox\t2\tthing") == ("Xbox", 2, False, (), True, -1, False)
    assert parse_key_line("Xbox\t2\tfull\tthing").in_full
    corpus = tmp_path / "news"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"games{n}.txt").write_text(f"Games {n}\n\n{CONSOLE}\n", encoding="utf-8")
    (corpus / "plain.txt").write_text("Games\n\nThe Xbox sold well.\n", encoding="utf-8")
    index = tmp_path / "index"
    build([corpus], index, settings=fake_settings(),
          extractor=DictExtractor({"Microsoft": "ORG", "Xbox": "ORG"}))
    with Searcher(index) as s:
        counts = {c.value: c.count for c in s.facet_counts(limit=10)["org"]}
        fates = s.document("plain.txt", why=True).why
    assert counts == {"Microsoft": 3}
    assert any("written as a work or product" in r for f in fates for r in f.reasons)
