"""Fields: what a document looks like in the index, in either phase.

The text phase writes `document_fields(doc, None, ...)`: text and metadata, flagged pending;
the entity phase adds `entity_fields` (each facet's values, for words and for exact keys).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from search.index.schema import PENDING, PENDING_FIELD, key_field
from search.ingest.corpus import Document


def _as_datetime(date: str | None) -> datetime | None:
    if not date:
        return None
    try:
        return datetime.fromisoformat(date)
    except ValueError:
        return None


def document_fields(
    doc: Document, entities: dict[str, list[str]] | None, facets: Sequence[str]
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
    if entities is None:
        fields[PENDING_FIELD] = PENDING
    else:
        fields.update(entity_fields(entities, facets))
    return fields


def entity_fields(entities: Mapping[str, Sequence[str]], facets: Sequence[str]) -> dict[str, str]:
    """The Whoosh fields that carry a document's facet values."""
    fields: dict[str, str] = {}
    for facet in facets:
        values = entities.get(facet)
        if values:
            joined = "\n".join(values)
            fields[facet] = joined
            fields[key_field(facet)] = joined
    return fields
