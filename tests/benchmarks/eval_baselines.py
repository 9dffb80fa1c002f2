"""Ranking-quality baselines on the IR test collections, beside this engine (printed, not asserted).

For each collection in ../shared/corpora/ir: "plain Whoosh defaults" (StemmingAnalyzer on title
and text, BM25F with its default B=0.75 and K1=1.2, a plain OR over both fields), SQLite FTS5
with its porter tokenizer and bm25(), and this engine as `search eval` runs it (default ranking,
no entities). Every system gets the same query words: `querying.plain_text` removes query
syntax first, so that a question's AND, quotes or colons are words, not operators.

    python -m tests.benchmarks.eval_baselines [--prf]
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import fields, qparser
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer

from search.analytics import metrics
from search.analytics.evaluation import Collection, evaluate, load_collection
from search.config import Settings
from search.query.parsing import plain_text

from ._common import SHARED, require

IR = SHARED / "corpora" / "ir"
COLLECTIONS = ("time", "cranfield")
DEPTH = 1000


def _records(collection: Collection) -> list[dict[str, str]]:
    import json

    lines = collection.corpus.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def whoosh_defaults(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    """Whoosh out of the box: StemmingAnalyzer, BM25F(), an OR over title and text."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer()),
        text=fields.TEXT(analyzer=StemmingAnalyzer()),
    )
    ix = whoosh_index.create_in(str(workdir), schema)
    with ix.writer(limitmb=256) as writer:
        for rec in _records(collection):
            writer.add_document(
                id=rec["_id"], title=rec.get("title", ""), text=rec["text"]
            )
    parser = qparser.MultifieldParser(
        ["title", "text"], ix.schema, group=qparser.OrGroup
    )
    run: dict[str, list[str]] = {}
    with ix.searcher() as searcher:
        for qid, text in _judged(collection).items():
            hits = searcher.search(parser.parse(plain_text(text)), limit=DEPTH)
            run[qid] = [hit["id"] for hit in hits]
    return run


def sqlite_fts5(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    """SQLite FTS5, tokenize='porter', ranked by its bm25() (k1=1.2, b=0.75), words ORed."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, tokenize='porter')"
    )
    db.executemany(
        "INSERT INTO docs VALUES (?, ?, ?)",
        [(r["_id"], r.get("title", ""), r["text"]) for r in _records(collection)],
    )
    run: dict[str, list[str]] = {}
    for qid, text in _judged(collection).items():
        words = re.findall(r"\w+", plain_text(text).lower())
        match = " OR ".join(f'"{w}"' for w in words)
        rows = db.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (match, DEPTH),
        ).fetchall()
        run[qid] = [row[0] for row in rows]
    return run


def _judged(collection: Collection) -> dict[str, str]:
    return {q: t for q, t in collection.queries.items() if q in collection.qrels}


def _this_engine(prf: bool) -> Callable[[Collection, Path], dict[str, list[str]]]:
    def run(collection: Collection, workdir: Path) -> dict[str, list[str]]:
        _, ranked = evaluate(
            collection.root,
            index_dir=workdir,
            settings=Settings(entities=False),
            expand=prf,
        )
        return {qid: [doc for doc, _ in hits] for qid, hits in ranked.items()}

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument(
        "--prf", action="store_true", help="also this engine with RM3 feedback"
    )
    args = ap.parse_args()
    systems: dict[str, Callable[[Collection, Path], dict[str, list[str]]]] = {
        "plain Whoosh defaults": whoosh_defaults,
        "SQLite FTS5 (porter)": sqlite_fts5,
        "search (default ranking)": _this_engine(False),
    }
    if args.prf:
        systems["search --prf"] = _this_engine(True)
    names = list(metrics.MEASURES)
    print(
        f"{'collection':10} {'system':26} "
        + " ".join(f"{n:>10}" for n in names)
        + "   seconds"
    )
    for name in COLLECTIONS:
        collection = load_collection(require(IR / name))
        for system, fn in systems.items():
            with tempfile.TemporaryDirectory() as tmp:
                started = time.perf_counter()
                run = fn(collection, Path(tmp))
                elapsed = time.perf_counter() - started
            means = metrics.mean(metrics.score_run(run, collection.qrels))
            cells = " ".join(f"{means[n]:>10.4f}" for n in names)
            print(f"{name:10} {system:26} {cells} {elapsed:9.1f}", flush=True)


if __name__ == "__main__":
    main()
