"""Entity clauses on an index without entities: refused with a hint, never 0 hits in silence.

An index built with `--no-entities` (or whose documents yielded no entity at all) answers
`person:putin` or a `person` filter with no documents, or with every one when excluded, which
reads as "nothing about Putin". In: the `View` of one reader generation and what names an
entity facet. Out: nothing, or a `QueryError` whose hint says how to get entities.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from search.errors import QueryError
from search.index.enricher import count_pending
from search.query.request import View

__all__ = ["check_entity_fields", "require_entities"]


def _absent(view: View) -> str | None:
    """Why the index holds no entity value a clause could match, or None when it holds one
    (or entities are still being added: those documents are noted as pending instead)."""
    if not view.entities:
        return "it was built without entities (--no-entities)"
    if any(column.keys for column in view.table().columns.values()):
        return None
    if count_pending(view.searcher):
        return None
    return "no entities were found in its documents"


def require_entities(view: View, what: str, facet: str, words: Iterable[str] = ()) -> None:
    """Refuse `what` (a clause or filter on `facet`) when the index holds no entities."""
    why = _absent(view)
    if why is None:
        return
    plain = " ".join(words)
    instead = f", or search the name as words: {plain}" if plain else ""
    raise QueryError(
        f"{what} cannot match: this index has no entities, {why}",
        hint="rebuild it with entities, `search index --rebuild` (without --no-entities, "
        f"SEARCH_ENTITIES=1), to filter by {facet}{instead}",
    )


def check_entity_fields(view: View, q: Any, text: str) -> None:
    """Refuse a parsed query whose clauses name an entity field, when there are none."""
    leaves = q.leaves() if q.children() else [q]
    for leaf in leaves:
        facet = getattr(leaf, "fieldname", None)
        if facet in view.facet_names:
            words = getattr(leaf, "words", None) or [getattr(leaf, "text", "")]
            require_entities(view, f"the query {text!r}", facet, map(str, words))
