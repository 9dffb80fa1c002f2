"""Robustness of reading a messy folder: every bad file is reported, everything else indexed.

Binary files, undecodable bytes, empty and huge files, broken JSON records, unreadable files,
symlink loops, odd file names and files that vanish or change while a run reads them: each
ends up either as documents or as a `Skip` naming its path (and line) and the reason, and
the same skips reach `IndexStats.skipped`. No file stops a run.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import index_text, indexed_ids

from search.config import Settings
from search.index.indexer import build
from search.index.progress import IndexProgress
from search.ingest.corpus import Corpus
from search.query.searcher import Searcher

MiB = 1024 * 1024
HUGE = 200 * MiB
LIMIT_REASON = (
    f"larger than the 20 MiB limit ({HUGE} bytes); raise SEARCH_MAX_FILE_BYTES to index it"
)

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of `size` bytes written in no time: the rest is a hole that reads as zeros."""
    with path.open("wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def reasons(skips: Any) -> list[str]:
    return sorted(str(skip) for skip in skips)


BROKEN_JSONL = [
    '{"id": "a", "title": "First", "text": "A good record."}',
    "{not json",
    "[1, 2, 3]",
    '{"id": "b", "title": 5, "text": {"nested": true}}',
    '{"id": "c"}',
    "[" * 100_000,  # nested deeper than the JSON parser recurses
    '"a lone string"',
    '{"id": "d", "title": "Second", "text": "Another good record."}',
    '{"id": "e", "title": "Cut off", "text": "half a rec',
]
BROKEN_JSONL_SKIPS = [
    "broken.jsonl:2: invalid JSON: Expecting property name enclosed in double quotes at column 2",
    "broken.jsonl:3: record is a list, expected an object",
    'broken.jsonl:4: field "text" is an object, expected a string',
    'broken.jsonl:5: record has neither text nor title (fields "title", "text", "body", "content")',
    "broken.jsonl:6: invalid JSON: nested too deeply",
    "broken.jsonl:7: record is a string, expected an object",
    "broken.jsonl:9: invalid JSON: Unterminated string starting at column 41",
]


def messy_folder(root: Path) -> Path:
    """A folder with two good documents beside one of every kind of fault."""
    write(root / "good.txt", "A good title\n\nCocoa prices rose in Bahia this week.\n")
    write(root / "notes.md", "# Notes\n\nCocoa and coffee.\n")
    write(root / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write(root / "empty.txt", b"")
    write(root / "blank.md", "  \n\t\n\n")
    sparse(root / "huge.txt", HUGE, b"Huge\n\nA file far over the size limit.\n")
    write(root / "broken.jsonl", "\n".join(BROKEN_JSONL) + "\n")
    write(root / "broken.json", '{"title": "x", "text": ')
    write(root / "sub" / "deep.txt", "Deep\n\nCocoa in a subfolder.\n")
    return root


MESSY_SKIPS = [
    "blank.md: empty file",
    "broken.json:1: invalid JSON: Expecting value at column 24",
    *BROKEN_JSONL_SKIPS,
    "empty.txt: empty file",
    f"huge.txt: {LIMIT_REASON}",
    "photo.txt: binary file",
]
MESSY_IDS = {"good.txt", "notes.md", "sub/deep.txt", "broken.jsonl#a", "broken.jsonl#d"}


def test_every_fault_is_reported_with_its_path_and_reason_and_the_rest_is_indexed(
    tmp_path: Path,
) -> None:
    root = messy_folder(tmp_path / "messy")
    corpus = Corpus([root])
    assert {d.id for d in corpus.documents()} == MESSY_IDS
    assert reasons(corpus.skipped) == sorted(MESSY_SKIPS)
    stats = index_text(root, tmp_path / "index")
    assert reasons(stats.skipped) == sorted(MESSY_SKIPS)
    assert (stats.indexed, stats.documents) == (len(MESSY_IDS), len(MESSY_IDS))
    assert indexed_ids(tmp_path / "index") == MESSY_IDS


def test_a_200_mb_file_is_skipped_by_its_size_without_being_read(tmp_path: Path) -> None:
    sparse(tmp_path / "huge.txt", HUGE)
    started = time.perf_counter()
    corpus = Corpus([tmp_path])
    assert list(corpus.documents()) == []
    assert reasons(corpus.skipped) == [f"huge.txt: {LIMIT_REASON}"]
    assert time.perf_counter() - started < 1.0


def test_a_200_mb_json_lines_file_of_zeros_is_a_binary_file(tmp_path: Path) -> None:
    # JSON lines are collections, limited per record; a file of zeros is not text at all
    sparse(tmp_path / "huge.jsonl", HUGE)
    started = time.perf_counter()
    corpus = Corpus([tmp_path])
    assert list(corpus.documents()) == []
    assert reasons(corpus.skipped) == ["huge.jsonl: binary file"]
    assert time.perf_counter() - started < 5.0


def test_200_mb_of_zeros_after_a_json_lines_record_cost_only_their_line(tmp_path: Path) -> None:
    # a file padded with NULs (as after a crash) keeps the records written before them
    sparse(tmp_path / "huge.jsonl", HUGE, b'{"title": "t", "text": "x"}\n')
    corpus = Corpus([tmp_path])
    assert [d.id for d in corpus.documents()] == ["huge.jsonl:1"]
    assert reasons(corpus.skipped) == ["huge.jsonl:2: binary data: a NUL byte at column 1"]


@pytest.mark.parametrize("name", ["wires.jsonl", "wires.ndjson", "wires.jsonl.gz"])
def test_a_nul_byte_in_one_json_lines_record_costs_only_that_record(
    tmp_path: Path, name: str
) -> None:
    import gzip

    lines = [
        '{"id": "a", "title": "Cocoa", "text": "Cocoa prices rose \x00 in Bahia."}',
        '{"id": "b", "title": "Coffee", "text": "Coffee prices fell in Brazil."}',
        '{"id": "c", "title": "Tea", "text": "Tea \x00\x00 prices held."}',
        '{"id": "d", "title": "Sugar", "text": "Sugar prices rose in India."}',
    ]
    data = ("\n".join(lines) + "\n").encode()
    assert b"\x00" in data[:8192]
    write(tmp_path / "docs" / name, gzip.compress(data) if name.endswith(".gz") else data)
    stats = index_text(tmp_path / "docs", tmp_path / "index")
    assert indexed_ids(tmp_path / "index") == {f"{name}#b", f"{name}#d"}
    assert reasons(stats.skipped) == [
        f"{name}:{n}: binary data: a NUL byte at column {lines[n - 1].index(chr(0)) + 1}"
        for n in (1, 3)
    ]


def test_invalid_utf8_is_read_as_a_legacy_encoding_not_lost(tmp_path: Path) -> None:
    write(tmp_path / "cp1252.txt", b"Caf\xe9 cr\xe8me\n\nPrices \x93rose\x94 \x96 again.\n")
    write(tmp_path / "latin1.txt", b"Stray bytes\n\n\x81\x8d caf\xe9 \xc3\x28 end.\n")
    corpus = Corpus([tmp_path])
    docs = {d.id: d for d in corpus.documents()}
    assert corpus.skipped == []
    assert (docs["cp1252.txt"].title, docs["cp1252.txt"].encoding) == ("Café crème", "cp1252")
    assert docs["cp1252.txt"].text == "Prices “rose” – again."
    assert docs["latin1.txt"].encoding == "latin-1"
    assert "café" in docs["latin1.txt"].text


def test_a_file_name_that_is_not_utf8_is_indexed_under_an_escaped_id(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path / "odd")
    os.makedirs(folder)
    try:
        with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as f:
            f.write(b"Cafe\n\nA file whose name is Latin-1.\n")
    except OSError as err:  # a file system that insists on UTF-8 names
        pytest.skip(f"cannot create a non-UTF-8 file name here: {err}")
    write(tmp_path / "odd" / "plain.txt", "Plain\n\nAnother file.\n")
    stats = index_text(tmp_path / "odd", tmp_path / "index")
    assert stats.skipped == ()
    assert indexed_ids(tmp_path / "index") == {"caf\\xe9.txt", "plain.txt"}
    with Searcher(tmp_path / "index") as s:
        assert s.document("caf\\xe9.txt").text == "A file whose name is Latin-1."


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads files whatever their permissions (CI runs as root); "
    "test_a_file_that_cannot_be_opened_is_skipped covers the same path by simulation",
)
def test_a_file_without_read_permission_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "ok.txt", "Fine\n\nReadable.\n")
    secret = write(tmp_path / "secret.txt", "Secret\n\nNot for us.\n")
    secret.chmod(0)
    try:
        corpus = Corpus([tmp_path])
        assert [d.id for d in corpus.documents()] == ["ok.txt"]
        assert reasons(corpus.skipped) == ["secret.txt: cannot read: Permission denied"]
    finally:
        secret.chmod(0o644)


