"""Page furniture: the related-story teasers and copyright footer at the end of a pasted page.

In: a document's cleaned text. Out: (body, related) where `related` is the trailing block that
is not the article — a copyright footer and the run of short one-sentence teaser lines above
it that do not speak of the article's main subjects. The body alone feeds NER, facets and
snippets; the related text is stored and shown apart. Without a footer nothing is cut: a run
of short lines alone is too weak a sign, and cutting an article's end would lose its text.
"""

from __future__ import annotations

import re
from collections import Counter

from search.ingest.formats.base import decode
from search.ingest.formats.cleaning import clean_text

_FOOTER = re.compile(
    r"^\s*(?:copyright\b|©|\(c\)\s*\d{4})|\ball rights reserved\b", re.IGNORECASE
)
TEASER_WORDS = 35
"""A teaser is one short sentence; longer lines are article paragraphs."""
SUBJECTS = 3
"""How many of the article's most named words count as its main subjects."""
_SENTENCE = re.compile(r"[.!?][\"'”’)]*\s+(?=[A-Z“\"‘'])")
_WORD = re.compile(r"\b\w[\w’'-]*")


def split_furniture(text: str) -> tuple[str, str]:
    """The article body and the furniture after it ("" when the page has none)."""
    lines = text.split("\n")
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    footer = end
    while footer and (_FOOTER.search(lines[footer - 1]) or not lines[footer - 1].strip()):
        footer -= 1
    if footer == end:
        return text, ""
    start = footer
    while start and _teaser_shaped(lines[start - 1]):
        start -= 1
    article = "\n".join(lines[:start])
    plain = {w for w in _WORD.findall(article) if w.islower()}
    subjects = _subjects(article, plain)
    # the run's first lines may still be the article's own short closing paragraphs
    while start < footer and subjects & _names(lines[start], plain):
        start += 1
    while start > 0 and not lines[start - 1].strip():
        start -= 1
    body = "\n".join(lines[:start]).rstrip()
    related = "\n".join(line for line in lines[start:end] if line.strip())
    return body, related


def _teaser_shaped(line: str) -> bool:
    """A standalone line of one short sentence."""
    stripped = line.strip()
    if not stripped or len(stripped.split()) > TEASER_WORDS:
        return False
    return len(_SENTENCE.findall(stripped)) == 0


def _names(line: str, plain: set[str]) -> set[str]:
    """The names a line speaks of: capitalised words the article never writes in lower case
    (so "The" and "According" at a sentence start are not names)."""
    names = set()
    for word in _WORD.findall(line):
        word = word.removesuffix("’s").removesuffix("'s")
        if word[:1].isupper() and word.lower() not in plain:
            names.add(word)
    return names


def _subjects(article: str, plain: set[str]) -> set[str]:
    """The article's main subjects: the names its lines mention most."""
    counts: Counter[str] = Counter()
    for line in article.split("\n"):
        counts.update(_names(line, plain))
    return {name for name, _ in counts.most_common(SUBJECTS)}


def furniture_of(
    text: str, data: bytes | str, kind: str, line: int | None
) -> tuple[str, str]:
    """A parsed record's text without the furniture at its end, and that furniture (cleaned),
    given the file's raw `data`, its format `kind` and the record's JSON `line`."""
    return _split_record(text, _raw_text(data, kind, line))


def _raw_text(data: bytes | str, kind: str, line: int | None) -> str | None:
    """A plain-text or Markdown file's text before cleaning (None for other formats)."""
    if kind not in ("txt", "md") or line is not None:
        return None
    if isinstance(data, str):
        return data
    decoded = decode(data)
    return decoded[0] if decoded else None


def _split_record(text: str, raw: str | None) -> tuple[str, str]:
    """The record's text without the page furniture at its end, and that furniture.

    A plain-text parser has already cleaned the text, and the boilerplate rules removed the
    copyright footer that marks the furniture: then the raw file shows where it starts.
    """
    body, related = split_furniture(text)
    if related or raw is None:
        return body, clean_text(related)
    _, related = split_furniture(raw)
    tail = clean_text(related)
    cleaned = clean_text(text)
    if tail and cleaned.endswith(tail):
        return cleaned[: -len(tail)].rstrip(), clean_text(related)
    # only the footer: already gone from the text, kept as the related material
    return text, clean_text(related) if related and not tail else ""
