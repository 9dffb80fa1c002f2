"""Status: rich renderables for the index itself — the summary after indexing, `search info`,
and the REPL's welcome line. Paths and skip reasons are shown inert, like document text.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from search.results import IndexInfo, IndexStats
from search.terminal.render import FACET_LABELS, clean_text


def index_stats(stats: IndexStats) -> Group:
    """The summary printed after indexing."""
    line = Text()
    line.append(f"indexed {stats.indexed:,}", style="search.header")
    line.append(
        f", unchanged {stats.unchanged:,}, removed {stats.removed:,}, skipped {len(stats.skipped):,}"
        + (f", ignored {stats.ignored:,}" if stats.ignored else "")
    )
    line.append(
        f"  ·  {stats.documents:,} document{'' if stats.documents == 1 else 's'} in the index"
        f"  ·  {stats.elapsed:.1f} s",
        style="search.meta",
    )
    parts: list[RenderableType] = [line]
    for count, what in ((stats.entities_added, "added to"), (stats.entities_pending, "pending for")):
        if count:
            parts.append(
                Text(f"entities {what} {count:,} document{'' if count == 1 else 's'}", style="search.meta")
            )
    if not stats.entities:
        parts.append(
            Text("entities: off (built with --no-entities)", style="search.meta")
        )
    for skip in stats.skipped[:20]:
        parts.append(
            Text(
                f"  skipped {clean_text(str(skip), keep_newlines=False)}",
                style="search.meta",
            )
        )
    if len(stats.skipped) > 20:
        parts.append(
            Text(
                f"  … and {len(stats.skipped) - 20} more (see --json)",
                style="search.meta",
            )
        )
    return Group(*parts)


def index_info(info: IndexInfo) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="search.meta")
    table.add_column()
    table.add_row("index", Text(clean_text(info.path, keep_newlines=False)))
    table.add_row("documents", f"{info.documents:,}")
    table.add_row("entities", Text(info.model if info.entities else "off"))
    if info.entities_pending:
        table.add_row("  pending", f"{info.entities_pending:,} documents still to do")
    if info.entities_failed:
        table.add_row("  stopped", Text(clean_text(info.entities_failed, keep_newlines=False)))
    for name, count in info.facets.items():
        table.add_row(
            f"  {FACET_LABELS.get(name, name).lower()}", f"{count:,} distinct"
        )
    table.add_row("size", f"{info.size_bytes / 1_048_576:.1f} MiB")
    table.add_row("schema", str(info.schema_version))
    table.add_row("updated", Text(info.last_modified or ""))
    return table


def welcome(documents: int, index_dir: object) -> Text:
    """The line printed when the REPL starts."""
    text = Text("search", style="search.header")
    text.append(
        f" · {documents:,} document{'' if documents == 1 else 's'} in "
        f"{clean_text(str(index_dir), keep_newlines=False)}/"
        " · :help for commands · Ctrl-D quits",
        style="search.meta",
    )
    return text
