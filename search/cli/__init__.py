"""Command line: parse options (`parser`), run a command (`commands`), print a friendly error.

search FOLDER (index FOLDER into an index of its own, then open the REPL; `search open FOLDER`)
search index [PATHS...] [--rebuild] [--no-entities]
search query TEXT [--person P] [--place P] [--org O] [--limit N] [--page N] [--sort date] [--json]
search facets [TYPE] [--limit N]
search show ID|PATH
search info
search eval DIR [--index DIR] [--no-entities] [--prf] [--run FILE] [--json]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from search.cli.commands import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    cmd_index,
    cmd_repl,
    make_console,
)
from search.cli.parser import UsageError, build_parser
from search.errors import SearchError

__all__ = ["build_parser", "main"]


def _folder_shorthand(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`search FOLDER ...` is `search open FOLDER ...` (as `litecli file.db` opens a file):
    the first word that is neither an option nor a command, when it is a path."""
    commands = next(
        a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    valued = {"-i", "--index", "-n", "--limit"}
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in valued:
            i += 2
        elif word.startswith("-"):
            i += 1
        elif word not in commands and (Path(word).exists() or "/" in word):
            # a path, even a mistyped one: `open` says plainly what is wrong with it
            return [*argv[:i], "open", *argv[i:]]
        else:
            break
    return argv


def _print_error(exc: SearchError) -> None:
    """`error: MESSAGE` then `hint: HINT` on stderr, the one form of every error."""
    err = make_console(stderr=True)
    from rich.text import Text

    from search.terminal.render import clean_text

    # messages may quote paths and queries: printed inert, like document text
    message, hint = clean_text(exc.message), clean_text(exc.hint)
    err.print(Text(f"error: {message}", style="search.error"))
    if hint:
        err.print(Text(f"hint: {hint}", style="search.hint"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(_folder_shorthand(parser, words))
    except UsageError as exc:
        _print_error(exc)
        return EXIT_USAGE
    if not getattr(args, "func", None):
        args.func = cmd_repl
    try:
        return int(args.func(args))
    except SearchError as exc:
        _print_error(exc)
        return EXIT_ERROR
    except KeyboardInterrupt:
        if args.func is cmd_index:
            sys.stderr.write(
                "interrupted: the batches already committed are kept; "
                "run `search index` again to resume\n"
            )
        else:
            sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        # the reader left (`| head`): that is a normal end. Python flushes stdout again on
        # exit, into the closed pipe, and would fail the run: point it at /dev/null first
        with suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
