"""Facets: entity values per document, loaded once per index generation, counted fast.

Whoosh's `groupedby` scores every match and rebuilds per-document value lists on each
search. Instead, each facet's key column is read once into a list of small integer tuples
(docnum → value ids), and a result set is counted with a Counter over those tuples.
Surface forms are grouped by `facet_key`, and each key is shown in one display form chosen
across the whole corpus (`choose_display`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from search.normalize import choose_display, facet_key
from search.results import FacetCount
from search.schema import key_field


class FacetColumn:
    """One facet: the value ids of each document and the display form of each value id."""

    def __init__(
        self,
        values_by_doc: list[tuple[int, ...]],
        display: list[str],
        keys: dict[str, int],
    ):
        self.values_by_doc = values_by_doc
        self.display = display
        self.keys = keys
        self.members: dict[int, list[str]] = {}
        for key, vid in keys.items():
            self.members.setdefault(vid, []).append(key)
        self._doc_counts: Counter[int] | None = None

    @classmethod
    def load(cls, reader: Any, facet: str, link_surnames: bool = False) -> FacetColumn:
        field = key_field(facet)
        doc_total = reader.doc_count_all()
        if not reader.has_column(field):
            return cls([()] * doc_total, [], {})
        keys: dict[str, int] = {}
        forms: list[Counter[str]] = []
        values_by_doc: list[tuple[int, ...]] = []
        empty: tuple[int, ...] = ()
        for raw in _raw_values(reader, field):
            if not raw:
                values_by_doc.append(empty)
                continue
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            ids = []
            for form in text.split("\n"):
                key = facet_key(form)
                if not key:
                    continue
                vid = keys.get(key)
                if vid is None:
                    vid = keys[key] = len(forms)
                    forms.append(Counter())
                forms[vid][form] += 1
                ids.append(vid)
            values_by_doc.append(tuple(ids))
        if link_surnames:
            target = _surname_targets(keys, forms)
            if target:
                values_by_doc = [
                    tuple(dict.fromkeys(target.get(v, v) for v in ids)) if ids else ids
                    for ids in values_by_doc
                ]
                for key, vid in keys.items():
                    keys[key] = target.get(vid, vid)
        display = [choose_display(c) for c in forms]
        return cls(values_by_doc, display, keys)

    def keys_for(self, value: str) -> list[str]:
        """Every indexed key that stands for a value (a name and its linked surname)."""
        key = facet_key(value)
        vid = self.keys.get(key)
        return [key] if vid is None else self.members[vid]

    def doc_counts(self, live: Iterable[int]) -> Counter[int]:
        """How many live documents carry each value id (cached: the corpus-wide counts)."""
        if self._doc_counts is None:
            counts: Counter[int] = Counter()
            by_doc = self.values_by_doc
            for docnum in live:
                counts.update(by_doc[docnum])
            self._doc_counts = counts
        return self._doc_counts

    def count(self, docnums: Iterable[int]) -> Counter[int]:
        counts: Counter[int] = Counter()
        by_doc = self.values_by_doc
        for docnum in docnums:
            values = by_doc[docnum]
            if values:
                counts.update(values)
        return counts

    def values(self, docnum: int) -> tuple[str, ...]:
        return tuple(self.display[v] for v in self.values_by_doc[docnum])

    def top(self, counts: Counter[int], limit: int | None) -> tuple[FacetCount, ...]:
        # Ties are broken by display form so that output is stable across runs.
        ranked = sorted(
            counts.items(), key=lambda kv: (-kv[1], self.display[kv[0]].casefold())
        )
        if limit is not None:
            ranked = ranked[:limit]
        return tuple(FacetCount(self.display[v], n) for v, n in ranked)

    def lookup(self, value: str) -> str | None:
        """The display form of a value typed by a user, if the index has it."""
        vid = self.keys.get(facet_key(value))
        return None if vid is None else self.display[vid]


def _raw_values(reader: Any, field: str) -> Iterator[Any]:
    """The column value of every document in docnum order, empty where a segment has none."""
    # MultiReader.column_reader leaves out segments without the column, shifting later docnums.
    for leaf, _ in reader.leaf_readers():
        if leaf.has_column(field):
            yield from leaf.column_reader(field)
        else:
            yield from [b""] * leaf.doc_count_all()


def _surname_targets(keys: dict[str, int], forms: list[Counter[str]]) -> dict[int, int]:
    """Link a bare surname to the full name it almost always stands for, corpus-wide.

    Within a document the normaliser already links "Putin" to "Vladimir Putin"; this
    handles documents that only ever say "Blair", when one full name ending in that word
    holds at least 80% of the mentions of all such names.
    """
    by_last: dict[str, list[int]] = {}
    for key, vid in keys.items():
        words = key.split()
        if len(words) > 1:
            by_last.setdefault(words[-1], []).append(vid)
    target: dict[int, int] = {}
    for key, vid in keys.items():
        if " " in key or key not in by_last:
            continue
        names = sorted(by_last[key], key=lambda v: -sum(forms[v].values()))
        top = sum(forms[names[0]].values())
        if top >= 0.8 * sum(sum(forms[v].values()) for v in names):
            target[vid] = names[0]
    return target


class FacetTable:
    """All facet columns of one reader generation."""

    def __init__(self, reader: Any, facets: Sequence[str]):
        self.columns = {
            facet: FacetColumn.load(reader, facet, link_surnames=facet == "person")
            for facet in facets
        }
        self.live = [d for d in reader.all_doc_ids()]

    def entities(self, docnum: int) -> dict[str, tuple[str, ...]]:
        return {facet: col.values(docnum) for facet, col in self.columns.items()}

    def counts(
        self,
        docnums: Iterable[int] | None,
        limit: int | None,
        facets: Sequence[str] | None = None,
    ) -> dict[str, tuple[FacetCount, ...]]:
        """Top values per facet over docnums (None: the whole index)."""
        names = facets if facets is not None else list(self.columns)
        docs = list(docnums) if docnums is not None else None
        out = {}
        for name in names:
            col = self.columns[name]
            counts = col.doc_counts(self.live) if docs is None else col.count(docs)
            out[name] = col.top(counts, limit)
        return out
