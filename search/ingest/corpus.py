"""Stage 1, the corpus: folders and files in, frozen `Document`s out.

A *root* is a path the user gives: a folder, walked recursively, or a single file. Each file of
a known format (`search.ingest.formats`: text, Markdown, HTML, JSON, PDF, email, DOCX, WARC,
feeds, and any of them gzipped) becomes one `Document`, or one per record for a collection (JSON,
mbox, WARC, feeds); every file or record that does not become a document is reported as a
`Skip` saying why. A file's
*corpus path* is its path relative to its root, prefixed with the root's name when several roots
are given; it is the `path` of its documents and skips, and the start of their ids. Text is
cleaned on the way in: newlines normalised, control characters and boilerplate lines removed.
A `.searchignore` at a folder root (gitignore syntax, paths relative to that root) leaves the
files and folders it matches out; they are counted as `ignored`, not reported as skips.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.errors import CorpusError
from search.ingest.formats import (
    BOILERPLATE,
    KINDS,
    NO_RECORD_TEXT,
    Record,
    _dateline,
    clean_text,
    clean_title,
    derive_title,
    format_for,
    parse_date,
)
from search.ingest.formats.compressed import gunzip
from search.ingest.furniture import furniture_of
from search.results import Skip


@dataclass(frozen=True, slots=True)
class Document:
    """One article: cleaned text plus metadata, and a hash that changes whenever any of it does."""

    id: str
    path: str
    title: str
    text: str
    content_hash: str
    mtime: float
    date: str | None = None
    url: str | None = None
    source: str | None = None
    encoding: str = "utf-8"
    sender: str | None = None
    recipients: str | None = None
    related: str = ""
    """Page furniture cut from the end of the text (teasers, footer): stored, not indexed."""


_SURROGATES = re.compile("[\ud800-\udfff]")
"""Half a UTF-16 pair: a JSON escape cut off mid-emoji ("\\ud83d"); not storable as UTF-8."""


def _mended(rec: Record) -> Record:
    """The record with every lone surrogate replaced by U+FFFD, as a decoder would."""
    texts = (rec.title, rec.text, rec.url, rec.source, rec.own_id, rec.sender, rec.recipients)
    if not any(t and _SURROGATES.search(t) for t in texts):
        return rec

    def mend(value: str | None) -> str | None:
        return None if value is None else _SURROGATES.sub("\ufffd", value)

    return rec._replace(
        title=mend(rec.title) or "",
        text=mend(rec.text) or "",
        url=mend(rec.url),
        source=mend(rec.source),
        own_id=mend(rec.own_id),
        sender=mend(rec.sender),
        recipients=mend(rec.recipients),
    )


def _content_hash(*fields: str | None) -> str:
    data = json.dumps(fields, ensure_ascii=False).encode("utf-8")
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _too_big(limit: int, size: int) -> str:
    units = (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10))
    sizes = [f"{limit / n:.3g} {u}" for u, n in units if limit >= n]
    shown = sizes[0] if sizes else f"{limit}-byte"
    return (
        f"larger than the {shown} limit ({size} bytes); "
        "raise SEARCH_MAX_FILE_BYTES to index it"
    )


def _read(path: Path, limit: int | None) -> tuple[bytes, float] | str:
    """The file's bytes and mtime, or the reason it cannot be used (None: no size limit)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # reading a FIFO would block forever
            return "not a regular file"
        if limit is not None and info.st_size > limit:
            return _too_big(limit, info.st_size)
        with path.open("rb") as handle:
            # the file may have grown since stat()
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as err:
        return f"cannot read: {err.strerror or err}"
    if limit is not None and len(data) > limit:
        return _too_big(limit, len(data))
    return data, info.st_mtime


_Parsed = tuple[list[tuple[Document, int | None]], list[Skip]]
"""Documents, each with its JSON line number or None, and skips."""


