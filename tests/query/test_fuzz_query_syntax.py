"""Query syntax fuzzed by its grammar: boosts, fuzzy words, ranges, fields and groups.

`test_robustness_queries` throws token soup at the parser; this builds queries the way a
user writes them, with the numbers in them drawn from the edges (0, 0.000, huge digit
strings, tiny decimals), which is where `brown^0` divided by zero and ended pipe sessions.
Only results or a `QueryError` with a hint may come back, through the API and the pipe.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NEWS_NAMES, DictExtractor, fake_settings, write_news
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from search.errors import IndexDamagedError, QueryError
from search.index.indexer import build
from search.query.parsing import MAX_BOOST
from search.query.searcher import Searcher
from search.terminal.commands import Shell
from search.terminal.pipe import run_pipe

WORDS = ["summit", "talks", "nato", "putin", "kyiv", "oil", "prices", "vote", "brown"]
FIELDS = ["", "title:", "body:", "person:", "place:", "org:", "date:", "source:", "who:"]

# numbers as typed: the edges first
numbers = st.one_of(
    st.sampled_from(["0", "0.0", "0.000", "00", ".0", "1", "2", "0.5", ".5", "1e3", "-1",
                     "1000000", "1000001", "9" * 400, "0." + "0" * 30 + "1"]),
    st.integers(0, 10**30).map(str),
    st.floats(0, 1e9, allow_nan=False).map(lambda f: f"{f:.6f}"),
)
words = st.one_of(st.sampled_from(WORDS), st.text("abcdefghij", min_size=1, max_size=8))
atoms = st.one_of(
    words,
    st.builds(lambda w: f"{w}*", words),
    st.builds(lambda w, n: f"{w}~{n}", words, st.sampled_from(["", "0", "1", "2", "9", "0.5"])),
    st.builds(lambda a, b: f'"{a} {b}"', words, words),
    st.builds(lambda a, b, o, c: f"{o}{a} TO {b}{c}", words, words,
              st.sampled_from("[{"), st.sampled_from("]}")),
    st.sampled_from(["date:2024", "date:[2024 TO]", "date:>2023-01-01", "date:[TO 2023]"]),
)
leaves = st.builds(lambda f, a, b: f"{f}{a}{b}", st.sampled_from(FIELDS), atoms,
                   st.one_of(st.just(""), numbers.map(lambda n: f"^{n}")))
query_syntax = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda a, op, b: f"{a} {op} {b}", inner,
                  st.sampled_from(["", "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"]), inner),
        st.builds(lambda a, n: f"({a}){n}", inner,
                  st.one_of(st.just(""), numbers.map(lambda n: f"^{n}"))),
    ),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def news_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("syntax")
    index_dir = base / "index"
    build([write_news(base / "news")], index_dir, settings=fake_settings(),
          extractor=DictExtractor(NEWS_NAMES))
    return index_dir


@pytest.fixture(scope="module")
def searcher(news_index: Path) -> Iterator[Searcher]:
    with Searcher(news_index) as s:
        yield s


@pytest.mark.parametrize("query", ["summit^0", "summit^0.000", "(summit talks)^0",
                                   "summit^0 talks", "title:summit^0", '"summit talks"^0',
                                   "talk*^0", f"summit^{'9' * 400}", "summit^1000001"])
def test_a_boost_of_zero_or_too_large_is_refused_with_a_hint(
    searcher: Searcher, query: str
) -> None:
    with pytest.raises(QueryError) as caught:
        searcher.search(query)
    assert "is not a number between 0 and 1,000,000" in caught.value.message
    assert caught.value.hint.startswith("boost a word by a positive number")


@pytest.mark.parametrize("boost", ["0.0001", "0.5", "3", str(int(MAX_BOOST))])
def test_any_other_boost_is_honoured(searcher: Searcher, boost: str) -> None:
    plain = searcher.search("summit OR oil")
    boosted = searcher.search(f"summit^{boost} OR oil")
    assert boosted.total == plain.total
    assert all(h.score == h.score and h.score < float("inf") for h in boosted.hits)
    if float(boost) > 1:  # summit outranks oil now
        assert "summit" in boosted.hits[0].title.lower() + "".join(
            f.text.lower() for f in boosted.hits[0].snippets
        )


def test_a_refused_boost_in_a_pipe_does_not_end_the_session(searcher: Searcher) -> None:
    out, err = io.StringIO(), Console(file=io.StringIO())
    code = run_pipe(Shell(searcher), ["summit^0", "summit"], Console(file=io.StringIO()),
                    True, out, err)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert code == 1 and first["query"] == "summit^0" and "boost" in first["error"]
    assert second["total"] == searcher.search("summit").total > 0


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=query_syntax, sort=st.sampled_from(["score", "date"]))
def test_any_query_in_the_syntax_gives_results_or_a_query_error(
    searcher: Searcher, query: str, sort: str
) -> None:
    try:
        res = searcher.search(query, sort=sort, limit=5)
    except QueryError as exc:
        assert exc.message and exc.hint
        return
    assert not isinstance(res, IndexDamagedError)
    assert all(h.score == h.score for h in res.hits), "a score is NaN"
    assert 0 <= len(res.hits) <= 5 and res.total >= len(res.hits)
