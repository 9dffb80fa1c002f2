"""Tests for `search dupes` and `search query --all` on real BBC articles and edited copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import APPLE_COPIES, write_copies

from search.cli import main


def test_dupes_and_all(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    corpus = write_copies(tmp_path / "corpus")
    index = str(tmp_path / "index")
    assert main(["index", str(corpus), "--index", index, "--no-entities"]) == 0
    capsys.readouterr()
    assert main(["--index", index, "dupes", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [c["size"] for c in lines] == [4, 2]
    assert {m["id"] for m in lines[0]["members"]} == APPLE_COPIES
    assert main(["--index", index, "dupes", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4 copies") and "pension" not in out
    assert main(["--index", index, "query", "apple", "mac", "--json"]) == 0
    folded = json.loads(capsys.readouterr().out)
    assert folded["collapsed"] and folded["stories"] == 2 and folded["total"] == 5
    assert main(["--index", index, "query", "apple", "mac", "--json", "--all"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert not every["collapsed"] and len(every["hits"]) == 5
