"""Commands: the REPL's state and its command handler, independent of the terminal.

`Shell.handle(line)` takes one line (a query, a `+facet:value`/`-facet:value` filter, a
numbered facet pick such as `+3`, or a `:command`) and returns an `Output` holding rich
renderables. Commands are registered with `@command`, which is also what `:help` lists.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from search import render
from search.errors import QueryError, SearchError
from search.results import FacetCount, SearchResults
from search.searcher import Searcher
from search.snippets import highlight

Handler = Callable[["Shell", str], "Output"]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    args: str
    help: str
    handler: Handler
    aliases: tuple[str, ...] = ()


COMMANDS: dict[str, Command] = {}
"""Every command by name and alias; `:help` is generated from it."""


def command(
    name: str, args: str = "", aliases: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    """Register a handler; its docstring's first line is its help text."""

    def register(fn: Handler) -> Handler:
        doc = (fn.__doc__ or "").strip().splitlines()
        cmd = Command(name, args, doc[0] if doc else "", fn, aliases)
        for key in (name, *aliases):
            COMMANDS[key] = cmd
        return fn

    return register


def command_names() -> list[str]:
    return sorted(COMMANDS)


@dataclass(slots=True)
class Output:
    """What one line produced: renderables to print, whether to page them, whether to quit."""

    parts: list[RenderableType] = field(default_factory=list)
    page: bool = False
    quit: bool = False

    @property
    def renderable(self) -> RenderableType:
        return Group(*self.parts)


@dataclass(slots=True)
class State:
    """The current query, its filters and where the user is in the results."""

    query: str = ""
    where: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    pagelen: int = 10
    sort: str = "score"
    like: str | None = None
    results: SearchResults | None = None
    picks: list[tuple[str, str]] = field(default_factory=list)


_FILTER = re.compile(r'^(?P<sign>[+-])(?P<facet>\w+):(?P<value>"[^"]*"?|\S.*)$')
_PICK = re.compile(r"^(?P<sign>[+-])(?P<number>\d+)$")


class CommandError(SearchError):
    """A command used wrongly; the hint shows how to use it."""


class Shell:
    """The command handler behind the REPL and pipe mode."""

    def __init__(
        self, searcher: Searcher, pagelen: int = 10, facet_limit: int = 5
    ) -> None:
        self.searcher = searcher
        self.state = State(pagelen=pagelen)
        self.facet_limit = facet_limit

    # -- dispatch ------------------------------------------------------------------------

    def handle(self, line: str) -> Output:
        """Run one line; errors become a message and a hint, never an exception."""
        line = line.strip()
        if not line:
            return Output()
        try:
            if line.startswith(":"):
                name, _, rest = line.partition(" ")
                cmd = COMMANDS.get(name.lower())
                if cmd is None:
                    raise CommandError(
                        f"unknown command {name!r}",
                        hint="type :help for the list of commands",
                    )
                return cmd.handler(self, rest.strip())
            if m := _PICK.match(line):
                return self._pick(m.group("sign"), int(m.group("number")))
            if m := _FILTER.match(line):
                return self._add_filter(
                    m.group("sign"), m.group("facet"), m.group("value").strip('"')
                )
            self.state.query = line
            self.state.like = None
            self.state.page = 1
            return self.run()
        except SearchError as exc:
            return error_output(exc)

    def run(self) -> Output:
        """Search with the current state and render the page."""
        st = self.state
        common: dict[str, Any] = {
            "where": st.where or None,
            "exclude": st.exclude or None,
            "page": st.page,
            "pagelen": st.pagelen,
            "facet_limit": self.facet_limit,
        }
        if st.like is not None:
            res = self.searcher.more_like(st.like, **common)
        else:
            res = self.searcher.search(st.query, sort=st.sort, **common)
        st.results = res
        st.picks = [
            (name, fc.value) for name, values in res.facets.items() for fc in values
        ]
        matcher = self.searcher.highlight_terms(st.query) if st.like is None else None
        spans = [highlight(h.title, matcher) if matcher else () for h in res.hits]
        parts: list[RenderableType] = [render.summary(res)]
        if res.corrected:
            hint = Text("  (type :y to search for it)", style="search.meta")
            parts.append(Text.assemble(render.suggestion(res.corrected), hint))
        for h, ts in zip(res.hits, spans):
            parts.append(Text(""))
            parts.append(render.hit(h, ts))
        if any(res.facets.values()):
            parts.append(Text(""))
            parts.append(render.facet_table(res.facets, numbered=True))
            parts.append(
                Text(
                    "+N or -N keeps or drops facet value N; :help for more",
                    style="search.meta",
                )
            )
        return Output(parts)

    # -- filters -------------------------------------------------------------------------

    def _facet(self, name: str) -> str:
        from search.completion import FIELD_ALIASES

        facet = FIELD_ALIASES.get(name.lower(), name.lower())
        if facet not in self.searcher.facet_names:
            raise CommandError(
                f"unknown facet {name!r}",
                hint=f'filter with +{self.searcher.facet_names[0]}:"Name" using one of: '
                + ", ".join(self.searcher.facet_names),
            )
        return facet

    def _add_filter(self, sign: str, name: str, value: str) -> Output:
        facet = self._facet(name)
        if not value:
            raise CommandError(
                "a filter needs a value", hint=f'type {sign}{facet}:"Name"'
            )
        target = self.state.where if sign == "+" else self.state.exclude
        values = target.setdefault(facet, [])
        if value not in values:
            values.append(value)
        self.state.page = 1
        return self.run()

    def _pick(self, sign: str, number: int) -> Output:
        picks = self.state.picks
        if not 1 <= number <= len(picks):
            raise CommandError(
                f"there is no facet value {number}",
                hint="run a query first; the facet panel numbers its values 1.."
                + str(len(picks) or "N"),
            )
        facet, value = picks[number - 1]
        return self._add_filter(sign, facet, value)

    def filters_text(self) -> str:
        """The active filters, for the toolbar."""
        parts = [f'+{f}:"{v}"' for f, vs in self.state.where.items() for v in vs]
        parts += [f'-{f}:"{v}"' for f, vs in self.state.exclude.items() for v in vs]
        return " ".join(parts)

    def hit_number(self, arg: str) -> str:
        """The document id of hit N on the current page (N as shown in the list)."""
        res = self.state.results
        if res is None or not res.hits:
            raise CommandError("there are no results yet", hint="type a query first")
        try:
            n = int(arg)
        except ValueError:
            raise CommandError(
                f"{arg!r} is not a hit number",
                hint=f"type a number shown left of a title, e.g. {res.hits[0].rank}",
            ) from None
        for h in res.hits:
            if h.rank == n:
                return h.id
        first, last = res.hits[0].rank, res.hits[-1].rank
        raise CommandError(
            f"hit {n} is not on this page",
            hint=f"this page shows hits {first}-{last}; use :page to move",
        )


