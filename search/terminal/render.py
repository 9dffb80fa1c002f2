"""Render: rich renderables for results, facets and documents (`status` has the index's own).

Document text is untrusted. It only ever enters rich as `Text` built from plain strings
(never parsed as markup), after `clean_text` has removed escape sequences and control,
bidi and zero-width characters that could move the cursor, rename the window, plant
hyperlinks or reorder what the user sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from search.results import (
    FacetCount,
    Fragment,
    Hit,
    SearchResults,
    Span,
    StoredDocument,
)

THEME = Theme(
    {
        "search.rank": "bold cyan",
        "search.title": "bold",
        "search.match": "bold yellow",
        "search.meta": "dim",
        "search.score": "dim cyan",
        "search.header": "bold",
        "search.hint": "italic",
        "search.error": "bold red",
        "search.person": "green",
        "search.place": "blue",
        "search.org": "magenta",
        "search.facet.count": "dim",
        "search.suggest": "bold green",
    }
)

# ESC-introduced sequences: CSI (colours, cursor moves), OSC (titles, hyperlinks) ended by
# BEL or ST, and other two-byte escapes; then any lone C0/C1 control, DEL, bidi embedding,
# override and isolate controls, zero-width, interlinear and tag characters (U+E0000-E007F,
# invisible text); U+2028/U+2029, which terminals treat differently, become newlines.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"
)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})

FACET_LABELS = {"person": "People", "place": "Places", "org": "Organisations"}


def clean_text(text: str, keep_newlines: bool = True) -> str:
    """Untrusted text made inert for a terminal: no escapes, controls or invisible marks."""
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    text = text.replace("\r", "").replace("\t", "    ").translate(_LINE_BREAKS)
    if not keep_newlines:
        text = " ".join(text.split())
    return text


def marked(
    text: str, spans: Sequence[Span] = (), style: str = "search.match", base: str = ""
) -> Text:
    """Text with spans styled; each piece is cleaned on its own so offsets stay right."""
    return styled(text, [(s, e, style) for s, e in spans], base)


def styled(text: str, spans: Sequence[tuple[int, int, str]], base: str = "") -> Text:
    """Text with each (start, end, style) span styled; overlapping later spans are dropped."""
    out = Text(style=base)
    pos = 0
    for start, end, style in sorted(spans):
        if start < pos:
            continue
        out.append(clean_text(text[pos:start]))
        out.append(clean_text(text[start:end]), style=style)
        pos = end
    out.append(clean_text(text[pos:]))
    return out


def entity_spans(
    text: str, entities: Mapping[str, Sequence[str]]
) -> list[tuple[int, int, str]]:
    """Where a document's entity values (and people's surnames) occur in its text."""
    spans = []
    for facet, values in entities.items():
        names = set(values)
        if facet == "person":
            names |= {v.split()[-1] for v in values if len(v.split()) > 1}
        for name in sorted(names, key=len, reverse=True):
            pattern = re.compile(
                r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE
            )
            spans += [
                (m.start(), m.end(), f"search.{facet}") for m in pattern.finditer(text)
            ]
    return spans


def fragment(frag: Fragment) -> Text:
    """One snippet fragment on one line, matches styled."""
    flat = frag.text.replace("\n", " ")
    page = Text(f"p. {frag.page}  ", style="search.meta") if frag.page else Text()
    return page + marked(flat, frag.spans)


class Hanging:
    """Lines of text after a label, wrapped under a hanging indent, with no trailing padding."""

    def __init__(self, label: Text, lines: Sequence[Text], indent: int) -> None:
        self.label = label
        self.lines = lines
        self.indent = indent

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        width = max(8, options.max_width - self.indent)
        pad = Segment(" " * self.indent)
        first = True
        for text in self.lines:
            for line in text.wrap(console, width, overflow="fold"):
                if first:
                    label = self.label.copy()
                    label.truncate(self.indent, pad=True)
                    yield from _styled_segments(console, label)
                    first = False
                else:
                    yield pad
                yield from _styled_segments(console, line)
                yield Segment.line()

    def __rich_measure__(
        self, console: Console, options: ConsoleOptions
    ) -> Measurement:
        widest = max((t.cell_len for t in self.lines), default=0)
        return Measurement(self.indent + 1, self.indent + widest)


def _styled_segments(console: Console, text: Text) -> Iterable[Segment]:
    # Text.render leaves the base style out when the text has no spans.
    base = console.get_style(text.style, default="")
    return Segment.apply_style(text.render(console), base)


def hit(
    h: Hit, title_spans: Sequence[Span] = (), show_score: bool = True
) -> RenderableType:
    """A ranked hit: rank, then title, a line of metadata and snippets under a hanging indent."""
    title = marked(
        clean_text(h.title, keep_newlines=False), title_spans, base="search.title"
    )
    meta = [
        h.date or "",
        clean_text(h.id, keep_newlines=False),  # what `search show` and `:open` take
        clean_text(h.source or "", keep_newlines=False),
        f"score {h.score:.2f}" if show_score else "",
        f"+{len(h.duplicates)} similar" if h.duplicates else "",  # copies folded into it
    ]
    lines = [title, Text("  ·  ".join(m for m in meta if m), style="search.meta")]
    lines += [fragment(frag) for frag in h.snippets]
    rank = f"{h.rank}."
    indent = max(5, len(rank) + 1)
    label = Text(rank.rjust(indent - 1) + " ", style="search.rank")
    return Hanging(label, lines, indent)


def summary(results: SearchResults) -> Text:
    """The line above the hits: how many, how fast, which page."""
    noun = ("story" if results.stories == 1 else "stories") if (folded := results.collapsed and 0 <= results.stories < results.total) else ("hit" if results.total == 1 else "hits")
    text = Text(f"{results.stories:,} {noun} ({results.total:,} documents)" if folded else f"{results.total:,} {noun}", style="search.header")
    text.append(f" in {results.elapsed * 1000:.0f} ms", style="search.meta")
    if results.total:
        text.append(
            f"  ·  page {results.page} of {results.pagecount}", style="search.meta"
        )
    if results.sort != "score":
        text.append(f"  ·  sorted by {results.sort}", style="search.meta")
    if results.partial:
        text.append("  ·  partial results (time limit)", style="search.hint")
    return text


def undated_notice(results: SearchResults) -> Text | None:
    """When hits sorted by date have no dates, the line that says so (None otherwise)."""
    if results.sort != "date" or not results.hits or any(h.date for h in results.hits):
        return None
    return Text(
        "these hits have no dates: sorting by date leaves them in order of relevance",
        style="search.hint",
    )


def suggestion(corrected: str) -> Text:
    text = Text("Did you mean: ", style="search.hint")
    text.append(clean_text(corrected, keep_newlines=False), style="search.suggest")
    return text


def facet_table(
    facets: Mapping[str, Sequence[FacetCount]],
    numbered: bool = False,
    title: str | None = None,
    show_counts: bool = True,
) -> Table:
    """Facet columns side by side: the top values and their counts."""
    table = Table(
        title=title,
        show_edge=False,
        pad_edge=False,
        expand=False,
        box=None,
        padding=(0, 2, 0, 0),
    )
    names = [n for n in facets if facets[n]]
    for name in names:
        table.add_column(
            FACET_LABELS.get(name, name), style=f"search.{name}", overflow="fold"
        )
    depth = max((len(facets[n]) for n in names), default=0)
    # Numbers run down each column in facet order, matching the order `+N` picks from.
    first: dict[str, int] = {}
    number = 1
    for name in facets:
        first[name] = number
        number += len(facets[name])
    for row in range(depth):
        cells: list[Text] = []
        for name in names:
            values = facets[name]
            if row >= len(values):
                cells.append(Text(""))
                continue
            cell = Text()
            if numbered:
                cell.append(f"{first[name] + row}) ", style="search.meta")
            cell.append(clean_text(values[row].value, keep_newlines=False))
            if show_counts:
                cell.append(f" {values[row].count}", style="search.facet.count")
            cells.append(cell)
        table.add_row(*cells)
    return table


def results(
    res: SearchResults, title_spans: Iterable[Sequence[Span]] | None = None
) -> Group:
    """A whole page: summary, did-you-mean, hits, then the facet panel."""
    parts: list[RenderableType] = [summary(res)]
    notice = undated_notice(res)
    if notice is not None:
        parts.append(notice)
    if res.corrected:
        parts.append(suggestion(res.corrected))
    spans = list(title_spans) if title_spans is not None else [()] * len(res.hits)
    for h, ts in zip(res.hits, spans):
        parts.append(Text(""))
        parts.append(hit(h, ts, show_score=res.sort == "score"))
    if any(res.facets.values()):
        parts.append(Text(""))
        parts.append(facet_table(res.facets))
    if res.entities_pending:  # facets and entity filters see finished documents only
        parts.append(Text(f"entities are still being added: facets and entity filters leave "
                          f"out {res.entities_pending:,} documents for now", style="search.meta"))
    return Group(*parts)


def document(
    doc: StoredDocument, spans: Sequence[Span] = (), highlight_entities: bool = False
) -> Group:
    """A whole document: title, metadata, entities, marked text, then related material."""
    parts: list[RenderableType] = [
        Text(clean_text(doc.title, keep_newlines=False), style="search.title")
    ]
    meta = [
        clean_text(doc.id, keep_newlines=False),  # a file name can hold escapes too
        doc.date or "",
        clean_text(doc.source or "", keep_newlines=False),
        clean_text(doc.url or "", keep_newlines=False),
        *(clean_text(f"{k} {v}", keep_newlines=False) for k, v in (("from", doc.sender),
                                                                   ("to", doc.recipients)) if v),
    ]
    parts.append(Text("  ·  ".join(m for m in meta if m), style="search.meta"))
    for name, values in doc.entities.items():
        if values:
            line = Text(f"{FACET_LABELS.get(name, name)}: ", style="search.meta")
            line.append(
                clean_text(", ".join(values), keep_newlines=False),
                style=f"search.{name}",
            )
            parts.append(line)
    parts.append(Text(""))
    marks = [(s, e, "search.match") for s, e in spans]
    if highlight_entities:
        marks += _outside(entity_spans(doc.text, doc.entities), spans)
    start = 0  # a PDF keeps its page breaks: a rule with the page's number at each
    for number, page in enumerate(doc.text.split("\f"), 1):
        end = start + len(page)
        if number > 1:
            parts.append(Text(f"── page {number} ──", style="search.meta"))
        inside = [(max(s, start) - start, min(e, end) - start, m) for s, e, m in marks if s < end]
        parts.append(styled(page, [mark for mark in inside if mark[1] > 0]))
        start = end + 1
    parts.extend(Text(f"\nRelated:\n{clean_text(r)}", style="search.meta") for r in [doc.related] if r)
    return Group(*parts)


def _outside(
    marks: Sequence[tuple[int, int, str]], cuts: Sequence[Span]
) -> list[tuple[int, int, str]]:
    """The parts of marks outside every cut: query matches win over entity colours."""
    out = []
    for start, end, style in marks:
        pieces = [(start, end)]
        for cut_start, cut_end in cuts:
            pieces = [
                piece
                for s, e in pieces
                for piece in ((s, min(e, cut_start)), (max(s, cut_end), e))
                if piece[0] < piece[1]
            ]
        out += [(s, e, style) for s, e in pieces]
    return out
