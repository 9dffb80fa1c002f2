"""Tests for search.terminal.render: readable 80-column output that untrusted text cannot subvert."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console, RenderableType

from search.query.searcher import Searcher
from search.query.snippets import highlight
from search.results import (
    FacetCount,
    Fragment,
    Hit,
    IndexInfo,
    IndexStats,
    SearchResults,
    Skip,
    StoredDocument,
)
from search.terminal import render, status

MARKUP = "[bold]loud[/bold] [link=file:///etc/passwd]x[/link]"
HOSTILE = (
    f"{MARKUP} \x1b[31mred\x1b[0m \x1b]0;pwned\x07 "
    "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ "
    "\u202egnp.exe zero\u200bwidth\u200djoin\ufeff \x9b2J c1 bell\x07 back\x08space"
)
"""Markup, CSI colour, OSC title, OSC 8 hyperlink, bidi override, zero-width, C1 CSI, BEL, BS."""

FORBIDDEN = ("\x1b", "\x07", "\x08", "\x9b", "\u202e", "\u200b", "\u200d", "\ufeff")


def show(renderable: RenderableType, terminal: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, theme=render.THEME, highlight=False,
                      color_system="standard" if terminal else None, force_terminal=terminal)
    console.print(renderable)
    return buffer.getvalue()


def hostile_hit() -> Hit:
    return Hit(rank=1, id=f"{HOSTILE}.txt", title=f"Title {HOSTILE}", path=f"{HOSTILE}.txt",
               score=1.5, date="2024-01-02", source=f"src {HOSTILE}",
               snippets=(Fragment(f"before {HOSTILE} after", ((0, 6),)),),
               entities={"person": (f"Person {HOSTILE}",)})


def hostile_results() -> SearchResults:
    return SearchResults(query=HOSTILE, total=1, hits=(hostile_hit(),),
                         facets={"person": (FacetCount(f"Person {HOSTILE}", 1),),
                                 "place": (FacetCount(HOSTILE, 1),)},
                         page=1, pagecount=1, limit=10, elapsed=0.01, corrected=HOSTILE)


def hostile_document() -> StoredDocument:
    return StoredDocument(id=f"{HOSTILE}.txt", title=HOSTILE, path="a.txt",
                          text=f"First line {HOSTILE}\n\nSecond {HOSTILE}", date="2024-01-02",
                          source=HOSTILE, url=f"http://x/{HOSTILE}",
                          entities={"person": (HOSTILE,), "org": (HOSTILE,)})


RENDERABLES: dict[str, Callable[[], RenderableType]] = {
    "results": lambda: render.results(hostile_results(), [((0, 5),)]),
    "hit": lambda: render.hit(hostile_hit()),
    "document": lambda: render.document(hostile_document(), [(0, 5)]),
    "document with entities": lambda: render.document(hostile_document(), highlight_entities=True),
    "facets": lambda: render.facet_table(hostile_results().facets, numbered=True),
    "suggestion": lambda: render.suggestion(HOSTILE),
    "stats": lambda: status.index_stats(IndexStats(indexed=1, skipped=(Skip(HOSTILE, HOSTILE, 3),))),
}


@pytest.mark.parametrize("name", RENDERABLES)
def test_untrusted_text_shows_markup_literally_and_no_controls(name: str) -> None:
    for terminal in (False, True):
        out = show(RENDERABLES[name](), terminal)
        assert "[bold]loud[/bold]" in out and "[link=file:///etc/passwd]x[/link]" in out, name
        controls = out if not terminal else re.sub(r"\x1b\[[0-9;]*m", "", out)  # rich's own styles
        for char in FORBIDDEN:
            assert char not in controls, (name, terminal, repr(char))
        # text around the removed sequences survives
        assert "red" in out and "click" in out and "gnp.exe" in out


@pytest.mark.parametrize("name", RENDERABLES)
def test_styled_output_has_no_document_colours_or_hyperlinks(name: str) -> None:
    out = show(RENDERABLES[name](), terminal=True)
    assert "\x1b]" not in out  # no OSC: no title change, no hyperlink
    assert "\x1b[31m" not in out  # the document's red is gone; the theme has no red here
    assert re.findall(r"\x1b\[[0-9;]*m", out)  # but our own styles are there


BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(st.text(st.characters(codec="utf-8")) | st.lists(st.sampled_from(
    ["\x1b", "[", "]", "0;", "8;;", "\x07", "\x9b", "\x9d", "\\", "31m", "a", " ", "\n",
     "\u061c", "\u200f", "\u2067", "\u202e", "\r", "\t"])).map("".join))
def test_clean_text_leaves_nothing_a_terminal_would_act_on(text: str) -> None:
    for char in render.clean_text(text):
        assert char == "\n" or unicodedata.category(char) != "Cc", repr(char)
        assert unicodedata.bidirectional(char) not in BIDI_CONTROLS, repr(char)
        assert char not in "\u061c\u200e\u200f\u200b\ufeff", repr(char)


def test_clean_text() -> None:
    assert render.clean_text("a\tb\r\nc") == "a    b\nc"
    assert render.clean_text("a\n\n b  c", keep_newlines=False) == "a b c"
    assert render.clean_text("\x1b]0;t\x07ok\x1b[2J\u202e") == "ok"
    assert render.clean_text("Zelénsky’s «quote» — 日本") == "Zelénsky’s «quote» — 日本"


def test_marked_styles_spans_at_offsets_of_the_raw_text() -> None:
    raw = "\x1b[31mPutin said \u200bPutin"
    text = render.marked(raw, [(5, 10), (17, 22)])
    assert text.plain == "Putin said Putin"
    styled = [(text.plain[s.start:s.end], str(s.style)) for s in text.spans]
    assert styled == [("Putin", "search.match"), ("Putin", "search.match")]


def test_overlapping_spans_keep_the_first() -> None:
    text = render.styled("Olaf Scholz", [(0, 11, "search.person"), (5, 11, "search.match")])
    assert [(text.plain[s.start:s.end], str(s.style)) for s in text.spans] == [
        ("Olaf Scholz", "search.person")]


def test_summary_line() -> None:
    res = SearchResults("q", 1, (), {}, 1, 1, 10, 0.0123)
    assert show(render.summary(res)).strip() == "1 hit in 12 ms  ·  page 1 of 1"
    res = SearchResults("q", 1234, (), {}, 2, 124, 10, 0.5, sort="date")
    assert show(render.summary(res)).strip() == "1,234 hits in 500 ms  ·  page 2 of 124  ·  sorted by date"
    assert show(render.summary(SearchResults("q", 0, (), {}, 1, 1, 10, 0.001))).strip() == "0 hits in 1 ms"


def test_index_stats_lists_skips_with_file_and_line() -> None:
    stats = IndexStats(indexed=3, unchanged=2, removed=1, documents=4, elapsed=1.25,
                       skipped=tuple(Skip(f"f{i}.jsonl", "invalid JSON", i) for i in range(25)))
    out = show(status.index_stats(stats))
    assert " ".join(out.split()).startswith(
        "indexed 3, unchanged 2, removed 1, skipped 25 · 4 documents in the index · 1.2 s ")
    assert "  skipped f3.jsonl:3: invalid JSON" in out.splitlines()
    assert "… and 5 more (see --json)" in out
    assert "f21.jsonl" not in out
    assert "entities: off" in show(status.index_stats(IndexStats(entities=False)))


def test_index_info_table() -> None:
    info = IndexInfo(path="idx", documents=1234, schema_version=1, model="spacy:x",
                     entities=True, fields=("id",), facets={"person": 7, "place": 3},
                     size_bytes=3 * 1_048_576, last_modified="2024-01-02T00:00:00+00:00")
    lines = [" ".join(line.split()) for line in show(status.index_info(info)).splitlines()]
    assert "documents 1,234" in lines and "entities spacy:x" in lines
    assert "people 7 distinct" in lines and "places 3 distinct" in lines
    assert "size 3.0 MiB" in lines


def test_facet_table_numbers_run_down_each_column() -> None:
    facets = {"person": (FacetCount("Olaf Scholz", 3), FacetCount("Vladimir Putin", 2)),
              "place": (FacetCount("Berlin", 4),), "org": ()}
    out = show(render.facet_table(facets, numbered=True))
    rows = [" ".join(line.split()) for line in out.splitlines()]
    assert rows[0] == "People Places"
    assert rows[1] == "1) Olaf Scholz 3 3) Berlin 4"
    assert rows[2] == "2) Vladimir Putin 2"


def test_real_results_are_readable_in_80_columns(news_index: Path) -> None:
    with Searcher(news_index) as s:
        res = s.search("putin talks", facet_limit=5)
        matcher = s.highlight_terms("putin talks")
    out = show(render.results(res, [highlight(h.title, matcher) for h in res.hits]))
    lines = out.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines[0].startswith(f"{res.total} hits in ")
    flat = " ".join(out.split())
    assert "1. Scholz calls Putin over Ukraine" in flat
    assert "scholz-putin.txt · score" in flat
    assert "Putin's spokesman in the Kremlin described the talks as frank." in flat
    assert "People Places Organisations" in flat
    for counts in res.facets.values():
        for fc in counts:
            assert f"{fc.value} {fc.count}" in flat
    assert "London 3" in flat  # the LONDON of the market report is shown as London


def test_long_words_and_wide_characters_stay_within_80_columns() -> None:
    h = Hit(rank=10, id="x", title="日本語のタイトル " * 8, path="x", score=1.0,
            snippets=(Fragment("https://example.com/" + "a" * 200 + " 東京 " * 30),))
    doc = StoredDocument(id="x", title="T", path="x", text="w" * 300 + "\n" + "語" * 100)
    for renderable in (render.hit(h), render.document(doc)):
        assert all(cell_len(line) <= 80 for line in show(renderable).splitlines())


def test_date_sort_of_undated_hits_says_so_instead_of_zero_scores(
    news_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from search import cli

    assert cli.main(["query", "python", "--sort", "date", "--index", str(news_index)]) == 0
    out = capsys.readouterr().out
    assert "these hits have no dates: sorting by date leaves them in order of relevance" in out
    assert "score" not in out and "python.md" in out
    assert cli.main(["query", "summit", "--sort", "date", "--index", str(news_index)]) == 0
    dated = capsys.readouterr().out
    assert "no dates" not in dated and "score" not in dated  # dated hits: no notice
    assert cli.main(["query", "python", "--index", str(news_index)]) == 0
    assert "no dates" not in capsys.readouterr().out  # by score: nothing to say
