"""Table columns: in a text's results tables and lists, one column names one kind of thing.

In: a text and its mentions. Out: the mentions with each table column made consistent. A
results table ("Hull 1 Rotherham 0", "Pete Sampras ( U.S. ) beat Petr Korda ( Czech
Republic ) 6-3 6-4", a scorecard, a table of figures by country) names one kind of thing per
column, but a statistical model reads every row on its own: it tags some entries as people,
some as places, and misses others altogether. Here every capitalised run on a short line that
holds a figure gets a *slot*, the tokens on either side of it (a number, a bracket, a dash, a
lower-case word, the start or end of the line). Where the tagged entries of one slot in one
text are mostly of one type, the untagged entries of that slot become mentions of that type
and the few tagged otherwise are retagged. Prose is left alone: its slots are too mixed and
too sparsely tagged to pass the thresholds. First, a mention the model ran across a list's
separators is cut into the names it holds (`split_lists`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from search.ingest.mention_rules import (
    JOINING,
    PARTICLES,
    countries,
    is_lower_word,
    looks_like_person,
    plays_as_team,
)
from search.ingest.normalize import PERSON_LABEL, MentionLike

MAX_LINE_CHARS = 200
"""Longer lines are prose, not table rows."""
MIN_TAGGED = 3
"""A slot needs this many tagged entries before its type is trusted."""
TYPE_SHARE = 0.75
"""The share of a slot's tagged entries that must agree on a type."""
TAGGED_SHARE = 0.3
"""The share of a slot's entries the model must have tagged: a column it mostly missed is
more likely a column of words that are no names ("Net", "Shr", "Revs")."""
MIN_STANDING = 6
"""Figures after a name that make its line a league table's row (played, won, drawn, lost,
for, against, points): a golfer's four rounds and total are fewer."""

_TOKEN = re.compile(r"[A-Z][\w'’.&-]*|[a-z][\w'’-]*|\d[\d.,:/-]*%?|[^\w\s]")
_JOINERS = PARTICLES | {"of"}
"""Lower-case words inside a capitalised run ("Aravinda de Silva", "Bank of England")."""
_NOT_NAMES = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "he", "her", "his", "i", "if",
     "in", "it", "its", "no", "not", "of", "on", "or", "she", "so", "that", "the", "their",
     "there", "they", "this", "to", "we", "when", "with", "you", "total", "totals", "net",
     "extras", "note", "notes", "source", "nil", "na", "n/a"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TableMention:
    """A mention given its type by the table column it sits in."""

    text: str
    label: str
    start: int
    end: int
    why: str


@dataclass(frozen=True, slots=True)
class _Run:
    start: int
    end: int
    slot: tuple[str, str]


def _kind(token: str) -> str:
    """What a neighbouring token says about a slot: numbers alike, words and marks as they are."""
    if token[0].isdigit():
        return "#"
    return token.lower()


def _runs(text: str) -> list[_Run]:
    """Every capitalised run on a short line with a figure, with its slot."""
    runs: list[_Run] = []
    for line in re.finditer(r"[^\n]+", text):
        row = line.group()
        if len(row) > MAX_LINE_CHARS or not any(ch.isdigit() for ch in row):
            continue
        tokens = [(m.start() + line.start(), m.end() + line.start(), m.group())
                  for m in _TOKEN.finditer(row)]
        i = 0
        while i < len(tokens):
            if not tokens[i][2][0].isupper():
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and (
                tokens[j][2][0].isupper()
                or (tokens[j][2] in _JOINERS and j + 1 < len(tokens)
                    and tokens[j + 1][2][0].isupper())
            ):
                j += 1
            before = _kind(tokens[i - 1][2]) if i else "^"
            after = _kind(tokens[j][2]) if j < len(tokens) else "$"
            words = [t[2] for t in tokens[i:j]]
            if not (len(words) == 1 and words[0].lower() in _NOT_NAMES):
                runs.append(_Run(tokens[i][0], tokens[j - 1][1], (before, after)))
            i = j
    return runs


_SEPARATOR = re.compile(r"\s+[-–,;]\s+|\s*[()]\s*|\s+vs?\.?(?:\s+|$)")
_LEADING_LOWER = re.compile(r"^(?:[a-z]{1,3}\.?\s+)+(?=[A-Z])")
_WORD = re.compile(r"(?<=\s)\S+(?:\s|$)")


