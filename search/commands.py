"""Commands: the REPL's state and its command handler, independent of the terminal.

`Shell.handle(line)` takes one line (a query, `+facet:value`/`-facet:value` filters, numbered
facet picks such as `+3 -5`, or a `:command`) and returns an `Output` holding rich
renderables and, for `--json` consumers, plain data. Commands are registered with
`@command`, which is also what `:help` lists. A line that fails leaves the state as it was.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.constrain import Constrain
from rich.table import Table
from rich.text import Text

from search import render
from search.errors import SearchError
from search.results import FacetCount, SearchResults
from search.searcher import Searcher
from search.snippets import highlight

Handler = Callable[["Shell", str], "Output"]

READING_WIDTH = 100
"""Whole documents wrap at this width even in wider terminals: long lines are hard to read."""


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    args: str
    help: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    complete: str = ""
    """What Tab offers after the name: "hits", "facets", or choices such as "date|score"."""


COMMANDS: dict[str, Command] = {}
"""Every command by name and by alias; `:help` and completion are generated from it."""


def command(
    name: str, args: str = "", aliases: tuple[str, ...] = (), complete: str = ""
) -> Callable[[Handler], Handler]:
    """Register a handler; its docstring's first line is its help text."""

    def register(fn: Handler) -> Handler:
        doc = (fn.__doc__ or "").strip().splitlines()
        cmd = Command(name, args, doc[0] if doc else "", fn, aliases, complete)
        for key in (name, *aliases):
            COMMANDS[key] = cmd
        return fn

    return register


def command_names() -> list[str]:
    """The commands' main names (aliases work when typed but are not offered)."""
    return sorted({c.name for c in COMMANDS.values()})


def command_completions() -> dict[str, str]:
    """Each command name and alias → what completes its argument (see `Command.complete`)."""
    return {key: cmd.complete for key, cmd in COMMANDS.items() if cmd.complete}


@dataclass(slots=True)
class Output:
    """What one line produced: renderables, JSON-able data, and whether to page or quit."""

    parts: list[RenderableType] = field(default_factory=list)
    page: bool = False
    quit: bool = False
    data: dict[str, Any] | None = None
    error: bool = False

    @property
    def renderable(self) -> RenderableType:
        from rich.console import Group

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
    like_title: str = ""
    results: SearchResults | None = None
    picks: list[tuple[str, str]] = field(default_factory=list)

    def copy(self) -> State:
        return replace(
            self,
            where={k: list(v) for k, v in self.where.items()},
            exclude={k: list(v) for k, v in self.exclude.items()},
            picks=list(self.picks),
        )

    @property
    def active(self) -> bool:
        """Whether there is anything to search: a query, a filter or a more-like."""
        return bool(self.query or self.where or self.exclude or self.like)


_NUMBER_ITEM = r"[+-]\d+(?=\s|$)"
_FACET_ITEM = r"[+-][A-Za-z_]+:"
_ITEM = re.compile(
    rf"\s*(?P<sign>[+-])(?:(?P<number>\d+)(?=\s|$)|(?P<facet>[A-Za-z_]+):"
    rf'(?:"(?P<quoted>[^"]*)"?|(?P<bare>.*?))(?=\s+(?:{_NUMBER_ITEM}|{_FACET_ITEM})|\s*$))'
)


