"""Sweep ranking parameters on the IR test collections (figures are printed, never asserted).

One index per (collection, analyzer variant), built once without entities and kept under
`$TMPDIR/search-tune/`; every query-time setting (BM25 k1 and b, idf, title boost, OR-group
bonus, proximity, RM3) is then tried against it without re-indexing. Queries go through the
project's own `QueryParser.parse(text, plain=True)`, as `search eval` does, and are scored with
`search.analytics.metrics`. Usage:

    python -m tests.benchmarks.tune_ranking [--variants porter2,porter] [--grid NAME]
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring
from whoosh.lang.porter import stem as porter_stem
from whoosh.lang.porter2 import stem as porter2_stem
from whoosh.lang.stopwords import stoplists

from search.analytics import metrics
from search.analytics.evaluation import Collection, load_collection, raw_id
from search.config import Settings
from search.index import analysis
from search.index.indexer import build
from search.query import parsing as querying
from search.query import ranking

from ._common import SHARED, require

IR = SHARED / "corpora" / "ir"
COLLECTIONS = ("time", "cranfield")
CACHE = Path(tempfile.gettempdir()) / "search-tune"


def _spacy_stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


NLTK = frozenset(stoplists["en"])
ANALYZERS: dict[str, dict[str, Any]] = {
    "porter2": {"stem": porter2_stem, "stop": lambda: NLTK},
    "porter": {"stem": porter_stem, "stop": lambda: NLTK},
    "porter2-spacystop": {"stem": porter2_stem, "stop": _spacy_stopwords},
    "porter2-nostop": {"stem": porter2_stem, "stop": frozenset},
}
"""Analyzer variants: the stemmer and stopword list `analysis.index_term` uses."""


@contextmanager
def analyzer(name: str) -> Iterator[None]:
    """Make `search.index.analysis` tokenise as variant `name` (module globals, read at call time)."""
    spec = ANALYZERS[name]
    saved = analysis.porter2_stem, analysis.STOPWORDS
    analysis.porter2_stem, analysis.STOPWORDS = spec["stem"], spec["stop"]()
    analysis.index_term.cache_clear()
    try:
        yield
    finally:
        analysis.porter2_stem, analysis.STOPWORDS = saved
        analysis.index_term.cache_clear()


@dataclass(frozen=True)
class Trial:
    """One query-time setting."""

    k1: float = ranking.K1
    b: float = ranking.B
    idf: str = "rsj"  # rsj (Lucene) or whoosh
    title_boost: float = 2.0
    bonus: float | None = None
    dismax: float | None = None  # tie-breaker: fields combined by max instead of sum
    proximity: float = 0.0  # boost of adjacent word pairs as sloppy phrases in body
    slop: int = 3
    prf: bool = False
    qtf: bool = False  # a word said twice in the query counts twice
    bm25f: bool = True  # each word scored once over both fields (ranking.fielded)
    title_b: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def label(self) -> str:
        parts = [
            f"k1={self.k1}",
            f"b={self.b}",
            f"idf={self.idf}",
            f"title={self.title_boost}",
        ]
        parts.append(f"bonus={self.bonus}")
        if self.dismax is not None:
            parts.append(f"dismax={self.dismax}")
        if self.proximity:
            parts.append(f"prox={self.proximity}/slop{self.slop}")
        if not self.bm25f:
            parts.append("per-field")
        if self.title_b is not None:
            parts.append(f"title_b={self.title_b}")
        if self.qtf:
            parts.append("qtf")
        if self.prf:
            parts.append("prf" + "".join(f" {k}={v}" for k, v in self.extra.items()))
        return " ".join(parts)


class WhooshIdfBM25(scoring.BM25F):  # type: ignore[misc]
    """BM25F with Whoosh's own idf."""


def index_for(collection: Collection, variant: str) -> Path:
    """The collection's index for an analyzer variant, built when missing (no entities)."""
    target = CACHE / f"{collection.name}-{variant}"
    settings = Settings(entities=False, index_dir=target)
    build([collection.corpus], target, settings=settings)
    return target


