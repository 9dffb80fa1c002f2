"""Word documents (.docx) with python-docx: paragraphs and tables in reading order.

The title is the core properties' title, else the first heading (which then leaves the body, as
an HTML page's headline does); author and creation date come from the core properties. A
password-protected .docx is not a zip file but an OLE container: it is reported as such, and so
is the old binary .doc format saved under the new suffix.
"""

from __future__ import annotations

import io
from typing import Any

from search.ingest.formats.base import Format, Parsed, Record, error_reason
from search.results import Skip

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _blocks(document: Any) -> list[tuple[str, str]]:
    """(style name, text) of each paragraph and table row, in document order."""
    from docx.table import Table

    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = [" ".join(cell.text.split()) for cell in row.cells]
                # a merged cell repeats in every column it spans: keep one
                unique = [c for i, c in enumerate(cells) if c and c not in cells[:i]]
                blocks.append(("Table", " | ".join(unique)))
        else:
            # resolving a paragraph's style walks the style sheet: only for styled ones
            style = item.style if item._p.style is not None else None
            blocks.append((style.name or "" if style is not None else "", item.text))
    return [(style, text) for style, text in blocks if text.strip()]


def parse_docx(data: bytes, key: str) -> Parsed:
    """One record per document."""
    if data.startswith(_OLE):
        reason = "encrypted Word document or an old .doc: save it as .docx without a password"
        return [Skip(key, reason)]
    import docx  # python-docx, with lxml: only when a .docx is met

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
        props = document.core_properties
        title, author, created = props.title or "", props.author or None, props.created
    except Exception as err:  # noqa: BLE001 - zip, XML and package errors alike
        return [Skip(key, f"cannot read DOCX: {error_reason(err)}")]
    if not title:
        heading = next((i for i, (s, _) in enumerate(blocks) if s.startswith(("Heading", "Title"))), None)
        if heading is not None:
            title = blocks.pop(heading)[1]
    text = "\n\n".join(text for _, text in blocks)
    date = created.date().isoformat() if created is not None else None
    return [Record(title, text, date, sender=author)]


FORMAT = Format("docx", (".docx",), parse_docx)
