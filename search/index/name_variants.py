"""Variant names of one organisation or place, linked to the most used one.

In: `CorpusLinks` after the corpus-level typing, one facet's keys with their forms and
document counts. Out: more decisions on it — a firm's name with and without its
designators ("Commodity Credit Corp", "Commodity Credit Corporation"), an acronym (built
from word prefixes, "UKIP"; or, for two letters, proved by the documents naming both), an "X
Party" or "House of X", a sponsor's prefix, a score after a name, a fragment of longer names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from search.index.entity_names import (
    LINK_SHARE,
    OTHER_MIN_DOCS,
    SMALL_WORDS,
    CorpusLinks,
    link_short,
)
from search.ingest.mention_rules import DESIGNATORS, countries, is_demonym
from search.ingest.normalize import canonical, facet_key

__all__ = [
    "PREFIX_RATIO",
    "defined_short",
    "initials_of",
    "merge_names",
    "named_where",
    "variants",
]



def _total(forms: Counter[str]) -> int:
    return forms.total()


_NUMBER_WORDS = {
    word: str(n) for n, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
         "ten", "eleven", "twelve"]
    )
}


def _prefix_acronym(acronym: str, words: Sequence[str]) -> bool:
    """Whether `acronym` is the words' initials, a short word counting whole ("ukip": uk
    independence party, "la": los angeles) and a number word as its figures ("g7": group of
    seven); small words may be skipped."""
    words = [w for w in words if w]
    if len(words) < 2 or acronym in words:
        return False

    def fits(a: int, w: int) -> bool:
        if a == len(acronym):
            return all(x in SMALL_WORDS for x in words[w:])
        if w == len(words):
            return False
        word = words[w]
        if word in SMALL_WORDS and fits(a, w + 1):
            return True
        if word[0] == acronym[a] and fits(a + 1, w + 1):
            return True
        digits = _NUMBER_WORDS.get(word)  # "G-7" of Group of Seven
        if digits is not None and acronym.startswith(digits, a) and fits(a + len(digits), w + 1):
            return True
        n = len(word)  # only a name's first word counts whole: "UK" of UK Independence Party
        return w == 0 and 1 < n <= 3 and acronym[a : a + n] == word and fits(a + n, w + 1)

    if fits(0, 0):
        return True
    # "IBM" of International Business Machines Corp: a company's designator is not in its
    # acronym, but then every other word must give a letter
    while words and words[-1].rstrip(".") in DESIGNATORS:
        words = words[:-1]
    plain = [w for w in words if w not in SMALL_WORDS]
    return len(plain) == len(acronym) and len(words) >= 2 and fits(0, 0)


DEFINED_MIN_DOCS = 2
"""Documents that must link a short form to one name before it is that name elsewhere."""


def defined_short(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    shortened: Mapping[str, Counter[str]],
) -> None:
    """An acronym or clipping that documents define ("the Commodity Credit Corporation
    (CCC)", "the Federal Reserve ... the Fed") is that name where it stands alone, when the
    documents defining it agree on one name."""
    for key in docs:
        names = Counter(
            {k: n for k, n in shortened.get(key, Counter()).items() if k != key and k in docs}
        )
        if not names or key in out.links.get(facet, {}):
            continue
        (name, most), = names.most_common(1)
        # "Fed" of the Federal Reserve and of the Federal Reserve Board: one name, and the
        # longer a form of it
        longer = [
            k for k, n in names.items()
            if k.startswith(name + " ") and n >= DEFINED_MIN_DOCS
            and n >= (1 - LINK_SHARE) * names.total()
        ]
        covered = most + sum(names[k] for k in longer)
        if most < DEFINED_MIN_DOCS or covered < LINK_SHARE * names.total():
            continue
        shown = docs[name].most_common(1)[0][0]
        out.decide(facet, key, name, f"stands for {shown!r} in the {most} documents that name both")
        for k in longer:
            why = f"{shown!r} too in the documents calling both {docs[key].most_common(1)[0][0]!r}"
            out.decide(facet, k, name, why)


def variants(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    where: Mapping[str, set[int]],
) -> None:
    """Merge variant names of one organisation or place under the most used one; `where`
    gives each key's documents (`named_where`)."""
    dropped = dict(out.links.get(facet, {}))
    live = [k for k in docs if k not in dropped]
    long_by_word: dict[str, list[str]] = {}
    # candidates for acronyms, by first letter and (letters out of order: `initials_of`)
    # by their initials sorted, which are never one letter
    long_by_letter: dict[str, list[str]] = {}
    for key in live:
        words = key.split()
        if len(words) > 1:
            for word in set(words):
                long_by_word.setdefault(word, []).append(key)
            if _total(docs[key]) >= 2:
                long_by_letter.setdefault(key[0], []).append(key)
                initials = initials_of(key.replace("-", " ").split())
                if len(initials) >= 3:
                    long_by_letter.setdefault("".join(sorted(initials)), []).append(key)
    _firm_cores(out, docs, facet, live)
    for key in live:
        words = key.split()
        letters = _letters(key, docs[key].most_common(1)[0][0])
        if len(words) > 1 and letters is None:
            name = " ".join(words[:-1])
            if words[-1].isdigit() and name in docs and words[-2] not in SMALL_WORDS:
                shown = docs[name].most_common(1)[0][0]
                out.decide(facet, key, name, f"{shown!r} with a number (a score) after it")
                continue
            _designated(out, docs, facet, key, words)
            if facet == "org":
                _prefixed(out, docs, facet, key, words, where)
            continue
        if letters is not None and _acronym(out, docs, facet, key, letters, long_by_letter, where):
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
            # "Labour" itself is the name; "Labour Party" is its variant
            _firm_short(out, docs, facet, key, longer)
            continue
        if not link_short(out, docs, facet, key, longer, "short form"):
            shown = ", ".join(repr(docs[k].most_common(1)[0][0]) for k in sorted(longer)[:3])
            why = f"a fragment of longer names ({shown}), rarely used alone"
            out.decide(facet, key, None, why)


def _designator(word: str) -> bool:
    return word.rstrip(".") in DESIGNATORS


def _designated(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    key: str,
    words: Sequence[str],
) -> None:
    """"House of X" is X when X is itself a name of this facet ("X Party" and "X and Co Inc"
    are merged by `_firm_cores`); a name of designators alone ("Co Inc") is none."""
    if all(_designator(w) or w in ("and", "&") for w in words):
        out.decide(facet, key, None, "only words like Co and Inc: the end of a firm's name")
        return
    house_of = len(words) == 3 and words[0] == "house" and words[1] == "of"
    if house_of and words[2] in docs and words[2] not in out.links.get(facet, {}):
        merge_names(out, docs, facet, key, words[2], "a variant")


def _firm_cores(
    out: CorpusLinks, docs: Mapping[str, Counter[str]], facet: str, live: Sequence[str]
) -> None:
    """A name with and without the words that say what it is is one name: "Morgan Stanley
    and Co Inc." and "Morgan Stanley", "Commodity Credit Corp" and "Commodity Credit
    Corporation", "Goldman, Sachs and Co" and "Goldman Sachs", "Labour Party" and "Labour";
    all go under the most used."""
    groups: dict[str, list[str]] = {}
    for key in live:
        # British and American spellings alike: "Organisation", "Organization"
        core = [w.rstrip(".,").replace("isation", "ization") for w in key.split()]
        if all(_designator(w) or w in ("and", "&") for w in core):
            continue  # "Co Inc": no name at all (`_designated`)
        while len(core) > 1 and (_designator(core[-1]) or core[-1] in ("and", "&")):
            core.pop()
        groups.setdefault(" ".join(core), []).append(key)
    for keys in groups.values():
        if len(keys) > 1:
            big = max(keys, key=lambda k: (_total(docs[k]), k))
            name = docs[big].most_common(1)[0][0]
            for key in keys:
                if key != big:
                    out.decide(facet, key, big, f"a variant of {name!r}, its more used name")


def _firm_short(
    out: CorpusLinks, docs: Mapping[str, Counter[str]], facet: str, key: str, longer: list[str]
) -> None:
    """A firm's own short name ("Moody's" of Moody's Investors Service Inc) is the one
    company's name it opens, when that holds LINK_SHARE of the companies' it opens."""
    firms: Counter[str] = Counter()
    for k in longer:
        words = k.split()
        if words[0] == key and any(_designator(w) for w in words[1:]):
            target = out.resolved(facet, k)
            if target is not None and target != key:
                firms[target] += _total(docs[k])
    if firms:
        (firm, most), = firms.most_common(1)
        if most >= max(2, LINK_SHARE * firms.total()):
            merge_names(out, docs, facet, key, firm, "the short name")


_MARKS = str.maketrans("", "", ".&/-")
"""What an acronym's letters are written with: "U.N.", "S&P", "S/P"."""


def _letters(key: str, form: str) -> str | None:
    """An acronym's letters ("FAO", "U.N.", "S&P", "S and P", "G-7" → "fao", "un", "sp",
    "g7"), or None when the name is none."""
    words = key.split()
    if len(words) == 1:
        return key.translate(_MARKS) if form.translate(_MARKS).isupper() else None
    letters = [w for w in words if w not in ("and", "&")]
    if len(letters) >= 2 and all(len(w) == 1 and w.isalpha() for w in letters):
        return "".join(letters)
    return None


TOGETHER_SHARE = 0.25
"""An acronym that no one long name dominates stands for the long name named beside it in
this share of its documents (and twice as often as any other)."""


def _acronym(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    key: str,
    letters: str,
    long_by_letter: Mapping[str, Sequence[str]],
    where: Mapping[str, set[int]],
) -> bool:
    """Link an acronym to the long name it stands for; whether it did."""
    # one document is no evidence that a long name and an acronym are one entity
    if not 2 <= len(letters) <= 6 or _total(docs[key]) < 2:
        return False
    docs_of: Counter[str] = Counter()  # each long name it fits, as it shows after its merges
    beside: Counter[str] = Counter()  # ... and the documents naming it with the acronym
    first = set(long_by_letter.get(letters[0], []))
    shuffled = set(long_by_letter.get("".join(sorted(letters)), []) if len(letters) >= 3 else [])
    for k in sorted(first | shuffled):
        words = k.replace("-", " ").split()
        in_order = k in first and _prefix_acronym(letters, words)
        if in_order or (k in shuffled and initials_of(words) != letters):
            target = out.resolved(facet, k)
            if target is not None and target != key and target in docs:
                # letters out of order ("USDA" of U.S. Agriculture Department) are proved
                # only by the documents naming both
                docs_of[target] += _total(docs[k]) if in_order else 0
                beside[target] += len(where.get(k, set()) & where.get(key, set()))
    if not beside:
        return False
    (top, most), *rest = docs_of.most_common()
    # "EC" is the European Community of 388 documents, not one of a few others; but two
    # letters stand for too much ("MG", "CA") unless they are a place's ("LA")
    specific = len(letters) >= 3 or any(ch.isdigit() for ch in letters)  # "G-7"
    if most and (specific or facet == "place" and not rest) and (
        most >= LINK_SHARE * docs_of.total()
    ):
        merge_names(out, docs, facet, key, top, "an acronym")
        return True
    (top, both), *rest_beside = beside.most_common()
    runner_up = rest_beside[0][1] if rest_beside else 0
    if both >= max(2, TOGETHER_SHARE * len(where.get(key, ())), 2 * runner_up):
        merge_names(out, docs, facet, key, top, "an acronym, named beside it in documents,")
        return True
    return False


def initials_of(words: Sequence[str]) -> str:
    """The words' initials, small words left out and an abbreviation's letters all counting:
    "u.s. agriculture department" → "usad" ("USDA", out of order)."""
    return "".join(
        w.replace(".", "") if w.count(".") > 1 else w[0]
        for w in words if w and w not in SMALL_WORDS
    )


PREFIX_RATIO = 3
"""A name with a leading word ("New Labour", "RBS Six Nations") is the name without it when
that is used in this many times as many documents."""
ERA_WORDS = frozenset({"new", "old", "young"})
"""Words of a party's era or wing before its name: "New Labour", "Old Labour" are Labour,
when at least half the documents naming the one name the other ("New England" of American
football is no England, nor Canada's "New Democrats" the Democrats)."""


def _prefixed(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    key: str,
    words: Sequence[str],
    where: Mapping[str, set[int]],
) -> None:
    """A sponsor's or qualifier's word before a much more used name is that name."""
    rest = " ".join(words[1:])
    mine = where.get(key, set())
    if words[0] in ERA_WORDS and 2 * len(mine & where.get(rest, set())) < len(mine):
        return
    # A word before "Bank of New Zealand" names another bank: the Reserve Bank of New
    # Zealand, the Royal Bank of Scotland. "Bank", "World", "Opera" alone are any bank,
    # world or opera: only a sponsor that is a name of its own ("RBS Six Nations") or an
    # era's word ("New Labour") may stand before a one-word name; "Social Democrats" and
    # "Free Democrats" are not the Democrats
    if " of " in f" {rest} " and _names_another(words[0]):
        return
    if len(words) == 2 and words[0] not in ERA_WORDS and (
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


_NOT_NAME_WORDS = frozenset(
    {"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
)


def _names_another(word: str) -> bool:
    """Whether a word before an "X of Y" name makes it another body's ("Reserve" of the
    Reserve Bank of New Zealand), not an article, a number ("Five Bank of America") or a
    country's word ("Japanese Ministry of International Trade and Industry")."""
    return not (
        word in _NOT_NAME_WORDS
        or word[:1].isdigit()
        or canonical(word).casefold() in countries()
        or is_demonym(word)
    )


def merge_names(
    out: CorpusLinks, docs: Mapping[str, Counter[str]], facet: str, a: str, b: str, what: str
) -> None:
    """Merge two keys naming one entity: the less used links to the more used."""
    small, big = sorted((a, b), key=lambda k: (_total(docs[k]), k))
    if out.links.get(facet, {}).get(big, big) != big:
        return
    name = docs[big].most_common(1)[0][0]
    out.decide(facet, small, big, f"{what} of {name!r}, its more used name")


def named_where(rows: Sequence[Sequence[str]]) -> dict[str, set[int]]:
    """key → the documents (indexes into `rows`) naming it."""
    where: dict[str, set[int]] = {}
    for n, values in enumerate(rows):
        for value in values:
            where.setdefault(facet_key(value), set()).add(n)
    return where
