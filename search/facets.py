"""Facets: entity values per document, loaded once per index generation, counted fast.

Whoosh's `groupedby` scores every match and rebuilds per-document value lists on each
search. Instead, each facet's key column is read once into a list of small integer tuples
(docnum → value ids), and a result set is counted with a Counter over those tuples.
Surface forms are grouped by `facet_key`, and each key is shown in one display form chosen
across the whole corpus (`choose_display`). Reading the columns is the slow part, so that
`FacetBase` is cached on disk per index generation; corpus-wide surname linking and the
user's overlay (merges, drops) are applied on top of it each time the table is built.
"""

from __future__ import annotations

import itertools
import pickle
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.normalize import choose_display, facet_key
from search.overlay import Overlay
from search.results import FacetCount
from search.schema import key_field

CACHE_PREFIX = "facets-"
CACHE_FORMAT = 2
"""Bump when FacetBase changes: caches written by another format are not read."""
_DROPPED = -1


@dataclass(frozen=True, slots=True)
class FacetBase:
    """One facet as read from the index: keys, their spellings, display forms, per-doc ids.

    `surnames` maps a bare surname's value id to the full name it stands for, and `linked`
    is `values_by_doc` with that applied (sharing the unchanged tuples), so the usual build
    copies nothing; the raw values stay for when the user's overlay re-points a surname.
    """

    keys: dict[str, int]
    forms: list[dict[str, int]]
    display: list[str]
    values_by_doc: list[tuple[int, ...]]
    surnames: dict[int, int]
    linked: list[tuple[int, ...]]

    @classmethod
    def read(cls, reader: Any, facet: str, link_surnames: bool = False) -> FacetBase:
        field = key_field(facet)
        keys: dict[str, int] = {}
        forms: list[Counter[str]] = []
        values_by_doc: list[tuple[int, ...]] = []
        empty: tuple[int, ...] = ()
        # forms repeat across documents; keying one is not free
        key_of: dict[str, str] = {}
        for raw in _raw_values(reader, field):
            if not raw:
                values_by_doc.append(empty)
                continue
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            ids = []
            for form in text.split("\n"):
                key = key_of.get(form)
                if key is None:
                    key = key_of[form] = facet_key(form)
                if not key:
                    continue
                vid = keys.get(key)
                if vid is None:
                    vid = keys[key] = len(forms)
                    forms.append(Counter())
                forms[vid][form] += 1
                ids.append(vid)
            values_by_doc.append(tuple(ids))
        display = [choose_display(c) for c in forms]
        plain = [dict(c) for c in forms]
        surnames = _surname_targets(keys, plain) if link_surnames else {}
        linked = _remap(values_by_doc, dict(keys), surnames)
        return cls(keys, plain, display, values_by_doc, surnames, linked)


class FacetColumn:
    """One facet ready for counting: per-document value ids and each id's display form."""

    def __init__(
        self,
        values_by_doc: list[tuple[int, ...]],
        display: list[str],
        keys: dict[str, int],
    ):
        self.values_by_doc = values_by_doc
        self.display = display
        self.keys = keys
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
        # A surname the user merges or drops themselves is no longer linked automatically.
        mine = {keys[k] for k in {facet_key(k) for k in merges} | drops if k in keys}
        surnames = {v: t for v, t in base.surnames.items() if v not in mine}
        if len(surnames) == len(base.surnames):
            values = _remap(base.values_by_doc, keys, surnames, base.linked)
        else:
            values = _remap(base.values_by_doc, keys, surnames)
        target = _overlay_targets(keys, display, merges, drops)
        return cls(_remap(values, keys, target), display, keys)

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
        self, docnums: Collection[int], limit: int | None
    ) -> tuple[FacetCount, ...]:
        """The top values over docnums, counted with numpy: a search's facet panel.

        Counting a large result set value by value in Python costs tens of milliseconds;
        as arrays (per-document value lists laid end to end) it is a mask, a repeat and a
        bincount, whatever the size of the result set.
        """
        import numpy as np

        lengths, flat, order = self._numpy()
        if not len(self.display) or not docnums:
            return ()
        mask = np.zeros(len(lengths), dtype=bool)
        mask[np.fromiter(docnums, dtype=np.int64, count=len(docnums))] = True
        counts = np.bincount(
            flat[np.repeat(mask, lengths)], minlength=len(self.display)
        )
        found = np.flatnonzero(counts)
        if limit is not None and len(found) > limit:
            # keep every value tied with the limit-th, then order exactly
            kth = np.partition(counts[found], len(found) - limit)[len(found) - limit]
            found = found[counts[found] >= kth]
        ranked = found[np.lexsort((order[found], -counts[found]))][:limit]
        return tuple(FacetCount(self.display[v], int(counts[v])) for v in ranked)

    def _numpy(self) -> tuple[Any, Any, Any]:
        """(values per document, all value ids end to end, rank of each display form)."""
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
            ranked = sorted(
                range(len(self.display)), key=lambda v: self.display[v].casefold()
            )
            order[ranked] = np.arange(len(ranked))
            self._arrays = (lengths, flat, order)
        return self._arrays

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


