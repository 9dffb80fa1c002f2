"""Analysis: the one place where text becomes index terms.

Text fields (title, body) go through `text_analyzer()`: words matched by `TOKEN_PATTERN`,
then `index_term` (lowercase, accents folded, possessive dropped, stopwords removed,
Porter2-stemmed). Entity fields get `entity_words_analyzer()` (each value's words, folded but
not stemmed, with a position gap between values so a phrase never spans two values) and
`entity_key_analyzer()` (one exact key per value). The snippet highlighter reuses
`iter_words` and `index_term` so that what is highlighted is exactly what was matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.lang.porter2 import stem as porter2_stem
from whoosh.lang.stopwords import stoplists

from search.ingest.normalize import facet_key

# Defined here rather than taken from Whoosh: its forks changed the default pattern so that
# `*` stays inside words, which would index Markdown's *Python* as "*python".
TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_WORD_RE = re.compile(r"\w+")

VALUE_SEPARATOR = "\n"
"""Separates the values of a multi-valued entity field in the text given to Whoosh."""

POSITION_GAP = 100
"""Positions skipped between entity values, so phrase queries stay within one value."""

STOPWORDS = frozenset(stoplists["en"])


def fold(text: str) -> str:
    """Lowercase and strip accents, so that Zelénsky and ZELENSKY are one term."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=500_000)
def index_term(word: str) -> str | None:
    """The term a word of running text is indexed as, or None for a stopword."""
    term = fold(word).replace("’", "'")
    term = term.removesuffix("'s").replace("'", "")
    if not term or term in STOPWORDS:
        return None
    if "." in term:  # acronyms such as u.s. and dotted numbers are kept whole
        return term
    return str(porter2_stem(term))


def iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, word) for each word of text, as the tokenizer sees them."""
    for m in _TOKEN_RE.finditer(text):
        yield m.start(), m.end(), m.group()


class IndexTermFilter(Filter):  # type: ignore[misc]
    """Turns each token into its `index_term`, dropping stopwords (positions are kept)."""

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            term = index_term(t.text)
            if term is not None:
                t.text = term
                yield t


class FoldFilter(Filter):  # type: ignore[misc]
    """Lowercases and strips accents without stemming."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = fold(t.text)
            yield t


class MultiValueTokenizer(Tokenizer):  # type: ignore[misc]
    """Splits a newline-separated list of values into words, with a gap between values."""

    def __init__(self, keys: bool = False) -> None:
        self.keys = keys

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiValueTokenizer) and other.keys == self.keys

    def __hash__(self) -> int:
        return hash((MultiValueTokenizer, self.keys))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            yield t
            return
        pos = start_pos
        offset = start_char
        for value_part in value.split(VALUE_SEPARATOR):
            if self.keys:
                pieces = [(0, len(value_part), facet_key(value_part))]
            else:
                pieces = [
                    (m.start(), m.end(), m.group())
                    for m in _WORD_RE.finditer(value_part)
                ]
            for start, end, piece in pieces:
                if not piece:
                    continue
                t.text = piece
                t.original = piece
                t.boost = 1.0
                t.stopped = False
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = offset + start
                    t.endchar = offset + end
                pos += 1
                yield t
            pos += POSITION_GAP
            offset += len(value_part) + len(VALUE_SEPARATOR)


def text_analyzer() -> Any:
    """Analyzer of title and body text."""
    return RegexTokenizer(TOKEN_PATTERN) | IndexTermFilter()


def entity_words_analyzer() -> Any:
    """Analyzer of an entity field searched by words: person:putin matches Vladimir Putin."""
    return MultiValueTokenizer() | FoldFilter()


def entity_key_analyzer() -> Any:
    """Analyzer of an entity key field: one exact, folded key per value."""
    return MultiValueTokenizer(keys=True)


def address_analyzer() -> Any:
    """Analyzer of who a document is from or to: each word, and each email address whole,
    so that from:lopez, from:ana and from:ana@example.org all find "Ana Lopez <ana@example.org>"."""
    return RegexTokenizer(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\w+") | FoldFilter()


def keyword_analyzer() -> Any:
    """Analyzer of short keyword fields such as source."""
    return RegexTokenizer(r"[^\s,]+(?:\s+[^\s,]+)*") | LowercaseFilter()
