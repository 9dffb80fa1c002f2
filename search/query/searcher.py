"""Searcher: one open index — opening, refreshing, and the questions asked of it.

In: an index folder. Out: plain data from `search.results`. A query is parsed here and run
down `search.query.pipeline`; overlay edits go to `search.query.corrections`. No Whoosh
object leaves this module.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from whoosh import index as whoosh_index

from search.config import Settings
from search.errors import QueryError
from search.index.enricher import count_pending
from search.index.meta import IndexMeta, read_meta
from search.query.copies import Copies
from search.query.corrections import Corrections
from search.query.documents import (
    docnum_of_path,
    index_info,
    read_dates,
    stored_document,
)
from search.query.explain import Explanation, explanation
from search.query.facets import FacetTable
from search.query.limits import DAMAGE, affordable, open_snapshot, reads_index
from search.query.no_entities import check_entity_fields
from search.query.parsing import QueryParser
from search.query.pipeline import as_facets, every_hit, filters, matcher, run
from search.query.ranking import expansion_query, fielded, like_query, weighting
from search.query.request import (
    SORTS,
    Filters,
    Request,
    View,
    describe_filters,
    renamed,
    validate,
)
from search.query.snippets import TermMatcher
from search.results import FacetCount, Hit, IndexInfo, SearchResults, StoredDocument

__all__ = ["SORTS", "Filters", "Searcher"]


class Searcher:
    """A search session over one index; use as a context manager or call close()."""

    def __init__(
        self, index_dir: Path | str | None = None, settings: Settings | None = None
    ):
        settings = settings or Settings.from_env()
        self.index_dir = (
            Path(index_dir) if index_dir is not None else settings.index_dir
        )
        self.meta: IndexMeta = read_meta(self.index_dir)
        self._ix, self._searcher = open_snapshot(self.index_dir)
        self.facet_names: tuple[str, ...] = self.meta.facets
        # the snapshot's schema: the index's own property re-reads the newest table of
        # contents, which a writer may have replaced (and deleted) a moment ago
        self._parser = QueryParser(self._searcher.schema, self.facet_names)
        self._facets: FacetTable | None = None
        self._date_list: list[str | None] | None = None
        self.time_limit: float = settings.time_limit
        self.collapse, self.copies = settings.collapse, Copies(self.index_dir, lambda: self._searcher)
        self._corrections = Corrections(
            self.index_dir, self.facet_names, self._forget_facets
        )

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._searcher.close()

    @reads_index
    def refresh(self) -> bool:
        """Pick up documents committed since this searcher opened; True if anything changed."""
        if self._ix.latest_generation() == self._searcher.reader().generation():
            return False
        # A new searcher, not Whoosh's refresh(): reusing the old reader adds every segment it
        # had to the new one's, so segments merged since would count twice (whoosh#520).
        try:
            fresh = self._ix.searcher(weighting=weighting())
        except (whoosh_index.EmptyIndexError, *DAMAGE):
            # mid-rebuild the folder holds no table of contents for a moment: keep what we have
            return False
        self._searcher.close()
        self._searcher = fresh
        self._facets = None
        self._date_list = None
        return True

    @property
    def facets(self) -> FacetTable:
        if self._facets is None:
            self._facets = FacetTable.of_index(
                self._searcher.reader(), self.facet_names, self.index_dir
            )
        return self._facets

    # -- entity overlay ------------------------------------------------------------------

    def merge_entities(
        self, source: str, target: str, facet: str | None = None
    ) -> None:
        """Count `source` as `target` from now on (in every facet unless one is named)."""
        self._corrections.merge(source, target, facet)

    def drop_entity(self, value: str, facet: str | None = None) -> None:
        """Hide a value from facets (in every facet unless one is named)."""
        self._corrections.drop(value, facet)

    def forget_entity(self, value: str) -> bool:
        """Undo every merge and drop of a value; True if there was one."""
        return self._corrections.forget(value)

    def entity_overlay(self) -> list[tuple[str, str, str, str]]:
        """The stored corrections as (action, facet, value, target) rows."""
        return self._corrections.rows()

    def _forget_facets(self) -> None:
        self._facets = None

    # -- searching -----------------------------------------------------------------------

    def _view(self) -> View:
        facets, stories = (lambda: self.facets), (lambda: self.copies.stories)
        return View(
            self._searcher, self._parser, self.facet_names, facets, self.time_limit, stories,
            self.meta.entities,
        )

    def parse(self, text: str, plain: bool = False) -> Any:
        """Parse a query string (raises QueryError with a hint), each word to be scored by
        BM25F over title and body (`search.query.ranking.fielded`)."""
        # refused here when too costly to run, so that every caller is protected
        q = fielded(self._parser.parse(text, plain=plain))
        view = self._view()
        check_entity_fields(view, q, text)
        return affordable(as_facets(view, q), self._searcher.reader())

    @reads_index
    def search(
        self,
        query: str = "",
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
        page: int = 1,
        limit: int = 10,
        sort: str = "score",
        facet_limit: int | None = 10,
        snippets: int = 3,
        plain: bool = False,
        suggest: bool = True,
        expand: bool = False,
        every: bool = False,
        pagelen: int | None = None,
        collapse: bool | None = None,
    ) -> SearchResults:
        """Run a query; returns one page of `limit` hits plus facets over every match.

        `where` keeps documents with any of a facet's values, or with `every` all of them
        (drill-down: each value picked narrows the results).

        With `expand`, the query is widened with words of its best hits (pseudo-relevance
        feedback, `search.query.ranking.expansion_query`). `pagelen` is the old name of
        `limit` (deprecated); `collapse`: one hit per story (default: the setting).
        """
        started = time.perf_counter()
        request = Request(
            query,
            where,
            exclude,
            page,
            renamed(limit, pagelen),
            sort,
            facet_limit,
            snippets,
            suggest=suggest and not plain,
            every=every,
            collapse=self.collapse if collapse is None else collapse,
        )
        validate(request)
        q = self.parse(query, plain=plain)
        view = self._view()
        if expand:
            # feedback from the hits the user will see: the same filters apply
            allow, deny, _ = filters(view, where, exclude, every)
            q = fielded(expansion_query(self._searcher, q, allow=allow, deny=deny))
        return run(view, q, request, started)

    @reads_index
    def more_like(
        self,
        doc_id: str,
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
        page: int = 1,
        limit: int = 10,
        facet_limit: int | None = 10,
        snippets: int = 3,
        terms: int = 15,
        every: bool = False,
        pagelen: int | None = None,
        collapse: bool | None = None,
    ) -> SearchResults:
        """Documents like the one with this id (or file path): its most distinctive words,
        as a query. `pagelen` is the old name of `limit` (deprecated)."""
        started = time.perf_counter()
        request = Request(
            f"like:{doc_id}",
            where,
            exclude,
            page,
            renamed(limit, pagelen),
            "score",
            facet_limit,
            snippets,
            suggest=False,
            every=every,
            collapse=self.collapse if collapse is None else collapse,
        )
        validate(request)
        docnum = self._docnum(doc_id)
        q = like_query(self._searcher, docnum, terms)
        doc_id = self._doc_id(docnum)  # a path given for the id: the hits leave out its document
        return run(self._view(), q, request, started, mask=self.copies.masked(doc_id, request.collapse))

    @reads_index
    def explain(
        self,
        doc_id: str,
        query: str,
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
        like: str | None = None,
    ) -> Explanation:
        """The per-field, per-term contributions to a document's score for a query, or
        with `like` (a document id) for the more-like-this query `more_like` ran."""
        docnum = self._docnum(doc_id)
        q = (
            like_query(self._searcher, self._docnum(like))
            if like is not None
            else self.parse(query)
        )
        allow, deny, none = filters(self._view(), where, exclude)
        shown = describe_filters(where, exclude)
        return explanation(self._searcher, q, docnum, None if none else (allow, deny), shown)

    @reads_index
    def hits(
        self,
        query: str = "",
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
        sort: str = "score",
        snippets: int = 0,
        plain: bool = False,
        every: bool = False,
    ) -> Iterator[Hit]:
        """Every hit of a query, best (or, with sort="date", newest) first, built lazily.

        For scripts that process whole result sets: ranks run on past the first page, and
        each hit is read from the index only when the loop reaches it. No snippets unless
        asked for (they cost the most). Iterate before the next `refresh()` or `close()`.
        """
        request = Request(query, where, exclude, sort=sort, snippets=snippets, every=every)
        validate(request)
        return every_hit(self._view(), self.parse(query, plain=plain), request)

    @reads_index
    def matching(
        self,
        query: str = "",
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
        every: bool = False,
        plain: bool = False,
    ) -> frozenset[str]:
        """The ids of every document the query and filters match, in no order."""
        docnums = self._docnums(
            query, where=where, exclude=exclude, every=every, plain=plain
        )
        return frozenset(self._doc_id(d) for d in docnums)

    # -- by document number: for the analytics, valid until the next refresh -------------

    @reads_index
    def _docnums(
        self,
        query: str = "",
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
        every: bool = False,
        plain: bool = False,
    ) -> frozenset[int]:
        """The document numbers of every match, one per story while `collapse` is on."""
        q = self.parse(query, plain=plain)
        allow, deny, none = filters(self._view(), where, exclude, every)
        if none:
            return frozenset()
        results = self._searcher.search(
            q, limit=1, filter=allow, mask=deny, terms=False
        )
        return self.copies.one_per_story(frozenset(results.docs()), self.collapse)

    @reads_index
    def _dates(self) -> list[str | None]:
        """Each document number's publication date (ISO day) or None; cached per generation."""
        if self._date_list is None:
            self._date_list = read_dates(self._searcher)
        return self._date_list

    def _text_of(self, docnum: int) -> tuple[str, str]:
        """A document's title and body by document number."""
        stored = self._searcher.stored_fields(docnum)
        return stored.get("title", ""), stored.get("body", "")

    def _doc_id(self, docnum: int) -> str:
        return str(self._searcher.stored_fields(docnum)["id"])

    # -- browsing ------------------------------------------------------------------------

    @reads_index
    def facet_counts(
        self, facet: str | None = None, limit: int | None = 20
    ) -> dict[str, tuple[FacetCount, ...]]:
        """Top values of one facet or of all, over the whole index."""
        if facet is not None and facet not in self.facet_names:
            raise QueryError(
                f"unknown facet {facet!r}",
                hint=f"choose one of: {', '.join(self.facet_names)}",
            )
        names = [facet] if facet else list(self.facet_names)
        return self.facets.counts(None, limit, names)

    @reads_index
    def document(self, doc_id: str, why: bool = False) -> StoredDocument:
        """The whole document with this id; with `why`, each entity mention's fate."""
        return stored_document(self._searcher, self._docnum(doc_id), self.facets, why)

    def _docnum(self, doc_id: str) -> int:
        """The document an id names, or a path to its file (absolute or relative)."""
        docnum = self._searcher.document_number(id=doc_id)
        if docnum is None:
            docnum = docnum_of_path(self._searcher, doc_id, self.meta.roots)
        if docnum is None:
            raise QueryError(
                f"no document with id {doc_id!r}",
                hint="ids are shown by `search query ... --json` (field id) and in the REPL",
            )
        return int(docnum)

    @reads_index
    def highlight_terms(self, query: str) -> TermMatcher:
        """What a query highlights, for showing whole documents."""
        return matcher(self._view(), self.parse(query), None)

    @reads_index
    def entity_values(
        self, facet: str, prefix: str = "", limit: int = 50
    ) -> list[FacetCount]:
        """Values of a facet with a word starting with prefix, most frequent first."""
        return self.facets.columns[facet].starting_with(self.facets.live, prefix, limit)

    @reads_index
    def info(self) -> IndexInfo:
        return index_info(self.index_dir, self.meta, self._searcher, self.facets)

    @reads_index
    def doc_count(self) -> int:
        return int(self._searcher.doc_count())

    @reads_index
    def entities_pending(self) -> int:
        """Documents still waiting for their entities (0 when they are all in)."""
        return count_pending(self._searcher)
