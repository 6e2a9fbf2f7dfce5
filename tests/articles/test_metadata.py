"""What search engines and social sites read: the story's JSON-LD, canonical
addresses and social tags on every public page."""

import json
import re

import pytest

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_story_json_ld_carries_the_news_article_fields(client):
    author = AuthorFactory(name="Ines Okafor")
    story = ArticleFactory(
        published=True,
        headline='Talks end: "not yet" </script><script>alert(1)</script>',
        dek="Leaders will meet again.",
        authors=[author],
        tags=["ferries"],
    )
    html = client.get(story.get_absolute_url()).content.decode()
    raw = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    ).group(1)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["description"] == "Leaders will meet again."
    assert data["datePublished"] and data["dateModified"]
    assert data["author"][0]["name"] == "Ines Okafor"
    assert data["publisher"]["logo"]["url"].endswith("/static/img/logo.png")
    assert data["articleSection"] == story.section.name
    assert data["keywords"] == ["ferries"]
    assert data["image"]
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("page", ["story", "headlines", "section", "tag", "author"])
def test_every_public_page_has_canonical_and_social_tags(client, page):
    author = AuthorFactory()
    story = ArticleFactory(published=True, tags=["ferries"], authors=[author])
    url = {
        "story": story.get_absolute_url(),
        "headlines": "/",
        "section": story.section.get_absolute_url(),
        "tag": "/tags/ferries/",
        "author": author.get_absolute_url(),
    }[page]
    html = client.get(url, {"utm_source": "x"}).content.decode()
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    for prop in ("og:title", "og:description", "og:url", "og:image", "og:type"):
        assert f'property="{prop}"' in html, prop
    assert 'name="twitter:card"' in html


def test_canonical_keeps_the_page_number(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    section = SectionFactory()
    ArticleFactory.create_batch(3, published=True, section=section)
    html = client.get(section.get_absolute_url(), {"page": 2}).content.decode()
    assert f'href="http://testserver{section.get_absolute_url()}?page=2"' in html