def _parse(path: Path, key: str, limit: int) -> _Parsed:
    """What the file at corpus path `key` holds; never raises for a bad file."""
    found = format_for(path.name)
    if found is None:
        suffixes = path.suffixes[-2:] if path.suffix.lower() == ".gz" else path.suffixes[-1:]
        suffix = "".join(suffixes).lower() or "(no extension)"
        return [], [Skip(key, f"unsupported file type {suffix}")]
    fmt, gzipped = found
    # A collection (JSON lines, mbox, WARC) is not a document: the size limit applies per record.
    read = _read(path, None if fmt.collection else limit)
    if isinstance(read, str):
        return [], [Skip(key, read)]
    data: bytes | str = read[0]
    if gzipped:
        data = gunzip(read[0], None if fmt.collection else limit)
    if isinstance(data, str):
        return [], [Skip(key, data)]
    if data.isspace() or not data:
        return [], [Skip(key, "empty file")]
    try:
        records = fmt.parse(data, key)
    except Exception as err:  # noqa: BLE001 - one bad file must not stop a whole run
        return [], [Skip(key, f"cannot parse: {type(err).__name__}: {err}")]
    docs: list[tuple[Document, int | None]] = []
    skips = [rec for rec in records if isinstance(rec, Skip)]
    for rec in (_mended(rec) for rec in records if isinstance(rec, Record)):
        if rec.line is not None and len(rec.text) > limit:
            skips.append(Skip(key, _too_big(limit, len(rec.text.encode())), rec.line))
            continue
        body, related = furniture_of(rec.text, data, fmt.name, rec.line)
        title, text = clean_title(rec.title), clean_text(body)
        if not title and not text:
            reason = "empty file" if rec.line is None else NO_RECORD_TEXT
            if rec.line is not None and fmt.name not in ("json", "jsonl"):
                reason = "record has neither title nor text"
            skips.append(Skip(key, reason, rec.line))
            continue
        title = title or derive_title(text)
        date = rec.date or (_dateline(text) if fmt.name in ("txt", "md") else None)
        url = clean_title(rec.url or "") or None
        source = clean_title(rec.source or "") or None
        sender = clean_title(rec.sender or "") or None
        recipients = clean_title(rec.recipients or "") or None
        doc_id = key if rec.line is None else f"{key}:{rec.line}"
        if rec.own_id is not None:
            doc_id = f"{key}#{rec.own_id}"
        doc = Document(
            id=doc_id,
            path=key,
            title=title,
            text=text,
            # from/to and related only when set: other documents keep the hashes they had
            content_hash=_content_hash(
                title, text, date, url, source,
                *((sender, recipients) if sender or recipients else ()),
                *([related] if related else []),
            ),
            mtime=read[1],
            date=date,
            url=url,
            source=source,
            encoding=rec.encoding,
            sender=sender,
            recipients=recipients,
            related=related,
        )
        docs.append((doc, rec.line))
    return docs, skips


def parse_file(
    path: Path, root: Path, max_file_bytes: int, *, prefix: str = ""
) -> tuple[list[Document], list[Skip]]:
    """Parse one file into documents with ids relative to `root`, and report skips."""
    rel = path.name if path == root else path.relative_to(root).as_posix()
    docs, skips = _parse(path, f"{prefix}/{rel}" if prefix else rel, max_file_bytes)
    return [doc for doc, _ in docs], skips


