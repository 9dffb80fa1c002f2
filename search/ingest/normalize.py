"""Normalisation stage: entity mentions in, clean facet values out.

Vocabulary: a *mention* is one entity occurrence from the extractor (surface text + label); a
*value* is the cleaned display string a facet stores; a *key* (`facet_key`) is the case- and
accent-insensitive form under which values count as one; a *form* is one surface spelling of a
key, and `choose_display` picks which form to show for a key across the corpus. One document's mentions become its values in
`search.ingest.document_entities` (`normalize_document`, `analyse_document`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib.resources import files
from typing import Protocol

from search.ingest.mention_rules import cut_trailing_scores

MAX_VALUE_CHARS = 80
"""Longer 'entities' are almost always a mis-tagged clause, not a name."""

PERSON_LABEL = "PERSON"
OTHER = "other"
"""The type of mentions that name no person, place or organisation (NORP, WORK_OF_ART...)."""

_KEY_CHARS = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "﹣": "-", "－": "-",
        # Dotless ı has no accent to drop and casefolds to itself, yet "I" folds to "i".
        "ı": "i",
    }
)  # fmt: skip

# Double quotes never belong to a name; apostrophes do (O'Neill), so only edges lose those.
_DOUBLE_QUOTES = str.maketrans(dict.fromkeys('"“”„‟«»″'))
_LEAD_JUNK = "'‘’‚‛`´‹›*•·-‐‑‒–—―,;:/\\|.!?#~_ "
_TRAIL_JUNK = "'‘’‚‛`´‹›*•·-‐‑‒–—―,;:/\\|?#~_ "
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_POSSESSIVE = re.compile(r"(?:['’`´][sS]|(?<=[sS])['’`´])$")
_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
_URLISH = re.compile(
    r"@|://|\bwww\.|\.(?:com|org|net|gov|edu|co\.uk|html?)\b", re.IGNORECASE
)
_WORD_SPLIT = re.compile(r"[\s\-‐‑‒–—]+")
_VOWELS = frozenset("AEIOUY")

# "The" is part of these names; for everything else "the Kremlin" is just "Kremlin".
_KEEP_ARTICLE = ("The Hague", "The Gambia", "The Bahamas")
# Brand names that end in a genitive: stripping it would rename the company.
_KEEP_POSSESSIVE = (
    "McDonald's", "Sainsbury's", "Moody's", "Lloyd's", "Sotheby's", "Christie's", "Macy's",
    "Kellogg's", "Domino's", "Wendy's", "Hershey's", "Levi's",
)  # fmt: skip


class MentionLike(Protocol):
    """What normalisation reads from a mention (`search.ingest.entities.Mention` fits)."""

    @property
    def text(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def facet_key(value: str) -> str:
    """The key under which spellings count as one value: no case, accents, quote or dash styles."""
    if value.isascii():  # the common case, and facet tables key every value they load
        return " ".join(value.replace("`", "'").lower().split())
    text = unicodedata.normalize("NFKD", value.translate(_KEY_CHARS)).casefold()
    # casefold can reintroduce composed or combining characters ("İ" → "i̇"), so decompose again.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.translate(_KEY_CHARS).split())


def clean_mention(text: str) -> str | None:
    """The display form of one mention, or None when it cannot be a useful facet value."""
    value = " ".join(text.translate(_DOUBLE_QUOTES).split())
    while True:
        before = value
        value = _strip_edges(value)
        key = facet_key(value)
        if key not in _special_keys(_KEEP_POSSESSIVE):
            value = _POSSESSIVE.sub("", value)
        if _ARTICLE.match(value):
            if key in _special_keys(_KEEP_ARTICLE):
                value = "The" + value[3:]
            else:
                value = _ARTICLE.sub("", value, count=1)
        if value == before:
            break
    value = cut_trailing_scores(value)
    return None if _is_junk(value) else value


def _strip_edges(value: str) -> str:
    """Drop punctuation, stray brackets and abbreviation-less final dots from both ends."""
    value = value.strip().lstrip(_LEAD_JUNK).rstrip(_TRAIL_JUNK)
    wrapped = (
        len(value) >= 2 and value[0] in _BRACKETS and value[-1] == _BRACKETS[value[0]]
    )
    if wrapped and value.count(value[0]) == 1 and value.count(value[-1]) == 1:
        value = value[1:-1]
    if (
        value
        and value[0] in _BRACKETS
        and value.count(value[0]) > value.count(_BRACKETS[value[0]])
    ):
        value = value[1:]
    for opening, closing in _BRACKETS.items():
        if value.endswith(closing) and value.count(closing) > value.count(opening):
            value = value[:-1]
    # "Kremlin." loses its dot, but "U.S." and "Inc." keep theirs.
    if value.endswith(".") and not value.endswith(".."):
        last = value.rsplit(None, 1)[-1][:-1]
        if "." not in last and len(last) > 4:
            value = value[:-1]
    elif value.endswith(".."):
        value = value.rstrip(".")
    return value.strip()


def _is_junk(value: str) -> bool:
    """Pronouns, numbers, shouted headlines, clauses and addresses are not facet values."""
    if len(value) < 2 or len(value) > MAX_VALUE_CHARS:
        return True
    if not any(ch.isalpha() for ch in value):
        return True
    if value.islower():
        return True
    if value.isupper() and len(value.split()) >= 4:
        return True
    return bool(_URLISH.search(value))


@cache
def _special_keys(names: tuple[str, ...]) -> frozenset[str]:
    """The keys of an exception list, computed once."""
    return frozenset(facet_key(name) for name in names)


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """The alias tables `ingest/data/aliases.tsv` and `us_states.tsv` (the AP's abbreviations
    of American states): facet_key(alias) → canonical value."""
    table: dict[str, str] = {}
    for name in ("aliases.tsv", "us_states.tsv"):
        resource = files("search.ingest") / "data" / name
        for number, line in enumerate(resource.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 2 or not fields[0].strip() or not fields[1].strip():
                raise ValueError(
                    f"{resource}:{number}: expected 'alias<TAB>canonical', got {line!r}"
                )
            table[facet_key(fields[0])] = fields[1].strip()
    return table


@lru_cache(maxsize=1)
def nicknames() -> frozenset[tuple[str, str]]:
    """(given name, nickname) pairs, lower case, from `ingest/data/nicknames.tsv`."""
    resource = files("search.ingest") / "data" / "nicknames.tsv"
    pairs = (
        line.split("\t")
        for line in resource.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return frozenset((p[0].strip(), p[1].strip()) for p in pairs if len(p) == 2)


def canonical(value: str) -> str:
    """The canonical name for a known alias ("U.S." → "United States"), else `value` itself."""
    return aliases().get(facet_key(value), value)


def choose_display(forms: Mapping[str, int]) -> str:
    """The form to show for one key: most frequent, but never a headline-caps form if avoidable."""
    if not forms:
        raise ValueError("choose_display needs at least one form")
    candidates = list(forms)
    if any(not form.isupper() for form in candidates):
        candidates = [form for form in candidates if not _is_headline_caps(form)]
    # Ties: prefer non-caps, then a stable order so every index build shows the same form.
    return min(candidates, key=lambda form: (-forms[form], form.isupper(), form))


def _is_headline_caps(form: str) -> bool:
    """An all-caps form that is a shouted word ("LONDON"), not an acronym ("NATO", "BBC")."""
    if not form.isupper():
        return False
    if len(form.split()) > 1:
        return True
    letters = [ch for ch in form if ch.isalpha()]
    if len(letters) <= 4 or any(ch in ".&" or ch.isdigit() for ch in form):
        return False
    return any(ch in _VOWELS for ch in letters)
