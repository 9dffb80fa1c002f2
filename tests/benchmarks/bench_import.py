"""`import search` time against a bare interpreter start, in fresh processes.

python tests/benchmarks/bench_import.py [--heavy MODULE]

Runs alternate between the bare start and the import, and the fastest of each is reported
(the least disturbed by other work on a shared machine), with the modules the import adds:
that count does not depend on the machine's load.
"""

from __future__ import annotations

import subprocess
import sys
import time

HEAVY = sys.argv[sys.argv.index("--heavy") + 1] if "--heavy" in sys.argv else "search.query.searcher"


def best(cmd: list[str], runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True)
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def main() -> None:
    bare = best([sys.executable, "-c", "pass"])
    light = best([sys.executable, "-c", "import search"])
    heavy = best([sys.executable, "-c", f"import {HEAVY}"])
    print(f"python -c pass          {bare:6.1f} ms")
    print(
        f"import search           {light:6.1f} ms  (+{light - bare:.1f} ms over a bare start)"
    )
    print(
        f"import {HEAVY}  {heavy:6.1f} ms  (+{heavy - bare:.1f} ms; loads Whoosh)"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, search; print(sorted(m for m in ('spacy', 'whoosh', 'rich', 'prompt_toolkit') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"heavy modules loaded by import search: {out.stdout.strip()}")
    count = (
        "import sys; before = set(sys.modules); import search; "
        "print(len(set(sys.modules) - before))"
    )
    added = subprocess.run(
        [sys.executable, "-c", count], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"modules added by import search: {added}")


if __name__ == "__main__":
    main()
