"""Plain text (.txt): a short first line followed by a blank line is the headline."""

from __future__ import annotations

from search.ingest.formats.base import Format, Parsed, Record, text_parser
from search.ingest.formats.cleaning import clean_text


def parse_text(raw: str, key: str) -> Parsed:
    """One record: the headline as title when the file opens with one, else no title."""
    text = clean_text(raw)
    head, _, body = text.partition("\n")
    if len(head) <= 150 and body.startswith("\n") and body.strip():
        return [Record(head, body.strip())]
    return [Record("", text)]


FORMAT = Format("txt", (".txt",), text_parser(parse_text))
