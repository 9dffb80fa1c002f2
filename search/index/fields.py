"""Fields: one document and its entity values in, the field values Whoosh stores out.

Dates become datetimes (undated documents have none), entity values are joined one per
line, and the key column that facets count from also carries each value's mentions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from search.index.schema import key_field
from search.ingest.corpus import Document


def _as_datetime(date: str | None) -> datetime | None:
    if not date:
        return None
    try:
        return datetime.fromisoformat(date)
    except ValueError:
        return None


def document_fields(
    doc: Document,
    entities: Mapping[str, Sequence[str] | Mapping[str, int]],
    facets: Sequence[str],
) -> dict[str, Any]:
    """The Whoosh field values of a document and its entity values (or value → mentions)."""
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
