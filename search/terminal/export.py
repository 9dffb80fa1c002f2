"""Export: every hit of the current results written to a file, the format named by its
extension: `.csv` (a header row, one hit per row), `.json` (one object: the query, its
filters and the hits) or `.jsonl` (one hit per line; also for any other extension).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from search.results import Hit, json_line

FORMATS = {".csv": "CSV", ".json": "JSON", ".jsonl": "JSON lines", ".ndjson": "JSON lines"}

CSV_COLUMNS = ("rank", "id", "title", "date", "source", "url", "path", "score")

# A cell starting with one of these is a formula to a spreadsheet: document text is
# untrusted, so such cells get a leading apostrophe (OWASP's advice on CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def format_of(path: Path) -> str:
    """The format a file name asks for; JSON lines when its extension names none."""
    return FORMATS.get(path.suffix.lower(), "JSON lines")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(hits: Iterable[Hit], facets: Sequence[str]) -> Iterable[str]:
    """CSV in pieces: a header row, then a row per hit (entities joined by "; ")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*CSV_COLUMNS, *facets, "snippet"])
    for h in hits:
        row = [getattr(h, name) for name in CSV_COLUMNS]
        row[CSV_COLUMNS.index("score")] = f"{h.score:.4f}"
        row += ["; ".join(h.entities.get(facet, ())) for facet in facets]
        row.append(" … ".join(" ".join(f.text.split()) for f in h.snippets))
        writer.writerow([_cell(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def write(
    path: Path,
    hits: Iterable[Hit],
    facets: Sequence[str],
    about: dict[str, Any],
) -> int:
    """Write the hits in the format `path` names; returns how many were written."""
    fmt = format_of(path)
    count = 0

    def counted() -> Iterable[Hit]:
        nonlocal count
        for h in hits:
            count += 1
            yield h

    with path.open("w", encoding="utf-8", newline="") as out:
        if fmt == "CSV":
            for piece in csv_text(counted(), facets):
                out.write(piece)
        elif fmt == "JSON":
            out.write(json_line({**about, "hits": [h.to_dict() for h in counted()]}))
            out.write("\n")
        else:
            for h in counted():
                out.write(json_line(h.to_dict()) + "\n")
    return count
