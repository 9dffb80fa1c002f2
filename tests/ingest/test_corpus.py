"""Tests for search.ingest.corpus: tiny corpora built in tmp_path, plus the seed and the BBC corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.errors import CorpusError
from search.ingest.corpus import (
    BOILERPLATE,
    Corpus,
    Document,
    clean_text,
    derive_title,
    parse_date,
    parse_file,
)

SEEDS = Path(__file__).parents[2] / "seeds"
SEED = SEEDS / "000_bd259b484c779eec.txt"
BBC = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "bbc"
LIMIT = 1024 * 1024


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def parse_one(path: Path, max_file_bytes: int = LIMIT) -> Document:
    docs, skips = parse_file(path, path.parent, max_file_bytes)
    assert skips == []
    assert len(docs) == 1
    return docs[0]


def reasons(corpus: Corpus) -> list[str]:
    return [str(skip) for skip in corpus.skipped]


# --- plain text ---------------------------------------------------------------------------


def test_seed_without_title_line_gets_a_title_from_its_first_sentence() -> None:
    doc = parse_one(SEED)
    assert doc.title.startswith("German Chancellor Olaf Scholz")
    assert doc.title.endswith("…") and len(doc.title) <= 80
    cut = doc.title.removesuffix("…")
    # cut between two words, and no line taken as a title
    assert doc.text.startswith(cut) and doc.text[len(cut)] == " "
    assert doc.text.startswith("German Chancellor Olaf Scholz told")
    assert "Pandora" in doc.text
    assert "Copyright 2024 BBC" not in doc.text
    assert "external linking" not in doc.text
    assert doc.id == doc.path == SEED.name
    assert doc.date is None and doc.encoding == "utf-8"
    assert doc.mtime == SEED.stat().st_mtime


def test_txt_title_line_followed_by_blank_line(tmp_path: Path) -> None:
    body = "Shares rose on Friday.\n\nAnalysts were surprised."
    doc = parse_one(write(tmp_path / "a.txt", f"Markets rally again\n\n{body}\n"))
    assert doc.title == "Markets rally again"
    assert doc.text == body


def test_txt_short_first_line_without_blank_line_is_not_a_title(tmp_path: Path) -> None:
    doc = parse_one(
        write(tmp_path / "a.txt", "Markets rallied.\nShares rose on Friday.\n")
    )
    assert doc.title == "Markets rallied"
    assert doc.text == "Markets rallied.\nShares rose on Friday."


def test_txt_long_first_line_is_not_a_title(tmp_path: Path) -> None:
    first = "word " * 40 + "end"
    doc = parse_one(write(tmp_path / "a.txt", f"{first}\n\nMore text."))
    assert doc.text.startswith(first)
    assert doc.title.endswith("…")


def test_text_is_cleaned(tmp_path: Path) -> None:
    raw = (
        b"Title\x01 here\r\n\r\nLine one\x07 \t\r\nLine two\rLine three\n\n\n\n\nEnd\n"
    )
    doc = parse_one(write(tmp_path / "a.txt", raw))
    assert doc.title == "Title here"
    assert doc.text == "Line one\nLine two\nLine three\n\nEnd"
    # a NUL byte past the first 8 KB is not taken as a sign of a binary file
    assert clean_text("a\x00b\x1bc\td") == "abc\td"


def test_dateline_gives_the_date(tmp_path: Path) -> None:
    text = "Rates rise\n\nLONDON, 15 November 2024 (Reuters) - The bank raised rates on Friday."
    assert parse_one(write(tmp_path / "a.txt", text)).date == "2024-11-15"
    byline = "Rates rise\n\nBy Jane Doe\nNovember 15, 2024\n\nThe bank raised rates."
    assert parse_one(write(tmp_path / "b.txt", byline)).date == "2024-11-15"


@pytest.mark.parametrize(
    "body",
    [
        "LONDON, Nov 15 (Reuters) - The bank raised rates.",  # no year: not a full date
        "He was born on 5 April 1920 in Luton.",  # a date in a sentence is an event
        "Tuesday, 1 March\n\n2000 GMT\n\nKick-off.",  # a time on the next line is no year
        "x" * 120 + " It happened on 1 January 1985.",
    ],
)
def test_no_dateline(tmp_path: Path, body: str) -> None:
    assert parse_one(write(tmp_path / "a.txt", f"Title\n\n{body}")).date is None


# --- dates and titles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-15", "2024-11-15"),
        ("2024-11-15T10:00:00Z", "2024-11-15"),
        ("2024-11-15T23:30:00-05:00", "2024-11-15"),
        ("2024/1/5", "2024-01-05"),
        ("15 November 2024", "2024-11-15"),
        ("15th of Nov. 2024", "2024-11-15"),
        ("November 15, 2024", "2024-11-15"),
        ("Nov 15 2024", "2024-11-15"),
        ("Sept 3, 2024", "2024-09-03"),
        ("Fri, 15 Nov 2024 10:00:00 GMT", "2024-11-15"),
        ("31 February 2024", None),
        ("2024-13-01", None),
        ("Nov 15", None),
        ("2024", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


@given(st.text())
def test_parse_date_never_raises(value: str) -> None:
    result = parse_date(value)
    assert result is None or len(result) == 10


def test_derive_title_keeps_abbreviations_and_short_sentences() -> None:
    assert derive_title("Mr. Smith went to Washington. Then he left.") == (
        "Mr. Smith went to Washington"
    )
    assert derive_title("U.S. troops arrive. More later.") == "U.S. troops arrive"
    assert derive_title("Is it over? Nobody knows.") == "Is it over?"
    assert derive_title("\n\n  Spaced   out  line\nsecond line") == "Spaced out line"
    assert derive_title("") == ""


def test_derive_title_cuts_at_a_word_boundary() -> None:
    title = derive_title("alpha beta gamma delta epsilon", max_chars=14)
    assert title == "alpha beta…"
    assert derive_title("abcdefghijklmnopqrstuvwxyz", max_chars=10) == "abcdefghi…"


@given(st.text(), st.integers(min_value=2, max_value=200))
def test_derive_title_fits(text: str, max_chars: int) -> None:
    title = derive_title(text, max_chars)
    assert len(title) <= max_chars
    assert "\n" not in title


# --- boilerplate --------------------------------------------------------------------------


def test_every_boilerplate_rule_matches_its_own_example() -> None:
    table = (files("search.ingest") / "data" / "boilerplate.tsv").read_text(encoding="utf-8")
    rows = [
        r.split("\t") for r in table.splitlines() if r.strip() and not r.startswith("#")
    ]
    assert len(rows) == len(BOILERPLATE) >= 5
    for (_, example), rule in zip(rows, BOILERPLATE, strict=True):
        assert rule.fullmatch(example.strip()), example
        assert clean_text(f"Body.\n{example}\nMore body.") == "Body.\nMore body."


@pytest.mark.parametrize(
    "line",
    [
        (
            "Copyright 2019 BBC. All rights reserved.\u00a0 The BBC is not responsible for the"
            " content of external sites.\u00a0 Read about our approach to external linking."
        ),
        "© 2024 Reuters. All rights reserved.",
        "Follow us on Twitter and Facebook",
        "Sign up for our daily newsletter",
        "Advertisement",
    ],
)
def test_boilerplate_lines_are_removed(line: str) -> None:
    assert clean_text(f"The article.\n\n{line}\n") == "The article."


@pytest.mark.parametrize(
    "paragraph",
    [
        "The firm said all rights reserved by the copyright holder would be sold.",
        "Copyright 2004 was a good year for sales of music, the industry body said.",
        "Fans were told to follow us on Twitter by the band, who then deleted the post.",
        "He said the advertisement had been misleading.",
    ],
)
def test_boilerplate_rules_never_touch_article_sentences(paragraph: str) -> None:
    assert clean_text(paragraph) == paragraph


@given(st.text())
def test_clean_text_is_idempotent(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once
    assert "\r" not in once and "\x00" not in once


# --- markdown -----------------------------------------------------------------------------


def test_md_first_heading_is_the_title_and_leaves_the_text(tmp_path: Path) -> None:
    md = "# Scholz calls **Putin**\n\nThe [call](http://x) lasted an hour.\n\n## Reaction\n\nMixed.\n"
    doc = parse_one(write(tmp_path / "a.md", md))
    assert doc.title == "Scholz calls Putin"
    assert doc.text == "The [call](http://x) lasted an hour.\n\n## Reaction\n\nMixed."


def test_md_setext_heading_and_code_fences(tmp_path: Path) -> None:
    md = "```\n# not a heading\n```\n\nReal Title\n==========\n\nBody text.\n"
    doc = parse_one(write(tmp_path / "a.markdown", md))
    assert doc.title == "Real Title"
    assert doc.text == "```\n# not a heading\n```\n\nBody text."


def test_md_without_heading_derives_a_title(tmp_path: Path) -> None:
    doc = parse_one(
        write(tmp_path / "a.md", "Some intro text. More.\n\n## Details\n\nx\n")
    )
    assert doc.title == "Some intro text"
    assert doc.text.startswith("Some intro text.")


def test_md_front_matter(tmp_path: Path) -> None:
    md = '---\ntitle: "From front matter"\ndate: 2024-11-15\nurl: https://e.x/a\n---\n# H\n\nBody.\n'
    doc = parse_one(write(tmp_path / "a.md", md))
    assert (doc.title, doc.date, doc.url) == (
        "From front matter",
        "2024-11-15",
        "https://e.x/a",
    )
    assert "title:" not in doc.text and "Body." in doc.text


# --- html ---------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head>
<title>Scholz calls Putin</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-11-15T10:00:00Z">
<link rel="canonical" href="https://news.example/scholz">
<style>p { color: red }</style>
<script>var tracking = "SECRET_SCRIPT";</script>
</head><body>
<header><a href="/">Home</a> SITE_HEADER</header>
<nav><ul><li>NAV_LINK</li></ul></nav>
<article>
  <h1>Scholz calls Putin</h1>
  <p>The German chancellor <b>spoke</b> to Vladimir Putin for an hour.</p>
  <p hidden>HIDDEN_TEXT</p>
  <p>Zelensky called it a &ldquo;Pandora&rsquo;s box&rdquo;.<br>A second line.</p>
  <aside>ASIDE_PROMO</aside>
  <form><input value="x">FORM_TEXT</form>
</article>
<div class="sidebar">OUTSIDE_ARTICLE</div>
<footer>Copyright FOOTER_TEXT</footer>
<noscript>NOSCRIPT_TEXT</noscript>
</body></html>
"""


