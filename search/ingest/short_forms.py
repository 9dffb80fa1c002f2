"""Short forms: whether a text ever names a person by first or last name alone.

News names a person in full once and by surname (or first name) after that; a film, a band,
a character or a firm written like a name ("Vera Drake", "Franz Ferdinand", "James Capel")
is written out every time. `named_in_full` flags the names a document only ever writes out;
the corpus counts the flags (`search.index.entity_links`), as one document proves nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from search.ingest.mention_rules import TITLES


def named_in_full(people: Mapping[str, int], text: str) -> frozenset[str]:
    """The people named more than once here and every time in full: neither their first nor
    their last name stands alone anywhere in the text. News names a person in full once and
    by surname after that; a film, a band or a character ("Vera Drake", "Franz Ferdinand")
    is written out every time. One document proves nothing: the corpus counts these."""
    flagged = []
    for value, mentions in people.items():
        words = value.split()
        if mentions < 2 or len(words) < 2:
            continue
        if len(_find(value, text)) >= 2 and not _alone(words[0], words[-1], text):
            flagged.append(value)
    return frozenset(flagged)


def _find(phrase: str, text: str) -> list[tuple[int, int]]:
    """The [start, end) spans where `phrase` stands as whole words in `text`."""
    spans = []
    start = text.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_'’-") and not (after.isalnum() or after in "_-"):
            spans.append((start, end))
        start = text.find(phrase, start + 1)
    return spans


_NAME_BEFORE = re.compile(r"([A-Z][\w'’.-]*)\s+$")
_NAME_AFTER = re.compile(r"\s+[A-Z]")


def _alone(first: str, last: str, text: str) -> bool:
    """Whether the first name stands without a capitalised word after it, or the last name
    without one before it (a title aside: "Mr Drake" is the short form of a name)."""
    for start, _ in _find(last, text):
        before = _NAME_BEFORE.search(text[max(0, start - 20) : start])
        if before is None or before.group(1).rstrip(".") in TITLES:
            return True
    return any(_NAME_AFTER.match(text, end) is None for _, end in _find(first, text))
