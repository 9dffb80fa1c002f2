"""Tests for search.terminal.shell and search.terminal.commands: the REPL's line handler, called directly.

Also the page it prints (search.terminal.page), rendered to a `Console(file=StringIO(), width=80)`.

The news corpus of conftest is indexed with the fake extractor; every test gets a fresh
`Shell` with two hits per page so that paging has something to do.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NEWS_NAMES, DictExtractor, fake_settings
from rich.console import Console

from search.index.indexer import build
from search.query.searcher import Searcher
from search.results import StoredDocument
from search.terminal import page, render
from search.terminal.commands import COMMANDS, Output, Shell, command, parse_filters

SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def shell(news_index: Path) -> Iterator[Shell]:
    with Searcher(news_index) as searcher:
        yield Shell(searcher, pagelen=2)


def text(out: Output, width: int = 80) -> str:
    """What the user sees: the output printed without styles, lines right-stripped."""
    console = Console(file=io.StringIO(), width=width, theme=render.THEME, highlight=False)
    console.print(out.renderable)
    value = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in value.splitlines())


def styled(out: Output, width: int = 80) -> str:
    """The output with every escape sequence a 256-colour terminal would get."""
    console = Console(file=io.StringIO(), width=width, theme=render.THEME,
                      force_terminal=True, color_system="256", highlight=False)
    console.print(out.renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def ids(shell: Shell) -> list[str]:
    assert shell.state.results is not None
    return [h.id for h in shell.state.results.hits]


# -- queries and results -------------------------------------------------------------------


def test_a_query_shows_summary_facets_hits_and_a_footer(shell: Shell) -> None:
    out = shell.handle("summit")
    assert not out.error and not out.page
    shown = text(out)
    lines = shown.splitlines()
    assert re.fullmatch(r"4 hits in \d+ ms  ·  page 1 of 2", lines[0])
    assert "Places        Organisations" in shown
    assert "1) Ukraine 2  4) Nato 3" in shown
    assert "  1. Last year's summit\n     2023-11-11  ·  wires.jsonl#w4  ·  Wire  ·  score " in shown
    assert "     The summit in Vilnius ended with talks on Ukraine." in shown
    assert "  2. Nato summit opens" in shown
    assert lines[-1] == ":next for page 2 of 2  ·  :open N reads hit N  ·  :more N similar  ·  :help"
    assert out.data is not None and out.data["total"] == 4 and len(out.data["hits"]) == 2


def test_query_terms_are_styled_in_titles_and_snippets(shell: Shell) -> None:
    shown = styled(shell.handle("summit"))
    match = render.THEME.styles["search.match"]
    # bold yellow in 256 colours; the word is highlighted, its neighbours are not
    assert f"{_sgr(match)}summit" in shown
    assert f"{_sgr(match)}Vilnius" not in shown


def _sgr(style: object) -> str:
    console = Console(file=io.StringIO(), force_terminal=True, color_system="256")
    console.print("x", style=style, end="")  # type: ignore[arg-type]
    return console.file.getvalue().split("x")[0]  # type: ignore[attr-defined]


def test_empty_line_does_nothing(shell: Shell) -> None:
    out = shell.handle("   ")
    assert out.parts == [] and shell.state.results is None


def test_bad_query_shows_message_and_hint_and_keeps_the_previous_search(shell: Shell) -> None:
    shell.handle("talks")
    before = shell.state.results
    out = shell.handle("nosuchfield:x")
    assert out.error
    assert text(out).splitlines() == [
        "error: unknown field 'nosuchfield' in the query 'nosuchfield:x'",
        "hint: fields are title, body, person, place, org, date, source, from, to; to",
        'search for nosuchfield: as text, put it in quotes: "nosuchfield: ..."',
    ]
    assert shell.state.query == "talks" and shell.state.results is before
    assert shell.handle(":next").error is False
    assert shell.state.query == "talks" and shell.state.page == 2


def test_unknown_command(shell: Shell) -> None:
    out = shell.handle(":frobnicate 3")
    assert out.error
    assert text(out) == ("error: unknown command ':frobnicate'\n"
                         "hint: type :help for the list of commands")


def test_did_you_mean_and_y_accepts_it(shell: Shell) -> None:
    out = shell.handle("sumit")
    assert "Did you mean: summit   :y searches for it" in text(out)
    accepted = shell.handle(":y")
    assert shell.state.query == "summit"
    assert text(accepted).startswith("4 hits")


def test_y_without_a_suggestion(shell: Shell) -> None:
    shell.handle("summit")
    out = shell.handle(":y")
    assert out.error and "there is no suggestion to accept" in text(out)


def test_no_hits_says_what_to_try(shell: Shell) -> None:
    shown = text(shell.handle("xylophone"))
    assert shown.splitlines()[-1] == (
        "try fewer or other words, or a prefix such as elect*  ·  :help")


# -- filters and facet picks ---------------------------------------------------------------


def test_parse_filters() -> None:
    assert parse_filters('+person:"Vladimir Putin" -place:Moscow +3') == [
        ("+", "person", "Vladimir Putin"), ("-", "place", "Moscow"), ("+", "3", "")]
    assert parse_filters("+person:Vladimir Putin -place:New York") == [
        ("+", "person", "Vladimir Putin"), ("-", "place", "New York")]
    assert parse_filters("+3 -12") == [("+", "3", ""), ("-", "12", "")]
    assert parse_filters('+person:"Vladimir Putin') == [("+", "person", "Vladimir Putin")]
    assert parse_filters("-foo bar") is None
    assert parse_filters("+3 election") is None
    assert parse_filters("putin +person:x") is None


def test_keep_filter_narrows_and_is_shown(shell: Shell) -> None:
    out = shell.handle('+place:"Ukraine"')
    shown = text(out)
    assert shown.splitlines()[1] == "filters +place:Ukraine"
    assert shell.state.where == {"place": ["Ukraine"]}
    assert shell.state.results is not None and shell.state.results.total == 3
    assert shell.filters_text() == "+place:Ukraine"


def test_drop_filter_and_multi_word_values(shell: Shell) -> None:
    shell.handle("summit")
    shell.handle("-org:Nato")
    assert ids(shell) == ["wires.jsonl#w4"]
    assert shell.filters_text() == "-org:Nato"
    shell.handle(":clear")
    shell.handle("scholz")  # filters stay until :clear, across queries
    shell.handle("+person:Olaf Scholz")
    assert shell.state.where == {"person": ["Olaf Scholz"]}
    assert shell.filters_text() == '+person:"Olaf Scholz"'
    assert sorted(ids(shell)) == ["scholz-putin.txt", "zelensky-berlin.txt"]


def test_numbered_pick_uses_the_panel_numbers(shell: Shell) -> None:
    shown = text(shell.handle("summit"))
    assert "4) Nato 3" in shown
    shown = text(shell.handle("+4"))
    assert shell.state.where == {"org": ["Nato"]}
    assert shell.state.results is not None and shell.state.results.total == 3
    # the panel is numbered afresh, and -N drops value N
    panel = re.search(r"(\d+)\) Ukraine 1", shown)
    assert panel is not None
    shown = text(shell.handle(f"-{panel.group(1)}"))
    assert "filters +org:Nato  -place:Ukraine" in shown
    assert sorted(ids(shell)) == ["wires.jsonl#w2", "wires.jsonl#w3"]


def test_each_kept_value_narrows_even_within_one_facet(shell: Shell) -> None:
    shell.handle("summit")
    shell.handle("+place:Ukraine")
    assert shell.state.results is not None and shell.state.results.total == 2
    shell.handle("+place:London")  # the panel said: London 1
    assert ids(shell) == ["wires.jsonl#w1"]


def test_keep_then_drop_the_same_value_switches_it(shell: Shell) -> None:
    shell.handle("+place:Ukraine")
    shell.handle("-place:ukraine")
    assert shell.state.where == {} and shell.state.exclude == {"place": ["ukraine"]}


def test_a_filter_that_empties_the_results_is_refused_with_values_like_it(
    shell: Shell,
) -> None:
    shell.handle("summit")
    before = shell.state.results
    out = shell.handle("+person:Putn")
    assert out.error
    assert text(out) == (
        'error: no results mention person "Putn"; the filter was not applied\n'
        'hint: values in the index: +person:"Vladimir Putin"')
    assert shell.state.where == {} and shell.state.results is before


def test_filter_errors(shell: Shell) -> None:
    out = shell.handle("+title:summit")
    assert out.error
    assert text(out, width=200).splitlines() == [
        "error: cannot filter on 'title'",
        ('hint: filters work on person, place, org: +person:"Name" keeps, -person:"Name" drops; '
         "to search a field, type title:word"),
    ]
    assert "there is no facet value 3" in text(shell.handle("+3"))
    shell.handle("summit")
    assert "hint: the facet panel numbers its values 1 to 4" in text(shell.handle("+9"))
    assert 'type +person:"Name"' in text(shell.handle('+person:""'))
    assert shell.state.where == {}


def test_facet_aliases_work_in_filters(shell: Shell) -> None:
    shell.handle("+who:Vladimir Putin")
    assert shell.state.where == {"person": ["Vladimir Putin"]}


def test_clear_all_or_one_facet(shell: Shell) -> None:
    shell.handle("summit")
    shell.handle("+place:Ukraine -org:Kremlin")
    shell.handle(":clear place")
    assert shell.state.where == {} and shell.state.exclude == {"org": ["Kremlin"]}
    out = shell.handle(":clear")
    assert shell.state.exclude == {} and text(out).startswith("4 hits")
    shell.state.query = ""
    shell.state.results = None
    assert text(shell.handle(":clear")) == "no filters"


# -- paging and sorting --------------------------------------------------------------------


def test_next_prev_page(shell: Shell) -> None:
    shell.handle("talks")  # 6 hits, 3 pages
    first = ids(shell)
    assert text(shell.handle(":next")).startswith("6 hits")
    assert shell.state.page == 2 and ids(shell) != first
    assert "  3. " in text(shell.handle(":page 2"))
    shell.handle(":page 3")
    out = shell.handle(":next")
    assert out.error and text(out) == ("error: this is the last page (3)\n"
                                       "hint: :prev goes back, :page N jumps")
    shell.handle(":prev")
    shell.handle(":p")
    assert shell.state.page == 1 and ids(shell) == first
    assert "this is the first page" in text(shell.handle(":prev"))
    assert "hint: pages run from 1 to 3" in text(shell.handle(":page 4"))
    assert "there is no page x" in text(shell.handle(":page x"))


def test_paging_before_any_query(shell: Shell) -> None:
    for line in (":next", ":prev", ":page 1", ":open 1", ":export x.jsonl"):
        out = shell.handle(line)
        assert out.error, line
        assert "type a query first" in text(out), line


def test_sort_by_date_newest_first_and_hides_scores(shell: Shell) -> None:
    shell.state.pagelen = 10
    shell.handle("summit")
    out = shell.handle(":sort date")
    assert ids(shell) == ["wires.jsonl#w3", "wires.jsonl#w2", "wires.jsonl#w1",
                          "wires.jsonl#w4"]
    shown = text(out)
    assert "sorted by date" in shown.splitlines()[0] and "score" not in shown
    assert "  ·  score " in text(shell.handle(":sort score"))
    assert shell.state.sort == "score" and ids(shell)[0] == "wires.jsonl#w4"
    bad = shell.handle(":sort size")
    assert bad.error and "type :sort date or :sort score" in text(bad)


def test_sort_before_a_query_is_remembered(shell: Shell) -> None:
    assert text(shell.handle(":sort date")) == "hits will be sorted by date"
    shell.handle("summit")
    assert shell.state.results is not None and shell.state.results.sort == "date"


# -- documents -----------------------------------------------------------------------------


def test_open_shows_the_whole_document_in_the_pager(shell: Shell) -> None:
    shell.handle("putin")
    out = shell.handle(":open 1")
    assert out.page and not out.error
    shown = text(out)
    assert shown.splitlines()[:5] == [
        "Scholz calls Putin over Ukraine",
        "scholz-putin.txt",
        "People: Olaf Scholz, Vladimir Putin",
        "Places: Ukraine, Kyiv, Moscow",
        "Organisations: Nato, Kremlin",
    ]
    assert "Putin's spokesman in the Kremlin described the talks as frank." in shown
    assert out.data is not None and out.data["id"] == "scholz-putin.txt"
    painted = styled(out)
    assert f"{_sgr(render.THEME.styles['search.match'])}Putin" in painted
    assert f"{_sgr(render.THEME.styles['search.place'])}Kyiv" in painted


def test_open_by_id_and_errors(shell: Shell) -> None:
    shell.handle("summit")
    assert "Nato summit opens" in text(shell.handle(":open wires.jsonl#w1"))
    out = shell.handle(":open 5")
    assert out.error and text(out) == (
        "error: hit 5 is not on this page\n"
        "hint: this page shows hits 1 to 2; :page moves to another page")
    assert "is not a hit number" in text(shell.handle(":open first"))
    assert "which hit?" in text(shell.handle(":open"))
    assert "no document with id 'nope.txt'" in text(shell.handle(":open nope.txt"))


def test_more_like_this(shell: Shell) -> None:
    shell.state.pagelen = 10
    shell.handle("summit")
    out = shell.handle(":more 2")  # Nato summit opens
    assert shell.state.like == "wires.jsonl#w1"
    assert "wires.jsonl#w1" not in ids(shell) and ids(shell)
    assert text(out).splitlines()[1] == "documents like Nato summit opens"
    refused = shell.handle(":sort date")
    assert refused.error and shell.state.sort == "score"
    shell.handle("python")
    assert shell.state.like is None


def test_entities_of_a_hit_and_picking_from_them(shell: Shell) -> None:
    shell.handle("putin")
    out = shell.handle(":entities 1")
    shown = text(out)
    assert shown.splitlines()[0] == "Scholz calls Putin over Ukraine"
    assert "1) Olaf Scholz" in shown and "3) Ukraine" in shown
    shell.handle("+3")
    assert shell.state.where == {"place": ["Ukraine"]}


def test_facets_of_the_index_and_of_the_results(shell: Shell) -> None:
    out = shell.handle(":facets")
    shown = text(out)
    assert out.page and shown.splitlines()[0] == "Top entities of the whole index"
    assert "1) Olaf Scholz 2" in shown
    shell.handle("summit")
    shown = text(shell.handle(":facets place 2"))
    # London and Kyiv are on one result each: London, mentioned more often, first
    assert shown.splitlines()[:4] == [
        "Top entities of 4 results", "Places", "1) Ukraine 2", "2) London 1"]
    shell.handle("+2")
    assert shell.state.where == {"place": ["London"]}
    assert "cannot filter on 'colour'" in text(shell.handle(":facets colour"))


def test_stats(shell: Shell) -> None:
    out = shell.handle(":stats")
    shown = text(out)
    assert re.search(r"^documents\s+9$", shown, re.MULTILINE)
    assert out.data is not None and out.data["documents"] == 9


def test_export_writes_every_hit_as_json_lines(shell: Shell, tmp_path: Path) -> None:
    shell.handle("talks")
    shell.handle("+org:Nato")
    target = tmp_path / "out dir"
    target.mkdir()
    out = shell.handle(f':export "{target / "hits.jsonl"}"')
    lines = (target / "hits.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert shell.state.results is not None
    assert len(records) == shell.state.results.total == 3
    assert all("Nato" in r["entities"]["org"] for r in records)
    assert text(out, width=200) == f"wrote 3 results to {target / 'hits.jsonl'} as JSON lines"
    bad = shell.handle(f":export {tmp_path}/missing/x.jsonl")
    assert bad.error and "cannot write" in text(bad)
    assert ":export needs a file name" in text(shell.handle(":export"))


def test_export_format_follows_the_extension(shell: Shell, tmp_path: Path) -> None:
    import csv

    shell.handle("talks")
    res = shell.state.results
    assert res is not None and res.total == 6
    out = shell.handle(f":export {tmp_path / 'hits.CSV'}")
    assert text(out, width=200) == f"wrote 6 results to {tmp_path / 'hits.CSV'} as CSV"
    with (tmp_path / "hits.CSV").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 and [r["rank"] for r in rows] == [str(n) for n in range(1, 7)]
    assert list(rows[0]) == ["rank", "id", "title", "date", "source", "url", "path", "score",
                             "person", "place", "org", "snippet"]
    assert rows[0]["id"] == res.hits[0].id and rows[0]["title"] == res.hits[0].title
    assert float(rows[0]["score"]) == pytest.approx(res.hits[0].score, abs=1e-3)
    assert any("talk" in r["snippet"].lower() for r in rows)
    wires = [r for r in rows if r["id"].startswith("wires.jsonl#")]
    assert wires and all(r["date"].startswith("20") for r in wires)

    out = shell.handle(f":export {tmp_path / 'hits.json'}")
    assert text(out, width=200).endswith("as JSON")
    data = json.loads((tmp_path / "hits.json").read_text(encoding="utf-8"))
    assert data["query"] == "talks" and data["sort"] == "score"
    assert [h["id"] for h in data["hits"]] == [r["id"] for r in rows]

    out = shell.handle(f":export {tmp_path / 'hits.txt'}")  # no format named: JSON lines, said
    assert text(out, width=200).endswith(
        "as JSON lines (name it .csv or .json for those formats)")
    lines = (tmp_path / "hits.txt").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [r["id"] for r in rows]


def test_export_csv_defuses_formulas(tmp_path: Path) -> None:
    from search.results import Hit
    from search.terminal import export

    hits = [Hit(1, "a.txt", "=HYPERLINK(\"x\")", "a.txt", 1.0), Hit(2, "b.txt", "Plain", "b.txt", 0.5)]
    export.write(tmp_path / "x.csv", hits, ["person"], {})
    lines = (tmp_path / "x.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith('1,a.txt,"\'=HYPERLINK(""x"")"')
    assert lines[2].startswith("2,b.txt,Plain,")


def test_export_and_facets_of_documents_like_another(shell: Shell, tmp_path: Path) -> None:
    shell.handle("summit")
    shell.handle(":more 2")
    res = shell.state.results
    assert res is not None and res.total > 0
    out = shell.handle(f":export {tmp_path / 'like.jsonl'}")
    assert not out.error, text(out)
    lines = (tmp_path / "like.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines][: len(res.hits)] == ids(shell)
    assert len(lines) == res.total
    facets = shell.handle(":facets org")
    assert not facets.error and text(facets).startswith(f"Top entities of {res.total} results")


def test_quit(shell: Shell) -> None:
    assert shell.handle(":quit").quit and shell.handle(":q").quit


# -- the registry and :help -----------------------------------------------------------------


def test_help_lists_every_registered_command() -> None:
    names = {c.name for c in COMMANDS.values()}
    assert {":help", ":open", ":more", ":next", ":prev", ":page", ":sort", ":facets",
            ":entities", ":stats", ":export", ":quit", ":clear", ":y"} <= names
    assert all(c.help for c in COMMANDS.values())


def test_help_is_generated_from_the_registry(shell: Shell) -> None:
    @command(":frob", "X", aliases=(":fr",))
    def _frob(shell: Shell, arg: str) -> Output:
        """Frobnicate X."""
        return Output()

    try:
        shown = text(shell.handle(":help"), width=100)
        assert re.search(r"^:frob X +Frobnicate X\.  \(also :fr\)$", shown, re.MULTILINE)
        for cmd in COMMANDS.values():
            assert f"{cmd.name} {cmd.args}".strip() in shown
        assert text(shell.handle(":help frob"), width=100) == (
            ":frob X  Frobnicate X.  (also :fr)")
    finally:
        del COMMANDS[":frob"], COMMANDS[":fr"]
    assert "no command 'frob'" in text(shell.handle(":help frob"))


# -- Ctrl-C ----------------------------------------------------------------------------------


def test_ctrl_c_during_a_search_restores_the_state(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell.handle("summit")
    before = shell.state.results

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(shell.searcher, "search", interrupted)
    with pytest.raises(KeyboardInterrupt):
        shell.handle("+place:Ukraine")
    with pytest.raises(KeyboardInterrupt):
        shell.handle(":next")
    assert shell.state.where == {} and shell.state.page == 1
    assert shell.state.results is before


# -- untrusted document text ----------------------------------------------------------------

HOSTILE_TITLE = "Evil [bold]title[/bold] \x1b]0;pwned\x07"
HOSTILE_BODY = (
    "Putin said [link=file:///etc/passwd]click here[/link] and \x1b[31mred\x1b[0m text "
    "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07 with [red]markup[/red] \x07bell "
    "\x9b2J and :smile: and \u202eevil\u202c.\n"
)


@pytest.fixture
def hostile_shell(tmp_path: Path) -> Iterator[Shell]:
    """An index whose one document is full of markup (escapes are stripped at ingest)."""
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(f"{HOSTILE_TITLE}\n\n{HOSTILE_BODY}", encoding="utf-8")
    build([corpus], tmp_path / "hix", settings=fake_settings(),
          extractor=DictExtractor(NEWS_NAMES))
    with Searcher(tmp_path / "hix") as searcher:
        yield Shell(searcher)


def assert_inert(painted: str) -> None:
    """Only rich's own colour codes; no hyperlink, title, bell, or document colour."""
    assert "\x1b]" not in painted and "\x07" not in painted and "\x9b" not in painted
    assert "\u202e" not in painted
    assert SGR.sub("", painted).count("\x1b") == 0
    assert "\x1b[31m" not in painted


