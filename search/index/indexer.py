"""Indexer: documents → entities → Whoosh index, incrementally and crash-safely.

A run scans the corpus (cheap: parsing and hashing), compares each document's content hash
with the one stored in the index, runs NER only on new or changed documents, writes them in
batches that are each committed (so a run killed halfway leaves the last committed state and
the next run resumes), and finally removes documents whose source is gone. One indexer runs
at a time per index folder: the run holds an OS-level lock that dies with its process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.util.filelock import FileLock

from search.config import Settings
from search.errors import (
    IndexDamagedError,
    IndexError_,
    IndexLockedError,
    IndexVersionError,
    SearchError,
)
from search.index.dedup import sync as sync_dupes
from search.index.facet_base import CACHE_PREFIX, read_bases
from search.index.fields import document_fields, ner_text
from search.index.meta import (
    IndexMeta,
    index_exists,
    read_meta,
    surviving_roots,
    write_meta,
)
from search.index.schema import SCHEMA_VERSION, build_schema
from search.ingest.corpus import Corpus, Document
from search.ingest.entities import EntityExtractor, NullExtractor, SpacyExtractor
from search.results import IndexStats, Skip

RUN_LOCK = "search-indexer.lock"
WRITER_TIMEOUT = 30.0

Progress = Callable[[int, int], None]
"""Called as progress(done, total) while documents are analysed and written."""


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

    @property
    def extractor(self) -> EntityExtractor:
        """The NER backend, created on first use so unchanged corpora never load a model."""
        if self._extractor is None:
            self._extractor = (
                SpacyExtractor(
                    self.settings.model,
                    batch_size=self.settings.nlp_batch_size,
                    n_process=self.settings.nlp_processes,
                )
                if self.settings.entities
                else NullExtractor()
            )
        return self._extractor

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
    ) -> IndexStats:
        """Bring the index up to date with the corpus at `paths` (default: the recorded ones)."""
        started = time.perf_counter()
        created = not self.index_dir.exists()
        lock_path = self.index_dir / RUN_LOCK
        lock_was_there = lock_path.exists()
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            run_lock = FileLock(str(lock_path))
            locked = run_lock.acquire()
        except OSError as exc:
            raise IndexError_(
                f"cannot use {self.index_dir}/ as the index folder: {exc.strerror or exc}",
                hint="choose a folder you can write to, with --index or SEARCH_INDEX",
            ) from exc
        if not locked:
            raise IndexLockedError(
                f"another `search index` is writing to {self.index_dir}/",
                hint="wait for it to finish, then run this again",
            )
        try:
            ix, roots = self._open(paths, rebuild)
            return self._update(ix, roots, progress, started)
        except BrokenPipeError:
            raise
        except OSError as exc:  # a full disk, a folder made read-only...
            raise IndexError_(
                f"cannot write the index in {self.index_dir}/: {exc.strerror or exc}",
                hint="check the folder's free space and permissions, then run this again: "
                "the batches already committed are kept",
            ) from exc
        finally:
            # a run refused before writing an index (no such corpus folder) leaves the
            # folder as it found it, not holding a stray lock file
            tidy = not lock_was_there and not index_exists(self.index_dir)
            if tidy:
                lock_path.unlink(missing_ok=True)
            run_lock.release()
            if tidy and created:
                with suppress(OSError):
                    self.index_dir.rmdir()

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
        here = self.index_dir.resolve()
        for root in map(Path, roots):
            if root.is_dir() and here.is_relative_to(root.resolve()):
                # the index would index its own files, and a --rebuild would wipe documents
                raise IndexError_(
                    f"the index folder {self.index_dir}/ is inside the folder being indexed, "
                    f"{root}/",
                    hint="keep the index outside the documents: --index ./index or "
                    "SEARCH_INDEX",
                )
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
        self, ix: Any, roots: list[str], progress: Progress | None, started: float
    ) -> IndexStats:
        try:
            existing = _existing(ix)
        except Exception as exc:  # Whoosh raises many types for damaged files
            raise IndexDamagedError(
                f"the index in {self.index_dir}/ cannot be read: {exc}",
                hint="rebuild it with `search index --rebuild`",
            ) from exc
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
        keep = _unreadable(corpus.skipped, roots)
        gone = [
            doc_id
            for doc_id, (_, path) in existing.items()
            if doc_id not in seen and not keep(path)
        ]
        if todo:
            self._write(ix, todo, existing, progress)
            if self._extractor is not None:
                # The exact model version is known only once it is loaded.
                meta = read_meta(self.index_dir)
                write_meta(
                    self.index_dir,
                    IndexMeta(
                        meta.schema_version,
                        self._model_name(),
                        meta.entities,
                        meta.roots,
                        meta.facets,
                    ),
                )
        if gone:
            writer = self._writer(ix)
            for doc_id in gone:
                writer.delete_by_term("id", doc_id)
            writer.commit()
        sync_dupes(self.index_dir, ix, existing, todo, gone)  # copies of one story
        with ix.searcher() as s:
            total = s.doc_count()
            # Warm the facet cache now, so the first search after indexing starts fast.
            reader = s.reader()
            read_bases(reader, tuple(self.settings.facets), self.index_dir, reader.generation())
        return IndexStats(
            indexed=len(todo),
            unchanged=unchanged,
            removed=len(gone),
            skipped=tuple(corpus.skipped),
            ignored=corpus.ignored,
            documents=total,
            elapsed=time.perf_counter() - started,
            entities=self.settings.entities,
        )

    def _writer(self, ix: Any) -> Any:
        from whoosh.index import LockError

        try:
            return ix.writer(timeout=WRITER_TIMEOUT, limitmb=256)
        except LockError as exc:
            raise IndexLockedError(
                f"the index in {self.index_dir}/ is locked by another writer",
                hint="wait for the other process to finish, then run this again",
            ) from exc

    def _write(
        self,
        ix: Any,
        todo: list[Document],
        existing: dict[str, tuple[str, str]],
        progress: Progress | None,
    ) -> None:
        facets = tuple(self.settings.facets)
        total = len(todo)
        if progress:
            progress(0, total)
        batch = self.settings.batch_size
        # One stream through the extractor for the whole run (spaCy worker processes start
        # once), cut into batches that are each committed: the unit of crash safety.
        mentions = self.extractor.extract(ner_text(d.title, d.text) for d in todo)
        writer = None
        try:
            for done, (doc, found) in enumerate(zip(todo, mentions, strict=True), 1):
                if writer is None:
                    writer = self._writer(ix)
                fields = document_fields(doc, found, facets)
                if doc.id in existing:
                    writer.update_document(**fields)
                else:
                    writer.add_document(**fields)
                if done % batch == 0 or done == total:
                    writer.commit()
                    writer = None
                if progress:
                    progress(done, total)
        except BaseException:
            # a commit that failed part way (a full disk) has closed the writer already;
            # cancelling it then would replace the real error with "This writer is closed"
            if writer is not None and not writer.is_closed:
                with suppress(Exception):
                    writer.cancel()
            raise


_KEEPS_DOCUMENTS = ("cannot read", "cannot parse", "invalid JSON")
"""Skip reasons that leave a file's indexed documents in place."""


