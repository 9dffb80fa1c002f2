"""Saved searches and watches: a query with its filters, kept beside the index by name.

`watch` re-runs a saved search after incremental indexing and reports only the documents
that were not among its results the last time it was checked. `to_python` turns a search
into the equivalent module-API script, so an interactive finding becomes a program.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from search.errors import SearchError
from search.files import write_atomically
from search.query.searcher import Searcher
from search.results import Hit

SAVED_FILE = "saved-searches.json"


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A named query with its filters and sort, and the ids it matched when last checked."""

    name: str
    query: str = ""
    where: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "score"
    checked: str | None = None
    seen: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WatchReport:
    """What a watch found: the documents new since the previous check."""

    name: str
    previous_check: str | None
    total: int
    new: tuple[Hit, ...]


def _path(index_dir: Path) -> Path:
    return Path(index_dir) / SAVED_FILE


def load_saved(index_dir: Path) -> dict[str, SavedSearch]:
    """Every saved search of an index, by name."""
    path = _path(index_dir)
    out = {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for name, item in data.items():
            item["seen"] = tuple(item.get("seen", ()))
            out[name] = SavedSearch(**item)
    except FileNotFoundError:
        return {}
    # AttributeError, TypeError: valid JSON of the wrong shape ([], unknown keys)
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise SearchError(
            f"cannot read the saved searches in {path}: {exc}",
            hint=f"fix or delete {path}",
        ) from exc
    return out


def _store(index_dir: Path, saved: dict[str, SavedSearch]) -> None:
    text = json.dumps(
        {n: asdict(s) for n, s in saved.items()}, ensure_ascii=False, indent=1
    )
    write_atomically(_path(index_dir), text, "the saved searches")


def save_search(searcher: Searcher, search: SavedSearch) -> SavedSearch:
    """Store a search under its name, remembering what it matches now."""
    if not search.name or not search.name.replace("-", "").replace("_", "").isalnum():
        raise SearchError(
            f"{search.name!r} is not a usable name",
            hint="name saved searches with letters, digits, - and _ (e.g. putin-calls)",
        )
    ids = _matching_ids(searcher, search)
    stored = replace(search, checked=_now(), seen=tuple(sorted(ids)))
    saved = load_saved(searcher.index_dir)
    saved[search.name] = stored
    _store(searcher.index_dir, saved)
    return stored


def get_saved(searcher: Searcher, name: str) -> SavedSearch:
    saved = load_saved(searcher.index_dir)
    if name not in saved:
        known = ", ".join(sorted(saved)) or "none yet"
        raise SearchError(
            f"no saved search called {name!r}",
            hint=f"saved searches: {known}; save one with :save NAME",
        )
    return saved[name]


def watch(searcher: Searcher, name: str, limit: int = 50) -> WatchReport:
    """The documents a saved search matches now that it did not match at its last check."""
    searcher.refresh()
    search = get_saved(searcher, name)
    ids = _matching_ids(searcher, search)
    fresh = ids - set(search.seen)
    new: list[Hit] = []
    if fresh:
        page = 1
        while len(new) < min(limit, len(fresh)):
            res = searcher.search(
                search.query,
                where=search.where or None,
                exclude=search.exclude or None,
                sort=search.sort,
                page=page,
                limit=200,
                facet_limit=0,
                snippets=1,
                suggest=False,
            )
            new += [h for h in res.hits if h.id in fresh]
            if page >= res.pagecount:
                break
            page += 1
    saved = load_saved(searcher.index_dir)
    saved[name] = replace(search, checked=_now(), seen=tuple(sorted(ids)))
    _store(searcher.index_dir, saved)
    return WatchReport(name, search.checked, len(fresh), tuple(new[:limit]))


def _matching_ids(searcher: Searcher, search: SavedSearch) -> set[str]:
    return set(
        searcher.matching(
            search.query, where=search.where or None, exclude=search.exclude or None
        )
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_python(search: SavedSearch, index_dir: Path | str) -> str:
    """The module-API script that runs this search and prints its hits."""
    args: list[str] = [repr(search.query)]
    if search.where:
        args.append(f"where={_literal(search.where)}")
    if search.exclude:
        args.append(f"exclude={_literal(search.exclude)}")
    if search.sort != "score":
        args.append(f"sort={search.sort!r}")
    call = ",\n        ".join(args)
    return (
        '"""Generated by search\'s :export-session: the REPL search as module-API calls."""\n\n'
        "import search\n\n"
        f"with search.open({str(index_dir)!r}) as searcher:\n"
        f"    results = searcher.search(\n        {call},\n    )\n\n"
        'print(f"{results.total} hits")\n'
        "for hit in results.hits:\n"
        "    print(hit.rank, hit.id, hit.title)\n"
        "for facet, counts in results.facets.items():\n"
        '    print(facet, ", ".join(f"{c.value} ({c.count})" for c in counts))\n'
    )


def _literal(filters: dict[str, Any]) -> str:
    return repr({k: list(v) for k, v in filters.items()})