def test_html_article_text_and_metadata(tmp_path: Path) -> None:
    doc = parse_one(write(tmp_path / "a.html", PAGE))
    assert doc.title == "Scholz calls Putin"
    assert doc.text == (
        "The German chancellor spoke to Vladimir Putin for an hour.\n\n"
        "Zelensky called it a “Pandora’s box”.\n\nA second line."
    )
    assert doc.date == "2024-11-15"
    assert doc.url == "https://news.example/scholz"
    assert doc.source == "Example News"


def test_html_without_article_uses_body_and_other_metadata(tmp_path: Path) -> None:
    page = """<html><head><meta property="og:title" content="OG title">
    <meta property="og:url" content="https://e.x/1"><meta name="date" content="15 Nov 2024">
    </head><body><nav>NAV</nav><div><p>First para.</p><div>Second <i>para</i>.</div></div>
    <script>SCRIPT</script></body></html>"""
    doc = parse_one(write(tmp_path / "a.htm", page))
    assert (doc.title, doc.url, doc.date, doc.source) == (
        "OG title",
        "https://e.x/1",
        "2024-11-15",
        None,
    )
    assert doc.text == "First para.\n\nSecond para."


def test_html_time_inside_article_and_h1_title(tmp_path: Path) -> None:
    page = (
        "<body><article><h1>Headline</h1><time datetime='2023-05-01'>May 1</time>"
        "<p>Text.</p></article></body>"
    )
    doc = parse_one(write(tmp_path / "a.html", page))
    assert (doc.title, doc.date) == ("Headline", "2023-05-01")
    assert doc.text == "May 1\n\nText."


