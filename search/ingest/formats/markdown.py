"""Markdown (.md, .markdown): YAML-ish front matter, the first H1 (or a leading H2) as title."""

from __future__ import annotations

import re

from search.ingest.formats.base import Format, Parsed, Record, text_parser
from search.ingest.formats.cleaning import clean_text, parse_date

_ATX = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_SETEXT_H1 = re.compile(r" {0,3}=+[ \t]*")
_FENCE = re.compile(r" {0,3}(?:```|~~~)")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_INLINE = ((re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),
              (re.compile(r"(\*\*|__|\*|`)(.+?)\1"), r"\2"))


def parse_markdown(raw: str, key: str) -> Parsed:
    """One record; front matter gives title, date, url and source when present."""
    text, meta = clean_text(raw), dict[str, str]()
    if front := _FRONT_MATTER.match(text):
        pairs = (entry.partition(":") for entry in front[1].split("\n"))
        meta = {k.strip().lower(): v.strip().strip("\"'") for k, sep, v in pairs if sep}
        text = text[front.end() :].strip()
    lines = text.split("\n")
    title, span, fenced, first = "", (0, 0), False, True
    for i, line in enumerate(lines):
        if _FENCE.match(line):  # a "# comment" inside a code block is not a heading
            fenced, first = not fenced, False
            continue
        if fenced or not line.strip():
            continue
        atx = _ATX.fullmatch(line)
        setext = not atx and i + 1 < len(lines) and _SETEXT_H1.fullmatch(lines[i + 1])
        if setext or atx and atx[1] == "#":
            title, span = (atx[2] if atx else line), (i, i + (1 if atx else 2))
            break
        # a document opening with "## Heading": that is its title unless an H1 follows
        if atx and first:
            title, span = atx[2], (i, i + 1)
        first = False
    if meta.get("title"):
        title = meta["title"]
    elif title:
        text = "\n".join(lines[: span[0]] + lines[span[1] :]).strip()
        for pattern, repl in _MD_INLINE:
            title = pattern.sub(repl, title)
    date = parse_date(meta["date"]) if meta.get("date") else None
    url, source = meta.get("url") or None, meta.get("source") or None
    return [Record(title, text, date, url, source)]


FORMAT = Format("md", (".md", ".markdown"), text_parser(parse_markdown))