def _parser(schema: Any, trial: Trial) -> querying.QueryParser:
    saved = querying.TITLE_BOOST, querying.PLAIN_GROUP_BONUS
    querying.TITLE_BOOST, querying.PLAIN_GROUP_BONUS = trial.title_boost, trial.bonus
    try:
        return querying.QueryParser(schema, ())
    finally:
        querying.TITLE_BOOST, querying.PLAIN_GROUP_BONUS = saved


def _dismax(q: Any, tiebreak: float) -> Any:
    """Each word's fields are combined by DisjunctionMax (best field + tiebreak x the rest)."""
    if not isinstance(q, wq.Or) or not all(
        isinstance(s, wq.Term) for s in q.subqueries
    ):
        return q
    words: dict[str, list[Any]] = {}
    for term in q.subqueries:
        words.setdefault(term.text, []).append(term)
    return wq.Or(
        [wq.DisjunctionMax(ts, tiebreak=tiebreak) for ts in words.values()],
        scale=q.scale,
    )


def _proximity(q: Any, text: str, boost: float, slop: int) -> Any:
    words = [
        t for _, _, w in analysis.iter_words(text) if (t := analysis.index_term(w))
    ]
    pairs = [
        wq.Phrase("body", [a, b], slop=slop, boost=boost)
        for a, b in itertools.pairwise(words)
    ]
    return wq.Or([q, *pairs]) if pairs else q


def _with_qtf(q: Any, text: str) -> Any:
    """Each fielded word boosted by how often the query says it."""
    counts = collections.Counter(
        t for _, _, w in analysis.iter_words(text) if (t := analysis.index_term(w))
    )
    if not isinstance(q, wq.Or):
        return q
    subs = [
        s.with_boost(s.boost * counts.get(s.subqueries[0].text, 1))
        if isinstance(s, ranking.FieldsTerm)
        else s
        for s in q.subqueries
    ]
    return wq.Or(subs, boost=q.boost, minmatch=q.minmatch, scale=q.scale)


def run_trial(ix: Any, collection: Collection, trial: Trial) -> dict[str, float]:
    # ranking reads the title weight too (to tell it from a user's word^boost)
    saved = ranking.TITLE_BOOST
    ranking.TITLE_BOOST = trial.title_boost
    try:
        return _run_trial(ix, collection, trial)
    finally:
        ranking.TITLE_BOOST = saved


def _run_trial(ix: Any, collection: Collection, trial: Trial) -> dict[str, float]:
    cls = ranking.BM25 if trial.idf == "rsj" else WhooshIdfBM25
    parser = _parser(ix.schema, trial)
    rankings: dict[str, list[str]] = {}
    extra_b = {} if trial.title_b is None else {"title_B": trial.title_b}
    with ix.searcher(weighting=cls(B=trial.b, K1=trial.k1, **extra_b)) as s:
        for qid, text in collection.queries.items():
            if qid not in collection.qrels:
                continue
            q = parser.parse(text, plain=True)
            if trial.dismax is not None:
                q = _dismax(q, trial.dismax)
            if trial.proximity:
                q = _proximity(
                    q, querying.plain_text(text), trial.proximity, trial.slop
                )
            if trial.bm25f:
                q = ranking.fielded(q)
            if trial.qtf:
                q = _with_qtf(q, querying.plain_text(text))
            if trial.prf:
                q = ranking.expansion_query(s, q, **trial.extra)
                q = ranking.fielded(q) if trial.bm25f else q
            hits = s.search(q, limit=1000, terms=False)
            rankings[qid] = [raw_id(h["id"]) for h in hits]
    judged = {q: collection.qrels[q] for q in rankings}
    return metrics.mean(metrics.score_run(rankings, judged))


def _per_field(**changes: Any) -> Trial:
    """A trial of the first stage: BM25 per field, summed (before `ranking.fielded`)."""
    values: dict[str, Any] = {"b": 0.75, "title_boost": 0.5, "bm25f": False}
    values.update(changes)
    return Trial(**values)


