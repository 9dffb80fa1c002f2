"""Indexing progress on screen: a bar per phase in a terminal, plain lines anywhere else.

`ProgressDisplay` is the indexer's progress callback. In a terminal it draws the text phase
and the entity phase as two rich bars ("loading the language model…" until the first batch
is back), each with the smoothed rate and ETA the indexer computed. When stderr is a file or
a pipe (CI logs, `nohup`), it writes one line per phase change and then one every `every`
seconds, so a log shows steady progress without thousands of lines.
"""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console

from search.index.progress import IndexProgress, format_seconds

LABELS = {"text": "text", "loading": "entities", "entities": "entities"}


class ProgressDisplay:
    """Shows `IndexProgress` events on `console` while entered; ignores them afterwards."""

    def __init__(
        self, console: Console, *, bar: bool, lines: bool, every: float = 5.0
    ) -> None:
        self.console = console
        self.bar = bar
        self.lines = lines and not bar
        self.every = every
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}
        self._last_line: dict[str, float] = {}
        self._last_phase: str | None = None
        self._open = False

    def __enter__(self) -> ProgressDisplay | None:
        if not (self.bar or self.lines):
            return None
        self._open = True
        if self.bar:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description:<9}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"),
                console=self.console,
                transient=True,
            )
            self._progress.start()
        return self

    def __call__(self, event: IndexProgress) -> None:
        if not self._open:
            return
        if self._progress is not None:
            self._draw(event)
        else:
            self._line(event)

    def _draw(self, event: IndexProgress) -> None:
        label = LABELS.get(event.phase, event.phase)
        task = self._tasks.get(label)
        if task is None:
            task = self._tasks[label] = self._progress.add_task(
                label, total=event.total, info=""
            )
        if event.phase == "loading":
            info = "loading the language model…"
        else:
            info = f"{event.rate:,.0f} docs/s" if event.rate else ""
            if event.eta is not None and event.done < event.total:
                info += f"  about {format_seconds(event.eta)} left"
        self._progress.update(task, completed=event.done, total=event.total, info=info)

    def _line(self, event: IndexProgress) -> None:
        now = time.monotonic()
        changed = event.phase != self._last_phase
        finished = event.done == event.total and event.phase != "loading"
        if changed or finished or now - self._last_line.get(event.phase, 0.0) >= self.every:
            self.console.print(event.line, markup=False, highlight=False, soft_wrap=True)
            self._last_line[event.phase] = now
        self._last_phase = event.phase

    def __exit__(self, *exc: object) -> None:
        self._open = False
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
