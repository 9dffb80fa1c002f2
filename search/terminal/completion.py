"""Completion: what to offer at the cursor, as a pure function of the text before it.

`suggest(before, vocabulary)` knows the commands and their arguments (hit numbers, facet
names, sort orders, saved-search names, the entity after `:cooc`), the field names and, after `person:`, `place:` or `org:` (or
`+person:`…), the entity values of the index, matched case-insensitively by the prefix of
any of their words and quoted when they are more than one word. `QueryCompleter` adapts it
to prompt_toolkit; `EntityValues` makes the value look-up fast enough for every keystroke.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from search.errors import SearchError
from search.index.schema import FIELD_ALIASES
from search.ingest.normalize import facet_key
from search.results import FacetCount

if TYPE_CHECKING:
    from search.query.searcher import Searcher

ValueLookup = Callable[[str, str], Sequence[FacetCount]]
"""lookup(facet, prefix) → matching entity values with document counts, best first."""

_ALIASES = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}

# A field and the start of its value at the end of a query: person:put, place:"new y
_VALUE_AT_END = re.compile(
    r'(?:^|(?<=[\s(]))[+-]?(?P<field>[A-Za-z_]+):(?P<quote>"?)(?P<prefix>(?(quote)[^"]*|[^"\s]*))$'
)
# In a line of filters an unquoted value runs to the end: +person:Vladimir Pu
_FILTER_LINE = re.compile(r"^\s*[+-](?:\d+\s|[A-Za-z_]+:)")
_FILTER_ITEM = re.compile(r'(?:^|(?<=\s))[+-](?P<field>[A-Za-z_]+):(?P<quote>"?)')
_WORD_AT_END = re.compile(r"(?:^|(?<=[\s(]))(?P<word>[+-]?[A-Za-z_]*)$")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Replace the last `replace` characters before the cursor with `text`."""

    text: str
    replace: int
    display: str
    meta: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """Everything completion may offer besides the typed text."""

    commands: Sequence[str] = ()
    """Command names offered after ':' (aliases still work when typed)."""
    arguments: Mapping[str, str] = field(default_factory=dict)
    """Command or alias → what its argument is: "hits", "facets", "commands", "saved",
    "entity" (facet:value) or "a|b"."""
    fields: Sequence[str] = ()
    facets: Sequence[str] = ()
    lookup: ValueLookup | None = None
    hits: Sequence[tuple[int, str]] = ()
    """(rank, title) of the hits on screen, offered after :open and friends."""
    saved: Sequence[str] = ()
    """Names of the saved searches, offered after :run and :watch."""


def quote(value: str) -> str:
    """A value as the query language needs it: quoted when it is more than one word."""
    if re.fullmatch(r"[\w.'-]+", value):
        return value
    return '"' + value.replace('"', "") + '"'


def suggest(before: str, vocab: Vocabulary, limit: int = 40) -> list[Suggestion]:
    """Suggestions for the text before the cursor."""
    if before.lstrip().startswith(":"):
        return _command_args(before.lstrip(), vocab)[:limit]
    value = _value_at_end(before)
    if value is not None:
        name, typed, prefix = value
        facet = _ALIASES.get(name.lower(), name.lower())
        if facet not in vocab.facets or vocab.lookup is None:
            return []
        return [
            Suggestion(quote(fc.value), len(typed), fc.value, _docs(fc.count))
            for fc in vocab.lookup(facet, prefix)[:limit]
        ]
    w = _WORD_AT_END.search(before)
    word = w.group("word") if w else ""
    bare = word.lstrip("+-").lower()
    signed = word[:1] in ("+", "-")
    if signed:
        names: Sequence[str] = (
            vocab.facets
        )  # +/- start a filter: only facets make sense
    elif bare:
        names = vocab.fields
    else:
        return []
    return [
        Suggestion(f"{name}:", len(bare), f"{name}:", "filter" if signed else "field")
        for name in names
        if name.startswith(bare)
    ][:limit]


def _value_at_end(before: str) -> tuple[str, str, str] | None:
    """(field, typed value including any opening quote, prefix) when completing a value."""
    if _FILTER_LINE.match(before):
        items = list(_FILTER_ITEM.finditer(before))
        if items:
            last = items[-1]
            typed = before[last.start("quote") :]
            prefix = typed[1:] if last.group("quote") else typed
            if '"' not in prefix:
                return last.group("field"), typed, prefix
        return None
    m = _VALUE_AT_END.search(before)
    if m is None:
        return None
    return m.group("field"), before[m.start("quote") :], m.group("prefix")


