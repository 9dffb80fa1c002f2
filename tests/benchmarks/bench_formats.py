"""Ingest throughput per format: documents per second from file to cleaned `Document`.

The same BBC articles are written in every format (real files, built with the real libraries
as the tests build them: pypdf, python-docx, warcio, the standard library's email package),
then read back through `Corpus` (read, gunzip, parse, clean). Speeds are also given as a ratio
to plain text measured in the same run, the figure that survives a noisy machine.

python tests/benchmarks/bench_formats.py [--docs N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from _common import BBC, require
from html_pages import bbc_articles, build_pages
from samples import (
    atom_bytes,
    docx_bytes,
    email_message,
    gz,
    mbox_bytes,
    pdf_bytes,
    rss_bytes,
    warc_bytes,
)

from search.ingest.corpus import Corpus

Article = tuple[str, list[str]]


def _txt(a: Article) -> str:
    return a[0] + "\n\n" + "\n\n".join(a[1]) + "\n"


def _lines(articles: list[Article]) -> str:
    rows = [json.dumps({"title": h, "text": "\n\n".join(p)}) for h, p in articles]
    return "\n".join(rows) + "\n"


def _pages(paragraphs: list[str], per_page: int = 3) -> list[list[str]]:
    # a PDF line per paragraph piece: the writer does not wrap text
    lines = [p[i : i + 90] for p in paragraphs for i in range(0, len(p), 90)]
    size = max(1, len(lines) // per_page + 1)
    return [lines[i : i + size] for i in range(0, len(lines), size)]


def _items(articles: list[Article]) -> list[dict[str, str]]:
    return [{"title": h, "link": f"https://example.org/{n}", "description": "\n".join(p),
             "pubDate": "Tue, 05 Mar 2024 09:30:00 GMT"} for n, (h, p) in enumerate(articles)]


def _entries(articles: list[Article]) -> list[dict[str, str]]:
    return [{"title": h, "link": f"https://example.org/{n}", "updated": "2024-03-05T09:30:00Z",
             "content": "".join(f"<p>{x}</p>" for x in p)} for n, (h, p) in enumerate(articles)]


def write_samples(root: Path, articles: list[Article]) -> dict[str, Path]:
    """One folder per format, each holding the same articles."""
    html = [p.html for p in build_pages(articles, len(articles))]
    one_per_file: dict[str, tuple[str, Callable[[int], bytes]]] = {
        "txt": (".txt", lambda i: _txt(articles[i]).encode()),
        "md": (".md", lambda i: ("# " + _txt(articles[i])).encode()),
        "html": (".html", lambda i: html[i].encode()),
        "json": (".json", lambda i: json.dumps({"title": articles[i][0],
                                                "text": articles[i][1]}).encode()),
        "pdf": (".pdf", lambda i: pdf_bytes(_pages(articles[i][1]), title=articles[i][0])),
        "eml": (".eml", lambda i: email_message(articles[i][0],
                                                "\n\n".join(articles[i][1])).as_bytes()),
        "docx": (".docx", lambda i: docx_bytes(articles[i][1], heading=articles[i][0])),
        "txt.gz": (".txt.gz", lambda i: gz(_txt(articles[i]))),
    }
    collections: dict[str, tuple[str, bytes]] = {
        "jsonl": (".jsonl", _lines(articles).encode()),
        "jsonl.gz": (".jsonl.gz", gz(_lines(articles))),
        "mbox": (".mbox", mbox_bytes([email_message(h, "\n\n".join(p)) for h, p in articles])),
        "warc": (".warc", warc_bytes([(f"https://example.org/{n}", page)
                                      for n, page in enumerate(html)], extra=False)),
        "warc.gz": (".warc.gz", warc_bytes([(f"https://example.org/{n}", page)
                                            for n, page in enumerate(html)],
                                           extra=False, gzipped=True)),
        "rss": (".rss", rss_bytes(_items(articles))),
        "atom": (".atom", atom_bytes(_entries(articles))),
    }
    folders = {}
    for name, (suffix, make) in one_per_file.items():
        folder = root / name
        folder.mkdir()
        for i in range(len(articles)):
            (folder / f"{i:05d}{suffix}").write_bytes(make(i))
        folders[name] = folder
    for name, (suffix, data) in collections.items():
        folder = root / name
        folder.mkdir()
        (folder / f"all{suffix}").write_bytes(data)
        folders[name] = folder
    return folders


def docs_per_second(folder: Path, rounds: int = 2) -> tuple[float, int, int]:
    """Best of `rounds` readings: documents per second, documents, skips."""
    best, docs, skips = 0.0, 0, 0
    for _ in range(rounds):
        corpus = Corpus([folder])
        started = time.perf_counter()
        docs = sum(1 for _ in corpus.documents())
        best = max(best, docs / (time.perf_counter() - started))
        skips = len(corpus.skipped)
    return best, docs, skips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    args = parser.parse_args()
    articles = bbc_articles(require(BBC))[:: max(1, 2225 // args.docs)][: args.docs]
    with tempfile.TemporaryDirectory() as tmp:
        folders = write_samples(Path(tmp), articles)
        docs_per_second(folders["html"], rounds=1)  # library imports outside the timing
        for name in ("pdf", "docx", "warc", "rss", "eml"):
            docs_per_second(folders[name], rounds=1)
        base = docs_per_second(folders["txt"])[0]
        print(f"{len(articles)} BBC articles per format; ratio = speed / plain text's")
        print(f"{'format':10}{'docs/s':>10}{'ratio':>8}{'docs':>7}{'skips':>7}")
        for name, folder in folders.items():
            speed, docs, skips = docs_per_second(folder)
            print(f"{name:10}{speed:10.0f}{speed / base:8.2f}{docs:7}{skips:7}")


if __name__ == "__main__":
    main()
