"""Shell: the REPL's state and its line handler, independent of the terminal.

`Shell.handle(line)` takes one line (a query, `+facet:value`/`-facet:value` filters, numbered
facet picks such as `+3 -5`, or a `:command`) and returns an `Output` holding rich
renderables and, for `--json` consumers, plain data. A line that fails leaves the state as
it was. `:commands` are looked up in `COMMANDS`, which `@command` fills (see
`search.terminal.commands` for the built-in ones); `:help` and completion are generated from it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from search.errors import SearchError
from search.query.searcher import Searcher
from search.query.snippets import highlight
from search.results import SearchResults
from search.terminal import fit, page
from search.terminal.render import clean_text

Handler = Callable[["Shell", str], "Output"]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    args: str
    help: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    complete: str = ""
    """What Tab offers after the name: "hits", "facets", "saved", "entity", or choices such
    as "date|score"."""


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
    """What one line produced: renderables, JSON-able data, and whether to page or quit.
    `page` marks what may be paged when taller than the screen (documents, long tables)."""

    parts: list[RenderableType] = field(default_factory=list)
    page: bool = False
    quit: bool = False
    data: dict[str, Any] | None = None
    error: bool = False
    paged: bool = False  # the user asked for the pager (:less), whatever the size or mode
    follow: Iterator[Output] | None = None  # more to show as it comes (:watch), to Ctrl-C
    whole: list[RenderableType] | None = None  # a fitted page uncut, for :less

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
    like_title: str = ""
    results: SearchResults | None = None
    picks: list[tuple[str, str]] = field(default_factory=list)
    shown: int | None = None
    """Hits per page when fewer than `pagelen` fit the terminal (decided on page 1)."""

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
        self, searcher: Searcher, pagelen: int = 10, facet_limit: int = 5, *, may_write: bool = True, tips: bool = True
    ) -> None:
        self.searcher = searcher
        self.state = State(pagelen=pagelen)
        self.facet_limit = facet_limit
        # (columns, lines) a results page may fill on a terminal; None: printed whole
        self.screen: tuple[int, int] | None = None
        self.pager = "auto"  # when output goes through the pager: auto, on, off (:pager)
        self.last: Output | None = None  # the last output shown, for :less
        self.sleep: Callable[[float], None] = time.sleep  # :watch's wait; tests skip it
        self.may_write, self.tips = may_write, tips  # off when piped: lines from anywhere, no one to read tips

    # -- dispatch ------------------------------------------------------------------------

    def handle(self, line: str) -> Output:
        """Run one line; errors become a message and a hint, and leave the state unchanged.

        KeyboardInterrupt (Ctrl-C during a search) also restores the state, then propagates.
        """
        line = line.strip()
        if not line:
            return Output()
        # see what an indexer committed since the last line (a no-op when nothing was)
        self.searcher.refresh()
        saved = self.state.copy()
        try:
            out = self._dispatch(line)
            if out.parts and not out.paged:
                self.last = out
            return out
        except SearchError as exc:
            self.state = saved
            return error_output(exc)
        except KeyboardInterrupt:
            self.state = saved
            raise

    def dispatch(self, line: str) -> Output:
        """Run one line inside a command (`:edit`): errors propagate to `handle`."""
        return self._dispatch(line.strip())

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
        self,
        page: int,
        pagelen: int,
        facet_limit: int | None,
        snippets: int = 3,
        suggest: bool = True,
    ) -> SearchResults:
        """Run the current state's search for one page (more-like when one is active)."""
        st = self.state
        common: dict[str, Any] = {
            "where": st.where or None,
            "exclude": st.exclude or None,
            "page": page,
            "limit": pagelen,
            "facet_limit": facet_limit,
            "snippets": snippets,
            "every": True,  # drill-down: each value kept narrows the results
        }
        if st.like is not None:
            return self.searcher.more_like(st.like, **common)
        return self.searcher.search(st.query, sort=st.sort, suggest=suggest, **common)

    def run(self) -> Output:
        """Search with the current state and render the page."""
        st = self.state
        if st.page == 1:
            st.shown = None
        res = self.search(st.page, st.shown or st.pagelen, self.facet_limit)
        matcher = self.searcher.highlight_terms(st.query) if st.like is None else None
        spans = [highlight(h.title, matcher) if matcher else () for h in res.hits]
        like = st.like_title if st.like is not None else None

        def view(r: SearchResults) -> page.ResultsPage:
            return page.ResultsPage(r, spans, like=like, tips=self.tips)

        uncut = res
        if self.screen is not None and self.pager != "on":
            res = self._fit(res, view)
        st.results = res
        st.picks = [
            (name, fc.value) for name, vals in res.facets.items() for fc in vals
        ]
        whole: list[RenderableType] | None = None if res is uncut else [view(uncut)]
        return Output([view(res)], data=res.to_dict(), whole=whole)

    def _fit(self, res: SearchResults, view: fit.View) -> SearchResults:
        """The page cut down to the terminal: fewer snippets, facet values, then hits."""
        assert self.screen is not None
        width, lines = self.screen
        fitted, fits = fit.fit(res, view, width, lines)
        st = self.state
        if not fits and st.page == 1 and len(res.hits) > 1:
            st.shown = fit.hits_that_fit(res, view, width, lines)
            fitted, _ = fit.fit(fit.first_hits(res, st.shown), view, width, lines)
        return fitted

    # -- filters -------------------------------------------------------------------------

    def facet(self, name: str) -> str:
        """The facet a user's name stands for (person, people, who…), or a CommandError."""
        from search.index.schema import FIELD_ALIASES

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
        shown = ", ".join(page.filter_label("+", facet, fc.value) for fc in found)
        return f"values in the index: {shown}"

    def filters_text(self) -> str:
        """The active filters, for the toolbar."""
        st = self.state
        parts = [page.filter_label("+", f, v) for f, vs in st.where.items() for v in vs]
        parts += [
            page.filter_label("-", f, v) for f, vs in st.exclude.items() for v in vs
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
    message = clean_text(exc.message, keep_newlines=False)
    parts: list[RenderableType] = [Text(f"error: {message}", style="search.error")]
    if exc.hint:
        hint = clean_text(exc.hint, keep_newlines=False)
        parts.append(Text(f"hint: {hint}", style="search.hint"))
    return Output(parts, data={"error": exc.message, "hint": exc.hint}, error=True)
