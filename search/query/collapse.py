"""Collapse: one story, one hit — copies of a story folded into its best-ranked member.

In: the clusters the indexer found (`search.index.dedup`, as document ids) mapped onto one
reader generation's document numbers (`Stories`), and ranked document numbers. Out: groups
of (leader, copies best first), story counts, and the copies to leave out when counting
stories rather than documents. Every cost here is in the number of documents that have a
copy (a few percent of a pile), never in the size of the result set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from heapq import heapify, heappush, heapreplace
from pathlib import Path
from typing import Any

from whoosh import collectors
from whoosh import query as wq

from search.index.dedup import read_clusters


class StoryTop(collectors.TopCollector):  # type: ignore[misc]
    """Whoosh's top-N collector, N stories instead of N documents: a copy of a story already
    held takes no place of its own (or, scored higher, replaces the member held).

    The heap's lowest score is then the N-th story's, and Whoosh's block-quality pruning
    (skip blocks that cannot beat it) works as well as without copies; widening the top N
    to make room for copies instead weakens it, which costs heavy OR queries dearly.
    """

    def __init__(self, story: dict[int, int], limit: int):
        super().__init__(limit)
        self.story = story
        self.held: dict[int, tuple[float, int]] = {}

    def prepare(self, top_searcher: Any, q: Any, context: Any) -> None:
        super().prepare(top_searcher, q, context)
        self.held = {}

    def _collect(self, global_docnum: int, score: float) -> float:
        items = self.items
        self.total += 1
        entry = (score, 0 - global_docnum)  # as TopCollector keeps them
        s = self.story.get(global_docnum)
        held = None if s is None else self.held.get(s)
        if held is not None:
            if entry <= held:
                return 0
            items[items.index(held)] = entry  # the better copy takes its story's place
            heapify(items)
        elif len(items) < self.limit:
            heappush(items, entry)
        elif score > items[0][0]:
            out = heapreplace(items, entry)
            gone = self.story.get(0 - out[1])
            if gone is not None and self.held.get(gone) == out:
                del self.held[gone]
        else:
            return 0
        if s is not None:
            self.held[s] = entry
        if len(items) >= self.limit:
            self.minscore = items[0][0]
        return 0 - score


@dataclass(frozen=True)
class Stories:
    """The live documents that have copies, grouped by story, for one reader generation.

    `story` maps such a document number to its story number; `members[n]` are the live
    document numbers of story n, in index order. Documents without copies appear in neither.
    """

    story: dict[int, int]
    members: tuple[tuple[int, ...], ...]

    @classmethod
    def read(cls, searcher: Any, index_dir: Path) -> Stories:
        """Map the clusters beside the index onto this searcher's document numbers."""
        story: dict[int, int] = {}
        members: list[tuple[int, ...]] = []
        for ids in read_clusters(index_dir):
            nums = [searcher.document_number(id=i) for i in ids]
            live = tuple(sorted(int(n) for n in nums if n is not None))
            if len(live) < 2:
                continue  # removed since, or not yet committed: nothing to fold
            for n in live:
                story[n] = len(members)
            members.append(live)
        return cls(story, tuple(members))

    @property
    def copies(self) -> int:
        """Documents beyond the first of each story, index-wide."""
        return sum(len(m) - 1 for m in self.members)

    def found(self, docset: Iterable[int]) -> dict[int, list[int]]:
        """Story number → its members among docset (index order), for stories with one."""
        found: dict[int, list[int]] = {}
        story = self.story
        if isinstance(docset, (set, frozenset)):
            have = story.keys() & docset  # CPython walks the smaller of the two
        else:
            have = {d for d in docset if d in story}
        for n in sorted(have):
            found.setdefault(story[n], []).append(n)
        return found

    def count(self, docset: Iterable[int], total: int) -> int:
        """How many stories `total` documents of docset tell."""
        return told(self.found(docset), total)

    def extras(self, docset: Iterable[int], leaders: Iterable[int] = ()) -> list[int]:
        """The members of docset to leave out so that each story counts once: all but one
        per story (its leader among `leaders` if it has one, else its first document)."""
        found = self.found(docset)
        keep = {self.story[n]: n for n in leaders if n in self.story}
        out = []
        for s, nums in found.items():
            kept = keep.get(s, nums[0])
            out += [n for n in nums if n != kept]
        return out


