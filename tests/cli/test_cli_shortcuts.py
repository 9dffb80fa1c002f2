"""Tests for search.cli shortcuts: short flags, `search FOLDER`, paths for ids, page limits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from search.cli import main
from search.cli.commands import folder_index


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def flat(out: str) -> str:
    return " ".join(out.split())


def test_short_flags_mean_the_long_ones(
    capsys: pytest.CaptureFixture[str], news_index: Path
) -> None:
    long = run(capsys, "query", "summit", "--index", str(news_index), "--json", "--limit", "2")
    short = run(capsys, "query", "summit", "-i", str(news_index), "-j", "-n", "2")
    assert short[0] == 0
    longer, shorter = json.loads(long[1]), json.loads(short[1])
    assert [h["id"] for h in shorter["hits"]] == [h["id"] for h in longer["hits"]]
    assert shorter["limit"] == 2 and len(shorter["hits"]) == 2
    # before the command too, and for facets
    code, out, _ = run(capsys, "-i", str(news_index), "-j", "facets", "org", "-n", "1")
    assert code == 0 and json.loads(out) == {"facet": "org", "value": "Nato", "count": 4}


def test_a_page_past_the_end_says_where_results_end_and_fails(
    capsys: pytest.CaptureFixture[str], news_index: Path
) -> None:
    code, out, err = run(capsys, "query", "summit", "-i", str(news_index), "-n", "2",
                         "--page", "3")
    assert code == 1 and out == ""
    assert flat(err) == ("error: there is no page 3: the 4 hits for 'summit' end on page 2 "
                         "hint: pages run from 1 to 2 at --limit 2")
    code, out, _ = run(capsys, "query", "summit", "-i", str(news_index), "-n", "2",
                       "--page", "2", "-j")
    assert code == 0 and json.loads(out)["page"] == 2
    # no hits at all: page 1 is still a page, and says so
    code, out, _ = run(capsys, "query", "zzzqx", "-i", str(news_index), "-j")
    assert code == 0 and json.loads(out)["total"] == 0


def test_show_takes_a_path_absolute_or_relative_as_an_id(
    capsys: pytest.CaptureFixture[str], news_index: Path, news_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    by_id = run(capsys, "show", "python.md", "-i", str(news_index), "-j")
    assert by_id[0] == 0
    code, out, _ = run(capsys, "show", str(news_dir / "python.md"), "-i", str(news_index), "-j")
    assert code == 0 and out == by_id[1]
    monkeypatch.chdir(news_dir.parent)
    code, out, _ = run(capsys, "show", "news/./python.md", "-i", str(news_index), "-j")
    assert code == 0 and out == by_id[1]
    monkeypatch.chdir(news_dir)
    code, out, _ = run(capsys, "show", "python.md", "-i", str(news_index), "-j")
    assert code == 0 and out == by_id[1]


def test_a_path_to_a_file_of_many_documents_is_refused_with_their_ids(
    capsys: pytest.CaptureFixture[str], news_index: Path, news_dir: Path
) -> None:
    code, out, err = run(capsys, "show", str(news_dir / "wires.jsonl"), "-i", str(news_index))
    assert code == 1 and out == ""
    assert flat(err).startswith(f"error: {news_dir / 'wires.jsonl'} holds 4 documents, not one")
    assert "hint: name one by its id: wires.jsonl#w1, wires.jsonl#w2, wires.jsonl#w3, ..." in flat(err)
    code, _, err = run(capsys, "show", str(news_dir.parent / "elsewhere.txt"), "-i",
                       str(news_index))
    assert code == 1 and "no document with id" in err


def test_search_folder_indexes_it_into_its_own_index_then_reads_queries(
    capsys: pytest.CaptureFixture[str], news_dir: Path, monkeypatch: pytest.MonkeyPatch,
    isolated_env: Path,
) -> None:
    monkeypatch.setenv("SEARCH_ENTITIES", "0")
    monkeypatch.setattr("sys.stdin", _Lines("python\n"))
    code, out, err = run(capsys, str(news_dir), "-j")
    assert code == 0
    own = folder_index(news_dir)
    assert own.is_relative_to(isolated_env) and (own / "search-meta.json").is_file()
    assert "indexed 9" in flat(err) and str(own) in err.replace("\n", "")
    (res,) = [json.loads(line) for line in out.splitlines()]
    assert [h["id"] for h in res["hits"]] == ["python.md"]
    # the second time only what changed is indexed, and nothing is said about it
    monkeypatch.setattr("sys.stdin", _Lines("python\n"))
    code, out, err = run(capsys, "open", str(news_dir), "-j")
    assert code == 0 and err == "" and json.loads(out)["total"] == 1


def test_search_folder_with_index_uses_that_folder(
    capsys: pytest.CaptureFixture[str], news_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", _Lines(""))
    code, _, _ = run(capsys, "-i", str(tmp_path / "mine"), str(news_dir), "--no-entities")
    assert code == 0 and (tmp_path / "mine" / "search-meta.json").is_file()
    assert not folder_index(news_dir).exists()


def test_folder_indexes_are_apart_for_folders_named_alike(tmp_path: Path) -> None:
    (tmp_path / "a" / "news").mkdir(parents=True)
    (tmp_path / "b" / "news").mkdir(parents=True)
    first, second = folder_index(tmp_path / "a" / "news"), folder_index(tmp_path / "b" / "news")
    assert first != second and first.name.startswith("news-") and second.name.startswith("news-")
    os.chdir(tmp_path / "a")
    try:
        assert folder_index(Path("news")) == first
    finally:
        os.chdir(tmp_path)


def test_a_word_that_is_not_a_command_nor_a_path_is_still_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["serach"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: search: argument COMMAND: invalid choice: 'serach'")
    assert "hint: see `search --help`" in err


class _Lines:
    """Piped standard input: lines to read, and not a terminal."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines(keepends=True)

    def isatty(self) -> bool:
        return False

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._lines)

    def readline(self) -> str:
        return self._lines.pop(0) if self._lines else ""


