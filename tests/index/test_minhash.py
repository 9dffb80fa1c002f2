"""Tests for search.index.minhash: words, exact keys, signatures that estimate resemblance,
candidates, verification and components — on real BBC text."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import BBC, BBC_MISSING

from search.index import minhash


def _bbc(name: str) -> str:
    if not BBC.is_dir():
        pytest.skip(BBC_MISSING)
    return (BBC / f"{name}.txt").read_text(encoding="utf-8").partition("\n")[2]


def _exact(a: str, b: str) -> float:
    def grams(text: str) -> set[tuple[str, ...]]:
        w = re.findall(r"\w+", text.lower())
        return {tuple(w[i : i + minhash.SHINGLE]) for i in range(len(w) - minhash.SHINGLE + 1)}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


def test_words_are_counted_as_the_regex_reads_them_and_case_and_punctuation_do_not_count() -> None:
    texts = ["Hello, World! It's 2024.", "hello world it’s 2024", "Café au lait — naïve", ""]
    signed = minhash.sign(texts)
    assert signed.lengths.tolist() == [len(re.findall(r"\w+", t.lower())) for t in texts]
    assert signed.keys[0] == signed.keys[1] != signed.keys[2]  # ’ splits words as ' does
    assert signed.keys[3] == -1


def test_signatures_estimate_resemblance_of_real_articles() -> None:
    body = _bbc("tech/260")
    paras = body.strip().split("\n\n")
    versions = [body, "\n\n".join(paras[:3]), "\n\n".join(paras[1:]), _bbc("tech/148")]
    signed = minhash.sign(versions)
    pairs = np.array([(0, 1), (0, 2), (0, 3)])
    estimate, containment = minhash.similarity(signed.sigs, signed.sizes, pairs)
    for (a, b), est in zip(pairs, estimate, strict=True):
        # 128 bins: a standard error of about 0.04 at these resemblances
        assert abs(est - _exact(versions[a], versions[b])) < 0.12
    assert containment[0] > 0.9  # the first take is inside the whole
    assert estimate[2] < 0.05  # another Apple story shares almost no 5-word run


def test_quoted_lines_are_not_a_messages_own_text() -> None:
    post = "I think the new drive is too slow for what it costs.\nAnyone tried it?"
    reply = "> " + post.replace("\n", "\n> ") + "\nYes, mine is fine.\n"
    assert minhash.own_text(reply).split() == ["Yes,", "mine", "is", "fine."]
    assert minhash.own_text(post) == post


def test_candidates_pair_fresh_rows_only_and_copies_need_a_threshold() -> None:
    body = _bbc("politics/069")
    other = _bbc("sport/012")
    signed = minhash.sign([body, body.replace("strike", "walkout"), other, body])
    keys = minhash.band_keys(signed.sigs)
    eligible = np.ones(4, dtype=bool)
    fresh = np.array([False, False, False, True])
    found = minhash.candidates(keys, fresh, eligible)
    assert {tuple(p) for p in found.tolist()} == {(0, 3), (1, 3)}
    j, c = minhash.similarity(signed.sigs, signed.sizes, found)
    lead = minhash.leads([body, body.replace("strike", "walkout"), other, body])
    assert minhash.copies(signed.sizes, j, c, found, lead).all()
    everything = minhash.candidates(keys, np.ones(4, dtype=bool), eligible)
    assert not any(2 in p for p in everything.tolist())


def test_components_join_chains_and_leave_singletons_out() -> None:
    assert minhash.components(6, [(0, 1), (1, 2), (4, 5)]) == [[0, 1, 2], [4, 5]]
    assert minhash.components(3, []) == []
