"""Realistic news pages built around BBC articles, with the truth about every piece of them.

Each page wraps one article (headline, body paragraphs, a date) in one of four site templates
seen in the wild: semantic HTML5, a div soup without semantic tags, an `<article>` that also
holds the related links and the comment thread, and a WordPress theme whose comments are
`<article>`s too. Around and inside the article go the usual furniture: navigation, a cookie
banner, share buttons, "Read more" links and adverts between paragraphs, related headlines
(other BBC articles), a newsletter box, reader comments, a footer. The page records which text
is the article's and which is furniture, so that an extractor's output can be scored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

NAV = ["Home", "News", "Sport", "Business", "Technology", "Entertainment & Arts", "Health",
       "Science", "World", "UK Politics", "Weather", "Video", "Live", "Sign in", "Search"]
COOKIES = [
    ("We use cookies to give you the best online experience. By continuing to browse the site "
    "you are agreeing to our use of cookies."),
    ("This website uses cookies to improve your experience. We'll assume you're ok with this, "
    "but you can opt-out if you wish."),
    ("We and our partners store and access information on your device, such as cookies, to "
    "personalise content and ads and to measure audiences."),
]
COOKIE_BUTTONS = ["Accept all cookies", "Manage preferences", "Reject non-essential"]
SHARE = ["Share this article", "Facebook", "Twitter", "WhatsApp", "Copy link"]
NEWSLETTER = [
    "Get our morning briefing delivered to your inbox every weekday.",
    "Sign up for our newsletter and never miss a story.",
    "The best of our journalism, handpicked each morning. Enter your email address.",
]
FOOTER = ["Terms of Use", "About Example News", "Privacy Policy", "Accessibility Help",
          "Contact Us", "Why you can trust Example News", "Advertise with us"]
COMMENT_AUTHORS = ["jbrown72", "Margaret H", "TheRealDave", "citizen_k", "Ann O'Neill",
                   "northern_lad", "Priya S", "old_git_99"]
COMMENTS = [
    "Great article, thanks for explaining it so clearly.",
    ("I completely disagree with this. The government has been saying the same thing for years "
    "and nothing ever changes for ordinary people."),
    "Does anyone know whether this applies to pensioners as well? My mother is worried.",
    "Typical. The people at the top get richer and the rest of us pay for it.",
    ("Interesting that the figures quoted here are so different from the ones published last "
    "month by the regulator. Somebody is not telling the truth."),
    "Well done to everyone involved, a fantastic result after a difficult year.",
    "This is exactly what I predicted in these comments six months ago.",
    ("I have worked in this industry for twenty years and I can tell you the real story is far "
    "more complicated than the article suggests."),
    "Who is going to pay for all of this in the end? We are, as usual.",
    "Lovely to read some good news for a change.",
]


@dataclass(frozen=True)
class Page:
    """One built page and the truth about it."""

    html: str
    template: str
    headline: str
    paragraphs: tuple[str, ...]
    furniture: tuple[str, ...]
    published: str


def bbc_articles(bbc: Path) -> list[tuple[str, list[str]]]:
    """Every BBC article as (headline, paragraphs), in path order."""
    out = []
    for path in sorted(bbc.glob("*/*.txt")):
        raw = path.read_bytes().decode("utf-8", "replace")
        head, _, body = raw.partition("\n")
        paragraphs = [" ".join(p.split()) for p in body.split("\n") if p.strip()]
        if paragraphs:
            out.append((head.strip(), paragraphs))
    return out


def _links(items: list[str]) -> str:
    return "".join(f'<li><a href="/{i}">{escape(t)}</a></li>' for i, t in enumerate(items))


class _Parts:
    """The furniture of one page, drawn at random, each piece remembered."""

    def __init__(self, rng: random.Random, others: list[str]) -> None:
        self.rng, self.others, self.pieces = rng, others, list[str]()

    def keep(self, *texts: str) -> list[str]:
        self.pieces.extend(texts)
        return list(texts)

    def nav(self) -> str:
        return _links(self.keep(*self.rng.sample(NAV, 9)))

    def cookie(self) -> str:
        text, = self.keep(self.rng.choice(COOKIES))
        buttons = self.keep(*COOKIE_BUTTONS[: self.rng.randint(1, 3)])
        return f"<p>{escape(text)}</p>" + "".join(f"<button>{b}</button>" for b in buttons)

    def related(self, n: int = 5) -> str:
        return _links(self.keep(*self.rng.sample(self.others, n)))

    def read_more(self) -> str:
        headline, = self.keep(self.rng.choice(self.others))
        return f'<p><strong>Read more:</strong> <a href="/x">{escape(headline)}</a></p>'

    def advert(self) -> str:
        self.keep("Advertisement")
        return '<div class="ad-slot"><span>Advertisement</span></div>'

    def share(self) -> str:
        return "".join(f'<a class="share" href="#">{escape(s)}</a>' for s in self.keep(*SHARE))

    def newsletter(self) -> str:
        text, = self.keep(self.rng.choice(NEWSLETTER))
        return f'<p>{escape(text)}</p><form><input type="email"><button>Sign up</button></form>'

    def comments(self, tag: str = "div") -> str:
        out = []
        for text in self.rng.sample(COMMENTS, self.rng.randint(3, 6)):
            author, = self.keep(self.rng.choice(COMMENT_AUTHORS))
            self.keep(text)
            out.append(f'<{tag} class="comment"><p class="author">{escape(author)}</p>'
                       f'<p class="when">{self.rng.randint(2, 23)} hours ago</p>'
                       f"<p>{escape(text)}</p></{tag}>")
        return "".join(out)

    def footer(self) -> str:
        links = _links(self.keep(*self.rng.sample(FOOTER, 5)))
        (year,) = self.keep(f"© {self.rng.randint(2005, 2024)} Example Media Group. All rights reserved.")
        return f"<ul>{links}</ul><p>{escape(year)}</p>"


def _body(paragraphs: list[str], parts: _Parts) -> str:
    """The article's paragraphs with a "Read more" link and an advert after some of them."""
    out = []
    for i, p in enumerate(paragraphs):
        out.append(f"<p>{escape(p)}</p>")
        if i == 1 and len(paragraphs) > 3:
            out.append(parts.read_more())
        if i == 3 and len(paragraphs) > 5:
            out.append(parts.advert())
    return "".join(out)


