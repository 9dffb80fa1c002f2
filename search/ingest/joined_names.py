"""Firms' names the tagger cut at their "and": "American Telephone and Telegraph Co" comes
out of spaCy as "the American Telephone and" + "Telegraph Co", and "Standard and Poor's
Corp" as "Poor's Corp" alone. A company's name (one ending in a designator such as Co or
Inc) right after "and" or "&" and a capitalised run is one name with that run, unless the
run is a name the tagger saw apart and what follows is a name of its own ("IBM and General
Motors Corp" are two firms; "Telegraph Co", one word and a designator, is no name alone).
The tagger also cuts a one-word organisation from the capitalised word before it ("Dems"
of "the Lib Dems", "Xerox" of "Rank Xerox"): `join_cut_heads` joins them again."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from search.ingest.mention_rules import DESIGNATORS
from search.ingest.normalize import MentionLike

__all__ = ["JoinedMention", "join_cut_firms", "join_cut_heads", "join_partners"]

COMPANY_DESIGNATORS = DESIGNATORS - {"party", "group", "club", "fc", "association"}
"""The designators only a company's name ends with ("Labour and Conservative Party" are
two parties)."""

_RUN = re.compile(r"((?:[A-Z][\w'.-]* +){1,4})(?:and|&) +$")
"""Up to four capitalised words and the "and" before a name."""

_LOOK_BACK = 80

_HEAD = re.compile(r"(?<=[\w,] )([A-Z][a-z]+) $")
"""One capitalised word right before a name, not opening a sentence or a quotation."""
_NOT_HEADS = frozenset(
    {"The", "A", "An", "And", "But", "Or", "Nor", "If", "As", "At", "In", "On", "Of", "For",
     "With", "By", "From", "To", "Into", "This", "That", "These", "Those", "Its", "His",
     "Her", "Their", "Our", "Your", "My", "Where", "Which", "When", "What", "Who", "How",
     "Why", "While", "Than", "Then", "So", "Not", "No", "Yes", "Says", "Said",
     "Chief", "Shadow", "Deputy", "Acting", "Assistant", "Former", "Vice", "President",
     "Chairman", "Director", "Minister", "Secretary", "Governor", "Senator", "General",
     "Chancellor", "Premier", "Prime", "Mayor", "Prince", "Princess", "King", "Queen",
     "Mr", "Mrs", "Ms", "Dr", "Sir", "Lord", "Lady",
     "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
     "January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"}
)  # fmt: skip
"""Capitalised words before an organisation's name that are no part of it: function words
(an article the name takes is judged elsewhere: `mention_rules.article_role`), titles,
dates."""
_TITLE_CASE_SHARE = 0.75
"""A line whose words are capitalised this often is a headline ("Google Beats Yahoo"):
every word looks like a name there."""


@dataclass(frozen=True, slots=True)
class JoinedMention:
    """A company's name joined from the pieces the tagger cut it into."""

    text: str
    label: str
    start: int
    end: int
    why: str


def join_cut_firms(text: str, mentions: Sequence[MentionLike]) -> list[MentionLike]:
    """`mentions` (in text order) with each company name cut at its "and" joined again."""
    out: list[MentionLike] = []
    for mention in mentions:
        joined = _joined(text, mention, out, mentions)
        if joined is None:
            out.append(mention)
            continue
        start = joined.start
        # the run's own pieces ("the American Telephone and") are part of the name now
        while out and out[-1].end > start and out[-1].label == mention.label:
            out.pop()
        out.append(joined)
    return out


def join_cut_heads(text: str, mentions: Sequence[MentionLike]) -> list[MentionLike]:
    """`mentions` with each one-word organisation the tagger cut from the capitalised word
    before it joined to it: "Dems" of "the Lib Dems". The word must open no sentence
    ("Yesterday Microsoft said"), be tagged as nothing itself, be no title or date, and
    stand on no headline ("Google Beats Yahoo")."""
    covered = [(m.start, m.end) for m in mentions]
    out: list[MentionLike] = []
    for mention in mentions:
        found = None
        if mention.label == "ORG" and " " not in mention.text and mention.text[:1].isalpha():
            found = _HEAD.search(text, max(0, mention.start - 30), mention.start)
        if (
            found is None
            or found.group(1) in _NOT_HEADS
            or any(s < found.end(1) and found.start(1) < e for s, e in covered)
            or _title_case(text, mention.start)
        ):
            out.append(mention)
            continue
        why = f"joined with {found.group(1)!r} before it, which the tagger left out"
        start = found.start(1)
        out.append(JoinedMention(text[start : mention.end], "ORG", start, mention.end, why))
    return out


