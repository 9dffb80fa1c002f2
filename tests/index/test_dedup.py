"""Tests for search.index.dedup: clusters found at index time, kept up to date incrementally,
surviving lost or damaged state files — on real BBC articles and edited copies of them."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import APPLE_COPIES, write_copies

from search.config import Settings
from search.index import dedup
from search.index.indexer import build


def clusters(index_dir: Path) -> list[set[str]]:
    return [set(c) for c in dedup.read_clusters(index_dir)]


def index(corpus: Path, index_dir: Path) -> None:
    build([corpus], index_dir, settings=Settings(entities=False))


def test_edited_copies_cluster_and_a_same_topic_story_stays_apart(tmp_path: Path) -> None:
    corpus = write_copies(tmp_path / "corpus")
    index(corpus, tmp_path / "index")
    found = clusters(tmp_path / "index")
    assert APPLE_COPIES in found
    assert {"pension.txt", "pension-again.txt"} in found
    assert not any("itunes.txt" in c or "edwards.txt" in c for c in found)


def test_a_run_signs_only_new_documents_and_removals_leave_the_cluster(
    tmp_path: Path, monkeypatch: object
) -> None:
    corpus = write_copies(tmp_path / "corpus")
    (corpus / "apple-update.txt").rename(tmp_path / "later.txt")
    index_dir = tmp_path / "index"
    index(corpus, index_dir)
    assert {"apple.txt", "apple-first.txt", "apple-cut.txt"} in clusters(index_dir)
    signed: list[str] = []
    original = dedup.DupeState.add

    def counting(self: dedup.DupeState, docs: object) -> None:
        docs = list(docs)  # type: ignore[call-overload]
        signed.extend(d[0] for d in docs)
        original(self, docs)

    dedup.DupeState.add = counting  # type: ignore[method-assign]
    try:
        (tmp_path / "later.txt").rename(corpus / "apple-update.txt")
        index(corpus, index_dir)
        assert signed == ["apple-update.txt"]
        assert APPLE_COPIES in clusters(index_dir)
        (corpus / "pension-again.txt").unlink()
        index(corpus, index_dir)
        assert signed == ["apple-update.txt"]  # a removal signs nothing
        assert not any("pension.txt" in c for c in clusters(index_dir))
        index(corpus, index_dir)  # nothing changed: state and clusters left as they are
        assert signed == ["apple-update.txt"]
    finally:
        dedup.DupeState.add = original  # type: ignore[method-assign]


def test_a_changed_document_leaves_its_cluster_when_it_no_longer_copies(tmp_path: Path) -> None:
    corpus = write_copies(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    index(corpus, index_dir)
    (corpus / "apple-cut.txt").write_text(
        (corpus / "edwards.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    index(corpus, index_dir)
    found = clusters(index_dir)
    assert APPLE_COPIES - {"apple-cut.txt"} in found
    assert {"apple-cut.txt", "edwards.txt"} in found  # now the same text as the sports story


def test_lost_or_damaged_state_is_rebuilt_from_the_stored_text(tmp_path: Path) -> None:
    corpus = write_copies(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    index(corpus, index_dir)
    before = clusters(index_dir)
    (index_dir / dedup.STATE_FILE).write_bytes(b"PK\x03\x04 not a zip at all")
    index(corpus, index_dir)
    assert clusters(index_dir) == before
    (index_dir / dedup.STATE_FILE).unlink()
    (index_dir / dedup.CLUSTERS_FILE).unlink()
    index(corpus, index_dir)
    assert clusters(index_dir) == before
    data = json.loads((index_dir / dedup.CLUSTERS_FILE).read_text(encoding="utf-8"))
    assert data["format"] == dedup.CLUSTERS_FORMAT


def test_a_state_missing_documents_of_a_killed_run_signs_them_on_the_next(tmp_path: Path) -> None:
    corpus = write_copies(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    index(corpus, index_dir)
    state = dedup.load_state(index_dir)
    state.drop(["apple-first.txt", "pension.txt"])  # as if the run died before signing them
    (index_dir / dedup.STATE_FILE).write_bytes(state.to_bytes())
    index(corpus, index_dir)
    assert APPLE_COPIES in clusters(index_dir)
    assert {"pension.txt", "pension-again.txt"} in clusters(index_dir)


def test_unreadable_cluster_file_reads_as_no_clusters(tmp_path: Path) -> None:
    (tmp_path / dedup.CLUSTERS_FILE).write_text("{not json", encoding="utf-8")
    assert dedup.read_clusters(tmp_path) == []
    assert dedup.read_clusters(tmp_path / "absent") == []


def test_briefs_are_copies_only_with_the_same_headline_on_the_same_day(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = [
        {"id": "a", "title": "FED ADDS RESERVES VIA CUSTOMER REPURCHASES", "text": "",
         "date": "1987-03-02T11:44:41"},
        {"id": "b", "title": "FED ADDS RESERVES VIA CUSTOMER REPURCHASES", "text": "",
         "date": "1987-03-02T11:50:00"},
        {"id": "c", "title": "FED ADDS RESERVES VIA CUSTOMER REPURCHASES", "text": "",
         "date": "1987-03-03T11:45:17"},
    ]
    (corpus / "wires.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    index(corpus, tmp_path / "index")
    assert clusters(tmp_path / "index") == [{"wires.jsonl#a", "wires.jsonl#b"}]
