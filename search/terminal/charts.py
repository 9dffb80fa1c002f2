"""Charts: rich renderables for the entity analytics (co-occurrence, timeline, significance,
explanations, saved searches and the alias overlay).

Like `render`, every string that comes from documents enters rich as plain `Text` after
`clean_text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from search.analytics.cooccurrence import Cooccurrence
from search.analytics.significance import Significant
from search.analytics.timeline import Timeline
from search.query.explain import Explanation
from search.terminal.render import FACET_LABELS, clean_text

BAR_WIDTH = 40


def _plain(text: str) -> Text:
    return Text(clean_text(text, keep_newlines=False))


def cooccurrence_table(
    facet: str, value: str, pairs: Sequence[Cooccurrence]
) -> RenderableType:
    title = Text.assemble(
        ("Seen with ", "search.header"), (clean_text(value), f"search.{facet}")
    )
    if not pairs:
        return Group(
            title,
            Text(
                "nothing co-occurs often enough (at least 2 documents)",
                style="search.meta",
            ),
        )
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False)
    table.add_column("entity")
    table.add_column("docs", justify="right")
    table.add_column("PMI", justify="right", style="search.meta")
    table.add_column("where both appear", style="search.meta", overflow="fold", ratio=1)
    for c in pairs:
        name = Text(clean_text(c.value, keep_newlines=False), style=f"search.{c.facet}")
        sentence = (
            _plain(c.sentence)
            if c.sentence
            else Text("(no one sentence names both)", style="search.meta")
        )
        table.add_row(name, str(c.count), f"{c.pmi:.2f}", sentence)
    return Group(title, table)


def timeline_chart(tl: Timeline) -> RenderableType:
    """One bar per period; the busiest marked with ★ and their top entities (a busiest
    period with no entity, as in an index built without them, is coloured, not starred)."""
    if not tl.buckets:
        noun = "document" if tl.total == 1 else "documents"
        if not tl.total:
            return Text("no documents to place on a timeline", style="search.meta")
        return Text(
            f"{tl.total:,} {noun}, none with a date: there is no timeline to draw",
            style="search.meta",
        )
    head = Text(f"{tl.total:,} documents by {tl.by}", style="search.header")
    if tl.undated:
        head.append(
            f"  ·  {tl.undated:,} without a date (not shown)", style="search.meta"
        )
    peak = max(b.count for b in tl.buckets)
    label = max(len(b.period) for b in tl.buckets)
    digits = len(f"{peak:,}") + 2
    table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=False)
    table.add_column(style="search.meta", no_wrap=True, min_width=label)
    table.add_column(no_wrap=True, width=BAR_WIDTH + 1)
    table.add_column(justify="right", no_wrap=True, min_width=digits)
    table.add_column(style="search.meta", overflow="ellipsis", no_wrap=True, ratio=1)
    for b in tl.buckets:
        length = max(1, round(BAR_WIDTH * b.count / peak)) if b.count else 0
        bar = Text(
            "█" * length, style="search.suggest" if b.busiest else "search.score"
        )
        top = ", ".join(
            f"{clean_text(fc.value, keep_newlines=False)} {fc.count}" for fc in b.top
        )
        starred = b.busiest and bool(top)  # the ★ introduces the entities after it
        table.add_row(b.period, bar, f"{b.count:,}{' ★' if starred else '  '}", top if starred else "")
    return Group(head, table)


def significant_table(found: Sequence[Significant]) -> RenderableType:
    head = Text("What characterises these results", style="search.header")
    if not found:
        return Group(
            head,
            Text(
                "no entity is over-represented here (at least 2 documents)",
                style="search.meta",
            ),
        )
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False)
    table.add_column("entity")
    table.add_column("here", justify="right")
    table.add_column("everywhere", justify="right", style="search.meta")
    table.add_column("score", justify="right", style="search.meta")
    for s in found:
        name = Text(clean_text(s.value, keep_newlines=False), style=f"search.{s.facet}")
        name.append(
            f"  {FACET_LABELS.get(s.facet, s.facet).lower()}", style="search.meta"
        )
        here = f"{s.count}/{s.total} ({100 * s.count / s.total:.0f}%)"
        everywhere = f"{s.background}/{s.background_total} ({100 * s.background / s.background_total:.1f}%)"
        table.add_row(name, here, everywhere, f"{s.score:.2f}")
    return Group(head, table)


def explanation_tree(
    e: Explanation, query: str, like: str | None = None
) -> RenderableType:
    """A score taken apart; `like` names the document a more-like-this query came from."""
    tree = Tree(
        Text.assemble(
            (f"{e.score:.3f} ", "search.score"),
            (clean_text(e.title, keep_newlines=False), "search.title"),
        )
    )
    about = (
        f"like “{clean_text(like, keep_newlines=False)}”: BM25F of its most distinctive "
        "words, each weighted by how distinctive it is"
        if like is not None
        else f"query {clean_text(query, keep_newlines=False)!r}: BM25F, summed over its words"
    )
    terms = tree.add(Text(about, style="search.meta"))
    for t in e.terms:
        label = Text.assemble(
            (f"{t.score:.3f}  ", "search.score"),
            (f"{t.field}:", "search.meta"),
            (clean_text(t.term), "search.match"),
            (f"  tf {t.frequency:g}, in {t.doc_frequency} docs", "search.meta"),
            (f", boost {t.boost:g}" if t.boost != 1 else "", "search.meta"),
        )
        terms.add(label)
    if abs(e.remainder) > 1e-6:
        terms.add(
            Text(
                f"{e.remainder:+.3f}  OR-group adjustment (words matched vs. not)",
                style="search.meta",
            )
        )
    if e.missing:
        tree.add(
            Text("not in this document: " + ", ".join(e.missing), style="search.meta")
        )
    if e.filters:
        tree.add(
            Text(
                "filters it passed: " + " ".join(clean_text(f) for f in e.filters),
                style="search.meta",
            )
        )
    return tree


def rows_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], empty: str
) -> RenderableType:
    """A small plain table (saved searches, aliases)."""
    head = Text(title, style="search.header")
    if not rows:
        return Group(head, Text(empty, style="search.meta"))
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False)
    for h in headers:
        table.add_column(h)
    for row in rows:
        table.add_row(*(_plain(cell) for cell in row))
    return Group(head, table)
