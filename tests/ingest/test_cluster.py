"""Tests for search.ingest.cluster: the entity phase on a real local Dask cluster (loopback only).

Each test starts a scheduler and two worker processes on 127.0.0.1 (`distributed.LocalCluster`)
and skips when Dask is not installed (`pip install 'search[cluster]'`).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import BBC, BBC_CATEGORIES, BBC_MISSING

from search.cli import main
from search.config import Settings
from search.errors import ClusterError
from search.index.indexer import build
from search.ingest import cluster
from search.ingest.cluster import ClusterRunner
from search.ingest.pool import ModelSpec, PlainMention
from search.query.searcher import Searcher

distributed = pytest.importorskip("distributed", reason="pip install 'search[cluster]'")


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """A scheduler and two single-threaded worker processes, on loopback only."""
    import cloudpickle

    # the workers cannot import this test module: send its functions by value
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=40,
    ) as local:
        yield local.scheduler_address


def whole_texts(spec: ModelSpec, texts: list[str]) -> list[list[PlainMention]]:
    """Each text one PERSON mention; a batch holding "die" kills its worker the first time."""
    marker = Path(spec.model)
    if "die" in texts and not marker.exists():
        marker.touch()
        os._exit(3)
    return [[(t, "PERSON", 0, len(t))] for t in texts]


def test_an_unreachable_cluster_is_an_error_naming_its_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(ClusterError) as info:
        ClusterRunner("tcp://127.0.0.1:9", ModelSpec())
    assert "tcp://127.0.0.1:9" in info.value.message and "dask scheduler" in info.value.hint


def test_cli_reports_an_unreachable_cluster_and_indexes_nothing_silently(
    tmp_path: Path, news_dir: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    code = main(["index", str(news_dir), "--index", str(tmp_path / "ix"),
                 "--cluster", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 1 and "cannot reach the Dask cluster at tcp://127.0.0.1:9" in err
    # the text phase had finished: the documents are searchable, their entities pending
    with Searcher(tmp_path / "ix") as s:
        assert s.info().entities_pending == s.doc_count() > 0


@pytest.mark.slow
def test_a_worker_dying_mid_run_costs_only_its_batch(address: str, tmp_path: Path) -> None:
    runner = ClusterRunner(address, ModelSpec(model=str(tmp_path / "died")), task=whole_texts)
    batches = [(n, [f"t{n}a", f"t{n}b"]) for n in range(6)] + [(6, ["die"])]
    try:
        got = {n: [[m.text for m in f] for f in found] for n, found in runner.map(batches)}
    finally:
        runner.close()
    assert (tmp_path / "died").exists()
    assert got == {**{n: [[f"t{n}a"], [f"t{n}b"]] for n in range(6)}, 6: [["die"]]}


@pytest.mark.slow
def test_facets_from_the_cluster_equal_a_local_build(address: str, tmp_path: Path) -> None:
    if not BBC.exists():
        pytest.skip(BBC_MISSING)
    corpus = tmp_path / "bbc"
    for category in BBC_CATEGORIES:
        (corpus / category).mkdir(parents=True)
        for path in sorted((BBC / category).glob("*.txt"))[:6]:
            shutil.copy(path, corpus / category / path.name)
    settings = Settings(nlp_batch_size=4)  # several batches for the two workers
    local = build([corpus], tmp_path / "local", settings=settings)
    remote = build([corpus], tmp_path / "remote", settings=replace(settings, cluster=address))
    assert local.entities_added == remote.entities_added == 30 and remote.entities_pending == 0
    with Searcher(tmp_path / "local") as a, Searcher(tmp_path / "remote") as b:
        ra, rb = a.search("", limit=100, collapse=False), b.search("", limit=100, collapse=False)
        assert ra.facets == rb.facets and any(ra.facets.values())
        assert {h.id: h.entities for h in ra.hits} == {h.id: h.entities for h in rb.hits}
