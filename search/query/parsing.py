"""Query language: Whoosh's syntax over title and body, entity fields, dates, plain text.

`QueryParser.parse` turns a user's string into a Whoosh query or raises `QueryError` with a
hint; `plain_text` neutralises syntax for natural-language queries; `correct` proposes a
did-you-mean from the index vocabulary.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import timedelta
from typing import Any

from whoosh import qparser
from whoosh import query as wq
from whoosh.qparser.dateparse import DateParserPlugin, DateRangeNode
from whoosh.util.times import timespan

from search.errors import QueryError
from search.index.analysis import fold, index_term, iter_words
from search.index.schema import FIELD_ALIASES, TEXT_FIELDS, TITLE_BOOST

DEFAULT_GROUP_BONUS = 0.9
"""OR with a bonus for matching more of the words: see README, 'How queries are read'."""

PLAIN_GROUP_BONUS: float | None = None
"""Plain-text (natural-language) queries are a plain OR: their many words make the bonus
reward matching filler words; it costs ranking quality (README, 'Ranking quality')."""

_FIELD_RE = re.compile(r"(?<![\w.])([A-Za-z_][\w]*):(?=[^\s:]|$)")
MAX_WORD_CHARS = 1000
"""Longer runs of non-space characters in a query are refused (see QueryParser.parse)."""

MAX_BOOST = 1e6
"""Larger boosts are refused: a word weighed a million times already outranks everything."""

_EXPLICIT_OR = re.compile(r"\bOR\b")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
_SYNTAX_RE = re.compile(r"[\"'“”‘’:()\[\]{}^~*?+\-!<>=\\/]")


_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u00ab\u00bb\u301d\u301e\u301f\uff02]")
"""“ ” „ ‟ « » 〝 〞 〟 ＂: typographic double quotes, each read as the straight one."""
_SINGLE = "\u2018\u2019\u201a\u201b\u2039\u203a"
_SINGLE_QUOTES = re.compile(f"(?<!\\w)[{_SINGLE}]|[{_SINGLE}](?!\\w)")
"""‘ ’ ‚ ‛ ‹ › outside a word are quotes; between two word characters (O’Brien, don’t) they
are apostrophes and stay, as the analyzer reads them as it reads "'"."""


def straighten_quotes(text: str) -> str:
    """Text with typographic quotes, as pasted from the web or a word processor, made
    straight: `“tony blair”` is the phrase `"tony blair"`, `‘x’` is `'x'`."""
    return _SINGLE_QUOTES.sub("'", _DOUBLE_QUOTES.sub('"', text))


def plain_text(text: str) -> str:
    """The words of text with every piece of query syntax removed."""
    cleaned = _SYNTAX_RE.sub(" ", text)
    words = [w.lower() if w in _OPERATORS else w for w in cleaned.split()]
    return " ".join(words)


def _outside_quotes(text: str) -> str:
    """Text with quoted phrases blanked out, so field checks ignore them."""
    return re.sub(r'"[^"]*"?', lambda m: " " * len(m.group()), text)



class StrictDates(DateParserPlugin):  # type: ignore[misc]
    """Dates where `<` and `>` exclude the period they name: `date:<1987` ends before 1987
    begins, `date:>1987-03-01` starts after that day ends (Whoosh includes it in both)."""

    def range_to_dt(self, node: Any) -> Any:
        out = super().range_to_dt(node)
        if not isinstance(out, DateRangeNode):
            return out
        step = timedelta(microseconds=1)
        if node.start and node.startexcl and out.start is not None:
            period = self._bound_from(node.start).disambiguated(self.basedate)
            if isinstance(period, timespan):
                out.start = period.end + step
        if node.end and node.endexcl and out.end is not None:
            period = self._bound_from(node.end).disambiguated(self.basedate)
            if isinstance(period, timespan):
                out.end = period.start - step
        return out

class QueryParser:
    """Parses user queries for one schema."""

    def __init__(self, schema: Any, facets: tuple[str, ...]):
        self.schema = schema
        self.facets = facets
        self._parser = qparser.MultifieldParser(
            list(TEXT_FIELDS),
            schema,
            fieldboosts={"title": TITLE_BOOST},
            group=qparser.OrGroup.factory(DEFAULT_GROUP_BONUS),
        )
        aliases = {
            name: names for name, names in FIELD_ALIASES.items() if name in schema
        }
        self._parser.add_plugin(qparser.FieldAliasPlugin(aliases))
        self._parser.add_plugin(qparser.GtLtPlugin())
        self._parser.add_plugin(StrictDates(free=False))
        self.field_names = {n for n in schema.names() if not n.endswith("_key")} | {
            alias for names in aliases.values() for alias in names
        }
        self.searchable = ("title", "body", *facets, "date", "source", "from", "to")

    def parse(self, text: str, plain: bool = False) -> Any:
        text = straighten_quotes(text.strip())
        if plain:
            text = plain_text(text)
        if not text:
            return wq.Every()
        longest = max(map(len, text.split()), default=0)
        if longest > MAX_WORD_CHARS:
            # Whoosh's parser is quadratic in the length of one token, and no indexed word is
            # this long: refuse before spending minutes on it.
            raise QueryError(
                f"the query holds a {longest:,}-character word; words are at most "
                f"{MAX_WORD_CHARS:,} characters",
                hint="search for a few of its words, or a phrase in quotes",
                query=text[:80],
            )
        if not plain:
            self._check_fields(text)
            _check_field_groups(text)
            # field names are checked case-insensitively; Whoosh knows only the lower-case ones
            text = _FIELD_RE.sub(lambda m: m.group(1).lower() + ":", text)
        try:
            q = self._parser.parse(text)
        except Exception as exc:  # Whoosh raises assorted types for odd input
            raise QueryError(
                f"cannot read the query {text!r}: {exc}",
                hint="check quotes and brackets, or search the words as plain text",
                query=text,
            ) from exc
        _check_boosts(q, text)
        if plain and isinstance(q, wq.Or):
            q = wq.Or(q.subqueries, boost=q.boost, scale=PLAIN_GROUP_BONUS)
        return self._apply_negations(q, require=not _EXPLICIT_OR.search(text))

    def _apply_negations(self, q: Any, require: bool) -> Any:
        """`summit NOT kyiv` is summit without kyiv, not summit or anything without kyiv."""
        nots = [c.query for c in q.subqueries if isinstance(c, wq.Not)] if isinstance(q, wq.Or) else []
        rest = [c for c in q.subqueries if not isinstance(c, wq.Not)] if nots else [q]
        if not rest:
            return q
        kept = rest[0] if len(rest) == 1 else wq.Or(rest, scale=q.scale)
        kept = self._require_entities(kept) if require else kept
        # And+Not rather than AndNot, whose matcher lets excluded documents through
        return wq.And([kept, wq.Not(wq.Or(nots))]) if nots else kept

    def _require_entities(self, q: Any) -> Any:
        """Entity and date clauses beside free words filter, not compete: `person:putin war`."""
        if not isinstance(q, wq.Or):
            return q
        entity = [
            c
            for c in q.subqueries
            if _fields_of(c) and _fields_of(c) <= {*self.facets, "date"}
        ]
        if not entity or len(entity) == len(q.subqueries):
            return q
        rest = [c for c in q.subqueries if c not in entity]
        scored = rest[0] if len(rest) == 1 else wq.Or(rest, scale=q.scale)
        return wq.And([*entity, scored])

    def _check_fields(self, text: str) -> None:
        for m in _FIELD_RE.finditer(_outside_quotes(text)):
            name = m.group(1)
            if name.lower() not in self.field_names and name.lower() != "id":
                raise QueryError(
                    f"unknown field {name!r} in the query {text!r}",
                    hint=f"fields are {', '.join(self.searchable)}; to search for "
                    f'{name}: as text, put it in quotes: "{name}: ..."',
                    query=text,
                )


def _check_field_groups(text: str) -> None:
    """Refuse `title:(` with no `)` to close it, and `title:)`: Whoosh reads the field name
    as a plain word (`title:(` searches "title") or drops the field from the group."""
    masked = _outside_quotes(text)
    for m in _FIELD_RE.finditer(masked):
        name, after = m.group(1), masked[m.end() :]
        if after.startswith(")"):
            raise QueryError(
                f"a ')' follows {name}: in the query {text!r}, with no '(' to open it",
                hint=f"write {name}:word, or {name}:(several words) in brackets",
                query=text,
            )
        if not after.startswith("("):
            continue
        depth = 0
        for char in after:
            depth += (char == "(") - (char == ")")
            if depth == 0:
                break
        if depth > 0:
            inside = after[1:].strip()
            raise QueryError(
                f"the bracket after {name}: in the query {text!r} is never closed",
                hint=f"close it: {text.rstrip() + ')' * depth}"
                if inside
                else f"put the words to find in {name} between brackets: {name}:(some words)",
                query=text,
            )


_BOOST = re.compile(r"\^(?P<boost>[0-9]*(?:\.[0-9]+)?)(?=$|[ \t\r\n)])")
"""A boost as Whoosh's BoostPlugin reads it (word^2, (a b)^0.5)."""


