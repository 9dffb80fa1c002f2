"""Robustness of JSON records and of what a run keeps: hostile records never cost their file.

A record with half a UTF-16 pair ("\\ud83d", from an export cut off mid-emoji) is indexed
with U+FFFD; a number of any length is read; a file that fails to parse keeps what was
indexed from it before. Each case is one an adversarial trial met as a traceback or as
documents silently removed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import index_text, indexed_ids

import search
from search.config import Settings
from search.ingest import corpus as corpus_module
from search.ingest.corpus import Corpus
from search.query.searcher import Searcher

HALF_EMOJI = "\\ud83d"  # as written in the file: a JSON escape of a lone high surrogate
HUGE_DIGITS = "7" * 5000  # int() refuses over 4,300 digits


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = [
    '{"id": "a", "title": "Cocoa", "text": "Cocoa prices rose in Bahia."}',
    '{"id": "b", "title": "Coffee", "text": "Coffee harvest in Brazil."}',
    '{"id": "c", "title": "Grain", "text": "Grain exports from Ukraine."}',
]


@pytest.mark.parametrize("field", ["text", "title", "id"])
def test_a_lone_surrogate_escape_is_indexed_as_a_replacement_character(
    tmp_path: Path, field: str
) -> None:
    root = tmp_path / "docs"
    record = {"id": "cut", "title": "Cut off", "text": "Half an emoji"}
    line = json.dumps(record).replace(f'"{record[field]}"', f'"{record[field]} {HALF_EMOJI}"')
    write(root / "export.jsonl", "\n".join([GOOD[0], line]) + "\n")
    write(root / "list.json", f"[{line}]")
    # the public entry point: a SearchError or a result, never a UnicodeEncodeError
    stats = search.build([root], tmp_path / "index", settings=Settings(entities=False))
    assert (stats.indexed, stats.skipped) == (3, ())
    again = index_text(root, tmp_path / "index")  # and the next run is not stopped by it
    assert (again.unchanged, again.removed) == (3, 0)
    with Searcher(tmp_path / "index") as s:
        doc_id = "export.jsonl#cut \ufffd" if field == "id" else "export.jsonl#cut"
        doc = s.document(doc_id)
        shown = {"text": doc.text, "title": doc.title, "id": doc.id}[field]
        assert shown.endswith(" \ufffd")
        assert s.search("emoji").total == 2


def test_a_number_of_any_length_costs_nothing(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    huge = f'{{"id": "d", "title": "Views", "text": "Counted.", "views": {HUGE_DIGITS}}}'
    as_id = f'{{"id": {HUGE_DIGITS}, "title": "Big id", "text": "A number for an id."}}'
    write(root / "feed.jsonl", "\n".join(GOOD) + "\n")
    index_dir = tmp_path / "index"
    assert index_text(root, index_dir).indexed == 3
    write(root / "feed.jsonl", "\n".join([*GOOD, huge, as_id]) + "\n")
    write(root / "list.json", f"[{huge}, {GOOD[0]}]")
    stats = index_text(root, index_dir)
    assert (stats.indexed, stats.unchanged, stats.removed, stats.skipped) == (4, 3, 0, ())
    assert f"feed.jsonl#{HUGE_DIGITS}" in indexed_ids(index_dir)


def test_a_file_that_fails_to_parse_keeps_its_indexed_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "docs"
    write(root / "feed.jsonl", "\n".join(GOOD) + "\n")
    write(root / "list.json", "[" + ", ".join(GOOD) + "]")
    index_dir = tmp_path / "index"
    before = indexed_ids(index_dir) if index_text(root, index_dir).indexed == 6 else set()
    assert len(before) == 6
    # a save in progress: the last record cut off in one file, the middle one in the other
    write(root / "feed.jsonl", "\n".join([*GOOD[:2], GOOD[2][:30]]) + "\n")
    write(root / "list.json", "[" + ", ".join([GOOD[0], GOOD[1][:30], GOOD[2]]) + "]")
    stats = index_text(root, index_dir)
    assert (stats.removed, stats.documents, len(stats.skipped)) == (0, 6, 2)
    assert indexed_ids(index_dir) == before

    def broken_parser(data: bytes, key: str) -> list[object]:
        raise RuntimeError("parser bug")

    real_format_for = corpus_module.format_for

    def with_a_broken_jsonl_parser(name: str) -> object:
        found = real_format_for(name)
        if found is not None and found[0].name == "jsonl":
            return dataclasses.replace(found[0], parse=broken_parser), found[1]
        return found

    monkeypatch.setattr(corpus_module, "format_for", with_a_broken_jsonl_parser)
    stats = index_text(root, index_dir)
    assert [str(s) for s in stats.skipped if "feed" in s.path] == [
        "feed.jsonl: cannot parse: RuntimeError: parser bug"
    ]
    assert (stats.removed, stats.documents) == (0, 6)


def test_a_json_list_keeps_the_records_before_a_broken_one(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write(root / "list.json", "[" + ", ".join([*GOOD[:2], "[" * 100_000]) + "]")
    corpus = Corpus([root])
    assert sorted(d.id for d in corpus.documents()) == ["list.json#a", "list.json#b"]
    assert [str(s) for s in corpus.skipped] == ["list.json:1: invalid JSON: nested too deeply"]
