"""Tests for search.terminal.repl: whole sessions through prompt_toolkit's pipe input, pipe mode, paging.

The end-to-end tests run the real `make_session`/`run_repl` on the main thread while a
feeder thread types into a pipe input, one step at a time, each step waiting for what the
previous one should have caused (completion in prompt_toolkit is asynchronous, so keys sent
all at once would race it).
"""

from __future__ import annotations

import io
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prompt_toolkit.enums import EditingMode
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from search import cli
from search.query.searcher import Searcher
from search.terminal import render
from search.terminal.commands import Output, Shell
from search.terminal.pipe import run_pipe
from search.terminal.repl import (
    RESERVED_LINES,
    CommandPager,
    editing_mode,
    history_path,
    make_session,
    pager_command,
    run_repl,
    show,
    toolbar,
)

Step = tuple[str, Callable[[], bool]]
Script = Callable[[Callable[[], str]], list[Step]]
"""Given a function returning the text being typed, the steps of a session."""


@pytest.fixture
def shell(news_index: Path) -> Iterator[Shell]:
    with Searcher(news_index) as searcher:
        yield Shell(searcher, pagelen=2)


def console(width: int = 80) -> Console:
    return Console(file=io.StringIO(), width=width, theme=render.THEME, highlight=False)


def printed(c: Console) -> str:
    return c.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def drive(shell: Shell, out: Console, script: Script, **session_kw: object) -> int:
    """Run a REPL session, typing each step's keys once the previous step's wait is over."""
    errors: list[str] = []
    finished = threading.Event()
    with create_pipe_input() as inp:
        session_kw.setdefault("history", InMemoryHistory())
        session = make_session(shell, input=inp, output=DummyOutput(), **session_kw)
        steps = script(lambda: session.default_buffer.text)

        def feed() -> None:
            for keys, done in steps:
                inp.send_text(keys)
                deadline = time.monotonic() + 10
                while not done():
                    if time.monotonic() > deadline:
                        errors.append(f"after {keys!r}: buffer {session.default_buffer.text!r}")
                        while not finished.wait(0.2):  # Ctrl-C the line, then Ctrl-D
                            inp.send_text("\x03")
                            time.sleep(0.1)
                            inp.send_text("\x04")
                        return
                    time.sleep(0.01)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        try:
            status = run_repl(shell, out, session)
        finally:
            finished.set()
        feeder.join(5)
    assert not errors, errors
    return status


def test_a_whole_session(shell: Shell) -> None:
    out = console()
    st = shell.state
    script: Script = lambda buffer: [
        ("summit\r", lambda: st.results is not None),
        ("+place:Ukr", lambda: buffer() == "+place:Ukr"),
        ("\t", lambda: buffer() == "+place:Ukraine"),
        ("\r", lambda: st.where == {"place": ["Ukraine"]}),
        (":next\r", lambda: st.page == 2 or "error" in printed(out)),
        ("half typed", lambda: buffer() == "half typed"),
        ("\x03", lambda: buffer() == ""),
        (":prev\r", lambda: st.page == 1),
        (":open 2\r", lambda: "The summit talks covered air defence" in printed(out)),
        ("\x04", lambda: True),
    ]
    assert drive(shell, out, script) == 0
    text = printed(out)
    assert text.startswith("search · 9 documents in ")
    first = text.index("4 hits in")
    kept = text.index("filters +place:Ukraine")
    assert first < kept
    assert "error: this is the last page (1)" in text  # Ukraine left one page
    assert text.count("Nato summit opens") >= 2  # the hit, then the opened document
    assert "half typed" not in text and "unknown" not in text
    assert st.query == "summit" and st.where == {"place": ["Ukraine"]}


def test_a_tab_typed_at_once_after_the_word_inserts_the_only_value(shell: Shell) -> None:
    # as fast typing (or tmux send-keys) does: the Tab comes before the menu is computed
    out = console()
    st = shell.state
    script: Script = lambda buffer: [
        ("person:sch\t", lambda: buffer() == 'person:"Olaf Scholz"'),
        ("\r", lambda: st.results is not None),
        (":quit\r", lambda: True),
    ]
    assert drive(shell, out, script) == 0
    assert st.results is not None and st.results.total == 2


def test_completion_of_entity_values_in_a_session(shell: Shell) -> None:
    out = console()
    st = shell.state
    script: Script = lambda buffer: [
        ("person:sch", lambda: buffer() == "person:sch"),
        ("\t", lambda: buffer() == 'person:"Olaf Scholz"'),
        ("\r", lambda: st.results is not None),
        (":quit\r", lambda: True),
    ]
    assert drive(shell, out, script) == 0
    assert st.query == 'person:"Olaf Scholz"'
    assert st.results is not None and st.results.total == 2


