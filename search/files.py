"""Files: the small JSON files kept beside an index, written so a crash never halves them."""

from __future__ import annotations

import errno
import os
from contextlib import suppress
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
        # on a read-only folder the clean-up fails too (EROFS, not "no such file")
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        hint = "check that the index folder is writable and has free space"
        if exc.errno == errno.ENOENT and not path.parent.is_dir():
            hint = f"the index folder {path.parent}/ is gone: build it again with `search index`"
        elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            hint = (
                "the index folder is read-only: searches work, but saving searches and "
                "entity corrections needs a folder you can write to"
            )
        raise SearchError(
            f"cannot write {what} {path}: {exc.strerror or exc}", hint=hint
        ) from exc
