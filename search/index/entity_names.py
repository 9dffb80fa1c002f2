"""Entity names within one type: short forms and variants linked to one name, or dropped.

In: `CorpusLinks` after the corpus-level typing (`search.index.entity_links`), one facet's
keys with their forms and document counts. Out: more decisions recorded on it — a lone
surname or first name, a title or an initial with a surname, an acronym, an "X Party", a
sponsor's prefix, a fragment of longer names — each linked to the full name it stands for or
dropped as ambiguous, with the reason `show --why` gives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from search.ingest.mention_rules import DESIGNATORS, PLAIN_TITLES, TITLES
from search.ingest.normalize import OTHER, facet_key

OTHER_MIN_DOCS = 3
"""Fewer documents than this are too few evidence to call a name anything else."""
LINK_SHARE = 0.8
"""A short form links to the full name that holds this share of the documents of all the
full names it could stand for."""
_TITLE_KEYS = frozenset(t.lower() for t in TITLES)
_SMALL = frozenset({"of", "the", "and", "for", "de", "du", "la", "le", "von", "van", "&"})


@dataclass
class CorpusLinks:
    """The corpus-level decisions: retyped rows, and per facet key → target key or None.

    `origins` says, per facet and key, under which other (type, key) the index holds some of
    its documents: a name moved from another type or rewritten from an abbreviation is
    still indexed as it was, and filters must look there too.
    """

    rows: dict[str, list[list[str]]]
    links: dict[str, dict[str, str | None]] = field(default_factory=dict)
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)
    origins: dict[str, dict[str, set[tuple[str, str]]]] = field(default_factory=dict)

    def came_from(self, facet: str, key: str, source: tuple[str, str]) -> None:
        """Record that documents of `key` in `facet` are indexed as `source` (type, key)."""
        if source != (facet, key):
            self.origins.setdefault(facet, {}).setdefault(key, set()).add(source)

    def decide(self, facet: str, key: str, target: str | None, why: str) -> None:
        """Record that `key` in `facet` becomes `target` (None: dropped), and why."""
        if key in self.links.setdefault(facet, {}):
            return
        self.links[facet][key] = target
        self.reasons.setdefault(facet, {})[key] = why


def _total(forms: Counter[str]) -> int:
    return forms.total()


def link_short(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    key: str,
    candidates: Sequence[str],
    what: str,
) -> bool:
    """Link `key` to the candidate holding LINK_SHARE of the candidates' documents."""
    if not candidates:
        return False
    ranked = sorted(candidates, key=lambda k: (-_total(docs[k]), k))
    top = _total(docs[ranked[0]])
    if top < LINK_MIN_DOCS and _total(docs[key]) > 2 * top:
        # "Blackburn" alone in 15 documents is not the Tony Blackburn of one
        return False
    if top >= LINK_SHARE * sum(_total(docs[k]) for k in ranked):
        name = docs[ranked[0]].most_common(1)[0][0]
        out.decide(facet, key, ranked[0], f"the {what} of {name!r} across the corpus")
        return True
    return False


LINK_MIN_DOCS = 3
"""A short form used alone in more than twice as many documents as its full name links to
it only if the full name is in at least this many: one mention explains no more."""
NAMED_ELSEWHERE = 0.2
"""A bare surname is not linked corpus-wide when the word names places or organisations in
this share of as many documents ("Blackburn" the town and Blackburn Rovers, not Tony
Blackburn): there it may be anything."""


def _other_uses(out: CorpusLinks, person: str) -> Counter[str]:
    """word → documents using it inside a place's or organisation's name."""
    uses: Counter[str] = Counter()
    for kind, rows in out.rows.items():
        if kind in (person, OTHER):
            continue
        for values in rows:
            uses.update({w for v in values for w in facet_key(v).split()})
    return uses


