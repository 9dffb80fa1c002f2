"""Tests for search.ingest.pool: which runner NER gets, and worker processes that die."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DictExtractor

from search.errors import ModelError
from search.ingest.pool import (
    InlineRunner,
    ModelSpec,
    PlainMention,
    ProcessRunner,
)


def whole_texts(spec: ModelSpec, texts: list[str]) -> list[list[PlainMention]]:
    """A stand-in task: each text is one PERSON mention; the text "die" kills its worker once.

    The marker file (named by spec.model) records the first death, so the retry survives.
    """
    marker = Path(spec.model)
    if "die" in texts and not marker.exists():
        marker.touch()
        os._exit(3)
    return [[(t, "PERSON", 0, len(t))] for t in texts]


def always_die(spec: ModelSpec, texts: list[str]) -> list[list[PlainMention]]:
    os._exit(3)


def test_inline_runner_returns_each_batch_in_order() -> None:
    runner = InlineRunner(DictExtractor({"Putin": "PERSON"}))
    out = list(runner.map([(0, ["Putin spoke", "nobody"]), (1, ["Putin again"])]))
    assert [(n, [[m.text for m in found] for found in batch]) for n, batch in out] == [
        (0, [["Putin"], []]), (1, [["Putin"]])]


@pytest.mark.slow
def test_a_worker_that_dies_costs_only_the_batches_in_flight_which_are_retried(
    tmp_path: Path,
) -> None:
    runner = ProcessRunner(ModelSpec(model=str(tmp_path / "died")), 2, task=whole_texts)
    batches = [(0, ["a", "b"]), (1, ["die"]), (2, ["c"]), (3, ["d", "e"])]
    try:
        got = {n: [[m.text for m in found] for found in batch] for n, batch in runner.map(batches)}
    finally:
        runner.close()
    assert (tmp_path / "died").exists()  # a worker really died
    assert got == {0: [["a"], ["b"]], 1: [["die"]], 2: [["c"]], 3: [["d"], ["e"]]}


@pytest.mark.slow
def test_a_batch_that_kills_every_worker_is_an_error_naming_it() -> None:
    runner = ProcessRunner(ModelSpec(), 1, task=always_die)
    with pytest.raises(ModelError) as info:
        list(runner.map([(7, ["x"])]))
    runner.close()
    assert "batch 7" in info.value.message and "SEARCH_NLP_PROCESSES" in info.value.hint
