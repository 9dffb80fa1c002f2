"""Page: one page of results as the REPL shows it, laid out for the terminal's width.

`ResultsPage` puts the summary, the active filters, a numbered facet panel (the numbers that
`+N`/`-N` pick) and the hits together: the panel above the hits on narrow terminals, beside
them from `WIDE` columns on. Everything from documents goes through `render` and its
`clean_text`, never through rich markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from search.results import FacetCount, SearchResults, Span
from search.terminal.console import unbounded
from search.terminal.render import (
    FACET_LABELS,
    clean_text,
    facet_table,
    hit,
    suggestion,
    summary,
    undated_notice,
)

WIDE = 130
"""From this many columns on, the facet panel goes beside the hits, not above them."""


def filter_label(sign: str, facet: str, value: str) -> str:
    """A filter as the user would type it: +person:"Vladimir Putin", -place:Moscow."""
    value = clean_text(value, keep_newlines=False)
    shown = value if re.fullmatch(r"[\w.'-]+", value) else f'"{value}"'
    return f"{sign}{facet}:{shown}"


def active_filters(
    filters: Mapping[str, Sequence[str]], excluded: Mapping[str, Sequence[str]]
) -> Text | None:
    """The line naming the filters in force, or None when there are none."""
    labels = [
        (filter_label(sign, facet, value), f"search.{facet}")
        for sign, group in (("+", filters), ("-", excluded))
        for facet, values in group.items()
        for value in values
    ]
    if not labels:
        return None
    text = Text("filters ", style="search.meta")
    for i, (label, style) in enumerate(labels):
        text.append("  " if i else "")
        text.append(label, style=style)
    return text


def facet_list(
    facets: Mapping[str, Sequence[FacetCount]], numbered: bool = True
) -> Group:
    """Facet values one per line under their type: the side panel of wide terminals."""
    total = sum(len(values) for values in facets.values())
    number_width = len(f"{total})") if numbered else 0
    widest = max(
        (len(clean_text(fc.value, False)) for vs in facets.values() for fc in vs),
        default=0,
    )
    parts: list[RenderableType] = []
    number = 1
    for name, values in facets.items():
        if not values:
            continue
        if parts:
            parts.append(Text(""))
        parts.append(Text(FACET_LABELS.get(name, name), style="search.header"))
        table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), pad_edge=False)
        table.add_column(justify="right", style="search.meta", width=number_width)
        table.add_column(overflow="fold", width=max(1, min(widest, 32)))
        table.add_column(justify="right", style="search.facet.count", no_wrap=True)
        for fc in values:
            table.add_row(
                Text(f"{number})" if numbered else ""),
                Text(clean_text(fc.value, keep_newlines=False), style=f"search.{name}"),
                Text(str(fc.count)),
            )
            number += 1
        parts.append(table)
    return Group(*parts)


PICK_HINT = "+N keeps, -N drops facet value N"


def footer(res: SearchResults) -> Text:
    """The line under a page of results: where to go from here."""
    tips = []
    if res.page < res.pagecount:
        tips.append(f":next for page {res.page + 1} of {res.pagecount}")
    if res.hits:
        tips.append(":open N reads hit N")
        tips.append(":more N similar")
    elif res.filters or res.excluded:
        tips.append(":clear drops the filters")
    else:
        tips.append("try fewer or other words, or a prefix such as elect*")
    tips.append(":help")
    return Text("  ·  ".join(tips), style="search.meta")


class ResultsPage:
    """A page of results in the REPL: summary, filters, numbered facets and hits.

    Laid out for the width it is given: facets above the hits on narrow terminals, in a
    side panel from `WIDE` columns on, so that long snippets stay readable either way.
    Without `tips` (piped output) it leaves out what to type next: the footer, the +N/-N
    hint and ":y searches for it".
    """

    def __init__(
        self,
        res: SearchResults,
        title_spans: Sequence[Sequence[Span]] | None = None,
        like: str | None = None,
        tips: bool = True,
    ) -> None:
        self.res = res
        self.title_spans = title_spans
        self.like = like
        self.tips = tips

    def head(self) -> list[RenderableType]:
        res = self.res
        parts: list[RenderableType] = [summary(res)]
        if self.like is not None:
            line = Text("documents like ", style="search.meta")
            line.append(
                clean_text(self.like, keep_newlines=False), style="search.title"
            )
            parts.append(line)
        filters = active_filters(res.filters, res.excluded)
        if filters is not None:
            parts.append(filters)
        notice = undated_notice(res)
        if notice is not None:
            parts.append(notice)
        if res.corrected:
            line = suggestion(res.corrected)
            if self.tips:
                line.append("   :y searches for it", style="search.meta")
            parts.append(line)
        return parts

    def hits(self) -> list[RenderableType]:
        res = self.res
        spans = self.title_spans or [()] * len(res.hits)
        parts: list[RenderableType] = []
        for h, ts in zip(res.hits, spans):
            parts.append(Text(""))
            parts.append(hit(h, ts, show_score=res.sort == "score"))
        return parts

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        res = self.res
        head, hits = self.head(), self.hits()
        end = [Text(""), footer(res)] if self.tips else []
        if not any(res.facets.values()):
            yield Group(*head, *hits, *end)
            return
        hint = [Text(PICK_HINT, style="search.meta")] if self.tips else []
        if options.max_width < WIDE or unbounded(options):
            panel = facet_table(res.facets, numbered=True)
            yield Group(*head, Text(""), panel, *hint, *hits, *end)
            return
        side = Group(facet_list(res.facets), *([Text(""), *hint] if hint else []))
        gap = 4
        side_width = min(
            44, Measurement.get(console, options, side).maximum, options.max_width // 3
        )
        main_width = min(options.max_width - side_width - gap, 120)
        grid = Table.grid(padding=(0, gap, 0, 0))
        grid.add_column(width=main_width)
        grid.add_column(width=side_width)
        grid.add_row(Group(*hits), Group(Text(""), side))
        yield Group(*head, grid, *end)
