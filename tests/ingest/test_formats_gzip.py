"""Gzip: any format compressed, read by its inner suffix; bad or oversized data named."""

from __future__ import annotations

import json
from pathlib import Path

from samples import gz

from search.ingest.corpus import Corpus, Document


def read(folder: Path, limit: int = 20 << 20) -> tuple[dict[str, Document], list[str]]:
    corpus = Corpus([folder], max_file_bytes=limit)
    docs = {d.id: d for d in corpus.documents()}
    return docs, [str(s) for s in corpus.skipped]


def test_txt_gz_and_jsonl_gz_read_as_their_inner_format(tmp_path: Path) -> None:
    (tmp_path / "story.txt.gz").write_bytes(gz("Markets rally\n\nShares rose on Friday.\n"))
    lines = [json.dumps({"title": f"Wire {n}", "text": f"Item number {n}."}) for n in (1, 2)]
    # two gzip members one after the other, as `cat a.gz b.gz` makes
    (tmp_path / "wires.jsonl.gz").write_bytes(gz(lines[0] + "\n") + gz(lines[1] + "\n"))
    docs, skips = read(tmp_path)
    assert skips == []
    assert (docs["story.txt.gz"].title, docs["story.txt.gz"].text) == (
        "Markets rally", "Shares rose on Friday.")
    assert [docs[f"wires.jsonl.gz:{n}"].title for n in (1, 2)] == ["Wire 1", "Wire 2"]


def test_bad_gzip_bombs_and_unknown_inner_types_are_named(tmp_path: Path) -> None:
    (tmp_path / "fake.txt.gz").write_bytes(b"plain text, not gzip")
    (tmp_path / "cut.txt.gz").write_bytes(gz("x" * 5000)[:20])
    (tmp_path / "bomb.txt.gz").write_bytes(gz("a" * 50_000))
    (tmp_path / "backup.tar.gz").write_bytes(gz(b"\x00" * 10))
    docs, skips = read(tmp_path, limit=10_000)
    assert docs == {}
    assert skips == [
        "backup.tar.gz: unsupported file type .tar.gz",
        "bomb.txt.gz: larger than the 10000-byte limit once decompressed",
        "cut.txt.gz: cannot decompress: the gzip data is truncated",
        ("fake.txt.gz: cannot decompress: not valid gzip data (Error -3 while decompressing data: "
        "incorrect header check)"),
    ]
