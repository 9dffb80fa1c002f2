"""Normalisation stage: entity mentions in, clean facet values out.

Vocabulary: a *mention* is one entity occurrence from the extractor (surface text + label); a
*value* is the cleaned display string a facet stores; a *key* (`facet_key`) is the case- and
accent-insensitive form under which values count as one; a *form* is one surface spelling of a
key, and `choose_display` picks which form to show for a key across the corpus. Within one
document `normalize_document` also repairs types and links surnames and acronyms.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import Protocol

from search.config import FACETS

MAX_VALUE_CHARS = 80
"""Longer 'entities' are almost always a mis-tagged clause, not a name."""

PERSON_LABEL = "PERSON"

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
    """The alias table from `search/data/aliases.tsv`: facet_key(alias) → canonical value."""
    resource = files("search.ingest") / "data" / "aliases.tsv"
    table: dict[str, str] = {}
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


@dataclass(slots=True)
class _Item:
    """One surviving mention while a document is being normalised."""

    facet: str
    value: str

    @property
    def key(self) -> str:
        return facet_key(self.value)

    @property
    def words(self) -> list[str]:
        return self.value.split()


def normalize_document(
    mentions: Sequence[MentionLike], facets: Mapping[str, Sequence[str]] = FACETS
) -> dict[str, list[str]]:
    """One document's facet values: facet → distinct values, most mentioned first."""
    return {
        facet: list(counted)
        for facet, counted in count_document(mentions, facets).items()
    }


def count_document(
    mentions: Sequence[MentionLike], facets: Mapping[str, Sequence[str]] = FACETS
) -> dict[str, dict[str, int]]:
    """One document's facet values with how often each is mentioned: facet → {value:
    mentions}, most mentioned first (what facets break ties on)."""
    facet_of = {label: facet for facet, labels in facets.items() for label in labels}
    items: list[_Item] = []
    for mention in mentions:
        facet = facet_of.get(mention.label)
        value = clean_mention(mention.text) if facet is not None else None
        if facet is not None and value is not None:
            items.append(_Item(facet, canonical(value)))
    person = next((f for f, labels in facets.items() if PERSON_LABEL in labels), None)
    if person is not None:
        _repair_types(items, person)
        _link_surnames(items, person)
    _link_acronyms(items, person)
    return _aggregate(items, facets, person)


def _repair_types(items: list[_Item], person: str) -> None:
    """Give each name one side of the person/non-person divide, surnames of people included."""
    multi = [item for item in items if len(item.words) > 1]
    _vote(multi, person)
    surnames = _surname_index(items, person)
    for item in items:
        if item.facet != person and len(item.words) == 1 and item.key in surnames:
            item.facet = person
    _vote([item for item in items if len(item.words) == 1], person)


def _vote(items: list[_Item], person: str) -> None:
    """Where a key is tagged both person and not, the majority wins (person on a tie)."""
    by_key: dict[str, list[_Item]] = {}
    for item in items:
        by_key.setdefault(item.key, []).append(item)
    for group in by_key.values():
        others = Counter(item.facet for item in group if item.facet != person)
        people = sum(1 for item in group if item.facet == person)
        if not others or not people:
            continue
        winner = person if people >= others.total() else others.most_common(1)[0][0]
        for item in group:
            if winner == person or item.facet == person:
                item.facet = winner


def _surname_index(items: list[_Item], person: str) -> dict[str, list[str]]:
    """facet_key of a last name → the distinct full person names (values) ending in it."""
    index: dict[str, list[str]] = {}
    seen: set[str] = set()
    for item in items:
        if item.facet != person or len(item.words) < 2 or item.key in seen:
            continue
        seen.add(item.key)
        index.setdefault(facet_key(item.words[-1]), []).append(item.value)
    return index


def _link_surnames(items: list[_Item], person: str) -> None:
    """A bare surname becomes the full name it abbreviates, if exactly one full name fits."""
    surnames = _surname_index(items, person)
    for item in items:
        if item.facet == person and len(item.words) == 1:
            names = surnames.get(item.key, [])
            if len(names) == 1:
                item.value = names[0]


def _initials(value: str) -> str:
    """Initials of the capitalised words: "World Health Organization" → "WHO"."""
    words = [word for word in _WORD_SPLIT.split(value) if word[:1].isupper()]
    return "".join(word[0] for word in words) if len(words) > 1 else ""


def _link_acronyms(items: list[_Item], person: str | None) -> None:
    """An acronym becomes the long name it abbreviates when both occur in the document."""
    long_names: dict[str, dict[str, _Item]] = {}
    for item in items:
        initials = _initials(item.value) if item.facet != person else ""
        if initials:
            long_names.setdefault(initials.upper(), {}).setdefault(item.key, item)
    for item in items:
        if item.facet == person or len(item.words) != 1 or not item.value.isupper():
            continue
        letters = "".join(ch for ch in item.value if ch.isalpha())
        matches = long_names.get(letters, {})
        if len(matches) == 1:
            (target,) = matches.values()
            item.facet, item.value = target.facet, target.value


def _aggregate(
    items: list[_Item], facets: Mapping[str, Sequence[str]], person: str | None
) -> dict[str, dict[str, int]]:
    """Count values per facet, order by count then first appearance, keep people out of others."""
    counts: dict[str, dict[str, Counter[str]]] = {facet: {} for facet in facets}
    for item in items:
        counts[item.facet].setdefault(item.key, Counter())[item.value] += 1
    people = set(counts[person]) if person is not None else set()
    result: dict[str, dict[str, int]] = {}
    for facet, by_key in counts.items():
        # dicts keep insertion order, so the enumeration index is the first appearance.
        ranked = sorted(
            enumerate(by_key.items()), key=lambda pair: (-pair[1][1].total(), pair[0])
        )
        result[facet] = {
            choose_display(forms): forms.total()
            for _, (key, forms) in ranked
            if facet == person or key not in people
        }
    return result