GRIDS: dict[str, Callable[[], list[Trial]]] = {
    # the defaults before this tuning (BM25 per field, summed) and the ones after
    "default": lambda: [_per_field(idf="whoosh", bonus=0.9, title_boost=2.0), Trial()],
    # stage 1, BM25 per field summed: idf and group bonus, title weight, k1 and b, bonus again
    "idf": lambda: [
        _per_field(idf=i, bonus=g, title_boost=2.0)
        for i in ("whoosh", "rsj")
        for g in (None, 0.9)
    ],
    "title": lambda: [
        _per_field(title_boost=t, idf=i)
        for i in ("rsj", "whoosh")
        for t in (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
    ],
    "dismax": lambda: [
        _per_field(title_boost=t, dismax=d) for t in (1.0, 2.0) for d in (0.0, 0.3, 0.7)
    ],
    "bm25": lambda: [
        _per_field(k1=k1, b=b)
        for k1 in (0.9, 1.2, 1.5, 2.0)
        for b in (0.4, 0.6, 0.75, 0.9)
    ],
    "bonus": lambda: [
        _per_field(b=b, bonus=g) for b in (0.6, 0.75) for g in (None, 0.5, 0.9)
    ],
    "analyzers": lambda: [_per_field(), _per_field(idf="whoosh")],
    # stage 2, BM25F (each word once over both fields): field weight, k1, b, title b
    "bm25f": lambda: [
        Trial(title_boost=t, b=b, k1=k1)
        for t in (1.0, 2.0, 4.0, 6.0, 9.0)
        for k1 in (1.2, 1.5)
        for b in (0.6, 0.75)
    ],
    "bm25f-k1": lambda: [
        Trial(title_boost=t, b=b, k1=k1, title_b=tb)
        for t in (2.0, 4.0)
        for k1 in (0.9, 1.5, 2.0)
        for b in (0.6, 0.75)
        for tb in (None, 0.3)
    ],
    "qtf": lambda: [Trial(), Trial(qtf=True), Trial(qtf=True, k1=1.5)],
    "proximity": lambda: [
        Trial(proximity=p, slop=s) for p in (0.1, 0.25, 0.5) for s in (1, 4)
    ],
    "prf": lambda: [
        Trial(),
        *(
            Trial(prf=True, extra={"docs": d, "terms": t, "original": o})
            for d in (5, 10)
            for t in (10, 20)
            for o in (0.5, 0.7)
        ),
    ],
}
"""Each grid a list of trials; `Trial()` is the default ranking."""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument(
        "--variants", default="porter2", help="analyzer variants, comma-separated"
    )
    ap.add_argument("--grid", default="default", choices=sorted(GRIDS))
    ap.add_argument("--json", metavar="FILE", help="append results as JSON lines")
    args = ap.parse_args()
    collections = {name: load_collection(require(IR / name)) for name in COLLECTIONS}
    out = open(args.json, "a", encoding="utf-8") if args.json else None  # noqa: SIM115
    for variant in args.variants.split(","):
        with analyzer(variant):
            indexes = {}
            for name, coll in collections.items():
                started = time.perf_counter()
                indexes[name] = whoosh_index.open_dir(str(index_for(coll, variant)))
                print(
                    f"# {name}/{variant}: index ready in {time.perf_counter() - started:.1f}s"
                )
            for trial in GRIDS[args.grid]():
                row = []
                for name, coll in collections.items():
                    started = time.perf_counter()
                    figures = run_trial(indexes[name], coll, trial)
                    elapsed = time.perf_counter() - started
                    row.append(figures["nDCG@10"])
                    if out:
                        record = {
                            "variant": variant,
                            "trial": trial.label(),
                            "collection": name,
                            "seconds": round(elapsed, 2),
                            **figures,
                        }
                        out.write(json.dumps(record) + "\n")
                        out.flush()
                    cells = " ".join(f"{k}={v:.4f}" for k, v in figures.items())
                    print(
                        f"{variant:18} {name:9} {trial.label():60} {cells} ({elapsed:.1f}s)"
                    )
                print(
                    f"{'':18} {'both':9} {trial.label():60} min nDCG@10={min(row):.4f}"
                    f" mean={sum(row) / len(row):.4f}",
                    flush=True,
                )
    if out:
        out.close()


if __name__ == "__main__":
    main()
