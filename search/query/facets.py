"""Facets: entity values per document as the user sees them, counted fast over result sets.

In: the `FacetBase` tables of one index generation (`search.index.facet_base`) and the user's
overlay (merges, drops). Out: `FacetColumn`s that count a result set's values with numpy,
and a `FacetTable` holding one per facet. Whoosh's `groupedby` scores every match and
rebuilds per-document value lists on each search; a column of small integer tuples counted
as arrays costs a mask, a repeat and a bincount instead.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from search.index.facet_base import DROPPED, FacetBase, read_bases, remap
from search.ingest.normalize import facet_key
from search.query.overlay import Overlay, load_overlay
from search.results import FacetCount


class FacetColumn:
    """One facet ready for counting: per-document value ids and each id's display form."""

    def __init__(
        self,
        values_by_doc: list[tuple[int, ...]],
        display: list[str],
        keys: dict[str, int],
        mentions: list[int] | None = None,
    ):
        self.values_by_doc = values_by_doc
        self.display = display
        self.keys = keys
        self.mentions = mentions or [0] * len(display)
        """Per value id, its mentions over the index: the first tie-break after documents."""
        self.origins: dict[str, tuple[tuple[str, str], ...]] = {}
        self._members: dict[int, list[str]] | None = None
        self._doc_counts: Counter[int] | None = None
        self._arrays: tuple[Any, Any, Any] | None = None

    @classmethod
    def build(
        cls,
        base: FacetBase,
        merges: dict[str, str] | None = None,
        drops: set[str] | None = None,
    ) -> FacetColumn:
        """The column as the user sees it: the base with their overlay applied."""
        merges, drops = merges or {}, drops or set()
        keys = dict(base.keys)
        display = list(base.display)
        # A value the user merges or drops themselves is no longer linked automatically.
        mine = {keys[k] for k in {facet_key(k) for k in merges} | drops if k in keys}
        links = {v: t for v, t in base.links.items() if v not in mine}
        if len(links) == len(base.links):
            values = remap(base.values_by_doc, keys, links, base.linked)
        else:
            values = remap(base.values_by_doc, keys, links)
        target = _overlay_targets(keys, display, merges, drops)
        values = remap(values, keys, target)
        # a merged or linked value counts the mentions of every key that stands for it
        mentions = [0] * len(display)
        for key, vid in keys.items():
            if (old := base.keys.get(key)) is not None:
                mentions[vid] += base.mentions[old]
        column = cls(values, display, keys, mentions)
        column.origins = base.origins
        return column

    @property
    def members(self) -> dict[int, list[str]]:
        """Value id → every key that counts as it (built on first use: only filters need it)."""
        if self._members is None:
            self._members = {}
            for key, vid in self.keys.items():
                self._members.setdefault(vid, []).append(key)
        return self._members

    def keys_for(self, value: str) -> list[str]:
        """Every indexed key that stands for a value (a name and its linked surname)."""
        key = facet_key(value)
        vid = self.keys.get(key)
        return [key] if vid is None else self.members[vid]

    def terms_for(self, facet: str, value: str) -> list[tuple[str, str]]:
        """Every (type, key) under which the index holds documents of a value: its own keys,
        and those it was moved or rewritten from corpus-wide (`entity_links`)."""
        pairs = {(facet, key) for key in self.keys_for(value)}
        for key in list(pairs):
            pairs.update(self.origins.get(key[1], ()))
        return sorted(pairs)

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

    def top_of(
        self,
        docnums: Collection[int],
        limit: int | None,
        stories: Sequence[Sequence[int]] = (),
    ) -> tuple[FacetCount, ...]:
        """The top values over docnums, counted with numpy: a search's facet panel.

        Counting a large result set value by value in Python costs tens of milliseconds;
        as arrays (per-document value lists laid end to end) it is a mask, a repeat and a
        bincount, whatever the size of the result set. Each of `stories` (groups of
        docnums, copies of one story) counts once for every value any of its members has.
        """
        import numpy as np

        lengths, flat, order = self._numpy()
        if not len(self.display) or not docnums:
            return ()
        mask = np.zeros(len(lengths), dtype=bool)
        mask[np.fromiter(docnums, dtype=np.int64, count=len(docnums))] = True
        if stories:
            members = np.fromiter(itertools.chain.from_iterable(stories), dtype=np.int64)
            mask[members] = False  # counted below, once per story
        counts = np.bincount(
            flat[np.repeat(mask, lengths)], minlength=len(self.display)
        )
        if stories:
            counts += self._story_counts(stories, members, lengths, flat)
        found = np.flatnonzero(counts)
        if limit is not None and len(found) > limit:
            # keep every value tied with the limit-th, then order exactly
            kth = np.partition(counts[found], len(found) - limit)[len(found) - limit]
            found = found[counts[found] >= kth]
        ranked = found[np.lexsort((order[found], -counts[found]))][:limit]
        return tuple(FacetCount(self.display[v], int(counts[v])) for v in ranked)

    def _story_counts(
        self, stories: Sequence[Sequence[int]], members: Any, lengths: Any, flat: Any
    ) -> Any:
        """Per value, how many of the stories have it in any of their members (as arrays:
        each member's values tagged with its story, distinct pairs counted)."""
        import numpy as np

        size = len(self.display)
        owner = np.repeat(np.arange(len(stories)), [len(g) for g in stories])
        starts = (np.cumsum(lengths) - lengths)[members]
        n = lengths[members]
        first = np.repeat(np.cumsum(n) - n, n)
        values = flat[np.repeat(starts, n) + np.arange(int(n.sum())) - first]
        pairs = np.unique(np.repeat(owner, n) * size + values)
        return np.bincount(pairs % size, minlength=size)

    def _numpy(self) -> tuple[Any, Any, Any]:
        """(values per document, all value ids end to end, rank of each value on ties)."""
        if self._arrays is None:
            import numpy as np

            by_doc = self.values_by_doc
            lengths = np.fromiter(map(len, by_doc), dtype=np.int64, count=len(by_doc))
            flat = np.fromiter(
                itertools.chain.from_iterable(by_doc),
                dtype=np.int64,
                count=int(lengths.sum()),
            )
            order = np.empty(len(self.display), dtype=np.int64)
            ranked = sorted(range(len(self.display)), key=self._tie_break)
            order[ranked] = np.arange(len(ranked))
            self._arrays = (lengths, flat, order)
        return self._arrays

    def values(self, docnum: int) -> tuple[str, ...]:
        return tuple(self.display[v] for v in self.values_by_doc[docnum])

    def _tie_break(self, vid: int) -> tuple[int, str]:
        """Among values on as many documents: the most mentioned first, then by display
        form, so that output is stable across runs."""
        return -self.mentions[vid], self.display[vid].casefold()

    def top(self, counts: Counter[int], limit: int | None) -> tuple[FacetCount, ...]:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], *self._tie_break(kv[0])))
        if limit is not None:
            ranked = ranked[:limit]
        return tuple(FacetCount(self.display[v], n) for v, n in ranked)

    def starting_with(
        self, live: Iterable[int], prefix: str, limit: int
    ) -> list[FacetCount]:
        """Values with a word starting with prefix, most frequent first (completion)."""
        ranked = self.top(self.doc_counts(live), None)
        wanted = facet_key(prefix)
        if not wanted:
            return list(ranked[:limit])
        out = []
        for fc in ranked:
            key = facet_key(fc.value)
            if key.startswith(wanted) or any(w.startswith(wanted) for w in key.split()):
                out.append(fc)
                if len(out) >= limit:
                    break
        return out

    def lookup(self, value: str) -> str | None:
        """The display form of a value typed by a user, if the index has it."""
        vid = self.keys.get(facet_key(value))
        return None if vid is None else self.display[vid]


