"""New formats end to end: from/to fields searchable, PDF pages in snippets and whole documents."""

from __future__ import annotations

import io
import json
from pathlib import Path

from conftest import DictExtractor, fake_settings
from rich.console import Console
from samples import email_message, mbox_bytes, pdf_bytes

import search
from search.index.indexer import build
from search.terminal import render


def make_index(tmp_path: Path) -> Path:
    corpus = tmp_path / "pile"
    corpus.mkdir()
    mails = [
        email_message("Budget memo", "The shortfall is two billion."),
        email_message("Lunch on Tuesday", "Shall we meet at noon?",
                      sender="Kim Park <kim@example.org>", to="Ana Lopez <ana@example.org>"),
    ]
    (corpus / "inbox.mbox").write_bytes(mbox_bytes(mails))
    pages = [["Annual report", "Revenue grew in every region."], ["Costs were flat."],
             ["The shortfall in the pension fund widened."]]
    (corpus / "report.pdf").write_bytes(pdf_bytes(pages, author="Finance Office"))
    index = tmp_path / "index"
    build([corpus], index, settings=fake_settings(), extractor=DictExtractor({"Kim Park": "person"}))
    return index


def test_from_and_to_are_fields_with_aliases(tmp_path: Path) -> None:
    with search.open(make_index(tmp_path)) as s:
        def ids(query: str) -> list[str]:
            return sorted(h.id for h in s.search(query).hits)

        assert ids("from:lopez") == ["inbox.mbox:1"]
        assert ids("from:kim@example.org") == ["inbox.mbox:2"]
        assert ids("to:ana") == ["inbox.mbox:2"]
        assert ids("sender:finance") == ["report.pdf"]
        assert ids("shortfall AND from:lopez") == ["inbox.mbox:1"]
        doc = s.document("inbox.mbox:2")
        assert (doc.sender, doc.recipients) == ("Kim Park <kim@example.org>",
                                                "Ana Lopez <ana@example.org>")


def test_pdf_snippets_name_their_page_and_documents_show_pages(tmp_path: Path) -> None:
    with search.open(make_index(tmp_path)) as s:
        hit = next(h for h in s.search("pension").hits if h.id == "report.pdf")
        assert [f.page for f in hit.snippets] == [3]
        assert json.loads(json.dumps(hit.to_dict()))["snippets"][0]["page"] == 3
        mail = s.search("from:lopez").hits[0]
        assert "page" not in mail.to_dict()["snippets"][0]
        doc = s.document("report.pdf")
    buffer = io.StringIO()
    Console(file=buffer, width=80, theme=render.THEME, color_system=None).print(
        render.document(doc))
    shown = buffer.getvalue()
    assert "── page 2 ──" in shown and "── page 3 ──" in shown
    assert shown.index("Costs were flat.") < shown.index("── page 3 ──") < shown.index("pension")
    assert "\f" not in shown
    line = io.StringIO()
    Console(file=line, width=80, theme=render.THEME, color_system=None).print(
        render.fragment(hit.snippets[0]))
    assert line.getvalue().startswith("p. 3  The shortfall in the pension fund")
