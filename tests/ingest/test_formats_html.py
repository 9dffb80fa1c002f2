"""News HTML: the article without the furniture that sits in plain divs or inside <article>."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.ingest.corpus import Corpus, Document

PARAGRAPHS = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring.",
    ("Engineers told councillors that the bridge, opened in 1931, could no longer carry the "
    "weight of modern lorries without repairs costing more than a new crossing."),
    ("Shop owners on the north bank said the decision would cut them off from half of their "
    "customers, and asked for a free shuttle bus while a new bridge is built."),
    "The council said a decision on the shuttle would be taken in June.",
]
FURNITURE = [
    "We use cookies to give you the best online experience.", "Accept all cookies",
    "Sport", "Weather", "More on this story", "Rail strike called off after late talks",
    "Typical. The people at the top get richer and the rest of us pay for it.",
    "Lovely to read some good news for a change.", "jbrown72",
]


def page(wrap_comments_in_article: bool) -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    comments = (
        '<div class="comments"><h3>Have your say</h3>'
        '<div class="comment"><p class="author">jbrown72</p><p>Typical. The people at the top '
        "get richer and the rest of us pay for it.</p></div><div class=\"comment\"><p>Lovely to "
        "read some good news for a change.</p></div></div>"
    )
    related = ('<div class="related"><h3>More on this story</h3><ul>'
               '<li><a href="/1">Rail strike called off after late talks</a></li></ul></div>')
    story = f"<h1>Harbour bridge to close to cars</h1>{body}{related}"
    story = f"<article>{story}{comments}</article>" if wrap_comments_in_article else (
        f'<div class="story">{story}</div>{comments}')
    return (
        "<html><head><title>Harbour bridge to close to cars - Example News</title>"
        '<meta name="date" content="2024-04-09"></head><body>'
        '<div class="cookie-notice"><p>We use cookies to give you the best online experience.'
        "</p><button>Accept all cookies</button></div>"
        '<div class="menu"><a href="/sport">Sport</a> <a href="/weather">Weather</a></div>'
        f"{story}</body></html>"
    )


def read(folder: Path) -> dict[str, Document]:
    return {d.id: d for d in Corpus([folder]).documents()}


def test_furniture_in_plain_divs_and_inside_the_article_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "divs.html").write_text(page(wrap_comments_in_article=False))
    (tmp_path / "article.html").write_text(page(wrap_comments_in_article=True))
    for doc in read(tmp_path).values():
        assert doc.text == "\n\n".join(PARAGRAPHS), doc.id
        assert not [f for f in FURNITURE if f in doc.text]
        # the page title without the site name, and the declared date
        assert (doc.title, doc.date) == ("Harbour bridge to close to cars", "2024-04-09")


def test_a_page_too_short_for_main_content_extraction_keeps_the_rules(tmp_path: Path) -> None:
    short = ("<html><body><div class='menu'><a href='/'>Home</a></div>"
             "<p>Polls close at ten.</p><footer>About us</footer></body></html>")
    (tmp_path / "short.html").write_text(short)
    doc = read(tmp_path)["short.html"]
    assert doc.text == "Home\n\nPolls close at ten."


def test_a_page_too_long_to_be_an_article_is_read_by_the_rules_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search.ingest.formats import html

    (tmp_path / "divs.html").write_text(page(wrap_comments_in_article=False))
    monkeypatch.setattr(html, "_MAIN_CONTENT_MAX", 200)
    doc = read(tmp_path)["divs.html"]
    # the rules keep every visible line outside nav/header/footer: the furniture too
    assert "We use cookies" in doc.text and PARAGRAPHS[0] in doc.text
