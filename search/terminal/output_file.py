"""Output files: the one place a REPL command turns its argument into a file to write.

`:export FILE`, `:cooc … > FILE` and `:export-session FILE` write where their argument says.
Lines piped in may come from anywhere, so a shell made for a pipe writes only when the user
passed `--allow-writes`; and a quoting mistake is an error, never a file named `"unclosed`.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from search.terminal.shell import CommandError, Shell


def output_file(shell: Shell, command: str, arg: str, example: str) -> Path:
    """The one file name in arg that `command` may write, or a CommandError saying why not."""
    try:
        names = shlex.split(arg)
    except ValueError as exc:
        raise CommandError(
            f"cannot read the file name {arg!r}: {exc}",
            hint=f"close the quote, or name the file without one: {example}",
        ) from exc
    if len(names) != 1:
        raise CommandError(
            f"{command} needs one file name, not {len(names)}"
            if names
            else f"{command} needs a file name",
            hint=f'{example} (quote a name with spaces: "my results.jsonl")',
        )
    try:
        path = Path(names[0]).expanduser()
    except RuntimeError as exc:  # "~nobody/x": no such user, so no home to expand
        raise CommandError(
            f"cannot find the home folder in the file name {names[0]!r}",
            hint=f"name the file by its full path, or relative to here: {example}",
        ) from exc
    if not shell.may_write:
        raise CommandError(
            f"{command} would write {path}: piped input does not write files",
            hint="run search with --allow-writes to let piped commands write files",
        )
    return path
