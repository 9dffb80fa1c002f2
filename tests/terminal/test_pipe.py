"""Pipe mode writes no files unless asked: lines piped in may come from anywhere.

`:export FILE`, `:cooc … > FILE` (or `--dot`) and `:export-session FILE` are refused in pipe
mode with an error and a hint naming `--allow-writes`, and the lines after them still run;
with the flag, and in the REPL, they write. A quoting mistake in a file name is an error,
never a file named `"unclosed`.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from rich.console import Console

from search import cli
from search.query.searcher import Searcher
from search.terminal import render
from search.terminal.commands import Shell

WRITERS = [
    ":export out.jsonl",
    ':cooc person:"Vladimir Putin" > graph.dot',
    ':cooc person:"Vladimir Putin" --dot',
    ":export-session finding.py",
]


def pipe(index_dir: Path, lines: list[str], *flags: str) -> tuple[int, list[dict[str, object]]]:
    """Run `search --index DIR --json [flags]` with lines on stdin; the JSON records out."""
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    out = io.StringIO()
    real_stdin, real_stdout = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = stdin, out
    try:
        code = cli.main(["--index", str(index_dir), "--json", *flags])
    finally:
        sys.stdin, sys.stdout = real_stdin, real_stdout
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_piped_commands_that_write_files_are_refused_and_the_rest_run(
    news_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, records = pipe(news_index, ["summit", *WRITERS, "talks"])
    assert code == 1 and files(work) == set()
    first, *refused, last = records
    assert first["total"] == 4 and last["query"] == "talks" and "total" in last
    assert len(refused) == len(WRITERS)
    for line, record in zip(WRITERS, refused, strict=True):
        assert record["query"] == line
        assert "piped input does not write files" in str(record["error"]), record
        assert "--allow-writes" in str(record["hint"])


def test_with_allow_writes_piped_commands_write_their_files(
    news_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, records = pipe(news_index, ["summit", *WRITERS], "--allow-writes")
    assert code == 0, records
    assert files(work) == {"out.jsonl", "graph.dot", "Vladimir_Putin.dot", "finding.py"}
    assert len((work / "out.jsonl").read_text().splitlines()) == 4


@pytest.mark.parametrize("line", [':export "unclosed', ':export-session "unclosed',
                                  ':cooc person:"Vladimir Putin" > "unclosed', ":export a.jsonl b.jsonl"])
def test_a_quoting_mistake_in_a_file_name_is_an_error(
    news_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str
) -> None:
    monkeypatch.chdir(tmp_path)
    before = files(tmp_path)
    with Searcher(news_index) as s:
        shell = Shell(s)  # the REPL may write: the name is what is wrong
        assert not shell.handle("summit").error
        out = shell.handle(line)
    assert out.error and out.data is not None
    assert "cannot read the file name" in str(out.data["error"]) or "one file name" in str(
        out.data["error"]
    )
    assert files(tmp_path) == before


def test_a_file_name_with_spaces_is_written_when_quoted(
    news_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with Searcher(news_index) as s:
        shell = Shell(s)
        shell.handle("summit")
        assert not shell.handle(':export "my results.jsonl"').error
        assert not shell.handle(':cooc person:"Vladimir Putin" > "my graph.dot"').error
    assert (tmp_path / "my results.jsonl").exists() and (tmp_path / "my graph.dot").exists()



def test_piped_edit_never_starts_an_editor(
    news_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by fuzzing: `:edit` from a pipe started vim on the user's terminal."""
    import subprocess

    started: list[object] = []
    monkeypatch.setattr(subprocess, "call", lambda *a, **k: started.append(a) or 0)
    code, records = pipe(news_index, ["summit", ":edit", "talks"])
    assert started == [] and code == 1
    assert "piped input may not" in str(records[1]["error"]) and records[2]["query"] == "talks"


def test_piped_watch_is_refused_and_neither_waits_nor_records_a_check(
    news_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`:watch` from a pipe would loop until Ctrl-C, rewriting the saved search each time."""
    import time

    from search.analytics.saved import SavedSearch, load_saved, save_search

    with Searcher(news_index) as s:
        save_search(s, SavedSearch("summits", "summit"))
    before = load_saved(news_index)["summits"]

    def sleep(seconds: float) -> None:
        raise AssertionError(f"a piped :watch waited {seconds} s for its next check")

    monkeypatch.setattr(time, "sleep", sleep)
    code, records = pipe(news_index, [":watch summits 1", "talks"])
    assert code == 1 and records[0]["query"] == ":watch summits 1"
    assert "piped input may not" in str(records[0]["error"])
    assert "--allow-writes" in str(records[0]["hint"]) and records[1]["query"] == "talks"
    assert load_saved(news_index)["summits"] == before  # no check recorded


def pipe_text(index_dir: Path, lines: list[str], *flags: str) -> str:
    """Run `search --index DIR [flags]` with lines on stdin; the plain text it printed."""
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    out = io.StringIO()
    real_stdin, real_stdout = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = stdin, out
    try:
        cli.main(["--index", str(index_dir), *flags])
    finally:
        sys.stdin, sys.stdout = real_stdin, real_stdout
    return out.getvalue()


TIPS = (":next for page", ":open N reads hit N", ":help", "+N keeps, -N drops", ":y searches for it")


def test_piped_output_leaves_out_what_to_type_at_a_prompt(news_index: Path) -> None:
    lines = ["summit", ":facets", ":entities 1", "sumit"]
    shown = pipe_text(news_index, lines, "--limit", "1")
    assert "4 hits" in shown and "page 1 of 4" in shown  # the results themselves stay
    assert "Top entities of 4 results" in shown and "Did you mean: summit" in shown
    for tip in TIPS:
        assert tip not in shown, tip
    with Searcher(news_index) as s:  # at the prompt the same lines show every tip
        shell = Shell(s, pagelen=1)
        outputs = [shell.handle(line) for line in lines]
    console = Console(file=io.StringIO(), width=100, theme=render.THEME)
    for out in outputs:
        console.print(out.renderable)
    at_prompt = console.file.getvalue()  # type: ignore[attr-defined]
    assert all(tip in at_prompt for tip in TIPS), at_prompt
