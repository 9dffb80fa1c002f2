"""Fields: one document and its NER mentions in, the field values Whoosh stores out.

Dates become datetimes (undated documents have none), the mentions become entity values
(`search.ingest.document_entities`) joined one per line, and the key column that facets
count from also carries each value's mentions; the `other` type's values, the raw mentions
(JSON, for `show --why`) and the page furniture set apart from the text (`related`) are kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from search.index.schema import key_field
from search.ingest.corpus import Document
from search.ingest.document_entities import analyse_document
from search.ingest.entities import Mention
from search.ingest.normalize import OTHER


def _as_datetime(date: str | None) -> datetime | None:
    if not date:
        return None
    try:
        return datetime.fromisoformat(date)
    except ValueError:
        return None


def ner_text(title: str, text: str) -> str:
    """The text NER reads of a document, and that its stored mentions' offsets point into."""
    return f"{title}\n\n{text}"


def document_fields(
    doc: Document, found: Sequence[Mention], facets: Sequence[str]
) -> dict[str, Any]:
    """The Whoosh field values of a document and its NER mentions."""
    entities = analyse_document(found, text=ner_text(doc.title, doc.text)).counts
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
    if doc.related:
        fields["related"] = doc.related
    if found:
        fields["mentions"] = json.dumps(
            [[m.text, m.label, m.start, m.end] for m in found], ensure_ascii=False
        )
    for facet in (*facets, OTHER):
        values = entities.get(facet)
        if values:
            joined = "\n".join(values)
            if facet != OTHER:
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