def test_a_file_that_cannot_be_opened_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "docs"
    write(root / "ok.txt", "Fine\n\nReadable.\n")
    write(root / "secret.txt", "Secret\n\nNot for us.\n")
    real_open = Path.open

    def guarded(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "secret.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    stats = index_text(root, tmp_path / "index")
    assert reasons(stats.skipped) == ["secret.txt: cannot read: Permission denied"]
    assert indexed_ids(tmp_path / "index") == {"ok.txt"}


def test_a_folder_that_cannot_be_listed_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "ok.txt", "Fine\n\nReadable.\n")
    write(tmp_path / "locked" / "inside.txt", "Inside\n\nUnreachable.\n")
    real_scandir = os.scandir

    def guarded(path: Any) -> Any:
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    corpus = Corpus([tmp_path])
    assert [d.id for d in corpus.documents()] == ["ok.txt"]
    assert reasons(corpus.skipped) == ["locked/: cannot read folder: Permission denied"]


@needs_symlinks
def test_symlink_loops_and_dangling_links_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "a" / "doc.txt", "Inside\n\nThe only document.\n")
    (tmp_path / "a" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "ping.txt").symlink_to(tmp_path / "pong.txt")
    (tmp_path / "pong.txt").symlink_to(tmp_path / "ping.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    started = time.perf_counter()
    stats = index_text(tmp_path, tmp_path.parent / "index")
    assert time.perf_counter() - started < 10
    assert reasons(stats.skipped) == [
        "dangling.txt: cannot read: No such file or directory",
        "ping.txt: cannot read: Too many levels of symbolic links",
        "pong.txt: cannot read: Too many levels of symbolic links",
    ]
    assert indexed_ids(tmp_path.parent / "index") == {"a/doc.txt"}


@needs_symlinks
def test_links_out_of_the_corpus_are_skipped_unless_following_is_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from search.cli import main

    secret = write(tmp_path / "private" / "shadow.txt", "root:$6$secret-hash:19000:0:99999:7:::\n")
    root = tmp_path / "corpus"
    write(root / "doc.txt", "Inside\n\nA document about cocoa.\n")
    (root / "shadow.txt").symlink_to(secret)
    (root / "outside").symlink_to(secret.parent, target_is_directory=True)
    write(root / "sub" / "twin.txt", "Twin\n\nLinked from inside the corpus.\n")
    (root / "again.txt").symlink_to(root / "sub" / "twin.txt")  # inside: followed
    index_dir = tmp_path / "index"
    stats = index_text(root, index_dir)
    hint = "outside the folders being indexed; pass --follow-links to index it"
    assert reasons(stats.skipped) == [
        f"outside/: symbolic link to {secret.parent}, {hint}",
        f"shadow.txt: symbolic link to {secret}, {hint}",
    ]
    assert indexed_ids(index_dir) == {"doc.txt", "again.txt", "sub/twin.txt"}
    with Searcher(index_dir) as s:
        assert s.search("secret").total == 0
    # asked for explicitly, on the command line or by setting
    code = main(["--index", str(index_dir), "index", "--no-entities", "--follow-links",
                 str(root)])
    assert code == 0, capsys.readouterr().err
    assert indexed_ids(index_dir) == {
        "doc.txt", "again.txt", "sub/twin.txt", "shadow.txt", "outside/shadow.txt"
    }
    followed = build([root], index_dir, settings=Settings(entities=False, follow_links=False))
    assert followed.removed == 2  # and dropped again when no longer asked for


def test_a_file_that_vanishes_before_it_is_read_is_skipped(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path / name, f"{name}\n\nText of {name}.\n")
    corpus = Corpus([tmp_path])
    docs = corpus.documents()
    assert next(docs).id == "a.txt"  # the folder is listed; b.txt goes before it is read
    (tmp_path / "b.txt").unlink()
    assert [d.id for d in docs] == ["c.txt"]
    assert reasons(corpus.skipped) == ["b.txt: cannot read: No such file or directory"]


def test_a_folder_that_vanishes_before_it_is_walked_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "A\n\nFirst.\n")
    write(tmp_path / "b" / "x.txt", "X\n\nGone with its folder.\n")
    corpus = Corpus([tmp_path])
    docs = corpus.documents()
    assert next(docs).id == "a.txt"
    (tmp_path / "b" / "x.txt").unlink()
    (tmp_path / "b").rmdir()
    assert list(docs) == []
    assert reasons(corpus.skipped) == ["b/: cannot read folder: No such file or directory"]


