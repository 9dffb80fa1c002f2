"""Tests for search.index.progress: the smoothed rate, the ETA and the plain progress line."""

from __future__ import annotations

from search.index.progress import IndexProgress, RateMeter, format_seconds


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_fast_start_does_not_make_the_eta_optimistic_for_long() -> None:
    clock = Clock()
    meter = RateMeter(clock=clock)
    meter.start(0)
    clock.now = 1.0
    first = meter.report("entities", 100, 1000)  # 100 docs/s in the first second...
    assert first.rate == 100.0 and first.eta == 9.0
    done = 100
    for _ in range(60):  # ...then a steady 10 docs/s for a minute
        clock.now += 1.0
        done += 10
        last = meter.report("entities", done, 1000)
    assert last.rate is not None and last.rate > 10.0
    assert last.eta is not None and abs(last.eta - (1000 - done) / last.rate) < 1e-9
    # the mean over the whole run still says 700 / 61 s = 11.5 docs/s; the smoothed rate
    # has forgotten the burst: within 10 % of the true rate
    assert last.rate < 1.1 * 10.0


def test_no_eta_before_a_rate_and_lines_say_what_is_happening() -> None:
    clock = Clock()
    meter = RateMeter(clock=clock)
    assert meter.report("text", 0, 50).eta is None
    assert IndexProgress("loading", 0, 50).line == "entities: loading the language model…"
    line = IndexProgress("entities", 20, 50, rate=2.0, eta=15.0).line
    assert line == "entities: 20/50 documents, 2.0 docs/s, about 15 s left"
    assert IndexProgress("text", 50, 50, rate=2.0, eta=0.0).line == "text: 50/50 documents, 2.0 docs/s"


def test_format_seconds() -> None:
    assert [format_seconds(s) for s in (0.4, 59, 61, 3599, 3720)] == [
        "0 s", "59 s", "1 min 01 s", "59 min 59 s", "1 h 02 min"]
