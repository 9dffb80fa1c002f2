"""Formats: the text of one file → records (title, text, date, url, source), one parser per file type.

Each parser takes a file's decoded text and its corpus path and returns what it found: a record
per article (one for .txt, .md and .html; one per object for .json and .jsonl), or a `Skip` saying
why a JSON record cannot be one. `KINDS` maps a file suffix to its parser. The cleaning helpers
used on every record live here too: newlines normalised, control characters and boilerplate lines
removed, a title derived from the first sentence, dates read from text. Reading files, ids and
`Document`s are the corpus's business, not this module's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date as Date
from importlib.resources import files
from typing import TYPE_CHECKING, Any, NamedTuple

from search.results import Skip

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

# fmt: off
KINDS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
         ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
"""File suffix (lower case) → the parser that reads it."""

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ABBREVIATIONS = frozenset(("mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "sen",
                            "rep", "gov", "lt", "col", "capt", "sgt", "no", "vs", "etc", "inc",
                            "ltd", "co"))
_HTML_DROP = frozenset(("script", "style", "nav", "footer", "header", "aside", "noscript",
                        "template", "form", "iframe", "svg", "button", "select"))
_HTML_BLOCKS = frozenset((
    "address", "article", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p",
    "pre", "section", "summary", "table", "td", "th", "tr", "ul"))
_HTML_DATES = ('meta[property="article:published_time"]', 'meta[name="date"]',
               'meta[name="pubdate"]', 'meta[itemprop="datePublished"]')
_JSON_KINDS: dict[type, str] = {dict: "an object", list: "a list", str: "a string",
                                bool: "true/false", int: "a number", float: "a number",
                                type(None): "null"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_DATES = (  # groups are year, month and day in the order the key spells; never across lines
    ("ymd", re.compile(r"\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?!\d)")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?{_MONTH},?[ \t]+"
                       r"(\d{4})\b", re.IGNORECASE)),
    ("mdy", re.compile(rf"\b{_MONTH}[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(\d{{4}})\b",
                       re.IGNORECASE)),
)
_DATELINE_END = re.compile(r"\s[-–—]\s")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")
_ATX = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_SETEXT_H1 = re.compile(r" {0,3}=+[ \t]*")
_FENCE = re.compile(r" {0,3}(?:```|~~~)")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_INLINE = ((re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),
              (re.compile(r"(\*\*|__|\*|`)(.+?)\1"), r"\2"))
_NO_RECORD_TEXT = 'record has neither text nor title (fields "title", "text", "body", "content")'
# fmt: on


def _load_boilerplate() -> tuple[re.Pattern[str], ...]:
    """The whole-line rules of `search/data/boilerplate.tsv` (pattern, tab, example)."""
    table = (files("search.ingest") / "data" / "boilerplate.tsv").read_text(encoding="utf-8")
    rules = [row.split("\t", 1)[0] for row in table.splitlines()]
    return tuple(re.compile(r, re.IGNORECASE) for r in rules if r and r[0] != "#")


BOILERPLATE = _load_boilerplate()
# One alternation is tried once per line instead of once per rule; every rule is bounded, so
# longer lines (most paragraphs) need no regex at all.
_ANY_BOILERPLATE = re.compile(
    "|".join(f"(?:{r.pattern})" for r in BOILERPLATE), re.IGNORECASE
)
_BOILERPLATE_MAX = 800
"""Site furniture, not article text; a rule must match a whole line, never part of a paragraph."""


class _Record(NamedTuple):
    """What a format parser found, before cleaning and id assignment."""

    title: str
    text: str
    date: str | None = None
    url: str | None = None
    source: str | None = None
    own_id: str | None = None
    line: int | None = None


def clean_text(raw: str) -> str:
    """Normalise newlines, drop control characters, trailing spaces and boilerplate lines."""
    text = _CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    kept = [ln for ln in lines if not _boilerplate(ln)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _boilerplate(line: str) -> bool:
    line = line.strip()
    return (
        bool(line)
        and len(line) <= _BOILERPLATE_MAX
        and bool(_ANY_BOILERPLATE.fullmatch(line))
    )


def clean_title(raw: str) -> str:
    """A title on one line, without control characters or runs of spaces."""
    return " ".join(_CONTROL.sub("", raw).split())


def derive_title(text: str, max_chars: int = 80) -> str:
    """A title from the first sentence of `text`, cut at a word boundary with "…"."""
    line = " ".join(next((ln for ln in text.split("\n") if ln.strip()), "").split())
    sentence = line
    for end in _SENTENCE_END.finditer(line):
        words = line[: end.start()].split()
        word = words[-1].lower().lstrip("\"'“‘(") if words else ""
        # "Mr. Smith", "U.S. troops" and initials do not end a sentence
        if word not in _ABBREVIATIONS and len(word) > 1 and "." not in word:
            sentence = line[: end.end()]
            break
    if len(sentence) <= max_chars:
        return sentence.removesuffix(".")
    cut = sentence[: max_chars - 1]
    if not sentence[max_chars - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def parse_date(value: str) -> str | None:
    """The earliest full calendar date written in `value` as "YYYY-MM-DD", else None."""
    found: list[tuple[int, str]] = []
    for order, pattern in _DATES:
        for m in pattern.finditer(value):
            y, mo, d = (m[order.index(c) + 1] for c in "ymd")
            month = int(mo) if mo.isdigit() else _MONTHS.index(mo[:3].lower()) + 1
            try:
                found.append((m.start(), Date(int(y), month, int(d)).isoformat()))
            except ValueError:  # 31 February and friends
                pass
    return min(found)[1] if found else None


def _dateline(text: str) -> str | None:
    """A date heading the body: before the dash of "CITY, date (Agency) - ", or alone."""
    for line in text[:300].split("\n"):
        head = _DATELINE_END.split(line[:100], maxsplit=1)
        if len(head) > 1 and (date := parse_date(head[0])):
            return date
        # the first paragraph ends the search: dates further on are events
        if len(line) > 100:
            return None
        # a short line that is not a sentence: a dateline or a byline
        if not line.endswith((".", "!", "?", '"', "”")) and (date := parse_date(line)):
            return date
    return None


def _parse_txt(raw: str, key: str) -> list[_Record | Skip]:
    text = clean_text(raw)
    head, _, body = text.partition("\n")
    if len(head) <= 150 and body.startswith("\n") and body.strip():
        return [_Record(head, body.strip())]
    return [_Record("", text)]


def _parse_md(raw: str, key: str) -> list[_Record | Skip]:
    text, meta = clean_text(raw), dict[str, str]()
    if front := _FRONT_MATTER.match(text):
        pairs = (entry.partition(":") for entry in front[1].split("\n"))
        meta = {k.strip().lower(): v.strip().strip("\"'") for k, sep, v in pairs if sep}
        text = text[front.end() :].strip()
    lines = text.split("\n")
    title, span, fenced, first = "", (0, 0), False, True
    for i, line in enumerate(lines):
        if _FENCE.match(line):  # a "# comment" inside a code block is not a heading
            fenced, first = not fenced, False
            continue
        if fenced or not line.strip():
            continue
        atx = _ATX.fullmatch(line)
        setext = not atx and i + 1 < len(lines) and _SETEXT_H1.fullmatch(lines[i + 1])
        if setext or atx and atx[1] == "#":
            title, span = (atx[2] if atx else line), (i, i + (1 if atx else 2))
            break
        # a document opening with "## Heading": that is its title unless an H1 follows
        if atx and first:
            title, span = atx[2], (i, i + 1)
        first = False
    if meta.get("title"):
        title = meta["title"]
    elif title:
        text = "\n".join(lines[: span[0]] + lines[span[1] :]).strip()
        for pattern, repl in _MD_INLINE:
            title = pattern.sub(repl, title)
    date = parse_date(meta["date"]) if meta.get("date") else None
    url, source = meta.get("url") or None, meta.get("source") or None
    return [_Record(title, text, date, url, source)]


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


def _parse_html(raw: str, key: str) -> list[_Record | Skip]:
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
    return [_Record(title, text, date, url, attr('meta[property="og:site_name"]'))]


def _kind(value: object) -> str:
    return _JSON_KINDS.get(type(value), type(value).__name__)


def _field(obj: dict[str, Any], *names: str) -> str | None:
    """The first non-empty of `names` as text; numbers are converted, others refused."""
    for name in names:
        value = obj.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        paragraphs = isinstance(value, list) and name not in ("id", "_id", "title")
        if paragraphs and all(isinstance(v, str) for v in value):
            return "\n\n".join(value)
        raise ValueError(f'field "{name}" is {_kind(value)}, expected a string')
    return None


def _record(obj: object, key: str, line: int | None) -> _Record | Skip:
    if not isinstance(obj, dict):
        return Skip(key, f"record is {_kind(obj)}, expected an object", line)
    try:
        own_id, title = _field(obj, "id", "_id"), _field(obj, "title") or ""
        text = _field(obj, "text", "body", "content") or ""
        url, source = _field(obj, "url"), _field(obj, "source")
    except ValueError as err:
        return Skip(key, str(err), line)
    if not title.strip() and not text.strip():
        return Skip(key, _NO_RECORD_TEXT, line)
    # only written dates: a bare number could be a year as well as a timestamp
    when = obj.get("date")
    date = parse_date(when) if isinstance(when, str) else None
    return _Record(title, text, date, url, source, own_id, line)


def _parse_json(raw: str, key: str) -> list[_Record | Skip]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        return [Skip(key, _json_error(err), err.lineno)]
    if isinstance(data, list):
        return [_record(item, key, n) for n, item in enumerate(data, 1)]
    if isinstance(data, dict):
        return [_record(data, key, None)]
    expected = "expected an object or a list of objects"
    return [Skip(key, f"the file holds {_kind(data)}, {expected}")]


def _json_error(err: json.JSONDecodeError) -> str:
    # some messages end in "at" already: "Unterminated string starting at"
    return f"invalid JSON: {err.msg.removesuffix(' at')} at column {err.colno}"


def _parse_jsonl(raw: str, key: str) -> list[_Record | Skip]:
    found: list[_Record | Skip] = []
    # only "\n" ends a record: str.splitlines() also splits at U+2028 inside strings
    for n, line in enumerate(raw.split("\n"), 1):
        if not line.strip():
            continue
        try:
            found.append(_record(json.loads(line), key, n))
        except json.JSONDecodeError as err:
            found.append(Skip(key, _json_error(err), n))
        except RecursionError:  # one absurd line must not cost the file's other records
            found.append(Skip(key, "invalid JSON: nested too deeply", n))
    return found


_PARSERS: dict[str, Callable[[str, str], list[_Record | Skip]]] = {
    "txt": _parse_txt,
    "md": _parse_md,
    "html": _parse_html,
    "json": _parse_json,
    "jsonl": _parse_jsonl,
}
