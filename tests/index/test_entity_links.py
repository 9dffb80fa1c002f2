"""Tests for search.index.entity_links: corpus-level typing, short forms, variants, common words.

Each test lays out a small corpus as the index holds it (per document, each type's values)
and the document frequencies of words in running text, as the index's term statistics give.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from search.index.analysis import index_term
from search.index.entity_links import CorpusLinks, link_corpus
from search.ingest.normalize import OTHER, facet_key, nicknames

TYPES = ("person", "place", "org", OTHER)


def corpus(
    docs: Sequence[dict[str, list[str]]], text_words: dict[str, int] | None = None
) -> CorpusLinks:
    """link_corpus over documents given as type → values; words' extra documents in text."""
    rows = {t: [list(d.get(t, [])) for d in docs] for t in TYPES}
    df: Counter[str] = Counter()
    for d in docs:
        df.update({index_term(w) for vs in d.values() for v in vs for w in v.split()} - {None})
    for word, n in (text_words or {}).items():
        df[index_term(word) or word] += n
    return link_corpus(rows, lambda term: df[term])


def shown(links: CorpusLinks, facet: str) -> list[list[str]]:
    """Each document's values of one facet after the links (dropped ones gone)."""
    table = links.links.get(facet, {})

    def follow(key: str) -> str | None:
        seen = set()
        while key in table and key not in seen:
            seen.add(key)
            target = table[key]
            if target is None:
                return None
            key = target
        return key

    out = []
    for values in links.rows[facet]:
        keys = [follow(facet_key(v)) for v in values]
        out.append(list(dict.fromkeys(k for k in keys if k is not None)))
    return out


def test_a_name_takes_the_type_most_documents_give_it() -> None:
    docs = [{"org": ["Chelsea"]}] * 6 + [{"person": ["Chelsea"]}]
    links = corpus(docs)
    assert shown(links, "org") == [["chelsea"]] * 7
    assert shown(links, "person") == [[]] * 7
    assert "typed org corpus-wide" in links.reasons["person"]["chelsea"]


def test_split_evidence_keeps_both_types() -> None:
    docs = [{"place": ["Washington"]}] * 3 + [{"person": ["Washington"]}] * 2
    links = corpus(docs)
    assert [v for vs in shown(links, "place") for v in vs] == ["washington"] * 3
    assert [v for vs in shown(links, "person") for v in vs] == ["washington"] * 2


def test_awards_and_products_tagged_so_in_a_fifth_of_documents_are_no_entities() -> None:
    docs = [{"person": ["Oscar"]}] * 12 + [{OTHER: ["Oscar"]}] * 3
    links = corpus(docs)
    assert shown(links, "person") == [[]] * 15
    assert "typed other" in links.reasons["person"]["oscar"]
    # one document is too few to tell
    assert shown(corpus(docs[:12] + docs[12:13]), "person")[0] == ["oscar"]


def test_a_one_word_person_no_full_name_explains_is_a_nationality_when_tagged_so_twice() -> None:
    # "Welsh" is tagged PERSON in most documents; a mononym (Madonna) is never tagged NORP
    docs = [{"person": ["Welsh"]}] * 20 + [{OTHER: ["Welsh"]}] * 2
    links = corpus(docs)
    assert shown(links, "person") == [[]] * 22
    assert "typed other" in links.reasons["person"]["welsh"]
    # a full name is judged by the share of its documents, as every other name
    named = [{"person": ["Vera Drake"]}] * 20 + [{OTHER: ["Vera Drake"]}] * 2
    assert shown(corpus(named), "person")[0] == ["vera drake"]
    # and a one-word name some full name explains is a person's surname
    both = docs + [{"person": ["Irvine Welsh"]}] * 10
    assert shown(corpus(both), "person")[0] == ["irvine welsh"]


