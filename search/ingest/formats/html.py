"""HTML (.html, .htm): the article's text, title, date, canonical URL and site name.

The text is that of the page's largest `<article>` (or `<main>`, or `role="main"`), without the
elements that are never article text (navigation, headers, footers, asides, forms, scripts);
what is left of the site's furniture, line by line, is for the boilerplate rules of cleaning.
`page_record` is shared with the formats that carry web pages (WARC); `html_to_text` with those
that carry HTML fragments (an email's HTML part, a feed item's content).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from search.ingest.formats.base import Format, Parsed, Record, text_parser
from search.ingest.formats.cleaning import clean_title, parse_date

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

# fmt: off
_HTML_DROP = frozenset(("script", "style", "nav", "footer", "header", "aside", "noscript",
                        "template", "form", "iframe", "svg", "button", "select"))
_HTML_BLOCKS = frozenset((
    "address", "article", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p",
    "pre", "section", "summary", "table", "td", "th", "tr", "ul"))
_HTML_DATES = ('meta[property="article:published_time"]', 'meta[name="date"]',
               'meta[name="pubdate"]', 'meta[itemprop="datePublished"]')
_WORD = re.compile(r"\w+")
_MAIN_CONTENT_MAX = 500_000
"""Characters of visible text above which a page is no article page: the rules alone read it."""
# fmt: on


def _visible_text(root: LexborNode) -> str:
    """Text a reader sees, a paragraph per block element; iterative, so never too deep."""
    parts: list[str] = []
    stack: list[LexborNode | None] = [root]
    while stack:
        node = stack.pop()
        if node is None or node.is_text_node:
            parts.append("\n" if node is None else node.text_content or "")
            continue
        tag = node.tag or ""
        if tag in _HTML_DROP or tag.startswith("-") or "hidden" in node.attrs:
            continue
        if tag in _HTML_BLOCKS:
            parts.append("\n")
            stack.append(None)
        stack.extend(reversed(list(node.iter(include_text=True))))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


def rules_record(raw: str) -> Record:
    """The article of one web page by our rules: title, text, date, canonical URL, site name."""
    # imported here, not at the top, so that `import search` stays light
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(raw)

    def attr(selector: str, name: str = "content") -> str | None:
        node = tree.css_first(selector)
        value = node.attrs.get(name) if node is not None else None
        return value.strip() or None if value else None

    def text_of(selector: str) -> str:
        node = tree.css_first(selector)
        return clean_title(node.text()) if node is not None else ""

    title = text_of("title") or attr('meta[property="og:title"]') or text_of("h1")
    dates = (attr(s) for s in _HTML_DATES)
    date = next((d for v in dates if v and (d := parse_date(v))), None)
    for selector in ("article time[datetime]", "main time[datetime]"):
        if date is None and (value := attr(selector, "datetime")):
            date = parse_date(value)
    url = attr('link[rel~="canonical"]', "href") or attr('meta[property="og:url"]')
    candidates = tree.css("article") or tree.css("main") or tree.css('[role="main"]')
    text = max((_visible_text(node) for node in candidates), key=len, default="")
    if not text and tree.body is not None:
        text = _visible_text(tree.body)
    head, _, rest = text.partition("\n\n")
    if head in (title, text_of("h1")):  # the headline is the title, not body text
        text = rest
    return Record(title, text, date, url, attr('meta[property="og:site_name"]'))


def _main_content(raw: str) -> tuple[str, str, str | None] | None:
    """Title, text and date of the page's main content by trafilatura, or None if it finds none."""
    import trafilatura  # lxml, justext, htmldate and dateparser: only when a page is met
    from trafilatura.settings import DEFAULT_CONFIG

    found = trafilatura.bare_extraction(
        raw, include_comments=False, include_tables=True, with_metadata=True,
        # the date from markup only: htmldate's search of the whole text for date-like strings
        # was 95% of the time on a page with a large inline script, and guesses
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    doc: dict[str, Any] = {} if found is None or isinstance(found, dict) else found.as_dict()
    text, title, date = doc.get("text") or "", doc.get("title") or "", doc.get("date")
    # below its minimum size trafilatura falls back to taking any text: no judge at all
    if len(text) < DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE"):
        return None
    return str(title), str(text), str(date) if date else None


def _agreed(visible: str, main: str) -> str:
    """The paragraphs of `visible` that are also in `main`: nine tenths of their word triples
    (trafilatura joins lines and unescapes text slightly differently), or, for a paragraph of
    one or two words, a whole line of it. Sets, not substring searches: linear in the page."""
    lines = {" ".join(_WORD.findall(line.lower())) for line in main.split("\n")}
    words = _WORD.findall(main.lower())
    triples = set(zip(words, words[1:], words[2:], strict=False))
    kept = []
    for paragraph in visible.split("\n\n"):
        own = _WORD.findall(paragraph.lower())
        if not own:
            continue
        mine = set(zip(own, own[1:], own[2:], strict=False))
        if (len(mine & triples) >= 0.9 * len(mine)) if mine else " ".join(own) in lines:
            kept.append(paragraph)
    return "\n\n".join(kept)


def page_record(raw: str) -> Record:
    """The article of one web page: title, text, date, canonical URL and site name.

    Two judges must agree on each paragraph: our rules, which keep what a reader sees outside
    navigation, headers, footers, asides and forms, and trafilatura, which finds the main
    content by its text and link density and so also leaves out related links, comment threads
    and cookie banners that sit in plain `<div>`s or inside the `<article>` itself
    (tests/benchmarks/bench_html_extraction.py measures both). When trafilatura finds no main
    content of its minimum size (250 characters), or the page is too long to be an article,
    the rules alone decide. The date in the page's metadata wins over one trafilatura infers.
    """
    rules = rules_record(raw)
    visible = html_to_text(raw)
    # no article is this long; trafilatura would take minutes over such a page (~5 s a MB)
    main = _main_content(raw) if len(visible) <= _MAIN_CONTENT_MAX else None
    if main is None:
        return rules
    title, text, date = main
    agreed = _agreed(visible, text)
    if not agreed:  # they disagree on everything: trust the page's structure
        return rules
    head, _, rest = agreed.partition("\n\n")
    if head in (title, rules.title):  # the headline is the title, not body text
        agreed = rest
    return rules._replace(
        title=title or rules.title, text=agreed, date=rules.date or parse_date(date or "")
    )


def parse_html(raw: str, key: str) -> Parsed:
    """One record per page."""
    return [page_record(raw)]


def html_to_text(raw: str) -> str:
    """The visible text of an HTML page or fragment, a paragraph per block."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(raw)
    root = tree.body or tree.root
    return _visible_text(root) if root is not None else ""


FORMAT = Format("html", (".html", ".htm"), text_parser(parse_html))