def split_lists(mentions: Sequence[MentionLike]) -> list[MentionLike]:
    """Mentions that run across a list's separators cut into their names ("Romania - Viorel
    Moldovan", "Vaas , Muralitharan"), and a leading lower-case word that is no particle of
    a name dropped ("v Worcestershire", "st Kaluwitharana": a scorecard's marks)."""
    out: list[MentionLike] = []
    for m in mentions:
        lead = _LEADING_LOWER.match(m.text)
        if lead is not None and lead.group().split()[0] not in PARTICLES:
            m = TableMention(m.text[lead.end() :], m.label, m.start + lead.end(), m.end,
                             "a scorecard's mark before the name left out")
        pieces, pos = [], 0
        cuts = list(_SEPARATOR.finditer(m.text))
        if m.label == "PERSON":  # "Saeed Anwar c Stewart b Gough": a scorecard's marks
            # between names only: "Qtrly div" is no name followed by a mark
            cuts += [
                w for w in _WORD.finditer(m.text)
                if is_lower_word(word := w.group().strip()) and word not in JOINING
                and m.text[w.end() :].strip()[:1].isupper()
            ]
            cuts.sort(key=lambda c: c.start())
        for sep in cuts:
            if sep.start() < pos:
                continue
            pieces.append((pos, sep.start()))
            pos = sep.end()
        pieces.append((pos, len(m.text)))
        pieces = [(a, b) for a, b in pieces if m.text[a:b].strip()[:1].isupper()]
        if not pieces or pieces == [(0, len(m.text))]:
            out.append(m)
            continue
        for a, b in pieces:
            piece = m.text[a:b]
            offset = m.start + a + len(piece) - len(piece.lstrip())
            piece = piece.strip()
            label = "GPE" if piece.casefold() in countries() else m.label
            out.append(TableMention(piece, label, offset, offset + len(piece),
                                    f"one name of the list {m.text!r}"))
    return out


def table_columns(
    text: str, mentions: Sequence[MentionLike], facet_of: Mapping[str, str]
) -> list[MentionLike]:
    """`mentions` with the table columns of `text` made consistent (see the module's doc);
    `facet_of` maps the labels that name entities to their facet."""
    mentions = split_lists(mentions)
    runs = _runs(text)
    if len(runs) < MIN_TAGGED:
        return list(mentions)
    tagged = _covering(runs, mentions)
    people = {(m.start, m.end) for m in mentions if m.label == PERSON_LABEL}
    facet_at = {r: _facet(text, mentions[m], facet_of, people) for r, m in tagged.items()}
    groups: dict[tuple[str, str, str], list[int]] = {}
    for r, run in enumerate(runs):
        before, after = run.slot
        groups.setdefault(("both", before, after), []).append(r)
        if after not in ("$", "^"):
            groups.setdefault(("after", "", after), []).append(r)
        if before not in ("^", "$"):
            groups.setdefault(("before", before, ""), []).append(r)
    decided: dict[int, tuple[str, str, str]] = {}
    for key in sorted(groups, key=lambda g: ("both", "after", "before").index(g[0])):
        members = groups[key]
        verdict = _verdict(members, tagged, facet_at, mentions)
        if verdict is not None:
            for r in members:
                decided.setdefault(r, verdict)
    for r, run in enumerate(runs):
        if r not in tagged and r not in decided and looks_like_person(text[run.start : run.end]):
            decided[r] = ("person", "PERSON", "an initial and a surname in a table row")
    relabel: dict[int, TableMention] = {}
    added: list[MentionLike] = []
    for r, (facet, label, why) in decided.items():
        run = runs[r]
        if r not in tagged:
            added.append(TableMention(text[run.start : run.end], label, run.start, run.end, why))
        elif facet_at[r] not in (facet, None):
            m = mentions[tagged[r]]
            relabel[tagged[r]] = TableMention(m.text, label, m.start, m.end, why)
    if not added and not relabel:
        return list(mentions)
    kept: list[MentionLike] = [relabel.get(n, m) for n, m in enumerate(mentions)]
    return sorted([*kept, *added], key=lambda m: m.start)


def _covering(runs: Sequence[_Run], mentions: Sequence[MentionLike]) -> dict[int, int]:
    """Run index → index of a mention overlapping it, for the runs the model tagged."""
    tagged: dict[int, int] = {}
    order = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
    k = 0
    for r, run in enumerate(runs):
        while k < len(order) and mentions[order[k]].end <= run.start:
            k += 1
        if k < len(order) and mentions[order[k]].start < run.end:
            tagged[r] = order[k]
    return tagged


