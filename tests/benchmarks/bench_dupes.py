"""Duplicate detection: precision and recall of the collapse on a labelled set, a threshold
sweep, and the costs at index and query time.

    python tests/benchmarks/bench_dupes.py labelled [--seed N]
    python tests/benchmarks/bench_dupes.py index            # BBC, --no-entities, ± dedup
    python tests/benchmarks/bench_dupes.py query INDEX_DIR  # p50/p95 with and without collapse

The labelled set is built from real articles (BBC and Reuters-21578 stories of at least four
paragraphs). Positives: an article and an edited copy of it, one per kind of edit (a new
headline and a dateline; a paragraph dropped; paragraphs reordered; cut to a first take of
its first two paragraphs; a light copy-edit of a few words in each paragraph; all of these
at once). Negatives: the article and its nearest other article by TF-IDF cosine in the same
corpus (same topic, another story; exact body copies already in the corpus excluded), and
Usenet replies beside the post they answer (20 Newsgroups threads, quoting it), and two
posts by one author in different threads (sharing a signature block). Pairs are
labelled; the collapse is run over all their documents together (LSH, verification and
clustering as at index time) and a pair counts as collapsed when both land in one cluster.
"""

from __future__ import annotations

import json
import math
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from _common import BBC, NEWS, percentiles, queries_from_titles, require

from search.index import minhash
from search.index.dedup import DupeState

EDITS = ("headline+dateline", "drop paragraph", "reorder", "first take", "copy-edit", "all")
DATELINES = ("LONDON (Reuters) - ", "NEW YORK, March 3 - ", "WASHINGTON (AP) -- ")


