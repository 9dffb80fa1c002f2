"""REPL: the interactive loop, prompt_toolkit in and rich out (`search.terminal.pipe` reads pipes).

Nothing but the user ends a session: errors are printed with their hint, Ctrl-C cancels
the line being typed or the search running, Ctrl-D or :quit leaves. Results pages are cut
to fit the terminal (`search.terminal.fit`) and never open the pager, so the next query
is typed at the prompt; whole documents taller than the screen, and what `:less` asks for,
go through the pager (`$SEARCH_PAGER`, `$PAGER`, else less); `:pager on|off|auto` changes it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.cursor_shapes import ModalCursorShapeConfig
from prompt_toolkit.enums import EditingMode
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.styles import Style
from rich.console import Console, RenderableType
from rich.pager import Pager
from rich.text import Text

from search.analytics.saved import SAVED_FILE, load_saved
from search.errors import SearchError
from search.index.enricher import Enrichment
from search.index.progress import format_seconds
from search.terminal import render, status
from search.terminal.commands import (
    Output,
    Shell,
    command_completions,
    command_names,
    error_output,
)
from search.terminal.completion import EntityValues, QueryCompleter, Vocabulary
from search.terminal.key_bindings import key_bindings
from search.terminal.lexer import QueryLexer
from search.terminal.userconfig import ConfigError, load_config

PROMPT_STYLE = Style.from_dict(
    {
        "prompt": "bold ansicyan",
        "query.command": "ansimagenta bold",
        "query.filter": "ansigreen bold",
        "query.pick": "ansigreen bold",
        "query.entity": "ansigreen",
        "query.field": "ansiblue bold",
        "query.phrase": "ansiyellow",
        "query.operator": "ansired bold",
        "query.syntax": "ansibrightblack",
        "toolbar.hits": "bold",
        "toolbar.filters": "ansigreen",
        "toolbar.help": "italic",
        "toolbar.status": "ansiyellow",
    }
)

MENU_LINES = 4
"""Lines prompt_toolkit keeps free under the prompt for the completion menu."""

RESERVED_LINES = 3 + MENU_LINES
"""Lines a results page leaves free: the line typed, the next prompt, the menu, the toolbar."""

_NO_PAGER = ("", "cat", "off", "none", "never", "no", "0")


def history_path() -> Path:
    """Where query history lives: $SEARCH_HISTORY, else the user's XDG state folder."""
    override = os.environ.get("SEARCH_HISTORY")
    if override:
        return Path(override).expanduser()
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
    """Emacs keys unless SEARCH_EDITING_MODE=vi, or the config file's editing_mode says vi."""
    mode = os.environ.get("SEARCH_EDITING_MODE") or load_config().editing_mode or "emacs"
    return EditingMode.VI if mode.strip().lower() in ("vi", "vim") else EditingMode.EMACS


def toolbar(
    shell: Shell, width: int = 80, status: str | None = None
) -> StyleAndTextTuples:
    """The bottom line: hits and page, what is being searched, the active filters.

    `status` (entities still being added, say) comes first. The key reminder goes first
    when the line is too long for `width` columns, then the filters are cut short.
    """
    st = shell.state
    res = st.results
    parts: list[tuple[str, str]] = [("", " ")]
    if status:
        parts.append(("class:toolbar.status", status))
        parts.append(("", "  │  "))
    if res is not None:
        noun = "hit" if res.total == 1 else "hits"
        parts.append(("class:toolbar.hits", f"{res.total:,} {noun}"))
        parts.append(("", f" · page {res.page}/{res.pagecount}"))
        if res.sort != "score":
            parts.append(("", f" · by {res.sort}"))
        if st.like is not None:
            title = render.clean_text(st.like_title, keep_newlines=False)
            title = title if len(title) <= 24 else title[:23] + "…"
            parts.append(("", f" · like “{title}”"))
        parts.append(("", "  │  "))
    filters = shell.filters_text()
    if filters:
        parts.append(("class:toolbar.filters", filters))
        parts.append(("", "  │  "))
    keys = ("class:toolbar.help", ":help · Tab completes · Ctrl-D quits")
    used = sum(len(text) for _, text in parts)
    if used + len(keys[1]) <= width:
        parts.append(keys)
    else:
        parts.pop()  # the trailing separator
        if used - 5 > width:
            style, text = parts[-1]
            cut = max(0, width - (used - 5 - len(text)) - 1)
            parts[-1] = (style, text[:cut] + "…")
    out: StyleAndTextTuples = [(style, text) for style, text in parts]
    return out


def _columns() -> int:
    from prompt_toolkit.application import get_app

    return int(get_app().output.get_size().columns)


class SavedNames:
    """The saved searches' names, read again only when their file changes."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / SAVED_FILE
        self._stamp: int | None = None
        self._names: list[str] = []

    def __call__(self) -> list[str]:
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            return []
        if stamp != self._stamp:
            try:
                self._names = sorted(load_saved(self.path.parent))
            except SearchError:
                self._names = []
            self._stamp = stamp
        return self._names


def vocabulary(
    shell: Shell, values: EntityValues, saved: SavedNames | None = None
) -> Vocabulary:
    """What completion offers, from the commands, the index and the hits on screen."""
    searcher = shell.searcher
    res = shell.state.results
    return Vocabulary(
        saved=saved() if saved is not None else (),
        commands=command_names(),
        arguments=command_completions(),
        fields=("title", "body", *searcher.facet_names, "date", "source", "from", "to"),
        facets=searcher.facet_names,
        lookup=values,
        hits=[(h.rank, h.title) for h in res.hits] if res is not None else (),
    )


Status = Callable[[], str | None]
"""What the toolbar shows first while something runs in the background, or None."""


def status_of(enrichment: Enrichment | None) -> Status | None:
    """The toolbar's account of an entity phase running behind the REPL."""
    if enrichment is None:
        return None

    def status() -> str | None:
        if not enrichment.running:
            return "entities: stopped, see `search index`" if enrichment.error else None
        event = enrichment.last
        if event is None or event.phase == "loading":
            return "entities: loading the language model…"
        text = f"entities {event.done:,}/{event.total:,}"
        if event.eta is not None:
            text += f" · {format_seconds(event.eta)} left"
        return text

    return status