def test_a_filter_naming_no_entity_gets_a_did_you_mean(
    capsys: pytest.CaptureFixture[str], news_index: Path
) -> None:
    code, out, _ = run(capsys, "query", "talks", "-i", str(news_index), "--place", "kiyv",
                       "--person", "Olaf Scholz")
    assert code == 0 and flat(out).startswith("0 hits in ")
    assert "Did you mean: --person 'Olaf Scholz' --place Kyiv" in flat(out)
    # a surname alone is no whole value, so as a filter it matches nothing: say which it is
    _, out, _ = run(capsys, "query", "", "-i", str(news_index), "--person", "scholz")
    assert "Did you mean: --person 'Olaf Scholz'" in flat(out)
    _, out, _ = run(capsys, "query", "talks", "-i", str(news_index), "--place", "Kyiv")
    assert "Did you mean" not in out


def test_the_index_summary_counts_ignored_files_apart_from_skips(
    capsys: pytest.CaptureFixture[str], news_dir: Path, tmp_path: Path
) -> None:
    (news_dir / ".searchignore").write_text("python.md\n", encoding="utf-8")
    code, out, _ = run(capsys, "index", str(news_dir), "-i", str(tmp_path / "ix"),
                       "--no-entities")
    assert code == 0
    assert flat(out).startswith("indexed 8, unchanged 0, removed 0, skipped 1, ignored 1 · ")
    assert "python.md" not in out  # left out on purpose: not listed as a skip


def test_a_mistyped_folder_is_an_error_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-folder"
    assert main([str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"error: {missing}: no such folder" in err and "hint: " in err


def test_past_the_end_counts_stories_when_pages_hold_stories(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Pages hold stories while copies are folded: the message counts what pages hold."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    text = "Oil ministers met in Vienna to agree output quotas for the coming quarter. " * 8
    for name in ("a", "b"):
        (corpus / f"{name}.txt").write_text(f"Oil talks\n\n{text}", encoding="utf-8")
    (corpus / "c.txt").write_text("Oil prices\n\nOil prices fell in London trading.\n", encoding="utf-8")
    index = tmp_path / "ix"
    assert main(["index", str(corpus), "-i", str(index), "--no-entities"]) == 0
    capsys.readouterr()
    code, _, err = run(capsys, "query", "oil", "-i", str(index), "-n", "1", "--page", "5")
    assert code == 1 and "the 2 stories for 'oil' end on page 2" in flat(err)
    code, _, err = run(capsys, "query", "oil", "-i", str(index), "-n", "1", "--page", "5", "--all")
    assert code == 1 and "the 3 hits for 'oil' end on page 3" in flat(err)


def test_a_reader_that_leaves_early_ends_the_run_cleanly(tmp_path: Path) -> None:
    """`search ... | head -1` must exit 0 (`set -o pipefail` scripts), whatever the output's size."""
    import subprocess
    import sys

    corpus = tmp_path / "c"
    corpus.mkdir()
    for n in range(300):
        text = f"Harbour report {n}\n\nThe harbour of town {n} reported cargo volume {n * 7} today.\n"
        for copy in ("a", "b"):  # exact copies: `search dupes` lists every pair
            (corpus / f"{n:03}{copy}.txt").write_text(text, encoding="utf-8")
    index = tmp_path / "ix"
    assert main(["index", str(corpus), "-i", str(index), "--no-entities"]) == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", "dupes", "-i", str(index), "-n", "300"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdout.readline()
    proc.stdout.close()  # like `head -1`: the reader goes away
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
