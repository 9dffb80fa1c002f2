"""Workplaces: a name written after a job and "of", "with" or "at" is an organisation.

Wire copy quotes "Rosario Ilacqua of L.F. Rothschild" and "an analyst with stockbrokers
James Capel": firms named after their founders, which the model tags as people. People
work at organisations, not at people, so a job's preposition before a name says what it is.
Not "spokesman for" or "aide to", which come before the person served, and not a name
followed by a possessive ("director of Martin Scorsese's film").
"""

from __future__ import annotations

import re

from search.ingest.mention_rules import POSSESSIVE_AFTER

ADVISERS = (
    "analyst", "economist", "strategist", "dealer", "trader", "broker", "banker",
    "researcher", "specialist", "consultant", "underwriter",
)  # fmt: skip
"""Jobs written with "with" before the firm as well ("an analyst with Oppenheimer"). Not
"partner", which is someone's too ("the former partner of Jude Law")."""
OFFICERS = ("director", "president", "chairman", "chairwoman", "executive", "officer")
"""Jobs written with "of" or "at" only: "replaced him as president with Stephen Fischer"
names the new president."""

_ROLE_BEFORE = re.compile(
    rf"\b(?:(?:{'|'.join(ADVISERS)})s?\s+(?:of|with|at)|(?:{'|'.join(OFFICERS)})s?\s+(?:of|at))\s+$",
    re.IGNORECASE,
)  # \s: wire copy breaks its lines anywhere
_WINDOW = 40


def works_at(text: str, start: int, end: int) -> bool:
    """Whether the name at [start, end) follows a job and its preposition ("analyst at
    PaineWebber", "Ilacqua, analyst with L.F. Rothschild") and is no possessive."""
    if POSSESSIVE_AFTER.match(text, end):
        return False
    return _ROLE_BEFORE.search(text[max(0, start - _WINDOW) : start]) is not None
