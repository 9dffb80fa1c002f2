"""Robustness against hostile queries: anything typed gives results or a clear error, in time.

Property-based tests feed arbitrary strings and random mixes of operators, fields, quotes and
brackets to `Searcher.search` (only `QueryError` may come back) and to the REPL's
`Shell.handle` (which never raises). Costly queries (`*`, one-letter prefixes, `*a*`,
thousands of words, huge phrases) either finish within the time limit, flagged partial when
it cut them short, or are refused with a hint.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from conftest import NEWS_NAMES, DictExtractor, fake_settings, write_news
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from search.cli import main
from search.config import Settings
from search.errors import IndexDamagedError, QueryError, SearchError
from search.index.indexer import build
from search.query.limits import MAX_EXPANSION, MAX_QUERY_WORDS
from search.query.searcher import Searcher
from search.results import SearchResults, json_line
from search.terminal import render
from search.terminal.commands import Shell, command_names

TOKENS = [
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "and", "or", "not",
    "(", ")", "[", "]", "{", "}", '"', "'", "“", "”", "*", "?", "^", "^2", "^-1", "^1e309",
    "~", "~2", "~0.5", "+", "-", "!", ":", "::", "\\", "/", "<", ">", "=", ">=", "<=", "..",
    "title:", "body:", "person:", "place:", "org:", "date:", "source:", "id:", "who:",
    "people:", "bogus:", "Title:", "*:", ":*", "date:>", "date:<", "date:[", "date:2024",
    "date:yesterday", "date:[2024 TO]", "date:[TO 2023-01-01]", "date:99999", "date:-1",
    "2024", "2024-02-10", "summit", "nato", "Putin", "kyiv", "talk*", "s*", "*a*", "su?mit",
    '"summit talks"', "[a TO z]", "{a TO m}", "\x00", "\x1b[2J", "\u202e", "\u200b", "\ufeff",
    "日本", "ß", "İ", "𝔘", "ﬁ", "e\u0301", "x" * 300,
]
FACETS = ["person", "place", "org", "who", "bogus", ""]

token_soup = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=12
).flatmap(
    lambda parts: st.lists(st.sampled_from(["", " ", "  "]), min_size=len(parts),
                           max_size=len(parts)).map(
        lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True))
    )
)
queries = st.one_of(st.text(max_size=60), token_soup)
filters = st.none() | st.dictionaries(
    st.sampled_from(FACETS), st.one_of(st.text(max_size=12), st.lists(st.text(max_size=12),
                                                                      max_size=3)),
    max_size=2,
)


@pytest.fixture(scope="module")
def news_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("queries")
    news = write_news(base / "news")
    index_dir = base / "index"
    build([news], index_dir, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    return index_dir


@pytest.fixture(scope="module")
def searcher(news_index: Path) -> Iterator[Searcher]:
    with Searcher(news_index) as s:
        yield s


def check_search(searcher: Searcher, query: str, **options: object) -> SearchResults | None:
    """Run a query: results that make sense, or a QueryError, never anything else."""
    try:
        res = searcher.search(query, **options)  # type: ignore[arg-type]
    except QueryError as exc:
        assert exc.message and exc.hint, exc
        return None
    except SearchError as exc:
        # the index is intact: a "damaged" error here would be a bug reported as damage
        assert not isinstance(exc, IndexDamagedError), exc
        assert exc.message and exc.hint
        return None
    assert 0 <= len(res.hits) <= res.limit and res.total >= 0
    json.loads(json_line(res.to_dict()))
    return res


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=queries, plain=st.booleans(), sort=st.sampled_from(["score", "date", "bogus"]),
       page=st.integers(-1, 4), pagelen=st.integers(0, 30), where=filters, exclude=filters,
       every=st.booleans())
def test_any_query_gives_results_or_a_query_error(
    searcher: Searcher, query: str, plain: bool, sort: str, page: int, pagelen: int,
    where: dict[str, str | list[str]] | None, exclude: dict[str, str | list[str]] | None,
    every: bool,
) -> None:
    check_search(searcher, query, plain=plain, sort=sort, page=page, limit=pagelen,
                 where=where, exclude=exclude, every=every)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=token_soup)
def test_any_query_works_with_feedback_expansion_and_highlighting(
    searcher: Searcher, query: str
) -> None:
    if check_search(searcher, query, expand=True) is not None:
        searcher.highlight_terms(query)


# --- the REPL's line handler -----------------------------------------------------------------

# commands that write files wherever their argument says: not for random arguments
WRITERS = {":export", ":export-session"}
commands = st.sampled_from(sorted(set(command_names()) - WRITERS))
lines = st.one_of(
    queries,
    st.tuples(commands, st.sampled_from(["", " "]), st.one_of(
        st.sampled_from(["1", "2", "0", "-1", "99", "person", "place", "date", "score",
                         '"Putin" "Vladimir Putin"', "person \"x\"", "forget x", "--by week",
                         "--by", 'person:"Vladimir Putin"', "person:Putin org 3"]),
        st.text(max_size=10), token_soup)).map("".join),
    st.tuples(st.sampled_from(["+", "-"]), st.one_of(
        st.integers(-3, 40).map(str),
        st.tuples(st.sampled_from(FACETS), st.just(":"), st.text(max_size=10)).map("".join),
    )).map("".join),
    token_soup.map(lambda q: "+person:Putin " + q),
)


def is_writer(line: str) -> bool:
    words = line.strip().split()
    return bool(words) and (words[0].lower() in WRITERS or (words[0].lower() == ":cooc"
                                                              and ">" in line))


@pytest.fixture(scope="module")
def shell_index(news_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the index for the REPL to scribble on (:merge and :drop keep an overlay)."""
    copy = tmp_path_factory.mktemp("shell") / "index"
    shutil.copytree(news_index, copy)
    return copy


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(lines, min_size=1, max_size=6))
def test_the_repl_handler_never_raises(shell_index: Path, script: list[str]) -> None:
    with Searcher(shell_index) as s:
        shell = Shell(s)
        for line in script:
            if is_writer(line):
                continue
            out = shell.handle(line)
            console = Console(file=StringIO(), width=90, theme=render.THEME,
                              force_terminal=True)
            console.print(out.renderable)
            if out.data is not None:
                json.loads(json_line(out.data))
            if out.error:
                text = console.file.getvalue()  # type: ignore[attr-defined]
                assert "damaged" not in text, (line, text)


