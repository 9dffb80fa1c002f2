"""Dedup: which indexed documents are copies of one story, kept up to date run by run.

In: the ids and content hashes the index holds after a run, and the documents just written.
Out, beside the index: `search-dupes.npz`, each document's MinHash signature and the pairs
verified as copies (the state an incremental run starts from), and `search-dupes.json`, the
clusters of two or more documents that the query side collapses. Only new and changed
documents are signed and compared (against everything); removed ones drop out with their
pairs, so a cluster a removed document held together splits again. The state reconciles
itself with the index on every run, so a run killed after some batches leaves nothing
missing for long: the next run signs whatever the state lacks, from the stored text.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from search.files import write_atomically
from search.index import minhash
from search.ingest.corpus import Document

STATE_FILE = "search-dupes.npz"
CLUSTERS_FILE = "search-dupes.json"
STATE_FORMAT = 4
"""Bump when shingling or signing changes: a state of another format is signed afresh."""
CLUSTERS_FORMAT = 1
"""Bump when the clusters file changes: the query side then folds nothing until a run."""


@dataclass
class DupeState:
    """Per document (one row each): id, content hash, signature, shingle count, exact key,
    lead sketch; and the row pairs verified as near-copies."""

    ids: list[str]
    hashes: list[str]
    sigs: Any
    sizes: Any
    keys: Any
    pairs: Any
    leads: Any

    @classmethod
    def empty(cls) -> DupeState:
        return cls(
            [],
            [],
            np.zeros((0, minhash.PERMS), dtype=np.uint32),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
            np.zeros((0, 2), dtype=np.int64),
            np.zeros((0, minhash.LEAD_BINS), dtype=np.uint32),
        )

    def drop(self, doomed: Iterable[str]) -> None:
        """Forget these documents and every pair they were in."""
        doomed = set(doomed)
        keep = np.fromiter(
            (i not in doomed for i in self.ids), dtype=bool, count=len(self.ids)
        )
        if keep.all():
            return
        new_row = np.cumsum(keep) - 1
        pairs = self.pairs[keep[self.pairs[:, 0]] & keep[self.pairs[:, 1]]]
        self.pairs = new_row[pairs].reshape(-1, 2)
        self.ids = [i for i, k in zip(self.ids, keep, strict=True) if k]
        self.hashes = [h for h, k in zip(self.hashes, keep, strict=True) if k]
        self.sigs, self.sizes, self.keys, self.leads = (
            self.sigs[keep],
            self.sizes[keep],
            self.keys[keep],
            self.leads[keep],
        )

    def add(self, docs: Iterable[Sequence[str]]) -> None:
        """Sign (id, content hash, title, body[, day]) documents and pair them with every
        copy (`day`: the ISO publication day, or empty)."""
        docs = list(docs)
        if not docs:
            return
        bodies = [minhash.own_text(d[3]) for d in docs]
        signed = minhash.sign(bodies)
        sigs, sizes, keys = signed.sigs, signed.sizes, signed.keys.copy()
        short = np.flatnonzero(sizes < minhash.MIN_SHINGLES)
        if len(short):
            # a brief is a copy only with its headline and day too: many share a short body,
            # and a daily notice repeats its headline
            titled = minhash.sign(
                [f"{_day(docs[i])}\n{docs[i][2]}\n{bodies[i]}" for i in short]
            )
            keys[short] = np.where(titled.lengths > 1, titled.keys, -1)
        first = len(self.ids)
        self.ids += [d[0] for d in docs]
        self.hashes += [d[1] for d in docs]
        self.sigs = np.concatenate([self.sigs, sigs])
        self.sizes = np.concatenate([self.sizes, sizes])
        self.keys = np.concatenate([self.keys, np.array(keys, dtype=np.int64)])
        self.leads = np.concatenate([self.leads, minhash.leads(bodies)])
        fresh = np.zeros(len(self.ids), dtype=bool)
        fresh[first:] = True
        eligible = self.sizes >= minhash.MIN_SHINGLES
        found = minhash.candidates(minhash.band_keys(self.sigs), fresh, eligible)
        j, c = minhash.similarity(self.sigs, self.sizes, found)
        linked = found[minhash.copies(self.sizes, j, c, found, self.leads)]
        self.pairs = np.concatenate([self.pairs, linked.astype(np.int64)])

    def clusters(self) -> list[list[str]]:
        """Groups of ids that are copies of one story (near pairs and equal exact keys),
        largest first; ids within a group in index order."""
        edges = [(int(a), int(b)) for a, b in self.pairs]
        by_key: dict[int, int] = {}
        for row, key in enumerate(self.keys.tolist()):
            if key >= 0:
                edges.append((by_key.setdefault(key, row), row))
        groups = minhash.components(len(self.ids), edges)
        groups.sort(key=lambda g: (-len(g), g[0]))
        return [[self.ids[r] for r in g] for g in groups]

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez(
            out,
            format=np.array(STATE_FORMAT),
            ids=_blob(self.ids),
            hashes=_blob(self.hashes),
            sigs=self.sigs,
            sizes=self.sizes,
            keys=self.keys,
            pairs=self.pairs,
            leads=self.leads,
        )
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> DupeState:
        with np.load(io.BytesIO(data), allow_pickle=False) as f:
            if int(f["format"]) != STATE_FORMAT:
                raise ValueError("another state format")
            ids, hashes = _unblob(f["ids"]), _unblob(f["hashes"])
            state = cls(
                ids, hashes, f["sigs"], f["sizes"], f["keys"], f["pairs"], f["leads"]
            )
        n = len(ids)
        if not (
            len(hashes) == n == len(state.sigs) == len(state.sizes) == len(state.keys)
            and state.sigs.shape[1:] == (minhash.PERMS,)
            and state.leads.shape == (n, minhash.LEAD_BINS)
            and (not len(state.pairs) or int(state.pairs.max()) < n)
        ):
            raise ValueError("inconsistent state")
        return state


def _iso_day(date: str | None) -> str:
    """The day of a document's date as the index stores it ("" if it stores none)."""
    try:
        return datetime.fromisoformat(date).date().isoformat() if date else ""
    except ValueError:
        return ""


