"""Sitemaps (index, sections, news) list only public pages; robots.txt names
them."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, hidden_stories

pytestmark = pytest.mark.django_db


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS_NS = {**SITEMAP_NS, "n": "http://www.google.com/schemas/sitemap-news/0.9"}


def test_sitemap_index_and_sections_list_only_public_pages(client):
    story = ArticleFactory(published=True, tags=["ferries"])
    hidden = hidden_stories()
    index = ET.fromstring(client.get("/sitemap.xml").content)
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert {p.rsplit("/", 1)[-1] for p in parts} == {
        "sitemap-stories.xml",
        "sitemap-sections.xml",
        "sitemap-tags.xml",
        "sitemap-authors.xml",
    }
    urls = []
    for part in parts:
        xml = ET.fromstring(client.get(part.split("testserver", 1)[1]).content)
        urls += [loc.text for loc in xml.findall("s:url/s:loc", SITEMAP_NS)]
    assert f"http://testserver{story.get_absolute_url()}" in urls
    assert f"http://testserver{story.section.get_absolute_url()}" in urls
    assert "http://testserver/tags/ferries/" in urls
    for article in hidden:
        assert f"http://testserver{article.get_absolute_url()}" not in urls


def test_news_sitemap_has_the_last_48_hours(client):
    fresh = ArticleFactory(published=True, headline="Fresh & new")
    old = ArticleFactory(
        published=True, published_at=timezone.now() - timedelta(hours=49)
    )
    hidden = hidden_stories()
    response = client.get("/news-sitemap.xml")
    xml = ET.fromstring(response.content)
    urls = [u.find("s:loc", NEWS_NS).text for u in xml.findall("s:url", NEWS_NS)]
    assert urls == [f"http://testserver{fresh.get_absolute_url()}"]
    news = xml.find("s:url/n:news", NEWS_NS)
    assert news.find("n:title", NEWS_NS).text == "Fresh & new"
    assert news.find("n:publication/n:name", NEWS_NS).text == "Cupure"
    assert news.find("n:publication/n:language", NEWS_NS).text == "en"
    assert news.find("n:publication_date", NEWS_NS).text.startswith("20")
    assert old.get_absolute_url() not in response.content.decode()
    assert all(h.get_absolute_url() not in response.content.decode() for h in hidden)


def test_robots_txt_names_both_sitemaps(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text
