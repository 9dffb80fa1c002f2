"""Email: .eml and .mbox, headers as fields, the right part as text, one bad message alone."""

from __future__ import annotations

from pathlib import Path

from samples import email_message, mbox_bytes

from search.ingest.corpus import Corpus, Document


def read(folder: Path) -> tuple[dict[str, Document], list[str]]:
    corpus = Corpus([folder])
    docs = {d.id: d for d in corpus.documents()}
    return docs, [str(s) for s in corpus.skipped]


def test_eml_plain_part_headers_and_attachment_listed(tmp_path: Path) -> None:
    msg = email_message(
        "Leaked budget memo",
        "Dear desk,\n\nThe memo shows a shortfall of 2 billion.\n",
        html="<html><body><p>HTML twin of the <b>memo</b> text</p></body></html>",
        attachment=("memo-2024.pdf", b"%PDF" + b"x" * 4000),
        cc="Bob Stone <bob@example.org>",
    )
    (tmp_path / "tip.eml").write_bytes(msg.as_bytes())
    docs, skips = read(tmp_path)
    assert skips == []
    doc = docs["tip.eml"]
    assert doc.title == "Leaked budget memo"
    assert doc.date == "2024-03-05"
    assert doc.sender == "Ana Lopez <ana@example.org>"
    assert doc.recipients == "Desk <desk@example.org>, Bob Stone <bob@example.org>"
    # the plain part, not the HTML twin; the attachment by name, type and size
    assert "shortfall of 2 billion" in doc.text and "HTML twin" not in doc.text
    assert doc.text.endswith("Attachments: memo-2024.pdf (application/pdf, 4 KB)")


def test_eml_with_only_html_is_made_text(tmp_path: Path) -> None:
    msg = email_message("Newsletter", "")
    msg.set_content("<div><p>First story.</p><p>Second &amp; last.</p><script>x()</script></div>",
                    subtype="html")
    (tmp_path / "news.eml").write_bytes(msg.as_bytes())
    docs, _ = read(tmp_path)
    assert docs["news.eml"].text == "First story.\n\nSecond & last."


def test_mbox_gives_one_document_per_message_and_skips_the_broken_one(tmp_path: Path) -> None:
    first = email_message("Meeting moved", "From now on we meet on Tuesdays.\n")
    third = email_message("Re: Meeting moved", "Fine by me.\n", sender="Kim <kim@example.org>")
    broken = b"this line is no header\n\nand nothing says who sent it\n"
    (tmp_path / "inbox.mbox").write_bytes(mbox_bytes([first, broken, third]))
    docs, skips = read(tmp_path)
    assert sorted(docs) == ["inbox.mbox:1", "inbox.mbox:3"]
    # a body line starting "From " is quoted in an mbox and given back unquoted
    assert docs["inbox.mbox:1"].text == "From now on we meet on Tuesdays."
    assert docs["inbox.mbox:3"].sender == "Kim <kim@example.org>"
    assert all(d.path == "inbox.mbox" for d in docs.values())
    assert skips == ["inbox.mbox:2: not an email message: no headers"]


def test_a_file_that_is_no_mbox_and_an_unknown_charset(tmp_path: Path) -> None:
    (tmp_path / "notes.mbox").write_text("Just some notes\n", encoding="utf-8")
    raw = (b"Subject: Odd charset\nFrom: x@example.org\n"
           b"Content-Type: text/plain; charset=x-made-up\n\nCaf\xe9 society\n")
    (tmp_path / "odd.eml").write_bytes(raw)
    docs, skips = read(tmp_path)
    assert skips == ['notes.mbox: not an mbox: it does not start with a "From " line']
    assert docs["odd.eml"].title == "Odd charset"
    assert docs["odd.eml"].text.startswith("Caf") and docs["odd.eml"].text.endswith("society")
