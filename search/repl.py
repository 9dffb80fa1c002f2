"""REPL: the interactive loop (prompt_toolkit in, rich out) and the line-by-line pipe mode.

Nothing but the user ends a session: errors are printed with their hint, Ctrl-C cancels
the line being typed or the search running, Ctrl-D or :quit leaves.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.enums import EditingMode
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.styles import Style
from rich.console import Console, RenderableType

from search import render
from search.commands import Output, Shell, command_names, error_output
from search.completion import QueryCompleter
from search.errors import SearchError
from search.key_bindings import key_bindings
from search.lexer import QueryLexer

PROMPT_STYLE = Style.from_dict(
    {
        "prompt": "bold ansicyan",
        "query.command": "ansimagenta bold",
        "query.filter": "ansigreen",
        "query.field": "ansiblue bold",
        "query.phrase": "ansiyellow",
        "query.operator": "ansired bold",
        "query.syntax": "ansibrightblack",
        "bottom-toolbar": "noreverse bg:#303030 #d0d0d0",
    }
)


def history_path() -> Path:
    """Where query history lives: $SEARCH_HISTORY, else the user's XDG state folder."""
    override = os.environ.get("SEARCH_HISTORY")
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir("search")) / "history"


def _history() -> History:
    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError:
        return InMemoryHistory()
    return FileHistory(str(path))


def editing_mode() -> EditingMode:
    """Emacs keys unless SEARCH_EDITING_MODE=vi."""
    mode = os.environ.get("SEARCH_EDITING_MODE", "emacs").lower()
    return EditingMode.VI if mode == "vi" else EditingMode.EMACS


def toolbar(shell: Shell) -> str:
    """The bottom line: hit count, page, active filters."""
    st = shell.state
    res = st.results
    parts = []
    if res is not None:
        parts.append(
            f"{res.total:,} hits · page {res.page}/{res.pagecount} · sort {res.sort}"
        )
    filters = shell.filters_text()
    parts.append(f"filters: {filters}" if filters else "no filters")
    parts.append(":help  Tab completes  Ctrl-D quits")
    return " " + "  │  ".join(parts)


def make_session(shell: Shell, **kwargs: Any) -> PromptSession[str]:
    """The prompt_toolkit session: history, completion, highlighting, toolbar."""
    searcher = shell.searcher
    completer = QueryCompleter(
        command_names,
        fields=("title", "body", *searcher.facet_names, "date", "source"),
        facets=searcher.facet_names,
        lookup=lambda facet, prefix: searcher.entity_values(facet, prefix, limit=40),
    )
    return PromptSession(
        history=kwargs.pop("history", None) or _history(),
        auto_suggest=AutoSuggestFromHistory(),
        completer=completer,
        complete_while_typing=True,
        lexer=QueryLexer(),
        style=PROMPT_STYLE,
        bottom_toolbar=lambda: toolbar(shell),
        editing_mode=editing_mode(),
        key_bindings=key_bindings(),
        **kwargs,
    )


def show(console: Console, out: Output) -> None:
    """Print an output, through the pager when asked or when it is taller than the screen."""
    if not out.parts:
        return
    renderable: RenderableType = out.renderable
    if console.is_terminal and (
        out.page or _height(console, renderable) > console.height - 2
    ):
        with console.pager(styles=not console.no_color):
            console.print(renderable)
    else:
        console.print(renderable)


def _height(console: Console, renderable: RenderableType) -> int:
    return len(console.render_lines(renderable, console.options, pad=False))


def run_repl(
    shell: Shell, console: Console, session: PromptSession[str] | None = None
) -> int:
    """Read queries until the user leaves."""
    session = session or make_session(shell)
    console.print(render.welcome(shell.searcher.doc_count(), shell.searcher.index_dir))
    while True:
        try:
            line = session.prompt([("class:prompt", "search> ")])
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        try:
            out = shell.handle(line)
        except KeyboardInterrupt:
            console.print("[search.meta]cancelled[/]")
            continue
        except Exception as exc:  # noqa: BLE001 - a bug must not end the session
            out = error_output(
                SearchError(f"internal error: {exc!r}", hint="please report this query")
            )
        show(console, out)
        if out.quit:
            return 0


def run_pipe(
    shell: Shell, lines: Iterable[str], console: Console, as_json: bool, out: TextIO
) -> int:
    """One query per input line; plain results, or one JSON object per query with --json."""
    status = 0
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if as_json:
            try:
                res = shell.searcher.search(line, pagelen=shell.state.pagelen)
            except SearchError as exc:
                out.write(
                    json.dumps({"query": line, "error": exc.message, "hint": exc.hint})
                    + "\n"
                )
                status = 1
                continue
            out.write(json.dumps(res.to_dict(), ensure_ascii=False) + "\n")
            continue
        result = shell.handle(line)
        console.print(result.renderable)
        if result.quit:
            break
    return status
