"""Shared fixtures: an isolated environment, a fake entity extractor and tiny corpora.

Most tests index a handful of hand-written articles with `DictExtractor`, a dictionary-driven
stand-in for spaCy, so that they run in milliseconds and know exactly which entities each
document has. Tests marked `slow` share one index of the repository's `seeds/` built with the
real model; BBC tests use a sample of `../shared/corpora/bbc` and skip when it is absent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from search.config import Settings
from search.index.indexer import build
from search.ingest.entities import Mention
from search.query.searcher import Searcher
from search.results import IndexStats

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
SHARED = Path(__file__).resolve().parents[2] / "shared"
BBC = SHARED / "corpora" / "bbc"
BBC_CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")
BBC_MISSING = "../shared/corpora/bbc not present (a fresh clone has no ../shared)"

# Variables rich reads: a developer's terminal settings must not change what tests see.
_TERMINAL_VARS = ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE",
                  "TTY_INTERACTIVE", "CLICOLOR_FORCE", "JUPYTER_COLUMNS", "JUPYTER_LINES")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No SEARCH_* settings, no terminal overrides, and a HOME and XDG dirs of our own."""
    for name in list(os.environ):
        if name.startswith("SEARCH_") or name in _TERMINAL_VARS:
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    for name, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                      ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(folder))
    return home


class DictExtractor:
    """An `EntityExtractor` that finds known names (case-sensitive, whole words) in the text.

    `calls` counts the texts it was asked about; with `fail_after=n` it raises
    KeyboardInterrupt when asked about text number n + 1, as a user's Ctrl-C would.
    """

    def __init__(self, names: dict[str, str], name: str = "fake:dict@1",
                 fail_after: int | None = None) -> None:
        self.names = dict(names)
        self.name = name
        self.fail_after = fail_after
        self.calls = 0
        longest_first = sorted(self.names, key=len, reverse=True)
        self._pattern = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in longest_first))

    def extract(self, texts: Iterable[str]) -> Iterator[list[Mention]]:
        for text in texts:
            if self.fail_after is not None and self.calls >= self.fail_after:
                raise KeyboardInterrupt
            self.calls += 1
            yield [Mention(m.group(), self.names[m.group()], m.start(), m.end())
                   for m in self._pattern.finditer(text)]


NEWS_NAMES: dict[str, str] = {
    "Olaf Scholz": "PERSON", "Scholz": "PERSON", "Vladimir Putin": "PERSON", "Putin": "PERSON",
    "Volodymyr Zelénsky": "PERSON", "Zelénsky": "PERSON", "Guido van Rossum": "PERSON",
    "Ukraine": "GPE", "Kyiv": "GPE", "Berlin": "GPE", "London": "GPE", "LONDON": "GPE",
    "Moscow": "GPE", "NATO": "ORG", "Nato": "ORG", "Kremlin": "ORG",
}
"""What the fake extractor recognises in the news corpus."""

NEWS_TXT = {
    "scholz-putin.txt": (
        "Scholz calls Putin over Ukraine\n\n"
        "German Chancellor Olaf Scholz told Russian President Vladimir Putin on Friday that the "
        "war in Ukraine must end. Scholz said Nato allies would stand with Kyiv for as long as "
        "necessary.\n\n"
        "Putin's spokesman in the Kremlin described the talks as frank. Moscow has not said "
        "whether the leaders will speak again.\n"
    ),
    "zelensky-berlin.txt": (
        "Zelénsky visits Berlin\n\n"
        "Volodymyr Zelénsky met Olaf Scholz in Berlin to ask for more air defence. "
        "Zelénsky's visit came a week after the call with the Kremlin.\n"
    ),
    "odd-text.txt": (
        "A note on queries\n\n"
        "This odd text exists so that plain queries full of punctuation have something to find.\n"
    ),
    "market-report.txt": (
        "Markets steady in LONDON\n\n"
        "Shares in LONDON closed flat as traders talked about interest rates. "
        "Analysts expect the Bank to wait.\n"
    ),
}
NEWS_MD = {
    "python.md": (
        "# Python tips\n\n"
        "Why *Python* beats shell scripts for data work, as Guido van Rossum talked about at "
        "a London meetup.\n"
    ),
}
NEWS_RECORDS = [
    {"id": "w1", "title": "Nato summit opens", "date": "2024-02-10", "source": "Wire",
     "text": "Nato leaders met in LONDON. The summit talks covered air defence for Ukraine."},
    {"id": "w2", "title": "Allies pledge support", "date": "2024-05-20", "source": "Wire",
     "text": "NATO ministers pledged more support for Kyiv after the summit."},
    "{not json",
    {"id": "w3", "title": "Autumn review", "date": "2024-09-01", "source": "Wire",
     "text": "A Nato review of the summit talks was published in Brussels."},
    {"id": "w4", "title": "Last year's summit", "date": "2023-11-11", "source": "Wire",
     "text": "The summit in Vilnius ended with talks on Ukraine."},
]
"""JSONL records with dates; the third line is broken on purpose."""