def test_a_one_word_person_that_is_a_place_or_team_elsewhere_is_not_a_person() -> None:
    docs = [{"person": ["Kent"]}] * 3 + [{"org": ["Kent"]}]
    links = corpus(docs)
    assert shown(links, "person") == [[]] * 4
    assert shown(links, "org") == [["kent"]] * 4
    # as often a place as a person, and no full name explains it: the place
    # ("Hove : Sussex 363", the cricket ground the model read as a person)
    tied = corpus([{"person": ["Hove"]}, {"place": ["Hove"]}])
    assert shown(tied, "person") == [[], []]
    assert shown(tied, "place") == [["hove"], ["hove"]]
    # a person's surname stays a person however often it names a place too
    both = docs + [{"person": ["Clark Kent"]}] * 3
    assert shown(corpus(both), "person")[0] == ["clark kent"]


def test_a_capitalised_common_word_is_no_entity() -> None:
    docs = [{"place": ["Mobile"]}, {"place": ["London"]}]
    links = corpus(docs, {"mobile": 40, "london": 2})
    assert shown(links, "place") == [[], ["london"]]
    assert "common word" in links.reasons["place"]["mobile"]


def test_lone_surname_and_first_name_become_the_full_name() -> None:
    docs = [{"person": ["Tony Blair"]}] * 4 + [{"person": ["Elvis Presley"]}] * 2
    docs += [{"person": ["Blair"]}, {"person": ["Elvis"]}]
    links = corpus(docs)
    assert shown(links, "person")[-2:] == [["tony blair"], ["elvis presley"]]


def test_a_lone_name_that_could_be_several_people_is_not_shown() -> None:
    docs = [{"person": ["Bill Gates"]}] * 2 + [{"person": ["Bill Clinton"]}] * 2
    docs += [{"person": ["Bill"]}]
    assert shown(corpus(docs), "person")[-1] == []


def test_mononyms_and_peers_stay_plain_titles_do_not() -> None:
    docs = [{"person": ["Madonna"]}, {"person": ["Lord Falconer"]}, {"person": ["Mr Hayes"]}]
    assert shown(corpus(docs), "person") == [["madonna"], ["lord falconer"], []]
    docs.append({"person": ["Tony Hayes"]})
    assert shown(corpus(docs), "person")[2] == ["tony hayes"]


def test_initial_and_surname_is_the_full_name_once_a_document_writes_both() -> None:
    docs = [{"person": ["Guy Easterby"]}] * 3 + [{"person": ["G Easterby"]}]
    assert shown(corpus(docs), "person")[-1] == ["g easterby"]  # no evidence: left alone
    docs.append({"person": ["Guy Easterby", "G Easterby"]})
    assert shown(corpus(docs), "person")[3:] == [["guy easterby"]] * 2


def test_acronym_from_word_prefixes_merges_under_the_more_used_name() -> None:
    docs = [{"org": ["UKIP"]}] * 3 + [{"org": ["UK Independence Party"]}] * 2
    assert shown(corpus(docs), "org") == [["ukip"]] * 5
    places = [{"place": ["Los Angeles"]}] * 3 + [{"place": ["LA"]}] * 2
    assert shown(corpus(places), "place")[-2:] == [["los angeles"]] * 2
    # one document is no evidence; two letters are too few for an organisation
    assert shown(corpus(docs[:3] + docs[4:]), "org")[-1] == ["uk independence party"]
    bank = [{"org": ["Menatep Group"]}] * 2 + [{"org": ["MG"]}] * 2
    assert shown(corpus(bank), "org")[-1] == ["mg"]


def test_an_acronym_of_a_company_leaves_out_its_designator_and_takes_the_main_expansion() -> None:
    ibm = [{"org": ["IBM"]}] * 5 + [{"org": ["International Business Machines Corp"]}] * 2
    assert shown(corpus(ibm), "org")[-1] == ["ibm"]
    # every other word must still give a letter: "and" and "Co" give none
    firm = [{"org": ["AAA"]}] * 5 + [{"org": ["Arthur Andersen and Co"]}] * 2
    assert shown(corpus(firm), "org")[-1] == ["arthur andersen and co"]
    # of two expansions, the one with most of their documents
    ems = ([{"org": ["EMS"]}] * 5 + [{"org": ["European Monetary System"]}] * 9
           + [{"org": ["Emergency Medical Services"]}])
    assert shown(corpus(ems), "org")[0] == ["european monetary system"]
    split = (ems[:5] + [{"org": ["European Monetary System"]}] * 3
             + [{"org": ["Emergency Medical Services"]}] * 3)
    assert shown(corpus(split), "org")[0] == ["ems"]