writer_lines = st.tuples(
    st.sampled_from([":export", ":export-session", ':cooc person:"Vladimir Putin" >',
                     ':cooc person:"Vladimir Putin" --dot']),
    st.sampled_from(["", " "]),
    st.one_of(st.sampled_from(['"unclosed', "'", 'a"b', "x.jsonl", '"two words.csv"', "a b",
                               "~/x.py", "-"]), st.text(max_size=10), token_soup),
).map("".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(st.one_of(writer_lines, lines), min_size=1, max_size=5))
@example(script=[":export ~0", ':cooc person:"Vladimir Putin" > ~nobody/x.dot'])  # no such user
def test_piped_lines_never_write_a_file(
    shell_index: Path, tmp_path_factory: pytest.TempPathFactory, script: list[str]
) -> None:
    import contextlib

    work = tmp_path_factory.mktemp("pipe")
    home = Path.home()
    before = set(home.rglob("*"))
    with Searcher(shell_index) as s, contextlib.chdir(work):
        shell = Shell(s, may_write=False)  # as `search` builds it for piped input
        shell.handle("summit")
        for line in script:
            out = shell.handle(line)
            if out.data is not None:
                json.loads(json_line(out.data))
    assert list(work.iterdir()) == [] and set(home.rglob("*")) == before, script


# --- costly queries --------------------------------------------------------------------------


def write_wide_corpus(path: Path, docs: int = 3000) -> list[str]:
    """`docs` JSON lines records over a vocabulary of 6,000 made-up words; the vocabulary.
    (Also the corpus of tests/benchmarks/bench_costly_queries.py.)"""
    rng = random.Random(5)
    letters = "abcdefghijklmnoprstuvw"
    vocab = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
                    for _ in range(6000)})
    with path.open("w", encoding="utf-8") as out:
        for i in range(docs):
            record = {"id": str(i), "title": " ".join(rng.choices(vocab, k=5)),
                      "text": " ".join(rng.choices(vocab, k=60))}
            out.write(json.dumps(record) + "\n")
    return vocab


