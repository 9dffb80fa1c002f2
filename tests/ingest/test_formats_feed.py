"""RSS and Atom: a document per item with link, date, author and the feed as source."""

from __future__ import annotations

from pathlib import Path

from samples import atom_bytes, rss_bytes

from search.ingest.corpus import Corpus, Document


def read(folder: Path) -> tuple[dict[str, Document], list[str]]:
    corpus = Corpus([folder])
    docs = {d.id: d for d in corpus.documents()}
    return docs, [str(s) for s in corpus.skipped]


def test_rss_items(tmp_path: Path) -> None:
    items = [
        {"title": "Mayor resigns", "link": "https://wire.example.org/1",
         "description": "<p>The mayor <b>resigned</b> on Friday.</p><script>x()</script>",
         "pubDate": "Fri, 08 Mar 2024 17:05:00 GMT", "author": "desk@wire.example.org (Desk)"},
        {"title": "Bridge reopens", "link": "https://wire.example.org/2",
         "description": "Traffic flows again."},
    ]
    (tmp_path / "wire.rss").write_bytes(rss_bytes(items))
    docs, skips = read(tmp_path)
    assert skips == []
    first, second = docs["wire.rss:1"], docs["wire.rss:2"]
    assert (first.title, first.text) == ("Mayor resigns", "The mayor resigned on Friday.")
    assert (first.url, first.date, first.source) == (
        "https://wire.example.org/1", "2024-03-08", "Example Wire")
    assert first.sender == "desk@wire.example.org (Desk)"
    assert (second.text, second.date) == ("Traffic flows again.", None)


def test_atom_entries(tmp_path: Path) -> None:
    entries = [{"title": "Court rules on data", "link": "https://atom.example.org/a",
                "content": "<p>The court <em>ruled</em>.</p><p>An appeal is likely.</p>",
                "updated": "2024-02-03T10:00:00Z", "author": "Kim Park"}]
    (tmp_path / "court.atom").write_bytes(atom_bytes(entries))
    docs, _ = read(tmp_path)
    doc = docs["court.atom:1"]
    assert doc.text == "The court ruled.\n\nAn appeal is likely."
    assert (doc.date, doc.sender, doc.source) == ("2024-02-03", "Kim Park", "Example Atom")


def test_xml_that_is_no_feed_and_a_truncated_feed(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text("<urlset><url><loc>x</loc></url></urlset>")
    feed = rss_bytes([{"title": "Kept item", "link": "https://x/1", "description": "Intact."},
                      {"title": "Lost item", "link": "https://x/2", "description": "Gone."}])
    (tmp_path / "cut.rss").write_bytes(feed[: feed.index(b"Lost")])
    docs, skips = read(tmp_path)
    assert list(docs) == ["cut.rss:1"]
    cut_at = len(feed[: feed.index(b"Lost")])
    assert skips == [
        (f"cut.rss: feed damaged at line 1, column {cut_at} (no element found): "
        "the items before it were read"),
        "cut.rss:2: record has neither title nor text",
        "sitemap.xml: not an RSS or Atom feed",
    ]
