"""NER runners: batches of texts in, one plain mention list per text out, on one or many cores.

The entity phase hands a runner numbered batches of texts and takes back `(number, mentions)`
pairs in whatever order they finish. `InlineRunner` runs an extractor in this process (small
jobs, tests); `ProcessRunner` keeps one worker process per core, each loading the model once;
`search.ingest.cluster.ClusterRunner` does the same on a Dask cluster. Workers return plain
tuples, not spaCy objects, so what crosses a process boundary is small and version-proof.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Protocol

from search.config import DEFAULT_MODEL
from search.errors import ModelError
from search.ingest.entities import EntityExtractor, Mention, SpacyExtractor

Batch = tuple[int, list[str]]
"""A numbered batch of texts."""
PlainMention = tuple[str, str, int, int]
"""A mention as (text, label, start, end): what workers send back."""

RETRIES = 2
"""How many times a batch is resubmitted after the process running it died."""

Task = Callable[["ModelSpec", list[str]], list[list[PlainMention]]]
"""What a worker runs on one batch (`extract_batch`; tests pass stand-ins)."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """What a worker needs to build its extractor: picklable, so it can travel to a worker."""

    model: str = DEFAULT_MODEL
    batch_size: int = 64

    def load(self) -> SpacyExtractor:
        return SpacyExtractor(self.model, batch_size=self.batch_size, n_process=1)


AHEAD = 8
"""Batches queued per worker: enough to keep the workers busy while this process commits a
batch of results (a commit that merges segments of a large index takes seconds, and with
only a batch or two queued the workers sat idle through it)."""

_loaded: dict[ModelSpec, SpacyExtractor] = {}
_one_at_a_time = threading.Lock()


def extract_batch(spec: ModelSpec, texts: list[str]) -> list[list[PlainMention]]:
    """Run on a worker: the model is loaded on the first call and kept for the next ones.

    One batch at a time per process: a Dask worker with several threads would otherwise
    load the model twice, and a spaCy pipeline is not meant to be shared across threads.
    """
    with _one_at_a_time:
        extractor = _loaded.get(spec)
        if extractor is None:
            extractor = _loaded[spec] = spec.load()
        return [
            [(m.text, m.label, m.start, m.end) for m in found]
            for found in extractor.extract(texts)
        ]


WORKER_NICENESS = 10
"""Workers run at a lower priority than the process writing the index: the text phase (and
the REPL) keep their core while NER takes every cycle left over."""


def _start_worker(spec: ModelSpec | None) -> None:
    """Pool initializer: ignore Ctrl-C (it is the main process's to handle: the REPL uses it
    to drop a line), yield the CPU to the main process, then load the model before the first
    batch arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with suppress(OSError):
        os.nice(WORKER_NICENESS)
    if spec is not None:
        extract_batch(spec, [])


def _ready() -> None:
    """A task that makes the pool start a worker (its initializer loads the model)."""


def as_mentions(plain: list[list[PlainMention]]) -> list[list[Mention]]:
    return [[Mention(*m) for m in found] for found in plain]


class Runner(Protocol):
    """Runs NER on numbered batches; yields (number, mentions per text) as batches finish."""

    workers: int

    def map(self, batches: Iterable[Batch]) -> Iterator[tuple[int, list[list[Mention]]]]:
        ...

    def close(self) -> None:
        """Stop at once: batches not yet returned are abandoned (they stay pending)."""
        ...


class InlineRunner:
    """An extractor called in this process, batch by batch, in order."""

    workers = 1

    def __init__(self, extractor: EntityExtractor) -> None:
        self.extractor = extractor

    def map(self, batches: Iterable[Batch]) -> Iterator[tuple[int, list[list[Mention]]]]:
        for number, texts in batches:
            yield number, list(self.extractor.extract(texts))

    def close(self) -> None:
        pass


def _may_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ProcessRunner:
    """`workers` processes, each loading the model once, fed a few batches ahead.

    A worker that dies (killed, out of memory) breaks the pool: the batches it had in flight
    are resubmitted to a fresh pool, up to RETRIES times each, so a crash costs those batches
    only. Workers are forked when this process runs a single thread (so a script calling
    `search.build` needs no `if __name__ == "__main__"` guard), else spawned: forking a
    process with threads (the REPL, `build(wait=False)`) can deadlock the child.
    """

    def __init__(self, spec: ModelSpec, workers: int, task: Task | None = None) -> None:
        self.spec = spec
        self.workers = max(1, workers)
        self.task: Task = task or extract_batch
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def _fresh_pool(self) -> ProcessPoolExecutor:
        import multiprocessing

        self._shutdown()
        self._pool = ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("fork" if _may_fork() else "spawn"),
            initializer=_start_worker,
            initargs=(self.spec if self.task is extract_batch else None,),
        )
        return self._pool

    def start(self) -> None:
        """Start the workers now, each loading the model, so that they are ready when the
        first batch comes (the indexer calls this before writing the text phase, whose one
        core leaves the others idle)."""
        if self._pool is None:
            self._closed = False
        pool = self._pool or self._fresh_pool()
        for _ in range(self.workers):
            pool.submit(_ready)

    def map(self, batches: Iterable[Batch]) -> Iterator[tuple[int, list[list[Mention]]]]:
        if self._pool is None:
            self._closed = False
        pool = self._pool or self._fresh_pool()
        source = iter(batches)
        flying: dict[Future[list[list[PlainMention]]], Batch] = {}
        tries: dict[int, int] = {}
        ahead = AHEAD * self.workers
        exhausted = False
        while True:
            while not exhausted and len(flying) < ahead:
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                    break
                flying[pool.submit(self.task, self.spec, batch[1])] = batch
            if not flying:
                return
            done, _ = wait(flying, return_when=FIRST_COMPLETED)
            if self._closed:  # closed from another thread (the early NER's): no retries
                return
            lost: list[Batch] = []
            for future in done:
                batch = flying.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    lost.append(batch)
                    continue
                except ModelError:
                    raise
                yield batch[0], as_mentions(result)
            if lost:
                # every batch in flight is lost with the pool, not only the dead worker's
                lost += list(flying.values())
                flying.clear()
                for number, _ in lost:
                    tries[number] = tries.get(number, 0) + 1
                    if tries[number] > RETRIES:
                        raise ModelError(
                            f"NER worker processes died {tries[number]} times on batch "
                            f"{number}",
                            hint="check free memory (each worker loads its own model), or "
                            "run fewer with SEARCH_NLP_PROCESSES",
                        )
                pool = self._fresh_pool()
                for batch in lost:
                    flying[pool.submit(self.task, self.spec, batch[1])] = batch

    def _shutdown(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # Terminate rather than wait: a worker mid-batch would hold up quitting for seconds.
        processes: dict[Any, Any] = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self._closed = True
        self._shutdown()


