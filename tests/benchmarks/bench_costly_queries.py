"""Costly queries: how long each takes against the time limit, beside a one-word query.

    python tests/benchmarks/bench_costly_queries.py [--docs N] [--repeat R] [--limit SECONDS]

Builds the made-up corpus of tests/query/test_robustness_queries.py (N documents over 6,000
words, in segments of 500), then runs each of its costly queries (`*`, `b*`, `*a*`, 1,000
ORs, a 2,000-word phrase, ...) R times, interleaved with a one-word baseline query so that
machine noise hits both alike. Prints per query the outcome (complete, partial: cut by the
time limit, refused: with a hint before running), the median seconds, that time as a
multiple of the limit (what a user waits for, the limit included: partial answers end at it
plus page building) and as a ratio to the baseline. The test checks the outcomes; the
figures are only printed here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "query")]

from test_robustness_queries import costly_queries, write_wide_corpus

from search.config import Settings
from search.errors import QueryError
from search.index.indexer import build
from search.query.searcher import Searcher


def timed(s: Searcher, query: str) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        outcome = "partial" if s.search(query).partial else "complete"
    except QueryError:
        outcome = "refused"
    return time.perf_counter() - started, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=Settings.from_env().time_limit,
                        help="the search time limit (default SEARCH_TIME_LIMIT or 2 s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-costly-") as folder:
        base = Path(folder)
        vocab = write_wide_corpus(base / "docs.jsonl", args.docs)
        build([base / "docs.jsonl"], base / "index",
              settings=Settings(entities=False, batch_size=500))
        queries = costly_queries(vocab)
        with Searcher(base / "index", Settings(time_limit=args.limit)) as s:
            s.search("warm up the facet table")
            baseline: list[float] = []
            took: dict[str, list[float]] = {name: [] for name in queries}
            outcomes: dict[str, set[str]] = {name: set() for name in queries}
            for _ in range(args.repeat):
                for name, query in queries.items():
                    baseline.append(timed(s, vocab[len(baseline) % len(vocab)])[0])
                    seconds, outcome = timed(s, query)
                    took[name].append(seconds)
                    outcomes[name].add(outcome)
        base_s = statistics.median(baseline)
        print(f"{args.docs:,} documents, time limit {args.limit:g} s, {args.repeat} runs each; "
              f"one-word baseline median {base_s * 1000:.1f} ms")
        for name in queries:
            median = statistics.median(took[name])
            print(f"  {name:20s} {'/'.join(sorted(outcomes[name])):9s} "
                  f"{median:7.3f} s  {median / args.limit:5.2f}x limit  "
                  f"{median / base_s:8.1f}x baseline")


if __name__ == "__main__":
    main()
