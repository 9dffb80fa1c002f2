"""Timeline: a result set's documents per day, week, month or year, empty periods kept,
the busiest marked with their top entities; undated documents counted apart.
"""

from __future__ import annotations

from datetime import date, timedelta

from search.errors import QueryError
from search.query.searcher import Filters, Searcher
from search.results import FacetCount, Timeline, TimelineBucket

__all__ = ["PERIODS", "Timeline", "TimelineBucket", "timeline"]

PERIODS = ("day", "week", "month", "year")


def _period(day: str, by: str) -> str:
    d = date.fromisoformat(day)
    if by == "day":
        return d.isoformat()
    if by == "week":
        monday = d - timedelta(days=d.weekday())
        return f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    if by == "month":
        return f"{d.year}-{d.month:02d}"
    return str(d.year)


MAX_PERIODS = 400
"""Longer spans are shown without their empty periods, to stay readable."""


def _periods(first: str, last: str, by: str) -> list[str]:
    """Every period from the first date's to the last's, empty ones included, in order."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    step = {"day": 1, "week": 7}.get(by)
    if step is not None:
        if by == "week":
            start -= timedelta(days=start.weekday())
        count = (end - start).days // step + 1
        days = (
            start + timedelta(days=i * step) for i in range(min(count, MAX_PERIODS + 1))
        )
        periods = [_period(d.isoformat(), by) for d in days]
    elif by == "month":
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        periods = [
            f"{start.year + (start.month - 1 + i) // 12}-{(start.month - 1 + i) % 12 + 1:02d}"
            for i in range(min(months, MAX_PERIODS + 1))
        ]
    else:
        periods = [
            str(y)
            for y in range(start.year, min(end.year, start.year + MAX_PERIODS) + 1)
        ]
    return periods if len(periods) <= MAX_PERIODS else []


def timeline(
    searcher: Searcher,
    *,
    query: str = "",
    where: Filters | None = None,
    exclude: Filters | None = None,
    by: str = "month",
    top: int = 3,
    busiest: int = 3,
) -> Timeline:
    """Matching documents per period of their publication date; undated ones counted apart."""
    if by not in PERIODS:
        raise QueryError(
            f"cannot group by {by!r}", hint=f"use one of: {', '.join(PERIODS)}"
        )
    docs = searcher._docnums(query, where=where, exclude=exclude)
    dates = searcher._dates()
    buckets: dict[str, list[int]] = {}
    days: list[str] = []
    undated = 0
    for docnum in docs:
        day = dates[docnum]
        if day is None:
            undated += 1
        else:
            days.append(day)
            buckets.setdefault(_period(day, by), []).append(docnum)
    ranked = sorted(buckets, key=lambda p: (-len(buckets[p]), p))[:busiest]
    out = []
    periods = (_periods(min(days), max(days), by) if days else []) or sorted(buckets)
    for period in periods:
        members = buckets.get(period, [])
        counts: list[tuple[int, str]] = []
        for column in searcher.facets.columns.values():
            counts += [
                (n, column.display[v])
                for v, n in column.count(members).most_common(top)
            ]
        best = tuple(
            FacetCount(v, n)
            for n, v in sorted(counts, key=lambda x: (-x[0], x[1]))[:top]
        )
        out.append(TimelineBucket(period, len(members), period in ranked, best))
    return Timeline(by, tuple(out), undated, len(docs))