def _semantic(h: str, body: str, day: date, parts: _Parts) -> str:
    return (
        f'<html><head><title>{escape(h)} - Example News</title>'
        f'<meta property="article:published_time" content="{day}T09:00:00Z"></head><body>'
        f'<header><a href="/">Example News</a><nav><ul>{parts.nav()}</ul></nav></header>'
        f'<main><article><h1>{escape(h)}</h1><p class="byline">By Staff reporter</p>'
        f'<time datetime="{day}">{day:%d %B %Y}</time>{body}'
        f'<div class="share-tools">{parts.share()}</div></article>'
        f'<aside><h2>Related stories</h2><ul>{parts.related()}</ul></aside>'
        f'<section id="comments"><h2>Comments</h2>{parts.comments()}</section></main>'
        f'<div id="cookie-banner" class="cookie-consent">{parts.cookie()}</div>'
        f"<footer>{parts.footer()}</footer></body></html>"
    )


def _div_soup(h: str, body: str, day: date, parts: _Parts) -> str:
    ld = f'{{"@type": "NewsArticle", "headline": "{escape(h)}", "datePublished": "{day}"}}'
    return (
        f'<html><head><title>{escape(h)} | Example News</title>'
        f'<script type="application/ld+json">{ld}</script></head><body>'
        f'<div class="cookie-notice">{parts.cookie()}</div>'
        f'<div class="masthead"><div class="logo">Example News</div>'
        f'<ul class="menu">{parts.nav()}</ul></div>'
        f'<div id="content"><div class="story"><h1 class="story-headline">{escape(h)}</h1>'
        f'<div class="story-date">Published {day:%d %B %Y}</div>'
        f'<div class="story-body">{body}</div>'
        f'<div class="newsletter-box">{parts.newsletter()}</div>'
        f'<div class="related-links"><h3>More on this story</h3><ul>{parts.related()}</ul></div>'
        f'</div><div id="comments"><h3>Have your say</h3>{parts.comments()}</div></div>'
        f'<div id="footer">{parts.footer()}</div></body></html>'
    )


