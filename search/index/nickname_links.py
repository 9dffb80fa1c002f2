"""Nicknames linked to their teams: "the Gunners" is Arsenal in a corpus that says so.

In: `CorpusLinks`, the organisations' keys with their forms, the documents naming each key,
and per key the documents writing it as one plural word after "the" every time
(`search.ingest.nicknames`). Out: such a nickname linked to the one organisation named
beside it in most of its documents, well ahead of any other. A match report names two
teams, and a party is named beside its rivals ("the Greens" with Labour and the
Conservatives), so the margin over the next organisation decides, not the share alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence

from search.index.entity_names import CorpusLinks
from search.ingest.mention_rules import countries
from search.ingest.normalize import canonical, facet_key

__all__ = ["NICK_MARGIN", "NICK_MIN_DOCS", "NICK_SHARE", "NICK_THE_SHARE", "link_nicknames"]

NICK_MIN_DOCS = 3
"""Documents that must write a name after "the" every time before it may be a nickname."""
NICK_THE_SHARE = 2 / 3
"""The share of a name's documents that must write it so: a firm ("Siemens") is not."""
NICK_SHARE = 0.75
"""The share of a nickname's documents that must name its team too: BBC's "Gunners" are
named beside Arsenal in 13 of their 13 documents, "Blues" beside Chelsea in 9 of 12."""
NICK_MARGIN = 1 / 3
"""How far ahead of the next organisation the team must be, in share of the nickname's
documents: BBC's "Gunners" go with Chelsea, Arsenal's rival, in 8 of their 13."""


def link_nicknames(
    out: CorpusLinks,
    docs: Mapping[str, Counter[str]],
    facet: str,
    where: Mapping[str, set[int]],
    with_the: Mapping[str, int],
    places: Collection[str] = (),
) -> None:
    """Link each nickname (`with_the`: key → documents writing it "the X" every time) to
    the organisation most named beside it, when that is named in `NICK_SHARE` of its
    documents, `NICK_MARGIN` ahead of the next one, and in at least as many documents.
    A country or a place's name (`places`) is no nickname: "the Maldives" the model
    tagged an organisation, beside the World Bank's aid."""
    rows: Sequence[Sequence[str]] = out.rows.get(facet, ())
    for key, flagged in sorted(with_the.items()):
        mine = where.get(key, set())
        if key not in docs or out.resolved(facet, key) != key:
            continue
        if key in places or canonical(key).casefold() in countries():
            continue
        if flagged < max(NICK_MIN_DOCS, NICK_THE_SHARE * len(mine)):
            continue
        beside: Counter[str] = Counter()
        for doc in mine:
            named = {out.resolved(facet, facet_key(v)) for v in rows[doc]}
            beside.update(k for k in named if k is not None and k != key)
        ranked = beside.most_common(2)
        if not ranked:
            continue
        team, both = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if (
            team in with_the
            or both < NICK_SHARE * len(mine)
            or both - runner_up < NICK_MARGIN * len(mine)
            or len(where.get(team, ())) < len(mine)
        ):
            continue
        shown, name = docs[key].most_common(1)[0][0], docs[team].most_common(1)[0][0]
        why = (
            f"{'the ' + shown!r} is named beside {name!r} in {both} of its {len(mine)} documents,"
            f" well ahead of any other organisation: its nickname"
        )
        out.decide(facet, key, team, why)