def test_a_person_whose_name_opens_a_company_name_is_that_company() -> None:
    docs = ([{"person": ["James Capel"]}] * 10 + [{"org": ["James Capel and Co"]}] * 3
            + [{"person": ["Jardine Matheson"]}] * 4 + [{"org": ["Jardine Matheson Holdings Ltd"]}] * 2)
    links = corpus(docs)
    assert not [v for vs in shown(links, "person") for v in vs]
    assert "the firm 'James Capel and Co'" in links.reasons["person"]["james capel"]
    assert shown(links, "org")[0] == ["james capel"]
    # a surname some full name explains stays the person's; an administration is no firm
    people = ([{"person": ["Smith"]}] * 5 + [{"person": ["John Smith"]}] * 5
              + [{"org": ["Smith Barney Inc"]}] * 3 + [{"person": ["Bush"]}] * 5
              + [{"org": ["Bush Administration"]}] * 5)
    kept = corpus(people)
    assert shown(kept, "person")[5] == ["john smith"]
    assert "smith" not in [v for vs in shown(kept, "org") for v in vs]
    assert shown(kept, "person")[13] == ["bush"]
    # an initial keeps its point, and documents typing the name alone an organisation
    # count too (Reuters-21578: "an analyst with L.F. Rothschild" in 4 documents of 19, the
    # full name in 2)
    broker = ([{"person": ["L.F. Rothschild"]}] * 13 + [{"org": ["L.F. Rothschild"]}] * 2
              + [{"org": ["L.F. Rothschild Unterberg Towbin Inc"]}] * 2)
    links = corpus(broker)
    assert not [v for vs in shown(links, "person") for v in vs]
    assert "the firm 'L.F. Rothschild Unterberg Towbin Inc' (2 documents name it, 2 more an " \
        "organisation alone)" in links.reasons["person"]["l.f. rothschild"]
    # one document naming the firm, in two forms, is not enough
    once = ([{"person": ["L.F. Rothschild"]}] * 13 + [{"org": ["L.F. Rothschild"]}] * 3
            + [{"org": ["L.F. Rothschild Unterberg Towbin Inc", "L.F. Rothschild Inc"]}])
    assert shown(corpus(once), "person")[0] == ["l.f. rothschild"]


def test_party_and_house_of_variants() -> None:
    docs = [{"org": ["Labour"]}] * 5 + [{"org": ["Labour Party"]}]
    docs += [{"org": ["House of Lords"]}] * 2 + [{"org": ["Lords"]}] * 3
    result = shown(corpus(docs), "org")
    assert result[5] == ["labour"]
    assert result[6] == result[8] == ["lords"]
    # a party's era before its name is the party; other words before a name are not
    # (BBC: "New Labour"; Reuters-21578: the SPD's "Social Democrats" are no Democrats)
    eras = [{"org": ["Labour"]}] * 6 + [{"org": ["New Labour", "Labour"]},
                                         {"org": ["Old Labour", "Labour"]}]
    eras += [{"org": ["Democrats"]}] * 6 + [{"org": ["Social Democrats"]}]
    result = shown(corpus(eras), "org")
    assert result[6] == result[7] == ["labour"]
    assert result[-1] == ["social democrats"]
    # the era's name must go with the name: American football's "New England" is no England
    teams = [{"org": ["England"]}] * 6 + [{"org": ["New England", "Miami"]}] * 2
    assert shown(corpus(teams), "org")[-1] == ["new england", "miami"]


