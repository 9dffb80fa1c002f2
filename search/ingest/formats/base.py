"""The interface every format module implements: bytes of one file in, records or skips out.

A *format* is a name, the file suffixes it claims and a `parse(data, key)` function that turns a
file's bytes into `Record`s (one per article) and `Skip`s (why a file or one of its records is not
one). `key` is the file's corpus path, used only to name skips. A format whose files hold many
records (JSON lines, mbox, WARC, feeds) is a *collection*: each record carries its number in the
file (`Record.line`, a line number for JSON lines, a message, record or item number for the
others) and becomes the document `file:N`; the size limit then applies per record, not per file.
Parsers never raise for bad input they can recognise; the corpus still catches anything else, so
one unreadable file costs nothing but itself.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from search.results import Skip


class Record(NamedTuple):
    """What a format parser found, before cleaning and id assignment."""

    title: str
    text: str
    date: str | None = None
    url: str | None = None
    source: str | None = None
    own_id: str | None = None
    line: int | None = None
    sender: str | None = None
    """Who it is from: an email's From, a feed item's, PDF's or DOCX's author."""
    recipients: str | None = None
    """Who it is to: an email's To and Cc."""
    encoding: str = "utf-8"


Parsed = list[Record | Skip]
Parser = Callable[[bytes, str], Parsed]


@dataclass(frozen=True, slots=True)
class Format:
    """One file type: its name, the suffixes it claims (lower case, with the dot) and its parser."""

    name: str
    suffixes: tuple[str, ...]
    parse: Parser
    collection: bool = False
    """Many records per file: no size limit on the file, one per record."""


SNIFF_BYTES = 8192
"""How much of a file is looked at to tell binary data from text."""


def looks_binary(data: bytes) -> bool:
    """A NUL byte near the start: text holds none (UTF-16, told by its BOM, aside)."""
    return b"\x00" in data[:SNIFF_BYTES]


def decode(
    data: bytes, binary: Callable[[bytes], bool] = looks_binary, by_line: bool = False
) -> tuple[str, str] | None:
    """Text and the encoding used, or None for a binary file (as `binary` tells it); with
    `by_line`, a file that is not UTF-8 throughout is decoded line by line, so that one
    record in another encoding does not turn the others into mojibake."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:  # Windows "Unicode" text files are UTF-16: full of NUL bytes, yet text
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    if binary(data):
        return None
    text, encoding = _decode_any(data)
    if by_line and encoding != "utf-8":
        lines = [_decode_any(line)[0] for line in data.split(b"\n")]
        return "\n".join(lines), "utf-8 (some lines cp1252)"
    return text, encoding


def _decode_any(data: bytes) -> tuple[str, str]:
    """UTF-8, else cp1252, else latin-1, which decodes anything."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"  # cp1252 leaves five byte values undefined


def text_parser(
    parse: Callable[[str, str], Parsed],
    binary: Callable[[bytes], bool] = looks_binary,
    by_line: bool = False,
) -> Parser:
    """A bytes parser for a text format: decodes, refuses binary (as `binary` tells it) and
    blank files."""

    def parse_bytes(data: bytes, key: str) -> Parsed:
        decoded = decode(data, binary, by_line)
        if decoded is None:
            return [Skip(key, "binary file")]
        text, encoding = decoded
        if not text.strip():
            return [Skip(key, "empty file")]
        found = parse(text, key)
        if encoding == "utf-8":
            return found
        return [r._replace(encoding=encoding) if isinstance(r, Record) else r for r in found]

    parse_bytes.__doc__ = parse.__doc__
    return parse_bytes


def error_reason(err: BaseException) -> str:
    """An exception as a skip reason: its type and message, on one line."""
    message = " ".join(str(err).split())
    return f"{type(err).__name__}: {message}" if message else type(err).__name__