def make_session(
    shell: Shell, status: Status | None = None, **kwargs: Any
) -> PromptSession[str]:
    """The prompt_toolkit session: history, completion, highlighting, toolbar.

    With a `status`, the toolbar is redrawn every second so that progress moves on its own.
    """
    if status is not None:
        kwargs.setdefault("refresh_interval", 1.0)
    values = EntityValues.of(shell.searcher)
    saved = SavedNames(shell.searcher.index_dir)
    mode = editing_mode()
    return PromptSession(
        history=kwargs.pop("history", None) or _history(),
        auto_suggest=AutoSuggestFromHistory(),
        completer=QueryCompleter(lambda: vocabulary(shell, values, saved)),
        complete_while_typing=True,
        lexer=QueryLexer(shell.searcher.facet_names),
        style=PROMPT_STYLE,
        bottom_toolbar=lambda: toolbar(
            shell, _columns(), status() if status is not None else None
        ),
        editing_mode=mode,
        cursor=ModalCursorShapeConfig() if mode is EditingMode.VI else None,
        key_bindings=key_bindings(),
        search_ignore_case=True,  # Ctrl-R: `kho` finds Khodorkovsky
        reserve_space_for_menu=MENU_LINES,
        **kwargs,
    )


class CommandPager(Pager):
    """Pages through an external command, as git does: less gets -R (colours), -F, -X."""

    def __init__(self, command: str) -> None:
        self.command = command

    def show(self, content: str) -> None:
        env = dict(os.environ)
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        proc = subprocess.Popen(
            self.command,
            shell=True,
            stdin=subprocess.PIPE,
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        try:
            assert proc.stdin is not None
            with proc.stdin:
                proc.stdin.write(content)
        except (BrokenPipeError, KeyboardInterrupt):
            pass  # the user left the pager early
        while True:
            try:
                proc.wait()
                break
            except KeyboardInterrupt:
                pass  # the pager handles Ctrl-C itself; leaving it running would wreck the tty


def pager_command() -> str | None:
    """$SEARCH_PAGER, else the config file's pager_command, else $PAGER, else less; None
    when paging is off or impossible."""
    command = os.environ.get("SEARCH_PAGER")
    if command is None:
        command = user_pager() or os.environ.get("PAGER") or "less"
    if command.strip().lower() in _NO_PAGER:
        return None
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None
    return command if shutil.which(program) else None


def user_pager() -> str | None:
    try:
        return load_config().pager_command
    except ConfigError:
        return None  # reported when the program started


def show(console: Console, out: Output, mode: str = "auto") -> None:
    """Print an output, or page it: always when the user asked (`:less`); with `:pager auto`
    (the default) only pageable output (a document, long tables) taller than the screen;
    with `:pager on` anything taller than the screen; with `:pager off` nothing."""
    if not out.parts:
        return
    renderable: RenderableType = out.renderable
    command = pager_command() if console.is_terminal else None
    wanted = out.paged or (
        mode != "off"
        and (out.page or mode == "on")
        and _height(console, renderable) > console.height - 2
    )
    if command and wanted:
        # NO_COLOR still allows bold and italic: rich drops only the colours.
        with console.pager(CommandPager(command), styles=True):
            console.print(renderable)
    else:
        console.print(renderable)


def _height(console: Console, renderable: RenderableType) -> int:
    return len(console.render_lines(renderable, console.options, pad=False))


def run_repl(
    shell: Shell,
    console: Console,
    session: PromptSession[str] | None = None,
    progress: Status | None = None,
) -> int:
    """Read lines until the user leaves; a failing line never ends the session."""
    session = session or make_session(shell, progress)
    console.print(status.welcome(shell.searcher.doc_count(), shell.searcher.index_dir))
    while True:
        try:
            line = session.prompt([("class:prompt", "search> ")])
        except KeyboardInterrupt:
            continue  # Ctrl-C drops the line being typed
        except EOFError:
            return 0
        if console.is_terminal:
            shell.screen = (console.width, max(1, console.height - RESERVED_LINES))
        try:
            out = shell.handle(line)
            show(console, out, shell.pager)
            _follow(shell, console, out)
        except KeyboardInterrupt:
            console.print(Text(" cancelled", style="search.meta"))
            continue
        except Exception as exc:  # noqa: BLE001 - a bug must not end the session
            show(
                console,
                error_output(
                    SearchError(
                        f"internal error: {exc!r}",
                        hint="the session goes on; please report the line that caused this",
                    )
                ),
            )
            continue
        if out.quit:
            return 0


def _follow(shell: Shell, console: Console, out: Output) -> None:
    """Show the outputs a command goes on producing (`:watch`) until Ctrl-C."""
    if out.follow is None:
        return
    try:
        for more in out.follow:
            show(console, more, shell.pager)
    except KeyboardInterrupt:
        console.print(Text(" stopped", style="search.meta"))
