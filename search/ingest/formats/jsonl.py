"""JSON (.json) and JSON lines (.jsonl, .ndjson): one record per object.

A .json file holds one object or a list of them; a JSON lines file one object per line, each
addressed by its line number (`file.jsonl:N`). Fields: "title", "text" (or "body", "content",
a string or a list of paragraphs), "date", "url", "source", and "id" (or "_id"), which, when
present, names the document `file#id`. A record that cannot be one is skipped with its line;
so is a JSON lines record holding a raw NUL byte, which marks the whole file binary only when
the file does not begin as a record.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from search.ingest.formats.base import (
    SNIFF_BYTES,
    Format,
    Parsed,
    Record,
    looks_binary,
    text_parser,
)
from search.ingest.formats.cleaning import parse_date
from search.results import Skip

# fmt: off
_JSON_KINDS: dict[type, str] = {dict: "an object", list: "a list", str: "a string",
                                bool: "true/false", int: "a number", float: "a number",
                                type(None): "null"}
NO_RECORD_TEXT = 'record has neither text nor title (fields "title", "text", "body", "content")'
# fmt: on


def _kind(value: object) -> str:
    return _JSON_KINDS.get(type(value), type(value).__name__)


def _field(obj: dict[str, Any], *names: str) -> str | None:
    """The first non-empty of `names` as text; numbers are converted, others refused."""
    for name in names:
        value = obj.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            return value
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return str(value)
        paragraphs = isinstance(value, list) and name not in ("id", "_id", "title")
        if paragraphs and all(isinstance(v, str) for v in value):
            return "\n\n".join(value)
        raise ValueError(f'field "{name}" is {_kind(value)}, expected a string')
    return None


def _record(obj: object, key: str, line: int | None) -> Record | Skip:
    if not isinstance(obj, dict):
        return Skip(key, f"record is {_kind(obj)}, expected an object", line)
    try:
        own_id, title = _field(obj, "id", "_id"), _field(obj, "title") or ""
        text = _field(obj, "text", "body", "content") or ""
        url, source = _field(obj, "url"), _field(obj, "source")
    except ValueError as err:
        return Skip(key, str(err), line)
    if not title.strip() and not text.strip():
        return Skip(key, NO_RECORD_TEXT, line)
    # only written dates: a bare number could be a year as well as a timestamp
    when = obj.get("date")
    date = parse_date(when) if isinstance(when, str) else None
    return Record(title, text, date, url, source, own_id, line)


_INT_DIGITS = 4000
"""Longer integers are read as Decimal: int() refuses strings of over 4,300 digits."""


def _json_int(digits: str) -> int | Decimal:
    return int(digits) if len(digits) <= _INT_DIGITS else Decimal(digits)


def _loads(raw: str) -> Any:
    """json.loads, with numbers of any length (a record is never lost to one)."""
    return json.loads(raw, parse_int=_json_int)


def _parse_json(raw: str, key: str) -> Parsed:
    if raw.lstrip().startswith("["):
        return _json_list(raw, key)
    try:
        data = _loads(raw)
    except json.JSONDecodeError as err:
        return [Skip(key, _json_error(err), err.lineno)]
    except RecursionError:
        return [Skip(key, "invalid JSON: nested too deeply")]
    if isinstance(data, dict):
        return [_record(data, key, None)]
    expected = "expected an object or a list of objects"
    return [Skip(key, f"the file holds {_kind(data)}, {expected}")]


_DECODER = json.JSONDecoder(parse_int=_json_int)
_SPACE = re.compile(r"[ \t\n\r]*")


def _json_list(raw: str, key: str) -> Parsed:
    """A list of records read one by one: a broken record costs only those after it."""
    found: Parsed = []
    pos = _skip_space(raw, raw.index("[") + 1)
    if raw.startswith("]", pos):
        pos = _skip_space(raw, pos + 1)
    else:
        for n in itertools.count(1):
            try:
                item, pos = _DECODER.raw_decode(raw, pos)
            except json.JSONDecodeError as err:
                return [*found, Skip(key, _json_error(err), err.lineno)]
            except RecursionError:
                return [*found, Skip(key, "invalid JSON: nested too deeply", _line(raw, pos))]
            found.append(_record(item, key, n))
            pos = _skip_space(raw, pos)
            if not raw.startswith(",", pos):
                break
            pos = _skip_space(raw, pos + 1)
        if not raw.startswith("]", pos):
            where = f"at column {pos - raw.rfind(chr(10), 0, pos)}"
            return [*found, Skip(key, f"invalid JSON: expected , or ] {where}", _line(raw, pos))]
        pos = _skip_space(raw, pos + 1)
    if pos < len(raw):
        found.append(Skip(key, "invalid JSON: extra data after the list", _line(raw, pos)))
    return found


def _skip_space(raw: str, pos: int) -> int:
    return _SPACE.match(raw, pos).end()  # type: ignore[union-attr]


def _line(raw: str, pos: int) -> int:
    return raw.count("\n", 0, pos) + 1


def _json_error(err: json.JSONDecodeError) -> str:
    # some messages end in "at" already: "Unterminated string starting at"
    return f"invalid JSON: {err.msg.removesuffix(' at')} at column {err.colno}"


def _lines(raw: str) -> Iterator[tuple[int, int, int]]:
    """Each line's number, start and end; only "\n" ends a record (str.splitlines() also
    splits at U+2028 inside strings). Offsets, not copies: a line may be a huge run of NULs."""
    start, n = 0, 1
    while start <= len(raw):
        end = raw.find("\n", start)
        end = len(raw) if end < 0 else end
        yield n, start, end
        start, n = end + 1, n + 1


def _parse_jsonl(raw: str, key: str) -> Parsed:
    found: Parsed = []
    for n, start, end in _lines(raw):
        nul = raw.find("\x00", start, end)
        if nul >= 0:  # binary data in one record: that record only, named as such
            found.append(Skip(key, f"binary data: a NUL byte at column {nul - start + 1}", n))
            continue
        line = raw[start:end]
        if not line.strip():
            continue
        try:
            found.append(_record(_loads(line), key, n))
        except json.JSONDecodeError as err:
            found.append(Skip(key, _json_error(err), n))
        except RecursionError:  # one absurd line must not cost the file's other records
            found.append(Skip(key, "invalid JSON: nested too deeply", n))
        except ValueError as err:  # anything else json refuses: this line only
            found.append(Skip(key, f"invalid JSON: {err}", n))
    return found


def _binary_lines(data: bytes) -> bool:
    """A JSON lines file is binary when NUL bytes start it off and it does not begin as a
    record would, with "{": a NUL inside a record costs that record, never its file."""
    start = data[:SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    return looks_binary(data) and not start.startswith(b"{")


JSON = Format("json", (".json",), text_parser(_parse_json))
JSONL = Format(
    "jsonl", (".jsonl", ".ndjson"), text_parser(_parse_jsonl, _binary_lines, by_line=True), collection=True
)