# --- json and jsonl -----------------------------------------------------------------------


def test_json_list_of_records(tmp_path: Path) -> None:
    records = (
        '[{"id": 7, "title": "Seven", "text": "Body seven.", "date": "15 November 2024",'
        ' "url": "https://e.x/7", "source": "Wire"},'
        ' {"body": "No title here. Second sentence."},'
        ' {"content": ["Para one.", "Para two."], "title": 12}]'
    )
    docs, skips = parse_file(write(tmp_path / "news.json", records), tmp_path, LIMIT)
    assert skips == []
    assert [d.id for d in docs] == ["news.json#7", "news.json:2", "news.json:3"]
    assert (docs[0].title, docs[0].text, docs[0].date) == (
        "Seven",
        "Body seven.",
        "2024-11-15",
    )
    assert (docs[0].url, docs[0].source) == ("https://e.x/7", "Wire")
    assert docs[1].title == "No title here"
    assert (docs[2].title, docs[2].text) == ("12", "Para one.\n\nPara two.")
    assert all(d.path == "news.json" for d in docs)


def test_json_single_object_and_bad_shapes(tmp_path: Path) -> None:
    docs, _ = parse_file(
        write(tmp_path / "one.json", '{"title": "T", "text": "x"}'), tmp_path, LIMIT
    )
    assert [d.id for d in docs] == ["one.json"]
    _, skips = parse_file(write(tmp_path / "n.json", "42"), tmp_path, LIMIT)
    assert [str(s) for s in skips] == [
        "n.json: the file holds a number, expected an object or a list of objects"
    ]
    _, skips = parse_file(
        write(tmp_path / "bad.json", '[{"a": 1},\n {"b": }]'), tmp_path, LIMIT
    )
    # records are read one by one: the one before the broken one is judged on its own
    assert [str(s) for s in skips] == [
        'bad.json:1: record has neither text nor title (fields "title", "text", "body", "content")',
        "bad.json:2: invalid JSON: Expecting value at column 8",
    ]