def _overlay_targets(
    keys: dict[str, int], display: list[str], merges: dict[str, str], drops: set[str]
) -> dict[int, int]:
    """Value id → merged-into value id (or DROPPED), from the user's overlay."""
    target: dict[int, int] = {}
    for key in drops:
        if key in keys:
            target[keys[key]] = DROPPED
    for key, into in merges.items():
        if key not in keys:
            continue
        into_key = facet_key(into)
        vid = keys.get(into_key)
        if vid is None:
            vid = keys[into_key] = len(display)
            display.append(into)
        display[vid] = into  # the user's spelling wins
        target[keys[key]] = vid
    return target


class FacetTable:
    """All facet columns of one reader generation."""

    def __init__(
        self,
        reader: Any,
        facets: Sequence[str],
        overlay: Overlay | None = None,
        cache_dir: Path | None = None,
        generation: int = -1,
    ):
        overlay = overlay or Overlay()
        bases = read_bases(
            reader, facets, cache_dir if generation >= 0 else None, generation
        )
        self.bases = bases
        self.overlay = overlay
        self.columns = {
            facet: FacetColumn.build(
                bases[facet],
                merges=overlay.merges_for(facet),
                drops=overlay.drops_for(facet),
            )
            for facet in facets
        }
        total = reader.doc_count_all()
        self.live = (
            list(reader.all_doc_ids()) if reader.has_deletions() else list(range(total))
        )

    @classmethod
    def of_index(
        cls, reader: Any, facets: Sequence[str], index_dir: Path
    ) -> FacetTable:
        """The table of a reader's generation with the user's overlay, cached in index_dir."""
        # None while nothing is committed (an empty folder was indexed): no cache then
        generation = reader.generation()
        return cls(
            reader,
            facets,
            load_overlay(index_dir),
            cache_dir=index_dir,
            generation=-1 if generation is None else generation,
        )

    def entities(self, docnum: int) -> dict[str, tuple[str, ...]]:
        return {facet: col.values(docnum) for facet, col in self.columns.items()}

    def counts(
        self,
        docnums: Iterable[int] | None,
        limit: int | None,
        facets: Sequence[str] | None = None,
        stories: Sequence[Sequence[int]] = (),
    ) -> dict[str, tuple[FacetCount, ...]]:
        """Top values per facet over docnums (None: the whole index), each group of
        `stories` among them counted once."""
        names = facets if facets is not None else list(self.columns)
        docs = (
            None
            if docnums is None
            else docnums
            if isinstance(docnums, Collection)
            else list(docnums)
        )
        out = {}
        for name in names:
            col = self.columns[name]
            if docs is None:
                out[name] = col.top(col.doc_counts(self.live), limit)
            else:
                out[name] = col.top_of(docs, limit, stories)
        return out
