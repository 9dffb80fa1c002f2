"""The index folder: one indexer at a time, writers that say who holds them, write errors.

Shared by both indexing phases (`indexer.py`, `enricher.py`): the run lock is an OS-level
lock that dies with its process; a Whoosh writer that cannot be had within WRITER_TIMEOUT is
an `IndexLockedError`; an OSError while writing (a full disk, a folder made read-only) is an
`IndexError_` that says the committed batches are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh.util.filelock import FileLock

from search.errors import IndexError_, IndexLockedError, SearchError
from search.files import write_atomically
from search.index.meta import index_exists
from search.results import Skip

RUN_LOCK = "search-indexer.lock"
FAILED = "search-entities-failed.json"
"""Why the last entity phase that ran in the background stopped, until one runs again."""
WRITER_TIMEOUT = 30.0


def lock_folder(index_dir: Path) -> Any:
    """The run lock of `index_dir`, held (creating the folder if need be)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        run_lock = FileLock(str(index_dir / RUN_LOCK))
        locked = run_lock.acquire()
    except OSError as exc:
        raise IndexError_(
            f"cannot use {index_dir}/ as the index folder: {exc.strerror or exc}",
            hint="choose a folder you can write to, with --index or SEARCH_INDEX",
        ) from exc
    if not locked:
        raise IndexLockedError(
            f"another `search index` is writing to {index_dir}/",
            hint="wait for it to finish, then run this again",
        )
    return run_lock


def release_lock(index_dir: Path, run_lock: Any, created: bool, lock_was_there: bool) -> None:
    """Release the run lock; a run refused before writing an index (no such corpus folder)
    leaves the folder as it found it, not holding a stray lock file."""
    tidy = not lock_was_there and not index_exists(index_dir)
    if tidy:
        (index_dir / RUN_LOCK).unlink(missing_ok=True)
    run_lock.release()
    if tidy and created:
        with suppress(OSError):
            index_dir.rmdir()


def refuse_index_inside(index_dir: Path, roots: Sequence[str]) -> None:
    """Refuse an index folder inside a folder being indexed: the index would index its own
    files, and a --rebuild would wipe documents."""
    here = index_dir.resolve()
    for root in map(Path, roots):
        if root.is_dir() and here.is_relative_to(root.resolve()):
            raise IndexError_(
                f"the index folder {index_dir}/ is inside the folder being indexed, {root}/",
                hint="keep the index outside the documents: --index ./index or SEARCH_INDEX",
            )


def open_writer(ix: Any, index_dir: Path) -> Any:
    """A Whoosh writer on `ix`, or IndexLockedError once WRITER_TIMEOUT has passed."""
    from whoosh.index import LockError

    try:
        return ix.writer(timeout=WRITER_TIMEOUT, limitmb=256)
    except LockError as exc:
        raise IndexLockedError(
            f"the index in {index_dir}/ is locked by another writer",
            hint="wait for the other process to finish, then run this again",
        ) from exc


class write_errors:
    """Turn an OSError while writing (a full disk, a read-only folder) into an IndexError_."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise IndexError_(
                f"cannot write the index in {self.index_dir}/: {exc.strerror or exc}",
                hint="check the folder's free space and permissions, then run this again: "
                "the batches already committed are kept",
            ) from exc


def existing_documents(ix: Any) -> dict[str, tuple[str, str]]:
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


_KEEPS_DOCUMENTS = ("cannot read", "cannot parse", "invalid JSON")
"""Skip reasons that leave a file's indexed documents in place."""


def kept_paths(skips: Sequence[Skip], roots: Sequence[str]) -> Callable[[str], bool]:
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


def record_failure(index_dir: Path, exc: BaseException) -> None:
    """Keep why a background entity phase stopped, for `search info` and the API to say:
    no caller is waiting to be told (best effort: a full disk may be the reason)."""
    hint = exc.hint if isinstance(exc, SearchError) and exc.hint else ""
    hint = "; ".join(h for h in (hint, "`search index` adds the entities still pending") if h)
    record = {
        "error": str(exc) or type(exc).__name__,
        "hint": hint,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with suppress(OSError, SearchError):
        write_atomically(index_dir / FAILED, json.dumps(record), "entity phase record")


def clear_failure(index_dir: Path) -> None:
    with suppress(OSError):
        (index_dir / FAILED).unlink(missing_ok=True)


def read_failure(index_dir: Path) -> str | None:
    """"error (hint)" of the last background entity phase that stopped, else None."""
    try:
        record = json.loads((index_dir / FAILED).read_text(encoding="utf-8"))
        return f"{record['error']} ({record['at']}; {record['hint']})"
    except (OSError, ValueError, KeyError, TypeError):
        return None