def test_jsonl_broken_line_in_the_middle(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "title": "First", "text": "One."}',
        '{"id": "b", "title": "Broken", "text": ',
        "",
        '{"_id": "c", "text": "Third record."}',
        '"just a string"',
        '{"id": "e", "url": "https://e.x"}',
        '{"id": "f", "title": {"nested": true}, "text": "x"}',
        '{"id": "g", "text": "Last."}',
    ]
    corpus = Corpus([write(tmp_path / "news.jsonl", "\n".join(lines) + "\n")])
    docs = list(corpus.documents())
    assert [d.id for d in docs] == ["news.jsonl#a", "news.jsonl#c", "news.jsonl#g"]
    assert docs[1].title == "Third record"
    assert reasons(corpus) == [
        "news.jsonl:2: invalid JSON: Expecting value at column 40",
        "news.jsonl:5: record is a string, expected an object",
        'news.jsonl:6: record has neither text nor title (fields "title", "text", "body", "content")',
        'news.jsonl:7: field "title" is an object, expected a string',
    ]
    assert corpus.files_seen == 1


def test_duplicate_ids_are_skipped_not_lost(tmp_path: Path) -> None:
    lines = [
        '{"id": 1, "text": "first"}',
        '{"id": "1", "text": "second"}',
        '{"text": "third"}',
    ]
    corpus = Corpus([write(tmp_path / "d.ndjson", "\n".join(lines))])
    assert [d.text for d in corpus.documents()] == ["first", "third"]
    assert reasons(corpus) == [
        "d.ndjson:2: duplicate id 'd.ndjson#1' (first seen at d.ndjson:1)"
    ]


# --- encodings and bad files --------------------------------------------------------------


def test_cp1252_fallback(tmp_path: Path) -> None:
    doc = parse_one(write(tmp_path / "a.txt", b"Price \xa3100 \x93quoted\x94"))
    assert doc.text == "Price £100 “quoted”"
    assert doc.encoding == "cp1252"


