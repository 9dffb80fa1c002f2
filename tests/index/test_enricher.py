"""Tests for search.index.enricher: text searchable first, entities after, duplicates, stop, resume."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import NEWS_IDS, NEWS_NAMES, DictExtractor, fake_settings

from search.cli import main
from search.config import Settings
from search.index.enricher import choose_runner
from search.index.indexer import Indexer, build
from search.ingest import pool
from search.ingest.entities import Mention
from search.ingest.pool import InlineRunner, ProcessRunner, cores
from search.query.searcher import Searcher

NEWS_DOCS = len(NEWS_IDS)


class GatedExtractor(DictExtractor):
    """A DictExtractor that waits for `gate` before each text, as a slow model would."""

    def __init__(self) -> None:
        super().__init__(NEWS_NAMES)
        self.gate = threading.Event()

    def extract(self, texts: Iterable[str]) -> Iterator[list[Mention]]:
        for text in texts:
            assert self.gate.wait(30), "the test never opened the gate"
            yield from super().extract([text])


def entities_of(index_dir: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    with Searcher(index_dir) as s:
        return {h.id: dict(s.document(h.id).entities) for h in s.search("", limit=1000, collapse=False).hits}


def facets_of(index_dir: Path) -> dict[str, list[tuple[str, int]]]:
    with Searcher(index_dir) as s:
        res = s.search("", limit=1, collapse=False)
        return {name: [(c.value, c.count) for c in counts] for name, counts in res.facets.items()}


def test_text_is_searchable_before_entities_and_facets_fill_in_after(
    tmp_path: Path, news_dir: Path
) -> None:
    reference = tmp_path / "reference"
    build([news_dir], reference, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    index_dir = tmp_path / "index"
    extractor = GatedExtractor()
    indexer = Indexer(index_dir, fake_settings(), extractor)
    stats = indexer.run([news_dir], wait=False)
    assert (stats.indexed, stats.entities_pending, stats.entities_added) == (NEWS_DOCS, NEWS_DOCS, 0)
    assert indexer.enrichment is not None and indexer.enrichment.running
    with Searcher(index_dir) as s:
        res = s.search("summit")
        assert res.total == 4 and res.entities_pending == NEWS_DOCS
        assert not any(res.facets.values())
        assert s.info().entities_pending == NEWS_DOCS
        extractor.gate.set()
        assert indexer.enrichment.wait(30)
        # an open searcher picks the entities up on refresh, no restart needed
        assert s.refresh()
        assert s.info().entities_pending == 0
        assert s.search("summit", where={"org": "NATO"}).total == 3
    assert facets_of(index_dir) == facets_of(reference)
    assert entities_of(index_dir) == entities_of(reference)


def test_the_repl_facets_say_entities_are_pending_and_fill_in_without_a_restart(
    tmp_path: Path, news_dir: Path
) -> None:
    from search.terminal.commands import Shell

    index_dir = tmp_path / "index"
    extractor = GatedExtractor()
    indexer = Indexer(index_dir, fake_settings(), extractor)
    indexer.run([news_dir], wait=False)
    assert indexer.enrichment is not None
    with Searcher(index_dir) as s:
        shell = Shell(s, pagelen=2)
        before = shell.handle(":facets")
        assert before.data == {"facets": {"person": [], "place": [], "org": []}}
        assert f"{NEWS_DOCS:,} documents left out for now" in str(before.parts[0])
        extractor.gate.set()
        assert indexer.enrichment.wait(30)
        after = shell.handle(":facets")
    assert after.data is not None and {"value": "Nato", "count": 4} in after.data["facets"]["org"]
    assert "left out" not in str(after.parts[0])


def test_stopping_the_entity_phase_keeps_its_batches_and_resume_finishes(
    tmp_path: Path, news_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = tmp_path / "index"
    extractor = GatedExtractor()
    indexer = Indexer(index_dir, fake_settings(batch_size=2, nlp_batch_size=2), extractor)
    indexer.run([news_dir], wait=False)
    enrichment = indexer.enrichment
    assert enrichment is not None
    extractor.gate.set()
    enrichment.stop()  # seen after the batch in hand
    assert enrichment.wait(30)
    with Searcher(index_dir) as s:
        left = s.info().entities_pending
    assert 0 < left < NEWS_DOCS and enrichment.added == NEWS_DOCS - left
    assert main(["info", "--index", str(index_dir), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entities_pending"] == left
    again = DictExtractor(NEWS_NAMES)
    resumed = Indexer(index_dir, fake_settings(), again).resume()
    assert resumed is not None and resumed.wait(30)
    assert again.calls == left and resumed.added == left
    reference = tmp_path / "reference"
    build([news_dir], reference, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    assert entities_of(index_dir) == entities_of(reference)
    assert Indexer(index_dir, fake_settings(), again).resume() is None  # nothing left


def test_exact_duplicates_take_entities_from_the_first_copy(tmp_path: Path, news_dir: Path) -> None:
    copies = news_dir / "copies"
    copies.mkdir()
    shutil.copy(news_dir / "scholz-putin.txt", copies / "scholz-putin.txt")
    index_dir = tmp_path / "index"
    extractor = DictExtractor(NEWS_NAMES)
    stats = build([news_dir], index_dir, settings=fake_settings(), extractor=extractor)
    # titles and texts are equal, so are the content hashes: one NER run for both
    assert stats.indexed == NEWS_DOCS + 1 and extractor.calls == NEWS_DOCS
    found = entities_of(index_dir)
    assert found["copies/scholz-putin.txt"] == found["scholz-putin.txt"]
    assert "Vladimir Putin" in found["scholz-putin.txt"]["person"]
    # a later copy of a finished document takes its entities in the text phase: no NER at all
    shutil.copy(news_dir / "zelensky-berlin.txt", copies / "zelensky-berlin.txt")
    later = DictExtractor(NEWS_NAMES)
    stats = build([news_dir], index_dir, settings=fake_settings(), extractor=later)
    assert (stats.indexed, stats.entities_pending, later.calls) == (1, 0, 0)
    found = entities_of(index_dir)
    assert found["copies/zelensky-berlin.txt"] == found["zelensky-berlin.txt"] != {}


def test_rewritten_documents_leave_no_deleted_copies_in_term_statistics(
    tmp_path: Path, news_dir: Path
) -> None:
    index_dir, plain = tmp_path / "index", tmp_path / "plain"
    build([news_dir], index_dir, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    build([news_dir], plain, settings=fake_settings(entities=False))
    with Searcher(index_dir) as s, Searcher(plain) as p:
        reader, once = s._searcher.reader(), p._searcher.reader()
        # BM25 reads these: the text phase's copies of rewritten documents must not count
        assert reader.doc_count_all() == reader.doc_count() == NEWS_DOCS
        words = list(once.lexicon("body"))
        assert len(words) > 50
        assert [reader.doc_frequency("body", w) for w in words] == [
            once.doc_frequency("body", w) for w in words]


def test_an_index_without_entities_has_none_pending(tmp_path: Path, news_dir: Path) -> None:
    index_dir = tmp_path / "index"
    stats = build([news_dir], index_dir, settings=fake_settings(entities=False))
    assert stats.entities_pending == 0
    with Searcher(index_dir) as s:
        assert s.info().entities_pending == 0
    assert Indexer(index_dir, fake_settings(entities=False)).resume() is None


class FakeSpacy:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.name = "fake"


def test_runner_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "SpacyExtractor", FakeSpacy)
    settings = Settings(nlp_batch_size=64, batch_size=500)
    given = DictExtractor({})
    assert choose_runner(settings, given, 10_000, False).extractor is given  # type: ignore[attr-defined]
    # a few texts: this process, unless the REPL is running
    assert isinstance(choose_runner(settings, None, 100, False), InlineRunner)
    assert isinstance(choose_runner(settings, None, 100, True), ProcessRunner)
    big = choose_runner(settings, None, 10_000, False)
    assert isinstance(big, ProcessRunner) and big.workers == cores()
    assert choose_runner(replace(settings, nlp_processes=1), None, 10_000, False).workers == 1
    # never more workers than batches
    assert choose_runner(replace(settings, nlp_processes=8), None, 500, False).workers == 8
    assert choose_runner(replace(settings, nlp_processes=8), None, 100, True).workers == 2


class Workers(ProcessRunner):
    """A worker pool that records when it is started, used and closed; NER by DictExtractor."""

    def __init__(self, events: list[str]) -> None:
        super().__init__(pool.ModelSpec(), 2)
        self.events = events
        self.inner = InlineRunner(DictExtractor(NEWS_NAMES))

    def start(self) -> None:
        self.events.append("start")

    def map(self, batches: Iterable[pool.Batch]) -> Iterator[tuple[int, list[list[Mention]]]]:
        for number, found in self.inner.map(batches):
            self.events.append(f"ner in {threading.current_thread().name}")
            yield number, found

    def close(self) -> None:
        self.events.append("close")


def test_the_workers_load_the_model_while_the_text_phase_writes(
    tmp_path: Path, news_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search.index import enricher, indexer

    events: list[str] = []
    workers = Workers(events)
    monkeypatch.setattr(enricher, "choose_runner", lambda *a, **k: workers)
    monkeypatch.setattr(enricher, "PARALLEL_MIN_TEXTS", 1)
    write = indexer.write_texts

    def writing(*args: object, **kwargs: object) -> None:
        events.append("text")
        write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(indexer, "write_texts", writing)
    starts: list[tuple[float, float | None]] = []

    class Meter(enricher.RateMeter):
        def start(self, done: int = 0, at: float | None = None) -> None:
            starts.append((time.monotonic(), at))
            super().start(done, at)

    monkeypatch.setattr(enricher, "RateMeter", Meter)
    index_dir = tmp_path / "index"
    began = time.monotonic()
    stats = build([news_dir], index_dir, settings=fake_settings(batch_size=2))
    # started before the text was written, they ran NER on its documents meanwhile (each
    # distinct text once), and the entity phase wrote what they found
    assert events[0] == "start" and events[-1] == "close" and "text" in events
    # its rate counts from when their first batch came back, during the text phase: the
    # batches done since then are no burst of speed
    [(read_at, first_back)] = starts
    assert first_back is not None and began < first_back <= read_at
    assert set(events) - {"start", "text", "close"} == {"ner in search-early-ner"}
    assert isinstance(workers.inner.extractor, DictExtractor)
    assert workers.inner.extractor.calls == NEWS_DOCS
    assert stats.entities_pending == 0
    with Searcher(index_dir) as s:
        assert s.facet_counts(limit=5)["person"]
    # nothing changed: no workers at all
    events.clear()
    build([news_dir], index_dir, settings=fake_settings())
    assert events == []
    # the text phase failing closes the workers it started
    (news_dir / "new.txt").write_text("New\n\nPutin spoke.\n", encoding="utf-8")

    def failing(*args: object, **kwargs: object) -> None:
        events.append("text")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(indexer, "write_texts", failing)
    with pytest.raises(Exception, match="space"):
        build([news_dir], index_dir, settings=fake_settings())
    assert events[0] == "start" and events[-1] == "close" and "text" in events


def test_a_background_entity_phase_that_fails_says_so_in_the_index_info(
    tmp_path: Path, news_dir: Path
) -> None:
    class Failing(DictExtractor):
        def extract(self, texts: Iterable[str]) -> Iterator[list[Mention]]:
            raise OSError(28, "No space left on device")
            yield []

    index_dir = tmp_path / "index"
    indexer = Indexer(index_dir, fake_settings(), Failing(NEWS_NAMES))
    stats = indexer.run([news_dir], wait=False)
    assert stats.entities_pending == NEWS_DOCS
    assert indexer.enrichment is not None
    with pytest.raises(Exception, match="space"):
        indexer.enrichment.wait()
    # nobody waited on the thread: the index itself says why it stopped, and how to go on
    with Searcher(index_dir) as s:
        info = s.info()
    assert info.entities_pending == NEWS_DOCS
    assert info.entities_failed is not None and "No space left" in info.entities_failed
    assert "search index" in info.entities_failed
    assert main(["info", "--index", str(index_dir)]) == 0
    # a run that gets the entities in clears it
    build([news_dir], index_dir, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    with Searcher(index_dir) as s:
        assert s.info().entities_failed is None and s.info().entities_pending == 0