class Corpus:
    """The documents under one or more roots, read lazily in sorted path order."""

    def __init__(
        self,
        paths: Sequence[Path | str],
        max_file_bytes: int = 20 * 1024 * 1024,
        *,
        follow_links: bool = False,
    ) -> None:
        # a lone string is a Sequence too: iterating it would give one-letter paths
        if isinstance(paths, str | Path):
            paths = [paths]
        self.paths = tuple(Path(p) for p in paths)
        self.max_file_bytes = max_file_bytes
        self.follow_links = follow_links
        """Whether symbolic links to places outside the roots are followed (not by default:
        `notes.txt -> ~/.ssh/id_rsa` in a downloaded folder must not be indexed)."""
        self.skipped: list[Skip] = []
        self.files_seen = 0
        self.ignored = 0
        """Files and folders left out by a root's `.searchignore` in the last walk."""
        for path in self.paths:
            if not path.exists():
                raise CorpusError(
                    f"{path}: no such file or folder",
                    hint="check the path, or pass the folder of documents to index",
                )

    def documents(self) -> Iterator[Document]:
        """Yield every document, filling `skipped` and `files_seen` as it goes."""
        self.skipped, self.files_seen, self.ignored = [], 0, 0
        first_seen: dict[str, str] = {}
        for path, key in self._files():
            self.files_seen += 1
            docs, skips = _parse(path, key, self.max_file_bytes)
            self.skipped.extend(skips)
            for doc, line in docs:
                if (first := first_seen.get(doc.id)) is not None:
                    reason = f"duplicate id {doc.id!r} (first seen at {first})"
                    self.skipped.append(Skip(key, reason, line))
                    continue
                first_seen[doc.id] = key if line is None else f"{key}:{line}"
                yield doc

    def _files(self) -> Iterator[tuple[Path, str]]:
        """Every file to parse with its corpus path, root by root."""
        for root in self.paths:
            if not root.is_dir():  # a single file: its name is its corpus path
                yield root, _utf8(root.name)
            elif len(self.paths) == 1:
                yield from self._walk(root, "")
            else:
                yield from self._walk(root, f"{_utf8(root.name or root.resolve().name)}/")

    def _walk(self, root: Path, prefix: str) -> Iterator[tuple[Path, str]]:
        """Files under `root` in path order, entering each real folder once."""
        # remembering real paths stops symlink loops and second links to a folder
        visited = {os.path.realpath(root)}
        ignore = _ignore_spec(root, self.skipped, prefix)
        inside = tuple(os.path.realpath(r) for r in self.paths if r.is_dir())
        stack = [self._entries(root, prefix)]
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
            elif ignore is not None and ignore.match_file(
                entry[1][len(prefix) :] + ("/" if entry[2] else "")
            ):
                self.ignored += 1
            elif (
                entry[3]
                and not self.follow_links
                and not _within(entry[0], inside)
                and os.path.exists(entry[0])  # a dangling link is reported as unreadable
            ):
                target = os.path.realpath(entry[0])
                reason = (
                    f"symbolic link to {_utf8(target)}, outside the folders being indexed; "
                    "pass --follow-links to index it"
                )
                self.skipped.append(Skip(entry[1] + ("/" if entry[2] else ""), reason))
            elif not entry[2]:
                yield entry[0], entry[1]
            elif (real := os.path.realpath(entry[0])) not in visited:
                visited.add(real)
                stack.append(self._entries(entry[0], entry[1] + "/"))

    def _entries(
        self, folder: Path, prefix: str
    ) -> Iterator[tuple[Path, str, bool, bool]]:
        """The visible entries of `folder` by name, as (path, corpus path, is folder, is a
        symbolic link)."""
        try:
            with os.scandir(folder) as scan:
                entries = sorted((e for e in scan if e.name[0] != "."), key=_name)
        except OSError as err:
            where = prefix or f"{_utf8(folder.name or str(folder))}/"
            reason = f"cannot read folder: {err.strerror or err}"
            self.skipped.append(Skip(where, reason))
            return iter(())
        return iter(
            [(Path(e.path), prefix + _utf8(e.name), _is_dir(e), _is_link(e)) for e in entries]
        )


IGNORE_FILE = ".searchignore"


def _ignore_spec(root: Path, skipped: list[Skip], prefix: str) -> Any:
    """The root's `.searchignore` as a gitignore matcher, or None when it has none.

    An unreadable ignore file is reported as a skip, and nothing is left out because of it.
    """
    path = root / IGNORE_FILE
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return None
    except OSError as err:
        skipped.append(Skip(prefix + IGNORE_FILE, f"cannot read: {err.strerror or err}"))
        return None
    import pathspec  # only walks of folders need it: `import search` stays light

    return pathspec.GitIgnoreSpec.from_lines(lines)


def corpus_path(path: Path, roots: Sequence[Path]) -> str | None:
    """The corpus path a file on disk has under these roots (as `Corpus` names it), or None
    when it lies under none of them: how a path names a document as its id does."""
    candidates = [Path(os.path.abspath(path))]
    if (real := path.resolve()) != candidates[0]:
        candidates.append(real)
    for target in candidates:
        for root in roots:
            for base in dict.fromkeys((Path(os.path.abspath(root)), root.resolve())):
                if target == base and not root.is_dir():
                    return _utf8(root.name)
                if base == target or not target.is_relative_to(base):
                    continue
                rel = _utf8(target.relative_to(base).as_posix())
                if len(roots) == 1:
                    return rel
                return f"{_utf8(root.name or root.resolve().name)}/{rel}"
    return None


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _utf8(name: str) -> str:
    """A file name as text that can be stored and printed: bytes not UTF-8 become \\xNN."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # the OS hands undecodable bytes back as lone surrogates
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _within(path: Path, folders: tuple[str, ...]) -> bool:
    """Whether path, links resolved, is one of folders or inside one."""
    real = os.path.realpath(path)
    return any(real == f or real.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # e.g. no permission to follow a symlink
        return False


# the cleaning helpers and KINDS live in search.ingest.formats; re-exported, as callers import them here
__all__ = [
    "BOILERPLATE",
    "KINDS",
    "Corpus",
    "Document",
    "clean_text",
    "clean_title",
    "corpus_path",
    "derive_title",
    "parse_date",
    "parse_file",
]
