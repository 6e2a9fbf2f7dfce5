import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS_NS = {**SITEMAP_NS, "n": "http://www.google.com/schemas/sitemap-news/0.9"}


def hidden_stories(**kwargs):
    """A draft, a scheduled and a withdrawn story that must never show."""
    return [
        ArticleFactory(headline="Secret draft about ferries", **kwargs),
        ArticleFactory(scheduled=True, headline="Embargoed ferries story", **kwargs),
        ArticleFactory(unpublished=True, headline="Withdrawn ferries story", **kwargs),
    ]


# --- Search ------------------------------------------------------------------------


def results(client, **params):
    response = client.get(reverse("articles:search"), params)
    assert response.status_code == 200
    page = response.context["page"]
    return response, list(page.object_list) if page else []


def test_search_finds_published_stories_only(client):
    found = ArticleFactory(published=True, headline="Ferries return to the strait")
    hidden_stories()
    _, stories = results(client, q="ferries")
    assert stories == [found]


def test_headline_match_ranks_above_body_match(client):
    in_body = ArticleFactory(
        published=True,
        headline="Port authority meets",
        body="<p>The talks touched on the lighthouse briefly.</p>",
        published_at=timezone.now() - timedelta(hours=1),
    )
    in_headline = ArticleFactory(
        published=True,
        headline="Lighthouse keepers strike",
        body="<p>Nothing else here.</p>",
        published_at=timezone.now() - timedelta(days=3),
    )
    _, stories = results(client, q="lighthouse")
    assert set(stories) == {in_body, in_headline}
    if POSTGRES:  # SQLite's plain match orders by date only
        assert stories == [in_headline, in_body]


def test_matches_are_highlighted_and_escaped(client):
    ArticleFactory(
        published=True,
        headline="Harbour fees",
        body="<p>Fees &amp; tariffs rise at the harbour &lt;script&gt; today.</p>",
    )
    response, _ = results(client, q="tariffs")
    html = response.content.decode()
    assert "<mark>tariffs</mark>" in html
    assert "<script>" not in html.split('class="search-results', 1)[1]


def test_search_filters_by_section_and_dates(client):
    world, science = SectionFactory(slug="world"), SectionFactory(slug="science")
    now = timezone.now()
    recent_world = ArticleFactory(
        published=True, section=world, headline="Glacier talks", published_at=now
    )
    ArticleFactory(published=True, section=science, headline="Glacier survey")
    old_world = ArticleFactory(
        published=True,
        section=world,
        headline="Glacier history",
        published_at=now - timedelta(days=40),
    )
    _, by_section = results(client, q="glacier", section="world")
    since = (now - timedelta(days=5)).date().isoformat()
    _, by_date = results(client, q="glacier", section="world", since=since)
    assert set(by_section) == {recent_world, old_world}
    assert by_date == [recent_world]


def test_websearch_syntax_on_postgres(client):
    ArticleFactory(published=True, headline="Ferry strike ends")
    ArticleFactory(published=True, headline="Ferry timetable")
    _, stories = results(client, q="ferry -strike")
    if POSTGRES:
        assert [s.headline for s in stories] == ["Ferry timetable"]


@pytest.mark.parametrize(
    "query",
    [
        "'",
        '"',
        "&",
        "|",
        "!",
        ":*",
        "<script>alert(1)</script>",
        "a\x00b",
        "x" * 10_000,
        "the and of",
        "ünïcödé ☃",
        "(((",
        "-",
        "\u202e",
    ],
)
def test_odd_queries_get_a_page_never_an_error(client, query):
    ArticleFactory(published=True, headline="Ferries")
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_empty_and_too_long_queries_explain_themselves(client):
    empty = client.get(reverse("articles:search"), {"q": "   "}).content.decode()
    long = client.get(reverse("articles:search"), {"q": "x" * 300}).content.decode()
    assert "Type a word or two to search for." in empty
    assert "at most 200 characters" in long


def test_search_queries_do_not_grow_with_results(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 10

    def count():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("articles:search"), {"q": "harbour"})
        return len(queries)

    authors = [AuthorFactory(), AuthorFactory()]
    for n in range(3):
        ArticleFactory(published=True, headline=f"Harbour news {n}", authors=authors)
    few = count()
    for n in range(40):
        ArticleFactory(published=True, headline=f"Harbour update {n}", authors=authors)
    many = count()
    assert few == many


# --- Feeds -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_parse_with_authors_categories_dates(client, kind):
    author = AuthorFactory(name="Ines Okafor")
    story = ArticleFactory(
        published=True,
        headline="Ferries return",
        authors=[author],
        tags=["ferries", "veltria"],
    )
    hidden = hidden_stories(section=story.section)
    section, tag = story.section, story.tags.get(name="ferries")
    suffix = "" if kind == "rss" else "-atom"
    urls = [
        reverse(f"feeds:latest{suffix}"),
        reverse(f"feeds:section{suffix}", args=[section.slug]),
        reverse(f"feeds:tag{suffix}", args=[tag.slug]),
        reverse(f"feeds:author{suffix}", args=[author.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.bozo_exception)
        titles = [entry.title for entry in feed.entries]
        assert titles == ["Ferries return"], url
        entry = feed.entries[0]
        assert "Ines Okafor" in entry.author
        assert {"ferries", "veltria"} <= {t.term for t in entry.tags}
        assert entry.published_parsed
        if kind == "atom":
            assert "updated" in entry
        for story_hidden in hidden:
            assert story_hidden.headline not in response.content.decode()


def test_feed_carries_the_hero_image(client, admin_user):
    from images.imaging import check_and_clean
    from images.services import image_create
    from tests.images import picture_bytes

    image = image_create(
        upload=check_and_clean("a.jpg", picture_bytes((1600, 900))),
        by=admin_user,
        title="Ferry",
        alt_text="A ferry",
    )
    ArticleFactory(published=True, hero_image=image)
    feed = feedparser.parse(client.get(reverse("feeds:latest")).content)
    enclosure = feed.entries[0].enclosures[0]
    assert enclosure.type == "image/jpeg" and int(enclosure.length) > 0


# --- Sitemaps and robots.txt -------------------------------------------------------


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


# --- Metadata ----------------------------------------------------------------------


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


# --- HTTP caching ------------------------------------------------------------------


def test_anonymous_pages_are_cdn_cacheable_and_answer_304(client):
    story = ArticleFactory(published=True)
    first = client.get(story.get_absolute_url())
    assert "public" in first["Cache-Control"]
    assert "s-maxage=60" in first["Cache-Control"]
    assert "max-age=0" in first["Cache-Control"]
    assert "stale-while-revalidate=300" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]
    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_logged_in_and_staff_pages_are_never_shared(client):
    story = ArticleFactory(published=True)
    client.force_login(UserFactory())
    response = client.get(story.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    admin = client.get(reverse("admin:index"))
    assert "public" not in admin.get("Cache-Control", "")


def test_previews_are_never_cached(admin_client):
    story = ArticleFactory()
    response = admin_client.get(reverse("articles:preview", args=[story.pk]))
    assert "no-store" in response["Cache-Control"]
    assert Article.objects.published().count() == 0