def test_history_persists_in_the_xdg_state_folder(
    shell: Shell, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = history_path()
    assert path == isolated_env / ".local/state/search/history"
    script: Script = lambda buffer: [
        ("summit\r", lambda: shell.state.results is not None),
        ("\x04", lambda: True),
    ]
    assert drive(shell, console(), script, history=None) == 0
    assert "+summit" in path.read_text(encoding="utf-8")
    assert "summit" in FileHistory(str(path)).load_history_strings()
    monkeypatch.setenv("SEARCH_HISTORY", str(isolated_env / "elsewhere" / "h"))
    assert history_path() == isolated_env / "elsewhere" / "h"


def test_a_failing_line_or_a_bug_never_ends_the_session(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = shell.handle

    def flaky(line: str) -> Output:
        calls.append(line)
        if line == "boom":
            raise RuntimeError("kaput")
        if line == "slow":
            raise KeyboardInterrupt  # Ctrl-C while a search runs
        return real(line)

    monkeypatch.setattr(shell, "handle", flaky)
    out = console()
    script: Script = lambda buffer: [
        ("nosuchfield:x\r", lambda: len(calls) == 1),
        ("boom\r", lambda: len(calls) == 2),
        ("slow\r", lambda: len(calls) == 3),
        ("summit\r", lambda: shell.state.results is not None),
        ("\x04", lambda: True),
    ]
    assert drive(shell, out, script) == 0
    text = printed(out)
    assert "error: unknown field 'nosuchfield'" in text
    assert "error: internal error: RuntimeError('kaput')" in text
    assert " cancelled" in text
    assert "4 hits" in text


def test_vi_mode_is_a_setting(shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    assert editing_mode() is EditingMode.EMACS
    monkeypatch.setenv("SEARCH_EDITING_MODE", "vi")
    assert editing_mode() is EditingMode.VI
    out = console()
    # type, leave insert mode, go back a word, change it, then submit
    script: Script = lambda buffer: [
        ("sumit talks", lambda: buffer() == "sumit talks"),
        ("\x1b", lambda: True),
        ("bcw", lambda: buffer() == "sumit "),
        ("summit\r", lambda: shell.state.results is not None),
        ("\x04", lambda: True),
    ]
    assert drive(shell, out, script) == 0
    assert shell.state.query == "sumit summit"


def test_toolbar_shows_hits_filters_and_fits(shell: Shell) -> None:
    def line(width: int) -> str:
        return "".join(text for _, text, *_ in toolbar(shell, width))

    assert line(80) == " :help · Tab completes · Ctrl-D quits"
    shell.handle("summit")
    shell.handle('+place:Ukraine -org:Kremlin')
    assert line(200) == (' 2 hits · page 1/1  │  +place:Ukraine -org:Kremlin  │  '
                         ":help · Tab completes · Ctrl-D quits")
    assert line(40) == " 2 hits · page 1/1  │  +place:Ukraine -…"
    assert len(line(40)) <= 40
    shell.handle(":more 1")
    assert "like “Last year's summit”" in line(200)


def test_pager_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert pager_command() in ("less", None)
    monkeypatch.setenv("PAGER", "more")
    assert pager_command() == "more"
    monkeypatch.setenv("SEARCH_PAGER", "less -S")
    assert pager_command() == "less -S"
    for off in ("", "off", "cat", "none"):
        monkeypatch.setenv("SEARCH_PAGER", off)
        assert pager_command() is None
    monkeypatch.setenv("SEARCH_PAGER", "no-such-pager-program --x")
    assert pager_command() is None


def test_command_pager_feeds_the_text_and_sets_less_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LESS", raising=False)
    target = tmp_path / "paged"
    CommandPager(f'{{ printf "%s|" "$LESS"; cat; }} > "{target}"').show("héllo\n")
    assert target.read_text(encoding="utf-8") == "FRX|héllo\n"
    monkeypatch.setenv("LESS", "-S")
    CommandPager(f'{{ printf "%s|" "$LESS"; cat; }} > "{target}"').show("x")
    assert target.read_text(encoding="utf-8") == "-S|x"


def terminal(height: int, width: int = 80) -> Console:
    return Console(file=io.StringIO(), width=width, height=height, force_terminal=True,
                   theme=render.THEME)


def test_results_never_open_the_pager_documents_do_when_long(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    paged: list[str] = []
    monkeypatch.setattr(CommandPager, "show", lambda self, content: paged.append(content))
    monkeypatch.setenv("SEARCH_PAGER", "sh")
    term = terminal(6)
    shell.state.pagelen = 10
    talks = shell.handle("talks")  # 6 hits with snippets and facets: taller than 6 lines
    assert len(term.render_lines(talks.renderable, pad=False)) > 6
    show(term, talks, shell.pager)
    assert paged == [] and "6 hits" in printed(term)  # printed, the keyboard stays ours
    show(term, shell.handle(":open 1"), shell.pager)  # a document taller than the screen
    assert len(paged) == 1 and "talks" in paged[0]
    show(term, shell.handle(":stats"), shell.pager)  # short: printed
    assert len(paged) == 1 and "documents" in printed(term)
    show(term, shell.handle(":less"), shell.pager)  # asked for: paged, whatever its size
    assert len(paged) == 2 and "documents" in paged[1]
    assert "mode" not in printed(term)
    show(term, shell.handle(":pager on"), shell.pager)
    show(term, shell.handle("talks"), shell.pager)  # on: long results paged too
    assert len(paged) == 3 and "6 hits" in paged[2]
    show(term, shell.handle(":pager off"), shell.pager)
    show(term, shell.handle(":open 1"), shell.pager)  # off: nothing paged
    assert len(paged) == 3
    assert "error" not in printed(term)
    assert shell.handle(":pager sometimes").error and shell.pager == "off"
    show(console(), Output())  # nothing to show
    plain = console()
    show(plain, shell.handle(":open 1"), "auto")  # not a terminal: never paged
    assert len(paged) == 3 and "talks" in printed(plain)


def test_a_session_types_the_next_query_after_a_long_page(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    paged: list[str] = []
    monkeypatch.setattr(CommandPager, "show", lambda self, content: paged.append(content))
    monkeypatch.setenv("SEARCH_PAGER", "sh")
    shell.state.pagelen = 10
    term = terminal(16)
    st = shell.state
    script: Script = lambda buffer: [
        ("talks\r", lambda: st.results is not None and st.query == "talks"),
        ("summit\r", lambda: st.query == "summit"),
        ("\x04", lambda: True),
    ]
    assert drive(shell, term, script) == 0
    assert paged == []
    text = printed(term)
    assert "6 hits" in text and "4 hits" in text
    assert shell.screen == (80, 16 - RESERVED_LINES)


# -- pipe mode -------------------------------------------------------------------------------


def test_pipe_mode_prints_plain_results_and_errors_to_stderr(shell: Shell) -> None:
    out, err = console(), console()
    lines = ["summit\n", "\n", "+place:Ukraine\n", "nosuchfield:x\n", ":next\n"]
    status = run_pipe(shell, lines, out, False, io.StringIO(), err)
    assert status == 1
    text = printed(out)
    assert text.count("hits in") == 2 and "filters +place:Ukraine" in text
    assert "\x1b" not in text
    assert printed(err).splitlines()[0] == (
        "error: unknown field 'nosuchfield' in the query 'nosuchfield:x'")
    assert "error: this is the last page (1)" in printed(err)


def test_pipe_mode_json_lines(shell: Shell) -> None:
    sink = io.StringIO()
    lines = ["summit", "+place:Ukraine", "nosuchfield:x", ":open 1", ":help", ":quit", "x"]
    assert run_pipe(shell, lines, console(), True, sink) == 1
    records = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert [r.get("total") for r in records[:2]] == [4, 2]
    assert records[1]["filters"] == {"place": ["Ukraine"]}
    assert records[2]["query"] == "nosuchfield:x" and "hint" in records[2]
    assert records[2]["error"].startswith("unknown field")
    assert records[3]["id"] == "wires.jsonl#w4" and "text" in records[3]
    assert len(records) == 4  # :help has no data; :quit ends before "x"


def test_search_without_arguments_reads_queries_from_a_pipe(
    news_index: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("summit\n+place:Ukraine\n"))
    assert cli.main(["--index", str(news_index)]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("4 hits in") and "2 hits in" in shown
    monkeypatch.setattr(sys, "stdin", io.StringIO("summit\nnosuchfield:x\n"))
    assert cli.main(["--index", str(news_index), "--json"]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[0]["total"] == 4 and "error" in records[1]


def test_page_keys_on_an_empty_line(shell: Shell) -> None:
    st = shell.state
    script: Script = lambda buffer: [
        ("talks\r", lambda: st.results is not None),
        ("\x1b[6~", lambda: st.page == 2),  # PageDown
        ("\x1b[6~", lambda: st.page == 3),
        ("\x1b[5~", lambda: st.page == 2),  # PageUp
        ("x\x1b[6~", lambda: buffer() == "x"),  # not on a line being typed
        ("\x03", lambda: buffer() == ""),
        ("\x04", lambda: True),
    ]
    assert drive(shell, console(), script) == 0
    assert st.page == 2


def test_ctrl_r_searches_history_ignoring_case(shell: Shell) -> None:
    history = InMemoryHistory()
    for line in ("Mikhail Khodorkovsky", "summit", "talks"):
        history.append_string(line)
    st = shell.state
    def after(seconds: float) -> Callable[[], bool]:
        until = [0.0]

        def done() -> bool:
            until[0] = until[0] or time.monotonic() + seconds
            return time.monotonic() > until[0]

        return done

    # the search buffer holds "kho" while the line shows a preview; Enter takes the match
    script: Script = lambda buffer: [
        ("", after(0.5)),  # the session loads its history in the background
        ("\x12", after(0.2)),  # Ctrl-R
        ("kho", after(0.3)),
        ("\r", lambda: buffer() == "Mikhail Khodorkovsky"),
        ("\r", lambda: st.query == "Mikhail Khodorkovsky"),
        ("\x04", lambda: True),
    ]
    assert drive(shell, console(), script, history=history) == 0


def test_tab_completes_cooc_entities_and_saved_searches_in_a_session(shell: Shell) -> None:
    shell.handle("summit")
    shell.handle(":save summits")
    out = console()
    script: Script = lambda buffer: [
        (":cooc org:Na", lambda: buffer() == ":cooc org:Na"),
        ("\t", lambda: buffer() == ":cooc org:Nato"),
        ("\r", lambda: "Seen with Nato" in printed(out)),
        (":run su", lambda: buffer() == ":run su"),
        ("\t", lambda: buffer() == ":run summits"),
        ("\r", lambda: shell.state.query == "summit" and shell.state.results is not None),
        ("\x04", lambda: True),
    ]
    shell.handle("talks")
    assert drive(shell, out, script) == 0


def test_ctrl_c_stops_a_watch_and_the_session_goes_on(shell: Shell) -> None:
    shell.handle("summit")
    shell.handle(":save summits")

    def ctrl_c(seconds: float) -> None:
        raise KeyboardInterrupt  # what Ctrl-C does to the wait between checks

    shell.sleep = ctrl_c
    out = console()
    st = shell.state
    script: Script = lambda buffer: [
        (":watch summits 5\r", lambda: " stopped" in printed(out)),
        ("talks\r", lambda: st.query == "talks"),
        ("\x04", lambda: True),
    ]
    assert drive(shell, out, script) == 0
    text = printed(out)
    assert text.index("watching 'summits' every 5 s") < text.index(" stopped") < text.index("6 hits")


def test_toolbar_shows_a_background_status_first(shell: Shell) -> None:
    parts = toolbar(shell, 200, "entities 3/9 · 5 s left")
    assert "".join(t for _, t, *_ in parts).startswith(" entities 3/9 · 5 s left  │  :help")


def test_first_search_opens_the_repl_once_the_text_is_in_and_quitting_keeps_the_entities_done(
    tmp_path: Path, news_dir: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from conftest import NEWS_IDS, NEWS_NAMES, DictExtractor

    from search.index import indexer
    from search.ingest.pool import InlineRunner
    from search.terminal import repl

    gate = threading.Event()
    names = DictExtractor(NEWS_NAMES)

    class Gated:
        name = "fake:gated@1"

        def extract(self, texts: list[str]) -> Iterator[list[object]]:
            for text in texts:
                assert gate.wait(30)
                yield from names.extract([text])

    monkeypatch.setattr(indexer, "choose_runner", lambda *args: InlineRunner(Gated()))
    monkeypatch.setenv("SEARCH_CORPUS", str(news_dir))
    monkeypatch.setenv("SEARCH_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("SEARCH_BATCH_SIZE", "2")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    seen: dict[str, object] = {}

    def fake_repl(shell: Shell, out: Console, session: object = None,
                  progress: Callable[[], str | None] | None = None) -> int:
        seen["documents"] = shell.searcher.doc_count()
        seen["pending"] = shell.searcher.info().entities_pending
        seen["status"] = progress() if progress else None
        threading.Timer(0.3, gate.set).start()  # the batch in hand ends after the user quits
        return 0

    monkeypatch.setattr(repl, "run_repl", fake_repl)
    assert cli.main([]) == 0
    docs = len(NEWS_IDS)
    assert seen == {"documents": docs, "pending": docs,
                    "status": "entities: loading the language model…"}
    err = capsys.readouterr().err
    assert f"Entities were added to 2 of {docs} documents" in " ".join(err.split())
    with Searcher(tmp_path / "index") as s:
        assert s.info().entities_pending == docs - 2
