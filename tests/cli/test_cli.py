"""Tests for search.cli: commands, JSON lines, and friendly errors on stderr."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from search.cli import build_parser, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def json_lines(out: str) -> list[Any]:
    lines = out.splitlines()
    assert lines and all(line.startswith("{") for line in lines)
    return [json.loads(line) for line in lines]


def flat(out: str) -> str:
    return " ".join(out.split())


def test_index_then_update_without_entities(
    capsys: pytest.CaptureFixture[str], news_dir: Path, tmp_path: Path
) -> None:
    index = str(tmp_path / "cli-index")
    code, out, err = run(capsys, "index", str(news_dir), "--index", index, "--no-entities")
    # stderr is not a terminal here: progress comes as plain lines, the first and the last
    assert code == 0
    assert [line.split(",")[0] for line in err.splitlines()] == [
        "text: 0/9 documents", "text: 9/9 documents"]
    assert flat(out).startswith("indexed 9, unchanged 0, removed 0, skipped 1 · 9 documents")
    assert "entities: off" in out
    assert "skipped wires.jsonl:3: invalid JSON" in flat(out)
    code, out, _ = run(capsys, "index", "--index", index, "--no-entities", "--json")
    (stats,) = json_lines(out)
    assert (stats["indexed"], stats["unchanged"], stats["documents"]) == (0, 9, 9)
    assert stats["skipped"][0] == {"path": "wires.jsonl", "line": 3, "reason": stats["skipped"][0]["reason"]}
    code, out, _ = run(capsys, "query", "python", "--index", index, "--json")
    assert [h["id"] for h in json_lines(out)[0]["hits"]] == ["python.md"]


def test_query_prints_ranked_hits_snippets_and_facets(
    capsys: pytest.CaptureFixture[str], news_index: Path
) -> None:
    code, out, err = run(capsys, "query", "person:putin", "talks", "--index", str(news_index))
    assert code == 0 and err == ""
    text = flat(out)
    assert text.startswith("1 hit in ")
    assert "1. Scholz calls Putin over Ukraine" in text
    assert "Putin's spokesman in the Kremlin described the talks as frank." in text
    assert "People Places Organisations" in text


def test_query_json_is_one_object(capsys: pytest.CaptureFixture[str], news_index: Path) -> None:
    code, out, _ = run(capsys, "query", "summit", "--index", str(news_index), "--json",
                       "--limit", "2", "--page", "2")
    (res,) = json_lines(out)
    assert code == 0
    assert (res["query"], res["total"], res["page"], res["pagecount"]) == ("summit", 4, 2, 2)
    assert len(res["hits"]) == 2 and [h["rank"] for h in res["hits"]] == [3, 4]
    assert all(h["snippets"] and h["snippets"][0]["spans"] for h in res["hits"])


def test_query_filters_sort_and_plain(capsys: pytest.CaptureFixture[str], news_index: Path) -> None:
    index = str(news_index)
    _, out, _ = run(capsys, "query", "", "--index", index, "--json",
                    "--person", "Olaf Scholz", "--place", "Berlin")
    (res,) = json_lines(out)
    assert [h["id"] for h in res["hits"]] == ["zelensky-berlin.txt"]
    assert res["filters"] == {"person": ["Olaf Scholz"], "place": ["Berlin"]}
    _, out, _ = run(capsys, "query", "summit", "--index", index, "--json", "--sort", "date")
    assert [h["date"] for h in json_lines(out)[0]["hits"]] == [
        "2024-09-01", "2024-05-20", "2024-02-10", "2023-11-11"]
    _, out, _ = run(capsys, "query", 'What is AND (this): "odd" text?', "--plain", "--index", index, "--json")
    assert [h["id"] for h in json_lines(out)[0]["hits"]] == ["odd-text.txt"]
    _, out, _ = run(capsys, "query", "summit", "--facets", "0", "--index", index, "--json")
    assert json_lines(out)[0]["facets"] == {}


def test_did_you_mean_is_shown(capsys: pytest.CaptureFixture[str], news_index: Path) -> None:
    _, out, _ = run(capsys, "query", "scholtz", "--index", str(news_index))
    assert "Did you mean: scholz" in out


def test_facets(capsys: pytest.CaptureFixture[str], news_index: Path) -> None:
    code, out, _ = run(capsys, "facets", "--index", str(news_index), "--json")
    rows = json_lines(out)
    assert code == 0 and {r["facet"] for r in rows} == {"person", "place", "org"}
    assert {"facet": "org", "value": "Nato", "count": 4} in rows
    _, out, _ = run(capsys, "facets", "org", "--limit", "1", "--index", str(news_index), "--json")
    assert json_lines(out) == [{"facet": "org", "value": "Nato", "count": 4}]
    _, out, _ = run(capsys, "facets", "place", "--index", str(news_index))
    # London: market report, python.md, w1; Ukraine: scholz-putin, w1, w4; Kyiv: scholz-putin, w2
    assert flat(out) == "Places London 3 Ukraine 3 Kyiv 2 Berlin 1 Moscow 1"


def test_show(capsys: pytest.CaptureFixture[str], news_index: Path) -> None:
    code, out, _ = run(capsys, "show", "wires.jsonl#w2", "--index", str(news_index), "--json")
    (doc,) = json_lines(out)
    assert code == 0
    assert doc["title"] == "Allies pledge support" and doc["entities"]["org"] == ["Nato"]
    code, out, _ = run(capsys, "show", "wires.jsonl#w2", "--query", "summit", "--index", str(news_index))
    assert flat(out) == ("Allies pledge support wires.jsonl#w2 · 2024-05-20 · Wire "
                         "Places: Kyiv Organisations: Nato "
                         "NATO ministers pledged more support for Kyiv after the summit.")


def test_show_why(capsys: pytest.CaptureFixture[str], news_index: Path) -> None:
    code, out, _ = run(capsys, "show", "wires.jsonl#w2", "--index", str(news_index), "--why")
    assert code == 0
    assert "Why these entities:" in out and "NATO ORG" in out and "org: Nato" in out
    code, out, _ = run(
        capsys, "show", "wires.jsonl#w2", "--index", str(news_index), "--why", "--json")
    (doc,) = json_lines(out)
    assert {(f["text"], f["type"], f["value"]) for f in doc["why"]} >= {("NATO", "org", "Nato")}


def test_info(capsys: pytest.CaptureFixture[str], news_index: Path) -> None:
    code, out, _ = run(capsys, "info", "--index", str(news_index), "--json")
    (info,) = json_lines(out)
    assert code == 0
    assert (info["documents"], info["model"], info["entities"]) == (9, "fake:dict", True)
    _, out, _ = run(capsys, "info", "--index", str(news_index))
    assert "documents 9" in flat(out) and "entities fake:dict" in flat(out)


def test_index_folder_from_environment_or_before_the_command(
    capsys: pytest.CaptureFixture[str], news_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run(capsys, "--index", str(news_index), "info", "--json")
    assert json_lines(out)[0]["documents"] == 9
    _, out, _ = run(capsys, "--index", str(news_index), "--json", "query", "python")
    assert json_lines(out)[0]["total"] == 1
    monkeypatch.setenv("SEARCH_INDEX", str(news_index))
    _, out, _ = run(capsys, "info", "--json")
    assert json_lines(out)[0]["path"] == str(news_index)


@pytest.mark.parametrize("argv, message, hint", [
    (["info"], "error: no index in {missing}/", "search index"),
    (["query", "putin"], "error: no index in {missing}/", "search index"),
    (["facets"], "error: no index in {missing}/", "search index"),
    (["show", "a.txt"], "error: no index in {missing}/", "search index"),
])
def test_missing_index_is_a_friendly_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str, hint: str
) -> None:
    missing = tmp_path / "missing"
    code, out, err = run(capsys, *argv, "--index", str(missing))
    assert code == 1 and out == ""
    assert flat(err).startswith(message.format(missing=missing))
    assert f"hint: build one with `{hint}" in flat(err)
    assert "Traceback" not in err


@pytest.mark.parametrize("argv, message, hint", [
    (["query", "colour:red"], "error: unknown field 'colour' in the query 'colour:red'",
     'put it in quotes: "colour: ..."'),
    (["show", "nope.txt"], "error: no document with id 'nope.txt'", "search query ... --json"),
])
def test_bad_requests_are_friendly_errors(
    capsys: pytest.CaptureFixture[str], news_index: Path, argv: list[str], message: str, hint: str
) -> None:
    code, out, err = run(capsys, *argv, "--index", str(news_index))
    assert code == 1 and out == ""
    assert flat(err).startswith(message)
    assert "hint: " in err and hint in flat(err)
    assert "Traceback" not in err


def test_entity_filters_on_an_index_without_entities_are_errors(
    capsys: pytest.CaptureFixture[str], news_dir: Path, tmp_path: Path
) -> None:
    index = str(tmp_path / "bare")
    run(capsys, "index", str(news_dir), "--index", index, "--no-entities")
    for argv, named in [
        (["query", "talks", "--person", "Vladimir Putin"], "the filter person=Vladimir Putin"),
        (["query", "person:putin"], "the query 'person:putin'"),
    ]:
        code, out, err = run(capsys, *argv, "--index", index)
        assert code == 1 and out == ""
        assert flat(err).startswith(f"error: {named} cannot match: this index has no entities")
        assert "hint: rebuild it with entities, `search index --rebuild`" in flat(err)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", "x", "--sort", "title")
    assert code == 2 and out == ""
    assert "invalid choice" in err


@pytest.mark.parametrize(
    ("argv", "message", "usage"),
    [
        (["query"], "error: search query: the following arguments are required: text",
         "usage: search query [-h]"),
        (["facets", "--limit", "x"],
         "error: search facets: argument -n/--limit: 'x' is not a whole number",
         "usage: search facets [-h]"),
        (["query", "x", "--bogus"], "error: search query: unrecognized arguments: --bogus",
         "usage: search query [-h]"),
        (["show", "a", "--bogus"], "error: search show: unrecognized arguments: --bogus",
         "usage: search show [-h]"),
        (["eval"], "error: search eval: the following arguments are required: DIR",
         "usage: search eval [-h]"),
        (["--bogus"], "error: search: unrecognized arguments: --bogus",
         "usage: search [-h]"),
    ],
)
def test_usage_errors_read_like_every_other_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str, usage: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    first, hint = err.splitlines()[0], flat(err).split(" hint: ", 1)[1]
    assert first == message
    command = " ".join(["search", *argv[:1]]) if not argv[0].startswith("-") else "search"
    assert hint.startswith(f"see `{command} --help`; {usage}")
    assert "usage:" not in err.split("hint:")[0]  # no raw argparse text before the error


def test_every_command_and_option_has_help() -> None:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(sub.choices) >= {"index", "query", "facets", "show", "info"}
    helps = {a.dest: a.help for a in sub._choices_actions}
    for name, command in sub.choices.items():
        assert helps.get(name), f"command {name} has no help"
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"


def test_count_options_are_checked_before_anything_runs(
    capsys: pytest.CaptureFixture[str], news_index: Path
) -> None:
    for argv, message in [
        (["query", "x", "--page", "0"], "argument --page: 0 is less than 1"),
        (["query", "x", "--facets", "-1"], "argument --facets: -1 is less than 0"),
        (["facets", "--limit", "many"], "argument -n/--limit: 'many' is not a whole number"),
    ]:
        code, _, err = run(capsys, "--index", str(news_index), *argv)
        assert code == 2
        assert message in err
