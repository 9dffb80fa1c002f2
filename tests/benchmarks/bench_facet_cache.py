"""Facet cache load time: the numpy archive (data only) against a pickle of the same tables.

python tests/benchmarks/bench_facet_cache.py [DOCS] [VALUES]

Builds facet base tables the size of a large corpus (default 42,000 documents, 30,000
values per facet, up to 12 values a document, surname links on `person`), writes them both
ways, and reports the best of five loads of each and their ratio: the pickle is what the
cache was before it had to stop being able to run code.
"""

from __future__ import annotations

import pickle
import random
import sys
import tempfile
import time
from pathlib import Path

from search.index import facet_cache
from search.index.facet_base import FacetBase, remap

FACETS = ("person", "place", "org")


def tables(docs: int, values: int) -> dict[str, FacetBase]:
    rng = random.Random(1)
    out = {}
    for facet in FACETS:
        keys = {f"name {i}": i for i in range(values)}
        forms = [{f"Name {i}": 3} for i in range(values)]
        display = [f"Name {i}" for i in range(values)]
        rows = [tuple(rng.sample(range(values), rng.randint(0, 12))) for _ in range(docs)]
        surnames = {i: i + 1 for i in range(0, 2000, 2)} if facet == "person" else {}
        linked = remap(rows, dict(keys), surnames)
        out[facet] = FacetBase(keys, forms, display, rows, surnames, linked)
    return out


def best(load: object, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        load()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    docs = int(sys.argv[1]) if len(sys.argv) > 1 else 42_000
    values = int(sys.argv[2]) if len(sys.argv) > 2 else 30_000
    bases = tables(docs, values)
    folder = Path(tempfile.mkdtemp())
    pickled, archive = folder / "facets.pickle", folder / "facets.npz"
    pickled.write_bytes(pickle.dumps(bases, protocol=pickle.HIGHEST_PROTOCOL))
    facet_cache.save(archive, bases)
    loaded = facet_cache.load(archive, FACETS, docs)
    assert loaded is not None and all(
        loaded[f].values_by_doc == bases[f].values_by_doc and loaded[f].linked == bases[f].linked
        for f in FACETS
    )
    old = best(lambda: pickle.loads(pickled.read_bytes()))
    new = best(lambda: facet_cache.load(archive, FACETS, docs))
    print(f"{docs:,} documents, {values:,} values per facet")
    print(f"pickle  {old * 1000:7.0f} ms  {pickled.stat().st_size / 1e6:5.1f} MB")
    print(f"archive {new * 1000:7.0f} ms  {archive.stat().st_size / 1e6:5.1f} MB  "
          f"({new / old:.2f}x the pickle)")


if __name__ == "__main__":
    main()
