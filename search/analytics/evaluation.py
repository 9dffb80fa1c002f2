"""Evaluation: a test collection in BEIR layout in, ranking-quality figures and a run out.

A *collection* is a folder holding `corpus.jsonl` (records with `_id`, `title`, `text`),
`queries.jsonl` (`_id`, `text`) and `qrels.tsv` (a header, then `query-id`, `corpus-id`,
`score`). `evaluate` indexes the corpus into an index of its own (kept and updated
incrementally between runs), runs every judged query exactly as a user's plain-text query is
run (`Searcher.search(text, plain=True)`), and scores the rankings with `search.analytics.metrics`. The
*run* (ranked document ids per query) can be written as a TREC run file for trec_eval.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from search.analytics import metrics
from search.config import Settings
from search.errors import CorpusError, IndexVersionError
from search.index.indexer import build
from search.index.meta import META_FILE, index_exists, read_meta
from search.index.progress import Progress
from search.ingest.entities import EntityExtractor
from search.query.searcher import Searcher
from search.results import IndexStats

CORPUS, QUERIES, QRELS = "corpus.jsonl", "queries.jsonl", "qrels.tsv"
INDEX_FOLDER = ".search-index"
DEPTH = 1000
"""Documents retrieved per query, as in TREC runs (MAP is measured over them)."""

Run = dict[str, list[tuple[str, float]]]
"""Query id → (document id, score) from best to worst."""


@dataclass(frozen=True, slots=True)
class Collection:
    """A test collection: where its corpus is, its queries and their judgements."""

    root: Path
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]

    @property
    def corpus(self) -> Path:
        return self.root / CORPUS

    @property
    def name(self) -> str:
        return self.root.resolve().name


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The figures of one evaluation: means over the judged queries, and per query."""

    collection: str
    queries: int
    means: dict[str, float]
    per_query: dict[str, dict[str, float]]
    index_dir: str
    indexing: IndexStats
    elapsed: float
    options: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "queries": self.queries,
            "metrics": self.means,
            "per_query": self.per_query,
            "index": self.index_dir,
            "indexing": self.indexing.to_dict(),
            "elapsed": self.elapsed,
            "options": self.options,
        }


def load_collection(folder: Path | str) -> Collection:
    """Read a collection's queries and judgements (raises CorpusError with a hint)."""
    root = Path(folder).resolve()
    missing = [n for n in (CORPUS, QUERIES, QRELS) if not (root / n).is_file()]
    if missing:
        raise CorpusError(
            f"{root}/ is not a test collection: no {', '.join(missing)}",
            hint=f"a collection in BEIR layout holds {CORPUS}, {QUERIES} and {QRELS}",
        )
    return Collection(root, _read_queries(root / QUERIES), _read_qrels(root / QRELS))


def _read_queries(path: Path) -> dict[str, str]:
    queries: dict[str, str] = {}
    for n, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            qid, text = str(record.get("_id", record.get("id"))), str(record["text"])
        except (ValueError, KeyError, AttributeError) as exc:
            raise CorpusError(
                f"{path}:{n}: not a query record ({exc})",
                hint='each line must be a JSON object with "_id" and "text"',
            ) from exc
        queries[qid] = text
    return queries


def _read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for n, line in enumerate(_lines(path), 1):
        fields = line.split()
        if not fields or (n == 1 and fields[0] == "query-id"):
            continue
        try:
            qid, doc, grade = fields
            qrels.setdefault(qid, {})[doc] = int(grade)
        except ValueError as exc:
            raise CorpusError(
                f"{path}:{n}: expected query-id, corpus-id and an integer score: {line!r}",
                hint="qrels.tsv has a header line, then one tab-separated judgement a line",
            ) from exc
    return qrels


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(
            f"{path}: cannot read ({exc})", hint="check the file's permissions"
        ) from exc


def default_index_dir(collection: Collection) -> Path:
    """`.search-index` inside the collection if writable, else one in the user cache dir."""
    if _writable(collection.root):
        return collection.root / INDEX_FOLDER
    from platformdirs import user_cache_dir

    where = str(collection.root.resolve()).encode("utf-8")
    tag = hashlib.sha1(where, usedforsecurity=False).hexdigest()[:10]
    return Path(user_cache_dir("search")) / "eval" / f"{collection.name}-{tag}"


