"""Shared helpers for the benchmark scripts (figures are printed, never asserted)."""

from __future__ import annotations

import random
import re
import statistics
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
BBC = SHARED / "corpora" / "bbc"
NEWS = SHARED / "corpora" / "news-large"


def require(path: Path) -> Path:
    if not path.exists():
        raise SystemExit(
            f"{path} is not present: the benchmarks need ../shared beside the repository"
        )
    return path


def queries_from_titles(n: int = 200, seed: int = 7) -> list[str]:
    """n queries of 1-3 words drawn from BBC headlines, reproducible."""
    rng = random.Random(seed)
    titles = [
        p.read_text(encoding="utf-8").split("\n", 1)[0]
        for p in sorted(require(BBC).glob("*/*.txt"))
    ]
    words = [[w for w in re.findall(r"[A-Za-z]{4,}", t)] for t in titles]
    words = [w for w in words if w]
    out = []
    while len(out) < n:
        ws = rng.choice(words)
        k = min(len(ws), rng.choice((1, 2, 2, 3)))
        out.append(" ".join(rng.sample(ws, k)))
    return out


def percentiles(ms: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(ms, n=100, method="inclusive")
    return statistics.median(ms), qs[94]
