"""Tests for `.searchignore` in search.ingest.corpus: gitignore patterns at a corpus root leave
files out, counted as ignored rather than reported as skips."""

from __future__ import annotations

from pathlib import Path

from conftest import NEWS_IDS, write_news

from search.config import Settings
from search.index.indexer import build
from search.ingest.corpus import Corpus, corpus_path


def _tree(root: Path) -> Path:
    write_news(root)
    for rel, text in {
        "drafts/plan.txt": "Draft plan\n\nA draft about the summit.",
        "drafts/keep/final.txt": "Final plan\n\nThe final word on the summit.",
        "archive/2019/old.txt": "Old news\n\nAn old summit report.",
        "archive/notes.tmp.txt": "Notes\n\nScratch notes on the summit.",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _ids(corpus: Corpus) -> set[str]:
    return {d.id for d in corpus.documents()}


def test_without_an_ignore_file_everything_is_read(tmp_path: Path) -> None:
    corpus = Corpus([_tree(tmp_path / "c")])
    assert _ids(corpus) == set(NEWS_IDS) | {
        "drafts/plan.txt", "drafts/keep/final.txt", "archive/2019/old.txt",
        "archive/notes.tmp.txt"}
    assert corpus.ignored == 0


def test_gitignore_patterns_leave_files_and_folders_out(tmp_path: Path) -> None:
    root = _tree(tmp_path / "c")
    (root / ".searchignore").write_text(
        "# scratch files anywhere, one folder, and a file only at the top\n"
        "*.tmp.txt\n"
        "archive/2019/\n"
        "/odd-text.txt\n"
        "drafts/*\n"
        "!drafts/keep/\n",
        encoding="utf-8",
    )
    corpus = Corpus([root])
    assert _ids(corpus) == set(NEWS_IDS) - {"odd-text.txt"} | {"drafts/keep/final.txt"}
    # notes.tmp.txt, archive/2019/, odd-text.txt, drafts/plan.txt: not skips, no reasons
    assert corpus.ignored == 4
    assert all("ignore" not in s.reason for s in corpus.skipped)


def test_ignored_files_are_counted_in_the_stats_and_leave_the_index(tmp_path: Path) -> None:
    root = _tree(tmp_path / "c")
    settings = Settings(entities=False)
    first = build([root], tmp_path / "index", settings=settings)
    assert first.ignored == 0 and first.documents == len(NEWS_IDS) + 4
    (root / ".searchignore").write_text("drafts/\narchive/\n", encoding="utf-8")
    second = build([root], tmp_path / "index", settings=settings)
    assert (second.ignored, second.removed, second.documents) == (2, 4, len(NEWS_IDS))
    assert second.to_dict()["ignored"] == 2
    assert len(second.skipped) == len(first.skipped) == 1  # the broken JSON line, only


def test_each_root_has_its_own_ignore_file(tmp_path: Path) -> None:
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    (one / ".searchignore").write_text("drafts/\n", encoding="utf-8")
    ids = _ids(corpus := Corpus([one, two]))
    assert "one/drafts/plan.txt" not in ids and "two/drafts/plan.txt" in ids
    assert "one/archive/2019/old.txt" in ids and corpus.ignored == 1


def test_corpus_path_names_a_file_as_the_walk_does(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert corpus_path(one / "drafts" / "plan.txt", [one]) == "drafts/plan.txt"
    assert corpus_path(two / "drafts" / "plan.txt", [one, two]) == "two/drafts/plan.txt"
    assert corpus_path(one / "python.md", [one / "python.md"]) == "python.md"
    assert corpus_path(tmp_path / "elsewhere.txt", [one, two]) is None
    monkeypatch.chdir(one)
    assert corpus_path(Path("drafts/../python.md"), [one]) == "python.md"
    (tmp_path / "link").symlink_to(one)
    assert corpus_path(tmp_path / "link" / "python.md", [one]) == "python.md"
    every = {corpus_path(tmp_path / d.path, [one, two]) for d in Corpus([one, two]).documents()
             if d.path.startswith("one/")}
    assert every == {d.path for d in Corpus([one, two]).documents() if d.path.startswith("one/")}
