"""Tests for search.ingest.normalize on hand-made mentions (no NLP model)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from search.ingest.document_entities import analyse_document, normalize_document
from search.ingest.entities import Mention
from search.ingest.normalize import (
    aliases,
    canonical,
    choose_display,
    clean_mention,
    facet_key,
)


def mentions(*pairs: tuple[str, str]) -> list[Mention]:
    """Mentions laid end to end, as if from one text."""
    found: list[Mention] = []
    pos = 0
    for text, label in pairs:
        found.append(Mention(text, label, pos, pos + len(text)))
        pos += len(text) + 1
    return found


# clean_mention


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("the Kremlin", "Kremlin"),
        ("The Kremlin", "Kremlin"),
        ("THE KREMLIN", "KREMLIN"),
        ("the Soviet Union", "Soviet Union"),
        ("The Hague", "The Hague"),
        ("the Hague", "The Hague"),
        ("The Gambia", "The Gambia"),
        ("the Bahamas", "The Bahamas"),
        ("Putin's", "Putin"),
        ("Putin’s", "Putin"),
        ("Nato's", "Nato"),
        ("Scholz’s", "Scholz"),
        ("Reuters'", "Reuters"),
        ("McDonald's", "McDonald's"),
        ("Sainsbury’s", "Sainsbury’s"),
        ("“Putin’s”", "Putin"),
        ('"Gazprom"', "Gazprom"),
        ("“Kremlin", "Kremlin"),
        ("Kremlin,", "Kremlin"),
        ("Kremlin.", "Kremlin"),
        ("(BBC)", "BBC"),
        ("BBC)", "BBC"),
        ("Acme Ltd (UK)", "Acme Ltd (UK)"),
        ("U.S.", "U.S."),
        ("Acme Inc.", "Acme Inc."),
        ("- Berlin -", "Berlin"),
        ("Olaf\nScholz", "Olaf Scholz"),
        ("  Rio   de\tJaneiro ", "Rio de Janeiro"),
        ("O'Neill", "O'Neill"),
        ("Bashar al-Assad", "Bashar al-Assad"),
        ("G20", "G20"),
        ("the US", "US"),
    ],
)
def test_clean_mention_display_form(raw: str, clean: str) -> None:
    assert clean_mention(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "A",
        "the",
        "2022",
        "1,000",
        "--",
        "he",
        "the government",
        "UNITED STATES OF AMERICA TODAY",
        "X" * 81,
        "Some " * 20 + "Name",
        "https://bbc.co.uk/news",
        "www.Example.org",
        "press@Example.org",
        "Example.com",
    ],
)
def test_clean_mention_rejects_junk(raw: str) -> None:
    assert clean_mention(raw) is None


def test_clean_mention_keeps_short_caps_and_three_word_caps() -> None:
    assert clean_mention("BBC") == "BBC"
    assert clean_mention("BANK OF ENGLAND") == "BANK OF ENGLAND"


# facet_key and aliases


def test_facet_key_ignores_case_accents_quotes_dashes_and_spacing() -> None:
    assert facet_key("Nato") == facet_key("NATO") == "nato"
    assert facet_key("Zelénsky") == facet_key("Zelensky")
    assert facet_key("Côte d’Ivoire") == facet_key("cote d'ivoire")
    assert facet_key("Russian–German") == facet_key("Russian-German")
    assert facet_key(" Rio  de\nJaneiro ") == "rio de janeiro"
    assert facet_key("Straße") == facet_key("STRASSE")
    assert facet_key("Işık") == facet_key("ISIK")


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("US", "United States"),
        ("U.S.", "United States"),
        ("usa", "United States"),
        ("U.S.A.", "United States"),
        ("United States of America", "United States"),
        ("America", "United States"),
        ("UK", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("Great Britain", "United Kingdom"),
        ("Kiev", "Kyiv"),
        ("Holland", "Netherlands"),
        ("USSR", "Soviet Union"),
        ("EU", "European Union"),
        ("E.U.", "European Union"),
        ("U.N.", "United Nations"),
        # the AP's abbreviations of American states (us_states.tsv)
        ("Calif.", "California"),
        ("Calif", "California"),
        ("N.J.", "New Jersey"),
        ("Fla.", "Florida"),
    ],
)
def test_canonical_applies_alias_table(alias: str, name: str) -> None:
    assert canonical(alias) == name


def test_a_countrys_other_name_is_the_country_but_a_person_keeps_it() -> None:
    # BBC: "Holland" for the Netherlands' team, "Holland" for Jools Holland
    doc = mentions(("Holland", "GPE"), ("Netherlands", "GPE"), ("Holland", "PERSON"))
    result = analyse_document(doc)
    assert result.facets == {"person": ["Holland"], "place": ["Netherlands"], "org": []}


def test_canonical_leaves_unknown_and_casing_alone() -> None:
    assert canonical("Beijing") == "Beijing"
    assert canonical("Nato") == "Nato"
    assert canonical("NATO") == "NATO"
    assert canonical("Latin America") == "Latin America"
    # "Miss." is a title before a name, never taken for Mississippi
    assert canonical("Miss.") == "Miss."


def test_alias_table_loads_and_every_canonical_is_a_fixed_point() -> None:
    table = aliases()
    assert len(table) >= 20
    for name in set(table.values()):
        assert canonical(name) == name


# normalize_document


def test_document_values_ordered_by_count_then_first_appearance() -> None:
    doc = mentions(
        ("Berlin", "GPE"),
        ("Moscow", "GPE"),
        ("Kyiv", "GPE"),
        ("Moscow", "GPE"),
        ("the Kremlin", "ORG"),
        ("Kremlin", "ORG"),
        ("Kyiv", "GPE"),
    )
    result = normalize_document(doc)
    assert result == {
        "person": [],
        "place": ["Moscow", "Kyiv", "Berlin"],
        "org": ["Kremlin"],
    }


def test_document_merges_case_variants_and_applies_aliases() -> None:
    doc = mentions(
        ("Nato", "ORG"),
        ("NATO", "ORG"),
        ("Nato's", "ORG"),
        ("US", "GPE"),
        ("the U.S.", "GPE"),
    )
    result = normalize_document(doc)
    assert result["org"] == ["Nato"]
    assert result["place"] == ["United States"]


def test_document_ignores_unwanted_labels_and_junk() -> None:
    doc = mentions(
        ("Russian", "NORP"), ("2022", "DATE"), ("he", "PERSON"), ("Berlin", "GPE")
    )
    assert normalize_document(doc) == {"person": [], "place": ["Berlin"], "org": []}


def test_bare_surname_links_to_the_one_full_name() -> None:
    doc = mentions(
        ("Vladimir Putin", "PERSON"), ("Putin", "PERSON"), ("Putin's", "PERSON")
    )
    assert normalize_document(doc)["person"] == ["Vladimir Putin"]


def test_surname_links_regardless_of_order_and_accents() -> None:
    doc = mentions(("Zelénsky", "PERSON"), ("Volodymyr Zelensky", "PERSON"))
    assert normalize_document(doc)["person"] == ["Volodymyr Zelensky"]


def test_ambiguous_surname_stays_bare() -> None:
    doc = mentions(
        ("Boris Johnson", "PERSON"),
        ("Lyndon Johnson", "PERSON"),
        ("Johnson", "PERSON"),
        ("Johnson", "PERSON"),
    )
    assert normalize_document(doc)["person"] == [
        "Johnson",
        "Boris Johnson",
        "Lyndon Johnson",
    ]


def test_first_name_links_to_the_one_full_name() -> None:
    doc = mentions(("Olaf Scholz", "PERSON"), ("Olaf", "PERSON"))
    assert normalize_document(doc)["person"] == ["Olaf Scholz"]


def test_surname_tagged_as_org_or_place_becomes_the_person() -> None:
    doc = mentions(
        ("Olaf Scholz", "PERSON"),
        ("Scholz", "ORG"),
        ("Scholz", "ORG"),
        ("Vladimir Putin", "PERSON"),
        ("Putin", "GPE"),
        ("Berlin", "GPE"),
    )
    result = normalize_document(doc)
    assert result == {
        "person": ["Olaf Scholz", "Vladimir Putin"],
        "place": ["Berlin"],
        "org": [],
    }


def test_full_name_tagged_as_org_becomes_the_person() -> None:
    doc = mentions(("Mark Rutte", "PERSON"), ("Mark Rutte", "ORG"))
    assert normalize_document(doc) == {"person": ["Mark Rutte"], "place": [], "org": []}


def test_bare_name_conflict_goes_to_the_majority() -> None:
    doc = mentions(
        ("Kyiv", "PERSON"), ("Kyiv", "GPE"), ("Kyiv", "GPE"), ("Putin", "GPE")
    )
    doc += mentions(("Putin", "PERSON"))
    result = normalize_document(doc)
    assert result == {"person": ["Putin"], "place": ["Kyiv"], "org": []}


def test_company_named_like_a_person_stays_an_org_when_mostly_tagged_so() -> None:
    doc = mentions(
        ("Morgan Stanley", "ORG"),
        ("Morgan Stanley", "ORG"),
        ("Morgan Stanley", "PERSON"),
    )
    assert normalize_document(doc) == {
        "person": [],
        "place": [],
        "org": ["Morgan Stanley"],
    }


def test_no_person_among_places_or_orgs() -> None:
    doc = mentions(
        ("Xi Jinping", "PERSON"),
        ("Xi Jinping", "GPE"),
        ("Jinping", "ORG"),
        ("Scholz", "PERSON"),
        ("Scholz", "ORG"),
        ("Beijing", "GPE"),
    )
    result = normalize_document(doc)
    people = {facet_key(v) for v in result["person"]}
    assert people == {"xi jinping", "scholz"}
    for facet in ("place", "org"):
        assert not people & {facet_key(v) for v in result[facet]}
    assert result["place"] == ["Beijing"]


def test_acronym_links_to_its_long_name() -> None:
    doc = mentions(
        ("ECB", "ORG"),
        ("the European Central Bank", "ORG"),
        ("ECB", "ORG"),
        ("World Health Organization", "ORG"),
        ("WHO", "ORG"),
        ("IMF", "ORG"),
    )
    result = normalize_document(doc)
    assert result["org"] == [
        "European Central Bank",
        "World Health Organization",
        "IMF",
    ]


def test_acronym_tagged_with_another_label_joins_the_long_name() -> None:
    doc = mentions(("Organisation for Economic Co-operation and Development", "ORG"))
    doc += mentions(("OECD", "GPE"))
    result = normalize_document(doc)
    assert result["org"] == ["Organisation for Economic Co-operation and Development"]
    assert result["place"] == []


def test_ambiguous_acronym_is_left_alone() -> None:
    doc = mentions(("Bank of England", "ORG"), ("British Energy", "ORG"), ("BE", "ORG"))
    assert normalize_document(doc)["org"] == ["Bank of England", "British Energy", "BE"]


def test_custom_facets_mapping() -> None:
    doc = mentions(("Nato", "ORG"), ("Berlin", "GPE"), ("Olaf Scholz", "PERSON"))
    assert normalize_document(doc, {"org": ("ORG",)}) == {"org": ["Nato"]}


# choose_display


def test_choose_display_most_frequent() -> None:
    assert choose_display({"Nato": 5, "NATO": 2}) == "Nato"
    assert choose_display({"Nato": 2, "NATO": 5}) == "NATO"


def test_choose_display_never_headline_caps_when_mixed_case_exists() -> None:
    assert choose_display({"LONDON": 40, "London": 3}) == "London"
    assert choose_display({"NEW YORK": 9, "New York": 1}) == "New York"
    assert choose_display({"LONDON": 4}) == "LONDON"


def test_choose_display_keeps_acronyms_in_caps() -> None:
    assert choose_display({"BBC": 10}) == "BBC"
    assert choose_display({"BBC": 10, "Bbc": 1}) == "BBC"
    assert choose_display({"HSBC": 7, "Hsbc": 2}) == "HSBC"


def test_choose_display_ties_are_deterministic() -> None:
    assert choose_display({"Zelensky": 2, "Zelénsky": 2}) == "Zelensky"
    assert choose_display({"Zelénsky": 2, "Zelensky": 2}) == "Zelensky"
    assert choose_display({"NATO": 3, "Nato": 3}) == "Nato"


def test_choose_display_needs_a_form() -> None:
    with pytest.raises(ValueError, match="at least one form"):
        choose_display({})


# properties


@given(st.text())
@example("Işık İstanbul ẞ ﬁ")
def test_facet_key_is_idempotent_and_case_insensitive(value: str) -> None:
    key = facet_key(value)
    assert facet_key(key) == key
    assert facet_key(value.upper()) == facet_key(value.lower()) == key


@given(st.text())
def test_clean_mention_never_raises(value: str) -> None:
    cleaned = clean_mention(value)
    assert cleaned is None or (cleaned == cleaned.strip() and len(cleaned) >= 2)


# analyse_document: rules that read the text, and each mention's fate


def found_in(text: str, *pairs: tuple[str, str]) -> list[Mention]:
    """Mentions at their real offsets in text (each name's first occurrence after the last)."""
    out, pos = [], 0
    for name, label in pairs:
        start = text.index(name, pos)
        out.append(Mention(name, label, start, start + len(name)))
        pos = start + len(name)
    return out


def test_initial_and_surname_is_left_for_the_corpus_to_link() -> None:
    # the corpus needs to see both forms in one document to link them everywhere
    doc = mentions(("Geoff Easterby", "PERSON"), ("G Easterby", "PERSON"))
    assert normalize_document(doc)["person"] == ["Geoff Easterby", "G Easterby"]


def test_agency_sign_off_and_nationality_words_are_no_entities() -> None:
    text = "Ukrainian officials met Olaf Scholz in Berlin, the ministry said. Reuter"
    doc = found_in(
        text, ("Ukrainian", "NORP"), ("Olaf Scholz", "PERSON"), ("Berlin", "GPE"),
        ("Reuter", "PERSON"),
    )
    result = analyse_document(doc, text=text)
    assert result.facets == {"person": ["Olaf Scholz"], "place": ["Berlin"], "org": []}
    assert result.other == ["Ukrainian"]
    fates = {f.text: f for f in result.fates}
    assert fates["Reuter"].value is None and "sign-off" in fates["Reuter"].steps[0]
    assert "nationality" in fates["Ukrainian"].steps[0]


def test_a_person_with_an_article_is_a_thing_and_a_title_stays_with_its_surname() -> None:
    text = "Mike Leigh won an Oscar. Lord Falconer and Mr Hayes were there."
    doc = found_in(
        text, ("Mike Leigh", "PERSON"), ("Oscar", "PERSON"), ("Falconer", "PERSON"),
        ("Hayes", "PERSON"),
    )
    result = analyse_document(doc, text=text)
    assert result.facets["person"] == ["Mike Leigh", "Lord Falconer", "Mr Hayes"]
    assert result.other == ["Oscar"]


def test_party_acronyms_tagged_norp_are_organisations() -> None:
    text = "The far-right AfD and the Tories gained."
    doc = found_in(text, ("AfD", "NORP"), ("Tories", "NORP"))
    assert analyse_document(doc, text=text).facets["org"] == ["AfD"]


def test_scores_and_digits_never_make_people() -> None:
    doc = mentions(("Elena Bovina 1-6 6-1 6-4", "PERSON"), ("G8", "PERSON"))
    assert normalize_document(doc)["person"] == ["Elena Bovina"]


def test_clubs_named_after_towns_are_organisations() -> None:
    doc = mentions(("Manchester United", "GPE"), ("Manchester", "GPE"))
    assert normalize_document(doc) == {
        "person": [], "place": ["Manchester"], "org": ["Manchester United"]}


def test_every_mention_has_a_fate_saying_why() -> None:
    doc = mentions(("Vladimir Putin", "PERSON"), ("Putin", "PERSON"), ("he", "PERSON"))
    fates = analyse_document(doc).fates
    assert [(f.text, f.facet, f.value) for f in fates] == [
        ("Vladimir Putin", "person", "Vladimir Putin"),
        ("Putin", "person", "Vladimir Putin"),
        ("he", None, None),
    ]
    assert "surname of 'Vladimir Putin'" in fates[1].describe()
    assert "not a name" in fates[2].describe()


def test_awards_and_competitions_are_no_organisations() -> None:
    doc = mentions(("Academy Awards", "ORG"), ("Davis Cup", "GPE"), ("Sony", "ORG"))
    result = analyse_document(doc)
    assert result.facets == {"person": [], "place": [], "org": ["Sony"]}
    assert result.other == ["Academy Awards", "Davis Cup"]
    # a market's figures are no organisations either (Reuters-21578's LIBOR and indexes)
    doc = mentions(("London Interbank Offered Rate", "ORG"),
                   ("Straits Times Industrial Index", "ORG"), ("Bank of England", "ORG"))
    assert analyse_document(doc).facets["org"] == ["Bank of England"]


def test_a_currency_is_no_organisation_but_a_surname_like_one_stays_a_person() -> None:
    # Reuters-21578: "the U.S. Dollar" tagged ORG; "Dick Pound" of the IOC is a person
    doc = mentions(("U.S. Dollar", "ORG"), ("Hong Kong Dollar", "GPE"), ("Dick Pound", "PERSON"),
                   ("Federal Reserve", "ORG"))
    result = analyse_document(doc)
    assert result.facets == {"person": ["Dick Pound"], "place": [], "org": ["Federal Reserve"]}
    assert "currency" in " ".join(result.fates[0].steps)
    doc = mentions(("Deutsche Mark", "ORG"), ("West German Mark", "ORG"), ("Saudi Riyal", "ORG"))
    assert analyse_document(doc).other == ["Deutsche Mark", "West German Mark", "Saudi Riyal"]
    # a word that ends other names too needs a country's word first: a township, a firm, a
    # chain of shops, Taiwan's cabinet
    doc = mentions(("East Rand", "GPE"), ("Ingersoll Rand", "ORG"), ("Family Dollar", "ORG"),
                   ("Executive Yuan", "ORG"), ("New Taiwan Dollar", "ORG"))
    result = analyse_document(doc)
    assert result.facets == {"person": [], "place": ["East Rand"],
                             "org": ["Ingersoll Rand", "Family Dollar", "Executive Yuan"]}
    assert result.other == ["New Taiwan Dollar"]


def test_a_group_of_countries_is_no_organisation() -> None:
    # Reuters-21578 tags "Third World" ORG in 47 documents
    doc = mentions(("Third World", "ORG"), ("Sea World", "ORG"), ("Arab World", "LOC"))
    result = analyse_document(doc)
    assert result.facets == {"person": [], "place": [], "org": ["Sea World"]}
    assert result.other == ["Third World", "Arab World"]
    assert "group of countries" in " ".join(result.fates[0].steps)


def test_a_dateline_town_the_model_missed_is_a_place() -> None:
    text = "TENNIS - RESULTS .\n\nNEW YORK 1996-08-30\nPete Sampras beat Petr Korda ."
    doc = found_in(text, ("Pete Sampras", "PERSON"), ("Petr Korda", "PERSON"))
    result = analyse_document(doc, text=text)
    assert result.facets["place"] == ["NEW YORK"]
    assert any("dateline" in step for f in result.fates for step in f.steps)


def test_teams_named_by_their_town_are_organisations_throughout_the_document() -> None:
    text = "Surrey 320 ( A. Brown 84 ) . Rain stopped play at Surrey on Friday ."
    doc = found_in(text, ("Surrey", "GPE"), ("A. Brown", "PERSON"), ("Surrey", "GPE"))
    assert analyse_document(doc, text=text).facets["org"] == ["Surrey"]


def test_a_name_after_a_job_and_its_preposition_is_a_workplace() -> None:
    # Reuters-21578: brokers named after their founders, tagged PERSON by the model
    text = ('"There are unquestionably others," said Paul Johnson, a semiconductor analyst '
            "with L.F. Rothschild. L.F. Rothschild co-managed the deal.")
    doc = found_in(text, ("Paul Johnson", "PERSON"), ("L.F. Rothschild", "PERSON"),
                   ("L.F. Rothschild", "PERSON"))
    result = analyse_document(doc, text=text)
    assert result.facets == {"person": ["Paul Johnson"], "place": [], "org": ["L.F. Rothschild"]}
    assert "workplace" in " ".join(result.fates[1].steps)
    assert "workplace elsewhere here" in " ".join(result.fates[2].steps)
    # wire copy breaks its lines anywhere
    text = "said Paul Johnson, an analyst with\nL.F. Rothschild."
    result = analyse_document(found_in(text, ("L.F. Rothschild", "PERSON")), text=text)
    assert result.facets["org"] == ["L.F. Rothschild"]
    # the person served, the new holder of a job, and a possessive are people
    for text, name in (
        ("The company replaced O'Shaugnessy as president with Stephen Fischer.", "Stephen Fischer"),
        ("He was a spokesman for Tony Blair at the time.", "Tony Blair"),
        ("She is director of Martin Scorsese's new film.", "Martin Scorsese"),
        ("Sadie Frost, the former partner of Jude Law, spoke.", "Jude Law"),
    ):
        result = analyse_document(found_in(text, (name, "PERSON")), text=text)
        assert result.facets["person"] == [name], text


def test_a_person_ending_in_a_company_designator_is_a_firm() -> None:
    # Reuters-21578: the model tags brokers and firms named after people as PERSON
    doc = mentions(("Roy F. Weston Inc", "PERSON"), ("Guy F. Atkinson Co", "PERSON"),
                   ("Sanford Margoshes", "PERSON"), ("Zaldy Co", "PERSON"),
                   ("Orlando Sa", "PERSON"), ("J Sainsbury plc", "PERSON"),
                   ("Kellogg Co.", "PERSON"))
    result = analyse_document(doc)
    assert result.facets == {
        "person": ["Sanford Margoshes", "Zaldy Co", "Orlando Sa"], "place": [],
        "org": ["Roy F. Weston Inc", "Guy F. Atkinson Co", "J Sainsbury plc", "Kellogg Co."]}
    assert "company designator 'Inc'" in " ".join(result.fates[0].steps)
