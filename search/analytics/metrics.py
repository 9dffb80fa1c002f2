"""Metrics: one ranked list of document ids and its relevance judgements in, a number out.

Pure functions, as trec_eval computes them (https://github.com/usnistgov/trec_eval, measures
`ndcg_cut`, `recall`, `map`, `recip_rank`). Judgements map a document id to its graded
relevance; a grade of at least `RELEVANT` counts as relevant (trec_eval's `relevance_level`).
Unjudged documents are not relevant. The ranking is taken in the order given: trec_eval would
re-sort equal scores by document id, which only matters for exact ties.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

Judgements = Mapping[str, int]
"""Document id → graded relevance (0: judged not relevant)."""

RELEVANT = 1
"""The smallest grade that counts as relevant."""


def _relevant(qrels: Judgements) -> set[str]:
    return {doc for doc, grade in qrels.items() if grade >= RELEVANT}


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain, gain / log2(rank + 1) (Järvelin & Kekäläinen, 2002)."""
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, 1))


def ndcg(ranking: Sequence[str], qrels: Judgements, k: int = 10) -> float:
    """nDCG@k with linear graded gains (gain = grade), as trec_eval's ndcg_cut and BEIR.

    The ideal ranking orders every judged document by grade; 0 when nothing is relevant.
    """
    ideal = dcg(sorted((g for g in qrels.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    gains = [max(qrels.get(doc, 0), 0) for doc in ranking[:k]]
    return dcg(gains) / ideal


def recall(ranking: Sequence[str], qrels: Judgements, k: int = 100) -> float:
    """Recall@k: the share of relevant documents found in the first k."""
    relevant = _relevant(qrels)
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def average_precision(ranking: Sequence[str], qrels: Judgements) -> float:
    """Average precision: precision at each relevant document's rank, summed over every
    relevant document (those never retrieved add 0), divided by their number; MAP is its mean.
    """
    relevant = _relevant(qrels)
    if not relevant:
        return 0.0
    found = 0
    total = 0.0
    for rank, doc in enumerate(ranking, 1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def reciprocal_rank(ranking: Sequence[str], qrels: Judgements, k: int = 10) -> float:
    """1 / the rank of the first relevant document within the first k, else 0 (MRR@k's term)."""
    relevant = _relevant(qrels)
    for rank, doc in enumerate(ranking[:k], 1):
        if doc in relevant:
            return 1.0 / rank
    return 0.0


def _ndcg10(ranking: Sequence[str], qrels: Judgements) -> float:
    return ndcg(ranking, qrels, 10)


def _recall100(ranking: Sequence[str], qrels: Judgements) -> float:
    return recall(ranking, qrels, 100)


def _rr10(ranking: Sequence[str], qrels: Judgements) -> float:
    return reciprocal_rank(ranking, qrels, 10)


Measure = Callable[[Sequence[str], Judgements], float]

MEASURES: dict[str, Measure] = {
    "nDCG@10": _ndcg10,
    "Recall@100": _recall100,
    "MAP": average_precision,
    "MRR@10": _rr10,
}
"""The measures `search eval` reports, by the name it prints."""


def score_run(
    runs: Mapping[str, Sequence[str]], qrels: Mapping[str, Judgements]
) -> dict[str, dict[str, float]]:
    """Every measure for every judged query (a query missing from runs scores 0)."""
    return {
        qid: {name: fn(runs.get(qid, ()), judged) for name, fn in MEASURES.items()}
        for qid, judged in qrels.items()
    }


def mean(per_query: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Each measure averaged over the queries."""
    if not per_query:
        return {name: 0.0 for name in MEASURES}
    n = len(per_query)
    return {
        name: sum(scores[name] for scores in per_query.values()) / n
        for name in MEASURES
    }
