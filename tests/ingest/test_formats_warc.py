"""WARC: a document per HTML page with its URL and date, the other records counted."""

from __future__ import annotations

from pathlib import Path

from samples import article_html, warc_bytes

from search.ingest.corpus import Corpus, Document


def read(folder: Path) -> tuple[dict[str, Document], list[str]]:
    corpus = Corpus([folder])
    docs = {d.id: d for d in corpus.documents()}
    return docs, [str(s) for s in corpus.skipped]


PAGES = [
    ("https://news.example.org/2023/ports", article_html(
        "Port strike ends", ["Dockers returned to work on Monday."], date="2023-06-12T08:00:00Z")),
    ("https://news.example.org/live", article_html("Live: election night", ["Polls have closed."])),
]


def test_html_responses_become_documents_and_other_records_are_counted(tmp_path: Path) -> None:
    (tmp_path / "crawl.warc").write_bytes(warc_bytes(PAGES))
    docs, skips = read(tmp_path)
    # records: request 1, response 2, request 3, response 4, image 5
    assert sorted(docs) == ["crawl.warc:2", "crawl.warc:4"]
    strike, live = docs["crawl.warc:2"], docs["crawl.warc:4"]
    assert (strike.title, strike.text) == ("Port strike ends", "Dockers returned to work on Monday.")
    assert strike.url == "https://news.example.org/2023/ports"
    # the page's own date when it has one, else the crawl date
    assert (strike.date, live.date) == ("2023-06-12", "2024-05-01")
    assert skips == [("crawl.warc: 3 records not HTML pages, not indexed: 2 request, "
                     "1 response image/png")]


def test_warc_gz_and_a_damaged_archive_keep_what_was_read(tmp_path: Path) -> None:
    (tmp_path / "a.warc.gz").write_bytes(warc_bytes(PAGES[:1], extra=False, gzipped=True))
    whole = warc_bytes(PAGES, extra=False)
    (tmp_path / "b.warc").write_bytes(whole + b"garbage where a record should start\r\n\r\n")
    (tmp_path / "c.warc").write_bytes(b"<html>not an archive</html>")
    docs, skips = read(tmp_path)
    assert sorted(docs) == ["a.warc.gz:1", "b.warc:1", "b.warc:2"]
    assert docs["a.warc.gz:1"].title == "Port strike ends"
    assert skips[0].startswith("b.warc: cannot read WARC after record 2:")
    assert skips[1].startswith("c.warc: cannot read WARC at its start:")
    assert len(skips) == 2
