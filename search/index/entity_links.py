"""Corpus-level entity decisions: every document's values in, one type and one name per entity out.

In: each type's values per document as the index holds them (`person`, `place`, `org` and the
non-entity `other`), and the index's document frequencies of words. Out: `CorpusLinks` — the
values retyped so that a name has one type across the corpus, and per facet the keys that link
to another key (a short form to its full name, a variant to its canonical form) or are dropped,
each with the reason `show --why` gives. Nothing here re-runs NER: it reads what the index
already holds, so it costs a pass over the facet columns per index generation. This module
settles types (firms named after people, nationalities and teams taken for people, names
always written out in full) and the pieces of organisations' names. `common_names` drops
common words; `entity_names` links people's short forms and `name_variants` the
variants of organisations' and places' names, and the short forms documents define for them
(`Analysis.short_forms`); `thing_names` drops the works and products documents write as such.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from search.index.common_names import DocFreq, drop_common
from search.index.entity_names import (
    OTHER_MIN_DOCS,
    CorpusLinks,
    link_short,
    nicknamed,
    short_names,
)
from search.index.name_variants import (
    defined_short,
    named_where,
    variants,
)
from search.index.national_names import generic_institutions, national
from search.index.nickname_links import link_nicknames
from search.index.thing_names import drop_things, follow_others
from search.ingest.mention_rules import DESIGNATORS
from search.ingest.normalize import OTHER, facet_key

TYPE_SHARE = 2 / 3
"""A name takes one type corpus-wide when that type holds this share of its documents;
below it the evidence is split (Washington the place and the person) and each stays."""
OTHER_SHARE = 0.2
"""A name is a nationality, work, event or product (`other`) when that holds this share of its
documents: the model tags those as people and organisations far more often than it tags a
real person or company as a work or an event, so a minority of such evidence is telling."""
NOT_A_PERSON_SHARE = 0.2
"""A one-word name that no full name explains is not a person when places or organisations
hold this share of its documents: the model mistakes a team or a county in a results line
for a person far more often than it tags a real person as a place."""
FULL_MIN_DOCS = 3
"""Documents naming a "person" more than once that are needed to judge how it is named."""
FULL_SHARE = 0.8
"""A "person" named in full every time in this share of those documents is no person: news
names people by surname after the first mention."""
UNEXPLAINED_OTHER_DOCS = 2
"""Documents calling such a one-word "person" a nationality, work or event that make it one:
a mononym (Madonna, Bono) is never tagged so."""
FIRM_SHARE = 0.2
"""A name that opens a company's name in this share of as many documents as it is a person
in is that company (wire copy names a broker by its founder: "James Capel said")."""
_FIRM_WORDS = DESIGNATORS | {"and", "&"}
"""What follows a founder's name in a firm's ("... and Co", "... Holdings Ltd", "Duff and
Phelps")."""

__all__ = ["CorpusLinks", "DocFreq", "link_corpus"]



def link_corpus(
    rows: Mapping[str, Sequence[Sequence[str]]],
    doc_freq: DocFreq,
    person: str = "person",
    place: str = "place",
    repeated: Mapping[str, tuple[int, int]] | None = None,
    shortened: Mapping[str, Counter[str]] | None = None,
    things: Mapping[str, int] | None = None,
    lists: Sequence[Mapping[str, bool]] = (),
    with_the: Mapping[str, int] | None = None,
) -> CorpusLinks:
    """All corpus-level decisions over `rows` (type → per document its values);
    `repeated` gives, per person key, the documents naming it more than once and those of
    them naming it in full every time (`Analysis.named_in_full`); `shortened`, per short
    form's key, the documents linking it to each name's key (`Analysis.short_forms`);
    `things`, per key, the documents writing it as a work or product; `lists`, the keys
    each document lists together (`Analysis.listed`), each with whether that document
    writes it as a thing; `with_the`, per key, the documents naming it by a plural after
    "the" every time (`Analysis.named_with_the`)."""
    out = CorpusLinks({t: [list(r) for r in rs] for t, rs in rows.items()})
    _abbreviations(out)
    _retype(out, person)
    docs = {t: _doc_counts(rs) for t, rs in out.rows.items()}
    facets = [t for t in out.rows if t != OTHER]
    for facet in facets:
        if facet != person:
            defined_short(out, docs[facet], facet, shortened or {})
    drop_common(out, docs, facets, doc_freq)
    drop_things(out, docs, facets, things or {}, lists, person)
    if repeated:
        _never_shortened(out, person, repeated)
    if person in docs:
        nicknamed(out, docs[person], person)
        short_names(out, docs[person], person)
    where = {t: named_where(out.rows[t]) for t in facets if t != person}
    for facet in facets:
        if facet != person:
            national_too = facet == "org" and place in where
            if national_too:  # before the variants: "Dutch Central Bank" is no Central Bank
                generic_institutions(out, docs[facet], facet, where[facet], where[place])
            variants(out, docs[facet], facet, where[facet])
            if facet == "org":
                _pieces(out, docs[facet], facet)
            if national_too:
                national(out, docs[facet], facet, where[facet], where[place])
            if facet == "org" and with_the:
                places = where.get(place, {})
                link_nicknames(out, docs[facet], facet, where[facet], with_the, places)
            if OTHER in docs:
                follow_others(out, docs[facet], docs[OTHER], facet)
    return out


def _doc_counts(rows: Sequence[Sequence[str]]) -> dict[str, Counter[str]]:
    """key → its forms, each with the number of documents using it."""
    counts: dict[str, Counter[str]] = {}
    for values in rows:
        for value in values:
            counts.setdefault(facet_key(value), Counter())[value] += 1
    return counts


def _abbreviates(short: Sequence[str], long: Sequence[str]) -> bool:
    """Whether each word of `short` is the same word of `long` or abbreviates it: a prefix
    ("lib dems": liberal democrats) or, for a short word without vowels, its consonants in
    order ("man utd": manchester united)."""
    if len(short) != len(long) or len(short) < 2 or list(short) == list(long):
        return False
    for a, b in zip(short, long, strict=True):
        if a == b:
            continue
        a = a.removesuffix("s") if len(a) > 2 and b.endswith("s") else a
        if len(a) >= len(b) or not a or a[0] != b[0]:
            return False
        if b.startswith(a):
            continue
        rest = iter(b[1:])
        skeleton = len(a) <= 3 and not set(a[1:]) & set("aeiouy")
        if not (skeleton and all(ch in rest for ch in a[1:])):
            return False
    return True


def _abbreviations(out: CorpusLinks) -> None:
    """Write abbreviated names as the name they abbreviate ("Man Utd" → "Manchester United"),
    across types, when exactly one name of as many words fits."""
    names: Counter[str] = Counter()
    people: Counter[str] = Counter()
    form: dict[str, str] = {}
    types: dict[str, Counter[str]] = {}
    for kind, rows in out.rows.items():
        for values in rows:
            for value in values:
                key = facet_key(value)
                names[key] += 1
                people[key] += kind == "person"
                form.setdefault(key, value)
                types.setdefault(key, Counter())[kind] += 1
    by_first: dict[tuple[str, int], list[str]] = {}
    for key in names:
        words = key.split()
        if len(words) > 1:
            by_first.setdefault((key[0], len(words)), []).append(key)
    renames: dict[str, str] = {}
    for key in names:
        words = key.split()
        if len(words) < 2 or any(len(w.rstrip(".")) == 1 for w in words):
            continue  # an initial is a person's: "S Jones" is no abbreviation of Sky Jones
        if not all(len(w) <= 4 for w in words[:-1]) or form[key].split()[0].isupper():
            continue
        fits = [
            k for k in by_first.get((key[0], len(words)), [])
            if names[k] > names[key] and 2 * people[k] < names[k]
            and _abbreviates(words, k.split())
        ]
        if len(fits) == 1:
            renames[key] = form[fits[0]]
    if not renames:
        return
    for kind, rows in out.rows.items():
        for n, values in enumerate(rows):
            moved: list[str] = []
            for i, value in enumerate(values):
                key = facet_key(value)
                into = renames.get(key)
                if into is None:
                    continue
                why = f"an abbreviation of {into!r}"
                values[i] = into
                # a "person" abbreviating a name that is mostly none ("Lib Dem" of the Lib
                # Dems) takes that name's type too, or it would outvote it
                target = types[facet_key(into)].most_common(1)[0][0]
                if kind == "person" and target != kind:
                    moved.append(into)
                    why += f", which is mostly {target}"
                    target_row = out.rows[target][n]
                    if into not in target_row:
                        target_row.append(into)
                    out.came_from(target, facet_key(into), (kind, key))
                else:
                    out.came_from(kind, facet_key(into), (kind, key))
                out.reasons.setdefault(kind, {})[key] = why
            if moved:
                values[:] = [v for v in values if v not in moved]


def _retype(out: CorpusLinks, person: str) -> None:
    """Move every value of a key to the type most of its documents give it."""
    types: dict[str, Counter[str]] = {}
    for kind, rows in out.rows.items():
        for values in rows:
            for key in {facet_key(v) for v in values}:
                types.setdefault(key, Counter())[kind] += 1
    in_full_names = {
        word for values in out.rows.get(person, []) for v in values
        if " " in (key := facet_key(v)) for word in key.split()
    }
    moves: dict[str, str] = {}
    for key, by_type in types.items():
        if len(by_type) < 2:
            continue
        winner, top = by_type.most_common(1)[0]
        total = by_type.total()
        if by_type[OTHER] >= max(OTHER_MIN_DOCS, OTHER_SHARE * total):
            winner, top = OTHER, total
        elif by_type[person] >= top and " " not in key and key not in in_full_names:
            # one word the model calls a person here and a nationality, a place or a team
            # there, and no person's full name explains: no person ("Welsh", "Kent"); with
            # too few documents to judge shares, no person when as often something else
            things = Counter({t: n for t, n in by_type.items() if t not in (person, OTHER)})
            if by_type[OTHER] >= UNEXPLAINED_OTHER_DOCS:
                winner, top = OTHER, total
            elif things and (
                things.total() >= by_type[person]
                or (total >= OTHER_MIN_DOCS and things.total() >= NOT_A_PERSON_SHARE * total)
            ):
                winner, top = things.most_common(1)[0][0], total
        if top >= TYPE_SHARE * total:
            moves[key] = winner
            for kind in by_type:
                out.came_from(winner, key, (kind, key))
                for source in out.origins.get(kind, {}).get(key, ()):
                    out.came_from(winner, key, source)
            counted = ", ".join(f"{t} {n}" for t, n in by_type.most_common())
            for kind in by_type:
                if kind != winner:
                    why = f"typed {winner} corpus-wide (documents: {counted})"
                    out.decide(kind, key, None, why)
    for key, (firm, docs, alone) in _firms(out, person, types).items():
        # a surname some person's full name explains stays theirs ("Smith" of John Smith)
        if moves.get(key, person) == person and (" " in key or key not in in_full_names):
            moves[key] = "org"
            out.came_from("org", key, (person, key))
            more = f", {alone} more an organisation alone" if alone else ""
            why = f"the firm {firm!r} ({docs} documents name it{more}), not a person"
            out.links.get(person, {}).pop(key, None)
            out.decide(person, key, None, why)
    if not moves:
        return
    n_docs = max(len(rows) for rows in out.rows.values())
    for i in range(n_docs):
        moved: dict[str, list[str]] = {}
        for kind, rows in out.rows.items():
            if i >= len(rows):
                continue
            keep: list[str] = []
            for value in rows[i]:
                target = moves.get(facet_key(value), kind)
                (keep if target == kind else moved.setdefault(target, [])).append(value)
            rows[i] = keep
        for kind, values in moved.items():
            if kind in out.rows and i < len(out.rows[kind]):
                row = out.rows[kind][i]
                have = {facet_key(v) for v in row}
                row.extend(v for v in values if facet_key(v) not in have)
    # the moves are done: only the other decisions below are links of the facets
    out.links.clear()


def _pieces(out: CorpusLinks, docs: Mapping[str, Counter[str]], facet: str) -> None:
    """Organisations' names the tagger cut short, linked to the name or dropped."""
    parts = _name_parts(list(docs))
    for key in docs:
        words = key.split()
        if len(words) > 1 and key not in out.links.get(facet, {}):
            _cut_short(out, docs, facet, key, parts.get(_plain(words), []))


def _plain(words: Sequence[str]) -> tuple[str, ...]:
    """Words as pieces of names compare: "Corp." and "Corp" alike."""
    return tuple(w.rstrip(".") for w in words)


def _docs(forms: Counter[str]) -> int:
    return forms.total()


def _name_parts(keys: Sequence[str]) -> dict[tuple[str, ...], list[str]]:
    """The pieces a tagger cuts from an organisation's name → the names: its last words
    ("Telegraph Co", "Poor's Corp" of Standard and Poor's Corp), and its words before an
    "and" ("American Telephone" of American Telephone and Telegraph Co)."""
    parts: dict[tuple[str, ...], list[str]] = {}
    for key in keys:
        words = key.split()
        for n in range(2, len(words)):
            if "of" not in words[-n:]:  # "Bank of Canada" is a name of its own
                parts.setdefault(_plain(words[-n:]), []).append(key)
            # "Kidder Peabody" of Kidder Peabody and Co is the firm's own short name
            after = words[n + 1 :]
            if words[n] in ("and", "&") and after and after[0].strip(".") not in DESIGNATORS:
                parts.setdefault(_plain(words[:n]), []).append(key)
    return parts


def _cut_short(
    out: CorpusLinks, docs: Mapping[str, Counter[str]], facet: str, key: str, longer: list[str]
) -> None:
    """A piece of longer names used less on its own than they are: the one it stands for,
    or dropped when it could be several ("Industries Inc")."""
    # the longer names as they show after their own merges; this name's variants are not
    # what it was cut from
    shown = {t for k in longer if (t := out.resolved(facet, k)) is not None and t in docs}
    shown.discard(key)
    if not shown or _docs(docs[key]) >= sum(_docs(docs[k]) for k in shown):
        return
    if not link_short(out, docs, facet, key, sorted(shown), "cut-off form"):
        names = ", ".join(repr(docs[k].most_common(1)[0][0]) for k in sorted(shown)[:3])
        out.decide(facet, key, None, f"a piece of longer names ({names}), rarely used alone")


def _firms(
    out: CorpusLinks, person: str, types: Mapping[str, Counter[str]]
) -> dict[str, tuple[str, int, int]]:
    """People's names that are firms' names: a "person" whose full name opens a company's
    name ("James Capel" of James Capel and Co, "Jardine Matheson" of Jardine Matheson
    Holdings Ltd) in FIRM_SHARE of as many documents → (that company, the documents naming
    it, those typing the name alone an organisation)."""
    org_rows = out.rows.get("org", [])
    if person not in out.rows or not org_rows:
        return {}
    firms: dict[str, Counter[str]] = {}  # a firm's leading words → its names' documents
    in_docs: dict[str, set[int]] = {}  # a firm's leading words → the documents naming it
    for doc, values in enumerate(org_rows):
        for value in values:
            # an initial keeps its point ("l.f. rothschild"), a designator loses it ("co.")
            words = [w.strip(",<>()") for w in facet_key(value).split()]
            bare = [w.rstrip(".") for w in words]
            if len(words) > 1 and any(w in _FIRM_WORDS for w in bare[1:]):
                for n in range(1, len(words)):
                    firms.setdefault(" ".join(words[:n]), Counter())[value] += 1
                    in_docs.setdefault(" ".join(words[:n]), set()).add(doc)
                    if bare[n] in _FIRM_WORDS:
                        break
    found: dict[str, tuple[str, int, int]] = {}
    for key, named in firms.items():
        people = types.get(key, Counter())[person]
        # and the documents that type the name alone an organisation ("an analyst with L.F.
        # Rothschild" of L.F. Rothschild, Unterberg, Towbin Inc)
        alone = types.get(key, Counter())["org"]
        docs = len(in_docs[key])
        if people and docs >= 2 and docs + alone >= FIRM_SHARE * people:
            found[key] = (named.most_common(1)[0][0], docs, alone)
    return found


def _never_shortened(
    out: CorpusLinks, person: str, repeated: Mapping[str, tuple[int, int]]
) -> None:
    """Drop the "people" the corpus always names in full: titles of works, bands, characters."""
    for key, (many, in_full) in repeated.items():
        if many >= FULL_MIN_DOCS and in_full >= FULL_SHARE * many:
            why = (
                f"named in full every time in {in_full} of the {many} documents naming it "
                "more than once, never by a first or last name: a title, a band or a "
                "character, not a person"
            )
            out.decide(person, key, None, why)
