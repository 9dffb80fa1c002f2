"""PDF: text per page with the page breaks kept, metadata, and every unreadable kind named."""

from __future__ import annotations

from pathlib import Path

from samples import pdf_bytes

from search.ingest.corpus import Corpus


def read(folder: Path) -> tuple[dict[str, object], list[str]]:
    corpus = Corpus([folder])
    docs = {d.id: d for d in corpus.documents()}
    return docs, sorted(str(s) for s in corpus.skipped)


def test_pages_are_kept_apart_and_metadata_read(tmp_path: Path) -> None:
    pages = [["Budget talks stall in Brussels", "Ministers met on Monday."],
             ["Negotiators blamed the farm subsidies."], ["Talks resume in June."]]
    data = pdf_bytes(pages, title="EU budget report", author="Ana Lopez",
                     created="D:20240131093000+01'00'")
    (tmp_path / "report.pdf").write_bytes(data)
    docs, skips = read(tmp_path)
    assert skips == []
    doc = docs["report.pdf"]
    assert (doc.title, doc.date, doc.sender) == ("EU budget report", "2024-01-31", "Ana Lopez")
    pages_text = doc.text.split("\f")
    assert len(pages_text) == 3
    assert "Ministers met on Monday." in pages_text[0]
    assert "farm subsidies" in pages_text[1] and "June" in pages_text[2]
    assert "\r" not in doc.text


def test_title_from_the_first_line_and_empty_pages_still_count(tmp_path: Path) -> None:
    data = pdf_bytes([[], ["Flood warning issued", "Rivers rose overnight."]])
    (tmp_path / "scan-cover.pdf").write_bytes(data)
    docs, _ = read(tmp_path)
    doc = docs["scan-cover.pdf"]
    assert doc.title == "Flood warning issued"
    # the image-only first page is still a page: the text is on page 2
    assert doc.text.startswith("\f") and doc.text.count("\f") == 1


def test_scanned_encrypted_and_corrupt_pdfs_are_named_with_their_reason(tmp_path: Path) -> None:
    good = pdf_bytes([["A page with text."]])
    (tmp_path / "scan.pdf").write_bytes(pdf_bytes([[], []]))
    (tmp_path / "secret.pdf").write_bytes(pdf_bytes([["Hidden text."]], password="s3cret"))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    (tmp_path / "cut.pdf").write_bytes(good[: len(good) // 3])
    (tmp_path / "ok.pdf").write_bytes(good)
    docs, skips = read(tmp_path)
    assert list(docs) == ["ok.pdf"]
    assert skips[0].startswith("broken.pdf: cannot read PDF:")
    assert skips[1].startswith("cut.pdf: cannot read PDF:")
    assert skips[2:] == [
        "scan.pdf: no text (scanned?): 2 pages without a text layer",
        "secret.pdf: encrypted PDF: it needs a password to be read",
    ]


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["Open to read."]]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    (tmp_path / "restricted.pdf").write_bytes(out.getvalue())
    docs, skips = read(tmp_path)
    assert skips == [] and docs["restricted.pdf"].text == "Open to read."
