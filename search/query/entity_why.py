"""Entity provenance: why each mention of a document became the facet value it did, or none.

In: a document's stored fields (its NER mentions, kept as JSON at index time, and its text),
and the facet table of the generation (corpus-level decisions and the user's overlay). Out:
one `MentionFate` per mention. The document's normalisation is replayed with its trace —
cheap, and never NER again — then each value is followed through the corpus-level links
and the overlay, so the answer is what the facets actually show.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from search.index.fields import ner_text
from search.ingest.document_entities import analyse_document
from search.ingest.entities import Mention
from search.ingest.normalize import facet_key
from search.query.facets import FacetTable
from search.results import MentionFate


def stored_mentions(stored: Mapping[str, Any]) -> list[Mention]:
    """The raw mentions stored with a document ([] for one indexed without entities)."""
    raw = stored.get("mentions")
    if not raw:
        return []
    return [Mention(str(t), str(label), int(s), int(e)) for t, label, s, e in json.loads(raw)]


def mention_fates(stored: Mapping[str, Any], table: FacetTable) -> tuple[MentionFate, ...]:
    """Every mention of the stored document with the value it shows as and why."""
    text = ner_text(stored.get("title", ""), stored.get("body", ""))
    analysis = analyse_document(stored_mentions(stored), text=text)
    fates = []
    for fate in analysis.fates:
        reasons = list(fate.steps)
        kind, value = fate.facet, fate.value
        if kind is not None and value is not None:
            kind, value = _follow(table, kind, value, reasons)
        fates.append(
            MentionFate(fate.text, fate.label, fate.start, kind, value, tuple(reasons))
        )
    return tuple(fates)


def _follow(
    table: FacetTable, kind: str, value: str, reasons: list[str]
) -> tuple[str | None, str | None]:
    """Where a document-level value ends up after the corpus and the overlay."""
    key = facet_key(value)
    base = table.bases.get(kind)
    if base is None:  # the `other` type, or a facet this index does not show
        reasons.append("not a person, place or organisation: shown in no facet")
        return None, None
    why = base.reasons.get(key)
    if why is not None:
        reasons.append(f"corpus: {why}")
    if key not in base.keys:  # moved to another type corpus-wide
        for other, other_base in table.bases.items():
            if other != kind and key in other_base.keys:
                return _follow(table, other, value, reasons)
        return None, None
    column = table.columns[kind]
    merged = table.overlay.merges_for(kind)
    if key in {facet_key(k) for k in merged} or key in table.overlay.drops_for(kind):
        reasons.append("your overlay (:merge / :drop) decides this value")
    shown = column.lookup(value)
    if shown is None:
        return None, None
    return kind, shown