def short_names(out: CorpusLinks, docs: Mapping[str, Counter[str]], person: str) -> None:
    """A lone surname or first name, or an initial and surname, becomes the full name it
    stands for in the corpus; one that could stand for several full names is dropped."""
    dropped = out.links.get(person, {})
    elsewhere = _other_uses(out, person)
    together: dict[str, set[str]] = {}  # initialled key → full names in its documents
    for values in out.rows.get(person, []):
        keys = [facet_key(v) for v in values]
        for key in keys:
            if _initialled(key):
                together.setdefault(key, set()).update(k for k in keys if k != key)
    full = [
        k for k in docs
        if " " in k and k not in dropped and not _initialled(k) and not _titled(k)
    ]
    by_last: dict[str, list[str]] = {}
    by_first: dict[str, list[str]] = {}
    for key in full:
        words = key.split()
        by_last.setdefault(words[-1], []).append(key)
        by_first.setdefault(words[0], []).append(key)
    for key in docs:
        if key in dropped:
            continue
        words = key.split()
        if len(words) == 1:
            names = sorted(set(by_last.get(key, []) + by_first.get(key, [])))
            if not names:
                continue  # never part of a full name: a mononym (Madonna, Bono)
            if elsewhere[key] >= NAMED_ELSEWHERE * _total(docs[key]):
                why = (
                    f"a short name whose word also names places or organisations "
                    f"({elsewhere[key]} documents): it may stand for anything"
                )
                out.decide(person, key, None, why)
                continue
            role = "surname" if by_last.get(key) else "first name"
            if link_short(out, docs, person, key, names, role):
                continue
            if names:
                shown = ", ".join(repr(docs[n].most_common(1)[0][0]) for n in names[:3])
                more = f" and {len(names) - 3} more" if len(names) > 3 else ""
                why = f"a short name that could be any of {shown}{more}"
                out.decide(person, key, None, why)
        elif len(words) == 2 and _titled(key):
            if link_short(out, docs, person, key, by_last.get(words[1], []), "surname"):
                continue
            if words[0] in PLAIN_TITLES:
                why = f"a surname after a title ({key!r}) that no full name explains"
                out.decide(person, key, None, why)
        elif len(words) == 2 and _initialled(key):
            initial = words[0][0]
            fits = [k for k in by_last.get(words[1], []) if k[0] == initial]
            # "G Easterby" is Guy Easterby only if some document names him both ways: a
            # scorecard's "M. Butcher" may be anyone of that initial
            seen = together.get(key, set())
            fits = [k for k in fits if k in seen]
            if len(fits) == 1:
                name = docs[fits[0]].most_common(1)[0][0]
                why = f"the initial and surname of {name!r}, written both ways in a document"
                out.decide(person, key, fits[0], why)


def _titled(key: str) -> bool:
    """Whether a name is a title and a surname: "lord falconer", "mr hayes"."""
    words = key.split()
    return len(words) == 2 and words[0].rstrip(".") in _TITLE_KEYS


def _initialled(key: str) -> bool:
    """Whether a name starts with an initial: "g easterby", "j.r. ewing"."""
    first = key.split()[0].replace(".", "")
    return 0 < len(first) <= 2 and " " in key


def _prefix_acronym(acronym: str, words: Sequence[str]) -> bool:
    """Whether `acronym` is the words' initials, a short word counting whole ("ukip": uk
    independence party, "la": los angeles); small words may be skipped."""
    words = [w for w in words if w]
    if len(words) < 2 or acronym in words:
        return False

    def fits(a: int, w: int) -> bool:
        if a == len(acronym):
            return all(x in _SMALL for x in words[w:])
        if w == len(words):
            return False
        word = words[w]
        if word in _SMALL and fits(a, w + 1):
            return True
        if word[0] == acronym[a] and fits(a + 1, w + 1):
            return True
        n = len(word)  # only a name's first word counts whole: "UK" of UK Independence Party
        return w == 0 and 1 < n <= 3 and acronym[a : a + n] == word and fits(a + n, w + 1)

    if fits(0, 0):
        return True
    # "IBM" of International Business Machines Corp: a company's designator is not in its
    # acronym, but then every other word must give a letter
    while words and words[-1].rstrip(".") in DESIGNATORS:
        words = words[:-1]
    plain = [w for w in words if w not in _SMALL]
    return len(plain) == len(acronym) and len(words) >= 2 and fits(0, 0)


def variants(out: CorpusLinks, docs: Mapping[str, Counter[str]], facet: str) -> None:
    """Merge variant names of one organisation or place under the most used one."""
    dropped = dict(out.links.get(facet, {}))
    live = [k for k in docs if k not in dropped]
    long_by_word: dict[str, list[str]] = {}
    long_by_letter: dict[str, list[str]] = {}  # candidates for acronyms, by first letter
    for key in live:
        words = key.split()
        if len(words) > 1:
            for word in set(words):
                long_by_word.setdefault(word, []).append(key)
            if _total(docs[key]) >= 2:
                long_by_letter.setdefault(key[0], []).append(key)
    for key in live:
        words = key.split()
        if len(words) > 1 and words[-1].isdigit() and " ".join(words[:-1]) in docs:
            name = " ".join(words[:-1])
            shown = docs[name].most_common(1)[0][0]
            out.decide(facet, key, name, f"{shown!r} with a number (a score) after it")
            continue
        if len(words) > 1:
            _designated(out, docs, facet, key, words)
            if facet == "org":
                _prefixed(out, docs, facet, key, words)
            continue
        acronym = key.replace(".", "")
        form = docs[key].most_common(1)[0][0]
        # two letters stand for too much ("MG", "CA"), except for places ("LA")
        least = 2 if facet == "place" else 3
        if form.replace(".", "").isupper() and least <= len(acronym) <= 6:
            # one document is no evidence that a long name and an acronym are one entity
            expansions = [
                k for k in long_by_letter.get(acronym[0], [])
                if _prefix_acronym(acronym, k.replace("-", " ").split())
            ]
            if _total(docs[key]) < 2:
                expansions = []
            if len(expansions) > 1 and len(acronym) >= 3:
                # "EC" is the European Community of 388 documents, not one of a few others
                ranked = sorted(expansions, key=lambda k: -_total(docs[k]))
                top = _total(docs[ranked[0]])
                expansions = ranked[:1] if top >= LINK_SHARE * sum(
                    _total(docs[k]) for k in ranked) else []
            if len(expansions) == 1:
                _merge(out, docs, facet, key, expansions[0], "an acronym")
                continue
        longer = long_by_word.get(key, [])
        if not longer:
            continue
        if facet != "org":  # York is not New York: a place is only dropped as a fragment
            if _total(docs[key]) * 2 < sum(_total(docs[k]) for k in longer) and len(longer) > 1:
                shown = ", ".join(repr(docs[k].most_common(1)[0][0]) for k in sorted(longer)[:3])
                out.decide(facet, key, None, f"a fragment of longer names ({shown})")
            continue
        alone, within = _total(docs[key]), sum(_total(docs[k]) for k in longer)
        if alone >= within:
            continue  # "Labour" itself is the name; "Labour Party" is its variant
        if not link_short(out, docs, facet, key, longer, "short form"):
            shown = ", ".join(repr(docs[k].most_common(1)[0][0]) for k in sorted(longer)[:3])
            why = f"a fragment of longer names ({shown}), rarely used alone"
            out.decide(facet, key, None, why)