def test_abbreviated_words_and_sponsor_prefixes() -> None:
    docs = [{"org": ["Manchester United"]}] * 4 + [{"person": ["Man Utd"]}]
    assert shown(corpus(docs), "org")[-1] == ["manchester united"]
    events = [{"org": ["Six Nations"]}] * 6 + [{"org": ["RBS"]}] * 3
    events += [{"org": ["RBS Six Nations"]}]
    assert shown(corpus(events), "org")[-1] == ["six nations"]
    # a word before "X of Y" names another body (Reuters-21578: the Reserve Bank of New
    # Zealand is the central bank, the Bank of New Zealand a commercial one), not a number
    # or a country's word
    banks = [{"org": ["Bank of New Zealand"]}] * 4 + [{"org": ["Reserve Bank of New Zealand"]}]
    banks += [{"org": ["Bank of Scotland"]}] * 4 + [{"org": ["Royal Bank of Scotland"]}]
    banks += [{"org": ["Bank of America"]}] * 4 + [{"org": ["Five Bank of America"]}]
    banks += [{"org": ["Ministry of Finance"]}] * 4 + [{"org": ["Japanese Ministry of Finance"]}]
    banks += [{"org": ["Comptroller of the Currency"]}] * 4 + [
        {"org": ["U.S. Comptroller of the Currency"]}, {"org": ["2 Comptroller of the Currency"]}]
    result = shown(corpus(banks), "org")
    assert result[4] == ["reserve bank of new zealand"]
    assert result[9] == ["royal bank of scotland"]
    assert result[14] == ["bank of america"]
    assert result[19] == ["ministry of finance"]
    assert result[24] == result[25] == ["comptroller of the currency"]


def test_a_nickname_and_the_given_name_are_one_person_when_named_among_the_same() -> None:
    # Reuters-21578 names the House Speaker "Jim Wright" and "James Wright"
    docs = [{"person": ["Jim Wright", "Dan Rostenkowski"], "org": ["House", "Congress"]}] * 4
    docs += [{"person": ["James Wright"], "org": ["House", "Congress"]}] * 2
    links = corpus(docs)
    assert shown(links, "person")[-1] == ["jim wright"]
    assert "one given name" in links.reasons["person"]["james wright"]
    # "bill" is a nickname of William and of Robert in the table: the names beside them
    # decide, and Microsoft's chairman is not the CIA's deputy director
    gates = [{"person": ["Bill Gates"], "org": ["Microsoft"]}] * 4
    gates += [{"person": ["Robert Gates"], "org": ["Central Intelligence Agency"]}] * 2
    assert shown(corpus(gates), "person")[-1] == ["robert gates"]
    # one document is too little: a namesake on the same team shares the names beside him
    # (BBC: Steve Jones the Dragons hooker, Stephen Jones the Wales fly-half)
    wales = [{"person": ["Stephen Jones", "Gavin Henson", "Mike Ruddock"], "org": ["Wales"]}] * 5
    wales += [{"person": ["Steve Jones", "Gavin Henson", "Mike Ruddock"], "org": ["Dragons"]}]
    assert shown(corpus(wales), "person")[-1] == ["steve jones", "gavin henson", "mike ruddock"]
    # and two names in common among many are too few a share of them
    hookers = [f"Hooker {n}" for n in range(12)]
    halves = [f"Half {n}" for n in range(12)]
    busy = [{"person": ["Steve Jones", *hookers], "org": ["Wales"]}] * 2
    busy += [{"person": ["Stephen Jones", "Hooker 0", *halves], "org": ["Wales"]}] * 5
    assert "steve jones" in shown(corpus(busy), "person")[0]
    assert ("william", "bill") in nicknames() and ("robert", "bill") in nicknames()


def test_an_abbreviation_tagged_as_a_person_takes_its_full_names_type() -> None:
    # spaCy md tags "Lib Dem" (of "Lib Dem leader Charles Kennedy") as a person in more
    # BBC documents than it tags the party's "Lib Dems" as an organisation
    docs = [{"org": ["Lib Dems"]}] * 5 + [{"person": ["Lib Dems"]}]
    docs += [{"person": ["Lib Dem"]}] * 4
    links = corpus(docs)
    assert shown(links, "person") == [[]] * 10
    assert shown(links, "org") == [["lib dems"]] * 10
    assert "mostly org" in links.reasons["person"]["lib dem"]


