"""Lexer: colours a query as it is typed (fields, filters, phrases, operators, commands)."""

from __future__ import annotations

import re
from collections.abc import Callable

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer

_TOKENS = re.compile(
    r"(?P<command>^\s*:\w*)"
    r'|(?P<filter>[+-](?:\w+:)?(?:"[^"]*"?|\S+))'
    r"|(?P<field>\b\w+:)"
    r'|(?P<phrase>"[^"]*"?)'
    r"|(?P<operator>\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b)"
    r"|(?P<syntax>[()\[\]{}*?~^])"
)

STYLES = {
    "command": "class:query.command",
    "filter": "class:query.filter",
    "field": "class:query.field",
    "phrase": "class:query.phrase",
    "operator": "class:query.operator",
    "syntax": "class:query.syntax",
}


def tokens(line: str) -> StyleAndTextTuples:
    """Split one line into (style, text) pieces."""
    out: StyleAndTextTuples = []
    pos = 0
    for m in _TOKENS.finditer(line):
        if m.start() > pos:
            out.append(("", line[pos : m.start()]))
        kind = m.lastgroup or ""
        out.append((STYLES.get(kind, ""), m.group()))
        pos = m.end()
    if pos < len(line):
        out.append(("", line[pos:]))
    return out


class QueryLexer(Lexer):
    """prompt_toolkit lexer for the query line."""

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = document.lines

        def get_line(lineno: int) -> StyleAndTextTuples:
            return tokens(lines[lineno]) if lineno < len(lines) else []

        return get_line