def _surname_targets(
    keys: dict[str, int], forms: list[dict[str, int]]
) -> dict[int, int]:
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


def _overlay_targets(
    keys: dict[str, int], display: list[str], merges: dict[str, str], drops: set[str]
) -> dict[int, int]:
    """Value id → merged-into value id (or _DROPPED), from the user's overlay."""
    target: dict[int, int] = {}
    for key in drops:
        if key in keys:
            target[keys[key]] = _DROPPED
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


def _remap(
    values_by_doc: list[tuple[int, ...]],
    keys: dict[str, int],
    target: dict[int, int],
    done: list[tuple[int, ...]] | None = None,
) -> list[tuple[int, ...]]:
    """Apply merges (value id → value id, or _DROPPED) to `keys` and to every document
    (unless `done` already holds the documents remapped); unchanged tuples are reused."""
    target = _resolve(target)
    if not target:
        return values_by_doc
    for key, vid in list(keys.items()):
        if target.get(vid, vid) < 0:
            del keys[key]
        else:
            keys[key] = target.get(vid, vid)
    if done is not None:
        return done
    out = []
    for ids in values_by_doc:
        if ids and any(v in target for v in ids):
            ids = tuple(
                v for v in dict.fromkeys(target.get(v, v) for v in ids) if v >= 0
            )
        out.append(ids)
    return out


def _resolve(target: dict[int, int]) -> dict[int, int]:
    """Follow chains of merges (a → b → c becomes a → c), stopping at cycles."""
    out = {}
    for start, first in target.items():
        seen = {start}
        vid = first
        while vid in target and vid not in seen:
            seen.add(vid)
            vid = target[vid]
        out[start] = vid
    return out


def read_bases(
    reader: Any, facets: Sequence[str], cache_dir: Path | None, generation: int
) -> dict[str, FacetBase]:
    """Every facet's base table, from the on-disk cache of this generation when it has one."""
    name = f"{CACHE_PREFIX}v{CACHE_FORMAT}-{generation}.pickle"
    path = cache_dir / name if cache_dir else None
    if path is not None:
        try:
            with path.open("rb") as handle:
                cached = pickle.load(handle)
            # generations restart at 0 when an index is rebuilt: a cache of another index
            # state that the indexer did not clear away must at least not be of another size
            size = reader.doc_count_all()
            if (
                isinstance(cached, dict)
                and set(cached) == set(facets)
                and all(len(base.values_by_doc) == size for base in cached.values())
            ):
                return cached
        # absent, stale or damaged: rebuild below (bad pickles raise ValueError, KeyError...)
        except Exception:  # noqa: BLE001, S110
            pass
    bases = {
        facet: FacetBase.read(reader, facet, link_surnames=facet == "person")
        for facet in facets
    }
    if path is not None:
        _write_cache(path, bases)
    return bases


def _write_cache(path: Path, bases: dict[str, FacetBase]) -> None:
    """Write the cache for one generation and remove those of older generations."""
    tmp = path.with_suffix(".tmp")
    try:
        with tmp.open("wb") as handle:
            pickle.dump(bases, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in path.parent.glob(f"{CACHE_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        tmp.unlink(
            missing_ok=True
        )  # a read-only index still works, only slower to open


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
                out[name] = col.top_of(docs, limit)
        return out
