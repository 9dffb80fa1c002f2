"""Entity names within one type: the decisions' record, and people's short forms.

`CorpusLinks` records the corpus-level decisions (`search.index.entity_links`). Here: in one
facet's keys with their forms and document counts, a lone surname or first name, a title or
an initial with a surname, is linked to the full name it stands for or dropped as ambiguous,
and a full name by a nickname ("Jim Wright") to the same name by its given name ("James
Wright"), with the reason `show --why` gives (organisations' and places' variants:
`name_variants`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from search.ingest.mention_rules import PLAIN_TITLES, TITLES
from search.ingest.normalize import OTHER, facet_key, nicknames

OTHER_MIN_DOCS = 3
"""Fewer documents than this are too few evidence to call a name anything else."""
LINK_SHARE = 0.8
"""A short form links to the full name that holds this share of the documents of all the
full names it could stand for."""
_TITLE_KEYS = frozenset(t.lower() for t in TITLES)
SMALL_WORDS = frozenset({"of", "the", "and", "for", "de", "du", "la", "le", "von", "van", "&"})
"""Words inside names that no initial or acronym letter stands for."""


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

    def resolved(self, facet: str, key: str) -> str | None:
        """What a key shows as after the links decided so far (None: dropped)."""
        table = self.links.get(facet, {})
        seen: set[str] = set()
        current: str | None = key
        while current is not None and current in table and current not in seen:
            seen.add(current)
            current = table[current]
        return current

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


SHARED_SHARE = 0.2
"""Two full names one nickname apart are one person when this share of the people and
organisations named beside one of them (the one with fewer) are named beside the other too:
"Bill Gates" and "Robert Gates" share none ("bill" is a nickname of William and of Robert)."""
SHARED_MIN = 2
"""Names they must share at least, and documents the rarer needs: in one document a
namesake on the same team shares its names too (Steve Jones the Dragons hooker, Stephen
Jones the Wales fly-half)."""


def nicknamed(out: CorpusLinks, docs: Mapping[str, Counter[str]], person: str) -> None:
    """A full name that another turns into by a nickname of its first name ("Jim Wright" and
    "James Wright", data: nicknames.tsv) is that person, under the more used of the two,
    when the documents naming them name the same people and organisations beside them."""
    pairs = nicknames()
    dropped = out.links.get(person, {})
    by_rest: dict[str, list[str]] = {}
    for key in docs:
        first, *rest = key.split()
        if rest and key not in dropped and not _titled(key) and not _initialled(key):
            by_rest.setdefault(" ".join(rest), []).append(key)
    found: dict[str, str] = {}  # rarer key → the more used
    for keys in by_rest.values():
        for key in keys:
            first = key.split()[0]
            fits = [
                k for k in keys
                if (first, k.split()[0]) in pairs or (k.split()[0], first) in pairs
            ]
            if len(fits) != 1 or _total(docs[key]) < SHARED_MIN:
                continue
            if (_total(docs[fits[0]]), fits[0]) > (_total(docs[key]), key):
                found[key] = fits[0]
    beside = _beside(out, person, {*found, *found.values()})
    for key, target in found.items():
        shared = beside[key] & beside[target]
        fewer = min(len(beside[key]), len(beside[target]))
        if len(shared) < max(SHARED_MIN, SHARED_SHARE * fewer):
            continue
        name = docs[target].most_common(1)[0][0]
        given = name.split()[0]
        why = (
            f"{key.split()[0]!r} and {given!r} are one given name, and {len(shared)} names "
            f"beside them are the same: the same person as {name!r}"
        )
        out.decide(person, key, target, why)


def _beside(out: CorpusLinks, person: str, keys: set[str]) -> dict[str, set[str]]:
    """key → the people and organisations named in its documents (for these person keys)."""
    beside: dict[str, set[str]] = {key: set() for key in keys}
    rows = out.rows.get(person, [])
    orgs = out.rows.get("org", [])  # the facet of that name, as elsewhere in this stage
    for n, values in enumerate(rows):
        named = {facet_key(v) for v in values}
        if named & keys:
            others = named | {facet_key(v) for v in (orgs[n] if n < len(orgs) else ())}
            for key in named & keys:
                beside[key] |= others - {key}
    return beside


def _titled(key: str) -> bool:
    """Whether a name is a title and a surname: "lord falconer", "mr hayes"."""
    words = key.split()
    return len(words) == 2 and words[0].rstrip(".") in _TITLE_KEYS


def _initialled(key: str) -> bool:
    """Whether a name starts with an initial: "g easterby", "j.r. ewing"."""
    first = key.split()[0].replace(".", "")
    return 0 < len(first) <= 2 and " " in key