def _check_boosts(q: Any, text: str) -> None:
    """Refuse a boost that cannot weigh a word: ^0 (it would divide by zero in BM25F's
    field weighting), or one so large that scores stop being numbers."""
    written = [m["boost"] for m in _BOOST.finditer(_outside_quotes(text)) if m["boost"]]
    boosts = [(b, float(b)) for b in written]
    # the parsed tree as a backstop: field weights multiply the boosts written
    stack = [q]
    while stack:
        node = stack.pop()
        boosts.append((f"{getattr(node, 'boost', 1.0):g}", getattr(node, "boost", 1.0)))
        stack.extend(node.children())
    for shown, boost in boosts:
        if not 0 < boost < math.inf or (shown in written and boost > MAX_BOOST):
            raise QueryError(
                f"the boost ^{shown[:20]} in the query {text[:80]!r} is not a number "
                f"between 0 and {MAX_BOOST:,.0f}",
                hint="boost a word by a positive number, e.g. brown^2 (^0.5 weighs it less); "
                "to leave a word out, use NOT",
                query=text,
            )


def _fields_of(q: Any) -> set[str]:
    """Names of the fields a query touches."""
    fields = set()
    for leaf in q.leaves() if q.children() else [q]:
        name = getattr(leaf, "fieldname", None)
        if name:
            fields.add(name)
    return fields


