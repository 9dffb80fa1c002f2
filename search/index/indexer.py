"""Indexer: documents → Whoosh index in two phases, incrementally and crash-safely.

A run scans the corpus (cheap: parsing and hashing) and compares each document's content hash
with the one stored in the index. Phase 1 writes the text of new or changed documents in
committed batches, flagged as pending entities, and removes documents whose source is gone:
from then on everything is searchable. Phase 2 (`enricher.py`) runs NER on the pending
documents and rewrites them with their entities, also in committed batches; it reads its work
from the index, so a run killed in either phase resumes where it stopped. An exact duplicate
of a finished document takes its entities at once. One indexer runs at a time per index
folder: the run holds an OS-level lock that dies with its process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search.config import Settings
from search.errors import (
    IndexDamagedError,
    IndexLockedError,
    IndexVersionError,
    SearchError,
)
from search.index.dedup import sync as sync_dupes
from search.index.early_ner import EarlyNer
from search.index.enricher import (
    Enricher,
    Enrichment,
    choose_runner,
    count_pending,
    start_workers,
)
from search.index.facet_base import CACHE_PREFIX, read_bases
from search.index.folder import (
    RUN_LOCK,
    WRITER_TIMEOUT,
    clear_failure,
    existing_documents,
    kept_paths,
    lock_folder,
    open_writer,
    record_failure,
    refuse_index_inside,
    release_lock,
    write_errors,
)
from search.index.meta import (
    IndexMeta,
    index_exists,
    read_meta,
    surviving_roots,
    write_meta,
)
from search.index.progress import IndexProgress, Progress
from search.index.schema import SCHEMA_VERSION, build_schema
from search.index.text_phase import donors, ner_items, write_texts
from search.ingest.corpus import Corpus, Document
from search.ingest.entities import EntityExtractor
from search.ingest.pool import Runner
from search.results import IndexStats

__all__ = ["RUN_LOCK", "WRITER_TIMEOUT", "IndexProgress", "Indexer", "Progress", "build"]


class Indexer:
    """Builds or updates the index in one folder from one corpus."""

    def __init__(
        self,
        index_dir: Path | str,
        settings: Settings | None = None,
        extractor: EntityExtractor | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.settings = settings or Settings()
        self._extractor = extractor
        self.enrichment: Enrichment | None = None
        self._runner: Runner | None = None
        """NER workers started while the text phase writes, for the entity phase to use."""
        self._early: EarlyNer | None = None
        """The NER they run on the text phase's documents meanwhile."""

    def _model_name(self) -> str:
        if not self.settings.entities:
            return "none"
        if self._extractor is not None:
            return self._extractor.name.split("@")[0]
        return f"spacy:{self.settings.model}"

    def run(
        self,
        paths: Sequence[Path | str] | None = None,
        rebuild: bool = False,
        progress: Progress | None = None,
        wait: bool = True,
    ) -> IndexStats:
        """Bring the index up to date with the corpus at `paths` (default: the recorded ones).

        With wait=False it returns once the text is committed (everything searchable) and the
        entity phase goes on in a thread, `self.enrichment`, which holds the run lock until done.
        """
        started = time.perf_counter()
        created = not self.index_dir.exists()
        lock_was_there = (self.index_dir / RUN_LOCK).exists()
        run_lock = lock_folder(self.index_dir)
        handed_over = False
        try:
            with write_errors(self.index_dir):
                ix, roots = self._open(paths, rebuild)
                stats = self._update(ix, roots, progress, started, background=not wait)
            if not stats.entities_pending:
                return stats
            runner, self._runner = self._runner, None
            early, self._early = self._early, None
            if wait:
                with write_errors(self.index_dir):
                    added = self._enrich(ix, progress, False, None, runner, early)
                return self._finish(ix, stats, added, started)
            self.enrichment = Enrichment(
                lambda stop, report: self._enrich_in_background(ix, report, stop, runner, early),
                progress,
                run_lock.release,
            )
            handed_over = True
            return stats
        finally:
            if self._early is not None:  # started for an entity phase that will not run
                self._early.cancel()
                self._early = None
            if self._runner is not None:
                self._runner.close()
                self._runner = None
            if not handed_over:
                release_lock(self.index_dir, run_lock, created, lock_was_there)

    def resume(self, progress: Progress | None = None) -> Enrichment | None:
        """Go on adding entities to the pending documents, in a thread; no corpus scan.

        None when there is nothing to do, or another indexer holds the index (it will).
        """
        if not self.settings.entities or not index_exists(self.index_dir):
            return None
        try:
            run_lock = lock_folder(self.index_dir)
        except IndexLockedError:
            return None
        try:
            recorded = read_meta(self.index_dir)
            if not recorded.entities or recorded.model != self._model_name():
                run_lock.release()  # the next `search index` says what is wrong
                return None
            ix = whoosh_index.open_dir(str(self.index_dir))
            with ix.searcher() as s:
                if not count_pending(s):
                    run_lock.release()
                    return None
        except BaseException:
            run_lock.release()
            raise
        self.enrichment = Enrichment(
            lambda stop, report: self._enrich_in_background(ix, report, stop),
            progress,
            run_lock.release,
        )
        return self.enrichment

    def _open(
        self, paths: Sequence[Path | str] | None, rebuild: bool
    ) -> tuple[Any, list[str]]:
        facets = tuple(self.settings.facets)
        exists = index_exists(self.index_dir)
        recorded: IndexMeta | None = None
        if exists and not rebuild:
            recorded = read_meta(self.index_dir)
            if recorded.entities != self.settings.entities or (
                self.settings.entities and recorded.model != self._model_name()
            ):
                raise IndexVersionError(
                    f"the index in {self.index_dir}/ was built with entities from "
                    f"{recorded.model!r}; this run would use {self._model_name()!r}",
                    hint="rebuild it with `search index --rebuild`, or set SEARCH_MODEL to "
                    "the model it was built with",
                )
        elif exists and not paths:
            # a rebuild (of a damaged or older index, say) starts over from the corpus it was
            # built from
            with suppress(SearchError):
                recorded = read_meta(self.index_dir, any_version=True)
        if paths:
            roots = [str(Path(p)) for p in paths]
        elif recorded is not None and recorded.roots:
            roots = list(recorded.roots)
        else:
            roots = list(surviving_roots(self.index_dir, self.settings.corpus))
        # a mistyped folder is reported before anything is created, or wiped by --rebuild
        Corpus([Path(r) for r in roots], max_file_bytes=self.settings.max_file_bytes)
        refuse_index_inside(self.index_dir, roots)
        meta = IndexMeta(
            SCHEMA_VERSION,
            self._model_name(),
            self.settings.entities,
            tuple(roots),
            facets,
        )
        if not exists:
            # the record first: a run killed before the index exists leaves a folder with no
            # index, not an index without its record (which only --rebuild would get past)
            write_meta(self.index_dir, meta)
        if exists and not rebuild:
            try:
                ix = whoosh_index.open_dir(str(self.index_dir))
            except Exception as exc:  # Whoosh raises many types for damaged files
                raise IndexDamagedError(
                    f"the index in {self.index_dir}/ cannot be opened: {exc}",
                    hint="rebuild it with `search index --rebuild`",
                ) from exc
        else:
            # generations count from 0 again: facet caches of the old ones would pass for new
            for cache in self.index_dir.glob(f"{CACHE_PREFIX}*"):
                cache.unlink(missing_ok=True)
            ix = whoosh_index.create_in(str(self.index_dir), build_schema(facets))
        write_meta(self.index_dir, meta)
        return ix, roots

    def _update(
        self,
        ix: Any,
        roots: list[str],
        progress: Progress | None,
        started: float,
        background: bool = False,
    ) -> IndexStats:
        """Phase 1: scan, write the text of what changed, remove what is gone."""
        try:
            existing = existing_documents(ix)
        except Exception as exc:  # Whoosh raises many types for damaged files
            raise self._damaged(exc) from exc
        corpus = Corpus(
            [Path(r) for r in roots],
            max_file_bytes=self.settings.max_file_bytes,
            follow_links=self.settings.follow_links,
        )
        todo: list[Document] = []
        seen: set[str] = set()
        unchanged = 0
        for doc in corpus.documents():
            seen.add(doc.id)
            old = existing.get(doc.id)
            if old is not None and old[0] == doc.content_hash:
                unchanged += 1
            else:
                todo.append(doc)
        keep = kept_paths(corpus.skipped, roots)
        gone = [
            doc_id
            for doc_id, (_, path) in existing.items()
            if doc_id not in seen and not keep(path)
        ]

        given = donors(ix, todo, self.settings) if todo else {}
        if todo and self.settings.entities and self._extractor is None:
            items = ner_items(todo, given)
            self._runner = start_workers(self.settings, len(items), background)
            if self._runner is not None and items:
                # the workers run NER while this process writes the text
                task = min(self.settings.nlp_batch_size, self.settings.batch_size)
                self._early = EarlyNer(self._runner, items, task)
        if todo:
            write_texts(ix, todo, existing, self.settings, self._writer, progress, given)
        if gone:
            writer = self._writer(ix)
            for doc_id in gone:
                writer.delete_by_term("id", doc_id)
            writer.commit()
        sync_dupes(self.index_dir, ix, existing, todo, gone)  # copies of one story
        try:  # the old segments may be damaged where the first read did not reach
            with ix.searcher() as s:
                total, pending = s.doc_count(), count_pending(s)
        except Exception as exc:
            raise self._damaged(exc) from exc
        if not pending:
            self._warm(ix)  # else the entity phase will change the facets at once
        return IndexStats(
            indexed=len(todo),
            unchanged=unchanged,
            removed=len(gone),
            skipped=tuple(corpus.skipped),
            ignored=corpus.ignored,
            documents=total,
            elapsed=time.perf_counter() - started,
            entities=self.settings.entities,
            entities_pending=pending,
        )

    def _damaged(self, exc: Exception) -> IndexDamagedError:
        return IndexDamagedError(
            f"the index in {self.index_dir}/ cannot be read: {exc}",
            hint="rebuild it with `search index --rebuild`",
        )

    def _finish(self, ix: Any, stats: IndexStats, added: int, started: float) -> IndexStats:
        """The stats of a run whose entity phase has ended (or stopped)."""
        pending = self._warm(ix)
        return replace(
            stats,
            entities_added=added,
            entities_pending=pending,
            elapsed=time.perf_counter() - started,
        )

    def _warm(self, ix: Any) -> int:
        """Build the facet cache now, so the first search starts fast; returns entities_pending."""
        with ix.searcher() as s:
            reader = s.reader()
            read_bases(reader, tuple(self.settings.facets), self.index_dir, reader.generation())
            return count_pending(s)

    def _enrich(
        self,
        ix: Any,
        progress: Progress | None,
        background: bool,
        stop: threading.Event | None = None,
        runner: Runner | None = None,
        early: EarlyNer | None = None,
    ) -> int:
        """Phase 2: entities for every pending document; returns how many got them (in
        `runner`'s workers when the text phase started them)."""
        enricher = Enricher(
            ix,
            tuple(self.settings.facets),
            self._writer,
            batch_size=self.settings.batch_size,
            task_size=min(self.settings.nlp_batch_size, self.settings.batch_size),
        )
        clear_failure(self.index_dir)  # this run is the one to say how it went
        todo = enricher.pending()
        if not todo:
            if early is not None:
                early.cancel()
            if runner is not None:
                runner.close()
            return 0
        if runner is None:
            runner = choose_runner(
                self.settings, self._extractor, len({d["hash"] for d in todo}), background
            )
        return enricher.run(todo, runner, progress, stop, early)

    def _enrich_in_background(
        self,
        ix: Any,
        progress: Progress,
        stop: threading.Event,
        runner: Runner | None = None,
        early: EarlyNer | None = None,
    ) -> int:
        try:
            with write_errors(self.index_dir):
                added = self._enrich(ix, progress, True, stop, runner, early)
                self._warm(ix)
        except Exception as exc:
            record_failure(self.index_dir, exc)  # nobody waits on this thread to be told
            raise
        return added

    def _writer(self, ix: Any) -> Any:
        return open_writer(ix, self.index_dir)


def build(
    paths: Sequence[Path | str] | None = None,
    index_dir: Path | str | None = None,
    *,
    rebuild: bool = False,
    settings: Settings | None = None,
    extractor: EntityExtractor | None = None,
    progress: Progress | None = None,
    wait: bool = True,
) -> IndexStats:
    """Index the documents at `paths` into `index_dir`; returns what was done.

    With wait=False it returns as soon as every document is searchable by its text
    (`entities_pending` says how many still wait for entities); the entity phase goes on in
    a non-daemon thread, so a script that then exits still finishes it first.
    """
    settings = settings or Settings.from_env()
    target = Path(index_dir) if index_dir is not None else settings.index_dir
    return Indexer(target, settings, extractor).run(
        paths, rebuild=rebuild, progress=progress, wait=wait
    )
