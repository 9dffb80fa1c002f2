"""Schema: the Whoosh fields of an index, and the names users query them by.

`pending` marks documents whose text is indexed but whose entities are not yet: the entity
phase rewrites each one without it, so the documents still waiting are one term's postings.

Each entity facet has two fields: `person` (its values' words, for `person:putin`) and
`person_key` (one exact key per value, for filters), whose column holds the display values
of each document so that facets are counted without touching stored fields. `other_key`
holds the same for names of no facet's type (nationalities, works, events, products): the
corpus-level typing reads it. `mentions` stores the raw NER mentions (JSON) so that
`show --why` can replay normalisation; `related` stores the page furniture cut from the body.
"""

from __future__ import annotations

from typing import Any

from whoosh import columns
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from search.config import FACETS
from search.index.analysis import (
    address_analyzer,
    entity_key_analyzer,
    entity_words_analyzer,
    keyword_analyzer,
    text_analyzer,
)
from search.ingest.normalize import OTHER

SCHEMA_VERSION = 4
"""Bump whenever fields or analysis change: older indexes must then be rebuilt."""
IN_FULL = "\tfull"
"""Ends a line of a key column whose person this document names in full every time
(`search.ingest.entity_items.Analysis.named_in_full`)."""
THING = "\tthing"
"""Ends a line of a key column whose value this document writes as a work or product
(`search.ingest.entity_items.Analysis.named_as_thing`)."""
THE = "\tthe"
"""Ends a line of a key column whose organisation this document names by one plural word
after "the" every time ("the Gunners": `search.ingest.entity_items.Analysis.named_with_the`)."""
LISTED = "\tlist"
"""Comes before the number of the list of names the line's value is written in here
(`search.ingest.entity_items.Analysis.listed`)."""
SHORT_FORM = "\t="
"""Comes before each short form (an acronym, a clipping: "CCC", "Fed") that this document
links to the line's value; the corpus-level stage links it alone elsewhere too
(`search.ingest.entity_items.Analysis.short_forms`)."""

TEXT_FIELDS = ("title", "body")
TITLE_BOOST = 2.0
"""Weight of title matches relative to body matches, applied at query time (the title's
field weight in BM25F, `search.query.ranking.FieldsTerm`)."""

FIELD_ALIASES: dict[str, list[str]] = {
    "person": ["people", "persons", "who"],
    "place": ["places", "location", "where", "gpe", "loc"],
    "org": [
        "orgs",
        "organisation",
        "organization",
        "organisations",
        "organizations",
        "company",
    ],
    "body": ["text", "content"],
    "from": ["sender", "author"],
    "to": ["recipient", "recipients"],
}
"""Other names users may type for a field."""


PENDING_FIELD = "pending"
PENDING = "1"
"""The value of PENDING_FIELD on documents still waiting for their entities."""


def key_field(facet: str) -> str:
    """The exact-key field of a facet."""
    return f"{facet}_key"


def build_schema(facets: tuple[str, ...] = tuple(FACETS)) -> Any:
    """The Whoosh schema for documents with the given entity facets."""
    fields: dict[str, Any] = {
        "id": ID(stored=True, unique=True, sortable=True),
        "path": ID(stored=True, sortable=True),
        "title": TEXT(analyzer=text_analyzer(), stored=True),
        "body": TEXT(analyzer=text_analyzer(), stored=True),
        "date": DATETIME(stored=True, sortable=True),
        "source": KEYWORD(analyzer=keyword_analyzer(), stored=True),
        "url": STORED(),
        # who an email is from and to; a feed item's, PDF's or Word document's author is "from"
        "from": TEXT(analyzer=address_analyzer(), stored=True, phrase=False),
        "to": TEXT(analyzer=address_analyzer(), stored=True, phrase=False),
        "hash": ID(stored=True, sortable=True),
        "mtime": STORED(),
        PENDING_FIELD: ID(),
        "related": STORED(),
        "mentions": STORED(),
    }
    for facet in (*facets, OTHER):
        if facet != OTHER:
            fields[facet] = TEXT(analyzer=entity_words_analyzer(), phrase=True)
        fields[key_field(facet)] = KEYWORD(
            analyzer=entity_key_analyzer(), sortable=columns.VarBytesColumn()
        )
    return Schema(**fields)
