"""MinHash: word shingles → MinHash signatures → LSH candidate pairs → verified copies.

In: document bodies. Out: per document a signature (PERMS 32-bit minima over its distinct
5-word shingles) and its shingle count; pairs of documents whose signatures say they are
copies of one story. The estimate of resemblance J = |A∩B| / |A∪B| is the share of equal
minima (Broder, 1997); banding the signature into BANDS bands of ROWS rows makes documents
with J ≥ about (1/BANDS)^(1/ROWS) likely to share a band (Leskovec, Rajaraman and Ullman,
Mining of Massive Datasets, ch. 3), and only those pairs are compared.

Plain numpy rather than datasketch: datasketch hashes every shingle with SHA-1 in Python and
applies PERMS permutations to each; here words and shingles are hashed as arrays, a batch of
documents at a time, and one-permutation hashing needs one hash per shingle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

SHINGLE = 5
"""Words per shingle: long enough that two articles on one topic rarely share many."""
PERM_BITS = 7
PERMS = 1 << PERM_BITS
BANDS = 64
ROWS = 2
"""42 bands of 3 rows: a pair with J = 0.3 shares a band with probability 0.68, J = 0.5
with 0.995, J = 0.05 with 0.005 (candidates only: each is then verified)."""
WORD_BYTES = 16
"""Bytes of a word that its hash reads (and its length)."""
MIN_SHINGLES = 12
"""Shorter bodies are too small to call near-copies: they collapse only when identical."""
RESEMBLANCE = 0.5
"""Estimated J at or above which two bodies are copies (edited, re-headlined, re-dated)."""
CONTAINMENT = 0.7
"""Share of the shorter body's shingles found in the longer one at or above which the
shorter is a first take or a cut of the longer (its resemblance is then low)."""
MAX_CONTAINMENT_RATIO = 20.0
"""A body more than this many times longer than the other is not its write-through but a
compilation or digest quoting it: containment alone does not link them."""
LEAD_CHARS = 400
LEAD_BINS = 32
LEAD_RESEMBLANCE = 0.3
"""A cut keeps the story's lead: containment links two bodies only if their first
LEAD_CHARS characters (a sketch of LEAD_BINS bins) resemble this much. Texts that share
only a tail, such as two Usenet posts with their author's signature, stay apart."""

_RNG = np.random.default_rng(20260101)  # fixed: signatures must agree across runs
_BYTE_MULT = _RNG.integers(1, 2**63, size=WORD_BYTES + 1, dtype=np.uint64) | np.uint64(1)
_SHINGLE_MULT = _RNG.integers(1, 2**63, size=SHINGLE, dtype=np.uint64) | np.uint64(1)
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"0123456789abcdefghijklmnopqrstuvwxyz_":
    _WORD_BYTE[_c] = True
_WORD_BYTE[0x80:] = True  # any byte of a non-ASCII character: letters in most text
_EMPTY = np.uint64(1 << 32)
_BATCH_BYTES = 4 << 20
"""Text signed per numpy pass: bounds the temporaries to some tens of MB."""


WORD = re.compile(r"\w+")
"""What a word is, as the byte-level hashing below reads it (for exact comparisons)."""
_QUOTED = re.compile(r"^[ \t]*(?:>|\|>).*$", re.MULTILINE)


def own_text(body: str) -> str:
    """The body without quoted lines (`> ...`): a reply quoting a post is not its copy."""
    return _QUOTED.sub("", body) if ">" in body else body


