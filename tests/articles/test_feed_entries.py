"""RSS and Atom feeds as a feed reader parses them: authors, categories,
dates and the hero image."""

import feedparser
import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory, hidden_stories

pytestmark = pytest.mark.django_db


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
