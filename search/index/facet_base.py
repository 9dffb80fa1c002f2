"""Facet base tables: each facet's values per document, read from the index's key columns.

In: a Whoosh reader. Out: a `FacetBase` per facet (keys, spellings, display forms, value ids
per document, corpus-wide surname links), cached on disk per index generation because
reading the columns is the slow part. The query side (`search.query.facets`) applies the
user's overlay on top and counts result sets; the indexer warms the cache after a commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.index import facet_cache
from search.index.facet_cache import CACHE_PREFIX
from search.index.schema import key_field
from search.ingest.normalize import choose_display, facet_key

__all__ = ["CACHE_PREFIX", "DROPPED", "FacetBase", "read_bases", "remap"]
DROPPED = -1
"""The value id a merge target takes when the value is dropped."""


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
    mentions: list[int]
    """Per value id, its mentions over the index (documents, for an index that predates
    mention counts): what facet values tied on documents are ordered by."""

    @classmethod
    def read(cls, reader: Any, facet: str, link_surnames: bool = False) -> FacetBase:
        field = key_field(facet)
        keys: dict[str, int] = {}
        forms: list[Counter[str]] = []
        values_by_doc: list[tuple[int, ...]] = []
        mentions: list[int] = []
        empty: tuple[int, ...] = ()
        # forms repeat across documents; keying one is not free
        key_of: dict[str, str] = {}
        for raw in _raw_values(reader, field):
            if not raw:
                values_by_doc.append(empty)
                continue
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            ids = []
            for line in text.split("\n"):
                form, count = split_mentions(line)
                key = key_of.get(form)
                if key is None:
                    key = key_of[form] = facet_key(form)
                if not key:
                    continue
                vid = keys.get(key)
                if vid is None:
                    vid = keys[key] = len(forms)
                    forms.append(Counter())
                    mentions.append(0)
                forms[vid][form] += 1
                mentions[vid] += count
                ids.append(vid)
            values_by_doc.append(tuple(ids))
        display = [choose_display(c) for c in forms]
        plain = [dict(c) for c in forms]
        surnames = _surname_targets(keys, plain) if link_surnames else {}
        linked = remap(values_by_doc, dict(keys), surnames)
        return cls(keys, plain, display, values_by_doc, surnames, linked, mentions)


def split_mentions(line: str) -> tuple[str, int]:
    """One line of a key column: a value and its mentions in the document ("Vladimir
    Putin\t11"; values hold no tabs), or a bare value from an older index (one mention)."""
    form, tab, count = line.rpartition("\t")
    if tab and count.isdigit():
        return form, int(count)
    return line, 1


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


def remap(
    values_by_doc: list[tuple[int, ...]],
    keys: dict[str, int],
    target: dict[int, int],
    done: list[tuple[int, ...]] | None = None,
) -> list[tuple[int, ...]]:
    """Apply merges (value id → value id, or DROPPED) to `keys` and to every document
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
    """Every facet's base table, from the on-disk cache of this generation when it has one
    (`search.index.facet_cache`: data only, never code)."""
    path = facet_cache.cache_path(cache_dir, generation) if cache_dir else None
    if path is not None:
        # generations restart at 0 when an index is rebuilt: a cache of another index state
        # that the indexer did not clear away must at least not be of another size
        cached = facet_cache.load(path, tuple(facets), reader.doc_count_all())
        if cached is not None:
            return cached
    bases = {
        facet: FacetBase.read(reader, facet, link_surnames=facet == "person")
        for facet in facets
    }
    if path is not None:
        facet_cache.save(path, bases)
    return bases
