"""An index of an older schema version: refused with a hint, and rebuilt from its own roots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DictExtractor, fake_settings

from search.errors import IndexVersionError
from search.index.indexer import build
from search.index.meta import META_FILE
from search.index.schema import SCHEMA_VERSION


def test_older_index_is_refused_then_rebuilt_from_the_roots_it_recorded(tmp_path: Path) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "a.txt").write_text("Harbour bridge\n\nThe bridge closes to cars.\n")
    index = tmp_path / "index"
    settings = fake_settings(corpus=(tmp_path / "elsewhere",))
    build([pile], index, settings=settings, extractor=DictExtractor({"Harbour": "place"}))
    meta = index / META_FILE
    data = json.loads(meta.read_text())
    meta.write_text(json.dumps(data | {"schema_version": SCHEMA_VERSION - 1}))
    with pytest.raises(IndexVersionError) as err:
        build(None, index, settings=settings, extractor=DictExtractor({"Harbour": "place"}))
    assert err.value.hint == "rebuild it with `search index --rebuild`"
    # the rebuild the hint names needs no folder: the old record still says which
    stats = build(None, index, rebuild=True, settings=settings, extractor=DictExtractor({"Harbour": "place"}))
    assert stats.documents == 1
    assert json.loads(meta.read_text())["schema_version"] == SCHEMA_VERSION
