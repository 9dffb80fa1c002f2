"""`import search` time against a bare interpreter start, in fresh processes.

python tests/benchmarks/bench_import.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def best(cmd: list[str], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    bare = best([sys.executable, "-c", "pass"])
    light = best([sys.executable, "-c", "import search"])
    heavy = best([sys.executable, "-c", "import search.query.searcher"])
    print(f"python -c pass          {bare:6.1f} ms")
    print(
        f"import search           {light:6.1f} ms  (+{light - bare:.1f} ms over a bare start)"
    )
    print(
        f"import search.query.searcher  {heavy:6.1f} ms  (+{heavy - bare:.1f} ms; loads Whoosh)"
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


if __name__ == "__main__":
    main()