def test_fragments_of_organisation_names() -> None:
    docs = [{"org": ["Lib Dems"]}] * 5 + [{"org": ["Dems"]}]
    assert shown(corpus(docs), "org")[-1] == ["lib dems"]
    houses = [{"org": ["White House"]}] * 3 + [{"org": ["Opera House"]}] * 3
    houses += [{"org": ["House"]}]
    assert shown(corpus(houses), "org")[-1] == []


def test_a_score_after_a_name_is_the_name() -> None:
    docs = [{"org": ["Kansas City"]}] * 2 + [{"org": ["Kansas City 1"]}]
    assert shown(corpus(docs), "org")[-1] == ["kansas city"]


def test_designators_after_a_firms_name_and_designators_alone() -> None:
    docs = [{"org": ["Merrill Lynch"]}] * 3 + [{"org": ["Merrill Lynch and Co Inc"]}]
    docs += [{"org": ["Co Inc"]}]
    assert shown(corpus(docs), "org")[-2:] == [["merrill lynch"], []]


def test_a_short_form_alone_far_more_often_than_a_rare_full_name_is_not_linked() -> None:
    # "Blackburn" (the club, tagged PERSON) in 15 documents, Tony Blackburn in one
    docs = [{"person": ["Blackburn"]}] * 15 + [{"person": ["Tony Blackburn"]}]
    links = corpus(docs)
    assert shown(links, "person")[0] == []
    assert "could be any of" in links.reasons["person"]["blackburn"]
    # President Reagan, named in full far less often than alone, is still Ronald Reagan
    reagan = [{"person": ["Reagan"]}] * 40 + [{"person": ["Ronald Reagan"]}] * 4
    assert shown(corpus(reagan), "person")[0] == ["ronald reagan"]


def test_a_person_always_named_in_full_is_a_title_not_a_person() -> None:
    docs = [{"person": ["Vera Drake", "Imelda Staunton"]}] * 5
    rows = {t: [list(d.get(t, [])) for d in docs] for t in TYPES}
    repeated = {"vera drake": (5, 5), "imelda staunton": (5, 0)}
    links = link_corpus(rows, lambda term: 0, repeated=repeated)
    assert shown(links, "person") == [["imelda staunton"]] * 5
    assert "named in full every time" in links.reasons["person"]["vera drake"]
    # too few documents to tell, and a name shortened in most of them, stay people
    for evidence in ((2, 2), (5, 3)):
        kept = link_corpus(rows, lambda term: 0, repeated={"vera drake": evidence})
        assert "vera drake" in shown(kept, "person")[0]


def test_pieces_cut_from_company_names_join_the_name_or_go() -> None:
    docs = ([{"org": ["American Telephone and Telegraph Co"]}] * 6
            + [{"org": ["Telegraph Co"]}] * 2 + [{"org": ["American Telephone"]}] * 2
            + [{"org": ["Alpha Industries Inc"]}] * 3 + [{"org": ["Beta Industries Inc"]}] * 3
            + [{"org": ["Industries Inc"]}] * 2 + [{"org": ["Bank of Canada"]}] * 2
            + [{"org": ["Chase Manhattan Bank of Canada"]}] * 5
            + [{"org": ["Kidder Peabody"]}] * 2 + [{"org": ["Kidder Peabody and Co"]}] * 5)
    links = corpus(docs)
    org = shown(links, "org")
    assert org[6] == org[8] == ["american telephone and telegraph co"]
    assert org[16] == []  # "Industries Inc" could be any of them
    assert "a piece of longer names" in links.reasons["org"]["industries inc"]
    assert org[18] == ["bank of canada"]  # an "X of Y" name is a name of its own
    assert org[25] == org[27] != []  # the firm's own short name is no piece


