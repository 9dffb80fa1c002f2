"""Formats: the bytes of one file → records (title, text, date, url, source, …), one module each.

Every module here implements the interface of `base`: a `Format` naming the file suffixes it
reads and a parser from bytes to `Record`s and `Skip`s. `FORMATS` lists them; adding a format is
adding a module and a line to it. Parsers that need a library (pypdfium2, python-docx, warcio,
feedparser, trafilatura) import it on first use, so importing this package stays light. Any
format can also come gzipped (`.txt.gz`, `.jsonl.gz`, `.warc.gz`): see `compressed`. Reading
files, ids and `Document`s are the corpus's business, not this package's.
"""

from __future__ import annotations

from search.ingest.formats import (
    compressed,
    feed,
    html,
    jsonl,
    mail,
    markdown,
    pdf,
    text,
    warc,
    word,
)
from search.ingest.formats.base import Format, Parsed, Record
from search.ingest.formats.cleaning import (
    BOILERPLATE,
    _dateline,
    clean_text,
    clean_title,
    derive_title,
    parse_date,
)
from search.ingest.formats.jsonl import NO_RECORD_TEXT

FORMATS: tuple[Format, ...] = (
    text.FORMAT,
    markdown.FORMAT,
    html.FORMAT,
    jsonl.JSON,
    jsonl.JSONL,
    pdf.FORMAT,
    mail.EML,
    mail.MBOX,
    word.FORMAT,
    warc.FORMAT,
    feed.FORMAT,
)
BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
KINDS = {suffix: fmt.name for suffix, fmt in BY_SUFFIX.items()}
"""File suffix (lower case) → the name of the format that reads it."""


def format_for(name: str) -> tuple[Format, bool] | None:
    """The format of a file name and whether it is gzipped, or None when none reads it."""
    lower = name.lower()
    gzipped = lower.endswith(compressed.SUFFIX)
    stem = lower.removesuffix(compressed.SUFFIX) if gzipped else lower
    dot = stem.rfind(".")
    fmt = BY_SUFFIX.get(stem[dot:]) if dot > 0 else None
    return None if fmt is None else (fmt, gzipped)


__all__ = [
    "BOILERPLATE",
    "BY_SUFFIX",
    "FORMATS",
    "KINDS",
    "NO_RECORD_TEXT",
    "Format",
    "Parsed",
    "Record",
    "_dateline",
    "clean_text",
    "clean_title",
    "derive_title",
    "format_for",
    "parse_date",
]
