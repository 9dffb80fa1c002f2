"""Lexer: colours a line as it is typed: commands, filters and facet picks, entity clauses,
fields, quoted phrases and operators. Each token gets a `class:query.*` style of the prompt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer

from search.config import FACETS
from search.index.schema import FIELD_ALIASES

STYLES = {
    "command": "class:query.command",
    "pick": "class:query.pick",
    "filter": "class:query.filter",
    "entity": "class:query.entity",
    "field": "class:query.field",
    "phrase": "class:query.phrase",
    "operator": "class:query.operator",
    "syntax": "class:query.syntax",
}

_FILTER_LINE = re.compile(r"^\s*[+-](?:\d+(?:\s|$)|[A-Za-z_]+:)")
_FILTER_TOKENS = re.compile(
    r"(?P<pick>(?<!\S)[+-]\d+(?=\s|$))"
    r'|(?P<filter>(?<!\S)[+-][A-Za-z_]+:(?:"[^"]*"?|.*?(?=\s+[+-](?:\d+(?:\s|$)|[A-Za-z_]+:)|$)))'
)


def _query_tokens(entity_names: Iterable[str]) -> re.Pattern[str]:
    names = "|".join(sorted(entity_names, key=len, reverse=True))
    return re.compile(
        rf'(?P<entity>(?<![\w:])(?i:{names}):(?:"[^"]*"?|[^\s()"]*))'
        r"|(?P<field>(?<![\w:])[A-Za-z_]+:)"
        r'|(?P<phrase>"[^"]*"?)'
        r"|(?P<operator>\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b)"
        r"|(?P<syntax>[()\[\]{}*?~^])"
    )


def _entity_names(facets: Iterable[str]) -> set[str]:
    names = set(facets)
    for facet in list(names):
        names.update(FIELD_ALIASES.get(facet, ()))
    return names


_DEFAULT_QUERY_TOKENS = _query_tokens(_entity_names(FACETS))


def tokens(
    line: str, query_tokens: re.Pattern[str] = _DEFAULT_QUERY_TOKENS
) -> StyleAndTextTuples:
    """Split one line into (style, text) pieces that join back into the line."""
    if line.lstrip().startswith(":"):
        m = re.match(r"\s*:\S*", line)
        end = m.end() if m else 0
        out: StyleAndTextTuples = [(STYLES["command"], line[:end])]
        return out + ([("", line[end:])] if end < len(line) else [])
    pattern = _FILTER_TOKENS if _FILTER_LINE.match(line) else query_tokens
    out = []
    pos = 0
    for m in pattern.finditer(line):
        if not m.group():
            continue
        if m.start() > pos:
            out.append(("", line[pos : m.start()]))
        out.append((STYLES.get(m.lastgroup or "", ""), m.group()))
        pos = m.end()
    if pos < len(line):
        out.append(("", line[pos:]))
    return out


class QueryLexer(Lexer):
    """prompt_toolkit lexer for the query line."""

    def __init__(self, facets: Iterable[str] = tuple(FACETS)) -> None:
        self._pattern = _query_tokens(_entity_names(facets))

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = document.lines

        def get_line(lineno: int) -> StyleAndTextTuples:
            return tokens(lines[lineno], self._pattern) if lineno < len(lines) else []

        return get_line