def test_latin1_when_cp1252_fails_and_utf8_bom_and_utf16(tmp_path: Path) -> None:
    assert parse_one(write(tmp_path / "a.txt", b"caf\xe9 \x81")).encoding == "latin-1"
    doc = parse_one(write(tmp_path / "b.txt", "\ufeffTitle\n\ncafé".encode()))
    assert (doc.title, doc.text, doc.encoding) == ("Title", "café", "utf-8")
    doc = parse_one(write(tmp_path / "c.txt", "Title\n\ncafé".encode("utf-16")))
    assert (doc.title, doc.text, doc.encoding) == ("Title", "café", "utf-16")


def test_bad_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    write(tmp_path / "bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "empty.md", "")
    write(tmp_path / "blank.txt", "  \n\n \t\n")
    write(tmp_path / "big.txt", "x" * 200)
    write(tmp_path / "report.pptx", b"PK\x03\x04")
    write(tmp_path / "Makefile", "all:")
    write(tmp_path / "ok.txt", "fine")
    corpus = Corpus([tmp_path], max_file_bytes=100)
    assert [d.id for d in corpus.documents()] == ["ok.txt"]
    assert sorted(reasons(corpus)) == [
        "Makefile: unsupported file type (no extension)",
        "big.txt: larger than the 100-byte limit (200 bytes); raise SEARCH_MAX_FILE_BYTES to index it",
        "bin.txt: binary file",
        "blank.txt: empty file",
        "empty.md: empty file",
        "report.pptx: unsupported file type .pptx",
    ]
    assert corpus.files_seen == 7


def test_size_limit_message_uses_readable_units(tmp_path: Path) -> None:
    _, skips = parse_file(write(tmp_path / "a.txt", "x" * 3000), tmp_path, 2048)
    assert skips[0].reason.startswith("larger than the 2 KiB limit (3000 bytes)")


def test_unreadable_files_are_skipped_with_the_os_reason(tmp_path: Path) -> None:
    if not hasattr(os, "symlink"):
        pytest.skip("no symlinks here")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    corpus = Corpus([tmp_path])
    assert list(corpus.documents()) == []
    assert reasons(corpus) == ["gone.txt: cannot read: No such file or directory"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    corpus = Corpus([tmp_path])
    assert list(corpus.documents()) == []
    assert reasons(corpus) == ["pipe.txt: not a regular file"]


# --- walking ------------------------------------------------------------------------------


def test_hidden_files_and_folders_are_ignored_silently(tmp_path: Path) -> None:
    write(tmp_path / ".DS_Store", b"\x00junk")
    write(tmp_path / ".git" / "HEAD.txt", "ref")
    write(tmp_path / "a.txt", "visible")
    corpus = Corpus([tmp_path])
    assert [d.id for d in corpus.documents()] == ["a.txt"]
    assert corpus.skipped == [] and corpus.files_seen == 1


def test_order_is_sorted_by_path_and_ids_are_stable(tmp_path: Path) -> None:
    for name in ["b/z.txt", "a.txt", "b/a/x.md", "c.json", "b/y.txt"]:
        write(tmp_path / name, f"Text of {name}.")
    write(tmp_path / "c.json", '[{"text": "one"}, {"text": "two"}]')
    ids = [d.id for d in Corpus([tmp_path]).documents()]
    assert ids == ["a.txt", "b/a/x.md", "b/y.txt", "b/z.txt", "c.json:1", "c.json:2"]
    assert [d.id for d in Corpus([str(tmp_path)]).documents()] == ids


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    if not hasattr(os, "symlink"):
        pytest.skip("no symlinks here")
    write(tmp_path / "a" / "doc.txt", "Inside.")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a", target_is_directory=True)
    corpus = Corpus([tmp_path])
    assert [d.id for d in corpus.documents()] == ["a/doc.txt"]


def test_multiple_roots_prefix_ids_with_root_names(tmp_path: Path) -> None:
    write(tmp_path / "bbc" / "tech" / "001.txt", "Title\n\nBody.")
    write(tmp_path / "cnn" / "tech" / "001.txt", "Other\n\nBody.")
    single = write(tmp_path / "notes.md", "# Notes\n\nx")
    corpus = Corpus([tmp_path / "bbc", tmp_path / "cnn", single])
    docs = list(corpus.documents())
    assert [d.id for d in docs] == ["bbc/tech/001.txt", "cnn/tech/001.txt", "notes.md"]
    assert [d.path for d in docs] == [
        "bbc/tech/001.txt",
        "cnn/tech/001.txt",
        "notes.md",
    ]


def test_single_file_root_id_is_its_name(tmp_path: Path) -> None:
    path = write(tmp_path / "deep" / "one.txt", "Alone.")
    assert [d.id for d in Corpus([path]).documents()] == ["one.txt"]
    # a lone string is one path, not one path per letter
    assert [d.id for d in Corpus(str(path)).documents()] == ["one.txt"]


def test_skip_paths_are_corpus_paths_like_document_paths(tmp_path: Path) -> None:
    # the indexer keeps what it indexed from a file it could not read this time, by path
    write(tmp_path / "a" / "sub" / "ok.txt", "x")
    write(tmp_path / "a" / "sub" / "bad.txt", b"\x00\x01")
    write(tmp_path / "b" / "c.txt", "y")
    corpus = Corpus([tmp_path / "a", tmp_path / "b"])
    assert [d.path for d in corpus.documents()] == ["a/sub/ok.txt", "b/c.txt"]
    assert reasons(corpus) == ["a/sub/bad.txt: binary file"]


def test_nonexistent_path_raises_with_hint(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(CorpusError) as info:
        Corpus([tmp_path, missing])
    assert info.value.message == f"{missing}: no such file or folder"
    assert info.value.hint == "check the path, or pass the folder of documents to index"


def test_skipped_and_files_seen_restart_with_each_run(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "x")
    write(tmp_path / "b.doc", "x")
    corpus = Corpus([tmp_path])
    for _ in range(2):
        assert len(list(corpus.documents())) == 1
        assert (corpus.files_seen, len(corpus.skipped)) == (2, 1)


def test_documents_are_lazy(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "x")
    write(tmp_path / "b.txt", "y")
    corpus = Corpus([tmp_path])
    docs = corpus.documents()
    assert corpus.files_seen == 0
    next(docs)
    assert corpus.files_seen == 1


def test_content_hash_follows_content_not_mtime(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Title\n\nBody one.")
    first = parse_one(path)
    os.utime(path, (1_000_000, 1_000_000))
    again = parse_one(path)
    assert again.mtime == 1_000_000 and again.content_hash == first.content_hash
    write(path, "Title\n\nBody two.")
    assert parse_one(path).content_hash != first.content_hash
    write(path, "Other title\n\nBody one.")
    assert parse_one(path).content_hash != first.content_hash
    assert len(first.content_hash) == 40


def test_document_is_frozen(tmp_path: Path) -> None:
    doc = parse_one(write(tmp_path / "a.txt", "x"))
    with pytest.raises(AttributeError):
        doc.title = "changed"  # type: ignore[misc]


def test_importing_corpus_loads_no_heavy_library() -> None:
    code = "import sys, search.ingest.corpus; print(sorted({'whoosh', 'spacy', 'selectolax'} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# --- the shared BBC corpus ----------------------------------------------------------------


def bbc_or_skip() -> Path:
    if not BBC.is_dir():
        pytest.skip(
            "../shared/corpora/bbc not present (a fresh clone has no ../shared)"
        )
    return BBC


@pytest.mark.parametrize(
    "category", ["business", "entertainment", "politics", "sport", "tech"]
)
def test_bbc_titles_are_first_lines(category: str) -> None:
    folder = bbc_or_skip() / category
    for path in sorted(folder.glob("*.txt"))[:5]:
        doc = parse_one(path)
        first, _, rest = path.read_text(encoding="utf-8").partition("\n")
        assert doc.title == first.strip()
        assert doc.text == rest.strip()
        assert doc.date is None


@pytest.mark.slow
def test_whole_bbc_corpus() -> None:
    corpus = Corpus([bbc_or_skip()])
    docs = list(corpus.documents())
    assert corpus.skipped == []
    articles = [d for d in docs if "/" in d.id]
    assert len(articles) == 2225
    assert all(d.title and d.text for d in articles)
    # dates come from datelines only, never from events in the text
    assert sum(d.date is not None for d in articles) == 0