def correct(
    searcher: Any, parser: QueryParser, query: str, total: int, allow: Any, deny: Any
) -> str | None:
    """A spelling-corrected query that finds more than `total` documents, or None."""
    reader = searcher.reader()
    query = straighten_quotes(query)
    masked = _outside_quotes(_FIELD_RE.sub(lambda m: " " * len(m.group()), query))
    replacements: list[tuple[int, int, str]] = []
    for start, end, word in iter_words(masked):
        if word in _OPERATORS or not word.isalpha() or len(word) < 3:
            continue
        if end < len(query) and query[end] in ":*?":
            continue
        term = index_term(word)
        if term is None or any(reader.doc_frequency(f, term) for f in TEXT_FIELDS):
            continue
        best = _suggest(searcher, term)
        if best is not None:
            replacements.append((start, end, best))
    if not replacements:
        return None
    corrected = query
    for start, end, word in reversed(replacements):
        corrected = corrected[:start] + word + corrected[end:]
    try:
        found = len(
            searcher.search(parser.parse(corrected), limit=1, filter=allow, mask=deny)
        )
    except QueryError:
        return None
    return corrected if found > total else None


def _suggest(searcher: Any, term: str) -> str | None:
    """The most frequent indexed word within two edits of term, in a readable form."""
    reader = searcher.reader()
    best: tuple[int, int, str] | None = None
    for maxdist in (1, 2):
        for candidate in reader.terms_within("body", term, maxdist, prefix=1):
            freq = reader.doc_frequency("body", candidate)
            if best is None or (freq, -maxdist) > (best[0], -best[1]):
                best = (freq, maxdist, candidate)
        if best is not None:
            break
    if best is None:
        return None
    return _surface_form(searcher, best[2])


def _surface_form(searcher: Any, term: str) -> str:
    """A word from the corpus that indexes as term (stems are not words users type)."""
    for docnum in searcher.postings("body", term).all_ids():
        body = searcher.stored_fields(docnum).get("body", "")
        # the commonest spelling, without a possessive: "government", not "government's"
        forms = Counter(
            fold(word).replace("’", "'").removesuffix("'s")
            for _, _, word in iter_words(body)
            if index_term(word) == term
        )
        if forms:
            return forms.most_common(1)[0][0]
        break
    return term