def _writable(folder: Path) -> bool:
    """Whether we may write in folder; a folder without write bits is read-only even for root
    (for whom `os.access` always says yes): shared collections are laid out that way."""
    try:
        bits = folder.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    except OSError:
        return False
    return bool(bits) and os.access(folder, os.W_OK)


def index_collection(
    collection: Collection,
    index_dir: Path,
    settings: Settings,
    extractor: EntityExtractor | None = None,
    progress: Progress | None = None,
) -> IndexStats:
    """Bring the collection's own index up to date; rebuilt if made with other settings.

    A folder holding an index of anything else is refused rather than rebuilt.
    """
    rebuild = False
    if index_exists(index_dir):
        roots = _recorded_roots(index_dir)
        if roots != [str(collection.corpus)]:
            raise IndexVersionError(
                f"{index_dir}/ holds an index of {', '.join(roots) or 'other documents'}, "
                f"not of {collection.corpus}",
                hint="give `search eval` a folder of its own with --index",
            )
        try:
            rebuild = read_meta(index_dir).entities != settings.entities
        except IndexVersionError:
            rebuild = True

    def run(rebuild: bool) -> IndexStats:
        return build(
            [collection.corpus],
            index_dir,
            rebuild=rebuild,
            settings=settings,
            extractor=extractor,
            progress=progress,
        )

    try:
        return run(rebuild)
    except IndexVersionError:  # e.g. built with another spaCy model: this index is ours
        if rebuild:
            raise
        return run(True)


def _recorded_roots(index_dir: Path) -> list[str]:
    """The corpus paths an index records, read leniently (any schema version)."""
    try:
        roots = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))["roots"]
        return [str(r) for r in roots]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def raw_id(doc_id: str) -> str:
    """The collection's own id of an indexed document: `corpus.jsonl#42` → `42`."""
    return doc_id.removeprefix(f"{CORPUS}#")


def run_queries(
    searcher: Searcher,
    queries: Mapping[str, str],
    depth: int = DEPTH,
    expand: bool = False,
) -> Run:
    """Each query's ranking, run as users' queries are: plain text, the default ranking."""
    run: Run = {}
    for qid, text in queries.items():
        results = searcher.search(
            text,
            plain=True,
            limit=depth,
            facet_limit=0,
            snippets=0,
            suggest=False,
            expand=expand,
        )
        run[qid] = [(raw_id(hit.id), hit.score) for hit in results.hits]
    return run


def score(
    run: Run, qrels: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, float]]:
    """Every measure for every judged query."""
    rankings = {qid: [doc for doc, _ in ranked] for qid, ranked in run.items()}
    return metrics.score_run(rankings, qrels)


def evaluate(
    folder: Path | str,
    *,
    index_dir: Path | str | None = None,
    settings: Settings | None = None,
    extractor: EntityExtractor | None = None,
    depth: int = DEPTH,
    expand: bool = False,
    progress: Progress | None = None,
) -> tuple[Evaluation, Run]:
    """Index a collection, run its judged queries and score them."""
    started = time.perf_counter()
    collection = load_collection(folder)
    settings = settings or Settings()
    target = Path(index_dir) if index_dir is not None else default_index_dir(collection)
    settings = replace(settings, index_dir=target)
    stats = index_collection(collection, target, settings, extractor, progress)
    judged = {q: t for q, t in collection.queries.items() if q in collection.qrels}
    with Searcher(target, settings) as searcher:
        run = run_queries(searcher, judged, depth, expand)
    per_query = score(run, {q: collection.qrels[q] for q in judged})
    evaluation = Evaluation(
        collection=collection.name,
        queries=len(per_query),
        means=metrics.mean(per_query),
        per_query=per_query,
        index_dir=str(target),
        indexing=stats,
        elapsed=time.perf_counter() - started,
        options={"depth": depth, "expand": expand, "entities": settings.entities},
    )
    return evaluation, run


def write_run(out: TextIO, run: Run, tag: str = "search") -> None:
    """Write a TREC run: `qid Q0 docid rank score tag`, one line per retrieved document."""
    for qid, ranked in run.items():
        out.writelines(
            f"{qid} Q0 {doc} {rank} {value:.6f} {tag}\n"
            for rank, (doc, value) in enumerate(ranked, 1)
        )
