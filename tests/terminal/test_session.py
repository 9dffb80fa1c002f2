"""Tests for search.terminal.session: :pager, :less, :edit and :watch, through `Shell.handle`."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NEWS_NAMES, DictExtractor, fake_settings
from rich.console import Console

from search.index.indexer import build
from search.query.searcher import Searcher
from search.terminal import render
from search.terminal.commands import Output, Shell
from search.terminal.pipe import run_pipe


@pytest.fixture
def shell(news_index: Path) -> Iterator[Shell]:
    with Searcher(news_index) as searcher:
        yield Shell(searcher, pagelen=3)


def text(out: Output) -> str:
    console = Console(file=io.StringIO(), width=120, theme=render.THEME, highlight=False)
    console.print(out.renderable)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def editor(tmp_path: Path, script: str) -> str:
    """An $EDITOR: a Python script given the file to edit as its argument."""
    path = tmp_path / "editor.py"
    path.write_text(script, encoding="utf-8")
    return f"{sys.executable} {path}"


def test_pager_modes(shell: Shell) -> None:
    assert text(shell.handle(":pager")).startswith("pager auto: whole documents")
    assert text(shell.handle(":pager OFF")).startswith("pager off")
    assert shell.pager == "off"
    bad = shell.handle(":pager maybe")
    assert bad.error and "it is off now" in text(bad) and ":pager auto" in text(bad)
    assert shell.pager == "off"


def test_less_pages_the_last_output(shell: Shell) -> None:
    assert shell.handle(":less").error
    shell.handle("summit")
    paged = shell.handle(":less")
    assert paged.paged and "4 hits" in text(paged)
    shell.handle("nosuchfield:x")  # an error is not what :less shows
    assert "4 hits" in text(shell.handle(":less"))


def test_edit_runs_the_query_written_in_the_editor(
    shell: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell.handle("sumit")
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv("EDITOR", editor(tmp_path, f"""
import sys, pathlib
p = pathlib.Path(sys.argv[1])
pathlib.Path({str(seen)!r}).write_text(p.read_text())
p.write_text("summit\\nAND talks\\n")
"""))
    monkeypatch.delenv("VISUAL", raising=False)
    out = shell.handle(":edit")
    assert not out.error, text(out)
    assert seen.read_text() == "sumit\n"  # the editor got the current query
    assert shell.state.query == "summit AND talks"  # lines joined, then run
    assert text(out).startswith("3 hits")


def test_edit_that_fails_or_empties_runs_nothing(
    shell: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell.handle("summit")
    monkeypatch.setenv("VISUAL", editor(tmp_path, "raise SystemExit(3)"))
    out = shell.handle(":edit")
    assert out.error and "exited with status 3; nothing was run" in text(out)
    monkeypatch.setenv("VISUAL", editor(tmp_path, "import sys; open(sys.argv[1], 'w').close()"))
    assert text(shell.handle(":edit")).startswith("the query was left empty")
    monkeypatch.setenv("VISUAL", "no-such-editor-here")
    missing = shell.handle(":edit")
    assert missing.error and "cannot start the editor 'no-such-editor-here'" in text(missing)
    assert shell.state.query == "summit"


def test_watch_shows_only_what_is_new_until_stopped(
    tmp_path: Path, news_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "watched"
    build([news_dir], index, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    with Searcher(index) as searcher:
        shell = Shell(searcher)
        shell.handle("summit")
        shell.handle(":save summits")
        waits: list[float] = []
        added = iter(["first", "second"])

        def sleep(seconds: float) -> None:
            waits.append(seconds)
            name = next(added, None)
            if name is None:
                raise KeyboardInterrupt  # the user's Ctrl-C
            (news_dir / f"{name}.txt").write_text(
                f"{name.title()} summit\n\nAnother summit was held.\n", encoding="utf-8")
            build([news_dir], index, settings=fake_settings(),
                  extractor=DictExtractor(NEWS_NAMES))

        shell.sleep = sleep
        out = shell.handle(":watch summits 30")
        assert text(out).startswith("watching 'summits' every 30 s")
        assert out.follow is not None
        shown = []
        with pytest.raises(KeyboardInterrupt):
            for more in out.follow:
                shown.append(text(more))
        assert waits == [30, 30, 30]
        assert len(shown) == 2
        assert "1 new for 'summits'" in shown[0] and "First summit" in shown[0]
        assert "Second summit" in shown[1] and "First summit" not in shown[1]
        assert "Nato summit opens" not in "".join(shown)  # seen when saved: not new


def test_watch_misuse_is_an_error_with_a_hint(shell: Shell) -> None:
    for line, message in [
        (":watch", "watch which saved search?"),
        (":watch nothing-saved", "nothing-saved"),
        (":watch a b c", "watch which saved search?"),
    ]:
        out = shell.handle(line)
        assert out.error and message in text(out), line
    shell.handle("summit")
    shell.handle(":save s")
    out = shell.handle(":watch s 0")
    assert out.error and "'0' is not a number of seconds" in text(out)


def test_watch_in_pipe_mode_stops_on_ctrl_c(shell: Shell) -> None:
    shell.handle("summit")
    shell.handle(":save s")

    def stop(seconds: float) -> None:
        raise KeyboardInterrupt

    shell.sleep = stop
    sink = io.StringIO()
    console = Console(file=sink, width=100)
    with pytest.raises(KeyboardInterrupt):
        run_pipe(shell, [":watch s 5"], console, False, sink)
    assert "watching 's' every 5 s" in sink.getvalue()
