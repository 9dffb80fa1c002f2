"""Entity-phase throughput on a local Dask cluster with one and two workers, and locally.

    python tests/benchmarks/bench_cluster.py [--docs 400] [--local]

Starts `dask scheduler` and `dask worker` processes on 127.0.0.1 only (one thread each), then
builds an index of --docs BBC articles with `--cluster` (with --local, also with the local
worker pool of as many processes, in the same run). The figure is documents per second of the
entity phase, model loading included (each worker loads the model once).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from _common import BBC, require

import search
from search.config import Settings
from search.index.progress import IndexProgress


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sample(folder: Path, docs: int) -> Path:
    paths = sorted(require(BBC).glob("*/*.txt"))[:: max(1, 2225 // docs)][:docs]
    for path in paths:
        target = folder / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return folder


def entity_seconds(corpus: Path, index: Path, settings: Settings) -> tuple[float, int]:
    marks: dict[str, float] = {}

    def progress(event: IndexProgress) -> None:
        if event.phase != "text":
            marks.setdefault("start", time.perf_counter())

    stats = search.build([corpus], index, settings=settings, progress=progress)
    return time.perf_counter() - marks["start"], stats.entities_added


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--local", action="store_true", help="also the local pool, as many")
    args = parser.parse_args()
    dask = shutil.which("dask") or sys.exit("no `dask` command: pip install 'search[cluster]'")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = sample(Path(tmp) / "bbc", args.docs)
        base = Settings(nlp_batch_size=32)
        for workers in (1, 2):
            port = free_port()
            address = f"tcp://127.0.0.1:{port}"
            procs = [subprocess.Popen(
                [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                 "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
            try:
                time.sleep(3)
                procs.append(subprocess.Popen(
                    [dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                     "--nworkers", str(workers), "--no-dashboard"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                time.sleep(8)
                seconds, docs = entity_seconds(
                    corpus, Path(tmp) / f"cluster-{workers}", replace(base, cluster=address))
                print(f"Dask, {workers} worker(s):        {docs} docs, entity phase {seconds:6.1f} s"
                      f" = {docs / seconds:5.1f} docs/s", flush=True)
            finally:
                for proc in reversed(procs):
                    proc.terminate()
                    proc.wait(30)
            if not args.local:
                continue
            seconds, docs = entity_seconds(
                corpus, Path(tmp) / f"local-{workers}", replace(base, nlp_processes=workers))
            print(f"local pool, {workers} process(es): {docs} docs, entity phase {seconds:6.1f} s"
                  f" = {docs / seconds:5.1f} docs/s", flush=True)


if __name__ == "__main__":
    main()
