"""Entity facet quality on CoNLL-2003 dev: index its documents, score the facets with entity_eval.

    python tests/benchmarks/bench_entities.py [INDEX_DIR] [--reuse] [--top N CORPUS_INDEX]

Builds an index of ../shared/corpora/conll2003/dev/docs.jsonl with the real spaCy model (fresh
unless --reuse), writes each document's facet values as `search show` gives them, and prints
../shared/tools/entity_eval.py's per-type precision, recall and F1. CoNLL is a measuring stick
only: nothing in the project is trained or tuned on its labels by this script.
With --top N INDEX it instead prints the N most frequent values of each facet of an existing
index, for judging by hand (the issue's "top 100" check on BBC and Reuters-21578).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import SHARED, require

import search
from search.config import Settings

DEV = SHARED / "corpora" / "conll2003" / "dev"
EVAL = SHARED / "tools" / "entity_eval.py"


def predictions(docs: Path, index: Path, out: Path) -> int:
    """Write {"id", "person", "place", "org"} per document; returns how many ids were missing."""
    ids = [json.loads(line)["id"] for line in docs.read_text(encoding="utf-8").splitlines() if line.strip()]
    missing = 0
    with search.open(index) as s, out.open("w", encoding="utf-8") as fh:
        for rid in ids:
            try:
                ents = s.document(f"{docs.name}#{rid}").entities
            except search.QueryError:
                missing += 1
                ents = {}
            row = {"id": rid, **{t: list(ents.get(t, ())) for t in ("person", "place", "org")}}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return missing


def top(index: Path, n: int) -> None:
    with search.open(index) as s:
        for facet, counts in s.facet_counts(limit=n).items():
            print(f"== {facet}")
            for rank, count in enumerate(counts, 1):
                print(f"{rank:4}  {count.count:6}  {count.value}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--top" in sys.argv:
        top(Path(args[1]), int(args[0]))
        return
    docs = require(DEV / "docs.jsonl")
    index = Path(args[0]) if args else Path(tempfile.mkdtemp()) / "conll-dev"
    if "--reuse" not in sys.argv:
        started = time.perf_counter()
        stats = search.build([docs], index, rebuild=True, settings=Settings.from_env())
        print(f"indexed {stats.indexed} documents in {time.perf_counter() - started:.1f} s")
    out = index.parent / "conll-dev-pred.jsonl"
    missing = predictions(docs, index, out)
    print(f"predictions: {out} ({missing} ids missing)")
    done = subprocess.run(
        [sys.executable, str(require(EVAL)), str(DEV / "gold.jsonl"), str(out)],
        capture_output=True, text=True, check=True,
    )
    print(done.stdout.strip())


if __name__ == "__main__":
    main()
