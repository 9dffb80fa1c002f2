"""Tests for search.index.analysis: how text and entity values become index terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DictExtractor, fake_settings
from whoosh import index as whoosh_index

from search.index import analysis
from search.index.analysis import (
    POSITION_GAP,
    STOPWORDS,
    entity_key_analyzer,
    entity_words_analyzer,
    fold,
    index_term,
    iter_words,
    text_analyzer,
)
from search.index.indexer import build
from search.query.searcher import Searcher


def terms(text: str) -> list[str]:
    return [t.text for t in text_analyzer()(text)]


def test_markdown_emphasis_is_not_part_of_the_word() -> None:
    assert [w for _, _, w in iter_words("Why *Python* and **Rust**")] == ["Why", "Python", "and", "Rust"]
    assert terms("Why *Python* wins") == ["python", "win"]
    assert not any(t.startswith("*") or t.endswith("*") for t in terms("**bold** *Python*"))


def test_word_offsets_point_at_the_word() -> None:
    text = "Zelénsky's *Python* (U.S.) talks"
    for start, end, word in iter_words(text):
        assert text[start:end] == word
    assert [w for _, _, w in iter_words(text)] == ["Zelénsky's", "Python", "U.S", "talks"]


@pytest.mark.parametrize("possessive", ["Putin's", "Putin’s", "PUTIN'S", "putin's"])
def test_possessive_indexes_as_the_name(possessive: str) -> None:
    assert index_term(possessive) == index_term("Putin") == "putin"
    assert terms(f"{possessive} war") == ["putin", "war"]


def test_accents_and_case_fold_to_one_term() -> None:
    assert index_term("Zelénsky") == index_term("zelensky") == index_term("ZELENSKY")
    assert fold("Zelénsky ÉCOLE") == "zelensky ecole"
    assert fold("plain ascii") == "plain ascii"


def test_stopwords_are_dropped_but_positions_kept() -> None:
    tokens = [(t.text, t.pos) for t in text_analyzer()("the war and the peace", positions=True)]
    assert tokens == [("war", 1), ("peac", 4)]
    assert {"the", "and", "of", "what", "is", "this"} <= STOPWORDS
    assert index_term("The") is None


@pytest.mark.parametrize("form", ["talks", "talked", "talking", "Talk"])
def test_inflections_stem_to_one_term(form: str) -> None:
    assert index_term(form) == "talk"


def test_dotted_acronym_stays_whole_and_unstemmed() -> None:
    assert terms("U.S. troops") == ["u.s", "troop"]
    assert index_term("U.S") != index_term("us")


def test_entity_words_are_folded_not_stemmed_with_a_gap_between_values() -> None:
    # Whoosh reuses one Token object, so read each as it comes.
    tokens = entity_words_analyzer()("Olaf Scholz\nRolling Stones\nZelénsky", positions=True)
    words = [(t.text, t.pos) for t in tokens]
    assert [w for w, _ in words] == ["olaf", "scholz", "rolling", "stones", "zelensky"]
    positions = [p for _, p in words]
    assert positions[1] - positions[0] == 1 and positions[3] - positions[2] == 1
    assert positions[2] - positions[1] == positions[4] - positions[3] == POSITION_GAP + 1


def test_entity_word_offsets_point_into_the_joined_values() -> None:
    joined = "Olaf Scholz\nVladimir Putin"
    for t in entity_words_analyzer()(joined, chars=True):
        assert fold(joined[t.startchar:t.endchar]) == t.text


def test_entity_keys_are_one_folded_key_per_value() -> None:
    keys = [t.text for t in entity_key_analyzer()("Olaf Scholz\nVLADIMIR  PUTIN\nZelénsky")]
    assert keys == ["olaf scholz", "vladimir putin", "zelensky"]


def _index_people(tmp_path: Path) -> Path:
    """One article whose people are Olaf Scholz and Vladimir Putin, in that order."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "call.txt").write_text(
        "Scholz calls Putin\n\nOlaf Scholz spoke to Vladimir Putin. Scholz said the talks "
        "were frank.\n", encoding="utf-8")
    (corpus / "other.txt").write_text("Weather\n\nRain in the north.\n", encoding="utf-8")
    names = {"Olaf Scholz": "PERSON", "Scholz": "PERSON", "Vladimir Putin": "PERSON"}
    index_dir = tmp_path / "index"
    build([corpus], index_dir, settings=fake_settings(), extractor=DictExtractor(names))
    return index_dir


def _found(index_dir: Path, query: str) -> list[str]:
    with Searcher(index_dir) as s:
        return [h.id for h in s.search(query, suggest=False).hits]


def test_entity_phrase_stays_within_one_value(tmp_path: Path) -> None:
    index_dir = _index_people(tmp_path)
    with Searcher(index_dir) as s:
        assert s.document("call.txt").entities["person"] == ("Olaf Scholz", "Vladimir Putin")
    assert _found(index_dir, 'person:"vladimir putin"') == ["call.txt"]
    assert _found(index_dir, 'person:"olaf scholz"') == ["call.txt"]
    assert _found(index_dir, 'person:"olaf putin"') == []
    # The last word of one value and the first of the next: adjacent but for the gap.
    assert _found(index_dir, 'person:"scholz vladimir"') == []


def test_without_the_gap_a_phrase_would_span_two_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Shows that the previous test fails when the gap is missing, i.e. that it tests the gap.
    monkeypatch.setattr(analysis, "POSITION_GAP", 0)
    assert _found(_index_people(tmp_path), 'person:"scholz vladimir"') == ["call.txt"]


def test_indexed_terms_are_what_the_analyzer_says(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tips.md").write_text(
        "# Tips\n\nWhy *Python* beats Zelénsky's *shell* when it talked.\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    build([corpus], index_dir, settings=fake_settings(entities=False))
    with whoosh_index.open_dir(str(index_dir)).reader() as reader:
        body = {t.decode() for t in reader.lexicon("body")}
    assert body == {"python", "beat", "zelenski", "shell", "talk"}
    for query in ("python", "PYTHON", "zelensky", "Zelénsky", "talks", "shells"):
        assert _found(index_dir, query) == ["tips.md"], query
