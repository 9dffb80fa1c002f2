"""Named in full every time: films, bands and characters are written out; people get shortened."""

from __future__ import annotations

from pathlib import Path

from conftest import DictExtractor, fake_settings

from search.index.indexer import build
from search.ingest.document_entities import analyse_document
from search.ingest.entities import Mention
from search.query.searcher import Searcher


def mentions(text: str, names: dict[str, str]) -> list[Mention]:
    return DictExtractor(names).extract([text]).__next__()


FILM = (
    "Mike Leigh's Vera Drake has won the top prize at the Venice film festival. "
    "Imelda Staunton plays the title role. Vera Drake is set in 1950s London, and "
    "Staunton said she was thrilled."
)
PEOPLE = {"Vera Drake": "PERSON", "Imelda Staunton": "PERSON", "Staunton": "PERSON",
          "Mike Leigh": "PERSON"}


def test_a_name_written_out_every_time_is_flagged_and_a_shortened_one_is_not() -> None:
    analysis = analyse_document(mentions(FILM, PEOPLE), text=FILM)
    assert analysis.named_in_full == frozenset({"Vera Drake"})
    # a title before the surname is a short form too
    titled = "Tony Blair spoke. Later Tony Blair left, and Mr Blair said no more."
    flags = analyse_document(mentions(titled, {"Tony Blair": "PERSON"}), text=titled)
    assert flags.named_in_full == frozenset()
    # "Lib" before "Dems" is no short form of "Lib Dem"
    party = "The Lib Dem leader spoke. Lib Dem members and the Lib Dems agreed."
    assert analyse_document(mentions(party, {"Lib Dem": "PERSON"}), text=party).named_in_full == {"Lib Dem"}


def test_the_index_drops_a_person_every_document_names_in_full(tmp_path: Path) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    for n in range(4):
        (corpus / f"film{n}.txt").write_text(f"Review {n}\n\n{FILM}\n", encoding="utf-8")
    index = tmp_path / "index"
    build([corpus], index, settings=fake_settings(), extractor=DictExtractor(PEOPLE))
    with Searcher(index) as s:
        people = [c.value for c in s.facet_counts(limit=10)["person"]]
        fates = s.document("film0.txt", why=True).why
    assert "Imelda Staunton" in people and "Mike Leigh" in people
    assert "Vera Drake" not in people
    drake = [f for f in fates if f.text == "Vera Drake"]
    assert drake and all(f.value is None for f in drake)
    assert any("named in full every time" in r for f in drake for r in f.reasons)


def test_acronyms_and_clippings_of_company_names_in_one_document() -> None:
    text = (
        "General Motors Corp said sales fell. GM also cut jobs. The Federal Reserve held "
        "rates, and the Fed said it would watch prices. Congress met; the Congressional "
        "Budget Office reported."
    )
    names = {"General Motors Corp": "ORG", "GM": "ORG", "Federal Reserve": "ORG",
             "Fed": "ORG", "Congress": "ORG", "Congressional Budget Office": "ORG"}
    orgs = analyse_document(mentions(text, names), text=text).counts["org"]
    assert orgs["General Motors Corp"] == 2 and "GM" not in orgs
    assert orgs["Federal Reserve"] == 2 and "Fed" not in orgs
    # a long word is no clipping: Congress is not the Congressional Budget Office
    assert orgs["Congress"] == 1