def _mix(x: Any) -> Any:
    """splitmix64's finaliser: every input bit moves every output bit (wrapping uint64)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@dataclass(frozen=True, slots=True)
class Signed:
    """Signatures of n texts: (n, PERMS) uint32 minima, distinct shingle counts, word
    counts, and a 63-bit key of each exact word sequence (-1 for a text without words)."""

    sigs: Any
    sizes: Any
    lengths: Any
    keys: Any


def sign(texts: Sequence[str]) -> Signed:
    """Sign texts, lower-cased and cut into words (runs of letters, digits, underscores).

    One-permutation hashing (Li, Owen and Zhang, 2012): each shingle is hashed once, its top
    bits choose one of PERMS bins and the bin keeps the smallest low 32 bits; bins left
    empty borrow from the next filled one, shifted by the distance (densification by
    rotation, Shrivastava and Li, 2014). One hash per shingle instead of PERMS.
    """
    parts: list[Signed] = []
    start = 0
    while start < len(texts):
        stop, size = start, 0
        while stop < len(texts) and (stop == start or size < _BATCH_BYTES):
            size += len(texts[stop])
            stop += 1
        parts.append(_sign_batch([_bytes(t) for t in texts[start:stop]]))
        start = stop
    if not parts:
        parts.append(_sign_batch([]))
    return Signed(*(np.concatenate([getattr(p, f) for p in parts]) for f in Signed.__slots__))


_PUNCTUATION = re.compile("[\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f\ufeff]")
"""Non-ASCII spaces, dashes, quotes and signs: separators, as their ASCII forms are."""


def _bytes(text: str) -> bytes:
    """Lower-cased UTF-8, typographic punctuation made spaces (’ and ' split alike)."""
    text = text.lower()
    if not text.isascii():
        text = _PUNCTUATION.sub(" ", text)
    return text.encode("utf-8")


def _words(data: list[bytes]) -> tuple[Any, Any]:
    """(hash of each word, text number of each word) over texts laid end to end."""
    buf = np.frombuffer(b"\n".join(data) + b"\n", dtype=np.uint8)
    offsets = np.cumsum([0] + [len(d) + 1 for d in data])
    word = _WORD_BYTE[buf]
    edge = np.diff(np.r_[False, word, False].astype(np.int8))
    starts, ends = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
    # the first WORD_BYTES bytes and the length: longer words differing only later collide
    hashed = np.zeros(len(starts), dtype=np.uint64)
    last = len(buf) - 1
    for j in range(WORD_BYTES):
        at = starts + j
        chars = np.where(at < ends, buf[np.minimum(at, last)], 0).astype(np.uint64)
        hashed += chars * _BYTE_MULT[j]
    hashed = _mix(hashed + (ends - starts).astype(np.uint64) * _BYTE_MULT[WORD_BYTES])
    owner = np.searchsorted(offsets, starts, side="right") - 1
    return hashed, owner


def _sign_batch(data: list[bytes]) -> Signed:
    n = len(data)
    hashed, owner = _words(data)
    lengths = np.bincount(owner, minlength=n).astype(np.int64)
    # exact key: every word with its place in its text
    first = np.r_[0, np.cumsum(lengths)[:-1]]
    place = np.arange(len(owner)) - first[owner]
    exact = np.zeros(n, dtype=np.uint64)
    np.add.at(exact, owner, _mix(hashed + place.astype(np.uint64)))
    keys = np.where(lengths > 0, (exact >> np.uint64(1)).astype(np.int64), -1)
    # shingles: SHINGLE consecutive words of one text
    m = max(len(owner) - SHINGLE + 1, 0)
    shingled = np.zeros(m, dtype=np.uint64)
    for j in range(SHINGLE):
        shingled += hashed[j : j + m] * _SHINGLE_MULT[j]  # wraps mod 2**64, as intended
    valid = owner[:m] == owner[SHINGLE - 1 : SHINGLE - 1 + m]
    shingled, doc = _mix(shingled[valid]), owner[:m][valid]
    distinct = np.unique(shingled ^ _mix(doc.astype(np.uint64)), return_index=True)[1]
    sizes = np.bincount(doc[distinct], minlength=n).astype(np.int64)
    flat = np.full(n * PERMS, _EMPTY, dtype=np.uint64)
    bins = (shingled >> np.uint64(64 - PERM_BITS)).astype(np.int64)
    np.minimum.at(flat, doc * PERMS + bins, shingled & np.uint64(0xFFFFFFFF))
    return Signed(_densify(flat.reshape(n, PERMS)), sizes, lengths, keys)


def _densify(table: Any) -> Any:
    """Fill each empty bin from the next filled one to its right (circularly), shifted by
    the distance so that borrowed values differ from the lender's."""
    n = len(table)
    twice = np.concatenate([table, table], axis=1)
    pos = np.arange(2 * PERMS)
    lender = np.where(twice != _EMPTY, pos[None, :], 2 * PERMS)
    lender = np.minimum.accumulate(lender[:, ::-1], axis=1)[:, ::-1][:, :PERMS]
    filled = lender < 2 * PERMS
    lender = np.minimum(lender, 2 * PERMS - 1)
    values = twice[np.arange(n)[:, None], lender]
    shift = (lender - pos[None, :PERMS]).astype(np.uint64) * np.uint64(0x9E3779B9)
    out = np.where(filled, (values + shift) & np.uint64(0xFFFFFFFF), 0xFFFFFFFF)
    return out.astype(np.uint32)


def band_keys(sigs: Any) -> Any:
    """(n, BANDS) uint64 keys: documents sharing a key in some band are candidates."""
    rows = sigs[:, : BANDS * ROWS].reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    key = rows[:, :, 0]
    for r in range(1, ROWS):
        key = key * np.uint64(0x9E3779B97F4A7C15) + rows[:, :, r]
    return key


def candidates(keys: Any, fresh: Any, eligible: Any) -> Any:
    """(m, 2) row pairs (a < b) sharing a band key, at least one of them fresh.

    `fresh` and `eligible` are boolean masks over rows: old pairs were found in earlier runs,
    and ineligible rows (too short) take part in no pair. All bands are sorted at once,
    each key tagged with its band.
    """
    none = np.zeros((0, 2), dtype=np.int64)
    rows = np.flatnonzero(eligible)
    if len(rows) < 2:
        return none
    tags = _mix(np.arange(1, keys.shape[1] + 1, dtype=np.uint64))
    flat = (keys[rows] ^ tags[None, :]).ravel()
    owner = np.repeat(rows, keys.shape[1])
    order = np.argsort(flat)
    flat, owner = flat[order], owner[order]
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    sizes = np.diff(np.r_[starts, len(flat)])
    pairs = []
    for size in np.unique(sizes[sizes > 1]):
        # every group of this size at once: its members as rows, pairs from the triangle
        group = owner[starts[sizes == size][:, None] + np.arange(size)[None, :]]
        i, j = np.triu_indices(int(size), 1)
        a, b = group[:, i].ravel(), group[:, j].ravel()
        keep = fresh[a] | fresh[b]
        pairs.append(np.stack([np.minimum(a, b), np.maximum(a, b)], 1)[keep])
    if not pairs:
        return none
    found = np.concatenate(pairs).astype(np.int64)
    if not len(found):
        return none
    n = int(keys.shape[0])
    flat_pairs = np.unique(found[:, 0] * n + found[:, 1])
    return np.stack([flat_pairs // n, flat_pairs % n], 1)


def similarity(sigs: Any, sizes: Any, pairs: Any) -> tuple[Any, Any]:
    """(resemblance, containment) estimates for row pairs.

    Containment of the shorter body in the longer follows from the estimated resemblance
    and the two shingle counts: |A∩B| = J(|A| + |B|) / (1 + J).
    """
    if not len(pairs):
        return np.zeros(0), np.zeros(0)
    a, b = pairs[:, 0], pairs[:, 1]
    j = (sigs[a] == sigs[b]).mean(axis=1)
    inter = j * (sizes[a] + sizes[b]) / (1 + j)
    shorter = np.minimum(sizes[a], sizes[b])
    return j, np.minimum(1.0, inter / np.maximum(shorter, 1))


def leads(texts: Sequence[str]) -> Any:
    """(n, LEAD_BINS) sketches of each text's lead, its first LEAD_CHARS characters."""
    return sign([t.lstrip()[:LEAD_CHARS] for t in texts]).sigs[:, :LEAD_BINS]


def copies(
    sizes: Any,
    resemblance: Any,
    containment: Any,
    pairs: Any,
    lead: Any,
    min_resemblance: float = RESEMBLANCE,
    min_containment: float = CONTAINMENT,
) -> Any:
    """The mask of pairs that are copies of one story, by the thresholds above (`lead`:
    the rows' lead sketches)."""
    if not len(pairs):
        return np.zeros(0, dtype=bool)
    a, b = pairs[:, 0], pairs[:, 1]
    small, large = np.minimum(sizes[a], sizes[b]), np.maximum(sizes[a], sizes[b])
    same_lead = (lead[a] == lead[b]).mean(axis=1) >= LEAD_RESEMBLANCE
    cut = (containment >= min_containment) & (large <= MAX_CONTAINMENT_RATIO * small)
    return np.asarray((resemblance >= min_resemblance) | (cut & same_lead))


def components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components of size ≥ 2 over rows 0..n-1 (union-find with path halving)."""
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for x in range(n):
        groups.setdefault(root(x), []).append(x)
    return [g for g in groups.values() if len(g) > 1]