@pytest.fixture(scope="module")
def wide_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """3,000 documents over a vocabulary of 6,000 made-up words, in six segments."""
    base = tmp_path_factory.mktemp("wide")
    vocab = write_wide_corpus(base / "docs.jsonl")
    build([base / "docs.jsonl"], base / "index", settings=Settings(entities=False,
                                                                   batch_size=500))
    return base / "index", vocab


def costly_queries(vocab: list[str]) -> dict[str, str]:
    rng = random.Random(11)
    return {
        "star": "*",
        "field star": "title:*",
        "star beside words": f"{vocab[0]} AND *",
        "star or words": f"{vocab[0]} *",  # OR with everything is everything
        "one-letter prefix": "b*",
        "stopword prefix": "a*",
        "infix": "*a*",
        "leading wildcard": "*ing",
        "question marks": "????",
        "wide range": "[a TO z]",
        "fuzzy": f"{vocab[0]}~2",
        "1,000 words": " ".join(rng.sample(vocab, 1000)),
        "1,000 ORs": " OR ".join(rng.sample(vocab, 1000)),
        "3,000 ORs": " OR ".join(rng.sample(vocab, 3000)),
        "500-word phrase": '"' + " ".join(rng.sample(vocab, 500)) + '"',
        "2,000-word phrase": '"' + " ".join(rng.sample(vocab, 2000)) + '"',
        "nested brackets": "(" * 200 + vocab[1] + ")" * 200,
    }


def test_costly_queries_finish_in_time_or_are_refused_with_a_hint(
    wide_index: tuple[Path, list[str]],
) -> None:
    """Each costly query is refused with a hint before it runs, or answers: cut short by the
    time limit and marked partial, else complete. A limit no search can meet makes the cut
    certain; how long each takes is measured by tests/benchmarks/bench_costly_queries.py."""
    index_dir, vocab = wide_index
    queries = costly_queries(vocab)
    outcome = {}
    with Searcher(index_dir, Settings(time_limit=1e-9)) as s:
        for name, query in queries.items():
            try:
                res = s.search(query)
            except QueryError as exc:
                assert exc.hint, name
                outcome[name] = "refused"
            else:
                assert res.partial and res.total <= 3000, name  # cut short, and marked so
                assert json.loads(json_line(res.to_dict()))["partial"] is True
                outcome[name] = "partial"
    for name in ("star beside words", "infix", "3,000 ORs", "2,000-word phrase"):
        assert outcome[name] == "refused", name
    assert outcome["1,000 ORs"] == "partial"
    # every document, and the same answer in a limit that leaves them time
    with Searcher(index_dir, Settings(time_limit=60)) as s:
        for name in ("star", "field star", "star or words"):
            res = s.search(queries[name])
            assert (res.partial, res.total) == (False, 3000), name


def test_refusals_say_what_is_too_wide_and_how_to_narrow_it(
    wide_index: tuple[Path, list[str]],
) -> None:
    index_dir, vocab = wide_index
    with Searcher(index_dir) as s:
        with pytest.raises(QueryError) as info:
            s.search("*a*")
        assert info.value.message == (
            f"*a* matches more than {MAX_EXPANSION:,} different words in title"
        )
        assert "elect*" in info.value.hint
        with pytest.raises(QueryError) as info:
            s.search(" ".join(vocab[:1500]))
        assert info.value.message == (
            f"the query seeks 1,500 different words, more than {MAX_QUERY_WORDS:,}"
        )
        assert info.value.hint == "search with fewer words: the most telling ones"
        with pytest.raises(QueryError) as info:
            s.search(f"{vocab[0]} AND *")
        assert info.value.hint.startswith("drop the `*`")
        assert s.search("*").total == s.search("").total == 3000
        # every way in is guarded, not only search(): analytics, highlighting
        assert len(s.matching("*")) == 3000
        with pytest.raises(QueryError):
            s.matching("*a*")
        with pytest.raises(QueryError):
            s.highlight_terms("*a*")


