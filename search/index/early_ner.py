"""Early NER: the entity phase's NER started while the text phase is still writing.

The text phase keeps one core busy; the NER workers would sit idle until it ends, and on a
large corpus that is minutes (42,650 documents: over three of them). `EarlyNer` feeds the
texts the entity phase will need (one per distinct content, exact copies of finished
documents left out) to the started workers from a thread, and keeps their mentions until the
entity phase, which reads the index back, asks for them (`results`). Nothing is written
here: a run killed before the entity phase loses only this NER, and the documents stay
pending.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence

from search.ingest.entities import Mention
from search.ingest.pool import Runner

_DONE = object()


class EarlyNer:
    """NER on `items` ((content hash, text) pairs) in `runner`, from a thread, batch by batch."""

    def __init__(self, runner: Runner, items: Sequence[tuple[str, str]], task_size: int) -> None:
        self._queue: queue.Queue[object] = queue.Queue()
        self._cancelled = threading.Event()
        self.first_at: float | None = None
        """When (`time.monotonic`) the first batch came back: the workers' rate counts from
        then, as the batches done while the text phase wrote are a backlog, not speed."""
        size = max(1, task_size)
        self._chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
        self._thread = threading.Thread(
            target=self._run, args=(runner,), name="search-early-ner", daemon=True
        )
        self._thread.start()

    def _run(self, runner: Runner) -> None:
        try:
            batches = ((n, [text for _, text in chunk]) for n, chunk in enumerate(self._chunks))
            for number, found in runner.map(batches):
                if self._cancelled.is_set():
                    break
                if self.first_at is None:
                    self.first_at = time.monotonic()
                self._queue.put(([h for h, _ in self._chunks[number]], found))
        except BaseException as exc:  # noqa: BLE001 - handed to the entity phase to raise
            if not self._cancelled.is_set():
                self._queue.put(exc)
        finally:
            self._queue.put(_DONE)

    def results(self) -> Iterator[tuple[list[str], list[list[Mention]]]]:
        """(content hashes, their mentions) batch by batch as NER returns them, those done
        before the call first; a failure of the NER is raised here."""
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]

    def cancel(self) -> None:
        """Stop taking results (the caller closes the runner, which ends the NER)."""
        self._cancelled.set()
