"""Facet base tables: each facet's values per document, read from the index's key columns.

In: a Whoosh reader. Out: a `FacetBase` per facet (keys, spellings, display forms, value ids
per document, and the corpus-level links of `search.index.entity_links`: one type per name,
short forms and variants to their full names, common words and non-entities dropped), cached
on disk per index generation because reading the columns is the slow part. The query side (`search.query.facets`) applies the
user's overlay on top and counts result sets; the indexer warms the cache after a commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from search.index import facet_cache
from search.index.entity_links import link_corpus
from search.index.facet_cache import CACHE_PREFIX
from search.index.schema import IN_FULL, LISTED, SHORT_FORM, THE, THING, key_field
from search.ingest.normalize import OTHER, choose_display, facet_key

__all__ = ["CACHE_PREFIX", "DROPPED", "FacetBase", "read_bases", "remap"]
DROPPED = -1
"""The value id a merge target takes when the value is dropped."""


@dataclass(frozen=True, slots=True)
class FacetBase:
    """One facet as read from the index: keys, their spellings, display forms, per-doc ids.

    `links` maps a value id to the value id it stands for corpus-wide (a bare surname to the
    full name, a variant to its canonical name) or to DROPPED, and `linked` is
    `values_by_doc` with that applied (sharing the unchanged tuples), so the usual build
    copies nothing; the raw values stay for when the user's overlay re-points a value.
    `reasons` says why, per key, for `show --why` (keys moved to another type included).
    """

    keys: dict[str, int]
    forms: list[dict[str, int]]
    display: list[str]
    values_by_doc: list[tuple[int, ...]]
    links: dict[int, int]
    linked: list[tuple[int, ...]]
    mentions: list[int]
    """Per value id, its mentions over the index (documents, for an index that predates
    mention counts): what facet values tied on documents are ordered by."""
    reasons: dict[str, str]
    origins: dict[str, tuple[tuple[str, str], ...]]

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[Sequence[str]],
        links: dict[str, str | None] | None = None,
        reasons: dict[str, str] | None = None,
        origins: dict[str, set[tuple[str, str]]] | None = None,
        totals: Mapping[str, int] | None = None,
    ) -> FacetBase:
        """The table of one facet from its values per document, its corpus-level links and
        each key's mentions over the index (`totals`; one per document when not given)."""
        keys: dict[str, int] = {}
        forms: list[Counter[str]] = []
        values_by_doc: list[tuple[int, ...]] = []
        mentions: list[int] = []
        empty: tuple[int, ...] = ()
        # forms repeat across documents; keying one is not free
        key_of: dict[str, str] = {}
        for values in rows:
            if not values:
                values_by_doc.append(empty)
                continue
            ids = []
            for form in values:
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
                mentions[vid] += 1 if totals is None else 0
                ids.append(vid)
            values_by_doc.append(tuple(dict.fromkeys(ids)))
        if totals is not None:
            for key, vid in keys.items():
                mentions[vid] = totals.get(key, 0)
        display = [choose_display(c) for c in forms]
        plain = [dict(c) for c in forms]
        target: dict[int, int] = {}
        for key, into in (links or {}).items():
            if key in keys:
                into_id = DROPPED if into is None else keys.get(into)
                if into_id is not None and into_id != keys[key]:
                    target[keys[key]] = into_id
        linked = remap(values_by_doc, dict(keys), target)
        moved = {k: tuple(sorted(v)) for k, v in (origins or {}).items()}
        return cls(
            keys, plain, display, values_by_doc, target, linked, mentions,
            dict(reasons or {}), moved,
        )  # fmt: skip

    @classmethod
    def read(cls, reader: Any, facet: str) -> FacetBase:
        """One facet's table as `read_links` makes it (with the corpus-level links)."""
        return read_links(reader, (facet,))[facet]