def follow_others(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    others: Mapping[str, Counter[str]],
    facet: str,
) -> None:
    """An acronym or a sponsored form of an event, work or product is none of this facet's
    ("CES" of Consumer Electronics Show, "RBS Six Nations" of Six Nations)."""
    initials: dict[str, list[str]] = {}
    for k in others:
        if " " in k and _total(others[k]) >= OTHER_MIN_DOCS:
            initials.setdefault(_initials(k), []).append(k)
    own = {_initials(k) for k in docs if " " in k}
    for key, forms in docs.items():
        if key in out.links.get(facet, {}):
            continue
        words = key.split()
        form = forms.most_common(1)[0][0]
        if len(words) == 1 and form.replace(".", "").isupper() and 2 <= len(key) <= 6:
            acronym = key.replace(".", "")
            found = initials.get(acronym, [])
            if len(found) == 1 and acronym not in own:
                name = others[found[0]].most_common(1)[0][0]
                out.decide(facet, key, None, f"the acronym of {name!r}, which names no {facet}")
        elif len(words) > 1:
            rest = " ".join(words[1:])
            if (
                len(words) > 2
                and rest in others
                and _total(others[rest]) >= PREFIX_RATIO * _total(forms)
            ):
                name = others[rest].most_common(1)[0][0]
                out.decide(facet, key, None, f"{name!r} with a word before it: no {facet}")


def _initials(key: str) -> str:
    """The first letters of a name's words, small words left out: "consumer electronics show"
    → "ces"."""
    return "".join(w[0] for w in key.split() if w not in _SMALL)


def _designator(word: str) -> bool:
    return word.rstrip(".") in DESIGNATORS


def _designated(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    key: str,
    words: Sequence[str],
) -> None:
    """"X Party", "X and Co Inc" and "House of X" are X when X is itself a name of this
    facet; a name of designators alone ("Co Inc") is none."""
    if all(_designator(w) or w in ("and", "&") for w in words):
        out.decide(facet, key, None, "only words like Co and Inc: the end of a firm's name")
        return
    base = None
    rest = list(words)
    while len(rest) > 1 and (_designator(rest[-1]) or rest[-1] in ("and", "&")):
        rest.pop()
        if " ".join(rest) in docs and rest[-1] not in ("and", "&"):
            base = " ".join(rest)
            break
    if base is None and len(words) == 3 and words[0] == "house" and words[1] == "of":
        base = words[2]
    if base and base in docs and base not in out.links.get(facet, {}):
        _merge(out, docs, facet, key, base, "a variant")


PREFIX_RATIO = 3
"""A name with a leading word ("New Labour", "RBS Six Nations") is the name without it when
that is used in this many times as many documents."""


def _prefixed(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    key: str,
    words: Sequence[str],
) -> None:
    """A sponsor's or qualifier's word before a much more used name is that name."""
    rest = " ".join(words[1:])
    # "Bank", "World", "Opera" alone are any bank, world or opera: only a sponsor that is a
    # name of its own ("RBS Six Nations") may stand before a one-word name
    if len(words) == 2 and (
        words[0] not in docs
        or words[0] in out.links.get(facet, {})
        or _total(docs[words[0]]) < OTHER_MIN_DOCS
    ):
        return
    if (
        rest in docs
        and rest not in out.links.get(facet, {})
        and _total(docs[rest]) >= PREFIX_RATIO * _total(docs[key])
    ):
        name = docs[rest].most_common(1)[0][0]
        out.decide(facet, key, rest, f"{name!r} with a word before it")


def _merge(
    out: CorpusLinks, docs: Mapping[str, Counter[str]], facet: str, a: str, b: str, what: str
) -> None:
    """Merge two keys naming one entity: the less used links to the more used."""
    small, big = sorted((a, b), key=lambda k: (_total(docs[k]), k))
    if out.links.get(facet, {}).get(big, big) != big:
        return
    name = docs[big].most_common(1)[0][0]
    out.decide(facet, small, big, f"{what} of {name!r}, its more used name")
