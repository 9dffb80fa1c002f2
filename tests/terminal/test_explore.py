"""Tests for search.terminal.explore: the REPL's analytics commands, through `Shell.handle`.

The API behind them (search.analytics, search.analytics.saved, the overlay, Searcher.explain) has its
own tests; these check that each command works on the shell's current query and filters,
prints what it computed, writes its files and turns misuse into an error with a hint.
"""

from __future__ import annotations

import io
import json
import re
import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DictExtractor, fake_settings, index_text
from rich.console import Console

from search.index.indexer import build
from search.query.searcher import Searcher
from search.terminal import render
from search.terminal.commands import Output, Shell


@pytest.fixture
def shell(news_index: Path) -> Iterator[Shell]:
    with Searcher(news_index) as searcher:
        yield Shell(searcher, pagelen=3)


def text(out: Output, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, theme=render.THEME, highlight=False)
    console.print(out.renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_cooc_lists_companions_with_counts_and_pmi(shell: Shell) -> None:
    out = shell.handle(':cooc person:"Olaf Scholz"')
    assert not out.error, text(out)
    shown = text(out)
    assert "Seen with Olaf Scholz" in shown
    # Scholz shares two documents with the Kremlin (scholz-putin.txt and zelensky-berlin.txt),
    # in 9 documents of which 2 name Scholz and 2 the Kremlin: PMI = log2(9·2 / (2·2)) = 2.17
    row = next(line for line in shown.splitlines() if line.startswith("Kremlin"))
    assert re.match(r"Kremlin\s+2\s+2\.17\b", row), row
    # pairs seen once (Vladimir Putin, Berlin) are below the minimum of two documents
    assert "Vladimir Putin" not in shown and "Berlin" not in shown


def test_cooc_works_within_the_current_filters_and_writes_dot(shell: Shell, tmp_path: Path) -> None:
    shell.handle("+place:Berlin")
    dot = tmp_path / "graph.dot"
    out = shell.handle(f':cooc person:"Olaf Scholz" org 5 > {dot}')
    assert not out.error, text(out)
    # within the Berlin document only, Kremlin and Scholz share 1 document: below min_count
    assert "nothing co-occurs often enough" in text(out)
    assert dot.read_text(encoding="utf-8").startswith("graph cooccurrence {")
    assert f"wrote the graph to {dot}" in text(out)


def test_cooc_misuse_is_an_error_with_a_hint(shell: Shell) -> None:
    for line, message in [
        (":cooc", "which entity?"),
        (":cooc Scholz", "does not name an entity"),
        (':cooc person:"Nobody Here"', "no person called 'Nobody Here'"),
        (':cooc colour:"red"', "cannot filter on 'colour'"),
        (':cooc person:"Olaf', "cannot read"),
    ]:
        out = shell.handle(line)
        assert out.error and out.data is not None, line
        assert message in out.data["error"], (line, out.data)
        assert out.data["hint"], line


def test_timeline_counts_the_current_results_by_period(shell: Shell) -> None:
    shell.handle("summit")
    shown = text(shell.handle(":timeline"))
    # summit: w1 2024-02, w2 2024-05, w3 2024-09, w4 2023-11; nothing else is dated
    assert "4 documents by month" in shown
    periods = re.findall(r"^(\d{4}-\d\d) .*?(\d+)(?: ★)?\s*", shown, re.MULTILINE)
    counts = {p: int(n) for p, n in periods}
    assert counts["2023-11"] == 1 and counts["2024-02"] == 1 and counts["2024-09"] == 1
    assert counts["2024-01"] == 0  # empty months between are shown
    assert "1 documents" not in text(shell.handle(":timeline year"))
    bad = shell.handle(":timeline fortnight")
    assert bad.error and "cannot group by 'fortnight'" in text(bad)


def test_why_needs_results_and_ranks_what_is_over_represented(shell: Shell) -> None:
    empty = shell.handle(":why")
    assert empty.error and "type a query" in text(empty)
    shell.handle("summit")
    shown = text(shell.handle(":why"))
    assert "What characterises these results" in shown
    # Nato (3 of the 4 summit documents) is there, far above its share of the index
    assert re.search(r"Nato\s+organisations\s+3/4", shown)


def test_explain_takes_a_hit_apart(shell: Shell) -> None:
    shell.handle("summit talks")
    shown = text(shell.handle(":explain 1"))
    assert "BM25F" in shown and "body:summit" in shown
    out = shell.handle(":explain 9")
    assert out.error and "hit 9 is not on this page" in text(out)
    shell.handle(":clear")
    shell.handle("+place:Berlin")
    shell.state.query = ""
    out = shell.handle(":explain 1")
    assert out.error and "no query to explain" in text(out)


def test_save_run_saved_and_watch_new_documents(news_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "watched"
    extractor = DictExtractor({"Kyiv": "GPE", "Nato": "ORG"})
    build([news_dir], index_dir, settings=fake_settings(), extractor=extractor)
    with Searcher(index_dir) as searcher:
        sh = Shell(searcher)
        assert sh.handle(":save has space").error
        sh.handle("summit")
        sh.handle("+org:Nato")
        out = sh.handle(":save nato-summits")
        assert "saved 'nato-summits'" in text(out)
        sh.handle(":clear")
        sh.handle("unrelated")
        ran = sh.handle(":run nato-summits")
        assert sh.state.query == "summit" and sh.state.where == {"org": ["Nato"]}
        assert ran.data is not None and ran.data["total"] >= 2
        assert "nato-summits" in text(sh.handle(":saved"))
        assert "no saved search called 'nope'" in text(sh.handle(":run nope"))
    # a new document arrives; the watch reports it and nothing else, then nothing
    (news_dir / "new-summit.txt").write_text(
        "Another summit\n\nNato leaders held a new summit in Kyiv.\n", encoding="utf-8"
    )
    build([news_dir], index_dir, settings=fake_settings(), extractor=extractor)
    from search.analytics.saved import watch

    with Searcher(index_dir) as searcher:
        first = watch(searcher, "nato-summits")
        assert [h.id for h in first.new] == ["new-summit.txt"]
        assert watch(searcher, "nato-summits").total == 0


def test_merge_drop_and_aliases_change_the_facets_at_once(shell: Shell) -> None:
    shell.handle("summit")
    out = shell.handle(':merge "Kyiv" "Ukraine" place')
    assert "Kyiv now counts as Ukraine" in text(out)
    assert out.data is not None
    places = {f["value"]: f["count"] for f in out.data["facets"]["place"]}
    assert "Kyiv" not in places and places["Ukraine"] == 3  # w1, w4 and w2 (Kyiv)
    dropped = shell.handle(":drop org Nato")
    assert dropped.data is not None and "org" not in dropped.data["facets"] or all(
        f["value"] != "Nato" for f in dropped.data["facets"].get("org", [])
    )
    listing = text(shell.handle(":aliases"))
    assert re.search(r"merge\s+place\s+kyiv\s+Ukraine", listing)
    assert re.search(r"drop\s+org\s+nato", listing)
    shell.handle(":aliases forget Kyiv")
    assert "kyiv" not in text(shell.handle(":aliases"))
    assert shell.handle(":merge onlyone").error
    assert shell.handle(':aliases forget "Never Merged"').error


def test_export_session_writes_a_script_that_finds_the_same(shell: Shell, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    shell.handle("summit")
    shell.handle("+org:Nato")
    assert shell.state.results is not None
    total = shell.state.results.total
    script = tmp_path / "finding.py"
    out = shell.handle(f":export-session {script}")
    assert f"wrote {script}" in text(out)
    source = script.read_text(encoding="utf-8")
    assert "where={'org': ['Nato']}" in source
    runpy.run_path(str(script))
    assert capsys.readouterr().out.splitlines()[0] == f"{total} hits"
    assert shell.handle(":export-session").error


def test_every_analytics_command_has_help() -> None:
    from search.terminal.shell import COMMANDS

    for name in (":cooc", ":timeline", ":why", ":explain", ":save", ":run", ":saved",
                 ":merge", ":drop", ":aliases", ":export-session"):
        assert COMMANDS[name].help, name
    assert json.dumps(sorted(COMMANDS))  # the registry is plain data


def test_cooc_ignores_a_filter_on_the_entity_itself(shell: Shell) -> None:
    plain = text(shell.handle(':cooc person:"Olaf Scholz"'))
    shell.handle('+person:"Olaf Scholz"')
    filtered = text(shell.handle(':cooc person:"Olaf Scholz"'))
    # with the filter every document in scope names Scholz: PMI would be 0 for everything
    assert re.search(r"Kremlin\s+2\s+2\.17", filtered) and filtered == plain


def test_timeline_without_dated_documents_says_so_once(shell: Shell) -> None:
    shell.handle("talks NOT summit")
    res = shell.state.results
    assert res is not None and res.total and not any(h.date for h in res.hits)
    shown = text(shell.handle(":timeline")).strip()
    assert shown == f"{res.total} documents, none with a date: there is no timeline to draw"
    shell.handle("nothingmatchesthis")
    assert text(shell.handle(":timeline")).strip() == "no documents to place on a timeline"


def test_explain_after_more_explains_the_more_like_this_score(shell: Shell) -> None:
    shell.handle("summit")
    shell.handle(":more 1")
    res = shell.state.results
    assert res is not None and len(res.hits) >= 2
    second = res.hits[1]
    out = shell.handle(":explain 2")
    assert not out.error, text(out)
    shown = text(out, width=200)
    first_line = shown.splitlines()[0]
    assert first_line.startswith(f"{second.score:.3f} ")  # the score the hit shows
    assert "like “" in shown and "most distinctive words" in shown
    assert "query 'summit'" not in shown
    contributions = [float(m) for m in re.findall(r"^\W+(\d+\.\d{3})  body:", shown, re.MULTILINE)]
    assert contributions and sum(contributions) == pytest.approx(second.score, abs=0.01)
    shell.handle("summit")  # a word query again: its words are explained
    assert "query 'summit'" in text(shell.handle(":explain 1"))


def test_an_index_without_entities_refuses_entity_clauses_and_stars_no_busiest_period(
    tmp_path: Path, news_dir: Path
) -> None:
    index_text(news_dir, tmp_path / "bare")
    with Searcher(tmp_path / "bare") as searcher:
        shell = Shell(searcher, pagelen=3)
        for line in ("talks person:putin", '+person:"Vladimir Putin"'):
            out = shell.handle(line)
            assert out.error and out.data is not None, line
            assert "this index has no entities" in out.data["error"], line
            assert "search index --rebuild" in out.data["hint"], line
        shell.handle("summit")
        shown = text(shell.handle(":timeline"))
    assert "4 documents by month" in shown
    assert "★" not in shown  # no entities to introduce: no bare star