def read_rows(
    reader: Any,
    facet: str,
    totals: Counter[str] | None = None,
    repeated: dict[str, tuple[int, int]] | None = None,
    shortened: dict[str, Counter[str]] | None = None,
    things: Counter[str] | None = None,
    lists: dict[tuple[int, int], dict[str, bool]] | None = None,
    with_the: Counter[str] | None = None,
) -> list[list[str]]:
    """Each document's values of one type, from its key column, in docnum order; each
    key's mentions are added to `totals` when given, to `repeated` the documents naming it
    more than once and those of them naming it in full every time, to `shortened`, per
    short form's key, the documents linking it to each name's key, to `things` the
    documents writing it as a work or product, to `lists`, per (document, list number),
    the keys listed together (each with whether that document writes it as a thing), and
    to `with_the` the documents naming it by a plural after "the" every time."""
    field = key_field(facet)
    rows: list[list[str]] = []
    key_of: dict[str, str] = {}  # forms repeat across documents; keying one is not free

    def keyed(form: str) -> str:
        key = key_of.get(form)
        if key is None:
            key = key_of[form] = facet_key(form)
        return key

    for raw in _raw_values(reader, field):
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        values = []
        for line in text.split("\n") if text else ():
            form, count, in_full, short, thing, listed, the = parse_key_line(line)
            values.append(form)
            if all(v is None for v in (totals, repeated, shortened, things, lists, with_the)):
                continue
            key = keyed(form)
            if totals is not None:
                totals[key] += count
            if repeated is not None and count > 1:
                many, full = repeated.get(key, (0, 0))
                repeated[key] = (many + 1, full + in_full)
            if shortened is not None:
                for name in {keyed(s) for s in short}:
                    shortened.setdefault(name, Counter())[key] += 1
            if things is not None and thing:
                things[key] += 1
            if lists is not None and listed >= 0:
                lists.setdefault((len(rows), listed), {})[key] = thing
            if with_the is not None and the:
                with_the[key] += 1
        rows.append(values)
    return rows


def split_mentions(line: str) -> tuple[str, int]:
    """One line of a key column: a value and its mentions in the document."""
    parsed = parse_key_line(line)
    return parsed.form, parsed.mentions


class KeyLine(NamedTuple):
    """One line of a key column, parsed (`parse_key_line`)."""

    form: str
    mentions: int
    in_full: bool
    short: tuple[str, ...]
    thing: bool = False
    listed: int = -1
    """The number of the list of names the value is written in here, or -1."""
    the: bool = False
    """Whether the document names it by one plural word after "the" every time (`THE`)."""


_FLAGS = (IN_FULL[1:], THING[1:], THE[1:])


def parse_key_line(line: str) -> KeyLine:
    """One line of a key column: a value, its mentions in the document, whether it is named
    in full every time (`IN_FULL`), the short forms linked to it (`SHORT_FORM`) and whether
    it is written as a work or product (`THING`): "Commodity Credit Corporation\t4\t=CCC";
    or a bare value from an older index (one mention). Values hold no tabs."""
    parts = line.split("\t")
    flags: list[str] = []
    while len(parts) > 2 and (
        parts[-1] in _FLAGS or parts[-1].startswith((SHORT_FORM[1:], LISTED[1:]))
    ):
        flags.append(parts.pop())
    if len(parts) != 2 or not parts[1].isdigit():
        return KeyLine(line, 1, False, ())
    short = tuple(f[1:] for f in reversed(flags) if f.startswith(SHORT_FORM[1:]))
    listed = [f[len(LISTED) - 1 :] for f in flags if f.startswith(LISTED[1:])]
    number = int(listed[0]) if listed and listed[0].isdigit() else -1
    return KeyLine(
        parts[0],
        int(parts[1]),
        IN_FULL[1:] in flags,
        short,
        THING[1:] in flags,
        number,
        THE[1:] in flags,
    )


def _raw_values(reader: Any, field: str) -> Iterator[Any]:
    """The column value of every document in docnum order, empty where a segment has none."""
    # MultiReader.column_reader leaves out segments without the column, shifting later docnums.
    for leaf, _ in reader.leaf_readers():
        if leaf.has_column(field):
            yield from leaf.column_reader(field)
        else:
            yield from [b""] * leaf.doc_count_all()


def read_links(reader: Any, facets: Sequence[str]) -> dict[str, FacetBase]:
    """Every facet's table with the corpus-level links, decided from the index's statistics."""
    totals: Counter[str] = Counter()  # key → mentions over the index, in any type
    repeated: dict[str, tuple[int, int]] = {}
    shortened: dict[str, Counter[str]] = {}
    things: Counter[str] = Counter()
    lists: dict[tuple[int, int], dict[str, bool]] = {}
    with_the: Counter[str] = Counter()
    rows = {
        facet: read_rows(
            reader,
            facet,
            totals,
            repeated if facet == "person" else None,
            shortened,
            things,
            lists,
            with_the,
        )
        for facet in (*facets, OTHER)
    }

    def doc_freq(term: str) -> int:
        return int(reader.doc_frequency("body", term))

    decided = link_corpus(
        rows,
        doc_freq,
        repeated=repeated,
        shortened=shortened,
        things=things,
        lists=list(lists.values()),
        with_the=with_the,
    )
    return {
        facet: FacetBase.from_rows(
            decided.rows[facet],
            decided.links.get(facet, {}),
            decided.reasons.get(facet, {}),
            decided.origins.get(facet, {}),
            totals,
        )
        for facet in facets
    }


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
    bases = read_links(reader, facets)
    if path is not None:
        facet_cache.save(path, bases)
    return bases
