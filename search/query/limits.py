"""Limits: what keeps a search affordable and its failures readable.

A time limit on matching (`Deadline`), caps on how many indexed words a query may expand to
(`affordable`), and `reads_index`, which turns the errors a damaged index file raises deep
inside Whoosh into an `IndexDamagedError` that says how to recover.
"""

from __future__ import annotations

import functools
import pickle
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar, cast

from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.reading import CorruptIndexError

from search.errors import IndexDamagedError, IndexNotFoundError, QueryError
from search.index.meta import index_exists
from search.index.schema import TEXT_FIELDS
from search.query.ranking import weighting

MAX_EXPANSION = 1024
"""Indexed words one pattern (elect*, *ism, [a TO c]) may stand for; wider ones are refused."""
MAX_QUERY_WORDS = 1024
"""Distinct words (patterns counted as the words they stand for) one query may seek."""

DAMAGE = (
    OSError,
    EOFError,
    IndexError,
    KeyError,  # a garbled record of stored fields that still unpickles, without its "id"
    ValueError,  # "negative seek value", undecodable bytes where text was stored...
    OverflowError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    CorruptIndexError,
)
"""What reading a truncated or garbled index file raises, often only when a search gets to it."""

_Method = TypeVar("_Method", bound=Callable[..., Any])


def reads_index(method: _Method) -> _Method:
    """Report damaged index files met while reading as IndexDamagedError, with the cure."""

    @functools.wraps(method)
    def reading(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (whoosh_index.EmptyIndexError, *DAMAGE) as exc:
            if not index_exists(self.index_dir):
                # not damage: the folder was deleted or emptied under an open session
                raise IndexNotFoundError(
                    f"the index in {self.index_dir}/ is no longer there: its folder was deleted or "
                    f"emptied while this session had it open ({type(exc).__name__})",
                    hint="if `search index --rebuild` is running, try again in a moment; "
                    "otherwise build the index again with `search index FOLDER`",
                ) from exc
            raise IndexDamagedError(
                f"the index in {self.index_dir}/ is damaged: {type(exc).__name__}: {exc}",
                hint="rebuild it with `search index --rebuild`",
            ) from exc

    return cast(_Method, reading)


OPEN_ATTEMPTS = 5
"""Tries at opening an index whose table of contents a writer keeps replacing."""


def open_snapshot(index_dir: Path) -> tuple[Any, Any]:
    """The Whoosh index in index_dir and a searcher of its newest generation.

    A commit writes a new table of contents and deletes the old one: the one found a moment
    ago may be gone when it is read (FileNotFoundError), which is not damage. Opening is
    retried while the newest generation keeps changing; what still fails is reported.
    """
    seen = None
    for attempt in range(OPEN_ATTEMPTS):
        try:
            ix = whoosh_index.open_dir(str(index_dir))
            return ix, ix.searcher(weighting=weighting())
        except Exception as exc:  # Whoosh raises many types for damaged files
            latest = _latest_generation(index_dir)
            moved = isinstance(exc, FileNotFoundError) and latest != seen
            if not moved or attempt == OPEN_ATTEMPTS - 1:
                raise IndexDamagedError(
                    f"the index in {index_dir}/ cannot be opened: {exc}",
                    hint="rebuild it with `search index --rebuild`",
                ) from exc
            seen = latest
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


def _latest_generation(index_dir: Path) -> int | None:
    """The newest table of contents' generation, from the file names (no file is read)."""
    found = [p.stem.rpartition("_")[2] for p in index_dir.glob("_MAIN_*.toc")]
    return max((int(g) for g in found if g.isdigit()), default=None)


class Deadline(collectors.WrappingCollector):  # type: ignore[misc]
    """Stops a search when the clock passes `deadline`, keeping the matches seen until then."""

    def __init__(self, child: Any, deadline: float) -> None:
        super().__init__(child)
        self.deadline = deadline
        self.seen: set[int] = set()

    def set_subsearcher(self, subsearcher: Any, offset: int) -> None:
        # building a segment's matchers can take long too: none after the first once time is up
        if offset and time.perf_counter() > self.deadline:
            raise collectors.TimeLimit
        super().set_subsearcher(subsearcher, offset)

    def collect_matches(self) -> None:
        child, seen, offset, deadline = (
            self.child,
            self.seen,
            self.offset,
            self.deadline,
        )
        for sub_docnum in child.matches():  # filtered by the FilterCollector it wraps
            child.collect(sub_docnum)
            seen.add(offset + sub_docnum)
            if time.perf_counter() > deadline:
                raise collectors.TimeLimit


def affordable(q: Any, reader: Any) -> Any:
    """q ready to run in reasonable time, or a QueryError saying how to narrow it.

    A pattern (elect*, *ism, qu?t, [a TO c]) is the Or of every indexed word it matches;
    past MAX_EXPANSION of them, or MAX_QUERY_WORDS in all, building the matchers alone
    would outlast the time limit. `*` over text is every document, like an empty query.
    """
    leaves = list(q.leaves()) if q.children() else [q]
    wild = [leaf for leaf in leaves if isinstance(leaf, wq.Every) and leaf.fieldname]
    if wild and all(leaf.fieldname in TEXT_FIELDS for leaf in wild):
        if len(wild) == len(leaves):
            return wq.Every()
        raise QueryError(
            "`*` stands for every word: alone it lists every document, but beside other "
            "words it would read the whole index",
            hint="drop the `*`, or give a pattern that starts with letters, e.g. elect*",
        )
    words: set[Any] = set()
    for leaf in leaves:
        if isinstance(leaf, wq.Every) and leaf.fieldname:
            # every document with a value in the field: the Or of all its words
            found = [
                (leaf.fieldname, t)
                for t in islice(reader.lexicon(leaf.fieldname), MAX_EXPANSION + 1)
            ]
        elif isinstance(leaf, wq.MultiTerm):
            found = list(islice(leaf.expanded_terms(reader), MAX_EXPANSION + 1))
        else:
            words.update(text for _, text in leaf.iter_all_terms())
            continue
        if len(found) > MAX_EXPANSION:
            raise QueryError(
                f"{_pattern(leaf)} matches more than {MAX_EXPANSION:,} different words "
                f"in {leaf.fieldname}",
                hint="narrow it: more letters before the * (elect* rather than e*), "
                "or a shorter range",
            )
        words.update(text for _, text in found)
    if len(words) > MAX_QUERY_WORDS:
        raise QueryError(
            f"the query seeks {len(words):,} different words, more than {MAX_QUERY_WORDS:,}",
            hint="search with fewer words: the most telling ones",
        )
    return q


def _pattern(leaf: Any) -> str:
    """A pattern query as the user would have typed it."""
    if isinstance(leaf, wq.Prefix):
        return f"{leaf.text}*"
    if isinstance(leaf, wq.Wildcard):
        return str(leaf.text)
    if isinstance(leaf, wq.Every):
        return f"{leaf.fieldname}:*"
    return str(leaf)


def all_matches(collector: Any) -> Iterator[int]:
    """Every document number a finished search matched, filters and masks applied.

    Whoosh's FilterCollector.all_ids tests `if allow` for every id, and the truth of a
    BitSet is a scan of all its bits: with a filter or mask, listing 8,000 matches of a
    42,000-document index took 1.7 s. The sets are tested against None here instead.
    """
    if not isinstance(collector, collectors.FilterCollector):
        yield from collector.all_ids()
        return
    allow, restrict = collector._allow, collector._restrict
    for docnum in collector.child.all_ids():
        if allow is not None and docnum not in allow:
            continue
        if restrict is not None and docnum in restrict:
            continue
        yield docnum