def _command_args(text: str, vocab: Vocabulary) -> list[Suggestion]:
    name, space, rest = text.partition(" ")
    if not space:
        return [
            Suggestion(cmd, len(name), cmd, "command")
            for cmd in vocab.commands
            if cmd.startswith(name.lower())
        ]
    kind = vocab.arguments.get(name.lower(), "")
    if kind == "entity":
        return _entity_arg(rest.lstrip(), vocab)
    if not kind or " " in rest.lstrip():
        return []  # one argument is completed, the first
    word = rest.lstrip()
    if kind == "hits":
        return [
            Suggestion(str(rank), len(word), str(rank), title[:60])
            for rank, title in vocab.hits
            if str(rank).startswith(word)
        ]
    options: Sequence[str]
    if kind == "facets":
        options = vocab.facets
    elif kind == "commands":
        options = vocab.commands
    elif kind == "saved":
        options = vocab.saved
    else:
        options = kind.split("|")
    typed = word.lower().lstrip(":")
    return [
        Suggestion(o, len(word), o) for o in options if o.lstrip(":").startswith(typed)
    ]


def _entity_arg(arg: str, vocab: Vocabulary) -> list[Suggestion]:
    """After `:cooc `: a facet name, then after `org:` that facet's values."""
    m = _VALUE_AT_END.match(arg)
    if m is not None and m.start() == 0:
        facet = _ALIASES.get(m.group("field").lower(), m.group("field").lower())
        if facet not in vocab.facets or vocab.lookup is None:
            return []
        typed = arg[m.start("quote") :]
        return [
            Suggestion(quote(fc.value), len(typed), fc.value, _docs(fc.count))
            for fc in vocab.lookup(facet, m.group("prefix"))
        ]
    if " " in arg or ":" in arg:
        return []  # past the entity: the facet type and count are not completed
    return [
        Suggestion(f"{facet}:", len(arg), f"{facet}:", "entity")
        for facet in vocab.facets
        if facet.startswith(arg.lower())
    ]


def _docs(count: int) -> str:
    return f"{count} doc" if count == 1 else f"{count} docs"


class EntityValues:
    """A `ValueLookup` over all values of each facet, read once and matched in memory.

    Asking the searcher on every keystroke means ranking every value again; this keeps
    each facet's values with their keys' words so a keystroke costs a scan of tuples. The
    values are read again when `version` changes: entities still being added, or a refresh.
    """

    def __init__(
        self,
        all_values: Callable[[str], Sequence[FacetCount]],
        version: Callable[[], object] = lambda: None,
    ) -> None:
        self._all_values = all_values
        self._version = version
        self._seen: object = None
        self._cache: dict[str, list[tuple[str, tuple[str, ...], FacetCount]]] = {}

    def __call__(self, facet: str, prefix: str) -> list[FacetCount]:
        version = self._version()
        if version is not self._seen:
            self._cache.clear()
            self._seen = version
        if facet not in self._cache:
            self._cache[facet] = [
                (key, tuple(key.split()), fc)
                for fc in self._all_values(facet)
                for key in [facet_key(fc.value)]
            ]
        wanted = facet_key(prefix)
        entries = self._cache[facet]
        if not wanted:
            return [fc for _, _, fc in entries]
        return [
            fc
            for key, words, fc in entries
            if key.startswith(wanted) or any(w.startswith(wanted) for w in words)
        ]

    @classmethod
    def of(cls, searcher: Searcher) -> EntityValues:
        """Every value of a searcher's facets, most frequent first."""
        return cls(
            lambda facet: searcher.entity_values(facet, "", limit=sys.maxsize),
            version=lambda: _current_facets(searcher),
        )


def _current_facets(searcher: Searcher) -> object:
    """The searcher's facet table after picking up commits (entities still being added
    arrive while the user types); a refresh builds a new table."""
    with suppress(SearchError):
        searcher.refresh()
    return searcher.facets


class QueryCompleter(Completer):
    """prompt_toolkit glue around `suggest`; the vocabulary is asked for on every call."""

    def __init__(self, vocabulary: Callable[[], Vocabulary]) -> None:
        self.vocabulary = vocabulary

    def get_completions(
        self, document: Document, event: CompleteEvent
    ) -> Iterator[Completion]:
        for s in suggest(document.text_before_cursor, self.vocabulary()):
            yield Completion(
                s.text,
                start_position=-s.replace,
                display=s.display,
                display_meta=s.meta,
            )
