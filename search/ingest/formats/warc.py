"""Web archives (.warc, and .warc.gz through `compressed`) with warcio: one document per page.

Every successful HTML response (or HTML resource record, as Webrecorder writes them) is read as
an HTML page (`html.page_record`), with the archived URL and the page's own published date, else
the crawl date. Record N of the file (counting every record from 1) is the document
`file.warc:N`. The other records (requests, metadata, images, redirects…) are no documents: they
are counted in one skip per file, by kind, rather than listed one by one.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

from search.ingest.formats.base import Format, Parsed, Record, error_reason
from search.ingest.formats.html import page_record
from search.results import Skip

_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _content_type(record: Any) -> str:
    if record.http_headers is not None:
        return str(record.http_headers.get_header("Content-Type") or "")
    return str(record.rec_headers.get_header("Content-Type") or "")


def _decode(payload: bytes, content_type: str) -> str:
    m = _CHARSET.search(content_type)
    try:
        return payload.decode(m[1] if m else "utf-8")
    except (LookupError, UnicodeDecodeError):
        return payload.decode("cp1252", "replace")


def _kind(record: Any, content_type: str) -> str | None:
    """Why a record is not a page (e.g. "request", "response image/png"), or None for a page."""
    if record.rec_type not in ("response", "resource"):
        return str(record.rec_type or "record of no type")
    mime = content_type.split(";", 1)[0].strip().lower() or "without a type"
    if mime not in _HTML_TYPES:
        return f"{record.rec_type} {mime}"
    status = record.http_headers.get_statuscode() if record.http_headers is not None else "200"
    if not str(status).startswith("2"):
        return f"response status {status}"
    return None


def _page(record: Any, content_type: str, number: int) -> Record:
    page = page_record(_decode(record.content_stream().read(), content_type))
    url = record.rec_headers.get_header("WARC-Target-URI") or page.url
    crawled = str(record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    return page._replace(url=url, date=page.date or crawled, line=number)


def _summary(others: Counter[str]) -> str:
    kinds = ", ".join(f"{n} {kind}" for kind, n in others.most_common())
    total = sum(others.values())
    return f"{total} record{'s' * (total != 1)} not HTML pages, not indexed: {kinds}"


def parse_warc(data: bytes, key: str) -> Parsed:
    """One record per HTML page; the other records counted in one skip."""
    from warcio.archiveiterator import ArchiveIterator

    found: Parsed = []
    others: Counter[str] = Counter()
    number = 0
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data)), 1):
            content_type = _content_type(record)
            kind = _kind(record, content_type)
            if kind is not None:
                others[kind] += 1
                continue
            try:
                found.append(_page(record, content_type, number))
            except Exception as err:  # noqa: BLE001 - one bad page must not cost the archive
                found.append(Skip(key, f"cannot read archived page: {error_reason(err)}", number))
    except Exception as err:  # noqa: BLE001 - warcio raises several kinds on damaged files
        where = f"after record {number}" if number else "at its start"
        found.append(Skip(key, f"cannot read WARC {where}: {error_reason(err)}"))
    if others:
        found.append(Skip(key, _summary(others)))
    return found


FORMAT = Format("warc", (".warc",), parse_warc, collection=True)