def _article_wraps_all(h: str, body: str, day: date, parts: _Parts) -> str:
    return (
        f'<html><head><title>{escape(h)}</title>'
        f'<meta property="article:published_time" content="{day}"></head><body>'
        f'<div role="dialog" class="consent">{parts.cookie()}</div>'
        f'<div class="top-bar"><ul>{parts.nav()}</ul></div>'
        f'<article class="story"><h1>{escape(h)}</h1><div class="meta">{day:%B %d, %Y}</div>'
        f'<div class="share">{parts.share()}</div><div class="text">{body}</div>'
        f'<div class="newsletter">{parts.newsletter()}</div>'
        f'<div class="related"><h2>You may also like</h2><ul>{parts.related(4)}</ul></div>'
        f'<section class="comments"><h2>Reader comments</h2>{parts.comments()}</section>'
        f'</article><div class="site-footer">{parts.footer()}</div></body></html>'
    )


def _wordpress(h: str, body: str, day: date, parts: _Parts) -> str:
    return (
        f'<html><head><title>{escape(h)} &#8211; Example Blog</title></head><body>'
        f'<div id="page" class="site"><header id="masthead" class="site-header">'
        f'<p class="site-title">Example Blog</p><nav id="site-navigation" class="main-navigation">'
        f'<ul>{parts.nav()}</ul></nav></header>'
        f'<div id="primary" class="content-area"><main id="main" class="site-main">'
        f'<article class="post type-post"><header class="entry-header">'
        f'<h1 class="entry-title">{escape(h)}</h1><div class="entry-meta">'
        f'<time class="entry-date published" datetime="{day}T08:30:00+00:00">'
        f"{day:%B %d, %Y}</time></div></header>"
        f'<div class="entry-content">{body}</div>'
        f'<footer class="entry-footer">{parts.share()}</footer></article>'
        f'<div id="comments" class="comments-area"><h2 class="comments-title">Responses</h2>'
        f'<ol class="comment-list">{parts.comments("article")}</ol></div></main></div>'
        f'<aside id="secondary" class="widget-area"><section class="widget">'
        f'<h2 class="widget-title">Recent Posts</h2><ul>{parts.related()}</ul></section></aside>'
        f'<div class="cookie-law-info-bar">{parts.cookie()}</div>'
        f'<footer id="colophon" class="site-footer">{parts.footer()}</footer></div></body></html>'
    )


TEMPLATES = {"semantic": _semantic, "div-soup": _div_soup,
             "article-wraps-all": _article_wraps_all, "wordpress": _wordpress}


def build_pages(articles: list[tuple[str, list[str]]], n: int, seed: int = 11) -> list[Page]:
    """n pages: articles drawn at random, the templates in turn, furniture at random."""
    rng = random.Random(seed)
    headlines = [h for h, _ in articles]
    pages = []
    names = list(TEMPLATES)
    for i, (headline, paragraphs) in enumerate(rng.sample(articles, n)):
        parts = _Parts(rng, [h for h in rng.sample(headlines, 8) if h != headline])
        day = date(2004, 1, 1) + timedelta(days=rng.randrange(730))
        name = names[i % len(names)]
        html = TEMPLATES[name](headline, _body(paragraphs, parts), day, parts)
        pages.append(Page(html, name, headline, tuple(paragraphs), tuple(parts.pieces),
                          day.isoformat()))
    return pages
