"""Co-occurrence: the entities seen with one entity, ranked by association (LMI, PMI),
each with a sentence that names both; DOT export for graph tools.

Takes an open `Searcher` and the REPL's query and filters; returns frozen data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from search.errors import QueryError
from search.ingest.normalize import aliases, facet_key
from search.query.searcher import Filters, Searcher


@dataclass(frozen=True, slots=True)
class Cooccurrence:
    """An entity seen in the same documents as the one asked about."""

    facet: str
    value: str
    count: int
    pmi: float
    sentence: str | None = None
    doc_id: str | None = None


def _entity(searcher: Searcher, facet: str, value: str) -> tuple[int, frozenset[int]]:
    """The value id of an entity and the live documents that carry it."""
    if facet not in searcher.facet_names:
        raise QueryError(
            f"unknown facet {facet!r}",
            hint=f"use one of: {', '.join(searcher.facet_names)}",
        )
    column = searcher.facets.columns[facet]
    vid = column.keys.get(facet_key(value))
    if vid is None:
        raise QueryError(
            f"no {facet} called {value!r} in the index",
            hint=f"see the values with :facets {facet}, or complete with Tab after {facet}:",
        )
    docs = frozenset(d for d in searcher.facets.live if vid in column.values_by_doc[d])
    return vid, docs


def cooccurrence(
    searcher: Searcher,
    facet: str,
    value: str,
    *,
    query: str = "",
    where: Filters | None = None,
    exclude: Filters | None = None,
    of: str | None = None,
    limit: int = 10,
    min_count: int = 2,
) -> tuple[Cooccurrence, ...]:
    """Entities most associated with (facet, value) within the current results.

    Association is pointwise mutual information, PMI = log2(N·n(a,b) / (n(a)·n(b))) (Church
    and Hanks, 1990). PMI alone favours rare pairs, so pairs need `min_count` documents and
    are ranked by local mutual information, n(a,b)·PMI (Evert, 2005), which weighs the
    association by how often it is seen.
    """
    vid, with_entity = _entity(searcher, facet, value)
    # A filter on the entity itself would make every document of the scope carry it, and
    # every association zero: measure against the scope without that filter.
    where = _without(where, facet, value)
    scope = (
        searcher.matching(query, where=where, exclude=exclude)
        if (query or where or exclude)
        else None
    )
    docs = with_entity if scope is None else with_entity & scope
    universe = len(searcher.facets.live) if scope is None else len(scope)
    n_a = len(docs)
    found: list[Cooccurrence] = []
    for name, column in searcher.facets.columns.items():
        if of is not None and name != of:
            continue
        together = column.count(docs)
        if name == facet:
            together.pop(vid, None)
        background = (
            column.doc_counts(searcher.facets.live)
            if scope is None
            else column.count(scope)
        )
        for other, n_ab in together.items():
            if n_ab < min_count:
                continue
            pmi = math.log2(universe * n_ab / (n_a * background[other]))
            found.append(Cooccurrence(name, column.display[other], n_ab, pmi))
    found.sort(key=lambda c: (-c.count * c.pmi, -c.count, c.value))
    top = found[:limit]
    return tuple(_with_sentence(searcher, value, c, docs) for c in top)


def _without(where: Filters | None, facet: str, value: str) -> Filters | None:
    if not where or facet not in where:
        return where
    values = where[facet]
    kept = [
        v
        for v in ([values] if isinstance(values, str) else values)
        if facet_key(v) != facet_key(value)
    ]
    rest = {f: v for f, v in where.items() if f != facet}
    if kept:
        rest[facet] = kept
    return rest or None


def _with_sentence(
    searcher: Searcher, value: str, c: Cooccurrence, docs: Iterable[int]
) -> Cooccurrence:
    """The same pair with one sentence that names both, when a document has one."""
    column = searcher.facets.columns[c.facet]
    other = column.keys.get(facet_key(c.value))
    a_names = _pattern(_names(value))
    b_names = _pattern(_names(c.value))
    for docnum in sorted(docs):
        if other not in column.values_by_doc[docnum]:
            continue
        title, body = searcher.text_of(docnum)
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", f"{title}.\n{body}"):
            if a_names.search(sentence) and b_names.search(sentence):
                return Cooccurrence(
                    c.facet,
                    c.value,
                    c.count,
                    c.pmi,
                    sentence.strip(),
                    searcher.doc_id(docnum),
                )
    return c


def _names(value: str) -> set[str]:
    """How a value may be written in text: in full, by an alias (UK), or a surname."""
    words = value.split()
    names = {value.casefold()}
    names |= {
        alias for alias, name in aliases().items() if name == value and len(alias) > 1
    }
    if len(words) > 1:
        names.add(words[-1].casefold())
    return names


def _pattern(names: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def to_dot(facet: str, value: str, pairs: Sequence[Cooccurrence]) -> str:
    """The co-occurrence graph in Graphviz DOT."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["graph cooccurrence {", f"  {q(value)} [shape=box, style=bold];"]
    for c in pairs:
        lines.append(f"  {q(c.value)} [tooltip={q(c.facet)}];")
        lines.append(
            f"  {q(value)} -- {q(c.value)} [label={c.count}, penwidth={1 + max(c.pmi, 0):.1f}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
