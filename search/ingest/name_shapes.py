"""Name shapes: the type a name's own words give it, whatever label the model gave it.

In: one cleaned name, the facet its label maps to, the label, and the mention's `Fate`.
Out: the facet it goes to, `other` for a name that is no person, place or organisation
(an award, a currency, a group of countries), or "" for a "person" no person's name looks
like; each decision is noted in the fate for `show --why`. Used by
`search.ingest.document_entities` for every mention.
"""

from __future__ import annotations

from search.ingest.entity_items import Fate
from search.ingest.mention_rules import (
    countries,
    is_demonym,
    looks_like_person,
    not_a_person,
)
from search.ingest.name_heads import (
    SHARED_CURRENCY_WORDS,
    is_bloc,
    is_club,
    is_currency,
    is_event,
    is_money_measure,
)
from search.ingest.normalize import OTHER, PERSON_LABEL, canonical

__all__ = ["shape_type"]


def shape_type(facet: str, value: str, label: str, fate: Fate) -> str:
    """The type a name's own shape gives it ("" when it is no person after all)."""
    if label == PERSON_LABEL:
        words = value.split()
        if _firm_designated(words):
            fate.steps.append(f"ends in the company designator {words[-1]!r}: a firm")
            return "org"
        why = not_a_person(value)
        if why is None and len(words) > 1 and canonical(words[0]).casefold() in countries():
            why = "starts with a country's name: no person's name does"
        if why is not None:
            fate.steps.append(why)
            return ""
    elif looks_like_person(value) and facet != OTHER:
        fate.steps.append("an initial and a surname: a person")
        return "person"
    if is_event(value) and facet != OTHER:
        fate.steps.append("an award, event, index, rate, law or plan by its last word")
        return OTHER
    if label == "ORG" and is_money_measure(value):  # not "M4", the motorway (FAC)
        fate.steps.append("a measure of the money supply, not an organisation")
        return OTHER
    if is_bloc(value) and facet != OTHER:
        fate.steps.append("a group of countries, not one organisation or place")
        return OTHER
    if label != PERSON_LABEL and facet != OTHER and is_currency(value) and (
        value.split()[-1].casefold() not in SHARED_CURRENCY_WORDS or _national(value)
    ):
        fate.steps.append("a currency by its last word, not an organisation or place")
        return OTHER
    if is_club(value) and label in ("GPE", "LOC", "FAC"):
        fate.steps.append("a sports club by its last word, not a place")
        return "org"
    return facet


def _national(value: str) -> bool:
    """Whether the words before a name's last one are, or end in, a country's name or
    nationality word ("U.S. Dollar", "New Taiwan Dollar"; not "East Rand")."""
    words = value.split()[:-1]
    return any(
        canonical(part).casefold() in countries() or is_demonym(part)
        for part in (" ".join(words[i:]) for i in range(len(words)))
    )


FIRM_ENDINGS = frozenset({"inc", "corp", "ltd", "plc", "llc", "company", "corporation"})
"""Company designators in any case ("J Sainsbury plc")."""
CASED_ENDINGS = frozenset({"Co", "AG", "SA", "NV"})
"""Designators only in their own case: "Sa" ends "Orlando Sa". "Co" ends people's names too
("Zaldy Co"), so after one word it needs a point, a third word or an initial ("Guy F.
Atkinson Co")."""


def _firm_designated(words: list[str]) -> bool:
    """Whether a "person" ends in a company designator: "Roy F. Weston Inc"."""
    last = words[-1].rstrip(".") if len(words) > 1 else ""
    if last.lower() not in FIRM_ENDINGS and last not in CASED_ENDINGS:
        return False
    if words[-1] == "Co":
        return len(words) > 2 or any(len(w.rstrip(".")) == 1 for w in words[:-1])
    return True