def _unreadable(skips: Sequence[Skip], roots: Sequence[str]) -> Callable[[str], bool]:
    """Which indexed paths to keep although unseen: their file or folder could not be read,
    or parsed whole.

    A transient read failure (permissions, a file being replaced) must not delete what was
    indexed from it before, nor must a file that fails to parse (a record cut off mid-write
    hides which ids the rest would have had); a file the user deleted or emptied is removed
    as usual.
    """
    failed = [s.path for s in skips if s.reason.startswith(_KEEPS_DOCUMENTS)]
    files = {p for p in failed if not p.endswith("/")}
    folders = tuple(p for p in failed if p.endswith("/"))
    if len(roots) == 1 and f"{Path(roots[0]).name}/" in folders:
        return lambda path: True
    return lambda path: path in files or path.startswith(folders)


def _existing(ix: Any) -> dict[str, tuple[str, str]]:
    """Map each indexed document id to its (content hash, source path), from columns."""
    found: dict[str, tuple[str, str]] = {}
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return found
        ids = reader.column_reader("id")
        hashes = reader.column_reader("hash")
        paths = reader.column_reader("path")
        for docnum in reader.all_doc_ids():
            found[ids[docnum]] = (hashes[docnum], paths[docnum])
    return found


def build(
    paths: Sequence[Path | str] | None = None,
    index_dir: Path | str | None = None,
    *,
    rebuild: bool = False,
    settings: Settings | None = None,
    extractor: EntityExtractor | None = None,
    progress: Progress | None = None,
) -> IndexStats:
    """Index the documents at `paths` into `index_dir`; returns what was done."""
    settings = settings or Settings.from_env()
    target = Path(index_dir) if index_dir is not None else settings.index_dir
    return Indexer(target, settings, extractor).run(
        paths, rebuild=rebuild, progress=progress
    )
