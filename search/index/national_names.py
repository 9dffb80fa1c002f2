"""Names with a country's word: one country's institution, or an institution of every country.

In: `CorpusLinks`, one facet's keys with their forms and document counts, and the documents
naming each of its keys and each place. Out: a country's form linked to the name alone when
the corpus's documents mostly name that country beside it ("U.S. Treasury" is Reuters'
"Treasury"; the BBC's "Treasury" is Britain's), and a name alone dropped when many countries
have their own form of it and no country goes with it: "Central Bank", in a corpus naming
the central banks of Brazil, Kenya, Kuwait and seven more countries, names none of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from search.index.entity_names import CorpusLinks
from search.index.name_variants import merge_names
from search.ingest.mention_rules import countries, nationality_countries
from search.ingest.normalize import canonical, facet_key

__all__ = ["GENERIC_NATIONS", "NATIONAL_SHARE", "generic_institutions", "national"]

NATIONAL_SHARE = 0.5
"""A country's name before an organisation's name ("U.S. Treasury") is that name when this
share of the documents naming the organisation alone name the country too."""
GENERIC_NATIONS = 4
"""Countries with their own form of a name ("Brazilian Central Bank", "Central Bank of
Kenya") that may make the name alone an institution of any country. Reuters-21578 names
the Treasuries of six countries but mostly the United States' (`NATIONAL_SHARE`)."""
GENERIC_SPREAD = 3
"""How many of those countries must be named beside the name alone, each in `GENERIC_BESIDE`
documents: Reuters-21578's "Central Bank" is named with Brazil, Venezuela, Nigeria, Kuwait
and four more, each time the one it belongs to. A home institution is named with its own
country and towns ("Parliament" with Britain), whatever other countries' are called."""
GENERIC_BESIDE = 2
"""Documents that must name a country beside the name alone for it to count: one is chance."""


def national(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    where: Mapping[str, set[int]],
    in_place: Mapping[str, set[int]],
) -> None:
    """"U.S. Treasury" and "Treasury" are one name in a corpus whose Treasury is mostly the
    United States' (Reuters); not in one whose Treasury is mostly Britain's (the BBC).
    `where` and `in_place` give the documents of each key of this facet and of places."""
    for key, forms in docs.items():
        first, *rest = forms.most_common(1)[0][0].split()
        name = facet_key(" ".join(rest))
        country = canonical(first)
        if not rest or country.casefold() not in countries() or name not in docs:
            continue
        if out.resolved(facet, key) != key or out.resolved(facet, name) != name:
            continue
        alone = where.get(name, set())
        # "the U.S. Navy ... the Navy": a document naming the country's form names the
        # country, though the model tags no place inside an organisation's name
        beside = in_place.get(facet_key(country), set()) | where.get(key, set())
        both = len(alone & beside)
        if both >= max(2, NATIONAL_SHARE * len(alone)):
            shown = docs[name].most_common(1)[0][0]
            mine = forms.most_common(1)[0][0]
            what = (
                f"the {country} form ({both} of the {len(alone)} documents naming {shown!r}"
                f" name {country} or {mine!r} too)"
            )
            merge_names(out, docs, facet, key, name, what)


def generic_institutions(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    where: Mapping[str, set[int]],
    in_place: Mapping[str, set[int]],
) -> None:
    """Drop a name alone that `GENERIC_NATIONS` countries have their own form of, when its
    documents name several of those countries (`GENERIC_SPREAD`) and no one place goes
    with it (`NATIONAL_SHARE`: then `national` decides). A country without a form of its
    own claims nothing: Reuters-21578 names the United States in 25 of the 40 documents
    of a "Foreign Ministry" that is Japan's, Turkey's or Brazil's, the other side of the
    talks. A country's home institution is named with its own towns, not with the
    countries that have one too: the BBC's "Labour Party" is Britain's, whatever Israel's
    and Norway's are called."""
    forms_of: dict[str, dict[str, str]] = {}  # name alone → country's place key → a form
    for key, forms in docs.items():
        words = forms.most_common(1)[0][0].split()
        if len(words) < 2:
            continue
        found = []
        for n in (1, 2):  # "Brazilian Central Bank", "South African Reserve Bank"
            if len(words) > n:
                found.append((" ".join(words[:n]), words[n:]))
            if len(words) > n + 1 and words[-n - 1].casefold() == "of":
                # "Central Bank of Kenya", "Reserve Bank of New Zealand"
                found.append((" ".join(words[-n:]), words[: -n - 1]))
        for nation, rest in found:
            country = _country(nation)
            if country:
                forms_of.setdefault(facet_key(" ".join(rest)), {}).setdefault(country, key)
    # a place that is no country (a town, a region) goes with its own country's institution;
    # a country with no form of it is the other side of the story
    towns: list[set[int]] | None = None
    for name, nations in forms_of.items():
        if len(nations) < GENERIC_NATIONS or name not in docs:
            continue
        if out.resolved(facet, name) != name:
            continue
        alone = where.get(name, set())
        if towns is None:
            towns = [named for p, named in in_place.items() if _country(p) is None]
        own = [in_place.get(c, set()) for c in nations]
        top = max((len(alone & named) for named in (*towns, *own)), default=0)
        beside = [c for c in nations if len(alone & in_place.get(c, set())) >= GENERIC_BESIDE]
        if top >= NATIONAL_SHARE * len(alone) or len(beside) < GENERIC_SPREAD:
            continue
        shown = ", ".join(
            repr(docs[k].most_common(1)[0][0]) for k in sorted(nations.values())[:3]
        )
        why = (
            f"{len(nations)} countries have their own ({shown}, …), {len(beside)} of them "
            f"are named beside it in {GENERIC_BESIDE} or more of its documents, and no one "
            "place goes with it: alone it names none of them"
        )
        out.decide(facet, name, None, why)


def _country(word: str) -> str | None:
    """The place key of the country a word names or is the nationality of ("u.s." and
    "american": "united states")."""
    country = canonical(word).casefold()
    if country not in countries():
        country = nationality_countries().get(word.casefold(), "")
    return facet_key(country) if country else None