def test_a_file_that_grows_past_the_limit_while_read_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # stat() saw a small file; by the time it is read, it has grown past the limit
    path = write(tmp_path / "log.txt", "Log\n\n" + "line\n" * 400)
    real_stat = Path.stat

    def earlier(self: Path, *args: Any, **kwargs: Any) -> os.stat_result:
        result = real_stat(self, *args, **kwargs)
        if self.name != "log.txt":
            return result
        fields = list(result)
        fields[6] = 10  # st_size, as it was before the writer appended
        return os.stat_result(fields)

    monkeypatch.setattr(Path, "stat", earlier)
    corpus = Corpus([tmp_path], max_file_bytes=1000)
    assert list(corpus.documents()) == []
    assert reasons(corpus.skipped) == [
        ("log.txt: larger than the 1000-byte limit (1001 bytes); "
         "raise SEARCH_MAX_FILE_BYTES to index it")
    ]
    monkeypatch.undo()
    assert path.stat().st_size > 1000


def test_files_changed_or_deleted_during_a_run_are_caught_up_by_the_next(
    tmp_path: Path,
) -> None:
    root = tmp_path / "docs"
    for i in range(6):
        write(root / f"{i}.txt", f"Doc {i}\n\nOriginal text {i}.\n")
    changed = False

    def meddle(event: IndexProgress) -> None:
        nonlocal changed
        if event.done == 2 and not changed:  # while the run is writing: edit one file, delete another
            changed = True
            write(root / "4.txt", "Doc 4\n\nEdited text.\n")
            (root / "5.txt").unlink()

    index_dir = tmp_path / "index"
    settings = Settings(entities=False, batch_size=2)
    build([root], index_dir, settings=settings, progress=meddle)
    with Searcher(index_dir) as s:  # the run indexed what it read: a consistent snapshot
        assert s.document("4.txt").text == "Original text 4."
        assert s.doc_count() == 6
    stats = build([root], index_dir, settings=settings)
    assert (stats.indexed, stats.removed, stats.unchanged) == (1, 1, 4)
    with Searcher(index_dir) as s:
        assert s.document("4.txt").text == "Edited text."
        assert s.doc_count() == 5


