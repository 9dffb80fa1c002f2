"""Entity did-you-mean: a misspelt entity clause (`person:blare`) corrected from the facet values.

In: a query string and the facet columns of one generation. Out: the query with each entity
clause that names no value replaced by the nearest value, most frequent first
(`person:"Tony Blair"`), or None. The pipeline keeps the correction only when it finds more.
Word corrections come from the index vocabulary instead (`search.query.parsing.correct`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from weakref import WeakKeyDictionary

from search.index.schema import FIELD_ALIASES
from search.ingest.normalize import facet_key
from search.query.facets import FacetColumn
from search.query.parsing import straighten_quotes

_CLAUSE = re.compile(
    r'(?<![\w.])(?P<field>[A-Za-z_]\w*):(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s()"]+))'
)


def _facet_of(name: str, facets: Iterable[str]) -> str | None:
    name = name.lower()
    for facet in facets:
        if name == facet or name in FIELD_ALIASES.get(facet, ()):
            return facet
    return None


def _distance(a: str, b: str, most: int) -> int:
    """Edits from a to b, a swap of two neighbours counting as one (optimal string
    alignment: "kiyv" is one from "kyiv"), or most + 1 once it is sure to exceed most."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > most:
            return most + 1
        before, previous = previous, current
    return previous[-1]


def _allowed(text: str) -> int:
    """Edits a typed value may be away from a real one: more for longer words."""
    return 1 if len(text) <= 4 else 2


def nearest_value(
    column: FacetColumn, live: Iterable[int], typed: str, exact: bool = False
) -> str | None:
    """The value a mistyped entity most likely meant: within a few edits of the whole value
    or, for one typed word, of one of its words.

    Each edit weighs as much as a tenfold difference in documents (a noisy-channel guess: a
    common name mistyped is likelier than a rare one typed right), so `blare` is Tony Blair
    (two edits, 167 documents of the BBC corpus) rather than Clare Short (one edit, four).

    None when `typed` names a value already: in a query clause, any value's words do; as a
    filter (`exact`), which matches whole values only, just a whole value does.
    """
    key = facet_key(typed)
    if not key:
        return None
    words = key.split()
    by_word = _by_word(column)
    if key in column.keys or (not exact and all(w in by_word for w in words)):
        return None
    most = _allowed(key)
    counts = column.doc_counts(live)
    # one word typed is compared with every word of the values, more with whole values
    candidates = by_word if len(words) == 1 else {k: [v] for k, v in column.keys.items()}
    best: tuple[float, int, str] | None = None
    for candidate, vids in candidates.items():
        if abs(len(candidate) - len(key)) > most:
            continue
        distance = _distance(key, candidate, most)
        if distance > most:
            continue
        for vid in vids:
            if counts.get(vid):
                rank = (distance - math.log10(counts[vid]), distance, column.display[vid])
                if best is None or rank < best:
                    best = rank
    return None if best is None else best[2]


_WORDS: WeakKeyDictionary[FacetColumn, dict[str, list[int]]] = WeakKeyDictionary()


def _by_word(column: FacetColumn) -> dict[str, list[int]]:
    """Each word of a column's keys → the value ids whose key holds it (cached per column:
    a column lives for one index generation and overlay)."""
    found = _WORDS.get(column)
    if found is None:
        found = {}
        for key, vid in column.keys.items():
            for word in dict.fromkeys(key.split()):
                found.setdefault(word, []).append(vid)
        _WORDS[column] = found
    return found


def correct_entities(
    query: str, columns: Mapping[str, FacetColumn], live: Iterable[int]
) -> str | None:
    """The query with every entity clause that names no value replaced by its nearest value,
    or None when there is none to replace."""
    live = list(live)
    changed = False

    def replace(m: re.Match[str]) -> str:
        nonlocal changed
        facet = _facet_of(m.group("field"), columns)
        typed = m.group("phrase") if m.group("phrase") is not None else m.group("word")
        if facet is None or any(ch in typed for ch in "*?~"):
            return m.group()
        value = nearest_value(columns[facet], live, typed)
        if value is None:
            return m.group()
        changed = True
        return f'{m.group("field")}:"{value}"'

    corrected = _CLAUSE.sub(replace, straighten_quotes(query))
    return corrected if changed else None
