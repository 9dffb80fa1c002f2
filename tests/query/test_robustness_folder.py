"""Robustness of an open index against its folder: read-only, written to, deleted.

A read-only index answers every query (the facet cache stays in memory) and refuses writes
(:save, :merge, :drop) with an error and a hint, the REPL going on. While an indexer commits,
searchers old and new never report damage: a table of contents replaced under them is not
damage. An index folder deleted or emptied under an open REPL gives clear errors or answers
from the open snapshot, never a traceback.
"""

from __future__ import annotations

import errno
import io
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import NEWS_NAMES, DictExtractor, fake_settings, write_news
from rich.console import Console
from whoosh import index as whoosh_index

from search.config import Settings
from search.errors import IndexDamagedError, SearchError
from search.index.indexer import build
from search.query import limits
from search.query.searcher import Searcher
from search.terminal.commands import Shell
from search.terminal.render import THEME


@pytest.fixture
def news_index(tmp_path: Path) -> Path:
    index_dir = tmp_path / "index"
    build([write_news(tmp_path / "news")], index_dir, settings=fake_settings(),
          extractor=DictExtractor(NEWS_NAMES))
    return index_dir


def shown(out: Any) -> str:
    console = Console(file=io.StringIO(), width=200, theme=THEME)
    console.print(out.renderable)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(text, str)
    return text


# --- read-only -------------------------------------------------------------------------------


def _simulate_read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write under folder fails as on a read-only file system, clean-ups included."""
    import builtins
    import io as io_module

    inside = str(folder.resolve())

    def refuse(path: Any) -> None:
        if os.path.abspath(os.fspath(path)).startswith(inside):
            raise OSError(errno.EROFS, "Read-only file system", os.fspath(path))

    real_open = builtins.open

    def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | os.PathLike) and set(mode) & set("wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io_module, "open", open_)
    for name in ("replace", "rename", "unlink", "remove", "mkdir"):
        real = getattr(os, name)

        def guarded(path: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            refuse(path)
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, guarded)


@pytest.fixture(params=["simulated", "mounted"])
def read_only_index(
    request: pytest.FixtureRequest, news_index: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The news index without a facet cache, read-only: simulated, or a real read-only bind
    mount where the test may mount (root on Linux; skipped elsewhere)."""
    for cache in news_index.glob("facets-*"):
        cache.unlink()
    if request.param == "simulated":
        _simulate_read_only(news_index, monkeypatch)
        yield news_index
        return
    mount = news_index.parent / "read-only"
    mount.mkdir()
    done = subprocess.run(["mount", "--bind", str(news_index), str(mount)], capture_output=True,
                          check=False) if shutil.which("mount") else None
    if done is None or done.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root on Linux); the simulation covers it")
    try:
        remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)],
                                 capture_output=True, check=False)
        if remount.returncode != 0:
            pytest.skip("cannot remount read-only here; the simulation covers it")
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_read_only_index_answers_queries_and_refuses_writes_clearly(
    read_only_index: Path,
) -> None:
    with pytest.raises(OSError):  # truly read-only
        (read_only_index / "probe").write_text("x")
    with Searcher(read_only_index) as s:
        res = s.search("putin OR summit")
        assert res.total > 0 and any(res.facets.values())
        assert s.facet_counts("person")["person"]
        assert s.info().documents == s.doc_count()
        shell = Shell(s)
        assert not shell.handle("putin").error
        for line in (":save mine", ':merge "Putin" "Vladimir Putin"', ':drop person "Putin"'):
            out = shell.handle(line)
            assert out.error and out.data is not None, line
            assert "Read-only file system" in out.data["error"]
            assert out.data["hint"].startswith("the index folder is read-only: searches work")
            assert "Traceback" not in shown(out)
        out = shell.handle("putin OR summit")  # the REPL goes on, nothing half-applied
        assert not out.error and out.data is not None and out.data["total"] == res.total
        assert s.entity_overlay() == []
    assert not list(read_only_index.glob("facets-*"))


# --- a writer committing under open searchers -------------------------------------------------