def told(found: dict[int, list[int]], total: int) -> int:
    """How many stories `total` documents tell, `found` their stories with copies."""
    return total - sum(len(m) - 1 for m in found.values())


def fold(
    ranked: Sequence[int], stories: Stories, found: dict[int, list[int]] | None = None
) -> list[tuple[int, list[int]]]:
    """Ranked document numbers as (leader, copies) in rank order: the first-ranked member of
    a story leads and its other members follow, ranked ones first, then the other matches of
    `found` (`Stories.found` of every match: those ranked beyond the list) in index order."""
    groups: list[tuple[int, list[int]]] = []
    lead: dict[int, list[int]] = {}
    story = stories.story
    for n in ranked:
        s = story.get(n)
        if s is None:
            groups.append((n, []))
        elif s in lead:
            lead[s].append(n)
        else:
            lead[s] = []
            groups.append((n, lead[s]))
    if lead and found:
        listed = set(ranked)
        for s, nums in found.items():
            if s in lead:
                lead[s] += [n for n in nums if n not in listed]
    return groups


def story_collector(searcher: Any, limit: int, kwargs: dict[str, Any], story: Any) -> Any:
    """The Whoosh collector for a top `limit`: of stories (`StoryTop`) when ranked by score
    with a story map, else Whoosh's own for these search options."""
    if story and "sortedby" not in kwargs and limit < searcher.doc_count():
        top: Any = StoryTop(story, limit)
        allow, deny = kwargs.get("filter"), kwargs.get("mask")
        if allow is not None or deny is not None:
            top = collectors.FilterCollector(top, allow, deny)
        return top
    return searcher.collector(limit=limit, **kwargs)


Collect = Callable[[int, Any], tuple[Any, set[int], bool]]
"""collect(top, story) → (Whoosh results, every match, partial)."""


def top_stories(
    collect: Collect, wanted: int, stories: Stories, collapse: bool, by_field: bool
) -> tuple[Any, set[int], bool, dict[int, list[int]], list[tuple[int, list[int]]]]:
    """The first `wanted` stories (or documents): (results, every match, partial, the
    matched stories with copies, (leader, copies) groups in rank order).

    Ranked by score, the top N are N stories (`StoryTop`). Sorted by a field, copies take
    places in the ranking: half a page more is collected (a sorting collector does not
    prune, so this costs little), and more again, growing, while copies leave it short.
    """
    story = stories.story if collapse and stories.members else None
    top = wanted
    if story and by_field:
        top += min(stories.copies, 2 + wanted // 2)
    while True:
        results, docset, partial = collect(top, story)
        found = stories.found(docset) if stories.members else {}
        ranked = [results.docnum(i) for i in range(results.scored_length())]
        if not collapse:
            return results, docset, partial, found, [(n, []) for n in ranked]
        groups = fold(ranked, stories, found)
        extra = len(docset) - told(found, len(docset))  # room enough for every story
        if partial or len(groups) >= min(wanted, len(docset) - extra) or top >= wanted + extra:
            return results, docset, partial, found, groups
        top = wanted + min(extra, 4 * (top - wanted) + 10)


def best_first(searcher: Any, q: Any, copies: list[int], sort: str) -> tuple[str, ...]:
    """The ids of a hit's copies, the best-scored first: the query ANDed with their ids,
    so that only these few documents are scored."""
    ids = [searcher.stored_fields(n)["id"] for n in copies]
    if len(ids) < 2 or sort != "score" or isinstance(q, wq.Every):
        return tuple(ids)
    only = wq.And([q, wq.Or([wq.Term("id", i) for i in ids])])
    scored = searcher.search(only, limit=None, terms=False)
    order = {hit["id"]: i for i, hit in enumerate(scored)}
    return tuple(sorted(ids, key=lambda i: order.get(i, len(order))))
