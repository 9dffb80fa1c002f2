"""Cluster runner: the entity phase's NER on an existing Dask distributed cluster.

`--cluster tcp://host:8786` (or SEARCH_CLUSTER) sends numbered batches of texts to the
cluster's workers; each worker loads the spaCy model once (`pool.extract_batch` keeps it) and
returns plain mention tuples; the index is still written by this process only. A worker that
dies costs the batches it held: Dask reschedules them, and a batch Dask gives up on
(KilledWorker) is resubmitted here up to `pool.RETRIES` times. `distributed` is imported only
here, when a cluster is asked for (`pip install 'search[cluster]'`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from search.errors import ClusterError
from search.ingest.entities import Mention
from search.ingest.pool import (
    AHEAD,
    RETRIES,
    Batch,
    ModelSpec,
    Task,
    as_mentions,
    extract_batch,
)

CONNECT_TIMEOUT = "10s"

_HINT = (
    "start one (`dask scheduler`, then `dask worker ADDRESS` on each machine, with search "
    "installed there too), check the address and that its port is open, or leave out "
    "--cluster / SEARCH_CLUSTER to run NER on this machine"
)


def _client(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(
            f"--cluster {address} needs Dask distributed, which is not installed",
            hint="pip install 'search[cluster]' (here and on every worker)",
        ) from exc
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            f"cannot reach the Dask cluster at {address}: {exc}", hint=_HINT
        ) from exc


class ClusterRunner:
    """Batches of texts to the workers of the Dask scheduler at `address`, a few ahead each."""

    def __init__(self, address: str, spec: ModelSpec, task: Task = extract_batch) -> None:
        self.address = address
        self.spec = spec
        self.task = task
        self.client = _client(address)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self._run = uuid.uuid4().hex[:12]
        self._flying: dict[Any, Batch] = {}

    def _submit(self, batch: Batch, attempt: int) -> Any:
        future = self.client.submit(
            self.task,
            self.spec,
            batch[1],
            key=f"search-ner-{self._run}-{batch[0]}-{attempt}",
            pure=False,
        )
        self._flying[future] = batch
        return future

    def map(self, batches: Iterable[Batch]) -> Iterator[tuple[int, list[list[Mention]]]]:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        source = iter(batches)
        tries: dict[int, int] = {}
        stream = as_completed(loop=self.client.loop)
        exhausted = False

        def top_up() -> None:
            nonlocal exhausted
            # a few batches per worker in flight: enough to keep them busy, not the corpus
            ahead = AHEAD * max(1, len(self.client.scheduler_info().get("workers", {})))
            while not exhausted and len(self._flying) < ahead:
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                    return
                stream.add(self._submit(batch, 0))

        top_up()
        for future in stream:
            batch = self._flying.pop(future)
            try:
                result = future.result()
            except KilledWorker:
                tries[batch[0]] = tries.get(batch[0], 0) + 1
                if tries[batch[0]] > RETRIES:
                    raise ClusterError(
                        f"the Dask workers at {self.address} died {tries[batch[0]]} times "
                        f"running entity batch {batch[0]}",
                        hint="check the workers' logs and memory (each loads the model)",
                    ) from None
                stream.add(self._submit(batch, tries[batch[0]]))
                continue
            except OSError as exc:
                raise ClusterError(
                    f"lost the Dask cluster at {self.address}: {exc}", hint=_HINT
                ) from exc
            yield batch[0], as_mentions(result)
            top_up()

    def close(self) -> None:
        """Cancel what is still queued and disconnect; the cluster itself keeps running."""
        if self._flying:
            self.client.cancel(list(self._flying))
            self._flying.clear()
        self.client.close()
