"""RSS and Atom feeds (.rss, .atom, .xml) with feedparser: one document per item.

Each item gives its title, link, published (else updated) date, author and content (the full
content when the feed carries it, else the summary), made text from its HTML; the feed's title
is the source. Item N (counting from 1) is the document `feed.xml:N`. The bytes are handed to
feedparser as data, never as a name: it would fetch a URL or open a file named so.
"""

from __future__ import annotations

import time
from typing import Any

from search.ingest.formats.base import Format, Parsed, Record, error_reason
from search.ingest.formats.html import html_to_text
from search.results import Skip


def _date(entry: Any) -> str | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        when = entry.get(field)
        if isinstance(when, time.struct_time):
            return time.strftime("%Y-%m-%d", when)
    return None


def _text(entry: Any) -> str:
    contents = entry.get("content") or []
    value = max((c.get("value", "") for c in contents), key=len, default="")
    value = value or entry.get("summary", "")
    return html_to_text(value) if "<" in value else value


def parse_feed(data: bytes, key: str) -> Parsed:
    """One record per item of the feed."""
    from xml.sax import SAXParseException

    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
            return [Skip(key, f"cannot read feed: {error_reason(parsed['bozo_exception'])}")]
        if not parsed.get("version"):
            return [Skip(key, "not an RSS or Atom feed")]
        return [Skip(key, "feed has no items")]
    source = parsed.feed.get("title") or None
    found: Parsed = []
    for n, entry in enumerate(parsed.entries, 1):
        try:
            found.append(Record(
                entry.get("title", ""), _text(entry), _date(entry), entry.get("link") or None,
                source, sender=entry.get("author") or None, line=n,
            ))
        except Exception as err:  # noqa: BLE001 - one bad item must not cost the feed
            found.append(Skip(key, f"cannot read item: {error_reason(err)}", n))
    damage = parsed.get("bozo_exception")
    if isinstance(damage, SAXParseException):  # items were recovered from a damaged file
        where = f"line {damage.getLineNumber()}, column {damage.getColumnNumber()}"
        found.append(Skip(key, f"feed damaged at {where} ({damage.getMessage()}): "
                               f"the items before it were read"))
    return found


FORMAT = Format("feed", (".rss", ".atom", ".xml"), parse_feed, collection=True)
