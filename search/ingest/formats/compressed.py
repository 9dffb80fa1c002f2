"""Gzip: any format's files compressed (`report.txt.gz`, `wires.jsonl.gz`, `crawl.warc.gz`).

The inner suffix picks the format; the bytes are decompressed in bounded steps, so that a small
file that inflates to gigabytes (a gzip bomb) stops at the size limit instead of filling memory.
Concatenated gzip members (what `cat a.gz b.gz` and WARC writers produce) are all read.
"""

from __future__ import annotations

import zlib

SUFFIX = ".gz"
_CHUNK = 1 << 20


def gunzip(data: bytes, limit: int | None) -> bytes | str:
    """The decompressed bytes, or why they cannot be had (None: no size limit)."""
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # 16: gzip header and trailer
            chunk = inflater.decompress(rest, _CHUNK)
            while True:
                out.append(chunk)
                size += len(chunk)
                if limit is not None and size > limit:
                    return f"larger than the {limit}-byte limit once decompressed"
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            if not inflater.eof:
                return "cannot decompress: the gzip data is truncated"
            rest = inflater.unused_data.lstrip(b"\x00")  # some writers pad with NULs
    except zlib.error as err:
        return f"cannot decompress: not valid gzip data ({err})"
    return b"".join(out)