def _articles(rng: random.Random, n: int) -> list[tuple[str, str, str, str]]:
    """n (id, corpus, title, body) real articles with at least four paragraphs."""
    found = []
    for path in sorted(require(BBC).glob("*/*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        found.append((f"bbc/{path.parent.name}/{path.name}", "bbc", title, body.strip()))
    with (require(NEWS) / "reuters21578.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            d = json.loads(line)
            found.append((f"reuters/{d['id']}", "reuters", d["title"], d["text"]))
    usable = [a for a in found if len(_paragraphs(a[3])) >= 4 and len(a[3].split()) >= 150]
    return rng.sample(usable, n), found


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _paragraphs(body: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]


def _copy_edit(rng: random.Random, para: str) -> str:
    words = para.split(" ")
    for _ in range(max(1, len(words) // 40)):
        i = rng.randrange(len(words))
        words[i] = rng.choice(("said", "says", "the", "its", "new", "also"))
    return " ".join(words)


def edited(rng: random.Random, kind: str, title: str, body: str) -> tuple[str, str]:
    paras = _paragraphs(body)
    if kind in ("headline+dateline", "all"):
        title = f"UPDATE 1-{title.split(' ', 1)[-1]}"
        paras[0] = rng.choice(DATELINES) + paras[0]
    if kind in ("drop paragraph", "all"):
        del paras[rng.randrange(1, len(paras))]
    if kind in ("reorder", "all"):
        i = rng.randrange(1, len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    if kind == "first take":
        paras = paras[:2]
    if kind in ("copy-edit", "all"):
        paras = [_copy_edit(rng, p) for p in paras]
    return title, "\n\n".join(paras)


def _tfidf_neighbours(
    picked: list[tuple[str, str, str, str]], pool: list[tuple[str, str, str, str]]
) -> list[tuple[str, str, str, str]]:
    """Each picked article's most similar other article of its corpus (cosine of TF-IDF)."""
    vocab: dict[str, int] = {}
    rows = []
    for a in pool:
        counts = Counter(w for w in _words(a[3]) if len(w) > 2)
        rows.append({vocab.setdefault(w, len(vocab)): c for w, c in counts.items()})
    df = Counter(t for r in rows for t in r)
    idf = {t: math.log(len(rows) / df[t]) for t in df}
    vecs = []
    for r in rows:
        v = {t: c * idf[t] for t, c in r.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({t: x / norm for t, x in v.items()})
    index = {a[0]: i for i, a in enumerate(pool)}
    postings: dict[int, list[int]] = {}
    for i, v in enumerate(vecs):
        for t in v:
            postings.setdefault(t, []).append(i)
    out, excluded = [], []
    for a in picked:
        me = vecs[index[a[0]]]
        scores: Counter[int] = Counter()
        for t, x in me.items():
            if len(postings[t]) < 200:  # rare words carry the topic; common ones cost
                for j in postings[t]:
                    scores[j] += x * vecs[j][t]
        mine = _shingle_set(a[3])
        for j, _ in scores.most_common():
            b = pool[j]
            if b[0] == a[0] or b[1] != a[1] or not b[3].strip():
                continue
            theirs = _shingle_set(b[3])
            shared = len(mine & theirs) / max(1, min(len(mine), len(theirs)))
            if shared >= 0.5:
                excluded.append((a[0], b[0], shared))
                continue
            out.append(b)
            break
        else:
            out.append(pool[(index[a[0]] + 1) % len(pool)])
    print(f"{len(excluded)} nearest neighbours skipped as versions of the same story already "
          f"in the corpus (exact shingle containment >= 0.5), e.g. "
          + ", ".join(f"{a}|{b} ({c:.2f})" for a, b, c in excluded[:4]))
    return out


def _shingle_set(body: str) -> set[tuple[str, ...]]:
    """The exact 5-word shingles of a body (quoted lines dropped), as the labels' yardstick."""
    w = _words(minhash.own_text(body))
    return {tuple(w[i : i + minhash.SHINGLE]) for i in range(len(w) - minhash.SHINGLE + 1)}


def _replies(rng: random.Random, n: int) -> list[tuple[tuple[str, str, str, str], ...]]:
    """n (post, reply) pairs of 20 Newsgroups whose reply quotes the post."""
    posts: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    replies = []
    with (require(NEWS) / "20newsgroups_bydate.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            d = json.loads(line)
            doc = (f"20ng/{d['id']}", "20ng", d["title"], d["text"])
            group = d["id"].split("/")[1]
            if d["title"].startswith("Re: "):
                replies.append((group, d["title"][4:], doc))
            else:
                posts.setdefault((group, d["title"]), doc)
    pairs = [
        (posts[(g, t)], doc)
        for g, t, doc in replies
        if (g, t) in posts and ">" in doc[3] and len(posts[(g, t)][3].split()) > 60
    ]
    return rng.sample(pairs, min(n, len(pairs)))


def _same_author(rng: random.Random, n: int) -> list[tuple[tuple[str, str, str, str], ...]]:
    """n pairs of 20 Newsgroups posts by one author in different threads (most end with the
    same signature block)."""
    by_author: dict[str, list[tuple[str, str, str, str]]] = {}
    with (require(NEWS) / "20newsgroups_bydate.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            d = json.loads(line)
            if d.get("from") and len(d["text"].split()) > 40:
                doc = (f"20ng/{d['id']}", "20ng", d["title"], d["text"])
                by_author.setdefault(d["from"], []).append(doc)
    pairs = []
    for author in sorted(by_author):
        posts = by_author[author]
        topics = {p[2].removeprefix("Re: ").strip().lower(): p for p in posts}
        if len(topics) >= 2:
            a, b = rng.sample(sorted(topics), 2)
            pairs.append((topics[a], topics[b]))
    return rng.sample(pairs, min(n, len(pairs)))


def labelled(seed: int, n: int) -> None:
    rng = random.Random(seed)
    picked, pool = _articles(rng, n)
    docs: dict[str, tuple[str, str, str, str]] = {}
    pairs: list[tuple[str, str, bool, str]] = []
    for a in picked:
        docs[a[0]] = a
        for kind in EDITS:
            title, body = edited(rng, kind, a[2], a[3])
            copy_id = f"{a[0]}~{kind}"
            docs[copy_id] = (copy_id, a[1], title, body)
            pairs.append((a[0], copy_id, True, kind))
    started = time.perf_counter()
    neighbours = _tfidf_neighbours(picked, pool)
    print(f"(neighbours found in {time.perf_counter() - started:.1f} s)")
    for a, b in zip(picked, neighbours, strict=True):
        docs[b[0]] = b
        pairs.append((a[0], b[0], False, "same topic"))
    for post, reply in _replies(rng, n):
        docs[post[0]], docs[reply[0]] = post, reply
        pairs.append((post[0], reply[0], False, "reply quoting"))
    for one, other in _same_author(rng, n):
        docs[one[0]], docs[other[0]] = one, other
        pairs.append((one[0], other[0], False, "same author"))
    ids = list(docs)
    state = DupeState.empty()
    state.add((i, "", docs[i][2], docs[i][3]) for i in ids)
    print(f"{len(picked)} articles, {len(ids)} documents, {len(pairs)} labelled pairs "
          f"({sum(p[2] for p in pairs)} copies), seed {seed}")
    row = {i: r for r, i in enumerate(state.ids)}
    matrix = np.array([(row[a], row[b]) for a, b, _, _ in pairs])
    j, c = minhash.similarity(state.sigs, state.sizes, matrix)
    truth = np.array([p[2] for p in pairs])
    print("\nThreshold sweep (pairwise estimates, no LSH): resemblance J, containment C")
    print(f"{'J':>5} {'C':>5} {'precision':>9} {'recall':>7} {'F1':>6}")
    for tj in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for tc in (0.5, 0.6, 0.7, 0.8, 0.9, 1.01):
            said = minhash.copies(state.sizes, j, c, matrix, state.leads, tj, tc)
            tp = int((said & truth).sum())
            p = tp / max(int(said.sum()), 1)
            r = tp / int(truth.sum())
            f = 2 * p * r / max(p + r, 1e-9)
            mark = " <- chosen" if (tj, tc) == (minhash.RESEMBLANCE, minhash.CONTAINMENT) else ""
            print(f"{tj:5.2f} {tc if tc <= 1 else float('inf'):5.2f} {p:9.3f} {r:7.3f} {f:6.3f}{mark}")
    cluster = {}
    for k, group in enumerate(state.clusters()):
        for i in group:
            cluster[i] = k
    together = np.array([a in cluster and cluster.get(a) == cluster.get(b) for a, b, _, _ in pairs])
    tp = int((together & truth).sum())
    print(f"\nCollapse as indexed (LSH {minhash.BANDS}x{minhash.ROWS}, J >= "
          f"{minhash.RESEMBLANCE}, C >= {minhash.CONTAINMENT}, clusters): precision "
          f"{tp / max(int(together.sum()), 1):.3f}, recall {tp / int(truth.sum()):.3f}")
    for kind in (*EDITS, "same topic", "reply quoting", "same author"):
        mask = np.array([p[3] == kind for p in pairs])
        print(f"  {kind:18} {int(together[mask].sum()):4}/{int(mask.sum())} collapsed, "
              f"J median {np.median(j[mask]):.2f}, C median {np.median(c[mask]):.2f}")
    wrong = [(p, jj, cc) for p, t, jj, cc in zip(pairs, together, j, c, strict=True) if t != p[2]]
    for (a, b, label, kind), jj, cc in wrong[:12] + [w for w in wrong if not w[0][2]][:12]:
        print(f"  wrong: {kind:14} J={jj:.2f} C={cc:.2f} {a} | {b}")


CHILD = """
import json, sys, time
import search
from search.config import Settings
from search.index import indexer
spent = []
sync = indexer.sync_dupes
def timed(*args, **kwargs):
    t = time.perf_counter()
    sync(*args, **kwargs)
    spent.append(time.perf_counter() - t)
indexer.sync_dupes = timed if sys.argv[3] == "1" else (lambda *args, **kwargs: None)
t = time.perf_counter()
search.build([sys.argv[1]], sys.argv[2], settings=Settings(entities=False))
print(json.dumps({"seconds": time.perf_counter() - t, "dedup": sum(spent)}))
"""


def index_overhead(rounds: int = 5) -> None:
    """BBC --no-entities builds in fresh processes, alternately without dedup and with it;
    with it, the time spent in dedup is also measured within the same build, which makes
    a ratio that machine load between runs cannot skew."""
    runs: dict[str, list[dict[str, float]]] = {"0": [], "1": []}
    for _ in range(rounds):
        for dedup in ("0", "1"):
            with tempfile.TemporaryDirectory() as tmp:
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, str(require(BBC)), tmp, dedup],
                    capture_output=True, text=True, check=True,
                )
                runs[dedup].append(json.loads(out.stdout.splitlines()[-1]))
    base = sorted(r["seconds"] for r in runs["0"])[rounds // 2]
    with_dedup = sorted(r["seconds"] for r in runs["1"])[rounds // 2]
    within = sorted(r["dedup"] / (r["seconds"] - r["dedup"]) for r in runs["1"])
    print(f"BBC --no-entities build, median of {rounds}: {base:.2f} s without dedup, "
          f"{with_dedup:.2f} s with ({100 * (with_dedup / base - 1):+.1f}%, across runs)")
    print(f"dedup within the same build: {[round(100 * w, 1) for w in within]} % of the "
          f"rest of the build (median {100 * within[rounds // 2]:.1f}%)")


def query_overhead(index_dir: Path, n: int = 300, repeats: int = 5) -> None:
    """search() with and without collapse, interleaved; per query the best of `repeats`
    runs of each, in CPU time of this process (the machine is shared: wall time counts the
    other processes' turns, and the minimum is the cost, the rest noise)."""
    from search.query.searcher import Searcher

    queries = queries_from_titles(n, seed=11) + ["", "said", "the"]
    with Searcher(index_dir) as s:
        stories = s.copies.stories
        print(f"{s.doc_count()} documents, {len(stories.members)} stories with copies "
              f"({stories.copies} copies); {len(queries)} queries, page of 10, facets, "
              f"best of {repeats}")
        for q in queries[:20]:
            s.search(q, collapse=True)
            s.search(q, collapse=False)
        times: dict[bool, list[float]] = {True: [], False: []}
        folded = 0
        for q in queries:
            best = {True: math.inf, False: math.inf}
            for _ in range(repeats):
                for collapse in (False, True):
                    started = time.process_time()
                    res = s.search(q, collapse=collapse)
                    best[collapse] = min(best[collapse], 1000 * (time.process_time() - started))
            folded += any(h.duplicates for h in res.hits)
            for collapse in (False, True):
                times[collapse].append(best[collapse])
    diffs = [a - b for a, b in zip(times[True], times[False], strict=True)]
    print(f"  {folded} of {len(queries)} first pages fold at least one copy")
    _collapse_work(index_dir, queries, repeats)
    for name, ms in (("without collapse", times[False]), ("with collapse", times[True]),
                     ("difference per query", diffs)):
        p50, p95 = percentiles(ms)
        print(f"  {name:22} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")


def _collapse_work(index_dir: Path, queries: list[str], repeats: int) -> None:
    """The collapse's own work per query, timed inside the pipeline (bookkeeping: stories
    found, folding, counting, facets per story), best of `repeats` in CPU time."""
    from search.query import collapse, facets, pipeline
    from search.query.searcher import Searcher

    spent = [0.0]

    def timed(fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - started
        return wrapper

    calls = [0]
    collect = pipeline.collect

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return collect(*args, **kwargs)

    pipeline.fold, pipeline.told = timed(pipeline.fold), timed(pipeline.told)
    pipeline._best_first = timed(pipeline._best_first)
    collapse.Stories.found = timed(collapse.Stories.found)  # type: ignore[method-assign]
    facets.FacetColumn._story_counts = timed(facets.FacetColumn._story_counts)  # type: ignore[method-assign]
    pipeline.collect = counting
    work, again = [], 0
    with Searcher(index_dir) as s:
        for q in queries:
            least = math.inf
            for _ in range(repeats):
                spent[0], calls[0] = 0.0, 0
                s.search(q, collapse=True)
                least = min(least, 1000 * spent[0])
            work.append(least)
            again += calls[0] > 1
    print(f"  collapse work (best of {repeats}, CPU)  p50 {percentiles(work)[0]:.3f} ms  "
          f"p95 {percentiles(work)[1]:.3f} ms")
    print(f"  queries needing a second, larger collection: {again} of {len(queries)}")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "labelled"
    if mode == "labelled":
        seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 13
        labelled(seed, 200)
    elif mode == "index":
        index_overhead()
    elif mode == "query":
        query_overhead(Path(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
