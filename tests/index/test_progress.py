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
    assert first.rate is None and first.eta is None  # too soon to tell
    clock.now = 4.0
    early = meter.report("entities", 130, 1000)  # ...10 docs/s since: the mean so far
    assert early.rate == 130 / 4.0
    done = 130
    for _ in range(60):  # ...then a steady 10 docs/s for a minute
        clock.now += 1.0
        done += 10
        last = meter.report("entities", done, 1000)
    assert last.rate is not None and last.rate > 10.0
    assert last.eta is not None and abs(last.eta - (1000 - done) / last.rate) < 1e-9
    # the mean over the whole run still says 730 / 64 s = 11.4 docs/s; the smoothed rate
    # has forgotten the burst: within 10 % of the true rate
    assert last.rate < 1.1 * 10.0


def test_a_backlog_of_batches_done_earlier_is_no_burst_of_speed() -> None:
    # NER workers return 64 documents every 1.6 s (40 docs/s) from t = 1.6 while the text
    # phase writes; the entity phase starts at t = 12 and finds seven batches waiting
    def backlog_then_steady(meter: RateMeter, clock: Clock) -> IndexProgress:
        done, report = 64, None
        for n in range(2, 8):  # the backlog, read in 0.1 s each
            clock.now = 12.0 + 0.1 * n
            report = meter.report("entities", 64 * n, 2000)
        for n in range(8, 12):  # then batches as the workers return them
            clock.now = 1.6 * n
            done = 64 * n
            report = meter.report("entities", done, 2000)
        assert report is not None and report.eta is not None
        return report

    clock = Clock()
    clock.now = 12.0
    from_first_batch = RateMeter(clock=clock)
    from_first_batch.start(64, at=1.6)  # when the first batch came back
    true_eta = (2000 - 64 * 11) / 40.0
    report = backlog_then_steady(from_first_batch, clock)
    assert report.eta is not None and abs(report.eta - true_eta) < 0.15 * true_eta
    # timed from when the phase read the first batch, the backlog looks like 400 docs/s
    clock.now = 12.0
    from_now = RateMeter(clock=clock)
    from_now.start(64)
    optimistic = backlog_then_steady(from_now, clock)
    assert optimistic.eta is not None and optimistic.eta < 0.5 * true_eta


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
