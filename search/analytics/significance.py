"""Significance: the entities over-represented in a result set against the whole index (JLH)."""

from __future__ import annotations

from search.query.searcher import Filters, Searcher
from search.results import Significant

__all__ = ["Significant", "significant"]


def significant(
    searcher: Searcher,
    *,
    query: str = "",
    where: Filters | None = None,
    exclude: Filters | None = None,
    limit: int = 10,
    min_count: int = 2,
) -> tuple[Significant, ...]:
    """Entities over-represented in the results, by Elasticsearch's JLH score.

    JLH = (p_fg - p_bg) · (p_fg / p_bg), with p_fg the share of result documents that carry
    the entity and p_bg its share of the whole index: it rewards both the absolute and the
    relative rise, as significant_terms does.
    """
    docs = searcher._docnums(query, where=where, exclude=exclude)
    fg_total = len(docs)
    live = searcher.facets.live
    # stories, not copies, by default (`search.query.searcher.Searcher.collapse`)
    copies = searcher.copies.excluded(searcher.facets.live, searcher.collapse)
    bg_total = len(live) - len(copies)
    if not fg_total or not bg_total:
        return ()
    out = []
    for name, column in searcher.facets.columns.items():
        background = column.doc_counts(live) - column.count(copies)
        for vid, n in column.count(docs).items():
            if n < min_count:
                continue
            p_fg = n / fg_total
            p_bg = background[vid] / bg_total
            if p_fg <= p_bg:
                continue
            out.append(
                Significant(
                    name,
                    column.display[vid],
                    n,
                    fg_total,
                    background[vid],
                    bg_total,
                    (p_fg - p_bg) * (p_fg / p_bg),
                )
            )
    out.sort(key=lambda s: (-s.score, s.value))
    return tuple(out[:limit])
