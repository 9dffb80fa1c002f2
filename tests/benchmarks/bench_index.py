"""Indexing throughput on the 2,225 BBC articles: with and without NER, and a re-run.

    python tests/benchmarks/bench_index.py [--skip-ner]

Each variant runs in a fresh process (so peak memory is its own) into a fresh folder.
The re-run indexes the unchanged corpus again: it must do no NLP and take about a second.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import BBC, require

CHILD = """
import json, resource, sys, time
import search
from search.config import Settings
t = time.perf_counter()
stats = search.build([sys.argv[1]], sys.argv[2], settings=Settings(entities=sys.argv[3] == "1", nlp_processes=int(sys.argv[4])))
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"indexed": stats.indexed, "unchanged": stats.unchanged, "seconds": elapsed, "peak_mb": peak, "loaded_spacy": "spacy" in sys.modules}))
"""


def run(
    corpus: Path, index: Path, entities: bool, processes: int = 1
) -> dict[str, float]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(corpus),
            str(index),
            "1" if entities else "0",
            str(processes),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def report(name: str, r: dict[str, float]) -> None:
    docs = r["indexed"] or r["unchanged"]
    rate = r["indexed"] / r["seconds"] if r["indexed"] else 0.0
    print(
        f"{name:28s} {docs:6.0f} docs {r['seconds']:7.1f} s {rate:7.1f} docs/s  peak {r['peak_mb']:6.0f} MB  spaCy loaded: {r['loaded_spacy']}"
    )


def main() -> None:
    corpus = require(BBC)
    variants = [("without NER", False, 1)]
    if "--skip-ner" not in sys.argv:
        variants += [("with NER", True, 1), ("with NER, 2 processes", True, 2)]
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name, entities, procs in variants:
            index = Path(tmp) / name.replace(" ", "_").replace(",", "")
            results[name] = run(corpus, index, entities, procs)
            report(name, results[name])
            again = run(corpus, index, entities, procs)
            report("  re-run, unchanged", again)
        base = results["without NER"]["seconds"]
        for name, r in results.items():
            print(f"{name}: {r['seconds'] / base:.1f}x the time without NER")


if __name__ == "__main__":
    main()
