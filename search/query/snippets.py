"""Snippets: the best fragments of a document around the words a query matched.

Returns plain `Fragment`s whose spans are character offsets, never markup: rendering is
the presentation layer's job. Words are matched exactly as they were indexed (the same
tokenizer and `index_term`), so stemmed forms and possessives highlight correctly, and
entity-field queries (person:putin) highlight the entity's words in the text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from search.index.analysis import fold, index_term, iter_words
from search.results import Fragment, Span

FRAGMENT_CHARS = 240
SCAN_CHARS = 200_000
"""Snippets are looked for this many characters at a time: a 60 MB document (admitted with a
raised SEARCH_MAX_FILE_BYTES) scanned whole took seconds per hit, past the time limit. News
articles are far shorter, so their snippets are unchanged."""
LATE_SCAN_CHARS = 5_000
"""Once a search's time is up, what is scanned for each further hit's snippets."""
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n\s*")


@dataclass(frozen=True, slots=True)
class TermMatcher:
    """What to highlight: index terms of text fields, and plain folded words."""

    terms: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.terms or self.words)

    def matches(self, word: str) -> bool:
        return (bool(self.words) and _entity_word(word) in self.words) or (
            bool(self.terms) and index_term(word) in self.terms
        )


def _entity_word(word: str) -> str:
    """A word of text as entity fields index it: folded, and without a possessive (Putin's)."""
    return fold(word).replace("’", "'").removesuffix("'s")


def match_spans(text: str, matcher: TermMatcher) -> list[tuple[int, int, str]]:
    """Every matched word of text as (start, end, key), key being what it matched as."""
    if not matcher:
        return []
    found = []
    finder = _candidates(matcher.terms, matcher.words)
    words = (
        iter_words(text)
        if finder is None
        else ((m.start(), m.end(), m.group()) for m in finder.finditer(text))
    )
    for start, end, word in words:
        if matcher.matches(word):
            found.append((start, end, index_term(word) or fold(word)))
    return found


@lru_cache(maxsize=64)
def _candidates(terms: frozenset[str], words: frozenset[str]) -> re.Pattern[str] | None:
    """A regex for the tokens that can match: those starting with a term's first letter.

    Stemming and folding keep a word's first letter (policy → polici, Élysée → elysee), so
    only tokens sharing it go through `index_term`: a long document is scanned in C rather
    than word by word in Python.
    """
    prefixes = {t[:1] for t in terms | words if t}
    if not prefixes or any(not p.isascii() or not p.isalnum() for p in prefixes):
        return None  # fall back to every word
    alternatives = "|".join(sorted(map(re.escape, prefixes)))
    # a token starts where the tokenizer would start one: not inside a word or u.s.-style run
    return re.compile(
        rf"(?<!\w)(?<!\w[.'’])(?:{alternatives})\w*(?:[.'’]\w+)*", re.IGNORECASE
    )


def highlight(text: str, matcher: TermMatcher) -> tuple[Span, ...]:
    """The spans of text that the matcher matches, for titles and whole documents."""
    return tuple((s, e) for s, e, _ in match_spans(text, matcher))


def _word_end(text: str, at: int) -> int:
    """at, moved back to a space or line break so that no word is cut (or the text's end)."""
    if at >= len(text):
        return len(text)
    cut = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at))
    return cut if cut > 0 else at


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            bounds.append((start, m.start()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _clip(text: str, start: int, end: int, focus: int, width: int) -> tuple[int, int]:
    """Narrow [start, end) to about `width` characters around `focus`, at word boundaries."""
    if end - start <= width:
        return start, end
    lo = max(start, focus - width // 3)
    hi = min(end, lo + width)
    lo = max(start, hi - width)
    if lo > start:
        space = text.find(" ", lo, focus) if focus > lo else -1
        lo = space + 1 if space != -1 else lo
    if hi < end:
        space = text.rfind(" ", max(lo, focus), hi)
        hi = space if space > lo else hi
    return lo, hi


def _fragment(
    text: str, start: int, end: int, spans: Iterable[tuple[int, int, str]]
) -> Fragment:
    piece = text[start:end].strip()
    offset = start + (len(text[start:end]) - len(text[start:end].lstrip()))
    prefix = (
        "…"
        if start > 0
        and not text[start - 1] in "\n"
        and not _is_sentence_start(text, start)
        else ""
    )
    suffix = "…" if end < len(text) and not _ends_sentence(piece) else ""
    shift = len(prefix) - offset
    inside = tuple(
        (s + shift, e + shift)
        for s, e, _ in spans
        if s >= offset and e <= offset + len(piece)
    )
    # a paged text (PDF) keeps its page breaks: the page is one more than the breaks before
    page = text.count("\f", 0, offset) + 1 if "\f" in text else None
    return Fragment(prefix + piece + suffix, inside, page)


def _is_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?…"”’'


def _ends_sentence(piece: str) -> bool:
    return bool(piece) and piece[-1] in '.!?…"”’)'


def make_snippets(
    text: str,
    matcher: TermMatcher,
    limit: int = 3,
    width: int = FRAGMENT_CHARS,
    scan: int = SCAN_CHARS,
    deadline: float | None = None,
) -> tuple[Fragment, ...]:
    """Up to `limit` fragments of text, best-matching sentences first chosen, in text order.

    Text is scanned `scan` characters at a time, from the start, until a window holds a match
    or the clock passes `deadline` (None: no limit): a huge document costs a bounded amount
    per hit, and a match deep inside it is still found while there is time.
    """
    if limit <= 0 or not text[:scan].strip():
        return ()
    begin = 0
    while True:
        end = _word_end(text, begin + scan)
        spans = [(s + begin, e + begin, k) for s, e, k in match_spans(text[begin:end], matcher)]
        if spans or end >= len(text) or (deadline is not None and time.perf_counter() > deadline):
            break
        begin = end
    sentences = [(s + begin, e + begin) for s, e in _sentences(text[begin:end])]
    if not spans:
        sentences = _sentences(text[: _word_end(text, scan)])
        if not sentences:
            return ()
        start, end = sentences[0]
        lo, hi = _clip(text, start, end, start, width)
        return (_fragment(text, lo, hi, ()),)
    scored = []
    i = 0
    for index, (start, end) in enumerate(sentences):
        inside = []
        while i < len(spans) and spans[i][0] < end:
            if spans[i][0] >= start:
                inside.append(spans[i])
            i += 1
        if inside:
            distinct = len({key for _, _, key in inside})
            scored.append((distinct * 4 + len(inside), -index, start, end, inside))
    scored.sort(reverse=True)
    chosen = sorted(scored[:limit], key=lambda item: item[2])
    fragments = []
    for _, _, start, end, inside in chosen:
        lo, hi = _clip(text, start, end, inside[0][0], width)
        fragments.append(_fragment(text, lo, hi, inside))
    return tuple(fragments)
