"""DOCX: paragraphs and tables in order, title from the properties or the first heading."""

from __future__ import annotations

from pathlib import Path

from samples import docx_bytes

from search.ingest.corpus import Corpus, Document


def read(folder: Path) -> tuple[dict[str, Document], list[str]]:
    corpus = Corpus([folder])
    docs = {d.id: d for d in corpus.documents()}
    return docs, [str(s) for s in corpus.skipped]


def test_title_from_core_properties_and_tables_read_in_order(tmp_path: Path) -> None:
    data = docx_bytes(
        ["Exports fell for a third month.", "The ministry blamed the strong currency."],
        title="Trade figures for March", author="Statistics Office",
        table=[["Month", "Exports"], ["March", "41.2bn"]],
    )
    (tmp_path / "trade.docx").write_bytes(data)
    docs, skips = read(tmp_path)
    assert skips == []
    doc = docs["trade.docx"]
    assert (doc.title, doc.sender) == ("Trade figures for March", "Statistics Office")
    assert doc.text == ("Exports fell for a third month.\n\nThe ministry blamed the strong "
                        "currency.\n\nMonth | Exports\n\nMarch | 41.2bn")


def test_first_heading_is_the_title_when_the_properties_have_none(tmp_path: Path) -> None:
    data = docx_bytes(["Rain is expected all week."], heading="Storm warning for the coast")
    (tmp_path / "storm.docx").write_bytes(data)
    docs, _ = read(tmp_path)
    assert docs["storm.docx"].title == "Storm warning for the coast"
    assert docs["storm.docx"].text == "Rain is expected all week."


def test_corrupt_and_protected_documents_are_named(tmp_path: Path) -> None:
    good = docx_bytes(["Fine."])
    (tmp_path / "cut.docx").write_bytes(good[: len(good) // 2])
    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (tmp_path / "ok.docx").write_bytes(good)
    docs, skips = read(tmp_path)
    assert list(docs) == ["ok.docx"]
    assert skips[0].startswith("cut.docx: cannot read DOCX: BadZipFile")
    assert skips[1] == ("locked.docx: encrypted Word document or an old .doc: "
                        "save it as .docx without a password")