def test_files_removed_mid_run_keep_their_documents_until_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file that cannot be read this time (mid-save, say) keeps what was indexed from it
    root = tmp_path / "docs"
    for i in range(3):
        write(root / f"{i}.txt", f"Doc {i}\n\nText {i}.\n")
    index_dir = tmp_path / "index"
    index_text(root, index_dir)
    real_documents = Corpus.documents

    def vanishing(self: Corpus) -> Iterator[Any]:
        for doc in real_documents(self):
            if doc.id == "0.txt" and (root / "1.txt").exists():
                (root / "1.txt").rename(tmp_path / "saving.tmp")
            yield doc

    monkeypatch.setattr(Corpus, "documents", vanishing)
    stats = index_text(root, index_dir)
    assert reasons(stats.skipped) == ["1.txt: cannot read: No such file or directory"]
    assert (stats.removed, stats.documents) == (0, 3)
    monkeypatch.undo()
    (tmp_path / "saving.tmp").rename(root / "1.txt")
    stats = index_text(root, index_dir)
    assert (stats.indexed, stats.unchanged, stats.removed, stats.documents) == (0, 3, 0, 3)


def test_a_folder_with_nothing_to_index_gives_an_empty_index_that_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from search.cli import main
    from search.terminal.commands import Shell

    root = tmp_path / "docs"
    write(root / "photo.txt", b"\x00\x01\x02")
    write(root / "empty.md", "")
    stats = index_text(root, tmp_path / "index")
    assert (stats.documents, len(stats.skipped)) == (0, 2)
    with Searcher(tmp_path / "index") as s:
        assert s.search("anything").total == 0
        assert s.facet_counts() == {"person": (), "place": (), "org": ()}
        out = Shell(s).handle("anything")
        assert not out.error and out.data is not None and out.data["total"] == 0
    assert main(["--index", str(tmp_path / "index"), "query", "anything"]) == 0
    assert capsys.readouterr().out.startswith("0 hits")
