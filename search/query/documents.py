"""Documents: what one reader generation holds, read without a query.

In: a Whoosh searcher (and the facet table for entities). Out: `StoredDocument`, the
per-document date list the analytics use, `IndexInfo` about the folder, and the document a
path on disk names.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISREG as stat_is_file
from typing import Any

from search.errors import QueryError
from search.index.enricher import count_pending
from search.index.folder import read_failure
from search.index.meta import IndexMeta
from search.ingest.corpus import corpus_path
from search.query.entity_why import mention_fates
from search.query.facets import FacetTable
from search.query.request import stored_date
from search.results import IndexInfo, StoredDocument


def stored_document(
    searcher: Any, docnum: int, table: FacetTable, why: bool = False
) -> StoredDocument:
    """The whole document at docnum, with its facet values as the user sees them (and with
    `why`, each entity mention's fate)."""
    stored = searcher.stored_fields(docnum)
    return StoredDocument(
        id=stored["id"],
        title=stored.get("title", ""),
        path=stored.get("path", ""),
        text=stored.get("body", ""),
        date=stored_date(stored.get("date")),
        source=stored.get("source"),
        url=stored.get("url"),
        entities=table.entities(docnum),
        sender=stored.get("from"),
        recipients=stored.get("to"),
        related=stored.get("related", ""),
        why=mention_fates(stored, table) if why else (),
    )


def docnum_of_path(searcher: Any, text: str, roots: tuple[str, ...]) -> int | None:
    """The document a file path names (absolute, or relative to the working folder), as
    its id would: the file's corpus path under the index's roots. None if it names none.

    A JSON lines file holds many documents: naming it is refused with their ids.
    """
    key = corpus_path(Path(text), [Path(r) for r in roots]) if text else None
    if key is None:
        return None
    docnum = searcher.document_number(id=key)
    if docnum is not None:
        return int(docnum)
    found = sorted(searcher.document_numbers(path=key))
    if len(found) == 1:
        return int(found[0])
    if not found:
        return None
    ids = [searcher.stored_fields(n)["id"] for n in found[:3]]
    raise QueryError(
        f"{text} holds {len(found):,} documents, not one",
        hint=f"name one by its id: {', '.join(ids)}{', ...' if len(found) > 3 else ''}",
    )


def read_dates(searcher: Any) -> list[str | None]:
    """Each document number's publication date (ISO day) or None."""
    field = searcher.schema["date"]
    missing = 2**field.bits - 1
    dates: list[str | None] = []
    # Segment by segment: a segment without any dated document has no date column.
    for leaf, _ in searcher.reader().leaf_readers():
        count = leaf.doc_count_all()
        if not leaf.has_column("date"):
            dates.extend([None] * count)
            continue
        column = leaf.column_reader("date", translate=False)
        for docnum in range(count):
            raw = column[docnum]
            dates.append(
                None if raw == missing else stored_date(field.from_column_value(raw))
            )
    return dates


def index_info(
    index_dir: Path, meta: IndexMeta, searcher: Any, table: FacetTable
) -> IndexInfo:
    """Size, age, schema and facet sizes of the index in index_dir."""
    files = _file_stats(index_dir)
    size = sum(st.st_size for st in files.values())
    toc = [st.st_mtime for name, st in files.items() if name.endswith(".toc")]
    return IndexInfo(
        path=str(index_dir),
        documents=searcher.reader().doc_count(),
        schema_version=meta.schema_version,
        model=meta.model,
        entities=meta.entities,
        fields=tuple(searcher.schema.names()),
        facets={name: len(col.display) for name, col in table.columns.items()},
        size_bytes=size,
        last_modified=datetime.fromtimestamp(max(toc), UTC).isoformat() if toc else None,
        entities_pending=count_pending(searcher),
        entities_failed=read_failure(index_dir),
    )


def _file_stats(folder: Path) -> dict[str, Any]:
    """os.stat of each file in folder; a writer may delete files while they are listed."""
    found = {}
    for path in folder.iterdir():
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        if stat_is_file(st.st_mode):
            found[path.name] = st
    return found
