"""Indexing progress: what each phase reports, and an ETA that is not always optimistic.

The indexer calls its `progress` callback with an `IndexProgress` for each step: the text
phase ("text"), the model loading ("loading", done = 0) and the entity phase ("entities").
`RateMeter` turns (done, time) samples into a smoothed documents-per-second rate: the rate of
the first seconds (no model loaded yet, short documents first) no longer sets the ETA alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

PHASES = ("text", "loading", "entities")


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """One progress report: `done` of `total` documents in `phase`; rate and ETA if known."""

    phase: str
    done: int
    total: int
    rate: float | None = None
    """Smoothed documents per second."""
    eta: float | None = None
    """Seconds until the phase ends at that rate."""

    @property
    def line(self) -> str:
        """A plain one-line description, for logs and stderr when it is not a terminal."""
        if self.phase == "loading":
            return "entities: loading the language model…"
        text = f"{self.phase}: {self.done:,}/{self.total:,} documents"
        if self.rate:
            text += f", {self.rate:,.1f} docs/s"
        if self.eta is not None and self.done < self.total:
            text += f", about {format_seconds(self.eta)} left"
        return text


Progress = Callable[[IndexProgress], None]
"""Called by the indexer with each progress report."""


def format_seconds(seconds: float) -> str:
    """12 s, 3 min 05 s, 1 h 02 min."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class RateMeter:
    """A rate over time: the plain average since the start for its first `tau` seconds (none
    in the first quarter of them), then exponentially smoothed (time constant `tau`).

    A first sample alone would set the rate: with two workers, the second one's batch comes
    a moment after the first one's, and the ETA would start several times too short. Later,
    each sample's weight grows with the time it covers, so bursts of fast batches
    (duplicates, short texts) move the rate less than they would in a plain average.
    """

    def __init__(self, tau: float = 12.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.tau = tau
        self.clock = clock
        self._start: tuple[float, int] | None = None
        self._last_time = 0.0
        self._last_done = 0
        self.rate: float | None = None

    def start(self, done: int = 0, at: float | None = None) -> None:
        """Start timing from now, or from `at` (a time of `clock`) when the work began
        earlier: call when it begins, after any model loading."""
        began = self.clock() if at is None else at
        self._start = (began, done)
        self._last_time, self._last_done = began, done
        self.rate = None

    def update(self, done: int) -> float | None:
        now = self.clock()
        if self._start is None:
            self.start(done)
            return self.rate
        began, done_then = self._start
        elapsed = now - began
        if elapsed < self.tau:
            if elapsed >= self.tau / 4:
                self.rate = (done - done_then) / elapsed
        elif now > self._last_time:
            dt = now - self._last_time
            instant = (done - self._last_done) / dt
            if self.rate is None:
                self.rate = (done - done_then) / elapsed
            else:
                self.rate += (1 - math.exp(-dt / self.tau)) * (instant - self.rate)
        else:
            return self.rate
        self._last_time, self._last_done = now, done
        return self.rate

    def report(self, phase: str, done: int, total: int) -> IndexProgress:
        """Update with `done` and describe it, ETA included once a rate is known."""
        rate = self.update(done)
        eta = (total - done) / rate if rate else None
        return IndexProgress(phase, done, total, rate, eta)
