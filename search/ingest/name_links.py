"""Name links within one document: short forms become the long names they stand for.

A bare surname or first name ("Putin", "Olaf") becomes the one full name of the document it
fits; an acronym ("GM") or a clipped first word ("Fed") the one organisation's name it
abbreviates. Used by `search.ingest.document_entities` after the types are repaired.
"""

from __future__ import annotations

import re

from search.ingest.entity_items import Item
from search.ingest.mention_rules import DESIGNATORS, countries
from search.ingest.normalize import OTHER, facet_key

_WORD_SPLIT = re.compile(r"[\s\-‐‑‒–—]+")


def _is_initial(word: str) -> bool:
    """ "G", "G." or "J.R." : a given name cut to its initials."""
    letters = word.replace(".", "")
    return 0 < len(letters) <= 2 and letters.isalpha() and letters.isupper()


def link_surnames(items: list[Item], person: str) -> None:
    """Short forms of a person become the full name they stand for, if exactly one fits:
    a bare surname ("Putin") or a bare first name ("Olaf"). An initial and surname
    ("G Easterby") is left to the corpus, which needs to see both forms in one document."""
    full: dict[str, str] = {}
    initialled: dict[str, set[str]] = {}
    for item in items:
        if item.facet != person or len(item.words) < 2:
            continue
        if not _is_initial(item.words[0]):
            full.setdefault(item.key, item.value)
        else:
            initialled.setdefault(facet_key(item.words[-1]), set()).add(item.value)
    by_word: dict[str, set[str]] = {}
    for value in full.values():
        words = value.split()
        for word in (words[0], words[-1]):
            by_word.setdefault(facet_key(word), set()).add(value)
    # a scorecard's "McGrath" is its "G. McGrath" when no full name ends in it
    for surname, names in initialled.items():
        by_word.setdefault(surname, names)
    for item in items:
        if item.facet != person:
            continue
        words = item.words
        if len(words) == 1:
            names = by_word.get(item.key, set())
            role = "surname" if any(facet_key(n.split()[-1]) == item.key for n in names) else "first name"
        else:
            continue
        if len(names) == 1:
            (name,) = names
            item.move(person, name, f"the {role} of {name!r}, named in this document")


def _initials(value: str) -> str:
    """Initials of the capitalised words: "World Health Organization" → "WHO"."""
    words = [word for word in _WORD_SPLIT.split(value) if word[:1].isupper()]
    return "".join(word[0] for word in words) if len(words) > 1 else ""


COMPOUND_CLIP = 5
"""The fewest letters of a clipped compound's name: shorter ones open too many words."""
COMPASS_WORDS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western"}
)


def link_acronyms(items: list[Item], person: str | None) -> dict[str, set[str]]:
    """An acronym ("GM" of General Motors Corp), a clipped first word ("Fed" of Federal
    Reserve) or a clipped compound ("Yugansk" of Yuganskneftegas) becomes the long name it
    stands for when both occur in the document; returns the long names' keys → the short
    forms used for them."""
    long_names: dict[str, dict[str, Item]] = {}
    firsts: list[Item] = []
    compounds: list[Item] = []  # one-word organisations' names
    found: dict[str, tuple[Item, str]] = {}
    first_at: dict[str, int] = {}
    for item in items:
        first_at[item.key] = min(first_at.get(item.key, item.fate.start), item.fate.start)
        if item.facet in (person, OTHER):
            continue
        if item.facet == "org" and len(item.words) == 1 and len(item.key) >= 2 * COMPOUND_CLIP:
            compounds.append(item)
        initials = _initials(item.value)
        if initials:
            long_names.setdefault(initials.upper(), {}).setdefault(item.key, item)
            bare = [w for w in item.value.split() if w.lower().rstrip(".,") not in DESIGNATORS]
            if len(bare) < len(item.words) and len(bare) >= 2:
                short = _initials(" ".join(bare)).upper()
                long_names.setdefault(short, {}).setdefault(item.key, item)
            firsts.append(item)
    for item in items:
        if item.facet == person or len(item.words) != 1:
            continue
        if item.value.isupper():
            letters = "".join(ch for ch in item.value if ch.isalpha())
            matches = long_names.get(letters, {})
            what = "acronym"
        else:
            # a clipping is short and an organisation's: "Fed", "Man" (Utd); not "Congress"
            # of Congressional Budget Office, nor "Brazil" of the Brazilian Coffee Institute
            clip = item.key
            matches = {
                t.key: t for t in firsts
                if item.facet == t.facet == "org" and 3 <= len(clip) <= 4
                and 2 * len(clip) <= len(t.words[0]) and t.words[0].lower().startswith(clip)
                and t.words[0][len(clip)].isalpha()
            } if 3 <= len(clip) <= 4 else {}
            # a compound's clipping is longer ("Yugansk" of Yuganskneftegas, which the
            # model takes for a place or a person): not a word that opens a little longer
            # one ("Ford" of Fordham), a firm of its own named before it ("Apple" of
            # AppleInsider), a country ("China" of Chinadotcom), a direction ("South"), or
            # one of two names a hyphen joins ("Glass" of the Glass-Steagall Act)
            if not matches and len(clip) >= COMPOUND_CLIP and clip not in COMPASS_WORDS:
                matches = {
                    t.key: t for t in compounds
                    if 2 * len(clip) <= len(t.key) and t.key.startswith(clip)
                    and t.key[len(clip)].isalpha()
                    and (item.facet != "org" or first_at[t.key] < first_at[clip])
                }
                if matches and clip in countries():
                    matches = {}
            what = "short form"
        if len(matches) == 1:
            (target,) = matches.values()
            found[item.key] = (target, what)
    # one key, one name: the headline's "FED" is the body's "Fed" of Federal Reserve
    linked: dict[str, set[str]] = {}
    for item in items:
        if item.facet != person and item.key in found:
            target, what = found[item.key]
            linked.setdefault(target.key, set()).add(item.value)
            item.move(target.facet, target.value, f"the {what} of {target.value!r} here")
    return linked
