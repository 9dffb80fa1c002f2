"""Entity phase: documents already searchable by their text get their entities, batch by batch.

The text phase (`indexer.py`) writes every new or changed document with the `pending` flag.
This phase reads the pending documents back from the index (so a run killed halfway resumes
from the index alone), runs NER once per distinct content hash through a `Runner` (this
process, one worker per core, or a Dask cluster), and rewrites each document with its entity
fields and without the flag. Writes are committed every `batch_size` documents or every
COMMIT_SECONDS, whichever comes first, so searches see the entities fill in. Until the
phase's last commit, the text phase's copies of rewritten documents may still count in term
statistics (copying their segments at every batch cost more than the NER at 40k documents);
the last commit, or the next run's after a kill, leaves each document counted once.

The rewrite starts from the document's stored fields: a field the text phase writes must be
stored (or added here again), or the rewrite drops it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from whoosh.query import Term

from search.config import Settings
from search.index.early_ner import EarlyNer
from search.index.fields import entity_fields, ner_text, stored_mentions
from search.index.progress import IndexProgress, Progress, RateMeter
from search.index.schema import PENDING, PENDING_FIELD
from search.ingest.entities import EntityExtractor, Mention
from search.ingest.pool import (
    Batch,
    InlineRunner,
    ModelSpec,
    ProcessRunner,
    Runner,
    cores,
)

PARALLEL_MIN_TEXTS = 400
"""Fewer texts than this are run through NER in this process: starting worker processes
(each loads the model, a few seconds) would not pay for itself."""
COMMIT_SECONDS = 10.0
"""Longest time results wait uncommitted: new entities reach searchers at least this often."""



def pending_docnums(searcher: Any) -> list[int]:
    """The documents still waiting for their entities, in docnum order."""
    return sorted(searcher.docs_for_query(Term(PENDING_FIELD, PENDING)))


def count_pending(searcher: Any) -> int:
    """How many documents still wait for their entities (0 for an index without entities)."""
    if PENDING_FIELD not in searcher.schema:
        return 0
    return sum(1 for _ in searcher.docs_for_query(Term(PENDING_FIELD, PENDING)))


def entities_by_hash(
    reader: Any, hashes: set[str], facets: Sequence[str]
) -> dict[str, list[Mention]]:
    """The mentions of finished documents with one of these content hashes (exact
    duplicates): their entity fields are made from them as from a fresh NER run."""
    if not hashes or reader.doc_count() == 0:
        return {}
    hash_column = reader.column_reader("hash")
    pending = set(reader.postings(PENDING_FIELD, PENDING).all_ids()) if (
        PENDING_FIELD, PENDING) in reader else set()
    found: dict[str, list[Mention]] = {}
    for docnum in reader.all_doc_ids():
        content_hash = hash_column[docnum]
        if content_hash in hashes and content_hash not in found and docnum not in pending:
            found[content_hash] = stored_mentions(reader.stored_fields(docnum))
    return found


def merge_batch(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy between batches: segments whose documents were all rewritten are
    dropped (at no cost), small ones merged as usual; partly rewritten text segments are left
    for the phase's last commit, as copying them now would copy postings the next batches
    delete again."""
    from whoosh.writing import MERGE_SMALL

    live = [seg for seg in segments if seg.deleted_count() < seg.doc_count_all()]
    return list(MERGE_SMALL(writer, live))