def test_markup_in_documents_is_shown_literally_in_hits_and_open(
    hostile_shell: Shell,
) -> None:
    hits = hostile_shell.handle("putin")
    shown = " ".join(text(hits, width=200).split())
    assert "Evil [bold]title[/bold]" in shown
    assert "[link=file:///etc/passwd]click here[/link]" in shown
    assert "with [red]markup[/red]" in shown and ":smile:" in shown
    assert_inert(styled(hits))
    opened = hostile_shell.handle(":open 1")
    shown = " ".join(text(opened, width=100).split())
    assert "Putin said [link=file:///etc/passwd]click here[/link] and" in shown
    assert_inert(styled(opened))


def test_escape_sequences_never_reach_the_terminal(
    hostile_shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if a document kept its escapes (another ingest path), :open and hits clean them."""
    hostile_shell.handle("putin")
    raw = StoredDocument(id="evil.txt", title=HOSTILE_TITLE, path="evil.txt",
                         text=HOSTILE_BODY, source="\x1b[5mblink",
                         entities={"person": ("Vladimir \x1b[31mPutin",)})
    monkeypatch.setattr(hostile_shell.searcher, "document", lambda *a, **k: raw)
    out = hostile_shell.handle(":open 1")
    painted = styled(out)
    assert_inert(painted)
    plain = " ".join(SGR.sub("", painted).split())
    # the C1 control sequence \x9b2J goes whole; OSC payloads go with their introducer
    assert "red text link with [red]markup[/red] bell and :smile: and evil." in plain
    assert "Evil [bold]title[/bold] 0;pwned" not in plain
    assert "Evil [bold]title[/bold]" in plain

    results = hostile_shell.state.results
    assert results is not None
    hit = results.hits[0]
    from dataclasses import replace

    from search.results import Fragment

    dirty = replace(hit, title=HOSTILE_TITLE, source="\x1b]8;;x\x07src",
                    snippets=(Fragment(HOSTILE_BODY, ((0, 5),)),))
    view = page.ResultsPage(replace(results, hits=(dirty,)))
    for width in (80, 200):
        painted = styled(Output([view]), width=width)
        assert_inert(painted)
        assert "[link=file:///etc/passwd]" in " ".join(SGR.sub("", painted).split())


# -- layout ----------------------------------------------------------------------------------


def test_results_fit_80_columns_and_use_a_side_panel_when_wide(shell: Shell) -> None:
    shell.state.pagelen = 10
    out = shell.handle("talks")
    narrow = text(out, width=80)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert "Places" in narrow.splitlines()[2]  # facets above the hits
    wide = text(out, width=200)
    assert max(len(line) for line in wide.splitlines()) <= 200
    beside = [line for line in wide.splitlines() if "1. " in line and "People" in line]
    assert beside, wide


def test_no_color_keeps_bold_but_drops_colours(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = shell.handle("summit")
    console = Console(file=io.StringIO(), width=80, theme=render.THEME,
                      force_terminal=True, color_system="256", highlight=False)
    console.print(out.renderable)
    painted = console.file.getvalue()  # type: ignore[attr-defined]
    codes = set(re.findall(r"\x1b\[([0-9;]*)m", painted))
    assert codes and all(
        not re.search(r"(^|;)(3[0-9]|4[0-9]|9[0-7]|38|48)(;|$)", c) for c in codes), codes
