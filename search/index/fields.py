"""Fields: what a document looks like in the index, in either phase.

The text phase writes `document_fields(doc, None, ...)`: text and metadata, flagged pending;
the entity phase adds `entity_fields` (each facet's values, for words and for exact keys;
the key column that facets count from also carries each value's mentions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from search.index.schema import PENDING, PENDING_FIELD, key_field
from search.ingest.corpus import Document

Entities = Mapping[str, Sequence[str] | Mapping[str, int]]
"""Per facet, its values, or each value with its mentions in the document."""


def _as_datetime(date: str | None) -> datetime | None:
    if not date:
        return None
    try:
        return datetime.fromisoformat(date)
    except ValueError:
        return None


def document_fields(
    doc: Document, entities: Entities | None, facets: Sequence[str]
) -> dict[str, Any]:
    """A document's Whoosh fields; entities None marks it pending for the entity phase."""
    fields: dict[str, Any] = {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "body": doc.text,
        "hash": doc.content_hash,
        "mtime": doc.mtime,
    }
    when = _as_datetime(doc.date)
    if when is not None:
        fields["date"] = when
    if doc.source:
        fields["source"] = doc.source
    if doc.url:
        fields["url"] = doc.url
    if doc.sender:
        fields["from"] = doc.sender
    if doc.recipients:
        fields["to"] = doc.recipients
    if entities is None:
        fields[PENDING_FIELD] = PENDING
    else:
        fields.update(entity_fields(entities, facets))
    return fields


def entity_fields(entities: Entities, facets: Sequence[str]) -> dict[str, str]:
    """The Whoosh fields that carry a document's facet values."""
    fields: dict[str, str] = {}
    for facet in facets:
        values = entities.get(facet)
        if values:
            joined = "\n".join(values)
            fields[facet] = joined
            fields[key_field(facet)] = joined
            if isinstance(values, Mapping):
                # the key column, which facets are counted from, also holds each value's
                # mentions (`search.index.facet_base.split_mentions`); the words indexed
                # stay the values alone
                fields[f"_stored_{key_field(facet)}"] = "\n".join(
                    f"{value}\t{count}" for value, count in values.items()
                )
    return fields
