"""Fields: what a document looks like in the index, in either phase.

The text phase writes `document_fields(doc, None, ...)`: text, metadata and the page
furniture set apart from the text (`related`), flagged pending; the entity phase adds
`entity_fields`: the mentions become entity values (`search.ingest.document_entities`)
joined one per line, the key column that facets count from also carries each value's
mentions, and the `other` type's values and the raw mentions (JSON, for `show --why`) are kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from search.index.schema import (
    IN_FULL,
    LISTED,
    PENDING,
    PENDING_FIELD,
    SHORT_FORM,
    THE,
    THING,
    key_field,
)
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
    doc: Document, found: Sequence[Mention] | None, facets: Sequence[str]
) -> dict[str, Any]:
    """A document's Whoosh fields; mentions None marks it pending for the entity phase."""
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
    if found is None:
        fields[PENDING_FIELD] = PENDING
    else:
        fields.update(entity_fields(found, ner_text(doc.title, doc.text), facets))
    return fields


def entity_fields(
    found: Sequence[Mention], text: str, facets: Sequence[str]
) -> dict[str, str]:
    """The Whoosh fields that carry a document's entities, from its mentions in `text`."""
    analysis = analyse_document(found, text=text)
    entities = analysis.counts
    fields: dict[str, str] = {}
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
                # mentions (`search.index.facet_base.parse_key_line`); the words indexed
                # stay the values alone
                fields[f"_stored_{key_field(facet)}"] = "\n".join(
                    f"{value}\t{count}"
                    + (IN_FULL if value in analysis.named_in_full else "")
                    + (THING if value in analysis.named_as_thing else "")
                    + (THE if value in analysis.named_with_the else "")
                    + (f"{LISTED}{analysis.listed[value]}" if value in analysis.listed else "")
                    + "".join(SHORT_FORM + s for s in analysis.short_forms.get(value, ()))
                    for value, count in values.items()
                )
    return fields


def stored_mentions(stored: Mapping[str, Any]) -> list[Mention]:
    """The mentions kept with a finished document (none when it had none)."""
    raw = stored.get("mentions")
    return [Mention(*m) for m in json.loads(raw)] if raw else []