_NAME = r"[^\W\d_][^\d\n()]*?"
_NOTE = r"(?:[ \t]+\([^()\n]*\))"
_RESULT = re.compile(
    rf"[ \t]*(?P<a>{_NAME}){_NOTE}?[ \t]+\d{{1,3}}[ \t]+(?P<b>{_NAME}){_NOTE}?[ \t]+\d{{1,3}}"
    rf"{_NOTE}*[ \t]*"
)
_STANDING = re.compile(rf"[ \t]*(?P<a>{_NAME})(?:[ \t]+\d{{1,2}}){{{MIN_STANDING},}}[ \t]*")


def on_results_line(
    text: str, start: int, end: int, people: Collection[tuple[int, int]] = ()
) -> bool:
    """Whether [start, end) is a side of a match result alone on its line ("Livingston 1
    Hamilton 0", "Benetton ( Italy ) 92 Dinamo ( Russia ) 81") or opens a league table's
    row ("Hamilton 3 1 1 1 3 2 4"): a team, whatever the model took it for. Not when the
    other side is one of `people` (the spans tagged as persons): a poll ("Clinton 49 Dole
    37") or a snooker match is laid out so too. A golfer's row has a total of three figures
    or a score to par; a country stays a place, its national team named as the country."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    name = text[start:end]
    if len(line) > MAX_LINE_CHARS or not name[:1].isupper() or name.casefold() in countries():
        return False
    span = (start - line_start, end - line_start)
    result = _RESULT.fullmatch(line)
    if result is not None and span in (result.span("a"), result.span("b")):
        other = result.span("b") if span == result.span("a") else result.span("a")
        return (other[0] + line_start, other[1] + line_start) not in people
    standing = _STANDING.fullmatch(line)
    return standing is not None and span == standing.span("a")


def _facet(
    text: str,
    mention: MentionLike,
    facet_of: Mapping[str, str],
    people: Collection[tuple[int, int]],
) -> str | None:
    """The facet a tagged entry counts for: a place that plays as a team counts as one, and
    so does a side of a results line (`on_results_line`)."""
    facet = facet_of.get(mention.label)
    if facet == "place" and plays_as_team(text, mention.start, mention.end):
        return "org"
    if facet in ("person", "place") and on_results_line(text, mention.start, mention.end, people):
        return "org"
    return facet


def _verdict(
    members: Sequence[int],
    tagged: Mapping[int, int],
    facet_at: Mapping[int, str | None],
    mentions: Sequence[MentionLike],
) -> tuple[str, str, str] | None:
    """(facet, label, why) for a slot whose tagged entries agree, else None."""
    known = [r for r in members if r in tagged]
    votes = Counter(facet_at[r] for r in known if facet_at[r] is not None)
    if votes.total() < MIN_TAGGED or len(known) < TAGGED_SHARE * len(members):
        return None
    facet, count = votes.most_common(1)[0]
    if facet is None or count < TYPE_SHARE * len(known):
        return None
    labels = Counter(
        mentions[tagged[r]].label for r in known if facet_at[r] == facet
    )
    # a team column mixes the places and organisations the model saw: it is organisations
    label = labels.most_common(1)[0][0] if facet != "org" else "ORG"
    return facet, label, f"in a table column of {facet} names ({count} of {len(known)} tagged so)"


FIGURE_WORDS = frozenset({"div", "shr", "shrs", "net", "loss", "profit", "rev", "revs", "avg"})
"""The wire's words for a company's figures, written small after a row's label ("Mthly div
6.5 cts vs 6.5 cts prior", "Oper shr loss 12 cts vs profit 15 cts")."""
_FIGURES_ROW = re.compile(r"[ \t]+([a-z]+)\b[^\n]*\d[^\n]*\bvs\b")


def figures_row_label(text: str, start: int, end: int) -> bool:
    """Whether the one word at [start, end) opens a line of a company's figures, before one
    of `FIGURE_WORDS`: the model tags "Mthly" as a place and "Oper" as a firm."""
    if start and text[start - 1] != "\n" or " " in text[start:end]:
        return False
    found = _FIGURES_ROW.match(text, end)
    return found is not None and found.group(1) in FIGURE_WORDS

