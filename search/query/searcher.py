"""Searcher: open an index, parse a query, filter, rank, count facets, page, snippet.

Everything it returns is plain data from `search.results`; no Whoosh object leaves here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISREG as stat_is_file
from types import TracebackType
from typing import Any, Self

from whoosh import collectors, sorting
from whoosh import index as whoosh_index
from whoosh import query as wq

from search.config import Settings
from search.errors import IndexDamagedError, QueryError
from search.index.meta import IndexMeta, read_meta
from search.index.schema import TEXT_FIELDS, key_field
from search.ingest.normalize import facet_key
from search.query.explain import Explanation, term_scores
from search.query.facets import FacetTable
from search.query.limits import DAMAGE, Deadline, affordable, all_matches, reads_index
from search.query.overlay import ANY_FACET, Overlay, load_overlay, save_overlay
from search.query.parsing import QueryParser, correct
from search.query.ranking import expansion_query, fielded, weighting
from search.query.snippets import TermMatcher, make_snippets
from search.results import FacetCount, Hit, IndexInfo, SearchResults, StoredDocument

Filters = Mapping[str, Sequence[str] | str]
SORTS = ("score", "date")
SUGGEST_MAX_WORDS = 12
"""Longer queries get no did-you-mean: correcting each word costs a scan of the vocabulary."""


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
        try:
            self._ix = whoosh_index.open_dir(str(self.index_dir))
            self._searcher = self._ix.searcher(weighting=weighting())
        except Exception as exc:  # Whoosh raises many types for damaged files
            raise IndexDamagedError(
                f"the index in {self.index_dir}/ cannot be opened: {exc}",
                hint="rebuild it with `search index --rebuild`",
            ) from exc
        self.facet_names: tuple[str, ...] = self.meta.facets
        self._parser = QueryParser(self._ix.schema, self.facet_names)
        self._facets: FacetTable | None = None
        self._dates: list[str | None] | None = None
        self.time_limit: float = settings.time_limit

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
        self._dates = None
        return True

    @property
    def facets(self) -> FacetTable:
        if self._facets is None:
            overlay = load_overlay(self.index_dir)
            # None while nothing is committed (an empty folder was indexed): no cache then
            generation = self._searcher.reader().generation()
            self._facets = FacetTable(
                self._searcher.reader(),
                self.facet_names,
                overlay,
                cache_dir=self.index_dir,
                generation=-1 if generation is None else generation,
            )
        return self._facets

    # -- entity overlay ------------------------------------------------------------------

    def merge_entities(
        self, source: str, target: str, facet: str | None = None
    ) -> None:
        """Count `source` as `target` from now on (in every facet unless one is named)."""
        self._edit_overlay(lambda o: o.merge(source, target, self._facet_or_any(facet)))

    def drop_entity(self, value: str, facet: str | None = None) -> None:
        """Hide a value from facets (in every facet unless one is named)."""
        self._edit_overlay(lambda o: o.drop(value, self._facet_or_any(facet)))

    def forget_entity(self, value: str) -> bool:
        """Undo every merge and drop of a value; True if there was one."""
        found: list[bool] = []
        self._edit_overlay(lambda o: found.append(o.forget(value)))
        return found[0]

    def entity_overlay(self) -> list[tuple[str, str, str, str]]:
        """The stored corrections as (action, facet, value, target) rows."""
        return load_overlay(self.index_dir).rows()

    def _facet_or_any(self, facet: str | None) -> str:
        if facet is None:
            return ANY_FACET
        if facet not in self.facet_names:
            raise QueryError(
                f"unknown facet {facet!r}",
                hint=f"choose one of: {', '.join(self.facet_names)}",
            )
        return facet

    def _edit_overlay(self, change: Callable[[Overlay], object]) -> None:
        overlay = load_overlay(self.index_dir)
        change(overlay)
        save_overlay(self.index_dir, overlay)
        self._facets = None

    # -- searching -----------------------------------------------------------------------

    def parse(self, text: str, plain: bool = False) -> Any:
        """Parse a query string (raises QueryError with a hint), each word to be scored by
        BM25F over title and body (`search.query.ranking.fielded`)."""
        # refused here when too costly to run, so that every caller is protected
        q = fielded(self._parser.parse(text, plain=plain))
        return affordable(self._as_facets(q), self._searcher.reader())

    def _as_facets(self, q: Any) -> Any:
        """Entity clauses also match the keys the facets count as that value.

        `person:"tony blair"` searches the words of the values as indexed; a document that
        only says "Blair" (linked to Tony Blair corpus-wide) or a value the user merged into
        it holds other words, yet the facet panel counts it. Adding those keys keeps the
        query, the facet counts and `where` filters in agreement.
        """
        if isinstance(q, (wq.Term, wq.Phrase)) and q.fieldname in self.facet_names:
            words = q.words if isinstance(q, wq.Phrase) else [q.text]
            column = self.facets.columns[q.fieldname]
            value = " ".join(str(w) for w in words)
            if facet_key(value) not in column.keys:
                return q
            keys = column.keys_for(value)
            extra = [wq.Term(key_field(q.fieldname), k) for k in keys]
            return wq.Or([q, *extra], boost=q.boost)
        if q.is_leaf():
            return q
        return q.apply(self._as_facets)

    @reads_index
    def search(
        self,
        query: str = "",
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
        page: int = 1,
        pagelen: int = 10,
        sort: str = "score",
        facet_limit: int | None = 10,
        snippets: int = 3,
        plain: bool = False,
        suggest: bool = True,
        expand: bool = False,
        every: bool = False,
    ) -> SearchResults:
        """Run a query; returns one page of hits plus facets over every match.

        `where` keeps documents with any of a facet's values, or with `every` all of them
        (drill-down: each value picked narrows the results).

        With `expand`, the query is widened with words of its best hits (pseudo-relevance
        feedback, `search.query.ranking.expansion_query`).
        """
        started = time.perf_counter()
        if sort not in SORTS:
            raise QueryError(
                f"unknown sort {sort!r}",
                hint=f"sort by one of: {', '.join(SORTS)}",
                query=query,
            )
        if facet_limit is not None and facet_limit < 0:
            raise QueryError(
                f"facet_limit {facet_limit} is negative",
                hint="ask for 0 (no facets), a positive number, or None (every value)",
                query=query,
            )
        if page < 1 or pagelen < 1:
            raise QueryError(
                f"page {page} of {pagelen} per page is not a page",
                hint="pages and page lengths start at 1",
                query=query,
            )
        q = self.parse(query, plain=plain)
        if expand:
            # feedback from the hits the user will see: the same filters apply
            allow, deny, _ = self._filters(where, exclude, every)
            q = fielded(expansion_query(self._searcher, q, allow=allow, deny=deny))
        return self._run(
            q,
            query,
            started,
            where,
            exclude,
            page,
            pagelen,
            sort,
            facet_limit,
            snippets,
            suggest=suggest and not plain,
            every=every,
        )

    @reads_index
    def more_like(
        self,
        doc_id: str,
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
        page: int = 1,
        pagelen: int = 10,
        facet_limit: int | None = 10,
        snippets: int = 3,
        terms: int = 15,
        every: bool = False,
    ) -> SearchResults:
        """Documents like the one with this id: its most distinctive words, as a query."""
        started = time.perf_counter()
        docnum = self._docnum(doc_id)
        stored = self._searcher.stored_fields(docnum)
        text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
        key_terms = self._searcher.key_terms_from_text("body", text, numterms=terms)
        q = wq.Or(
            [
                wq.Term("body", term, boost=max(weight, 0.01))
                for term, weight in key_terms
            ]
        )
        return self._run(
            q,
            f"like:{doc_id}",
            started,
            where,
            exclude,
            page,
            pagelen,
            "score",
            facet_limit,
            snippets,
            suggest=False,
            mask=wq.Term("id", doc_id),
            every=every,
        )

    def _run(
        self,
        q: Any,
        query: str,
        started: float,
        where: Filters | None,
        exclude: Filters | None,
        page: int,
        pagelen: int,
        sort: str,
        facet_limit: int | None,
        snippets: int,
        suggest: bool,
        mask: Any = None,
        every: bool = False,
    ) -> SearchResults:
        allow, deny, none = self._filters(where, exclude, every)
        if none:
            q = wq.NullQuery
        if mask is not None:
            deny = mask if deny is None else wq.Or([deny, mask])
        kwargs: dict[str, Any] = {"filter": allow, "mask": deny, "terms": False}
        if sort == "date":
            # Newest first, undated last (they hold the column's maximum), and among equal
            # dates, or none, the most relevant first.
            undated = 2 ** self._ix.schema["date"].bits - 1
            by_date = sorting.TranslateFacet(
                lambda key: (key == undated, -key), sorting.FieldFacet("date")
            )
            kwargs.update(sortedby=sorting.MultiFacet([by_date, sorting.ScoreFacet()]))
        elif isinstance(q, wq.Every):
            kwargs.update(sortedby="id")
        results, docset, partial = self._collect(q, page * pagelen, kwargs, started)
        total = len(docset)
        pagecount = max(1, math.ceil(total / pagelen))
        matcher = self._matcher(q, where)
        table = self.facets
        hits = []
        first = (page - 1) * pagelen
        for rank in range(first, min(first + pagelen, results.scored_length())):
            docnum = results.docnum(rank)
            stored = self._searcher.stored_fields(docnum)
            hits.append(
                Hit(
                    rank=rank + 1,
                    id=stored["id"],
                    title=stored.get("title") or stored["id"],
                    path=stored.get("path", ""),
                    # sorted by a field, Whoosh reports the sort key where the score would be
                    score=0.0 if "sortedby" in kwargs else float(results.score(rank)),
                    date=_date(stored.get("date")),
                    source=stored.get("source"),
                    url=stored.get("url"),
                    snippets=make_snippets(stored.get("body", ""), matcher, snippets),
                    entities=table.entities(docnum),
                    docnum=docnum,
                )
            )
        facets = table.counts(docset, facet_limit) if facet_limit != 0 else {}
        corrected = None
        if (
            suggest
            and total < 3
            and query.strip()
            and not partial
            and len(query.split()) <= SUGGEST_MAX_WORDS
        ):
            corrected = correct(self._searcher, self._parser, query, total, allow, deny)
        return SearchResults(
            query=query,
            total=total,
            hits=tuple(hits),
            facets=facets,
            page=page,
            pagecount=pagecount,
            pagelen=pagelen,
            elapsed=time.perf_counter() - started,
            corrected=corrected,
            filters=_normalise_filters(where),
            excluded=_normalise_filters(exclude),
            sort=sort,
            partial=partial,
        )

    def _collect(
        self, q: Any, limit: int, kwargs: dict[str, Any], started: float
    ) -> tuple[Any, set[int], bool]:
        """The top `limit` matches and the set of all of them, as far as the time limit goes.

        When time is up, matching stops and what was found so far is returned, flagged
        partial (True): a query that would read the whole index answers in time anyway.
        """
        deadline = started + self.time_limit
        collector = Deadline(self._searcher.collector(limit=limit, **kwargs), deadline)
        try:
            self._searcher.search_with_collector(q, collector)
        except collectors.TimeLimit:
            return collector.results(), collector.seen, True
        results = collector.results()
        # every match, not just the top ones: a second pass unless the collector kept them all
        docset: set[int] = set()
        for n, docnum in enumerate(all_matches(collector.child)):
            if n % 256 == 0 and time.perf_counter() > deadline:
                return results, docset | collector.seen, True
            docset.add(docnum)
        return results, docset, False

    @reads_index
    def explain(
        self,
        doc_id: str,
        query: str,
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
    ) -> Explanation:
        """The per-field, per-term contributions to a document's score for a query."""
        docnum = self._docnum(doc_id)
        q = self.parse(query)
        allow, deny, none = self._filters(where, exclude)
        results = self._searcher.search(
            q, limit=None, filter=allow, mask=deny, terms=False
        )
        score = (
            0.0
            if none
            else next((float(h.score) for h in results if h.docnum == docnum), 0.0)
        )
        terms, missing = term_scores(self._searcher, q, doc_id, docnum)
        stored = self._searcher.stored_fields(docnum)
        filters = [
            f'+{f}:"{v}"' for f, vs in _normalise_filters(where).items() for v in vs
        ]
        filters += [
            f'-{f}:"{v}"' for f, vs in _normalise_filters(exclude).items() for v in vs
        ]
        return Explanation(
            doc_id,
            stored.get("title", ""),
            score,
            tuple(terms),
            tuple(filters),
            tuple(missing),
        )

    # -- result sets, for analytics ------------------------------------------------------

    @reads_index
    def matching(
        self,
        query: str = "",
        *,
        where: Filters | None = None,
        exclude: Filters | None = None,
        every: bool = False,
        plain: bool = False,
    ) -> frozenset[int]:
        """The document numbers of every match (valid until the next refresh)."""
        q = self.parse(query, plain=plain)
        allow, deny, none = self._filters(where, exclude, every)
        if none:
            return frozenset()
        results = self._searcher.search(
            q, limit=1, filter=allow, mask=deny, terms=False
        )
        return frozenset(results.docs())

    @reads_index
    def dates(self) -> list[str | None]:
        """Each document number's publication date (ISO day) or None; cached per generation."""
        if self._dates is None:
            field = self._ix.schema["date"]
            missing = 2**field.bits - 1
            dates: list[str | None] = []
            # Segment by segment: a segment without any dated document has no date column.
            for leaf, _ in self._searcher.reader().leaf_readers():
                count = leaf.doc_count_all()
                if not leaf.has_column("date"):
                    dates.extend([None] * count)
                    continue
                column = leaf.column_reader("date", translate=False)
                for docnum in range(count):
                    raw = column[docnum]
                    dates.append(
                        None if raw == missing else _date(field.from_column_value(raw))
                    )
            self._dates = dates
        return self._dates

    def text_of(self, docnum: int) -> tuple[str, str]:
        """A document's title and body by document number."""
        stored = self._searcher.stored_fields(docnum)
        return stored.get("title", ""), stored.get("body", "")

    def doc_id(self, docnum: int) -> str:
        return str(self._searcher.stored_fields(docnum)["id"])

    def _filters(
        self, where: Filters | None, exclude: Filters | None, every: bool = False
    ) -> tuple[Any, Any, bool]:
        """The Whoosh filter and mask for where/exclude, and whether the filter matches nothing
        (Whoosh reads a filter that matches nothing as no filter at all)."""
        allow = self._filter(where, positive=True, every=every)
        deny = self._filter(exclude, positive=False)
        none = allow is not None and next(self._searcher.docs_for_query(allow), -1) < 0
        return allow, deny, none

    def _filter(
        self, filters: Filters | None, positive: bool, every: bool = False
    ) -> Any:
        """OR within a facet (AND with `every`), AND across facets (a mask: any of them)."""
        if not filters:
            return None
        groups = []
        for facet, values in filters.items():
            if facet not in self.facet_names:
                raise QueryError(
                    f"unknown facet {facet!r}",
                    hint=f"filter on one of: {', '.join(self.facet_names)}",
                )
            if isinstance(values, str):
                values = [values]
            column = self.facets.columns[facet]
            for chosen in [[v] for v in values] if every else [values]:
                keys = {k for v in chosen if facet_key(v) for k in column.keys_for(v)}
                terms = [wq.Term(key_field(facet), key) for key in sorted(keys)]
                if terms:
                    groups.append(wq.Or(terms))
        if not groups:
            return None
        return wq.And(groups) if positive else wq.Or(groups)

    def _matcher(self, q: Any, where: Filters | None) -> TermMatcher:
        terms: set[str] = set()
        words: set[str] = set()
        try:
            # Leaf by leaf: Whoosh's existing_terms reuses its `fieldname` argument as a loop
            # variable, so on a tree it skips every leaf in another field than the first term's.
            reader = self._searcher.reader()
            found: set[tuple[str, Any]] = set()
            for leaf in q.leaves():
                found |= leaf.existing_terms(reader, expand=True)
        except (AttributeError, NotImplementedError, TypeError):
            # Some query types cannot expand against a reader; highlight what they name.
            found = set(q.terms()) if hasattr(q, "terms") else set()
        for field, text in found:
            value = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            if field in TEXT_FIELDS:
                terms.add(value)
            elif field in self.facet_names:
                words.add(value)
        for values in (where or {}).values():
            for value in [values] if isinstance(values, str) else values:
                words.update(facet_key(value).split())
        return TermMatcher(frozenset(terms), frozenset(words))

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
    def document(self, doc_id: str) -> StoredDocument:
        """The whole document with this id."""
        docnum = self._docnum(doc_id)
        stored = self._searcher.stored_fields(docnum)
        return StoredDocument(
            id=stored["id"],
            title=stored.get("title", ""),
            path=stored.get("path", ""),
            text=stored.get("body", ""),
            date=_date(stored.get("date")),
            source=stored.get("source"),
            url=stored.get("url"),
            entities=self.facets.entities(docnum),
        )

    def _docnum(self, doc_id: str) -> int:
        docnum = self._searcher.document_number(id=doc_id)
        if docnum is None:
            raise QueryError(
                f"no document with id {doc_id!r}",
                hint="ids are shown by `search query ... --json` (field id) and in the REPL",
            )
        return int(docnum)

    @reads_index
    def highlight_terms(self, query: str) -> TermMatcher:
        """What a query highlights, for showing whole documents."""
        return self._matcher(self.parse(query), None)

    @reads_index
    def entity_values(
        self, facet: str, prefix: str = "", limit: int = 50
    ) -> list[FacetCount]:
        """Values of a facet with a word starting with prefix, most frequent first."""
        column = self.facets.columns[facet]
        counts = column.doc_counts(self.facets.live)
        wanted = facet_key(prefix)
        ranked = column.top(counts, None)
        if not wanted:
            return list(ranked[:limit])
        out = []
        for fc in ranked:
            key = facet_key(fc.value)
            if key.startswith(wanted) or any(w.startswith(wanted) for w in key.split()):
                out.append(fc)
                if len(out) >= limit:
                    break
        return out

    @reads_index
    def info(self) -> IndexInfo:
        reader = self._searcher.reader()
        files = _file_stats(self.index_dir)
        size = sum(st.st_size for st in files.values())
        toc = [st.st_mtime for name, st in files.items() if name.endswith(".toc")]
        return IndexInfo(
            path=str(self.index_dir),
            documents=reader.doc_count(),
            schema_version=self.meta.schema_version,
            model=self.meta.model,
            entities=self.meta.entities,
            fields=tuple(self._ix.schema.names()),
            facets={
                name: len(col.display) for name, col in self.facets.columns.items()
            },
            size_bytes=size,
            last_modified=datetime.fromtimestamp(max(toc), UTC).isoformat()
            if toc
            else None,
        )

    @reads_index
    def doc_count(self) -> int:
        return int(self._searcher.doc_count())


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


def _date(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return str(value.date().isoformat())
    except AttributeError:
        return str(value)


def _normalise_filters(filters: Filters | None) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for facet, values in (filters or {}).items():
        out[facet] = (values,) if isinstance(values, str) else tuple(values)
    return out