def _day(doc: Sequence[str]) -> str:
    return doc[4] if len(doc) > 4 else ""


def _blob(texts: list[str]) -> Any:
    """Strings as one byte array (JSON: ids may hold any character), pickle-free."""
    return np.frombuffer(json.dumps(texts).encode("utf-8"), dtype=np.uint8)


def _unblob(data: Any) -> list[str]:
    texts = json.loads(data.tobytes().decode("utf-8"))
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise ValueError("not a list of strings")
    return texts


def load_state(index_dir: Path) -> DupeState:
    """The state of the last run; empty when absent, damaged or of another format (every
    document is then signed again, from the stored text)."""
    try:
        return DupeState.from_bytes((index_dir / STATE_FILE).read_bytes())
    except (OSError, ValueError, KeyError, EOFError):
        return DupeState.empty()
    except Exception:  # noqa: BLE001 - numpy raises zipfile errors for a damaged file
        return DupeState.empty()


def read_clusters(index_dir: Path) -> list[list[str]]:
    """The clusters the last run found (empty if it has not run since or the file is bad)."""
    try:
        data = json.loads((index_dir / CLUSTERS_FILE).read_text(encoding="utf-8"))
        clusters = data["clusters"]
        if int(data["format"]) == CLUSTERS_FORMAT and isinstance(clusters, list):
            return [[str(i) for i in c] for c in clusters if isinstance(c, list)]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return []


def sync(
    index_dir: Path,
    ix: Any,
    existing: Mapping[str, tuple[str, str]],
    written: Sequence[Document] = (),
    gone: Iterable[str] = (),
) -> DupeState:
    """Bring the state in line with the index's documents: those `existing` before the run
    (id → (content hash, path)), then `written`, less those `gone`.

    The text of `written` is at hand; any other document the state lacks (a run killed
    before its end, a state of another format) is read back from the stored fields.
    """
    present = {i: h for i, (h, _) in existing.items()}
    present.update((d.id, d.content_hash) for d in written)
    for doc_id in gone:
        present.pop(doc_id, None)
    state = load_state(index_dir)
    known = dict(zip(state.ids, state.hashes, strict=True))
    stale = [i for i, h in known.items() if present.get(i) != h]
    missing = [i for i, h in present.items() if known.get(i) != h]
    if not stale and not missing and (index_dir / CLUSTERS_FILE).exists():
        return state
    state.drop(stale + missing)
    at_hand = {d.id: d for d in written}
    fresh = []
    stored = []
    for doc_id in missing:
        doc = at_hand.get(doc_id)
        if doc is not None and doc.content_hash == present[doc_id]:
            fresh.append((doc.id, doc.content_hash, doc.title, doc.text, _iso_day(doc.date)))
        else:
            stored.append(doc_id)
    if stored:
        with ix.searcher() as s:
            for doc_id in stored:
                num = s.document_number(id=doc_id)
                if num is not None:
                    f = s.stored_fields(num)
                    day = f["date"].date().isoformat() if f.get("date") else ""
                    fresh.append(
                        (doc_id, present[doc_id], f.get("title", ""), f.get("body", ""), day)
                    )
    state.add(fresh)
    # clusters first: killed in between, the next run finds the state stale and redoes both
    clusters = {"format": CLUSTERS_FORMAT, "clusters": state.clusters()}
    write_atomically(
        index_dir / CLUSTERS_FILE, json.dumps(clusters), "the duplicate clusters"
    )
    write_atomically(index_dir / STATE_FILE, state.to_bytes(), "the duplicate index")
    return state
