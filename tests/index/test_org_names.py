"""Organisations' names: cut firms and cut first words joined, short forms documents define,
designators, acronyms beside their names, a country before a name, a firm's own short name.

Document-level tests run `analyse_document` on real sentences with a dictionary tagger that
cuts names as spaCy does; corpus-level ones lay out a corpus as the index holds it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from conftest import DictExtractor, fake_settings
from test_entity_links import TYPES, shown

from search.index.analysis import index_term
from search.index.entity_links import CorpusLinks, link_corpus
from search.index.facet_base import parse_key_line, split_mentions
from search.index.indexer import build
from search.ingest.document_entities import analyse_document
from search.ingest.entities import Mention
from search.query.searcher import Searcher


def orgs(text: str, names: dict[str, str]) -> dict[str, int]:
    found = DictExtractor(names).extract([text]).__next__()
    return analyse_document(found, text=text).counts["org"]


def linked(
    docs: Sequence[dict[str, list[str]]],
    shortened: dict[str, Counter[str]] | None = None,
    things: dict[str, int] | None = None,
    lists: Sequence[dict[str, bool]] = (),
    with_the: dict[str, int] | None = None,
) -> CorpusLinks:
    """link_corpus over documents laid out as type → values, with the short forms, the
    works and products documents flag, the names they list together and the plurals they
    write after "the"."""
    rows = {t: [list(d.get(t, [])) for d in docs] for t in TYPES}
    df: Counter[str] = Counter()
    for d in docs:
        df.update({index_term(w) for vs in d.values() for v in vs for w in v.split()} - {None})
    return link_corpus(
        rows, lambda term: df[term], shortened=shortened, things=things, lists=lists,
        with_the=with_the,
    )


def test_a_company_name_the_tagger_cut_at_its_and_is_joined() -> None:
    text = (
        "The system is built around the American Telephone and Telegraph Co switch. "
        "Standard and Poor's Corp said it upgraded the debt."
    )
    names = {"American Telephone": "ORG", "Telegraph Co": "ORG", "Poor's Corp": "ORG"}
    found = orgs(text, names)
    assert set(found) == {"American Telephone and Telegraph Co", "Standard and Poor's Corp"}


def test_two_firms_either_side_of_an_and_stay_two() -> None:
    text = "Shares of IBM and General Motors Corp rose. First Boston Corp and Salomon Brothers Inc led."
    names = {"IBM": "ORG", "General Motors Corp": "ORG", "First Boston Corp": "ORG",
             "Salomon Brothers Inc": "ORG"}
    assert set(orgs(text, names)) == set(names)
    # one word and a designator is a firm of its own when the document names it alone
    pennzoil = "Texaco and Pennzoil Co settled. Pennzoil said the talks were over."
    found = orgs(pennzoil, {"Texaco": "ORG", "Pennzoil Co": "ORG", "Pennzoil": "ORG"})
    assert "Texaco and Pennzoil Co" not in found and "Texaco" in found


def test_a_headline_in_capitals_takes_the_name_its_body_gives_the_short_form() -> None:
    text = (
        "FED ADDS RESERVES VIA REPURCHASES\n\nThe Federal Reserve added reserves, "
        "the Fed said, as economists expected."
    )
    names = {"FED": "ORG", "Federal Reserve": "ORG", "Fed": "ORG"}
    found = DictExtractor(names).extract([text]).__next__()
    analysis = analyse_document(found, text=text)
    assert analysis.facets["org"] == ["Federal Reserve"]
    assert analysis.short_forms == {"Federal Reserve": ("FED", "Fed")}


def test_two_surnames_joined_by_and_are_a_firm_where_the_text_writes_them_as_one() -> None:
    # Reuters-21578: the tagger cuts the rating agency into two surnames
    text = ("DUFF/PHELPS LOWERS USX DEBT\n\nDuff and Phelps said it has downgraded fixed "
            "income securities of USX Corp. Duff and Phelps also cut the preferred stock.")
    names = {"Duff": "PERSON", "Phelps": "PERSON", "USX Corp": "ORG"}
    analysis = analyse_document(next(DictExtractor(names).extract([text])), text=text)
    assert analysis.facets == {"person": [], "place": [],
                               "org": ["Duff and Phelps", "USX Corp"]}
    # two people named so are two people, and so are those named in full
    text = "Blair and Brown said they would campaign together, Tony Blair said."
    names = {"Blair": "PERSON", "Brown": "PERSON", "Tony Blair": "PERSON"}
    analysis = analyse_document(next(DictExtractor(names).extract([text])), text=text)
    assert analysis.facets["org"] == []
    text = "Tony Blair spoke. Later Blair and Brown said it was time to go."
    names = {"Blair": "PERSON", "Brown": "PERSON", "Tony Blair": "PERSON"}
    analysis = analyse_document(next(DictExtractor(names).extract([text])), text=text)
    assert analysis.facets["org"] == []


def test_a_clipped_compound_is_the_firm_it_clips() -> None:
    # BBC News: Yukos's unit, clipped and tagged a place by the model
    text = ("The Russian government put Yukos's Yuganskneftegas subsidiary up for sale. The "
            "unit, Yugansk, was sold to pay off a $27.5bn tax bill.")
    names = {"Yukos": "ORG", "Yuganskneftegas": "ORG", "Yugansk": "GPE"}
    analysis = analyse_document(next(DictExtractor(names).extract([text])), text=text)
    assert analysis.counts["org"] == {"Yuganskneftegas": 2, "Yukos": 1}
    assert analysis.facets["place"] == []
    assert analysis.short_forms == {"Yuganskneftegas": ("Yugansk",)}
    # not a clip named before the name, a short one, a country or a direction
    for text, names in (
        ("Apple said AppleInsider had the story first.", {"Apple": "ORG", "AppleInsider": "ORG"}),
        ("Skyscanner and Sky both grew.", {"Skyscanner": "ORG", "Sky": "ORG"}),
        ("Chinadotcom sold its unit in China.", {"Chinadotcom": "ORG", "China": "GPE"}),
        ("Southampton beat their South coast rivals.", {"Southampton": "ORG", "South": "LOC"}),
        ("The Glass-Steagall Act, written by Glass, stands.",
         {"Glass-Steagall": "ORG", "Glass": "PERSON"}),
    ):
        analysis = analyse_document(next(DictExtractor(names).extract([text])), text=text)
        assert analysis.short_forms == {}, text
    # a word that opens a name a little longer than itself is its own ("Berlin", "Berliner")
    text = "Berliner Zeitung reported that Berlin would bid."
    names = {"Berliner": "ORG", "Berlin": "GPE"}
    analysis = analyse_document(next(DictExtractor(names).extract([text])), text=text)
    assert analysis.facets["place"] == ["Berlin"]


def test_a_key_line_carries_its_count_flags_and_short_forms() -> None:
    line = "Commodity Credit Corporation\t4\tfull\t=CCC\t=Commodity"
    assert parse_key_line(line) == (
        "Commodity Credit Corporation", 4, True, ("CCC", "Commodity"), False, -1, False)
    assert parse_key_line("Vladimir Putin\t11\tfull") == (
        "Vladimir Putin", 11, True, (), False, -1, False)
    assert split_mentions("Commodity Credit Corporation\t4\t=CCC") == (
        "Commodity Credit Corporation", 4)
    assert parse_key_line("Room\t101b") == ("Room\t101b", 1, False, (), False, -1, False)
    # a work, written in this document's third list of names
    assert parse_key_line("Sideways\t2\tthing\tlist2") == (
        "Sideways", 2, False, (), True, 2, False)
    # a nickname, named after "the" every time here
    assert parse_key_line("Gunners\t3\tthe") == ("Gunners", 3, False, (), False, -1, True)


def test_a_short_form_documents_define_is_that_name_where_it_stands_alone() -> None:
    docs = [{"org": ["Commodity Credit Corporation"]}] * 3 + [
        {"org": ["Canadian Commercial Corp"]}] * 3 + [{"org": ["CCC"]}] * 4
    defined = {"ccc": Counter({"commodity credit corporation": 3})}
    assert shown(linked(docs, defined), "org")[-1] == ["commodity credit corporation"]
    # without documents defining it, its letters fit two names
    assert shown(linked(docs), "org")[-1] == ["ccc"]
    # documents that disagree leave it alone
    split = {"ccc": Counter({"commodity credit corporation": 3, "canadian commercial corp": 3})}
    assert shown(linked(docs, split), "org")[-1] == ["ccc"]


def test_a_short_form_defined_for_a_name_and_its_longer_form_merges_them() -> None:
    docs = [{"org": ["Federal Reserve"]}] * 4 + [{"org": ["Federal Reserve Board"]}] * 3 + [
        {"org": ["Fed"]}] * 2
    defined = {"fed": Counter({"federal reserve": 4, "federal reserve board": 3})}
    rows = shown(linked(docs, defined), "org")
    assert {k for r in rows for k in r} == {"federal reserve"}


def test_a_firm_with_and_without_its_designators_is_one_name() -> None:
    docs = (
        [{"org": ["Commodity Credit Corporation"]}] * 3 + [{"org": ["Commodity Credit Corp."]}]
        + [{"org": ["Goldman, Sachs and Co"]}] * 2 + [{"org": ["Goldman Sachs"]}]
        + [{"org": ["Organisation of Petroleum Exporting Countries"]}]
        + [{"org": ["Organization of Petroleum Exporting Countries"]}] * 2
    )
    keys = {k for r in shown(linked(docs), "org") for k in r}
    assert keys == {"commodity credit corporation", "goldman, sachs and co",
                    "organization of petroleum exporting countries"}


def test_a_two_letter_acronym_is_the_name_documents_give_beside_it() -> None:
    both = {"org": ["European Community", "EC"]}
    docs = [both] * 3 + [{"org": ["EC"]}] * 2 + [{"org": ["European Commission"]}] * 2
    rows = shown(linked(docs), "org")
    assert rows[0] == rows[3] == ["ec"]  # under the more used of the two
    assert rows[-1] == ["european commission"]
    # two letters named beside nothing stand for too much
    alone = [{"org": ["EC"]}] * 3 + [{"org": ["European Community"]}] * 3
    assert shown(linked(alone), "org")[0] == ["ec"]
    # "S and P", letters joined by "and", is an acronym too
    sp = [{"org": ["Standard and Poor's Corp", "S and P"]}] * 3 + [
        {"org": ["Standard and Poor's Corp"]}] * 2 + [{"org": ["S and P"]}]
    assert shown(linked(sp), "org")[-1] == ["standard and poor's corp"]


def test_a_country_before_a_name_is_that_name_where_the_corpus_says_so() -> None:
    us = [{"org": ["Treasury"], "place": ["United States"]}] * 3 + [
        {"org": ["U.S. Treasury"], "place": ["United States"]}] * 2
    assert {k for r in shown(linked(us), "org") for k in r} == {"treasury"}
    # where the Treasury is mostly another country's, the U.S. Treasury stays itself
    uk = [{"org": ["Treasury"], "place": ["Britain"]}] * 3 + [
        {"org": ["U.S. Treasury"], "place": ["United States"]}] * 2
    assert {k for r in shown(linked(uk), "org") for k in r} == {"treasury", "u.s. treasury"}
    # a document naming the country's form names the country, though the model tags no
    # place inside it (Reuters-21578: "the U.S. Navy ... the Navy said")
    navy = [{"org": ["Navy"], "place": ["Gulf"]}] * 2 + [
        {"org": ["U.S. Navy", "Navy"], "place": ["Iran"]}] * 2 + [{"org": ["U.S. Navy"]}]
    links = linked(navy)
    assert {k for r in shown(links, "org") for k in r} == {"navy"}
    assert "name United States or 'U.S. Navy' too" in links.reasons["org"]["u.s. navy"]
    assert {k for r in shown(linked(navy[:2] + navy[4:]), "org") for k in r} == {
        "navy", "u.s. navy"}


def test_a_firm_s_own_short_name_is_the_company_it_opens() -> None:
    docs = [{"org": ["Moody's"]}] * 4 + [{"org": ["Moody's Investors Service Inc"]}] * 2
    links = linked(docs)
    assert {k for r in shown(links, "org") for k in r} == {"moody's"}
    assert "short name" in links.reasons["org"]["moody's investors service inc"]
    # a word opening several companies' names is none of them
    shell = [{"org": ["Shell"]}] * 4 + [{"org": ["Shell Oil Co"]}] * 2 + [
        {"org": ["Shell Canada Ltd"]}] * 2
    assert len({k for r in shown(linked(shell), "org") for k in r}) == 3


def test_the_index_links_a_short_form_defined_in_other_documents(tmp_path: Path) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    defining = (
        "The Commodity Credit Corporation said it would buy wheat. The CCC bought "
        "two cargoes."
    )
    for n in range(2):
        (corpus / f"define{n}.txt").write_text(f"Wheat {n}\n\n{defining}\n", encoding="utf-8")
    (corpus / "alone.txt").write_text("Wheat\n\nThe CCC sold maize.\n", encoding="utf-8")
    names = {"Commodity Credit Corporation": "ORG", "CCC": "ORG"}
    index = tmp_path / "index"
    build([corpus], index, settings=fake_settings(), extractor=DictExtractor(names))
    with Searcher(index) as s:
        counts = {c.value: c.count for c in s.facet_counts(limit=10)["org"]}
        fates = s.document("alone.txt", why=True).why
    assert counts == {"Commodity Credit Corporation": 3}
    assert any("documents that name both" in r for f in fates for r in f.reasons)


def test_mentions_offsets_survive_a_join() -> None:
    text = "Prices at American Telephone and Telegraph Co rose."
    found = [Mention("American Telephone", "ORG", 10, 28), Mention("Telegraph Co", "ORG", 33, 45)]
    fates = analyse_document(found, text=text).fates
    joined = [f for f in fates if f.value == "American Telephone and Telegraph Co"]
    assert joined and joined[0].start == 10
    assert "cut at its 'and'" in joined[0].steps[0]


def test_a_word_the_tagger_cut_from_an_organisations_name_is_joined_to_it() -> None:
    # spaCy md tags "Dems" alone in "the Lib Dems" (BBC News, 2005)
    text = "The Tories and the Lib Dems have questioned the plans."
    assert orgs(text, {"Tories": "NORP", "Dems": "ORG"}) == {"Lib Dems": 1}
    text = "It sold its stake in Rank Xerox to the parent, Xerox Corp."
    assert orgs(text, {"Xerox": "ORG", "Xerox Corp": "ORG"}) == {"Rank Xerox": 1, "Xerox Corp": 1}
    # a sentence's first word, a word tagged itself, an article, a title, a date or a
    # headline's word is not
    for text, names in [
        ("Shares fell. Yesterday Microsoft said sales rose.", {"Microsoft": "ORG"}),
        ("He said British Airways and Iberia agreed.", {"British": "NORP", "Airways": "ORG"}),
        ("He wrote in The Times on Friday.", {"Times": "ORG"}),
        ("He joined as Chief Treasury adviser.", {"Treasury": "ORG"}),
        ("On Tuesday Labour said it would win.", {"Labour": "ORG"}),
        ("Search Deal: Google Beats Yahoo In Europe\n", {"Google": "ORG", "Yahoo": "ORG"}),
        ("The view of the Chancellor Treasury aides share.", {"Treasury": "ORG"}),
    ]:
        found = orgs(text, names)
        assert not any(" " in value for value in found), (text, found)


def test_an_acronym_with_its_letters_out_of_order_links_when_named_beside_its_name() -> None:
    # Reuters writes "U.S. Agriculture Department" and "USDA" (of U.S. Department of
    # Agriculture); the letters fit in another order, so only documents naming both prove it
    docs = [{"org": ["U.S. Agriculture Department"]}] * 6
    docs += [{"org": ["USDA", "U.S. Agriculture Department"]}] * 3 + [{"org": ["USDA"]}] * 4
    links = linked(docs)
    assert shown(links, "org")[-1] == ["u.s. agriculture department"]
    assert "named beside it" in links.reasons["org"]["usda"]
    apart = [{"org": ["U.S. Agriculture Department"]}] * 6 + [{"org": ["USDA"]}] * 4
    assert shown(linked(apart), "org")[-1] == ["usda"]


def test_a_number_word_is_its_figures_in_an_acronym() -> None:
    # Reuters writes both "G-7" and "Group of Seven" (and "G-5" / "Group of Five")
    docs = [{"org": ["G-7"]}] * 5 + [{"org": ["Group of Seven"]}] * 3
    docs += [{"org": ["Group of Five"]}] * 4 + [{"org": ["G-5"]}] * 2
    result = shown(linked(docs), "org")
    assert result[5] == result[0] == ["g-7"]
    assert result[-1] == result[-2] == ["group of five"]
    # a letter and a figure are specific; "Group of 10" is no "Group of" with a score
    tens = [{"org": ["Group of"]}] * 3 + [{"org": ["Group of 10"]}] * 2
    assert shown(linked(tens), "org")[-1] == ["group of 10"]
