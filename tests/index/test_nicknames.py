"""Teams' nicknames: what one document flags (`search.ingest.nicknames`), what the corpus
links (`search.index.nickname_links`), and the two joined by an index build.

Sentences are BBC News's (2004-05); the dictionary tagger tags a nickname as an
organisation, as spaCy md does.
"""

from __future__ import annotations

from pathlib import Path

from conftest import DictExtractor, fake_settings
from test_entity_links import shown
from test_org_names import linked

from search.index.indexer import build
from search.ingest.document_entities import analyse_document
from search.query.searcher import Searcher

RIVALS = ("Jose Mourinho has attempted to pile the pressure on title rivals Arsenal ahead of "
          "the Gunners facing Newcastle on Wednesday.")
FEUD = ("Arsenal's Sol Campbell has called the rivalry between Manchester United and the "
        "Gunners \"bitter and personal\".")
TUNNEL = ("Arsenal's Edu has lifted the lid on the scenes that followed Manchester United's "
          "win over the Gunners.")
NAMES = {"Arsenal": "ORG", "Gunners": "ORG", "Newcastle": "ORG", "Manchester United": "ORG",
         "Siemens": "ORG", "Germans": "NORP", "SDRs": "ORG"}


def flagged(text: str) -> frozenset[str]:
    found = next(DictExtractor(NAMES).extract([text]))
    return analyse_document(found, text=text).named_with_the


def test_a_document_flags_a_plural_it_only_writes_after_the() -> None:
    assert flagged(RIVALS) == {"Gunners"}
    # once without "the" is no nickname's use; nor are a firm, a nationality or an acronym
    assert flagged(RIVALS + " Gunners fans were not so sure.") == frozenset()
    assert flagged("Siemens said the SDRs fell.") == frozenset()
    assert flagged("The Germans beat the Gunners, Arsenal said.") == {"Gunners"}
    # a nationality the model tagged an organisation, a singular in "-ss", a line break
    names = {**NAMES, "Germans": "ORG", "Express": "ORG"}
    text = "Arsenal beat the Germans, the Express said, and the\nGunners went top."
    found = next(DictExtractor(names).extract([text]))
    assert analyse_document(found, text=text).named_with_the == {"Gunners"}


def test_a_nickname_is_the_team_named_beside_it_well_ahead_of_any_other() -> None:
    docs = [{"org": ["Arsenal", "Gunners", "Chelsea"]}] * 2 + [
        {"org": ["Arsenal", "Gunners", "Newcastle"]}] * 2 + [{"org": ["Arsenal"]}] * 2
    links = linked(docs, with_the={"gunners": 4})
    assert {k for r in shown(links, "org") for k in r} == {"arsenal", "chelsea", "newcastle"}
    assert "4 of its 4 documents" in links.reasons["org"]["gunners"]
    # nothing without the documents' "the" (a firm beside its parent, "Yuganskneftegas"
    # beside Yukos, is written without it), nor with it in too few documents
    assert "gunners" in {k for r in shown(linked(docs), "org") for k in r}
    assert "gunners" in {k for r in shown(linked(docs[:2] + docs[4:], with_the={"gunners": 2}),
                                           "org") for k in r}
    # nor beside another nickname, or a team named in fewer documents than the nickname
    pair = [{"org": ["Gunners", "Blues"]}] * 4 + [{"org": ["Blues"]}]
    assert "gunners" in {k for r in shown(linked(pair, with_the={"gunners": 4, "blues": 4}),
                                          "org") for k in r}
    rare = [{"org": ["Gunners", "Arsenal"]}] * 3 + [{"org": ["Gunners"]}]
    assert "gunners" in {k for r in shown(linked(rare, with_the={"gunners": 4}), "org")
                         for k in r}
    # nor a country the model tagged an organisation, beside an aid donor
    aid = [{"org": ["Maldives", "World Bank"]}] * 4 + [{"org": ["World Bank"]}]
    assert "maldives" in {k for r in shown(linked(aid, with_the={"maldives": 4}), "org")
                          for k in r}
    # nor a place's name: "the Bahamas", no country in the tables, is a place elsewhere
    isles = [{"org": ["Bahamas", "World Bank"]}] * 4 + [{"org": ["World Bank"]}]
    isles += [{"place": ["Bahamas"]}] * 3
    assert "bahamas" in {k for r in shown(linked(isles, with_the={"bahamas": 4}), "org")
                         for k in r}
    # nor a party named beside its rivals, the one hardly ahead of the other
    parties = [{"org": ["Greens", "Labour", "Conservative Party"]}] * 3 + [
        {"org": ["Greens", "Labour"]}] + [{"org": ["Labour", "Conservative Party"]}] * 2
    assert "greens" in {k for r in shown(linked(parties, with_the={"greens": 4}), "org")
                        for k in r}
    # nor a name a few documents write after "the" among many that do not
    many = docs + [{"org": ["Gunners", "Arsenal"]}] * 3
    assert "gunners" in {k for r in shown(linked(many, with_the={"gunners": 4}), "org")
                         for k in r}


def test_the_index_counts_a_nickname_under_its_team(tmp_path: Path) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    for name, text in {"rivals": RIVALS, "feud": FEUD, "tunnel": TUNNEL}.items():
        (corpus / f"{name}.txt").write_text(f"Arsenal\n\n{text}\n", encoding="utf-8")
    index = tmp_path / "index"
    build([corpus], index, settings=fake_settings(), extractor=DictExtractor(NAMES))
    with Searcher(index) as s:
        counts = {c.value: c.count for c in s.facet_counts(limit=10)["org"]}
        fates = s.document("rivals.txt", why=True).why
    assert counts == {"Arsenal": 3, "Manchester United": 2, "Newcastle": 1}
    assert any("its nickname" in r for f in fates for r in f.reasons)
