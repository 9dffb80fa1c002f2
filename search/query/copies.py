"""Copies: the members of a story side by side — what differs (date, source, headline,
length) and how much text they share — and the largest stories of an index.

In: a Whoosh searcher and the generation's `Stories`. Out: `Duplicate` and
`DuplicateCluster` from `search.results`. Shares are measured exactly on the few documents
concerned (their 5-word shingles), not estimated from signatures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from search.errors import QueryError
from search.index import minhash
from search.index.dedup import CLUSTERS_FILE
from search.query.collapse import Stories
from search.query.limits import reads_index
from search.query.request import stored_date
from search.results import Duplicate, DuplicateCluster


class Copies:
    """The copies of each story in one open index: which they are, how they differ, and
    which stories have the most. Reached as `Searcher.copies`."""

    def __init__(self, index_dir: Path, searcher: Callable[[], Any]):
        self.index_dir = index_dir
        self._searcher = searcher
        self._cached: tuple[Any, Stories] | None = None

    @property
    def stories(self) -> Stories:
        """The stories of the current reader generation: read again after a refresh and
        whenever the indexer rewrites its clusters (just after it commits)."""
        try:
            stamp: int | None = (self.index_dir / CLUSTERS_FILE).stat().st_mtime_ns
        except OSError:
            stamp = None
        searcher = self._searcher()
        key = (searcher.reader().generation(), stamp)
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, Stories.read(searcher, self.index_dir))
        return self._cached[1]

    @reads_index
    def similar(self, doc_id: str) -> tuple[Duplicate, ...]:
        """The other copies of this document's story, with what differs and what is shared."""
        searcher = self._searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            raise QueryError(
                f"no document with id {doc_id!r}",
                hint="ids are shown by `search query ... --json` (field id) and in the REPL",
            )
        return similar(searcher, self.stories, int(docnum))

    @reads_index
    def largest(self, limit: int | None = 20) -> tuple[DuplicateCluster, ...]:
        """The stories with the most copies in the index, largest first."""
        return largest(self._searcher(), self.stories, limit)

    def masked(self, doc_id: str, collapse: bool) -> Any:
        """A Whoosh query for this document and, collapsing, its copies (to leave out)."""
        from whoosh import query as wq

        own = [doc_id] + [d.id for d in self.similar(doc_id)] if collapse else [doc_id]
        return wq.Or([wq.Term("id", i) for i in own])

    def one_per_story(self, docs: frozenset[int], collapse: bool = True) -> frozenset[int]:
        """docs less `excluded(docs)`: each story counted once (valid until a refresh)."""
        return docs - self.excluded(docs, collapse)

    def excluded(self, docs: Iterable[int], collapse: bool = True) -> frozenset[int]:
        """The documents of docs to leave out so that each story counts once (all but its
        first document); none when not collapsing."""
        return frozenset(self.stories.extras(docs)) if collapse else frozenset()


def _shingles(body: str) -> tuple[int, frozenset[tuple[str, ...]]]:
    words = [w.lower() for w in minhash.WORD.findall(minhash.own_text(body))]
    k = minhash.SHINGLE
    return len(words), frozenset(tuple(words[i : i + k]) for i in range(len(words) - k + 1))


def compare(searcher: Any, docnum: int, others: list[int]) -> tuple[Duplicate, ...]:
    """Each of `others` as a `Duplicate` of the document at docnum (itself listed first)."""
    base = searcher.stored_fields(docnum)
    _, mine = _shingles(base.get("body", ""))
    out = []
    for n in [docnum, *others]:
        stored = searcher.stored_fields(n)
        body = stored.get("body", "")
        words, theirs = _shingles(body)
        shared = len(mine & theirs)
        union = len(mine | theirs)
        out.append(
            Duplicate(
                id=stored["id"],
                title=stored.get("title", ""),
                date=stored_date(stored.get("date")),
                source=stored.get("source"),
                words=words,
                resemblance=round(shared / union, 3) if union else 1.0,
                containment=round(shared / max(1, min(len(mine), len(theirs))), 3),
                same_text=body == base.get("body", ""),
            )
        )
    return tuple(out)


def similar(searcher: Any, stories: Stories, docnum: int) -> tuple[Duplicate, ...]:
    """The other copies of the story of the document at docnum (none if it has no copy)."""
    story = stories.story.get(docnum)
    if story is None:
        return ()
    others = [n for n in stories.members[story] if n != docnum]
    return compare(searcher, docnum, others)[1:]


def largest(searcher: Any, stories: Stories, limit: int | None) -> tuple[DuplicateCluster, ...]:
    """The stories with the most copies, largest first (ties: first indexed first)."""
    ranked = sorted(stories.members, key=lambda m: (-len(m), m[0]))[:limit]
    return tuple(DuplicateCluster(len(m), compare(searcher, m[0], list(m[1:]))) for m in ranked)
