"""Facet cache: the facet base tables of one index generation, on disk in a format that is data.

In: `FacetBase` tables. Out: one `facets-v3-GENERATION.npz` file beside the index, and back.
A cache file is read by every search that opens a generation, so it must never be able to run
code (the pickle it replaces could: a crafted `facets-*.pickle` ran on a plain query). It is a
numpy archive read with `allow_pickle=False`: per facet, each document's value count and the
value ids in a row, plus one JSON text for the keys, spellings, display forms and the
corpus-level links with their reasons and origins (`search.index.entity_links`). Whatever fails to load or does not fit the index (damaged, crafted, of another size)
is ignored and rebuilt; a folder that cannot be written (a read-only index) keeps the tables
in memory only.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from itertools import accumulate, chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from search.index.facet_base import FacetBase

CACHE_PREFIX = "facets-"
CACHE_FORMAT = 11
"""Bump when FacetBase, this layout or the corpus-level rules change: caches in another
format are not read."""


def cache_path(cache_dir: Path, generation: int) -> Path:
    return cache_dir / f"{CACHE_PREFIX}v{CACHE_FORMAT}-{generation}.npz"


def load(path: Path, facets: tuple[str, ...], size: int) -> dict[str, FacetBase] | None:
    """The tables cached at path, or None if absent, unreadable or not of this index."""
    import numpy as np

    from search.index.facet_base import FacetBase

    try:
        with np.load(path, allow_pickle=False) as data:
            head = json.loads(bytes(data["head"]).decode("utf-8"))
            if head.get("format") != CACHE_FORMAT or head.get("facets") != list(facets):
                return None
            bases = {}
            for i, facet in enumerate(facets):
                part = head["tables"][i]
                keys = {str(k): int(v) for k, v in part["keys"].items()}
                display = [str(d) for d in part["display"]]
                forms = [{str(k): int(v) for k, v in f.items()} for f in part["forms"]]
                links = {int(a): int(b) for a, b in part["links"]}
                reasons = {str(k): str(v) for k, v in part["reasons"].items()}
                origins = {
                    str(k): tuple((str(t), str(o)) for t, o in v)
                    for k, v in part["origins"].items()
                }
                mentions = [int(m) for m in part["mentions"]]
                lengths, ids = data[f"lengths{i}"], data[f"ids{i}"]
                changed, clengths, cids = (data[f"{n}{i}"] for n in ("changed", "clengths", "cids"))
                # every id must point at a value, or a crafted file fails later as damage
                count = len(display)
                # a link may drop its value (DROPPED, -1)
                values = [*keys.values(), *links, *(v for v in links.values() if v != -1)]
                if (
                    len(lengths) != size
                    or len(forms) != count
                    or len(mentions) != count
                    or not _rows_fit(lengths, ids, count)
                    or not _rows_fit(clengths, cids, count)
                    or len(changed) != len(clengths)
                    or not _within(changed, size)
                    or any(not 0 <= v < count for v in values)
                ):
                    return None
                values_by_doc = _rows(lengths.tolist(), ids.tolist())
                linked = values_by_doc
                if links:  # the rows links change; the others are shared
                    linked = list(values_by_doc)
                    rows = _rows(clengths.tolist(), cids.tolist())
                    for doc, row in zip(changed.tolist(), rows, strict=True):
                        linked[doc] = row
                bases[facet] = FacetBase(
                    keys, forms, display, values_by_doc, links, linked, mentions, reasons,
                    origins,
                )
            return bases
    # absent, damaged or crafted: rebuilt from the index (zip, numpy and JSON errors vary)
    except Exception:  # noqa: BLE001
        return None


def _rows_fit(lengths: Any, ids: Any, count: int) -> bool:
    """Whether row lengths add up to the ids, and each id is one of count values."""
    return _within(lengths, len(ids) + 1) and int(lengths.sum()) == len(ids) and _within(ids, count)


def _within(array: Any, limit: int) -> bool:
    return not len(array) or (0 <= int(array.min()) and int(array.max()) < limit)


def _rows(lengths: list[int], ids: list[int]) -> list[tuple[int, ...]]:
    empty: tuple[int, ...] = ()
    ends = list(accumulate(lengths))
    return [tuple(ids[e - n : e]) if n else empty for n, e in zip(lengths, ends, strict=True)]


def save(path: Path, bases: dict[str, FacetBase]) -> None:
    """Write the cache for one generation and remove other caches; never fails a search."""
    import numpy as np

    arrays: dict[str, Any] = {}
    tables = []
    for i, base in enumerate(bases.values()):
        rows = base.values_by_doc
        arrays[f"lengths{i}"] = np.fromiter(map(len, rows), dtype=np.int32, count=len(rows))
        arrays[f"ids{i}"] = np.fromiter(chain.from_iterable(rows), dtype=np.int32)
        # links change few rows: only those are stored twice
        changed = [d for d, (a, b) in enumerate(zip(rows, base.linked, strict=True)) if a is not b]
        linked = [base.linked[d] for d in changed]
        arrays[f"changed{i}"] = np.array(changed, dtype=np.int32)
        arrays[f"clengths{i}"] = np.fromiter(map(len, linked), dtype=np.int32, count=len(linked))
        arrays[f"cids{i}"] = np.fromiter(chain.from_iterable(linked), dtype=np.int32)
        tables.append(
            {
                "keys": base.keys,
                "forms": base.forms,
                "display": base.display,
                "links": sorted(base.links.items()),
                "reasons": base.reasons,
                "origins": {k: [list(p) for p in v] for k, v in base.origins.items()},
                "mentions": base.mentions,
            }
        )
    head = {"format": CACHE_FORMAT, "facets": list(bases), "tables": tables}
    arrays["head"] = np.frombuffer(
        json.dumps(head, ensure_ascii=False).encode("utf-8"), dtype=np.uint8
    )
    # one temporary file per process: two searchers may warm the same generation at once
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as handle:
            np.savez(handle, **arrays)
        os.replace(tmp, path)
    except OSError:
        # a read-only or full folder: searches keep the tables in memory, only slower to open
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        return
    for old in path.parent.glob(f"{CACHE_PREFIX}*"):
        if not old.name.startswith(path.name):  # this cache, and others being written
            with suppress(OSError):
                old.unlink(missing_ok=True)
