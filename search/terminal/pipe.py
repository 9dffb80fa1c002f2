"""Pipe mode: `search` with stdin not a terminal reads one line at a time, no prompt.

Each line goes through the same `Shell` as in the REPL (queries, filters, `:commands`) and
prints plain results, or with `--json` one JSON object per line that produced data. It
needs no prompt_toolkit, so a pipe starts faster than the REPL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from rich.console import Console

from search.results import json_line
from search.terminal import render
from search.terminal.commands import Shell


def run_pipe(
    shell: Shell,
    lines: Iterable[str],
    console: Console,
    as_json: bool,
    out: TextIO,
    err: Console | None = None,
) -> int:
    """One line at a time (queries, filters, commands); plain output, or JSON lines.

    With `as_json`, every line that produces data (results, a document, an error) writes one
    JSON object; errors are objects with "query", "error" and "hint". Plain error messages go
    to `err` (stderr by default). Returns 1 if any line failed, else 0.
    """
    status = 0
    for line in lines:
        line = line.strip()
        if not line:
            continue
        result = shell.handle(line)
        if result.error:
            status = 1
        if as_json:
            if result.data is not None:
                data = {"query": line, **result.data} if result.error else result.data
                out.write(json_line(data) + "\n")  # escaped: safe on a terminal too
                out.flush()
        elif result.error:
            if err is None:
                err = Console(stderr=True, theme=render.THEME, highlight=False)
            err.print(result.renderable)
        elif result.parts:
            console.print(result.renderable)
        for more in result.follow or ():  # :watch: until Ctrl-C
            if as_json:
                if more.data is not None:
                    out.write(json_line(more.data) + "\n")
                    out.flush()
            else:
                console.print(more.renderable)
        if result.quit:
            break
    return status
