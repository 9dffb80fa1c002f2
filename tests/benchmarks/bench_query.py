"""Query latency: search (facets + 10 snippets) beside plain Whoosh on the same index.

    python tests/benchmarks/bench_query.py INDEX_DIR [INDEX_DIR ...]

For each index, 200 queries drawn from BBC headlines run through three paths in the same
process, interleaved so machine noise hits all three alike:
  full   search's Searcher.search: ranked page of 10, facet counts over every match, snippets
  bare   the same with no facets and no snippets
  whoosh plain Whoosh: the same analyzer and parser, a page of 10 with Whoosh highlights
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from _common import percentiles, queries_from_titles

from search.query.searcher import Searcher


def plain_whoosh(index_dir: Path):  # type: ignore[no-untyped-def]
    from whoosh import highlight, index, qparser

    ix = index.open_dir(str(index_dir))
    searcher = ix.searcher()
    parser = qparser.MultifieldParser(
        ["title", "body"], ix.schema, group=qparser.OrGroup
    )

    def run(text: str) -> int:
        results = searcher.search(parser.parse(text), limit=10)
        results.fragmenter = highlight.SentenceFragmenter()
        results.formatter = highlight.NullFormatter()
        for hit in results:
            hit.highlights("body", top=3)
        return len(results)

    return run


def main(dirs: list[str]) -> None:
    queries = queries_from_titles()
    for d in dirs:
        index_dir = Path(d)
        s = Searcher(index_dir)
        s.search("warm up")  # loads the facet table once, as a REPL session would
        whoosh_run = plain_whoosh(index_dir)
        times: dict[str, list[float]] = {"full": [], "bare": [], "whoosh": []}
        for q in queries:
            for name in ("full", "bare", "whoosh"):
                t = time.perf_counter()
                if name == "full":
                    s.search(q, limit=10, facet_limit=10, snippets=3)
                elif name == "bare":
                    s.search(q, limit=10, facet_limit=0, snippets=0, suggest=False)
                else:
                    whoosh_run(q)
                times[name].append((time.perf_counter() - t) * 1000)
        print(f"{index_dir}: {s.doc_count():,} documents, {len(queries)} queries")
        base = percentiles(times["whoosh"])
        for name, ms in times.items():
            p50, p95 = percentiles(ms)
            print(
                f"  {name:7s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms   ({p50 / base[0]:.2f}x / {p95 / base[1]:.2f}x plain Whoosh)"
            )
        cost = [f - b for f, b in zip(times["full"], times["bare"])]
        p50, p95 = percentiles(cost)
        print(
            f"  facets+snippets cost p50 {p50:.1f} ms  p95 {p95:.1f} ms  (plain Whoosh p95 {base[1]:.1f} ms)"
        )
        s.close()


if __name__ == "__main__":
    main(sys.argv[1:] or ["index"])
