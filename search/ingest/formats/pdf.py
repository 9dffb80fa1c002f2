"""PDF (.pdf) with pypdfium2: the text layer page by page, pages separated by a form feed.

The page breaks stay in the body ("\\f", see `cleaning`), so that the page of any match is the
number of breaks before it plus one. Title and author come from the document information (else
the title is the first line), the date from its creation date. A PDF whose pages have no text
layer (a scan) is skipped as "no text (scanned?)"; an encrypted or damaged one with the reason
PDFium gives.
"""

from __future__ import annotations

import re

from search.ingest.formats.base import Format, Parsed, Record
from search.results import Skip

_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})(\d{2})")
_PASSWORD = "password"


def _date(value: str) -> str | None:
    """A PDF date ("D:20240131093000+01'00'") as YYYY-MM-DD."""
    m = _PDF_DATE.match(value.strip())
    if m is None or not ("01" <= m[2] <= "12" and "01" <= m[3] <= "31"):
        return None
    return f"{m[1]}-{m[2]}-{m[3]}"


def parse_pdf(data: bytes, key: str) -> Parsed:
    """One record: every page's text, a form feed between pages."""
    import pypdfium2 as pdfium  # loads PDFium, a native library: only when a PDF is met

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        message = str(err)
        if _PASSWORD in message.lower():
            return [Skip(key, "encrypted PDF: it needs a password to be read")]
        return [Skip(key, f"cannot read PDF: {message.rstrip('.')}")]
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_bounded())
            finally:
                textpage.close()
                page.close()
        meta = pdf.get_metadata_dict(skip_empty=True)
    finally:
        pdf.close()
    if not pages:
        return [Skip(key, "PDF has no pages")]
    if not any(page.strip() for page in pages):
        pages_without = f"{len(pages)} page{'s' * (len(pages) != 1)} without a text layer"
        return [Skip(key, f"no text (scanned?): {pages_without}")]
    text = "\f".join(page.replace("\f", "") for page in pages)
    date = _date(meta.get("CreationDate", "")) or _date(meta.get("ModDate", ""))
    return [Record(meta.get("Title", ""), text, date, sender=meta.get("Author"))]


FORMAT = Format("pdf", (".pdf",), parse_pdf)
