"""Works and products out of the facets: names that a share of their documents write as one.

In: `CorpusLinks` after the corpus-level typing, each facet's keys with their forms and
document counts, and per key the documents writing it as a work or product
(`search.ingest.things`: "the comedy Sideways", "Apple's iTunes"). Out: such names dropped
from person, place and organisation, the count of those documents as the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from search.index.entity_names import OTHER_MIN_DOCS, CorpusLinks
from search.index.name_variants import PREFIX_RATIO, initials_of

__all__ = ["drop_things", "follow_others"]

THING_SHARE = 0.15
"""The share of a name's documents that must write it as a work or product: a firm is
written after another's possessive now and then ("Southern's Georgia Power"), a product or
a film in every few documents (the BBC writes "Microsoft's Xbox" in 5 of Xbox's 27)."""
THING_MIN_DOCS = 3
"""Documents needed: one or two are a coincidence ("the original Commodore games")."""


def drop_things(
    out: CorpusLinks,
    docs: Mapping[str, Mapping[str, Counter[str]]],
    facets: Sequence[str],
    things: Mapping[str, int],
    lists: Sequence[Mapping[str, bool]] = (),
    person: str = "person",
) -> None:
    """Drop from every facet the names enough of their documents write as a thing; then the
    names other than people listed with two or more of those, each such document counted
    as if it wrote the name so (`lists`: the keys each document lists together, each with
    whether it writes that one as a thing)."""
    if not things:
        return
    named: Counter[str] = Counter()  # key → documents naming it, in any facet
    for facet in facets:
        for key, forms in docs[facet].items():
            named[key] += forms.total()

    def thing(key: str, written: int) -> bool:
        return written >= THING_MIN_DOCS and written >= THING_SHARE * named[key]

    # a name typed `other` is no work here: that type holds competitions, events and laws
    # too, and bodies are listed with those ("the FA, the Premier League and the Football
    # League")
    works = {key for key, written in things.items() if thing(key, written)}
    listed: Counter[str] = Counter()  # key → documents listing it with a work
    beside: dict[str, set[str]] = {}
    for members in lists:
        found = members.keys() & works
        for key in members.keys() - works if found else ():
            if not members[key]:  # a document writing it so is counted already
                listed[key] += 1
            beside.setdefault(key, set()).update(found)
    for facet in facets:
        for key in docs[facet]:
            written = things.get(key, 0)
            if key in works:
                why = (
                    f"written as a work or product (with its kind's noun, or after its "
                    f"maker's name) in {written} of its {named[key]} documents"
                )
                out.decide(facet, key, None, why)
            elif (
                facet != person
                and len(beside.get(key, ())) >= 2
                and thing(key, written + listed[key])
            ):
                shown = ", ".join(repr(_form(docs, k)) for k in sorted(beside[key])[:3])
                why = (
                    f"written as a work or product, or listed with ones ({shown}), in "
                    f"{written + listed[key]} of its {named[key]} documents"
                )
                out.decide(facet, key, None, why)


def _form(docs: Mapping[str, Mapping[str, Counter[str]]], key: str) -> str:
    """The most used form of a key in any facet."""
    forms: Counter[str] = Counter()
    for counts in docs.values():
        forms.update(counts.get(key, {}))
    return forms.most_common(1)[0][0] if forms else key


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
        if " " in k and others[k].total() >= OTHER_MIN_DOCS:
            initials.setdefault(initials_of(k.split()), []).append(k)
    own = {initials_of(k.split()) for k in docs if " " in k}
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
                and others[rest].total() >= PREFIX_RATIO * forms.total()
            ):
                name = others[rest].most_common(1)[0][0]
                out.decide(facet, key, None, f"{name!r} with a word before it: no {facet}")
