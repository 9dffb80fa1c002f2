"""Mention rules: what one mention is, judged from its own words and where it sits in the text.

In: a mention's cleaned value, and optionally the text it came from. Out: a shorter value
(scores cut) or the reason it names no entity: a nationality word, an agency sign-off at the
end of the text, a byline. Used by `search.ingest.normalize` before any linking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from search.ingest.name_heads import CURRENCY_WORDS

NON_ENTITY_LABELS = ("NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE")
"""spaCy labels that name no person, place or organisation: nationalities and groups, works,
events and competitions, products. Their mentions are kept (as the `other` type) so that the
corpus can tell that "Oscars" or "Bafta" is mostly one of these, whatever it was tagged once.
NORP counts only for nationality words (`is_demonym`): the model also tags political parties
NORP ("Tories", often "Labour"), and a party is an organisation."""

# A tennis or cricket score, a bowling figure, a ranking glued to a name: "1-6", "5-68", "238".
_SCORE = r"(?:\(?\d+(?:[-–/:.]\d+)*\)?|\d+(?:st|nd|rd|th))"
_TRAILING_SCORES = re.compile(rf"(?:[\s,;:-]+{_SCORE})+$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_SENTENCE_END = re.compile(r"""(?:[.!?;:"')\]]|\n)\s*$""")
_BYLINE = re.compile(r"^\s*(?:by|reporting by|written by|from)\s+$", re.IGNORECASE)
_BYLINE_WORDS = 8
"""A byline line is short: "By John Smith, BBC News Online business reporter"."""


def cut_trailing_numbers(value: str) -> str:
    """`value` without any numbers after it: for people, whose names never end in one."""
    match = _TRAILING_SCORES.search(value)
    if match is None or match.start() == 0:
        return value
    head = value[: match.start()].rstrip(" ,;:-")
    return head if any(ch.isalpha() for ch in head) else value


def cut_trailing_scores(value: str) -> str:
    """`value` without scores or numbers glued after the name: "Elena Bovina 1-6 6-1" loses them.

    A single short number stays ("Channel 4", "Formula 1"), and so does a year ("Euro 2004"):
    those are parts of names; scores, figures and long numbers are not.
    """
    match = _TRAILING_SCORES.search(value)
    if match is None or match.start() == 0:
        return value
    tail = match.group().split()
    tokens = [t.strip(",;:-") for t in tail if t.strip(",;:-")]
    if len(tokens) == 1:
        token = tokens[0]
        plain = token.strip("()")
        if plain.isdigit() and (len(plain) < 3 or _YEAR.match(plain)):
            return value
    head = value[: match.start()].rstrip(" ,;:-")
    return head if any(ch.isalpha() for ch in head) else value


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Lower-cased nationality words and their plurals, from `ingest/data/demonyms.tsv`
    (sovereign states, each with its country) and `nations.tsv` (nations within states,
    peoples, regions)."""
    return state_demonyms() | _table("nations.tsv")


@lru_cache(maxsize=1)
def state_demonyms() -> frozenset[str]:
    """Lower-cased nationality words of sovereign states ("brazilian", "dutch")."""
    return frozenset(nationality_countries())


@lru_cache(maxsize=1)
def nationality_countries() -> dict[str, str]:
    """Lower-cased nationality word → its country, lower-cased ("dutch" → "netherlands")."""
    return dict(_rows("demonyms.tsv"))


def _table(name: str) -> frozenset[str]:
    """The first column of a word list in `ingest/data/`, lower-cased."""
    return frozenset(word for word, _ in _rows(name))


def _rows(name: str) -> list[tuple[str, str]]:
    """The lower-cased (first column, second column or "") of each line of a list in
    `ingest/data/`; # starts a comment line, a tab the second column."""
    resource = files("search.ingest") / "data" / name
    rows = []
    for line in resource.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            first, _, second = line.casefold().partition("\t")
            rows.append((first.strip(), second.strip()))
    return rows


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Lower-cased country names, from `ingest/data/countries.tsv`."""
    return _table("countries.tsv")


def is_demonym(value: str) -> bool:
    """Whether `value` is a nationality word ("Ukrainian", "Germans"), not a name."""
    return value.casefold() in demonyms()


def furniture_role(text: str, start: int, end: int) -> str | None:
    """"sign-off" or "byline" when the mention at [start, end) is the text's signature.

    A wire story ends with its agency's name after the last sentence ("... in 1987. Reuter");
    a byline is a short line "By <name>". Neither names someone the story is about.
    """
    if not 0 <= start < end <= len(text):
        return None
    if not text[end:].strip() and _SENTENCE_END.search(text[:start]):
        return "sign-off"
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    if _BYLINE.match(text[line_start:start]) and len(line.split()) <= _BYLINE_WORDS:
        return "byline"
    return None


_DETERMINERS = frozenset(
    ["a", "an", "the", "his", "her", "their", "its", "this", "that", "these", "those", "every", "each", "our", "my", "your"]
)
_INDEFINITE = frozenset({"a", "an"})
_WORD_BEFORE = re.compile(r"(?:^|[^\w'’])([A-Za-z]+) $")
_NEXT = re.compile(r"\s*([A-Za-z]+|[^\sA-Za-z]|$)")
_FUNCTION_WORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "he", "her", "his", "in", "into", "is", "it", "its", "of", "on", "or", "she", "so", "than", "that", "the", "their", "them", "they", "this", "to", "was", "were", "which", "while", "who", "will", "with", "would"]
)  # fmt: skip


def article_role(text: str, start: int, end: int, label: str) -> str | None:
    """The determiner that shows a mention names a thing, not a person or an organisation.

    People take no article ("an Oscar", "the Welsh", "her Bafta" are not people), and an
    organisation no indefinite one ("an iPod", "a PSP" are products). "The Bush
    administration" or "a BBC reporter" is a name used as a modifier, so a determiner only
    counts when no lower-case content word follows the name.
    """
    wanted = _DETERMINERS if label == "PERSON" else _INDEFINITE if label == "ORG" else None
    if wanted is None or start < 2:
        return None
    before = _WORD_BEFORE.search(text[max(0, start - 12) : start])
    if before is None or before.group(1).lower() not in wanted:
        return None
    after = _NEXT.match(text, end)
    nxt = after.group(1) if after else ""
    if nxt.isalpha() and nxt.islower() and nxt not in _FUNCTION_WORDS:
        return None
    return before.group(1).lower()


TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Lord", "Lady", "Sir", "Dame", "Baroness")
"""Titles before a bare surname. With the first five the surname alone is no name to show;
the peerage and knighthood titles make one ("Lord Falconer")."""
PLAIN_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr"})
POSSESSIVE_AFTER = re.compile(r"['’]s?\b")
"""A possessive right after a name, matched at its end ("Microsoft's Xbox", "Scorsese's
film"): the name is the owner, not the thing or the workplace."""
_TITLE_BEFORE = re.compile(rf"(?:^|\W)({'|'.join(TITLES)})\.? $")


def title_before(text: str, start: int) -> str | None:
    """The title written just before a mention ("Lord" in "Lord Falconer"), if any."""
    found = _TITLE_BEFORE.search(text[max(0, start - 12) : start])
    return found.group(1) if found else None


_QUANTITY_BEFORE = re.compile(
    r"(?:^|\s)(?:\d[\d.,]*\s+)?(mln|bln|million|billion|trillion)\s+$", re.IGNORECASE
)


_NUMBER_BEFORE = re.compile(r"(?:^|\s)(\d[\d,]*(?:\.\d+)?)[ \t]+$")  # not a rank's "1."
def after_quantity(text: str, start: int, value: str = "") -> str | None:
    """The quantity word just before a mention ("mln" in "200 mln H.K. Dlr"), or the figure
    before a currency's name ("3.25" in "3.25 H.K. Dlrs"): what follows a quantity is its
    unit or currency, never a person."""
    found = _QUANTITY_BEFORE.search(text[max(0, start - 24) : start])
    last = value.split()[-1:]
    if found is None and last and last[0].casefold() in CURRENCY_WORDS:
        found = _NUMBER_BEFORE.search(text[max(0, start - 24) : start])
    return found.group(1) if found else None


_PERSON_SHAPE = re.compile(r"^[A-Z]\.? [A-Z][a-z]+(?:-[A-Z][a-z]+)?$")


def looks_like_person(value: str) -> bool:
    """An initial and a surname ("E Miller"): whatever the model said, a person's name."""
    return bool(_PERSON_SHAPE.match(value))


PARTICLES = frozenset(
    {"de", "da", "di", "do", "dos", "das", "del", "della", "der", "den", "van", "von", "al",
     "el", "bin", "ibn", "ben", "le", "la", "du", "ter", "ten", "zu", "y", "e", "af", "wa"}
)  # fmt: skip
"""Lower-case words inside people's names ("Ludwig van Beethoven", "Osama bin Laden")."""


_TICKER = re.compile(r"^[A-Z]{2,6}\.[A-Z]{1,2}$")


def is_lower_word(word: str) -> bool:
    """A lower-case word that is no particle of a name ("div", "ceded"; not "van", "al-")."""
    return word[:1].islower() and word.split("-")[0].strip(".") not in PARTICLES


DESIGNATORS = frozenset(
    {"party", "group", "plc", "inc", "corp", "corporation", "ltd", "co", "company", "holdings",
     "club", "fc", "association", "llc", "ag", "sa", "nv"}
)  # fmt: skip
"""Words that end an organisation's name and say what it is ("Co", "Inc", "Party"), lower
case and without their dot: the one list the document and corpus stages share."""
JOINING = (
    PARTICLES
    | DESIGNATORS  # written small too: "Labour party", "Rothmans plc"
    | {"of", "and", "the", "for", "on", "in", "at", "to", "des", "les", "und", "et", "es",
       "sur", "sans", "upon", "&"}
)
"""Lower-case words that join the capitalised words of a name ("Bank of England", "Dar es
Salaam"); any other ends it."""


def name_before_lower_word(value: str) -> str | None:
    """A place's or organisation's name up to the first lower-case word after its first
    that joins no name: "Associated Press news agency" → "Associated Press"; None when one
    word is all that is left ("Oper shr", "French franc": a phrase, not a name)."""
    words = value.split()
    for n, word in enumerate(words[1:], 1):
        low = word[:1].islower() and not word.startswith(("d'", "l'", "d’", "l’"))
        if low and word.split("-")[0].strip(".,") not in JOINING:
            kept = words[:n]
            while kept and kept[-1].lower() in JOINING:
                kept.pop()
            return " ".join(kept).rstrip(" ,;:-") if len(kept) >= 2 else None
    return value


def not_a_person(value: str) -> str | None:
    """Why a "person" value cannot be one: names have no digits, are not short acronyms, and
    have no lower-case word but a particle ("Qtrly div" is a wire abbreviation)."""
    if any(ch.isdigit() for ch in value):
        return "has digits: no person's name does"
    letters = value.replace(".", "")
    if " " not in value and letters.isupper() and len(letters) <= 4:
        return "a short acronym, not a person's name"
    if _TICKER.match(value):
        return "a stock ticker, not a person's name"
    words = value.split()
    if any(is_lower_word(w) for w in words[1:]):
        return "a lower-case word in it that no name has"
    return None


def on_shouted_line(text: str, start: int) -> bool:
    """Whether the mention at `start` sits on a line written in capitals (a wire headline):
    NER reads every shouted word as a name there ("SQUASH", "QUALIFIER")."""
    return any(a <= start < b for a, b in _shouted_lines(text))


_LINE = re.compile(r"[^\n]+")
_SHOUTED_LETTERS = 12
_HEADLINE_CHARS = 300


@lru_cache(maxsize=4)
def _shouted_lines(text: str) -> tuple[tuple[int, int], ...]:
    """The [start, end) spans of a text's lines written in capitals (computed once a text)."""
    spans = []
    for m in _LINE.finditer(text):
        line = m.group()
        if len(line) > _HEADLINE_CHARS:
            continue  # a paragraph, not a headline
        upper = sum(map(str.isupper, line))
        if upper >= _SHOUTED_LETTERS and upper >= 0.9 * sum(map(str.isalpha, line)):
            spans.append(m.span())
    return tuple(spans)


_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATELINE_AFTER = re.compile(
    rf"[ \t]*(?:,[ \t]*)?(?:\d{{4}}-\d\d-\d\d\b|(?i:{_MONTHS})[a-z]*\.?[ \t]+\d{{1,2}}\b"
    rf"|\(\w+\)[ \t]*[-–—])"
)


def is_dateline(text: str, start: int, end: int) -> bool:
    """Whether the mention opens a wire dateline ("BAGHDAD 1996-08-30", "LONDON, March 3",
    "PARIS (Reuters) -"): the town a story was filed from, whatever NER called it."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return False
    return _DATELINE_TAIL.match(text, end) is not None


_DATELINE_TAIL = re.compile(
    rf"[ \t]*(?:,[ \t]*[A-Z][A-Za-z. ]{{1,20}})?{_DATELINE_AFTER.pattern}"
)
"""What follows a dateline's town: maybe ", Country", then a date or an agency."""
_DATELINE_LINE = re.compile(
    rf"^[ \t]*([A-Z][A-Za-z.'-]*(?:[ \t]+[A-Z][A-Za-z.'-]*){{0,3}})"
    rf"(?=[ \t]*(?:,[ \t]*[A-Z][A-Za-z. ]{{1,20}})?{_DATELINE_AFTER.pattern})",
    re.MULTILINE,
)
DATELINE_LINES = 4
"""A dateline opens the story: it is looked for in its first lines only."""


def dateline_places(text: str) -> list[tuple[str, int, int]]:
    """The towns of the datelines in a text's first lines, as (text, start, end): capitals,
    then a date or an agency ("BELGRADE 1996-08-30", "LONDON, March 3", "PARIS (AFP) -")."""
    head_end = 0
    for _ in range(DATELINE_LINES):
        nxt = text.find("\n", head_end + 1)
        head_end = len(text) if nxt < 0 else nxt
    found = []
    for match in _DATELINE_LINE.finditer(text, 0, head_end):
        name = match.group(1)
        # wire datelines shout the town; "On March 3" opens a sentence
        if name.isupper() and len(name) > 2:
            found.append((name, match.start(1), match.end(1)))
    return found


_SCORE_AFTER = re.compile(r"[ \t]+(?:\d{1,3}(?![\d.,%]|\s*(?:mln|million|bln|billion|per|pct|%))|v\.?[ \t]|vs\.?[ \t])")
_SCORE_BEFORE = re.compile(r"(?:\bv\.?|\bvs\.?|\d)[ \t]+$")


def plays_as_team(text: str, start: int, end: int) -> bool:
    """Whether a place's name is a team here: a score or "v" right after it, or "v" or a
    score right before it ("Surrey 320-8", "Florida 5 Chicago 3", "Leeds v Chelsea"); not
    "beat", which prices and forecasts do too.
    A country stays a place: its national team is named as the country itself."""
    if text[start:end].casefold() in countries():
        return False
    if _SCORE_AFTER.match(text, end):
        return True
    return _SCORE_BEFORE.search(text[max(0, start - 12) : start]) is not None


@dataclass(frozen=True, slots=True)
class DatelineMention:
    """A dateline's town that NER did not see (wire copy shouts it: "BELGRADE 1996-08-30")."""

    text: str
    label: str
    start: int
    end: int


def missed_datelines(text: str, covered: Sequence[tuple[int, int]]) -> list[DatelineMention]:
    """Mentions for the dateline towns that no [start, end) span in `covered` overlaps."""
    return [
        DatelineMention(name, "GPE", start, end)
        for name, start, end in dateline_places(text)
        if not any(s < end and start < e for s, e in covered)
    ]


def is_acronym(value: str) -> bool:
    """One word mostly of capitals ("AfD", "SNP"): an abbreviation, not a word."""
    letters = [ch for ch in value if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    return value.isalnum() and capitals >= 2 and 2 * capitals >= len(letters)
