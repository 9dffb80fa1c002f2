"""Session: the REPL's commands about the session itself, registered with `@command`.

:pager and :less (how output reaches the screen), :edit (the query in $EDITOR) and
:watch (a saved search re-run on a timer, showing only what is new).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from rich.console import RenderableType
from rich.text import Text

from search.analytics.saved import get_saved, watch
from search.terminal import render
from search.terminal.shell import CommandError, Output, Shell, command

PAGER_MODES = {
    "auto": "whole documents and long tables go through the pager when taller than the screen",
    "on": "anything taller than the screen goes through the pager, results pages too",
    "off": "nothing goes through the pager",
}


def _note(text: str) -> Output:
    return Output([Text(text, style="search.meta")])


@command(":pager", "[on|off|auto]", complete="on|off|auto")
def _pager(shell: Shell, arg: str) -> Output:
    """When the pager opens: auto (documents, long tables), on (all long output) or off."""
    mode = arg.strip().lower()
    if not mode:
        return _note(f"pager {shell.pager}: {PAGER_MODES[shell.pager]}")
    if mode not in PAGER_MODES:
        raise CommandError(
            f"no pager mode {arg!r}; it is {shell.pager} now",
            hint="type :pager auto, :pager on or :pager off",
        )
    shell.pager = mode
    return _note(f"pager {mode}: {PAGER_MODES[mode]}")


@command(":less", aliases=(":l",))
def _less(shell: Shell, arg: str) -> Output:
    """Show the last output in the pager, a page of results uncut ($PAGER or less)."""
    last = shell.last
    if last is None:
        raise CommandError("there is no output to page yet", hint="type a query first")
    return Output(list(last.whole or last.parts), paged=True)


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi, as an argument list."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        words = shlex.split(raw)
    except ValueError as exc:
        raise CommandError(
            f"cannot read the editor command {raw!r}: {exc}",
            hint="set EDITOR to a program, e.g. EDITOR=nano",
        ) from exc
    return words or ["vi"]


@command(":edit")
def _edit(shell: Shell, arg: str) -> Output:
    """Edit the current query in $EDITOR; saving runs what you wrote."""
    if not shell.may_write:
        # piped lines may come from anywhere: they never start programs
        raise CommandError(
            ":edit opens an editor, which piped input may not do",
            hint="use :edit at the interactive prompt (or pass --allow-writes)",
        )
    st = shell.state
    with tempfile.TemporaryDirectory(prefix="search-edit-") as folder:
        path = Path(folder) / "query.txt"
        path.write_text(st.query + "\n", encoding="utf-8")
        editor = editor_command()
        try:
            status = subprocess.call([*editor, str(path)])
        except OSError as exc:
            raise CommandError(
                f"cannot start the editor {editor[0]!r}: {exc.strerror or exc}",
                hint="set EDITOR (or VISUAL) to an installed editor, e.g. EDITOR=nano",
            ) from exc
        if status != 0:
            raise CommandError(
                f"the editor {editor[0]!r} exited with status {status}; nothing was run",
                hint="save and quit the editor normally to run the query",
            )
        text = " ".join(path.read_text(encoding="utf-8").split())
    if not text:
        return _note("the query was left empty: nothing was run")
    if text.startswith(":"):
        raise CommandError(
            f"{text!r} is a command, not a query",
            hint="write the query in the editor; type commands at the prompt",
        )
    return shell.dispatch(text)


MIN_INTERVAL = 1


@command(":watch", "NAME [SECONDS]", complete="saved")
def _watch(shell: Shell, arg: str) -> Output:
    """Re-run a saved search every N seconds (default 60), showing only new hits; Ctrl-C stops."""
    if not shell.may_write:
        # piped lines may come from anywhere: they never start an endless loop that
        # rewrites the saved search at every check
        raise CommandError(
            ":watch runs until Ctrl-C and records each check, which piped input may not do",
            hint="use :watch at the interactive prompt, `search watch NAME` for one check, "
            "or pass --allow-writes",
        )
    words = arg.split()
    if not words or len(words) > 2:
        raise CommandError(
            "watch which saved search?", hint=":watch NAME 30 (:saved lists them)"
        )
    name = words[0]
    seconds = 60
    if len(words) == 2:
        if not words[1].isdigit() or int(words[1]) < MIN_INTERVAL:
            raise CommandError(
                f"{words[1]!r} is not a number of seconds",
                hint=f":watch {name} 30 checks every 30 seconds",
            )
        seconds = int(words[1])
    get_saved(shell.searcher, name)  # an unknown name fails now, with its hint
    head = _note(
        f"watching {name!r} every {seconds} s: new hits appear below; Ctrl-C stops"
    )
    head.follow = _checks(shell, name, seconds)
    return head


def _checks(shell: Shell, name: str, seconds: int) -> Iterator[Output]:
    """One output per check that found something new, forever (the caller stops it)."""
    first = True
    while True:
        if not first:
            shell.sleep(seconds)
        report = watch(shell.searcher, name)
        if first and report.previous_check is None:
            # the first check of a never-checked search would list all of it as new
            first = False
            yield _note(f"{report.total:,} documents match {name!r} now")
            continue
        first = False
        if report.new:
            stamp = time.strftime("%H:%M:%S")
            parts: list[RenderableType] = [
                Text(f"{stamp}  {report.total:,} new for {name!r}", style="search.header")
            ]
            parts += [render.hit(h) for h in report.new]
            yield Output(parts)
