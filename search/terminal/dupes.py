"""Dupes: the REPL's commands about copies of one story, registered with `@command`.

:similar N lists the copies folded into hit N and what tells them apart, :all shows every
copy (or folds them again), :dupes lists the stories with the most copies in the index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from search.results import Duplicate
from search.terminal.render import clean_text
from search.terminal.shell import CommandError, Output, Shell, command


def copies_table(rows: Sequence[Duplicate], first: Duplicate | None = None) -> Table:
    """One copy per row: id, date, source, length, text shared, and the headline."""
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="search.meta")
    for name in ("id", "date", "source", "words", "shared", "headline"):
        table.add_column(
            name,
            justify="right" if name in ("words", "shared") else "left",
            no_wrap=name != "headline",
        )
    for row in ([first] if first else []) + list(rows):
        shared = "same text" if row.same_text else f"{100 * row.resemblance:.0f}%"
        if not row.same_text and row.containment > row.resemblance + 0.2:
            shared += f" (cut: {100 * row.containment:.0f}%)"
        table.add_row(
            clean_text(row.id, keep_newlines=False),
            row.date or "",
            clean_text(row.source or "", keep_newlines=False),
            f"{row.words:,}",
            shared if row is not first else "",
            Text(clean_text(row.title, keep_newlines=False), style="search.title"),
        )
    return table


@command(":similar", "N", aliases=(":copies",), complete="hits")
def _similar(shell: Shell, arg: str) -> Output:
    """The copies of hit N's story (folded into it) and what differs: date, source, length."""
    doc_id = shell.hit_id(arg)
    rows = shell.searcher.copies.similar(doc_id)
    if not rows:
        return Output(
            [Text(f"{doc_id} has no copy in the index", style="search.meta")],
            data={"id": doc_id, "similar": []},
        )
    head = shell.searcher.document(doc_id)
    words = len(re.findall(r"\w+", head.text))  # as the copies' lengths are counted
    first = Duplicate(head.id, head.title, head.date, head.source, words, 1, 1)
    note = Text(
        "shared: the share of 5-word runs both texts hold; cut: of the shorter one's",
        style="search.meta",
    )
    data = {"id": doc_id, "similar": [r.to_dict() for r in rows]}
    return Output([copies_table(rows, first), note], data=data)


@command(":all", "[on|off]", complete="on|off")
def _all(shell: Shell, arg: str) -> Output:
    """Show every copy of a story (on), or each story once with "+N similar" (off)."""
    if arg not in ("", "on", "off"):
        raise CommandError(f"{arg!r} is not on or off", hint=":all on shows every copy")
    every = arg == "on" if arg else shell.searcher.collapse
    shell.searcher.collapse = not every
    shell.state.page = 1
    if shell.state.active:
        return shell.run()
    what = "every copy" if every else "each story once"
    return Output([Text(f"results will show {what}", style="search.meta")])


@command(":dupes", "[N]")
def _dupes(shell: Shell, arg: str) -> Output:
    """The stories with the most copies in the index (N of them, default 10)."""
    if arg and not arg.isdigit():
        raise CommandError(f"{arg!r} is not a number", hint=":dupes 20 lists twenty")
    clusters = shell.searcher.copies.largest(int(arg) if arg else 10)
    if not clusters:
        return Output([Text("no copies found in the index", style="search.meta")])
    parts: list[RenderableType] = []
    for c in clusters:
        parts.append(Text(f"{c.size} copies", style="search.header"))
        parts.append(copies_table(c.members[1:], c.members[0]))
    return Output(parts, page=True, data={"clusters": [c.to_dict() for c in clusters]})
