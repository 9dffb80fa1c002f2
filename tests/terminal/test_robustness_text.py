"""Robustness against hostile document text: it is shown, never obeyed.

Documents may hold rich markup, ANSI and OSC escape sequences (colours, cursor moves, window
titles, OSC 8 hyperlinks), C1 controls, bidi overrides and zero-width characters, megabyte
lines and 10 kB words. In snippets, titles, the REPL's `:open`, `search show` and
`search query` they come out as inert text; in `--json` they come out as exact data with
every character that could steer a terminal written as a JSON escape. Output stays bounded.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from conftest import NEWS_NAMES, DictExtractor, fake_settings
from rich.console import Console

from search.cli import main
from search.config import Settings
from search.errors import QueryError
from search.index.indexer import build
from search.query.searcher import Searcher
from search.query.snippets import FRAGMENT_CHARS
from search.results import (
    FacetCount,
    Fragment,
    Hit,
    IndexStats,
    SearchResults,
    Skip,
    StoredDocument,
    json_line,
)
from search.terminal import render, status
from search.terminal.commands import Shell
from search.terminal.page import ResultsPage

ESC = "\x1b"
# Every trick in one string: markup, CSI (clear screen, colour), OSC 0/2 window titles ended by
# BEL or ST, an OSC 8 hyperlink, 8-bit C1 CSI and OSC, backspace and carriage-return overwrites,
# bidi overrides and isolates, zero-width characters and a byte order mark.
HOSTILE = (
    "[bold red]Breaking[/] [link=file:///etc/passwd]click[/link] "
    f"{ESC}[2J{ESC}[H{ESC}[31mred{ESC}[0m {ESC}]0;pwned\x07 {ESC}]2;owned{ESC}\\ "
    f"{ESC}]8;;https://evil.example/{ESC}\\click here{ESC}]8;;{ESC}\\ "
    "\x9b31m\x9d0;c1 title\x9c safe\x08\x08\x08\x08text\rover "
    "\u202eevil\u202c \u2066iso\u2069 zero\u200bwidth\u2060joined\ufeff \u061cmark "
    # tag characters spell hidden text (an invisible "ignore this"); line and paragraph
    # separators and interlinear annotation marks break lines where terminals disagree
    "tags\U000e0069\U000e0067\U000e006e\U000e007f line\u2028para\u2029 \ufff9note\ufffb"
)
MARKUP = ("[bold red]Breaking[/]", "[link=file:///etc/passwd]click[/link]")
INVISIBLE = ("\u202e\u202c\u2066\u2069\u200b\u2060\ufeff\u061c\u200f\U000e0069\U000e007f"
             "\u2028\u2029\ufff9\ufffb")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def inert(output: str) -> str:
    """The output with rich's own colours removed, checked to hold nothing a terminal obeys."""
    bare = SGR.sub("", output)
    assert ESC not in bare, repr(bare[max(0, bare.find(ESC) - 40) : bare.find(ESC) + 40])
    bad = {c for c in bare if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")}
    assert not bad, sorted(f"U+{ord(c):04X}" for c in bad)
    return bare


def terminal(renderable: Any, width: int = 100) -> str:
    """What a colour terminal would receive."""
    console = Console(file=StringIO(), width=width, theme=render.THEME, force_terminal=True,
                      color_system="truecolor")
    console.print(renderable)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


def flat(text: str) -> str:
    return "".join(text.split())


# --- the renderers, fed raw hostile strings ------------------------------------------------


def hostile_results() -> SearchResults:
    frag = Fragment(f"…cocoa {HOSTILE} cocoa…", ((1, 6), (len(HOSTILE) + 8, len(HOSTILE) + 13)))
    hit = Hit(rank=1, id=f"evil{ESC}]0;t\x07.txt", title=HOSTILE, path=f"a/{ESC}[2Jb.txt",
              score=1.0, date="2024-01-01", source=HOSTILE, url=HOSTILE, snippets=(frag,),
              entities={"person": (HOSTILE,)})
    facets = {"person": (FacetCount(HOSTILE, 3),), "place": (FacetCount("\u202eKyiv", 1),),
              "org": ()}
    return SearchResults(query=HOSTILE, total=1, hits=(hit,), facets=facets, page=1,
                         pagecount=1, limit=10, elapsed=0.01, corrected=HOSTILE,
                         filters={"person": (HOSTILE,)}, excluded={"place": (HOSTILE,)})


@pytest.mark.parametrize("width", [80, 160])
def test_results_pages_show_hostile_text_as_inert_text(width: int) -> None:
    res = hostile_results()
    for renderable in (render.results(res), ResultsPage(res, [((0, 5),)]),
                       render.hit(res.hits[0])):
        out = flat(inert(terminal(renderable, width)))
        for markup in MARKUP:
            assert flat(markup) in out  # printed, not interpreted
        assert "pwned" not in out  # a window title is a control sequence: dropped whole
        assert "clickhere" in out and "evil" in out


def test_a_whole_document_shows_hostile_text_as_inert_text() -> None:
    doc = StoredDocument(id=f"x{ESC}]8;;http://e/{ESC}\\.txt", title=HOSTILE, path="x.txt",
                         text=f"{HOSTILE}\n\nSecond paragraph {HOSTILE}", source=HOSTILE,
                         url=HOSTILE, entities={"person": (HOSTILE, "Putin")})
    out = flat(inert(terminal(render.document(doc, ((0, 5),), highlight_entities=True))))
    assert out.count(flat(MARKUP[1])) >= 2


def test_index_stats_facets_and_suggestions_show_hostile_text_as_inert_text() -> None:
    stats = IndexStats(indexed=1, skipped=(Skip(f"bad{ESC}]0;x\x07.txt", HOSTILE, 3),))
    inert(terminal(status.index_stats(stats)))
    inert(terminal(render.facet_table({"person": (FacetCount(HOSTILE, 2),)}, numbered=True)))
    inert(terminal(render.suggestion(HOSTILE)))
    inert(terminal(status.welcome(3, f"/tmp/{ESC}]0;x\x07")))


def test_clean_text_removes_every_control_and_keeps_the_words() -> None:
    cleaned = render.clean_text(HOSTILE)
    assert inert(cleaned) == cleaned
    assert all(c not in cleaned for c in INVISIBLE)
    for word in ("Breaking", "click here", "red", "safe", "text", "over", "evil",
                 "zerowidthjoined"):
        assert word in cleaned
    assert "pwned" not in cleaned and "owned" not in cleaned and "c1 title" not in cleaned


# --- end to end: a hostile file through the index ------------------------------------------


HOSTILE_FILE = f"Cocoa {HOSTILE}\n\nCocoa prices rose. {HOSTILE}\n\nVladimir Putin said cocoa.\n"


@pytest.fixture
def hostile_index(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "hostile.txt").write_text(HOSTILE_FILE, encoding="utf-8")
    (root / f"name{ESC}]0;pwned\x07.md").write_text(f"# {HOSTILE}\n\nCocoa too.\n",
                                                    encoding="utf-8")
    (root / "records.jsonl").write_text(
        json.dumps({"id": "r1", "title": HOSTILE, "text": f"Cocoa {HOSTILE}", "url": HOSTILE,
                    "source": HOSTILE}) + "\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    build([root], index_dir, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    return index_dir


def test_snippets_and_titles_from_a_hostile_file_are_inert(hostile_index: Path) -> None:
    with Searcher(hostile_index) as s:
        res = s.search("cocoa")
        assert res.total == 3
        out = flat(inert(terminal(render.results(res))))
    assert flat(MARKUP[0]) in out


def test_the_repl_shows_hostile_documents_as_inert_text(hostile_index: Path) -> None:
    with Searcher(hostile_index) as s:
        shell = Shell(s)
        for line in ("cocoa", ":open 1", ":open 2", ":open 3", ":entities 1", ":facets",
                     "+person:Putin", ":stats", f"cocoa {HOSTILE}", f":open {HOSTILE}",
                     f"+person:{HOSTILE}"):
            out = shell.handle(line)
            inert(terminal(out.renderable))
            inert(terminal(out.renderable, width=160))


@pytest.mark.parametrize("as_json", [False, True])
def test_search_show_and_query_print_hostile_documents_as_inert_text(
    hostile_index: Path, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    index = ["--index", str(hostile_index)]
    flags = ["--json"] if as_json else []
    with Searcher(hostile_index) as s:
        ids = [h.id for h in s.search("cocoa").hits]
    for argv in (*(["show", doc_id, "--query", "cocoa"] for doc_id in ids),
                 ["query", "cocoa"], ["facets"], ["info"]):
        assert main([*index, *argv, *flags]) == 0
        out, err = capsys.readouterr()
        assert err == ""
        inert(out)
        if as_json:
            for line in out.splitlines():
                json.loads(line)


def test_json_output_is_exact_data_with_terminal_controls_escaped(
    hostile_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Searcher(hostile_index) as s:
        stored = s.document("records.jsonl#r1")
    assert main(["--index", str(hostile_index), "show", "records.jsonl#r1", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == stored.to_dict()  # nothing lost or changed...
    inert(out)  # ...yet nothing raw: \u001b-style escapes only
    assert "\\u202e" in out and "\\u200b" in out and "\\u009b" in out
    assert "\\udb40\\udc69" in out  # a tag character, as the surrogate pair JSON spells
    assert "[link=file:///etc/passwd]" in out  # markup is just text in JSON


def test_json_line_escapes_only_what_a_terminal_would_obey() -> None:
    data = {"text": f"{HOSTILE} café — “quotes” 日本 \udcff", "n": 1}
    line = json_line(data)
    assert json.loads(line) == data
    assert "\n" not in line and inert(line) == line
    assert "café — “quotes” 日本" in line  # ordinary non-ASCII stays readable
    line.encode("utf-8")  # a lone surrogate (an undecodable argv byte) is escaped, not raw


def test_pipe_mode_json_escapes_terminal_controls(hostile_index: Path) -> None:
    from search.terminal.pipe import run_pipe

    with Searcher(hostile_index) as s:
        out = StringIO()
        status = run_pipe(Shell(s), ["cocoa", ":open 1", f"+person:{HOSTILE}"],
                          Console(file=StringIO()), True, out)
    assert status == 1  # the last line names a person no document mentions
    text = out.getvalue()
    inert(text)
    *found, failed = [json.loads(line) for line in text.splitlines()]
    assert [r["total"] for r in found[:1]] == [3] and found[1]["id"]
    assert failed["query"] == f"+person:{HOSTILE}" and failed["error"]


def test_errors_naming_hostile_input_are_printed_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / f"no{ESC}]0;pwned\x07such"
    assert main(["--index", str(tmp_path / "index"), "index", str(missing)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and flat("no such file or folder") in flat(err)
    inert(err)
    assert main(["--index", str(tmp_path / "index"), "query", "x"]) == 1
    inert(capsys.readouterr().err)


# --- long lines and long words ----------------------------------------------------------------


def test_a_one_megabyte_line_and_a_10_kb_word_index_and_snippet_in_bounds(
    tmp_path: Path,
) -> None:
    words = ("alpha beta gamma delta summit treaty market oil grain cocoa " * 20_000).split()
    words[len(words) // 2] = "needle"
    root = tmp_path / "docs"
    root.mkdir()
    line = " ".join(words)
    assert len(line) > 1_000_000 and "\n" not in line
    (root / "line.txt").write_text(line, encoding="utf-8")
    blob = "Qm" * 5_000  # a 10 kB word, as base64 blobs and minified code have
    (root / "word.txt").write_text(f"{blob} then the needle and {blob}.\n", encoding="utf-8")
    (root / "words.jsonl").write_text(
        json.dumps({"title": "Blob", "text": f"{blob} {blob} needle"}) + "\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    started = time.perf_counter()
    stats = build([root], index_dir, settings=Settings(entities=False))
    assert (stats.indexed, stats.skipped) == (3, ())
    with Searcher(index_dir) as s:
        res = s.search("needle")
        assert {h.id for h in res.hits} == {"line.txt", "word.txt", "words.jsonl:1"}
        for h in res.hits:
            assert len(h.title) <= 81
            assert 1 <= len(h.snippets) <= 3
            assert all(len(f.text) <= FRAGMENT_CHARS + 2 for f in h.snippets)
            assert any("needle" in f.text[a:b] for f in h.snippets for a, b in f.spans)
        # the long word is indexed like any other; typed whole it is refused with a hint
        # (Whoosh's parser is quadratic in a token's length), a prefix of it finds it
        with pytest.raises(QueryError, match="10,000-character word") as refused:
            s.search(blob.lower())
        assert refused.value.hint
        assert s.search(blob.lower()[:200] + "*").total == 2
        page = terminal(render.results(res))
        assert len(page) < 20_000
        doc = s.document("line.txt")
        assert doc.text == line
        shell = Shell(s)
        shell.handle("needle")
        view = shell.handle(":open 1")
        assert not view.error
        terminal(view.renderable)
    assert time.perf_counter() - started < 30