def test_opening_while_a_commit_replaces_the_table_of_contents_is_not_damage(
    news_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the race a trial hit: the newest _MAIN_N.toc listed, then deleted by a commit before
    # it is read; simulated here by a fresh commit on the first read
    real_open_dir = whoosh_index.open_dir
    races = []

    def racing_open_dir(folder: str, *args: Any, **kwargs: Any) -> Any:
        if not races:
            races.append(1)
            build([news_index.parent / "news"], news_index, rebuild=True,
                  settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
            (toc,) = news_index.glob("_MAIN_*.toc")
            raise FileNotFoundError(errno.ENOENT, "No such file or directory",
                                    str(toc.with_name("_MAIN_0.toc")))
        return real_open_dir(folder, *args, **kwargs)

    monkeypatch.setattr(limits.whoosh_index, "open_dir", racing_open_dir)
    with Searcher(news_index) as s:
        assert s.search("summit").total > 0
    assert races == [1]


def test_a_missing_segment_is_still_reported_as_damage(news_index: Path) -> None:
    for seg in news_index.glob("*.seg"):
        seg.unlink()
    with pytest.raises(IndexDamagedError, match="cannot be opened"):
        Searcher(news_index)


WORDS = ["summit", "treaty", "market", "oil", "grain", "cocoa", "bank", "rates", "talks"]


def write_articles(root: Path, start: int, count: int) -> None:
    rng = random.Random(start)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        words = " ".join(rng.choice(WORDS) for _ in range(40))
        (root / f"{i:05d}.txt").write_text(
            f"Article {i}\n\nOn 2024-{1 + i % 12:02d}-{1 + i % 28:02d}: {words}.\n",
            encoding="utf-8",
        )


def test_searchers_never_report_damage_while_an_indexer_commits(tmp_path: Path) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 0, 40)
    build([corpus], index_dir, settings=Settings(entities=False, batch_size=10))
    write_articles(corpus, 40, 250)
    # tiny batches: a commit (a new table of contents, merged segments deleted) every moment
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", "--index", str(index_dir), "index", "--no-entities",
         str(corpus)],
        env={**os.environ, "SEARCH_BATCH_SIZE": "3"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    failures: list[str] = []
    calls = 0
    old = Searcher(index_dir)
    try:
        stop = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < stop:
            steps = [
                ("refresh", old.refresh),
                ("date sort", lambda: old.search("oil", sort="date", limit=3)),
                ("dates", old._dates),
                ("info", old.info),
                ("facets", old.facet_counts),
                ("open", lambda: Searcher(index_dir).close()),
            ]
            for name, step in steps:
                calls += 1
                try:
                    step()
                except (SearchError, Exception) as exc:  # noqa: BLE001 - each one is a failure
                    failures.append(f"{name}: {type(exc).__name__}: {exc}")
    finally:
        if proc.poll() is None:
            proc.kill()
        _, err = proc.communicate()
        old.close()
    assert proc.returncode == 0, err.decode()
    assert calls > 50, "the indexer finished before the readers got going"
    assert failures == []


# --- the folder deleted or emptied under an open REPL -----------------------------------------


@pytest.mark.parametrize("how", ["emptied", "deleted"])
def test_an_index_folder_removed_under_the_repl_gives_clear_errors(
    news_index: Path, how: str
) -> None:
    with Searcher(news_index) as s:
        shell = Shell(s)
        assert not shell.handle("summit").error
        if how == "deleted":
            shutil.rmtree(news_index)
        else:
            for path in news_index.iterdir():
                path.unlink()
        for line in ("summit", ":timeline", ":sort date", ":stats", ":facets", ":open 1",
                     ":save mine", "talks", ":why"):
            out = shell.handle(line)  # never raises: answers from the open snapshot, or says
            text = shown(out)
            assert "damaged" not in text and "Traceback" not in text, (line, text)
            if out.error:
                assert out.data is not None
                assert "no longer there" in out.data["error"] or (
                    "is gone" in out.data["hint"]
                ), (line, out.data)
        # a new session says there is no index, with the command that builds one
        with pytest.raises(SearchError, match="no index in"):
            Searcher(news_index)
