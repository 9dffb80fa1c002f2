"""Tests for the public API in search/__init__.py: its names, its cost, its conveniences."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import search
from search.config import Settings

PUBLIC = [
    "Cooccurrence",
    "CorpusError",
    "Duplicate",
    "DuplicateCluster",
    "Explanation",
    "FacetCount",
    "Fragment",
    "Hit",
    "IndexDamagedError",
    "IndexInfo",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexStats",
    "IndexVersionError",
    "ModelError",
    "QueryError",
    "SearchError",
    "SearchResults",
    "Searcher",
    "Settings",
    "Significant",
    "Skip",
    "StoredDocument",
    "TermScore",
    "Timeline",
    "TimelineBucket",
    "build",
    "cooccurrence",
    "hits",
    "open",
    "search",
    "significant",
    "timeline",
]


def test_public_names_are_locked() -> None:
    assert sorted(search.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(search, name) is not None


def test_every_public_error_is_a_search_error_with_a_hint() -> None:
    errors = [getattr(search, n) for n in PUBLIC if n.endswith("Error")]
    assert len(errors) == 8
    for error in errors:
        assert issubclass(error, search.SearchError)
        assert error.__doc__
    err = search.IndexLockedError("the index is busy", hint="wait")
    # str() is the message only: a caller printing message and hint shows the hint once
    assert str(err) == "the index is busy"
    assert (err.message, err.hint) == ("the index is busy", "wait")


HEAVY = ("spacy", "thinc", "whoosh", "rich", "prompt_toolkit", "selectolax", "numpy",
         "pathspec")


@pytest.mark.parametrize("module", ["search", "search.cli"])
def test_importing_the_package_is_cheap(module: str) -> None:
    code = (f"import sys, {module}; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_result_types_are_frozen() -> None:
    hit = search.Hit(rank=1, id="a", title="A", path="a", score=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.title = "B"  # type: ignore[misc]


def test_build_open_and_search(tmp_path: Path, news_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(entities=False)
    stats = search.build(str(news_dir), tmp_path / "index", settings=settings)
    assert isinstance(stats, search.IndexStats) and stats.indexed == 9

    with search.open(tmp_path / "index") as s:
        res = s.search("summit", limit=2)
        assert isinstance(res, search.SearchResults) and res.total == 4
        doc = s.document(res.hits[0].id)
    assert isinstance(doc, search.StoredDocument) and "summit" in doc.text.lower()

    res = search.search("summit NOT kyiv", index=tmp_path / "index", limit=1)
    assert res.total == 3 and len(res.hits) == 1
    json.dumps(res.to_dict())

    monkeypatch.setenv("SEARCH_INDEX", str(tmp_path / "index"))
    assert search.search("python").hits[0].id == "python.md"


def test_build_updates_incrementally(tmp_path: Path, news_dir: Path) -> None:
    settings = Settings(entities=False)
    search.build([news_dir], tmp_path / "index", settings=settings)
    (news_dir / "python.md").unlink()
    stats = search.build([news_dir], tmp_path / "index", settings=settings)
    assert (stats.indexed, stats.removed, stats.documents) == (0, 1, 8)


def test_errors_are_catchable_as_search_error(tmp_path: Path) -> None:
    with pytest.raises(search.SearchError) as info:
        search.open(tmp_path / "nothing-here")
    assert isinstance(info.value, search.IndexNotFoundError)
    with pytest.raises(search.CorpusError) as corpus:
        search.build(tmp_path / "no-such-folder", tmp_path / "index", settings=Settings(entities=False))
    assert "no-such-folder" in corpus.value.message and corpus.value.hint