def error_output(exc: SearchError) -> Output:
    parts: list[RenderableType] = [Text(f"error: {exc.message}", style="search.error")]
    if exc.hint:
        parts.append(Text(f"hint: {exc.hint}", style="search.hint"))
    return Output(parts)


def _need_results(shell: Shell) -> SearchResults:
    if shell.state.results is None:
        raise CommandError("there are no results yet", hint="type a query first")
    return shell.state.results


@command(":help", aliases=(":h", ":?"))
def _help(shell: Shell, arg: str) -> Output:
    """List the commands and the query syntax."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="search.rank")
    table.add_column()
    seen = set()
    for cmd in sorted(
        {c.name: c for c in COMMANDS.values()}.values(), key=lambda c: c.name
    ):
        if cmd.name in seen:
            continue
        seen.add(cmd.name)
        usage = f"{cmd.name} {cmd.args}".strip()
        alias = f"  (also {', '.join(cmd.aliases)})" if cmd.aliases else ""
        table.add_row(usage, cmd.help + alias)
    syntax = Text(
        'Queries: words (ranked, any may match), "a phrase", AND OR NOT, title:word, person:putin,\n'
        'place:"new york", org:nato, date:2024 or date:[2024-01 to 2024-06], prefix*.\n'
        'Filters: +person:"Vladimir Putin" keeps, -place:Moscow drops, +3 / -3 picks facet value 3.\n'
        "Keys: Tab completes (person:put…), Ctrl-R searches history, Ctrl-C cancels, Ctrl-D quits.",
        style="search.meta",
    )
    return Output([table, Text(""), syntax])


@command(":quit", aliases=(":q", ":exit"))
def _quit(shell: Shell, arg: str) -> Output:
    """Leave (Ctrl-D does the same)."""
    return Output(quit=True)


@command(":clear", aliases=(":c",))
def _clear(shell: Shell, arg: str) -> Output:
    """Drop every filter and run the query again."""
    shell.state.where.clear()
    shell.state.exclude.clear()
    shell.state.page = 1
    return (
        shell.run()
        if shell.state.query or shell.state.like
        else Output([Text("filters cleared", style="search.meta")])
    )


@command(":next", aliases=(":n",))
def _next(shell: Shell, arg: str) -> Output:
    """The next page of results."""
    res = _need_results(shell)
    if shell.state.page >= res.pagecount:
        raise CommandError(
            "this is the last page", hint=":prev goes back, :page N jumps"
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


@command(":sort", "date|score")
def _sort(shell: Shell, arg: str) -> Output:
    """Order hits by relevance score or by date, newest first."""
    if arg not in ("date", "score"):
        raise CommandError(
            f"cannot sort by {arg or '(nothing)'}",
            hint="type :sort date or :sort score",
        )
    shell.state.sort = arg
    shell.state.page = 1
    return shell.run() if shell.state.query or shell.state.results else Output()


@command(":open", "N", aliases=(":o",))
def _open(shell: Shell, arg: str) -> Output:
    """Show hit N in full, query terms and entities highlighted, in the pager."""
    doc_id = shell.hit_number(arg)
    doc = shell.searcher.document(doc_id)
    spans = list(highlight(doc.text, shell.searcher.highlight_terms(shell.state.query)))
    return Output([render.document(doc, spans, highlight_entities=True)], page=True)


@command(":more", "N", aliases=(":like",))
def _more(shell: Shell, arg: str) -> Output:
    """Documents like hit N."""
    doc_id = shell.hit_number(arg)
    shell.state.like = doc_id
    shell.state.page = 1
    return shell.run()


@command(":entities", "N", aliases=(":e",))
def _entities(shell: Shell, arg: str) -> Output:
    """The people, places and organisations hit N mentions."""
    doc_id = shell.hit_number(arg)
    doc = shell.searcher.document(doc_id)
    table = render.facet_table(
        {
            name: tuple(FacetCount(v, 0) for v in values)
            for name, values in doc.entities.items()
        },
        show_counts=False,
    )
    return Output(
        [
            Text(
                render.clean_text(doc.title, keep_newlines=False), style="search.title"
            ),
            table,
        ]
    )


@command(":facets", "[type] [N]", aliases=(":f",))
def _facets(shell: Shell, arg: str) -> Output:
    """Top entities of the current results (or of the whole index), N per type."""
    words = arg.split()
    facet = None
    limit = 20
    for word in words:
        if word.isdigit():
            limit = int(word)
        else:
            facet = shell._facet(word)
    res = shell.state.results
    if res is not None and (shell.state.query or shell.state.where or shell.state.like):
        st = shell.state
        if st.like is not None:
            full = shell.searcher.more_like(
                st.like,
                where=st.where or None,
                exclude=st.exclude or None,
                pagelen=1,
                facet_limit=limit,
                snippets=0,
            )
        else:
            full = shell.searcher.search(
                st.query,
                where=st.where or None,
                exclude=st.exclude or None,
                pagelen=1,
                facet_limit=limit,
                snippets=0,
                suggest=False,
            )
        counts = {k: v for k, v in full.facets.items() if facet is None or k == facet}
        title = f"Top entities of {full.total:,} result{'' if full.total == 1 else 's'}"
    else:
        counts = shell.searcher.facet_counts(facet, limit)
        title = "Top entities of the whole index"
    shell.state.picks = [
        (name, fc.value) for name, values in counts.items() for fc in values
    ]
    return Output([render.facet_table(counts, numbered=True, title=title)], page=True)


@command(":stats", aliases=(":info",))
def _stats(shell: Shell, arg: str) -> Output:
    """Describe the index."""
    return Output([render.index_info(shell.searcher.info())])


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
    """Write every hit of the current results to FILE as JSON lines."""
    _need_results(shell)
    if not arg:
        raise CommandError("name a file to write", hint=":export results.jsonl")
    path = Path(shlex.split(arg)[0]).expanduser()
    st = shell.state
    written = 0
    try:
        with path.open("w", encoding="utf-8") as out:
            page = 1
            while True:
                if st.like is not None:
                    res = shell.searcher.more_like(
                        st.like,
                        where=st.where or None,
                        exclude=st.exclude or None,
                        page=page,
                        pagelen=200,
                        facet_limit=0,
                    )
                else:
                    res = shell.searcher.search(
                        st.query,
                        where=st.where or None,
                        exclude=st.exclude or None,
                        sort=st.sort,
                        page=page,
                        pagelen=200,
                        facet_limit=0,
                        suggest=False,
                    )
                for h in res.hits:
                    out.write(json.dumps(h.to_dict(), ensure_ascii=False) + "\n")
                    written += 1
                if page >= res.pagecount:
                    break
                page += 1
    except OSError as exc:
        raise CommandError(
            f"cannot write {path}: {exc.strerror}",
            hint="choose a path in a folder you can write to",
        ) from exc
    return Output([Text(f"wrote {written:,} results to {path}", style="search.meta")])


__all__ = [
    "COMMANDS",
    "Output",
    "QueryError",
    "Shell",
    "State",
    "command",
    "command_names",
]
