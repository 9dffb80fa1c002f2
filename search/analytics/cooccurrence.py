"""Co-occurrence: the entities seen with one entity, ranked by association (LMI, PMI),
each with a sentence that names both; DOT export for graph tools.

Takes an open `Searcher` and the REPL's query and filters; returns frozen data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from search.errors import QueryError
from search.ingest.normalize import aliases, facet_key
from search.query.searcher import Filters, Searcher
from search.results import Cooccurrence

__all__ = ["Cooccurrence", "cooccurrence", "to_dot"]


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
    copies = searcher.copies.excluded(searcher.facets.live, searcher.collapse)
    docs = frozenset(
        d
        for d in searcher.facets.live
        if vid in column.values_by_doc[d] and d not in copies
    )
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

    Within a query or filters, n(a) and n(a,b) count the results that carry the entity,
    while N and n(b) stay those of the whole index, as `:why` measures against it: the
    results themselves are no background when they are the entity's own documents (a query
    for it makes every PMI zero), and the index is the same yardstick for every scope.
    """
    vid, with_entity = _entity(searcher, facet, value)
    # A filter on the entity itself adds nothing: its documents are taken from the scope.
    where = _without(where, facet, value)
    scope = (
        searcher._docnums(query, where=where, exclude=exclude)
        if (query or where or exclude)
        else None
    )
    docs = with_entity if scope is None else with_entity & scope
    live = searcher.facets.live
    # stories, not copies, by default (`search.query.searcher.Searcher.collapse`)
    copies = searcher.copies.excluded(live, searcher.collapse)
    universe = len(live) - len(copies)
    n_a = len(docs)
    found: list[Cooccurrence] = []
    for name, column in searcher.facets.columns.items():
        if of is not None and name != of:
            continue
        together = column.count(docs)
        if name == facet:
            together.pop(vid, None)
        background = column.doc_counts(live) - column.count(copies)
        for other, n_ab in together.items():
            if n_ab < min_count:
                continue
            pmi = math.log2(universe * n_ab / (n_a * background[other]))
            found.append(Cooccurrence(name, column.display[other], n_ab, pmi))
    found.sort(key=lambda c: (-c.count * c.pmi, -c.count, c.value))
    top = found[:limit]
    names = _Names(searcher)
    return tuple(_with_sentence(searcher, names, facet, value, c, docs) for c in top)


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


class _Names:
    """How each entity value may be written in text: in full, by an alias from the alias
    table or the user's merges, and for people by the surname."""

    def __init__(self, searcher: Searcher) -> None:
        self.table: dict[str, set[str]] = {}
        for alias, name in aliases().items():
            if len(alias) > 1:
                self.table.setdefault(facet_key(name), set()).add(alias)
        for action, _facet, merged, into in searcher.entity_overlay():
            if action == "merge" and into:
                self.table.setdefault(facet_key(into), set()).add(merged.casefold())

    def of(self, facet: str, value: str) -> set[str]:
        names = {value.casefold()} | self.table.get(facet_key(value), set())
        words = value.split()
        if facet == "person" and len(words) > 1:
            names.add(words[-1].casefold())  # "Mr Khodorkovsky"; an org's last word is not
        return names


def _with_sentence(
    searcher: Searcher,
    names: _Names,
    facet: str,
    value: str,
    c: Cooccurrence,
    docs: Iterable[int],
) -> Cooccurrence:
    """The same pair with one sentence that names both, when a document has one."""
    column = searcher.facets.columns[c.facet]
    other = column.keys.get(facet_key(c.value))
    a_names = _pattern(names.of(facet, value))
    b_names = _pattern(names.of(c.facet, c.value))
    for docnum in sorted(docs):
        if other not in column.values_by_doc[docnum]:
            continue
        shadow = _longer_names(searcher, docnum, names, (value, c.value))
        title, body = searcher._text_of(docnum)
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", f"{title}.\n{body}"):
            if _names_both(sentence, a_names, b_names, shadow):
                return Cooccurrence(
                    c.facet,
                    c.value,
                    c.count,
                    c.pmi,
                    sentence.strip(),
                    searcher._doc_id(docnum),
                )
    return c


def _longer_names(
    searcher: Searcher, docnum: int, names: _Names, pair: tuple[str, str]
) -> re.Pattern[str] | None:
    """The document's other entity values that contain a name of the pair ("Baikal Finance
    Group" holds the place "Baikal"): a match inside one of them names that one instead."""
    wanted = {n for value in pair for n in names.of("", value)}
    keys = {facet_key(v) for v in pair}
    longer = set()
    for column in searcher.facets.columns.values():
        for vid in column.values_by_doc[docnum]:
            shown = column.display[vid]
            folded = shown.casefold()
            if facet_key(shown) in keys:
                continue
            if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", folded) for n in wanted):
                longer.add(folded)
    return _pattern(longer) if longer else None


def _names_both(
    sentence: str, a: re.Pattern[str], b: re.Pattern[str], shadow: re.Pattern[str] | None
) -> bool:
    """Whether a sentence names both, each in its own words, neither inside a longer name."""
    hidden = [m.span() for m in shadow.finditer(sentence)] if shadow else []

    def spans(p: re.Pattern[str]) -> list[tuple[int, int]]:
        return [
            m.span()
            for m in p.finditer(sentence)
            if not any(s <= m.start() and m.end() <= e for s, e in hidden)
        ]

    a_spans = spans(a)
    return bool(a_spans) and any(
        all(end <= s or start >= e for s, e in a_spans) for start, end in spans(b)
    )


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
