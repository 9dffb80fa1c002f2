"""Meta: the build record an index keeps beside its Whoosh files, and how it is checked.

`search-meta.json` holds the schema version, the NLP model and the corpus roots; opening an
index reads it first, so that an index built by another version says so instead of failing
somewhere deep in Whoosh.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

from search.errors import CorpusError, IndexNotFoundError, IndexVersionError
from search.files import write_atomically
from search.index.schema import SCHEMA_VERSION

META_FILE = "search-meta.json"
ROOTS_FILE = "search-roots.json"
"""A second copy of the corpus roots, so that a lost or garbled build record does not lose
which folders `search index --rebuild` should read."""
__all__ = [
    "META_FILE",
    "ROOTS_FILE",
    "IndexMeta",
    "index_exists",
    "read_meta",
    "recorded_roots",
    "surviving_roots",
    "write_meta",
]


@dataclass(frozen=True, slots=True)
class IndexMeta:
    """What an index records about how it was built."""

    schema_version: int
    model: str
    entities: bool
    roots: tuple[str, ...]
    facets: tuple[str, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "schema_version": self.schema_version,
                "model": self.model,
                "entities": self.entities,
                "roots": list(self.roots),
                "facets": list(self.facets),
            },
            indent=2,
        )


def index_exists(index_dir: Path) -> bool:
    """Whether a Whoosh index has been committed in the folder (readable or not)."""
    try:
        return bool(whoosh_index.exists_in(str(index_dir)))
    except Exception:  # noqa: BLE001 - a table of contents there but unreadable: damaged
        return True


def read_meta(index_dir: Path, *, any_version: bool = False) -> IndexMeta:
    """Read the build record of an index, raising a helpful error if it is absent or stale
    (`any_version`: of another schema version too, as a rebuild reads its roots)."""
    path = index_dir / META_FILE
    if not index_exists(index_dir):
        raise IndexNotFoundError(
            f"no index in {index_dir}/",
            hint="build one with `search index [FOLDER]` (the default folder is ./seeds)",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        meta = IndexMeta(
            schema_version=int(data["schema_version"]),
            model=str(data["model"]),
            entities=bool(data["entities"]),
            roots=tuple(data.get("roots", ())),
            facets=tuple(data["facets"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexVersionError(
            f"{path} is missing or unreadable ({exc}); the index was not built by this version",
            hint="rebuild it with `search index --rebuild`",
        ) from exc
    if meta.schema_version != SCHEMA_VERSION and not any_version:
        raise IndexVersionError(
            f"the index in {index_dir}/ has schema version {meta.schema_version}, "
            f"this version of search reads version {SCHEMA_VERSION}",
            hint="rebuild it with `search index --rebuild`",
        )
    return meta


def write_meta(index_dir: Path, meta: IndexMeta) -> None:
    """Replace the build record atomically, so a crash never leaves half a file; the roots
    are copied aside too (see `recorded_roots`)."""
    write_atomically(index_dir / META_FILE, meta.to_json(), "the index's build record")
    if meta.roots and recorded_roots(index_dir, backup_only=True) != meta.roots:
        roots = json.dumps({"roots": list(meta.roots)}, indent=2)
        write_atomically(index_dir / ROOTS_FILE, roots, "the index's corpus folders")


def recorded_roots(index_dir: Path, backup_only: bool = False) -> tuple[str, ...] | None:
    """The corpus folders an index was built from, from whichever record of them survives
    (the build record, else its copy), whether or not the index itself is readable."""
    for name in (ROOTS_FILE,) if backup_only else (META_FILE, ROOTS_FILE):
        try:
            roots = json.loads((index_dir / name).read_text(encoding="utf-8"))["roots"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(roots, list) and roots and all(isinstance(r, str) for r in roots):
            return tuple(roots)
    return None


def surviving_roots(index_dir: Path, default: Sequence[Path]) -> tuple[str, ...]:
    """The folders to index when none are given and the build record cannot say: its copy
    of them; the default only for a folder that never held an index, never a guess for one
    that did."""
    found = recorded_roots(index_dir)
    if found is not None:
        return found
    try:
        ours = [p for p in index_dir.iterdir() if p.name.startswith(("search-", "_MAIN_"))]
    except OSError:
        ours = []
    if any(p.name != "search-indexer.lock" for p in ours) or list(index_dir.glob("*.seg")):
        raise CorpusError(
            f"the index in {index_dir}/ no longer records which folders it was built from "
            f"({META_FILE} is missing or unreadable)",
            hint="name them: `search index --rebuild FOLDER [FOLDER...]`",
        )
    return tuple(str(p) for p in default)
