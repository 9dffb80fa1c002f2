"""Commands: the REPL's `:commands`, registered with `@command` on import.

Each handler takes the `Shell` and the text after the command name and returns an `Output`;
its docstring's first line is what `:help` shows. Raising `CommandError` (or any
`SearchError`) shows the message and hint and leaves the shell's state as it was.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.table import Table
from rich.text import Text

from search.query.snippets import highlight
from search.results import FacetCount, Hit, SearchResults
from search.terminal import export, page, render, status
from search.terminal.console import Reading
from search.terminal.output_file import output_file
from search.terminal.shell import (
    COMMANDS,
    CommandError,
    Output,
    Shell,
    State,
    command,
    command_completions,
    command_names,
    error_output,
    parse_filters,
)

READING_WIDTH = 100
"""Whole documents wrap at this width even in wider terminals: long lines are hard to read."""


def _need_results(shell: Shell) -> SearchResults:
    if shell.state.results is None:
        raise CommandError("there are no results yet", hint="type a query first")
    return shell.state.results


def _note(text: str) -> Output:
    return Output([Text(text, style="search.meta")])


def _pick_hint(shell: Shell) -> list[Text]:
    """The +N/-N hint under a numbered facet table, unless no one is at a prompt."""
    return [Text(page.PICK_HINT, style="search.meta")] if shell.tips else []


SYNTAX_HELP = (
    'Queries: words (ranked, any may match), "a phrase", AND OR NOT, title:word, '
    'person:putin, place:"new york", org:nato, date:2024, prefix*.\n'
    'Filters: +person:"Vladimir Putin" keeps, -place:Moscow drops, +3 / -3 keep or drop '
    "facet value 3 of the panel; several at once: +3 -5.\n"
    "Keys: Tab completes (person:put…), Ctrl-R searches history, → accepts a suggestion, "
    "PageDown/PageUp on an empty line page the results, Ctrl-C cancels, Ctrl-D quits."
)


@command(":help", "[COMMAND]", aliases=(":h", ":?"), complete="commands")
def _help(shell: Shell, arg: str) -> Output:
    """List the commands and the query syntax."""
    wanted = COMMANDS.get(arg if arg.startswith(":") else f":{arg}") if arg else None
    if arg and wanted is None:
        raise CommandError(f"no command {arg!r}", hint="type :help for the list")
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="search.rank", no_wrap=True)
    table.add_column()
    for name in command_names():
        cmd = COMMANDS[name]
        if wanted is not None and cmd is not wanted:
            continue
        alias = f"  (also {', '.join(cmd.aliases)})" if cmd.aliases else ""
        table.add_row(Text(f"{cmd.name} {cmd.args}".strip()), Text(cmd.help + alias))
    if wanted is not None:
        return Output([table])
    return Output([table, Text(""), Text(SYNTAX_HELP, style="search.meta")], page=True)


@command(":quit", aliases=(":q", ":exit"))
def _quit(shell: Shell, arg: str) -> Output:
    """Leave (Ctrl-D does the same)."""
    return Output(quit=True)


@command(":clear", "[FACET]", aliases=(":c",), complete="facets")
def _clear(shell: Shell, arg: str) -> Output:
    """Drop every filter (or those on one facet) and search again."""
    st = shell.state
    if arg:
        facet = shell.facet(arg)
        st.where.pop(facet, None)
        st.exclude.pop(facet, None)
    else:
        st.where.clear()
        st.exclude.clear()
    st.page = 1
    return shell.run() if st.active else _note("no filters")


@command(":next", aliases=(":n",))
def _next(shell: Shell, arg: str) -> Output:
    """The next page of results."""
    res = _need_results(shell)
    if shell.state.page >= res.pagecount:
        raise CommandError(
            f"this is the last page ({res.pagecount})",
            hint=":prev goes back, :page N jumps",
        )
    shell.state.page += 1
    return shell.run()


@command(":prev", aliases=(":p",))
def _prev(shell: Shell, arg: str) -> Output:
    """The previous page of results."""
    _need_results(shell)
    if shell.state.page <= 1:
        raise CommandError("this is the first page", hint=":next goes forward")
    shell.state.page -= 1
    return shell.run()


@command(":page", "N")
def _page(shell: Shell, arg: str) -> Output:
    """Jump to page N."""
    res = _need_results(shell)
    if not arg.isdigit() or not 1 <= int(arg) <= res.pagecount:
        raise CommandError(
            f"there is no page {arg or '(none given)'}",
            hint=f"pages run from 1 to {res.pagecount}",
        )
    shell.state.page = int(arg)
    return shell.run()


@command(":sort", "date|score", complete="date|score")
def _sort(shell: Shell, arg: str) -> Output:
    """Order hits by relevance score or by date, newest first."""
    arg = arg.lower()
    if arg not in ("date", "score"):
        raise CommandError(
            f"cannot sort by {arg or '(nothing)'}; sorted by {shell.state.sort} now",
            hint="type :sort date or :sort score",
        )
    if shell.state.like is not None and arg == "date":
        raise CommandError(
            "documents like another are ranked by likeness",
            hint="type a query to sort its hits by date",
        )
    shell.state.sort = arg
    shell.state.page = 1
    return shell.run() if shell.state.active else _note(f"hits will be sorted by {arg}")


@command(":open", "N", aliases=(":o", ":show"), complete="hits")
def _open(shell: Shell, arg: str) -> Output:
    """Show hit N whole, query terms and entities highlighted, in the pager."""
    doc = shell.searcher.document(shell.hit_id(arg))
    query = shell.state.query if shell.state.like is None else ""
    spans = highlight(doc.text, shell.searcher.highlight_terms(query)) if query else ()
    view = render.document(doc, spans, highlight_entities=True)
    return Output([Reading(view, READING_WIDTH)], page=True, data=doc.to_dict())


@command(":more", "N", aliases=(":like",), complete="hits")
def _more(shell: Shell, arg: str) -> Output:
    """Documents like hit N (more like this)."""
    doc_id = shell.hit_id(arg)
    doc = shell.searcher.document(doc_id)
    shell.state.like = doc_id
    shell.state.like_title = doc.title or doc.id
    shell.state.sort = "score"
    shell.state.page = 1
    return shell.run()


@command(":entities", "N", aliases=(":e",), complete="hits")
def _entities(shell: Shell, arg: str) -> Output:
    """The people, places and organisations hit N mentions."""
    doc = shell.searcher.document(shell.hit_id(arg))
    values = {k: tuple(FacetCount(v, 0) for v in vs) for k, vs in doc.entities.items()}
    title = Text(
        render.clean_text(doc.title, keep_newlines=False), style="search.title"
    )
    if not any(values.values()):
        return Output([title, Text("no entities recorded", style="search.meta")])
    shell.state.picks = [(k, fc.value) for k, vs in values.items() for fc in vs]
    table = render.facet_table(values, numbered=True, show_counts=False)
    data = {"id": doc.id, "entities": {k: list(v) for k, v in doc.entities.items()}}
    return Output([title, table, *_pick_hint(shell)], data=data)


@command(":facets", "[TYPE] [N]", aliases=(":f",), complete="facets")
def _facets(shell: Shell, arg: str) -> Output:
    """Top entities of the current results (or of the whole index), N per type."""
    facet = None
    limit = 20
    for word in arg.split():
        if word.isdigit():
            limit = max(1, int(word))
        else:
            facet = shell.facet(word)
    if shell.state.results is not None and shell.state.active:
        full = shell.search(1, 1, limit, snippets=0, suggest=False)
        counts = {k: v for k, v in full.facets.items() if facet in (None, k)}
        title = f"Top entities of {full.total:,} result{'' if full.total == 1 else 's'}"
    else:
        counts = shell.searcher.facet_counts(facet, limit)
        title = "Top entities of the whole index"
        pending = shell.searcher.entities_pending()
        if pending:  # the counts cover the documents whose entities are in so far
            noun = "document" if pending == 1 else "documents"
            title += f" (entities still being added: {pending:,} {noun} left out for now)"
    shell.state.picks = [(k, fc.value) for k, vs in counts.items() for fc in vs]
    heading = Text(title, style="search.header")
    table = render.facet_table(counts, numbered=True)
    data = {
        k: [{"value": c.value, "count": c.count} for c in v] for k, v in counts.items()
    }
    return Output([heading, table, *_pick_hint(shell)], page=True, data={"facets": data})


@command(":stats", aliases=(":info",))
def _stats(shell: Shell, arg: str) -> Output:
    """Describe the index: documents, entities, size."""
    info = shell.searcher.info()
    return Output([status.index_info(info)], data=info.to_dict())


@command(":y", aliases=(":yes",))
def _accept(shell: Shell, arg: str) -> Output:
    """Search for the suggested correction ("Did you mean")."""
    res = _need_results(shell)
    if not res.corrected:
        raise CommandError(
            "there is no suggestion to accept",
            hint="suggestions appear when a query finds little",
        )
    shell.state.query = res.corrected
    shell.state.page = 1
    return shell.run()


@command(":export", "FILE")
def _export(shell: Shell, arg: str) -> Output:
    """Write every hit of the current results to FILE: .csv, .json or .jsonl (JSON lines)."""
    _need_results(shell)
    path = output_file(shell, ":export", arg, ":export results.csv (or .json, .jsonl)")
    st = shell.state

    def every_hit() -> Iterator[Hit]:
        number = 1
        while True:
            res = shell.search(number, 200, 0, suggest=False)
            yield from res.hits
            if number >= res.pagecount:
                return
            number += 1

    about = {
        "query": st.query,
        "like": st.like,
        "filters": st.where,
        "excluded": st.exclude,
        "sort": st.sort,
    }
    try:
        written = export.write(path, every_hit(), shell.searcher.facet_names, about)
    except OSError as exc:
        raise CommandError(
            f"cannot write {path}: {exc.strerror}",
            hint="choose a path in a folder you can write to",
        ) from exc
    fmt = export.format_of(path)
    named = path.suffix.lower() in export.FORMATS
    note = _note(
        f"wrote {written:,} results to {path} as {fmt}"
        + ("" if named else " (name it .csv or .json for those formats)")
    )
    note.data = {"exported": written, "path": str(path), "format": fmt}
    return note


__all__ = [
    "COMMANDS",
    "CommandError",
    "Output",
    "Shell",
    "State",
    "command",
    "command_completions",
    "command_names",
    "error_output",
    "parse_filters",
]


# The analytics, session and copies commands register themselves in the same registry.
from search.terminal import dupes, explore, session  # noqa: F401
