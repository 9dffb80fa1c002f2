"""Files: the small JSON files kept beside an index, written so a crash never halves them."""

from __future__ import annotations

import os
from pathlib import Path

from search.errors import SearchError


def write_atomically(path: Path, text: str | bytes, what: str) -> None:
    """Replace path with text (or bytes) in one step: write a temporary file, rename it."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SearchError(
            f"cannot write {what} {path}: {exc.strerror or exc}",
            hint="check that the index folder is writable and has free space",
        ) from exc