def parse_filters(line: str) -> list[tuple[str, str, str]] | None:
    """A line of filters as (sign, facet or number, value) items, or None if it is a query.

    `+person:"Vladimir Putin" -place:Moscow +3`: unquoted values run to the next item.
    """
    items = []
    pos = 0
    while pos < len(line):
        m = _ITEM.match(line, pos)
        if m is None or m.end() == pos:
            return None
        if m.group("number") is not None:
            items.append((m.group("sign"), m.group("number"), ""))
        else:
            value = m.group("quoted")
            value = value if value is not None else m.group("bare")
            items.append((m.group("sign"), m.group("facet"), value.strip()))
        pos = m.end()
    return items or None


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
        """Run one line; errors become a message and a hint, and leave the state unchanged.

        KeyboardInterrupt (Ctrl-C during a search) also restores the state, then propagates.
        """
        line = line.strip()
        if not line:
            return Output()
        saved = self.state.copy()
        try:
            return self._dispatch(line)
        except SearchError as exc:
            self.state = saved
            return error_output(exc)
        except KeyboardInterrupt:
            self.state = saved
            raise

    def _dispatch(self, line: str) -> Output:
        if line.startswith(":"):
            name, _, rest = line.partition(" ")
            cmd = COMMANDS.get(name.lower())
            if cmd is None:
                raise CommandError(
                    f"unknown command {name!r}",
                    hint="type :help for the list of commands",
                )
            return cmd.handler(self, rest.strip())
        items = parse_filters(line)
        if items is not None:
            return self._apply_filters(items)
        self.state.query = line
        self.state.like = None
        self.state.page = 1
        return self.run()

    def search(
        self, page: int, pagelen: int, facet_limit: int | None, **options: Any
    ) -> SearchResults:
        """Run the current state's search for one page (more-like when one is active)."""
        st = self.state
        common: dict[str, Any] = {
            "where": st.where or None,
            "exclude": st.exclude or None,
            "page": page,
            "pagelen": pagelen,
            "facet_limit": facet_limit,
            "every": True,  # drill-down: each value kept narrows the results
        }
        if st.like is not None:
            return self.searcher.more_like(st.like, **common, **options)
        return self.searcher.search(st.query, sort=st.sort, **common, **options)

    def run(self) -> Output:
        """Search with the current state and render the page."""
        st = self.state
        res = self.search(st.page, st.pagelen, self.facet_limit)
        st.results = res
        st.picks = [
            (name, fc.value) for name, vals in res.facets.items() for fc in vals
        ]
        matcher = self.searcher.highlight_terms(st.query) if st.like is None else None
        spans = [highlight(h.title, matcher) if matcher else () for h in res.hits]
        page = render.ResultsPage(
            res, spans, like=st.like_title if st.like is not None else None
        )
        return Output([page], data=res.to_dict())

    # -- filters -------------------------------------------------------------------------

    def facet(self, name: str) -> str:
        """The facet a user's name stands for (person, people, who…), or a CommandError."""
        from search.schema import FIELD_ALIASES

        lowered = name.lower()
        for facet, aliases in FIELD_ALIASES.items():
            if lowered in aliases:
                lowered = facet
        if lowered not in self.searcher.facet_names:
            names = self.searcher.facet_names
            raise CommandError(
                f"cannot filter on {name!r}",
                hint=f'filters work on {", ".join(names)}: +{names[0]}:"Name" keeps, '
                f'-{names[0]}:"Name" drops; to search a field, type {name}:word',
            )
        return lowered

    def _apply_filters(self, items: list[tuple[str, str, str]]) -> Output:
        picks = self.state.picks
        added = []
        for sign, what, value in items:
            if what.isdigit():
                number = int(what)
                if not 1 <= number <= len(picks):
                    raise CommandError(
                        f"there is no facet value {number}",
                        hint=f"the facet panel numbers its values 1 to {len(picks)}"
                        if picks
                        else "run a query first; its facet panel numbers the values",
                    )
                facet, value = picks[number - 1]
            else:
                facet = self.facet(what)
                if not value:
                    raise CommandError(
                        f"{sign}{what}: needs a value",
                        hint=f'type {sign}{facet}:"Name"',
                    )
            self._set_filter(sign, facet, value)
            added.append((sign, facet, value))
        self.state.page = 1
        before = self.state.results
        out = self.run()
        res = self.state.results
        keeps = [(f, v) for s, f, v in added if s == "+"]
        if (
            res is not None
            and res.total == 0
            and keeps
            and (before is None or before.total)
        ):
            facet, value = keeps[-1]
            raise CommandError(
                f'no results mention {facet} "{value}"; the filter was not applied',
                hint=self._similar(facet, value),
            )
        return out

    def _set_filter(self, sign: str, facet: str, value: str) -> None:
        target, other = (
            (self.state.where, self.state.exclude)
            if sign == "+"
            else (self.state.exclude, self.state.where)
        )
        key = value.casefold()
        if facet in other:
            other[facet] = [v for v in other[facet] if v.casefold() != key]
            if not other[facet]:
                del other[facet]
        values = target.setdefault(facet, [])
        if all(v.casefold() != key for v in values):
            values.append(value)

    def _similar(self, facet: str, value: str) -> str:
        words = value.split()
        found = self.searcher.entity_values(facet, value, limit=5) or (
            self.searcher.entity_values(facet, words[-1][:3], limit=5) if words else []
        )
        if not found:
            return f"Tab after +{facet}: lists the values in the index"
        shown = ", ".join(render.filter_label("+", facet, fc.value) for fc in found)
        return f"values in the index: {shown}"

    def filters_text(self) -> str:
        """The active filters, for the toolbar."""
        st = self.state
        parts = [
            render.filter_label("+", f, v) for f, vs in st.where.items() for v in vs
        ]
        parts += [
            render.filter_label("-", f, v) for f, vs in st.exclude.items() for v in vs
        ]
        return " ".join(parts)

    def hit_id(self, arg: str) -> str:
        """The document id of hit N of the current page, or arg itself when it is an id."""
        res = self.state.results
        if not arg:
            raise CommandError("which hit?", hint="give its number, e.g. :open 1")
        if not arg.isdigit():
            if "/" in arg or "." in arg or "#" in arg:
                return arg  # a document id such as politics/077.txt; checked by the searcher
            raise CommandError(
                f"{arg!r} is not a hit number",
                hint="type the number shown left of a title, e.g. :open 1",
            )
        if res is None or not res.hits:
            raise CommandError("there are no hits yet", hint="type a query first")
        n = int(arg)
        for h in res.hits:
            if h.rank == n:
                return h.id
        first, last = res.hits[0].rank, res.hits[-1].rank
        raise CommandError(
            f"hit {n} is not on this page",
            hint=f"this page shows hits {first} to {last}; :page moves to another page",
        )