def merge_rewritten(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy for the phase's last commit: every segment with rewritten
    documents is copied without them, so BM25 statistics count each document once.

    The entity phase rewrites documents, so the text phase's segments fill up with deleted
    copies; Whoosh keeps counting those in term statistics (BM25's document frequencies)
    until their segment is merged. A segment whose documents were all rewritten is dropped
    at no cost.
    """
    from whoosh.reading import SegmentReader
    from whoosh.writing import MERGE_SMALL

    clean = []
    for seg in segments:
        if not seg.has_deletions():
            clean.append(seg)
        elif seg.deleted_count() < seg.doc_count_all():
            reader = SegmentReader(writer.storage, writer.schema, seg)
            writer.add_reader(reader)
            reader.close()
    return list(MERGE_SMALL(writer, clean))


class Enricher:
    """Adds entities to every pending document of one open index."""

    def __init__(
        self,
        ix: Any,
        facets: Sequence[str],
        writer: Callable[[Any], Any],
        batch_size: int,
        task_size: int,
    ) -> None:
        self.ix = ix
        self.facets = tuple(facets)
        self._new_writer = writer
        self.batch_size = max(1, batch_size)
        self.task_size = max(1, task_size)

    def pending(self) -> list[dict[str, Any]]:
        """The stored fields of every pending document (text, metadata, hash)."""
        with self.ix.searcher() as s:
            return [dict(s.stored_fields(n)) for n in pending_docnums(s)]

    def run(
        self,
        todo: list[dict[str, Any]],
        runner: Runner,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
        early: EarlyNer | None = None,
    ) -> int:
        """Give each document of `todo` its entities; returns how many were written.

        Exact duplicates (same content hash) share one NER run. `stop` ends the run after the
        batch in hand, committing what is done; an exception cancels the uncommitted batch.
        With `early`, the NER the text phase started comes first (in `runner`'s workers).
        """
        groups: dict[str, list[dict[str, Any]]] = {}
        for fields in todo:
            groups.setdefault(str(fields["hash"]), []).append(fields)
        total = len(todo)
        meter = RateMeter()
        if progress:
            progress(IndexProgress("loading", 0, total))
        done = 0
        uncommitted = 0
        last_commit = time.monotonic()
        writer = None
        first = True
        try:
            for chunk, found in self._results(groups, runner, early):
                if writer is None:
                    writer = self._new_writer(self.ix)
                for content_hash, mentions in zip(chunk, found, strict=True):
                    extra = entity_fields(mentions, _text_of(groups[content_hash][0]), self.facets)
                    for fields in groups[content_hash]:
                        writer.update_document(**fields, **extra)
                        done += 1
                        uncommitted += 1
                now = time.monotonic()
                if uncommitted >= self.batch_size or now - last_commit >= COMMIT_SECONDS:
                    writer.commit(mergetype=merge_batch)
                    writer, uncommitted, last_commit = None, 0, now
                if first:
                    # the first batch also waited for the model: the rate starts after it
                    # (for NER begun in the text phase, when it came back: the batches done
                    # since then arrive at once, and are no burst of speed)
                    meter.start(done, at=early.first_at if early is not None else None)
                    first = False
                    if progress:
                        progress(IndexProgress("entities", done, total))
                elif progress:
                    progress(meter.report("entities", done, total))
                if stop is not None and stop.is_set():
                    break
            if writer is not None:
                writer.commit(mergetype=merge_rewritten)
                writer = None
        except BaseException:
            if writer is not None:
                writer.cancel()
            raise
        finally:
            if early is not None:
                early.cancel()
            runner.close()
        return done

    def _results(
        self, groups: dict[str, list[dict[str, Any]]], runner: Runner, early: EarlyNer | None
    ) -> Iterator[tuple[list[str], list[list[Mention]]]]:
        """(content hashes, their mentions) for every group: the early NER's first, then
        NER here for the rest (documents left pending by an earlier run, say)."""
        done: set[str] = set()
        if early is not None:
            for chunk, found in early.results():
                kept = [(h, f) for h, f in zip(chunk, found, strict=True)
                        if h in groups and h not in done]
                done.update(h for h, _ in kept)
                if kept:
                    yield [h for h, _ in kept], [f for _, f in kept]
        rest = [h for h in groups if h not in done]
        chunks = [rest[i : i + self.task_size] for i in range(0, len(rest), self.task_size)]
        batches: Iterator[Batch] = (
            (n, [_text_of(groups[h][0]) for h in chunk]) for n, chunk in enumerate(chunks)
        )
        for number, found in runner.map(batches):
            yield chunks[number], found


class Enrichment:
    """The entity phase running in a thread after `Indexer.run(wait=False)` returned.

    `work(stop, report)` runs in the thread; `release` (the run lock's) is called when it
    ends. `stop()` ends it after the batch in hand, keeping every committed batch (the next
    run resumes the rest). A failure is kept in `error` and re-raised by `wait()`. The thread
    is not a daemon: a script that returns from `build(wait=False)` still finishes it.
    """

    def __init__(
        self,
        work: Callable[[threading.Event, Progress], int],
        progress: Progress | None,
        release: Callable[[], None],
    ) -> None:
        self._stop = threading.Event()
        self.added = 0
        self.error: BaseException | None = None
        self.last: IndexProgress | None = None
        """The latest progress report, for a toolbar that polls."""
        self._progress = progress
        self._release = release
        self._thread = threading.Thread(
            target=self._run, args=(work,), name="search-entities"
        )
        self._thread.start()

    def _report(self, event: IndexProgress) -> None:
        self.last = event
        if self._progress:
            self._progress(event)

    def _run(self, work: Callable[[threading.Event, Progress], int]) -> None:
        try:
            self.added = work(self._stop, self._report)
        except BaseException as exc:  # noqa: BLE001 - re-raised by wait()
            self.error = exc
        finally:
            self._release()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Ask the phase to end after the batch in hand; `wait()` for it."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the phase ends; True if it has. Re-raises the phase's failure."""
        self._thread.join(timeout)
        if self.error is not None:
            raise self.error
        return not self._thread.is_alive()


def choose_runner(
    settings: Settings,
    extractor: EntityExtractor | None,
    texts: int,
    background: bool,
) -> Runner:
    """Where NER runs: a given extractor here, a cluster, a few texts here, else a pool.

    The pool has one process per core unless SEARCH_NLP_PROCESSES asks for fewer (or more);
    never more processes than batches. In the background (the REPL is running) NER always
    goes to other processes, so it never competes with the prompt for this one.
    """
    if extractor is not None:
        return InlineRunner(extractor)
    spec = ModelSpec(settings.model, settings.nlp_batch_size)
    if settings.cluster:
        from search.ingest.cluster import ClusterRunner

        runner: Runner = ClusterRunner(settings.cluster, spec)
        return runner
    if texts < PARALLEL_MIN_TEXTS and not background:
        return InlineRunner(spec.load())
    task = min(settings.nlp_batch_size, settings.batch_size)
    batches = -(-texts // task)
    wanted = settings.nlp_processes or cores()
    return ProcessRunner(spec, max(1, min(wanted, batches)))


def start_workers(settings: Settings, texts: int, background: bool) -> Runner | None:
    """The worker pool `choose_runner` would pick for `texts`, started now so that its
    processes load the model while the text phase writes (it leaves the other cores idle);
    None when NER would run in this process or on a cluster."""
    if settings.cluster or (texts < PARALLEL_MIN_TEXTS and not background):
        return None
    runner = choose_runner(settings, None, texts, background)
    if isinstance(runner, ProcessRunner):
        runner.start()
    return runner


def _text_of(stored: Mapping[str, Any]) -> str:
    """What NER reads of a stored document (and its mentions' offsets point into)."""
    return ner_text(stored.get("title", ""), stored.get("body", ""))
