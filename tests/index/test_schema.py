"""Tests for search.index.schema: which fields an index has and what users may call them."""

from __future__ import annotations

import pickle
from pathlib import Path

from conftest import fake_settings

from search.config import FACETS
from search.index.indexer import build
from search.index.schema import FIELD_ALIASES, TEXT_FIELDS, build_schema, key_field
from search.query.searcher import Searcher


def test_default_schema_has_document_fields_and_two_fields_per_facet() -> None:
    schema = build_schema()
    facet_fields = {name for facet in FACETS for name in (facet, key_field(facet))}
    assert set(schema.names()) == {
        "id", "path", "title", "body", "date", "source", "url", "from", "to", "hash", "mtime",
        "pending",
        *facet_fields,
        "related", "mentions", "other_key",
    }
    assert key_field("person") == "person_key"


def test_only_the_given_facets_get_fields() -> None:
    schema = build_schema(("person",))
    assert "person" in schema and "person_key" in schema
    assert "place" not in schema and "org_key" not in schema


def test_text_is_stored_for_snippets_and_entities_come_from_key_columns() -> None:
    schema = build_schema()
    for name in (*TEXT_FIELDS, "id", "path", "date", "source", "url", "hash"):
        assert schema[name].stored, name
    for facet in FACETS:
        assert not schema[facet].stored
        assert schema[key_field(facet)].column_type is not None, facet
        assert schema[facet].column_type is None
    # incremental indexing and sorting read these without touching stored fields
    for name in ("id", "path", "hash", "date"):
        assert schema[name].column_type is not None, name


def test_entity_word_fields_keep_positions_for_phrases() -> None:
    schema = build_schema()
    for facet in FACETS:
        assert schema[facet].format.supports("positions")


def test_every_alias_names_an_existing_field_and_none_is_ambiguous() -> None:
    schema = build_schema()
    seen: set[str] = set()
    for field, aliases in FIELD_ALIASES.items():
        assert field in schema
        for alias in aliases:
            assert alias not in schema, f"{alias} is both a field and an alias"
            assert alias not in seen, f"{alias} is an alias of two fields"
            seen.add(alias)


def test_schema_survives_pickling_as_whoosh_stores_it() -> None:
    schema = build_schema()
    again = pickle.loads(pickle.dumps(schema))
    assert again.names() == schema.names()
    samples = {"body": "Zelénsky's *Python* talks", "person": "Olaf Scholz\nVladimir Putin",
               "person_key": "Olaf Scholz\nVladimir Putin", "source": "BBC News, Reuters"}
    for name, text in samples.items():
        before = [(t.text, t.pos) for t in schema[name].analyzer(text, positions=True)]
        after = [(t.text, t.pos) for t in again[name].analyzer(text, positions=True)]
        assert after == before, name


def test_title_matches_outrank_body_matches(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-body.txt").write_text(
        "Weather report\n\nAsh from the volcano fell on the town overnight.\n", encoding="utf-8")
    (corpus / "b-title.txt").write_text(
        "Volcano report\n\nAsh from the mountain fell on the town overnight.\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    build([corpus], index_dir, settings=fake_settings(entities=False))
    with Searcher(index_dir) as s:
        assert [h.id for h in s.search("volcano").hits] == ["b-title.txt", "a-body.txt"]