def _title_case(text: str, position: int) -> bool:
    """Whether the line holding `position` is written in title case."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    words = re.findall(r"[^\W\d_][\w'’-]*", text[start : end if end >= 0 else len(text)])
    capitals = sum(w[0].isupper() for w in words)
    return len(words) >= 3 and capitals >= _TITLE_CASE_SHARE * len(words)


def _joined(
    text: str,
    mention: MentionLike,
    before: Sequence[MentionLike],
    mentions: Sequence[MentionLike],
) -> JoinedMention | None:
    words = mention.text.split()
    if mention.label != "ORG" or len(words) < 2:
        return None
    if words[-1].rstrip(".").lower() not in COMPANY_DESIGNATORS:
        return None
    head = text[max(0, mention.start - _LOOK_BACK) : mention.start]
    found = _RUN.search(head)
    if found is None:
        return None
    run = found.group(1).split()
    if any(w.rstrip(".,").lower() in DESIGNATORS for w in run) or run[-1].endswith(","):
        return None  # "First Boston Corp and Shearson Lehman Brothers Inc": two firms
    start = mention.start - len(head) + found.start(1)
    run_end = start + len(found.group(1).rstrip())
    apart = any(
        other.start < run_end and start < other.end <= run_end for other in before
    )  # a name the tagger saw on its own, ended before the "and"
    if apart and (len(words) > 2 or _named_alone(words[0], mention, mentions)):
        return None
    value = text[start : mention.end]  # one line: the run and the "and" hold only spaces
    why = f"joined with {found.group(1).strip()!r}: one company's name the tagger cut at its 'and'"
    return JoinedMention(value, mention.label, start, mention.end, why)


def _named_alone(word: str, mention: MentionLike, mentions: Sequence[MentionLike]) -> bool:
    """Whether the document names `word` (a firm's name before its designator) in another
    mention: "Pennzoil" of "Texaco and Pennzoil Co" is a firm of its own."""
    return any(
        other.text != mention.text and word in other.text.split() for other in mentions
    )


_FIRM_AFTER = re.compile(r"\s+(?:(?:said|says)\s+(?:it|its)\b|(?:Inc|Co|Corp|Ltd|Plc|PLC)\b)")
"""What says two surnames joined by "and" name a firm: "Duff and Phelps said it lowered its
ratings", "Thomas and Betts Corp"."""


def join_partners(text: str, mentions: Sequence[MentionLike]) -> list[MentionLike]:
    """`mentions` with two one-word "people" joined by "and" made one firm's name, in every
    place the document names them so, when it once writes them as a firm (`_FIRM_AFTER`):
    wire copy's "Duff and Phelps", which the tagger cuts into two surnames. Not the
    surnames of people the document names in full ("Blair and Brown said it was time")."""
    pairs: dict[int, tuple[MentionLike, MentionLike]] = {}  # first's index → the pair
    firms: set[str] = set()
    named = {w for m in mentions if m.label == "PERSON" and " " in m.text for w in m.text.split()}
    for n in range(len(mentions) - 1):
        first, second = mentions[n], mentions[n + 1]
        if not (first.label == second.label == "PERSON" and _one_word(first.text)):
            continue
        if not _one_word(second.text) or text[first.end : second.start] not in (" and ", " & "):
            continue
        if first.text in named or second.text in named:
            continue
        pairs[n] = (first, second)
        if _FIRM_AFTER.match(text, second.end):
            firms.add(text[first.start : second.end])
    if not firms:
        return list(mentions)
    out: list[MentionLike] = []
    skip = -1
    for n, mention in enumerate(mentions):
        if n == skip:
            continue
        pair = pairs.get(n)
        name = text[pair[0].start : pair[1].end] if pair else ""
        if pair and name in firms:
            why = "two surnames joined by 'and' that the text writes as a firm: one name"
            out.append(JoinedMention(name, "ORG", pair[0].start, pair[1].end, why))
            skip = n + 1
        else:
            out.append(mention)
    return out


def _one_word(name: str) -> bool:
    return " " not in name and name[:1].isupper() and name[1:].islower()