def test_an_institution_every_country_has_is_none_alone_unless_one_country_goes_with_it() -> None:
    # Reuters-21578 names "the Central Bank" of whichever country the story is about, and
    # the central banks of eleven countries by their own names
    places = ["Brazil", "Kenya", "Kuwait", "Taiwan", "Ireland", "Philippines"] * 2
    banks = [{"org": ["Central Bank"], "place": [p]} for p in places]
    banks += [{"org": [name]} for name in ("Brazilian Central Bank", "Dutch Central Bank",
                                             "Central Bank of Kenya", "Kuwaiti Central Bank")]
    links = corpus(banks)
    assert shown(links, "org")[:12] == [[]] * 12
    assert shown(links, "org")[12:] == [["brazilian central bank"], ["dutch central bank"],
                                        ["central bank of kenya"], ["kuwaiti central bank"]]
    assert "4 countries have their own" in links.reasons["org"]["central bank"]
    # three countries are not every country, and a country's name and its nationality word
    # are one country
    assert shown(corpus(banks[:-1]), "org")[0] == ["central bank"]
    twice = banks[:-1] + [{"org": ["Central Bank of Brazil"]}]
    assert shown(corpus(twice), "org")[0] == ["central bank"]
    # a home institution is named with its own towns, not with the countries that have one
    # too (the BBC's Labour Party beside Israel's, Norway's, Ireland's and the Netherlands')
    towns = ["London", "Brighton", "Scotland", "Wales", "United Kingdom", "Manchester"]
    home = [{"org": ["Labour Party"], "place": [town]} for town in towns]
    home += [{"org": [f"{n} Labour Party"]} for n in ("Israeli", "Norwegian", "Irish", "Dutch")]
    assert shown(corpus(home), "org")[0] == ["labour party"]
    # also when its own country has a form too, and is named beside it now and then
    home += [{"org": ["British Labour Party"]}, {"org": ["Labour Party"], "place": ["Israel"]}]
    home[0]["place"] = home[1]["place"] = ["United Kingdom"]
    assert shown(corpus(home), "org")[0] == ["labour party"]
    # six countries have a Treasury, but Reuters' Treasury is the United States'
    treasury = [{"org": ["Treasury"], "place": ["United States", p]} for p in places]
    treasury += [{"org": [f"{n} Treasury"]} for n in ("U.S.", "British", "Canadian", "Italian")]
    result = shown(corpus(treasury), "org")
    assert result[0] == result[12] == ["treasury"]
    assert result[13] == ["british treasury"]
    # a country named beside it once is chance: each of three must be named twice
    once = banks[::2] + banks[12:]
    assert shown(corpus(once), "org")[0] == ["central bank"]


def test_a_country_named_beside_an_institution_it_has_no_form_of_claims_nothing() -> None:
    # Reuters-21578: "the Foreign Ministry" of Japan, Turkey or Brazil, in talks with the
    # United States; two-word countries count ("South African", "of New Zealand")
    places = ["Turkey", "Brazil", "New Zealand", "South Africa"] * 2
    ministry = [{"org": ["Foreign Ministry"], "place": ["United States", p]} for p in places]
    ministry += [{"org": [n]} for n in ("Turkish Foreign Ministry", "Brazilian Foreign Ministry",
                                          "Foreign Ministry of New Zealand",
                                          "South African Foreign Ministry")]
    links = corpus(ministry)
    assert shown(links, "org")[:8] == [[]] * 8
    assert "4 countries have their own" in links.reasons["org"]["foreign ministry"]
    # with its own form, the country named beside it in most documents has it; a town
    # named so goes with its own country's
    us = ministry + [{"org": ["U.S. Foreign Ministry"]}]
    assert shown(corpus(us), "org")[0] == ["foreign ministry"]
    home = [{"org": ["Foreign Ministry"], "place": ["Tokyo", p]} for p in places] + ministry[8:]
    assert shown(corpus(home), "org")[0] == ["foreign ministry"]
