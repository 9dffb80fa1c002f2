"""Tests for search.analytics.saved: saved searches kept beside the index, watches, and to_python scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DictExtractor, fake_settings

from search.analytics.saved import (
    SAVED_FILE,
    SavedSearch,
    get_saved,
    load_saved,
    save_search,
    to_python,
    watch,
)
from search.errors import SearchError
from search.index.indexer import build
from search.query.searcher import Searcher

NAMES = {"Olaf Scholz": "PERSON", "Vladimir Putin": "PERSON", "Berlin": "GPE", "Kyiv": "GPE",
         "Moscow": "GPE", "Nato": "ORG"}
RECORDS = [
    {"id": "a", "title": "Scholz in Berlin", "date": "2024-01-02",
     "text": "Olaf Scholz spoke about the summit in Berlin."},
    {"id": "b", "title": "Putin in Moscow", "date": "2024-01-05",
     "text": "Vladimir Putin held a summit in Moscow."},
    {"id": "c", "title": "Nato in Kyiv", "date": "2024-02-01",
     "text": "Nato ministers visited Kyiv after the summit."},
    {"id": "d", "title": "Rain", "text": "Rain in Berlin all week."},
]


def write(corpus: Path, name: str, records: list[dict[str, Any]]) -> None:
    corpus.mkdir(exist_ok=True)
    (corpus / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def index(corpus: Path, index_dir: Path) -> None:
    build([corpus], index_dir, settings=fake_settings(), extractor=DictExtractor(NAMES))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    write(tmp_path / "corpus", "news.jsonl", RECORDS)
    return tmp_path / "corpus"


@pytest.fixture
def index_dir(tmp_path: Path, corpus: Path) -> Path:
    index(corpus, tmp_path / "index")
    return tmp_path / "index"


@pytest.fixture
def searcher(index_dir: Path) -> Iterator[Searcher]:
    with Searcher(index_dir) as s:
        yield s


# Saving and loading


def test_save_remembers_the_search_and_what_it_matches_now(searcher: Searcher) -> None:
    stored = save_search(searcher, SavedSearch("summits", "summit", where={"place": ["Berlin"]}))
    assert stored.seen == ("news.jsonl#a",)
    assert stored.checked is not None
    assert load_saved(searcher.index_dir) == {"summits": stored}
    assert get_saved(searcher, "summits") == stored
    assert (searcher.index_dir / SAVED_FILE).is_file()


def test_saving_under_a_used_name_replaces_it_and_others_stay(searcher: Searcher) -> None:
    save_search(searcher, SavedSearch("one", "summit"))
    save_search(searcher, SavedSearch("two", "rain"))
    save_search(searcher, SavedSearch("one", "nato"))
    saved = load_saved(searcher.index_dir)
    assert sorted(saved) == ["one", "two"]
    assert saved["one"].query == "nato"
    assert saved["one"].seen == ("news.jsonl#c",)


def test_saved_searches_outlive_the_searcher(index_dir: Path) -> None:
    with Searcher(index_dir) as s:
        save_search(s, SavedSearch("no-berlin", "summit", exclude={"place": ["Berlin"]},
                                   sort="date"))
    with Searcher(index_dir) as s:
        again = get_saved(s, "no-berlin")
    assert (again.query, again.exclude, again.sort) == ("summit", {"place": ["Berlin"]}, "date")
    assert again.seen == ("news.jsonl#b", "news.jsonl#c")


@pytest.mark.parametrize("name", ["putin calls", "", "a/b", "x.y", "-"])
def test_unusable_names_are_refused_with_a_hint(searcher: Searcher, name: str) -> None:
    with pytest.raises(SearchError, match="is not a usable name") as exc:
        save_search(searcher, SavedSearch(name, "summit"))
    assert "letters, digits, - and _" in exc.value.hint
    assert load_saved(searcher.index_dir) == {}


def test_names_with_dashes_underscores_and_digits_are_fine(searcher: Searcher) -> None:
    for name in ("putin-calls", "putin_calls_2", "Q3"):
        save_search(searcher, SavedSearch(name, "summit"))
    assert sorted(load_saved(searcher.index_dir)) == ["Q3", "putin-calls", "putin_calls_2"]


def test_an_unknown_name_lists_the_saved_ones(searcher: Searcher) -> None:
    with pytest.raises(SearchError, match="no saved search called 'nope'") as exc:
        get_saved(searcher, "nope")
    assert "none yet" in exc.value.hint
    save_search(searcher, SavedSearch("summits", "summit"))
    save_search(searcher, SavedSearch("rain", "rain"))
    with pytest.raises(SearchError) as exc:
        watch(searcher, "nope")
    assert "saved searches: rain, summits" in exc.value.hint


@pytest.mark.parametrize("content", ["{not json", "[]", '{"x": 3}',
                                     '{"x": {"name": "x", "colour": "red"}}'])
def test_a_damaged_saved_searches_file_is_an_error_naming_it(
    searcher: Searcher, content: str
) -> None:
    path = searcher.index_dir / SAVED_FILE
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SearchError, match="cannot read the saved searches") as exc:
        load_saved(searcher.index_dir)
    assert exc.value.hint == f"fix or delete {path}"
    with pytest.raises(SearchError, match="cannot read the saved searches"):
        save_search(searcher, SavedSearch("summits", "summit"))
    assert path.read_text(encoding="utf-8") == content  # never overwritten


# Watches


def test_watch_reports_only_documents_new_since_the_last_check(
    tmp_path: Path, corpus: Path, index_dir: Path
) -> None:
    with Searcher(index_dir) as s:
        first = save_search(s, SavedSearch("summits", "summit"))
        assert first.seen == ("news.jsonl#a", "news.jsonl#b", "news.jsonl#c")
        nothing = watch(s, "summits")
        assert (nothing.name, nothing.total, nothing.new) == ("summits", 0, ())
        assert nothing.previous_check == first.checked

        write(corpus, "more.jsonl", [
            {"id": "e", "title": "Another summit", "date": "2024-03-01",
             "text": "Olaf Scholz called a summit."},
            {"id": "f", "title": "Weather", "text": "Snow in Kyiv."},
        ])
        stats = build([corpus], index_dir, settings=fake_settings(),
                      extractor=DictExtractor(NAMES))
        assert (stats.indexed, stats.unchanged) == (2, 4)  # incremental: only the new file

        # the open searcher picks the new documents up by itself
        report = watch(s, "summits")
        assert report.total == 1
        assert [h.id for h in report.new] == ["more.jsonl#e"]
        assert report.new[0].title == "Another summit"
        assert report.new[0].entities["person"] == ("Olaf Scholz",)
        assert watch(s, "summits").total == 0

    with Searcher(index_dir) as s:
        assert watch(s, "summits").new == ()
        assert get_saved(s, "summits").seen == (
            "more.jsonl#e", "news.jsonl#a", "news.jsonl#b", "news.jsonl#c")


def test_watch_keeps_the_filters_and_ignores_changes_to_seen_documents(
    corpus: Path, index_dir: Path
) -> None:
    with Searcher(index_dir) as s:
        save_search(s, SavedSearch("berlin", where={"place": ["Berlin"]}))
        assert get_saved(s, "berlin").seen == ("news.jsonl#a", "news.jsonl#d")
    changed = [dict(r, text=r["text"] + " Updated.") if r["id"] == "a" else r for r in RECORDS]
    write(corpus, "news.jsonl", changed)
    write(corpus, "more.jsonl", [
        {"id": "g", "title": "Berlin wall", "text": "Tourists in Berlin."},
        {"id": "h", "title": "Moscow", "text": "Snow in Moscow."},
    ])
    index(corpus, index_dir)
    with Searcher(index_dir) as s:
        report = watch(s, "berlin")
    assert [h.id for h in report.new] == ["more.jsonl#g"]


def test_watch_limit_caps_the_hits_but_not_the_count(corpus: Path, index_dir: Path) -> None:
    with Searcher(index_dir) as s:
        save_search(s, SavedSearch("summits", "summit"))
    write(corpus, "more.jsonl", [
        {"id": f"n{i}", "title": f"Summit {i}", "text": "Another summit."} for i in range(5)])
    index(corpus, index_dir)
    with Searcher(index_dir) as s:
        report = watch(s, "summits", limit=2)
    assert report.total == 5
    assert len(report.new) == 2
    assert {h.id for h in report.new} <= {f"more.jsonl#n{i}" for i in range(5)}


# to_python


def run_script(code: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    "saved",
    [
        SavedSearch("plain", "summit"),
        SavedSearch("filtered", "summit", where={"place": ["Berlin", "Moscow"]},
                    exclude={"person": ["Vladimir Putin"]}, sort="date"),
        SavedSearch("quoted", '"the summit" OR rain'),
        SavedSearch("everything"),
    ],
    ids=lambda s: s.name,
)
def test_to_python_prints_what_the_api_finds(
    tmp_path: Path, searcher: Searcher, saved: SavedSearch
) -> None:
    code = to_python(saved, searcher.index_dir)
    compile(code, "<to_python>", "exec")
    expected = searcher.search(saved.query, where=saved.where or None,
                               exclude=saved.exclude or None, sort=saved.sort)
    lines = run_script(code, tmp_path).splitlines()
    assert lines[0] == f"{expected.total} hits"
    assert lines[1:1 + len(expected.hits)] == [
        f"{h.rank} {h.id} {h.title}" for h in expected.hits]
    facet_lines = lines[1 + len(expected.hits):]
    assert [line.split()[0] for line in facet_lines] == list(expected.facets)


def test_to_python_from_a_saved_search_round_trips_its_filters(
    tmp_path: Path, searcher: Searcher
) -> None:
    save_search(searcher, SavedSearch("berlin", "summit OR rain", where={"place": ["Berlin"]}))
    code = to_python(get_saved(searcher, "berlin"), searcher.index_dir)
    assert "where={'place': ['Berlin']}" in code
    assert "exclude" not in code and "sort=" not in code
    assert run_script(code, tmp_path).splitlines()[0] == "2 hits"  # a and d