NEWS_IDS = frozenset(
    [*NEWS_TXT, *NEWS_MD, *(f"wires.jsonl#{r['id']}" for r in NEWS_RECORDS if isinstance(r, dict))]
)


def write_news(root: Path) -> Path:
    """Write the news corpus (txt, md and a JSONL file with a bad line) under root."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in {**NEWS_TXT, **NEWS_MD}.items():
        (root / name).write_text(text, encoding="utf-8")
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in NEWS_RECORDS]
    (root / "wires.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def fake_settings(**changes: Any) -> Settings:
    """Settings for a test index: small batches (so several segments), entities on."""
    return replace(Settings(batch_size=3), **changes)


@pytest.fixture
def news_dir(tmp_path: Path) -> Path:
    return write_news(tmp_path / "news")


@pytest.fixture
def news_index(tmp_path: Path, news_dir: Path) -> Path:
    """An index of the news corpus built with the fake extractor, in batches of 3."""
    index_dir = tmp_path / "index"
    build([news_dir], index_dir, settings=fake_settings(), extractor=DictExtractor(NEWS_NAMES))
    return index_dir


# The real model on the seeds


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the repository's seeds/ built with the real spaCy model."""
    index_dir = tmp_path_factory.mktemp("seed") / "index"
    build([SEEDS], index_dir, settings=Settings())
    return index_dir


# A sample of the BBC corpus


BBC_NAMES: dict[str, str] = {
    "Tony Blair": "PERSON", "Blair": "PERSON", "Michael Howard": "PERSON", "Howard": "PERSON",
    "Gordon Brown": "PERSON", "Jack Straw": "PERSON", "Paula Radcliffe": "PERSON",
    "UK": "GPE", "US": "GPE", "London": "GPE", "New York": "GPE", "Europe": "LOC",
    "BBC": "ORG", "EU": "ORG", "IBM": "ORG", "Microsoft": "ORG", "Google": "ORG",
    "IAAF": "ORG", "Labour": "ORG",
}


def bbc_sample(target: Path, per_category: int) -> Path:
    """Copy the first `per_category` articles of each BBC category to target/<category>/."""
    if not BBC.is_dir():
        pytest.skip(BBC_MISSING)
    for category in BBC_CATEGORIES:
        (target / category).mkdir(parents=True)
        for path in sorted((BBC / category).glob("*.txt"))[:per_category]:
            shutil.copy(path, target / category / path.name)
    return target


@pytest.fixture(scope="session")
def bbc_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 BBC articles (40 per category) indexed with the fake extractor."""
    base = tmp_path_factory.mktemp("bbc")
    corpus = bbc_sample(base / "bbc", 40)
    index_dir = base / "index"
    build([corpus], index_dir, settings=Settings(batch_size=64), extractor=DictExtractor(BBC_NAMES))
    return index_dir


def _bbc_article(name: str) -> tuple[str, list[str]]:
    title, _, body = (BBC / f"{name}.txt").read_text(encoding="utf-8").partition("\n")
    return title, [p for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]


def write_copies(target: Path) -> Path:
    """Real BBC articles and edited copies of them, for duplicate detection.

    apple.txt (tech/260) and its copies: apple-update.txt (new headline and a dateline),
    apple-first.txt (a first take: its first three paragraphs), apple-cut.txt (a paragraph
    dropped, two swapped); itunes.txt (tech/148), another Apple and iPod story;
    pension.txt and pension-again.txt, one article saved twice; edwards.txt, a sports story.
    """
    if not BBC.is_dir():
        pytest.skip(BBC_MISSING)
    target.mkdir(parents=True, exist_ok=True)
    title, paras = _bbc_article("tech/260")

    def write(name: str, head: str, parts: list[str]) -> None:
        (target / name).write_text(head + "\n\n" + "\n\n".join(parts) + "\n", encoding="utf-8")

    write("apple.txt", title, paras)
    write("apple-update.txt", "Apple bets on cheap Mac to lure iPod fans",
          ["SAN FRANCISCO (Reuters) - " + paras[0], *paras[1:]])
    write("apple-first.txt", title, paras[:3])
    write("apple-cut.txt", title, [paras[0], paras[1], paras[4], paras[3]])
    write("itunes.txt", *_bbc_article("tech/148"))
    write("pension.txt", *_bbc_article("politics/069"))
    write("pension-again.txt", *_bbc_article("politics/069"))
    write("edwards.txt", *_bbc_article("sport/012"))
    return target


APPLE_COPIES = {"apple.txt", "apple-update.txt", "apple-first.txt", "apple-cut.txt"}


def index_text(root: Path, index_dir: Path) -> IndexStats:
    """Index root without entities, in small batches (so a bad file meets a commit)."""
    return build([root], index_dir, settings=Settings(entities=False, batch_size=4))


def indexed_ids(index_dir: Path) -> set[str]:
    """The id of every document in the index, copies of one story included."""
    with Searcher(index_dir) as s:
        return {h.id for h in s.search("", limit=1000, collapse=False).hits}
