"""Nicknames: the one-word plurals a document only ever writes after "the".

Sports news names a team by its nickname once it has named it ("Arsenal ... the Gunners",
"Chelsea ... the Blues"), and the model tags the nickname as an organisation of its own.
A document cannot tell whose nickname it is: a match report names two teams. So it only
flags the plurals it writes as "the Gunners" every time (`Analysis.named_with_the`), and the
corpus links each to the one organisation its documents name beside it
(`search.index.nickname_links`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from search.ingest.entity_items import Item
from search.ingest.mention_rules import is_demonym

_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


def named_with_the(items: Sequence[Item], text: str, org: str | None) -> set[str]:
    """The keys of the organisations named by one capitalised plural word ("Gunners",
    "Blues"), each time after "the": a nickname's shape. Not an acronym's ("SDRs"), a
    nationality's ("the Germans"), nor a word capitalised inside ("EastEnders")."""
    seen: dict[str, bool] = {}
    for item in items:
        value = item.value
        if item.facet != org or " " in value or not _plural_word(value) or is_demonym(value):
            continue
        start = item.fate.start
        after_the = _THE_BEFORE.search(text[max(0, start - 8) : start]) is not None
        seen[item.key] = seen.get(item.key, True) and after_the
    return {key for key, always in seen.items() if always}


def _plural_word(value: str) -> bool:
    return (
        len(value) > 3 and value[0].isupper() and value[1:].islower()
        and value.endswith("s") and not value.endswith("ss")  # "the Express"
    )
