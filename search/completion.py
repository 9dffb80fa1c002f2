"""Completion: what to offer at the cursor, as a pure function of the text before it.

`suggest` knows the command names, the field names and, after `person:`, `place:` or
`org:`, the entity values of the index (matched case-insensitively by the prefix of any of
their words, quoted when they contain spaces). `QueryCompleter` adapts it to prompt_toolkit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from search.results import FacetCount

ValueLookup = Callable[[str, str], Sequence[FacetCount]]
"""lookup(facet, prefix) → matching entity values with document counts."""

FIELD_ALIASES = {
    "people": "person",
    "persons": "person",
    "places": "place",
    "location": "place",
    "orgs": "org",
    "organisation": "org",
    "organization": "org",
}

_VALUE_AT_END = re.compile(
    r'(?P<sign>[+-]?)(?P<field>[A-Za-z_]+):(?P<quote>"?)(?P<prefix>[^"\s]*(?(quote)[^"]*))$'
)
_WORD_AT_END = re.compile(r"(?P<word>[+-]?[A-Za-z_]*)$")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Replace the last `replace` characters before the cursor with `text`."""

    text: str
    replace: int
    display: str
    meta: str = ""


def quote(value: str) -> str:
    """A value as the query language needs it: quoted when it is more than one word."""
    if re.fullmatch(r"[\w.'-]+", value):
        return value
    return '"' + value.replace('"', "") + '"'


def suggest(
    before: str,
    commands: Sequence[str],
    fields: Sequence[str],
    facets: Sequence[str],
    lookup: ValueLookup | None,
    limit: int = 40,
) -> list[Suggestion]:
    """Suggestions for the text before the cursor."""
    stripped = before.lstrip()
    if stripped.startswith(":"):
        return list(_command_args(stripped, commands, facets))
    m = _VALUE_AT_END.search(before)
    if m and (m.start() == 0 or before[m.start() - 1] in " (\t"):
        field = FIELD_ALIASES.get(m.group("field").lower(), m.group("field").lower())
        if field in facets and lookup is not None:
            typed = before[m.start("quote") :]
            prefix = m.group("prefix")
            return [
                Suggestion(quote(fc.value), len(typed), fc.value, _docs(fc.count))
                for fc in lookup(field, prefix)[:limit]
            ]
        return []
    w = _WORD_AT_END.search(before)
    word = w.group("word") if w else ""
    bare = word.lstrip("+-")
    if not bare:
        return []
    names = list(facets) if word[:1] in "+-" else list(fields)
    return [
        Suggestion(f"{name}:", len(bare), f"{name}:", "field")
        for name in names
        if name.startswith(bare.lower()) and name != bare.lower()
    ]


def _command_args(
    text: str, commands: Sequence[str], facets: Sequence[str]
) -> Iterator[Suggestion]:
    name, _, rest = text.partition(" ")
    if not _:
        for cmd in commands:
            if cmd.startswith(name) and cmd != name:
                yield Suggestion(cmd, len(name), cmd, "command")
        return
    options: Iterable[str] = ()
    if name == ":sort":
        options = ("score", "date")
    elif name == ":facets":
        options = facets
    if " " in rest:
        return
    for option in options:
        if option.startswith(rest) and option != rest:
            yield Suggestion(option, len(rest), option)


class QueryCompleter(Completer):
    """prompt_toolkit glue around `suggest`."""

    def __init__(
        self,
        commands: Callable[[], Sequence[str]],
        fields: Sequence[str],
        facets: Sequence[str],
        lookup: ValueLookup | None,
    ) -> None:
        self.commands = commands
        self.fields = fields
        self.facets = facets
        self.lookup = lookup

    def get_completions(
        self, document: Document, event: CompleteEvent
    ) -> Iterator[Completion]:
        for s in suggest(
            document.text_before_cursor,
            self.commands(),
            self.fields,
            self.facets,
            self.lookup,
        ):
            yield Completion(
                s.text,
                start_position=-s.replace,
                display=s.display,
                display_meta=s.meta,
            )


def _docs(count: int) -> str:
    return f"{count} doc" if count == 1 else f"{count} docs"
