"""Real sample files of every format, built with the real libraries (for tests and benchmarks).

PDFs are written with pypdf (a text layer in the standard Helvetica font, optional encryption),
DOCX with python-docx, WARC with warcio's writer; emails, mboxes and feeds are plain text built
with the standard library's `email` package and string templates.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from xml.sax.saxutils import escape


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("latin-1", "replace")


def pdf_bytes(
    pages: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    author: str | None = None,
    created: str | None = None,
    password: str | None = None,
) -> bytes:
    """A PDF with one page per item of `pages`, each a list of lines (an empty list: no text)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        ops = [b"BT /F1 11 Tf 14 TL 72 720 Td"]
        ops += [b"(" + _pdf_string(line) + b") Tj T*" for line in lines]
        ops.append(b"ET")
        stream = DecodedStreamObject()
        stream.set_data(b"\n".join(ops) if lines else b"0 0 m 100 100 l S")
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    info = {"/Title": title, "/Author": author, "/CreationDate": created}
    writer.add_metadata({k: v for k, v in info.items() if v is not None})
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def email_message(
    subject: str,
    body: str,
    *,
    sender: str = "Ana Lopez <ana@example.org>",
    to: str = "Desk <desk@example.org>",
    cc: str | None = None,
    html: str | None = None,
    attachment: tuple[str, bytes] | None = None,
    when: datetime = datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
) -> EmailMessage:
    """An email with a plain part, optionally an HTML alternative and one attachment."""
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, sender, to
    if cc:
        msg["Cc"] = cc
    msg["Date"] = format_datetime(when)
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    if attachment is not None:
        name, data = attachment
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return msg


def mbox_bytes(messages: Sequence[EmailMessage | bytes]) -> bytes:
    """An mbox: each message after a "From " line, "From " in bodies quoted as ">From "."""
    out = []
    for msg in messages:
        raw = msg if isinstance(msg, bytes) else msg.as_bytes()
        lines = [b">" + ln if ln.startswith(b"From ") else ln for ln in raw.split(b"\n")]
        out.append(b"From sender@example.org Tue Mar  5 09:30:00 2024\n" + b"\n".join(lines))
    return b"\n".join(out) + b"\n"


def docx_bytes(
    paragraphs: Sequence[str], *, title: str | None = None, heading: str | None = None,
    author: str | None = None, table: Sequence[Sequence[str]] = (),
) -> bytes:
    """A Word document: an optional heading, paragraphs, an optional table."""
    import docx

    document = docx.Document()
    if title is not None:
        document.core_properties.title = title
    if author is not None:
        document.core_properties.author = author
    if heading is not None:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def article_html(title: str, paragraphs: Sequence[str], *, date: str | None = None) -> str:
    """A small news page: a head with metadata, navigation, the article, a footer."""
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title>{meta}</head><body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>© Example News</footer></body></html>"
    )


def warc_bytes(
    pages: Sequence[tuple[str, str]], *, extra: bool = True, gzipped: bool = False
) -> bytes:
    """A WARC with a response per (url, html) page, and optionally a request and a non-HTML
    response (an image) that are not documents."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    warc_date = "2024-05-01T12:00:00Z"
    for url, page in pages:
        if extra:
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), http_headers=req,
                warc_headers_dict={"WARC-Date": warc_date}))
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(page.encode()), http_headers=headers,
            warc_headers_dict={"WARC-Date": warc_date}))
    if extra:
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://example.org/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n"),
            http_headers=image, warc_headers_dict={"WARC-Date": warc_date}))
    return out.getvalue()


def rss_bytes(items: Sequence[dict[str, str]], *, channel: str = "Example Wire") -> bytes:
    """An RSS 2.0 feed; items have title, link, description and optionally pubDate, author."""
    parts = [f"<item>{''.join(f'<{k}>{escape(v)}</{k}>' for k, v in item.items())}</item>"
             for item in items]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(channel)}</title><link>https://example.org/</link>"
        f"{''.join(parts)}</channel></rss>"
    ).encode()


def atom_bytes(entries: Sequence[dict[str, str]], *, feed: str = "Example Atom") -> bytes:
    """An Atom feed; entries have title, link, content, updated and optionally author."""
    parts = []
    for e in entries:
        author = f"<author><name>{escape(e['author'])}</name></author>" if "author" in e else ""
        parts.append(
            f"<entry><title>{escape(e['title'])}</title><link href=\"{escape(e['link'])}\"/>"
            f"<id>{escape(e['link'])}</id><updated>{e['updated']}</updated>{author}"
            f"<content type=\"html\">{escape(e['content'])}</content></entry>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(feed)}</title><id>urn:example</id><updated>2024-01-01T00:00:00Z</updated>"
        f"{''.join(parts)}</feed>"
    ).encode()


def gz(data: bytes | str) -> bytes:
    """`data` gzipped (text as UTF-8)."""
    return gzip.compress(data.encode() if isinstance(data, str) else data)
