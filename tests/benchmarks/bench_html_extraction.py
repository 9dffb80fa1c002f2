"""News-page extraction: how much article text is kept and how much furniture leaks.

BBC articles are wrapped in four realistic site templates (`html_pages`), and each extractor's
output, cleaned as the corpus cleans it, is scored against the truth of each page:

- kept: share of the article's words found in the output (multiset overlap), and share of its
  paragraphs found whole;
- leaked: share of the furniture pieces (menu items, cookie banner, related headlines, "Read
  more" links, comments and their authors, footer) found whole in the output;
- date: share of pages whose published date was found; title: share whose headline is exact.

python tests/benchmarks/bench_html_extraction.py [--pages N] [--seed S]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BBC, require
from html_pages import TEMPLATES, Page, bbc_articles, build_pages

from search.ingest.formats import html as html_format
from search.ingest.formats.cleaning import clean_text, clean_title

Extracted = tuple[str, str, str | None]
"""title, text, date"""


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def rules(page: str) -> Extracted:
    rec = html_format.rules_record(page)
    return clean_title(rec.title), clean_text(rec.text), rec.date


def _trafilatura(page: str, **options: bool) -> Extracted:
    import trafilatura

    doc = trafilatura.bare_extraction(page, include_comments=False, include_tables=True,
                                      with_metadata=True, **options)
    if doc is None:
        return "", "", None
    return clean_title(doc.title or ""), clean_text(doc.text or ""), doc.date


def trafilatura_default(page: str) -> Extracted:
    return _trafilatura(page)


def trafilatura_fast(page: str) -> Extracted:
    return _trafilatura(page, fast=True)


def shipped(page: str) -> Extracted:
    rec = html_format.page_record(page)
    return clean_title(rec.title), clean_text(rec.text), rec.date


EXTRACTORS: dict[str, Callable[[str], Extracted]] = {
    "rules (before)": rules,
    "trafilatura": trafilatura_default,
    "trafilatura fast (no fallbacks)": trafilatura_fast,
    "shipped (html.page_record)": shipped,
}


def score(page: Page, out: Extracted) -> dict[str, float]:
    title, text, found_date = out
    got = _norm(text)
    words = Counter(got.split())
    truth = Counter(_norm(" ".join(page.paragraphs)).split())
    kept_words = sum((truth & words).values()) / max(1, sum(truth.values()))
    kept_pars = sum(_norm(p) in got for p in page.paragraphs) / len(page.paragraphs)
    # a piece counts as leaked only when it is not also article text (a headline quoted in it)
    body = _norm(" ".join(page.paragraphs))
    pieces = [p for p in set(page.furniture) if _norm(p) and _norm(p) not in body]
    leaked = sum(f" {_norm(p)} " in f" {got} " for p in pieces) / max(1, len(pieces))
    return {
        "kept words": kept_words,
        "kept paragraphs": kept_pars,
        "furniture leaked": leaked,
        "date found": float(found_date is not None and found_date[:10] == page.published),
        "title exact": float(title == " ".join(page.headline.split())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    pages = build_pages(bbc_articles(require(BBC)), args.pages, args.seed)
    print(f"{len(pages)} pages, {len(TEMPLATES)} templates, seed {args.seed}")
    for name, extract in EXTRACTORS.items():
        extract(pages[0].html)  # imports and warm-up outside the timing
        totals: dict[str, Counter[str]] = {}
        started = time.perf_counter()
        outputs = [extract(p.html) for p in pages]
        elapsed = time.perf_counter() - started
        for page, out in zip(pages, outputs, strict=True):
            for template in (page.template, "all"):
                totals.setdefault(template, Counter()).update(score(page, out))
        counts = Counter(p.template for p in pages)
        counts["all"] = len(pages)
        print(f"\n{name}: {len(pages) / elapsed:.0f} pages/s")
        metrics = list(totals["all"])
        print(f"  {'template':18}" + "".join(f"{m:>18}" for m in metrics))
        for template, sums in sorted(totals.items(), key=lambda t: t[0] == "all"):
            cells = "".join(f"{sums[m] / counts[template]:>17.1%} " for m in metrics)
            print(f"  {template:18}{cells}")


if __name__ == "__main__":
    main()
