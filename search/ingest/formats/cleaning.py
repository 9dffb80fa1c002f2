"""Cleaning: what every record's text goes through, whatever its format.

Newlines are normalised, control characters and boilerplate lines removed (the whole-line rules
of `ingest/data/boilerplate.tsv`), a title derived from the first sentence when a format has none,
and dates read from text. A form feed ("\f") is the one control character kept: it is a page
break (PDF pages, text printed from paginated sources), kept on a line of its own so that
snippets and `:open` can tell the page of a match.
"""

from __future__ import annotations

import re
from datetime import date as Date
from importlib.resources import files

# fmt: off
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ABBREVIATIONS = frozenset(("mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "sen",
                            "rep", "gov", "lt", "col", "capt", "sgt", "no", "vs", "etc", "inc",
                            "ltd", "co"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # keeps "\f", the page break
_PAGE_BREAKS = re.compile(r"[^\S\f]*\f(?:[^\S\f]*\f)*[^\S\f]*")
_LEADING_SPACE = re.compile(r"\A[^\S\f]+")
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


def clean_text(raw: str) -> str:
    """Normalise newlines; drop control characters (not page breaks), trailing spaces, boilerplate."""
    text = _TEXT_CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    paged = "\f" in text
    if paged:  # a page break alone on its line, so that no rule or strip can eat it
        text = _PAGE_BREAKS.sub(lambda m: "\n" + "\f\n" * m[0].count("\f"), text)
    lines = [line if line == "\f" else line.rstrip() for line in text.split("\n")]
    kept = [ln for ln in lines if not _boilerplate(ln)]
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(kept))
    if not paged:
        return joined.strip()
    # page breaks before the first text still count pages (an image-only cover)
    return _LEADING_SPACE.sub("", joined).rstrip()


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