@pytest.fixture
def one_segment(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    for i in range(20):
        (root / f"{i:02d}.txt").write_text(f"Cocoa {i}\n\nCocoa report number {i}.\n")
    index_dir = tmp_path / "index"
    build([root], index_dir, settings=Settings(entities=False, batch_size=100))
    return index_dir


def test_a_search_cut_short_by_the_time_limit_is_marked_partial(one_segment: Path) -> None:
    with Searcher(one_segment, Settings(time_limit=1e-9)) as s:
        res = s.search("cocoa")
        assert res.partial and res.total == len(res.hits) == 1
        assert res.to_dict()["partial"] is True
        assert "partial results (time limit)" in render.summary(res).plain
        assert res.corrected is None
        shell = Shell(s)
        out = shell.handle("cocoa")
        console = Console(file=StringIO(), width=100)
        console.print(out.renderable)
        assert "partial results (time limit)" in console.file.getvalue()  # type: ignore[attr-defined]
    with Searcher(one_segment) as s:
        res = s.search("cocoa")
        assert not res.partial and res.total == 20 and res.to_dict()["partial"] is False


def test_the_time_limit_and_batch_size_come_from_the_environment(
    one_segment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert Settings.from_env().time_limit == Settings().time_limit == 2.0
    monkeypatch.setenv("SEARCH_BATCH_SIZE", "7")
    monkeypatch.setenv("SEARCH_TIME_LIMIT", "1e-9")
    assert (Settings.from_env().batch_size, Settings.from_env().time_limit) == (7, 1e-9)
    assert main(["--index", str(one_segment), "query", "cocoa"]) == 0
    assert "partial results (time limit)" in capsys.readouterr().out
    assert main(["--index", str(one_segment), "query", "cocoa", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["partial"] is True
    for bad in ("0", "-1", "soon", "nan"):
        monkeypatch.setenv("SEARCH_TIME_LIMIT", bad)
        assert Settings.from_env().time_limit == 2.0
    monkeypatch.setenv("SEARCH_BATCH_SIZE", "0")
    assert Settings.from_env().batch_size == 1
    monkeypatch.setenv("SEARCH_BATCH_SIZE", "many")
    assert Settings.from_env().batch_size == 500


def test_snippets_of_a_huge_document_stay_within_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a trial's 60 MB document (admitted by a raised SEARCH_MAX_FILE_BYTES) made a query take
    # 4.4 s past a 2 s limit, all of it in snippets; the work per hit is bounded now
    from search.query import snippets

    root = tmp_path / "docs"
    root.mkdir()
    sentence = "Cocoa prices rose while the harvest talks went on. "
    huge = sentence * (3 * snippets.SCAN_CHARS // len(sentence))
    (root / "huge.txt").write_text(f"Huge\n\n{huge}Deep in the file: a summit.\n")
    for i in range(3):
        (root / f"{i}.txt").write_text(f"Short {i}\n\nCocoa and a summit, number {i}.\n")
    index_dir = tmp_path / "index"
    build([root], index_dir, settings=Settings(entities=False, max_file_bytes=len(huge) * 2))
    scanned: list[int] = []
    real = snippets.match_spans

    def measuring(text: str, matcher: Any) -> Any:
        scanned.append(len(text))
        return real(text, matcher)

    monkeypatch.setattr(snippets, "match_spans", measuring)
    with Searcher(index_dir) as s:
        res = s.search("cocoa harvest")
        (hit,) = [h for h in res.hits if h.id == "huge.txt"]
        assert len(hit.snippets) == 3 and all("Cocoa" in f.text for f in hit.snippets)
        assert max(scanned) <= snippets.SCAN_CHARS
        scanned.clear()
        # a match deep inside is still found, a window at a time, while there is time
        res = s.search("summit")
        (hit,) = [h for h in res.hits if h.id == "huge.txt"]
        assert any(f.text[a:b] == "summit" for f in hit.snippets for a, b in f.spans)
        assert max(scanned) <= snippets.SCAN_CHARS and len(scanned) > 3
        scanned.clear()
    with Searcher(index_dir, Settings(time_limit=1e-9)) as s:  # time is up before snippets
        res = s.search("cocoa OR summit", limit=10)
        assert res.hits and max(scanned) <= snippets.LATE_SCAN_CHARS
        assert all(h.snippets for h in res.hits)
