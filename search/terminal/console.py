"""Console: the rich consoles that print for the CLI, the REPL and pipe mode.

On a terminal, output is laid out for its width. When the stream is not a terminal (piped
into grep, redirected to a file) there is no width to fit: each paragraph is printed on one
line, without the padding rich adds to fill table cells and lines, so that `grep` sees a
whole sentence and `cut`/`awk` see no trailing blanks. Renderables that lay themselves out
by width ask `unbounded(options)` to tell the two apart.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import IO, Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.theme import Theme

from search.terminal.render import THEME

UNBOUNDED_WIDTH = 1_000_000
"""The width of a console writing to a pipe or a file: wide enough never to wrap."""


def unbounded(options: ConsoleOptions) -> bool:
    """Whether there is no width to fit (not a terminal): print a paragraph per line."""
    return options.max_width >= UNBOUNDED_WIDTH // 2


class Reading:
    """A renderable kept to a reading width on a terminal, and left whole on a pipe."""

    def __init__(self, renderable: RenderableType, width: int) -> None:
        self.renderable = renderable
        self.width = width

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        if unbounded(options):
            yield self.renderable
        else:
            yield from console.render(
                self.renderable, options.update_width(min(self.width, options.max_width))
            )


# trailing blanks before a line end, with any style resets between them and the newline
_TRAILING = re.compile(r"(?:[ \t]|\x1b\[[0-9;]*m)+(?=\n|$)")
_STYLE = re.compile(r"\x1b\[[0-9;]*m")


def _strip(text: str) -> str:
    """Text without blanks at line ends; style codes among them are kept."""
    return _TRAILING.sub(lambda m: "".join(_STYLE.findall(m.group())), text)


class LineFile:
    """A text stream that drops the blanks at the end of each line written through it."""

    def __init__(self, target: IO[str]) -> None:
        self.target = target
        self._pending = ""

    def write(self, text: str) -> int:
        text = self._pending + text
        head, newline, tail = text.rpartition("\n")
        if newline:
            self.target.write(_strip(head) + "\n")
        self._pending = tail
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.target.write(_strip(self._pending))
            self._pending = ""
        self.target.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.target.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.target, "encoding", None) or "utf-8"


def make_console(
    stderr: bool = False,
    file: IO[str] | None = None,
    colours: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> Console:
    """A console with the search theme; a paragraph per line when not writing to a terminal.

    `colours` overrides theme styles by short name (match → search.match), as the user's
    config file may (`search.terminal.userconfig`).
    """
    theme = THEME
    if colours:
        theme = Theme({**THEME.styles, **{_style_name(k): v for k, v in colours.items()}})
    probe = Console(file=file, stderr=stderr, theme=theme, highlight=False, **kwargs)
    if probe.is_terminal:
        return probe
    target = file if file is not None else (sys.stderr if stderr else sys.stdout)
    kwargs.setdefault("width", UNBOUNDED_WIDTH)
    return PipedConsole(
        file=LineFile(target),  # type: ignore[arg-type]
        theme=theme,
        highlight=False,
        soft_wrap=False,
        **kwargs,
    )


class PipedConsole(Console):
    """A console for a pipe or a file: a reader that leaves early (`| head`) ends the run
    normally, as it does for any Unix tool; rich's own handling exits with status 1."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError  # `search.cli.main` turns it into a clean exit


def _style_name(name: str) -> str:
    return name if name.startswith("search.") else f"search.{name}"