def error_output(exc: SearchError) -> Output:
    message = render.clean_text(exc.message, keep_newlines=False)
    parts: list[RenderableType] = [Text(f"error: {message}", style="search.error")]
    if exc.hint:
        hint = render.clean_text(exc.hint, keep_newlines=False)
        parts.append(Text(f"hint: {hint}", style="search.hint"))
    return Output(parts, data={"error": exc.message, "hint": exc.hint}, error=True)


def _need_results(shell: Shell) -> SearchResults:
    if shell.state.results is None:
        raise CommandError("there are no results yet", hint="type a query first")
    return shell.state.results


def _note(text: str) -> Output:
    return Output([Text(text, style="search.meta")])


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
    return Output([Constrain(view, READING_WIDTH)], page=True, data=doc.to_dict())


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
    hint = Text(render.PICK_HINT, style="search.meta")
    data = {"id": doc.id, "entities": {k: list(v) for k, v in doc.entities.items()}}
    return Output([title, table, hint], data=data)


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
        full = shell.search(1, 1, limit, snippets=0)
        counts = {k: v for k, v in full.facets.items() if facet in (None, k)}
        title = f"Top entities of {full.total:,} result{'' if full.total == 1 else 's'}"
    else:
        counts = shell.searcher.facet_counts(facet, limit)
        title = "Top entities of the whole index"
    shell.state.picks = [(k, fc.value) for k, vs in counts.items() for fc in vs]
    heading = Text(title, style="search.header")
    table = render.facet_table(counts, numbered=True)
    data = {
        k: [{"value": c.value, "count": c.count} for c in v] for k, v in counts.items()
    }
    hint = Text(render.PICK_HINT, style="search.meta")
    return Output([heading, table, hint], page=True, data={"facets": data})


@command(":stats", aliases=(":info",))
def _stats(shell: Shell, arg: str) -> Output:
    """Describe the index: documents, entities, size."""
    info = shell.searcher.info()
    return Output([render.index_info(info)], data=info.to_dict())


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
    try:
        names = shlex.split(arg)
    except ValueError:
        names = [arg]
    if not names:
        raise CommandError("name a file to write", hint=":export results.jsonl")
    path = Path(names[0]).expanduser()
    written = 0
    try:
        with path.open("w", encoding="utf-8") as out:
            page = 1
            while True:
                res = shell.search(page, 200, 0, suggest=False)
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
    note = _note(f"wrote {written:,} results to {path}")
    note.data = {"exported": written, "path": str(path)}
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
    "parse_filters",
]
