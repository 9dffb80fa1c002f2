"""Two-phase indexing: time until searchable, time until entities are complete, peak memory.

    python tests/benchmarks/bench_phases.py [--large|--only-large] [--processes 1,2]
        [--reps 2] [--searchable-only]

For each corpus (BBC; with --large also BBC + Reuters-21578 + 20 Newsgroups, 42.6k documents)
and each number of NER processes, in fresh processes into fresh folders:
  * `--no-entities` build: the baseline for "searchable";
  * NER alone: the same texts through the same worker pool (`ProcessRunner`, or this process
    for 1), nothing written: the baseline for "entities complete";
  * a full two-phase build: seconds until the text phase ended (every document searchable)
    and until the entity phase ended, and the peak RSS of the main process and of the
    largest worker.
Runs are interleaved (baseline, then ours) --reps times and the best of each is compared:
figures are ratios against baselines measured in the same run (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import BBC, NEWS, require

CHILD = r"""
import json, resource, sys, time
from dataclasses import replace
import search
from search.config import Settings
from search.ingest.corpus import Corpus
from search.ingest.pool import InlineRunner, ModelSpec, ProcessRunner
from search.index.fields import ner_text

mode, index, processes, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
paths = sys.argv[5:]
settings = Settings(nlp_processes=processes)
t0 = time.perf_counter()
out = {}
if mode == "ner":
    docs = list(Corpus([__import__("pathlib").Path(p) for p in paths]).documents())[:limit or None]
    # the texts the entity phase runs: one per distinct content (exact copies reuse it)
    texts = list({d.content_hash: ner_text(d.title, d.text) for d in docs}.values())
    t0 = time.perf_counter()   # NER alone: parsing the corpus is not part of it
    spec = ModelSpec(settings.model, settings.nlp_batch_size)
    runner = ProcessRunner(spec, processes) if processes > 1 else InlineRunner(spec.load())
    size = settings.nlp_batch_size
    batches = ((n, texts[i:i + size]) for n, i in enumerate(range(0, len(texts), size)))
    count = sum(len(found) for _, found in runner.map(batches))
    runner.close()
    out["documents"] = count
elif mode == "searchable":
    # the text phase only: build(wait=False) returns when everything is searchable
    from search.index.indexer import Indexer
    indexer = Indexer(index, settings)
    stats = indexer.run(paths, wait=False)
    out["searchable"] = time.perf_counter() - t0
    out["documents"] = stats.documents
    if indexer.enrichment is not None:
        indexer.enrichment.stop()
        indexer.enrichment.wait()
else:
    marks = {}
    def progress(event):  # searchable: the text phase's last batch is committed
        if event.phase == "text" and event.done == event.total:
            marks["searchable"] = time.perf_counter() - t0
    entities = mode == "full"
    stats = search.build(paths, index, settings=replace(settings, entities=entities),
                         progress=progress)
    out["documents"] = stats.documents
    out["searchable"] = marks.get("searchable", time.perf_counter() - t0)
    out["pending_after"] = stats.entities_pending
out["seconds"] = time.perf_counter() - t0
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["worker_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(out))
"""


def child(mode: str, index: Path, processes: int, limit: int, paths: list[str]) -> dict[str, float]:
    cmd = [sys.executable, "-c", CHILD, mode, str(index), str(processes), str(limit), *paths]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def text_only(name: str, r: dict[str, float]) -> None:
    print(f"{name:28s} {r['documents']:6.0f} docs {r['seconds']:7.1f} s"
          f"  peak {r['peak_mb']:5.0f} MB", flush=True)


def bench(
    name: str, paths: list[str], processes: list[int], limit: int, tmp: Path, reps: int,
    searchable_only: bool,
) -> None:
    """Runs interleaved (baseline, then ours) `reps` times; ratios of the best of each."""
    print(f"== {name}", flush=True)
    for n in processes:
        bases, ners, fulls = [], [], []
        for rep in range(reps):
            base = child("text", tmp / f"{name}-text-{n}-{rep}", 1, limit, paths)
            bases.append(base)
            text_only("--no-entities build", base)
            if searchable_only:
                full = child("searchable", tmp / f"{name}-s-{n}-{rep}", n, limit, paths)
                fulls.append(full)
                print(f"two-phase, text phase       {full['documents']:6.0f} docs "
                      f"{full['searchable']:7.1f} s", flush=True)
                continue
            ner = child("ner", tmp / "unused", n, limit, paths)
            ners.append(ner)
            print(f"NER alone, {n} process(es)   {ner['documents']:6.0f} docs "
                  f"{ner['seconds']:7.1f} s  ({ner['documents'] / ner['seconds']:.1f} docs/s)  "
                  f"peak {ner['peak_mb']:5.0f} MB, worker {ner['worker_peak_mb']:5.0f} MB",
                  flush=True)
            full = child("full", tmp / f"{name}-full-{n}-{rep}", n, limit, paths)
            fulls.append(full)
            print(f"two-phase, {n} process(es)   searchable {full['searchable']:6.1f} s, "
                  f"entities complete {full['seconds']:6.1f} s, peak {full['peak_mb']:5.0f} MB, "
                  f"worker {full['worker_peak_mb']:5.0f} MB", flush=True)
        base_s = min(b["seconds"] for b in bases)
        searchable = min(f["searchable"] for f in fulls)
        print(f"-> {n} process(es): searchable after {searchable:.1f} s = "
              f"{searchable / base_s:.2f}x --no-entities ({base_s:.1f} s)", flush=True)
        if ners:
            ner_s = min(r["seconds"] for r in ners)
            done = min(f["seconds"] for f in fulls)
            print(f"-> {n} process(es): entities complete after {done:.1f} s = "
                  f"{done / ner_s:.2f}x NER alone ({ner_s:.1f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="also BBC + Reuters + 20NG")
    parser.add_argument("--only-large", action="store_true")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--limit", type=int, default=0, help="first N documents only (NER alone)")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--searchable-only", action="store_true",
                        help="the text phase only (the large corpus takes hours of NER here)")
    args = parser.parse_args()
    processes = [int(p) for p in args.processes.split(",")]
    bbc = [str(require(BBC))]
    large = [*bbc, str(require(NEWS / "reuters21578.jsonl")),
             str(require(NEWS / "20newsgroups_bydate.jsonl"))]
    with tempfile.TemporaryDirectory() as tmp:
        if not args.only_large:
            bench("bbc", bbc, processes, args.limit, Path(tmp), args.reps,
                  args.searchable_only)
        if args.large or args.only_large:
            bench("bbc+reuters+20ng", large, processes, args.limit, Path(tmp), args.reps,
                  args.searchable_only)


if __name__ == "__main__":
    main()
