"""Table columns and lists: rows the model tagged teach the rows it missed (real result lines)."""

from __future__ import annotations

from search.config import FACETS
from search.ingest.document_entities import analyse_document
from search.ingest.entities import Mention
from search.ingest.mention_rules import is_demonym
from search.ingest.tables import (
    TableMention,
    on_results_line,
    split_lists,
    table_columns,
)

FACET_OF = {label: facet for facet, labels in FACETS.items() for label in labels}


def mention(text: str, name: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(name, label, start, start + len(name))


TENNIS = (
    "Results from the U.S. Open on Friday ( prefix number denotes seeding ) :\n"
    "Sandrine Testud ( France ) beat Ines Gorrochategui ( Argentina ) 4-6 6-2 6-1\n"
    "Tim Henman ( Britain ) beat Doug Flach ( U.S. ) 6-3 6-4 6-2\n"
    "Mark Philippoussis ( Australia ) beat Andrei Olhovskiy ( Russia ) 6-3 6-4 6-2\n"
    "Sjeng Schalken ( Netherlands ) beat David Rikl ( Czech Republic ) 6-2 6-4 6-4\n"
    "Jonas Bjorkman ( Sweden ) beat David Nainkin ( South Africa ) 6-4 6-1 6-1\n"
    "Pete Sampras ( U.S. ) beat Petr Korda ( Czech Republic ) 6-3 6-4\n"
)


def tennis_mentions() -> list[Mention]:
    """What spaCy md tags on these lines: most players, but not the last row's, and one
    player read as a place."""
    people = ["Sandrine Testud", "Ines Gorrochategui", "Tim Henman", "Doug Flach",
              "Mark Philippoussis", "Andrei Olhovskiy", "David Rikl", "Jonas Bjorkman",
              "David Nainkin"]
    found = [mention(TENNIS, p, "PERSON") for p in people]
    found.append(mention(TENNIS, "Sjeng Schalken", "GPE"))
    for country in ["France", "Argentina", "Britain", "Australia", "Russia", "Netherlands",
                    "Sweden", "South Africa"]:
        found.append(mention(TENNIS, country, "GPE"))
    return sorted(found, key=lambda m: m.start)


def test_a_results_column_gives_its_type_to_the_rows_the_model_missed() -> None:
    out = table_columns(TENNIS, tennis_mentions(), FACET_OF)
    by_text = {m.text: m for m in out}
    assert by_text["Pete Sampras"].label == "PERSON"
    assert by_text["Petr Korda"].label == "PERSON"
    assert isinstance(by_text["Pete Sampras"], TableMention)
    assert "table column of person names" in by_text["Pete Sampras"].why
    # the player the model called a place is retagged; the countries stay places
    assert by_text["Sjeng Schalken"].label == "PERSON"
    assert by_text["Czech Republic"].label == "GPE"


def test_the_document_facets_take_the_column_types() -> None:
    analysis = analyse_document(tennis_mentions(), text=TENNIS)
    assert {"Pete Sampras", "Petr Korda", "Sjeng Schalken"} <= set(analysis.facets["person"])
    assert "Sjeng Schalken" not in analysis.facets["place"]
    assert "Czech Republic" in analysis.facets["place"]
    fate = next(f for f in analysis.fates if f.text == "Pete Sampras")
    assert "table column" in fate.describe()


def test_standings_name_teams_by_their_towns() -> None:
    text = (
        "Results of English league matches on Saturday :\n"
        "Hull 1 Rotherham 0\n"
        "Portsmouth 2 Tranmere 2\n"
        "Oxford 3 Stoke 1\n"
        "Watford 0 Swindon 1\n"
    )
    tagged = [mention(text, "Hull", "ORG"), mention(text, "Portsmouth", "GPE"),
              mention(text, "Tranmere", "ORG"), mention(text, "Oxford", "ORG"),
              mention(text, "Watford", "GPE"), mention(text, "Swindon", "PERSON")]
    facets = analyse_document(tagged, text=text).facets
    assert {"Rotherham", "Stoke", "Swindon", "Hull", "Watford"} <= set(facets["org"])
    assert not facets["person"]


def test_prose_is_left_as_the_model_tagged_it() -> None:
    text = (
        "Tony Blair said on Monday that 40 people had been hurt. Critics said he had "
        "waited 3 days. Labour said the figures were wrong, and Gordon Brown said 2 more."
    )
    found = [mention(text, "Tony Blair", "PERSON"), mention(text, "Gordon Brown", "PERSON"),
             mention(text, "Labour", "ORG")]
    assert table_columns(text, found, FACET_OF) == found


def test_a_column_the_model_mostly_missed_teaches_nothing() -> None:
    text = "Shr 1.23 dlrs vs 1.01 dlrs\nNet 4.5 mln vs 3.2 mln\nRevs 45.6 mln vs 40.1 mln\n" * 2
    found = [mention(text, "Revs", "ORG")]
    assert table_columns(text, found, FACET_OF) == found


def test_an_initial_and_surname_in_a_table_row_is_a_person() -> None:
    text = "Australia\nM. Waugh c and b Jayasuriya 50\nR. Ponting not out 46\n"
    found = [mention(text, "Jayasuriya", "PERSON")]
    out = {m.text: m.label for m in table_columns(text, found, FACET_OF)}
    assert out["M. Waugh"] == "PERSON" and out["R. Ponting"] == "PERSON"
    assert "Australia" not in out


def test_a_mention_across_a_list_is_cut_into_its_names() -> None:
    cut = split_lists([Mention("Romania - Viorel Moldovan", "PERSON", 10, 35)])
    assert [(m.text, m.label, m.start, m.end) for m in cut] == [
        ("Romania", "GPE", 10, 17), ("Viorel Moldovan", "PERSON", 20, 35)]
    listed = split_lists([Mention("Harte , McLoughlin , Houghton", "ORG", 0, 29)])
    assert [m.text for m in listed] == ["Harte", "McLoughlin", "Houghton"]
    marked = split_lists([Mention("v Worcestershire", "PERSON", 5, 21)])
    assert [(m.text, m.start) for m in marked] == [("Worcestershire", 7)]
    # a scorecard's marks between names cut a person's mention; "of" joins an organisation's
    card = split_lists([Mention("Saeed Anwar c Stewart b Gough", "PERSON", 0, 29)])
    assert [m.text for m in card] == ["Saeed Anwar", "Stewart", "Gough"]
    # a lower-case word after the last name is no mark between names
    assert [m.text for m in split_lists([Mention("Qtrly div", "PERSON", 0, 9)])] == ["Qtrly div"]
    for label in ("PERSON", "ORG"):
        bank = split_lists([Mention("Bank of England", label, 0, 15)])
        assert [m.text for m in bank] == ["Bank of England"]
    # particles and hyphens belong to names
    for name in ("de Silva", "Jean-Marie Le Pen", "Guinea-Bissau", "van der Westhuizen"):
        assert [m.text for m in split_lists([Mention(name, "PERSON", 0, len(name))])] == [name]


def test_nations_within_states_are_nationality_words() -> None:
    for word in ("Welsh", "Scots", "Britons", "Catalans", "Kurds"):
        assert is_demonym(word)
    assert not is_demonym("Wales")


def test_a_fixture_is_cut_into_its_teams() -> None:
    cut = split_lists([Mention("Brentford v Manchester United", "ORG", 0, 29)])
    assert [m.text for m in cut] == ["Brentford", "Manchester United"]
    assert [m.text for m in split_lists([Mention("Arsenal v", "ORG", 0, 9)])] == ["Arsenal"]


def test_a_headline_in_capitals_names_countries_and_datelines_but_not_other_places() -> None:
    text = (
        "KENT TOYS INC IN PACT WITH LORIMAR, ROMANIA BEAT LITHUANIA\n\n"
        "Kent Toys Inc said it signed an agreement with Lorimar.\n"
    )
    found = [mention(text, "PACT", "GPE"), mention(text, "ROMANIA", "GPE"),
             mention(text, "Kent Toys Inc", "ORG")]
    places = analyse_document(found, text=text).facets["place"]
    assert places == ["ROMANIA"]


SCOTTISH = (
    "Results of Scottish league\nmatches on Saturday :\nDivision one\n"
    "Greenock Morton 1 Falkirk 0\nPartick 1 St Mirren 1\nStirling 1 Dundee 1\n"
    "Division two\nLivingston 1 Hamilton 0\nStenhousemuir 0 Stranraer 1\n"
    "Division three\nInverness Thistle 1 Alloa 0\nMontrose 2 Ross County 1\n"
)


def test_teams_the_model_took_for_people_on_results_lines_are_teams() -> None:
    # what spaCy md tags on these lines (CoNLL-2003 dev, Scottish league results)
    tagged = [mention(SCOTTISH, name, label) for name, label in [
        ("Greenock Morton", "PERSON"), ("Hamilton", "PERSON"), ("Stenhousemuir", "ORG"),
        ("Alloa", "PERSON"), ("Montrose", "ORG"), ("Ross County", "GPE")]]
    analysis = analyse_document(tagged, text=SCOTTISH)
    assert not analysis.facets["person"]
    assert {"Greenock Morton", "Hamilton", "Alloa", "Ross County"} <= set(analysis.facets["org"])
    fate = next(f for f in analysis.fates if f.text == "Hamilton")
    assert "a team" in fate.describe()


def test_a_league_table_row_is_a_team_and_a_leaderboard_row_a_player() -> None:
    standings = "Division two\nLivingston 3 3 0 0 6 2 9\nHamilton 3 1 1 1 3 2 4\n"
    start = standings.index("Hamilton")
    assert on_results_line(standings, start, start + len("Hamilton"))
    # a golfer's four rounds and total, a tennis result, a scorer: people's lines
    for line, name in [("Tiger Woods 69 66 70 67 272\n", "Tiger Woods"),
                       ("Pete Sampras ( U.S. ) beat Petr Korda ( Czech Republic ) 6-3 6-4\n",
                        "Petr Korda"),
                       ("Scorers : Shearer 23 , Ferdinand 65\n", "Shearer")]:
        start = line.index(name)
        assert not on_results_line(line, start, start + len(name)), line
    # a golfer's row with its total and score to par is no league table's
    golf = "Ernie Els 68 67 70 69 274 -14\n"
    assert not on_results_line(golf, 0, len("Ernie Els"))
    # only a whole side of the result counts, not a word inside it
    result = "Inverness Thistle 1 Alloa 0\n"
    assert on_results_line(result, 0, len("Inverness Thistle"))
    assert not on_results_line(result, len("Inverness "), len("Inverness Thistle"))


def test_countries_and_people_facing_people_stay_what_they_are_on_results_lines() -> None:
    # a national team is named as its country; a poll and a snooker match are laid out as
    # results too, with a person on either side
    text = ("Armenia 0 Portugal 0\nWales 1 Netherlands 3\nClinton 49 Dole 37\n"
            "Stephen Hendry ( Scotland ) 5 Ken Doherty ( Ireland ) 3\n")
    tagged = [mention(text, name, label) for name, label in [
        ("Armenia", "GPE"), ("Portugal", "GPE"), ("Wales", "GPE"), ("Netherlands", "GPE"),
        ("Clinton", "PERSON"), ("Dole", "PERSON"), ("Stephen Hendry", "PERSON"),
        ("Scotland", "GPE"), ("Ken Doherty", "PERSON"), ("Ireland", "GPE")]]
    facets = analyse_document(tagged, text=text).facets
    assert {"Armenia", "Portugal", "Netherlands"} <= set(facets["place"])
    assert {"Clinton", "Dole", "Stephen Hendry", "Ken Doherty"} <= set(facets["person"])
    # (Wales, a nation but no sovereign state, plays as a team by the older score rule)
    assert facets["org"] == ["Wales"]


def test_a_league_tables_column_of_teams_the_model_took_for_people_is_a_column_of_teams() -> None:
    # CoNLL-2003 dev's Scottish standings: spaCy md tags three teams as people, none else
    text = ("Division two\nLivingston 3 3 0 0 6 2 9\nAyr 3 1 2 0 8 2 5\n"
            "Hamilton 3 1 1 1 3 2 4\nGreenock Morton 3 2 0 1 5 2 6\nDundee 3 1 2 0 3 2 5\n")
    teams = ("Livingston", "Hamilton", "Greenock Morton")
    tagged = [mention(text, name, "PERSON") for name in teams]
    labels = {m.text: m.label for m in table_columns(text, tagged, FACET_OF)}
    assert labels["Ayr"] == labels["Dundee"] == "ORG"


def test_the_label_of_a_row_of_figures_is_no_name() -> None:
    # Reuters-21578 payout and earnings stories; the model tags the labels as a place, a firm
    text = ("FRANKLIN OHIO INSURED TAX-FREE SETS PAYOUT\n\nMthly div 6.1 cts vs 6.1 cts prior\n"
            "Oper shr 73 cts vs 65 cts\nPay March 31\n\nFranklin Resources said the Ohio fund "
            "pays monthly.")
    found = [mention(text, "Mthly", "GPE"), mention(text, "Oper", "ORG"),
             mention(text, "Franklin Resources", "ORG"), mention(text, "Ohio", "GPE")]
    result = analyse_document(found, text=text)
    assert result.facets == {"person": [], "place": ["Ohio"], "org": ["Franklin Resources"]}
    assert "row of a company's figures" in " ".join(result.fates[0].steps)
    # a name opening a line of prose or of a country's figures stays
    text = "Japan exports 1.2 bln vs 1.1 bln a year ago.\nShell said profit rose 5 vs 4 pct."
    found = [mention(text, "Japan", "GPE"), mention(text, "Shell", "ORG")]
    assert analyse_document(found, text=text).facets == {
        "person": [], "place": ["Japan"], "org": ["Shell"]}
