"""Tests for search.ingest.furniture: teasers and footer at the end of a pasted page."""

from __future__ import annotations

from pathlib import Path

from search.ingest.corpus import Corpus
from search.ingest.furniture import split_furniture

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_bd259b484c779eec.txt"

ARTICLE = (
    "Olaf Scholz told Vladimir Putin that the war must end. Scholz spoke for an hour.\n"
    "Putin said Russia would talk. Scholz called Zelensky after the call to Putin.\n"
    "So any sign that Scholz is helping to end the conflict could turn his fortunes.\n"
)


def test_the_seed_teasers_and_footer_are_related_material() -> None:
    body, related = split_furniture(SEED.read_text(encoding="utf-8"))
    assert body.endswith("at the ballot box.")
    lines = related.split("\n")
    assert lines[0].startswith("After 50 years of brutal rule over Syria")
    assert lines[-1].startswith("Copyright 2024 BBC")
    assert "Bashar al-Assad" not in body and "Mark Rutte" not in body


def test_short_closing_lines_about_the_article_subjects_stay_in_the_article() -> None:
    teasers = "A coroner rejects claims a soldier was shot.\nThe presents were donated.\n"
    body, related = split_furniture(ARTICLE + teasers + "© 2024 Example News. All rights reserved.")
    assert body == ARTICLE.rstrip()
    assert related.startswith("A coroner rejects")


def test_no_footer_no_cut() -> None:
    text = ARTICLE + "A coroner rejects claims a soldier was shot.\nThe presents were donated."
    assert split_furniture(text) == (text, "")


def test_a_footer_alone_is_related_material() -> None:
    body, related = split_furniture(ARTICLE + "\nCopyright 2024 BBC. All rights reserved.")
    assert body == ARTICLE.rstrip() and related == "Copyright 2024 BBC. All rights reserved."


def test_the_corpus_keeps_teasers_out_of_the_text_but_stores_them(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (doc,) = Corpus([tmp_path]).documents()
    assert "Bashar al-Assad" not in doc.text and "Bashar al-Assad" in doc.related
    assert doc.text.endswith("at the ballot box.")
